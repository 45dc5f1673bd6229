//! Reading push certificates in the forms customers deliver them.

use mdm_push_cert::{ParseError, PushCertificate, TopicError};
use time::macros::datetime;

macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

const TOPIC_A: &str = "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f";

#[test]
fn reads_pem_and_exposes_fields() {
    let c = PushCertificate::parse(pki!("push_b.pem")).unwrap();
    assert_eq!(c.topic().as_str(), TOPIC_A);
    assert_eq!(c.topic().to_string(), TOPIC_A);
    assert_eq!(c.not_before(), datetime!(2025-12-20 0:00 UTC));
    assert_eq!(c.not_after(), datetime!(2026-12-19 23:59:59 UTC));
    assert_eq!(c.rsa_key_bits(), 2048);
    assert!(c.has_push_marker());
    assert!(c.subject().contains("APSP:6c1b2f9e"), "{}", c.subject());
    assert!(
        c.issuer()
            .contains("CN=Test Application Integration 2 Certification Authority"),
        "{}",
        c.issuer()
    );
    assert_eq!(c.spki_der(), pki!("customer_b.spki.der"));
    assert!(!c.serial().is_empty());
    assert_eq!(c.serial_hex().len(), c.serial().len() * 3 - 1);
    assert_eq!(c.der(), pki!("push_b.der"));
}

#[test]
fn der_and_pem_forms_give_the_same_certificate() {
    let pem = PushCertificate::parse(pki!("push_b.pem")).unwrap();
    for (name, bytes) in [
        ("der", pki!("push_b.der")),
        ("bom+crlf+text", pki!("push_b_bom_crlf.pem")),
        ("chain", pki!("push_b_chain.pem")),
        ("ca first, duplicated", pki!("push_b_duplicate.pem")),
        ("with private key", pki!("push_b_with_key.pem")),
    ] {
        let c = PushCertificate::parse(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(c, pem, "{name}");
    }
    let from_der = PushCertificate::from_der(pki!("push_b.der")).unwrap();
    assert_eq!(from_der, pem);
    assert_eq!(
        PushCertificate::parse(pem.to_pem().as_bytes()).unwrap(),
        pem
    );
}

#[test]
fn fingerprint_matches_openssl() {
    // `openssl x509 -in push_b.pem -noout -fingerprint -sha256` computes the
    // same digest of the DER; checked here through the DER fixture.
    use sha2::Digest as _;
    let c = PushCertificate::parse(pki!("push_b.pem")).unwrap();
    assert_eq!(
        c.sha256_fingerprint(),
        <[u8; 32]>::from(sha2::Sha256::digest(pki!("push_b.der")))
    );
    assert_eq!(c.sha256_fingerprint_hex().len(), 32 * 3 - 1);
}

#[test]
fn uid_anywhere_in_subject() {
    let c = PushCertificate::parse(pki!("push_uid_last.pem")).unwrap();
    assert_eq!(c.topic().as_str(), TOPIC_A);
}

#[test]
fn dates_after_2049_use_generalized_time() {
    let c = PushCertificate::parse(pki!("push_2050.pem")).unwrap();
    assert_eq!(c.not_before(), datetime!(2049-12-20 0:00 UTC));
    assert_eq!(c.not_after(), datetime!(2050-12-19 23:59:59 UTC));
}

#[test]
fn refusals() {
    let cases: &[(&str, &[u8], ParseError)] = &[
        ("empty", pki!("empty.pem"), ParseError::Empty),
        ("garbage", pki!("garbage.txt"), ParseError::NoCertificate),
        (
            "truncated pem",
            pki!("truncated_no_end.pem"),
            ParseError::Truncated,
        ),
        (
            "truncated der",
            pki!("truncated.der"),
            ParseError::Truncated,
        ),
        (
            "two push certificates",
            pki!("two_push.pem"),
            ParseError::MultiplePushCertificates,
        ),
        ("no uid", pki!("push_no_uid.pem"), ParseError::MissingTopic),
        (
            "two uids",
            pki!("push_two_uids.pem"),
            ParseError::MultipleTopics,
        ),
        (
            "rsa 1024",
            pki!("push_rsa1024.pem"),
            ParseError::KeyTooSmall { bits: 1024 },
        ),
        (
            "csr",
            pki!("csr_uploaded_by_mistake.pem"),
            ParseError::NoCertificate,
        ),
        (
            "key only",
            pki!("customer_b.key"),
            ParseError::NoCertificate,
        ),
    ];
    for (name, bytes, want) in cases {
        assert_eq!(PushCertificate::parse(bytes).unwrap_err(), *want, "{name}");
    }
}

#[test]
fn refusals_with_detail() {
    match PushCertificate::parse(pki!("push_wrong_prefix.pem")).unwrap_err() {
        ParseError::InvalidTopic { uid, reason } => {
            assert_eq!(uid, "com.example.push.6c1b2f9e");
            assert_eq!(reason, TopicError::WrongPrefix);
        }
        e => panic!("unexpected {e:?}"),
    }
    assert!(matches!(
        PushCertificate::parse(pki!("push_ec.pem")).unwrap_err(),
        ParseError::NotRsa { algorithm } if algorithm == "1.2.840.10045.2.1"
    ));
    assert!(matches!(
        PushCertificate::parse(pki!("aai2.pem")).unwrap_err(),
        ParseError::CaCertificate { .. }
    ));
    assert!(matches!(
        PushCertificate::parse(pki!("anchors.pem")).unwrap_err(),
        ParseError::CaCertificate { .. }
    ));
    assert!(matches!(
        PushCertificate::parse(pki!("vendor.pem")).unwrap_err(),
        ParseError::VendorCertificate { .. }
    ));
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let mut big = pki!("push_b.pem").to_vec();
    big.resize(mdm_push_cert::MAX_INPUT_LEN + 1, b'\n');
    assert!(matches!(
        PushCertificate::parse(&big).unwrap_err(),
        ParseError::TooLarge { .. }
    ));
}

#[test]
fn der_with_trailing_data_is_refused() {
    let mut der = pki!("push_b.der").to_vec();
    der.extend_from_slice(b"extra");
    assert_eq!(
        PushCertificate::parse(&der).unwrap_err(),
        ParseError::TrailingData
    );
}

#[test]
fn third_party_mocks() {
    // micromdm's test certificates (MIT): see tests/fixtures/thirdparty/README.md.
    let c = PushCertificate::parse(include_bytes!(
        "fixtures/thirdparty/micromdm_mock_push_cert.pem"
    ))
    .unwrap();
    assert_eq!(
        c.topic().as_str(),
        "com.apple.mgmt.External.18a16429-886b-41f1-9c30-2bd04ae4fc37"
    );
    assert!(!c.has_push_marker());
    assert_eq!(
        PushCertificate::parse(include_bytes!(
            "fixtures/thirdparty/micromdm_mock_push_cert_no_uid.pem"
        ))
        .unwrap_err(),
        ParseError::MissingTopic
    );
    assert!(matches!(
        PushCertificate::parse(include_bytes!(
            "fixtures/thirdparty/micromdm_mock_push_cert_wrong_uid_prefix.pem"
        ))
        .unwrap_err(),
        ParseError::InvalidTopic { .. }
    ));
    // A self-signed CA certificate named "mdmpush".
    assert!(matches!(
        PushCertificate::parse(include_bytes!(
            "fixtures/thirdparty/micromdm_testdata_pushcert.pem"
        ))
        .unwrap_err(),
        ParseError::CaCertificate { .. }
    ));
}

#[test]
fn non_der_encodings_are_refused() {
    // Found by the push_certificate fuzz target: push_b with its version
    // written out as an explicit v1 (a DEFAULT value DER omits), which the
    // decoder accepts and re-encodes differently.
    let ber =
        include_bytes!("../fuzz/corpus/push_certificate/regression-explicit-default-version.der");
    assert!(matches!(
        PushCertificate::parse(ber).unwrap_err(),
        ParseError::Malformed { detail } if detail.contains("not DER")
    ));
}
