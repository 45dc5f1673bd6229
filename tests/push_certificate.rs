//! Reading push certificates in the forms customers deliver them.

use mdm_push_cert::{InputError, InputItem, KeyError, ParseError, PushCertificate, TopicError};
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
    assert_eq!(c.key_bits(), 2048);
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
    assert_eq!(c.serial_hex().len(), c.serial().len() * 2);
    assert!(
        c.serial_hex()
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
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
    assert_eq!(
        c.sha256_fingerprint_hex(),
        c.sha256_fingerprint()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
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
        (
            "empty",
            pki!("empty.pem"),
            ParseError::Input(InputError::Empty),
        ),
        (
            "garbage",
            pki!("garbage.txt"),
            ParseError::Input(InputError::NotFound {
                expected: InputItem::Certificate,
            }),
        ),
        (
            "truncated pem",
            pki!("truncated_no_end.pem"),
            ParseError::Input(InputError::Truncated),
        ),
        (
            "truncated der",
            pki!("truncated.der"),
            ParseError::Input(InputError::Truncated),
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
            ParseError::Key(KeyError::TooSmall { bits: 1024 }),
        ),
        (
            "csr",
            pki!("csr_uploaded_by_mistake.pem"),
            ParseError::Input(InputError::NotFound {
                expected: InputItem::Certificate,
            }),
        ),
        (
            "key only",
            pki!("customer_b.key"),
            ParseError::Input(InputError::NotFound {
                expected: InputItem::Certificate,
            }),
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
        ParseError::Input(InputError::TooLarge { .. })
    ));
}

#[test]
fn der_with_trailing_data_is_refused() {
    let mut der = pki!("push_b.der").to_vec();
    der.extend_from_slice(b"extra");
    assert_eq!(
        PushCertificate::parse(&der).unwrap_err(),
        ParseError::Input(InputError::TrailingData {
            item: InputItem::Certificate
        })
    );
}

#[test]
fn third_party_mocks() {
    // micromdm's test certificates (MIT): see tests/fixtures/thirdparty/README.md.
    // Its mock push certificates are X.509 v1, which carries no extensions
    // (so no push marker, no CA flag): refused whatever their subject says.
    for mock in [
        include_bytes!("fixtures/thirdparty/micromdm_mock_push_cert.pem").as_slice(),
        include_bytes!("fixtures/thirdparty/micromdm_mock_push_cert_no_uid.pem"),
        include_bytes!("fixtures/thirdparty/micromdm_mock_push_cert_wrong_uid_prefix.pem"),
    ] {
        assert_eq!(
            PushCertificate::parse(mock).unwrap_err(),
            ParseError::NotVersion3
        );
    }
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
fn names_print_as_openssl_prints_them() {
    // names_rfc2253.txt: `openssl x509 -subject -issuer -nameopt RFC2253`
    // for every certificate of the test PKI (written by make_fixtures.sh).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pki");
    let table = std::fs::read_to_string(dir.join("names_rfc2253.txt")).unwrap();
    let mut checked = 0;
    for line in table.lines() {
        let f: Vec<&str> = line.split('|').collect();
        let bytes = std::fs::read(dir.join(f[0])).unwrap();
        if let Ok(c) = PushCertificate::parse(&bytes) {
            assert_eq!(c.subject(), f[1], "{}", f[0]);
            assert_eq!(c.issuer(), f[2], "{}", f[0]);
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked}");
}

mod non_der {
    //! Builds variants of push_b.der that x509-cert decodes but re-encodes
    //! differently (not DER), with the `der` crate's reader and writer.
    use der::{Decode as _, Encode as _, Header, Length, Reader as _, SliceReader, Tag};

    /// The child TLVs of a constructed TLV.
    pub(super) fn children(tlv: &[u8]) -> (Header, Vec<Vec<u8>>) {
        let mut r = SliceReader::new(tlv).unwrap();
        let header = Header::decode(&mut r).unwrap();
        let mut out = Vec::new();
        while !r.is_finished() {
            out.push(r.tlv_bytes().unwrap().to_vec());
        }
        (header, out)
    }

    /// A TLV with `header`'s tag around `parts`.
    pub(super) fn wrap(header: Header, parts: &[Vec<u8>]) -> Vec<u8> {
        let content: Vec<u8> = parts.concat();
        let mut out = Header::new(header.tag(), Length::try_from(content.len()).unwrap())
            .to_der()
            .unwrap();
        out.extend_from_slice(&content);
        out
    }

    /// push_b.der with `f` applied to the TBSCertificate's children.
    pub(super) fn with_tbs(der: &[u8], f: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
        let (cert_h, mut cert) = children(der);
        let (tbs_h, mut tbs) = children(&cert[0]);
        f(&mut tbs);
        cert[0] = wrap(tbs_h, &tbs);
        wrap(cert_h, &cert)
    }

    pub(super) fn generalized(t: &str) -> Vec<u8> {
        let mut out = Header::new(Tag::GeneralizedTime, Length::try_from(t.len()).unwrap())
            .to_der()
            .unwrap();
        out.extend_from_slice(t.as_bytes());
        out
    }
}

#[test]
fn every_non_der_variant_is_refused() {
    use der::{Decode as _, Encode as _};
    let der = pki!("push_b.der");
    let explicit_critical_false = non_der::with_tbs(der, |tbs| {
        // tbs[7] is [3] { SEQUENCE OF Extension }; give the first extension
        // an explicit `critical FALSE`.
        let (ctx_h, ctx) = non_der::children(&tbs[7]);
        let (seq_h, mut exts) = non_der::children(&ctx[0]);
        let (ext_h, mut parts) = non_der::children(&exts[0]);
        parts.insert(1, vec![0x01, 0x01, 0x00]);
        exts[0] = non_der::wrap(ext_h, &parts);
        tbs[7] = non_der::wrap(ctx_h, &[non_der::wrap(seq_h, &exts)]);
    });
    let generalized_before_2050 = non_der::with_tbs(der, |tbs| {
        // tbs[4] is Validity: notBefore as GeneralizedTime in 2025.
        let (h, mut times) = non_der::children(&tbs[4]);
        times[0] = non_der::generalized("20251220000000Z");
        tbs[4] = non_der::wrap(h, &times);
    });
    let unsorted_rdn = non_der::with_tbs(der, |tbs| {
        // tbs[5] is the subject: merge its first two RDNs into one SET in
        // descending order.
        let (name_h, mut rdns) = non_der::children(&tbs[5]);
        let (set_h, first) = non_der::children(&rdns[0]);
        let (_, second) = non_der::children(&rdns[1]);
        let mut atvs = vec![first[0].clone(), second[0].clone()];
        atvs.sort();
        atvs.reverse();
        rdns[0] = non_der::wrap(set_h, &atvs);
        rdns.remove(1);
        tbs[5] = non_der::wrap(name_h, &rdns);
    });
    let explicit_v1 = include_bytes!("fixtures/explicit_default_version.der").to_vec();
    for (name, bytes) in [
        ("explicit critical FALSE", explicit_critical_false),
        ("GeneralizedTime before 2050", generalized_before_2050),
        ("unsorted multi-valued RDN", unsorted_rdn),
        ("explicit default version", explicit_v1),
    ] {
        // x509-cert reads it but writes different bytes: it is not DER.
        let decoded =
            x509_cert::Certificate::from_der(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_ne!(decoded.to_der().unwrap(), bytes, "{name}");
        assert!(
            matches!(
                PushCertificate::parse(&bytes),
                Err(ParseError::Malformed { .. }
                    | ParseError::InvalidName { .. }
                    | ParseError::NotVersion3)
            ),
            "{name}: {:?}",
            PushCertificate::parse(&bytes)
        );
    }
}

#[test]
fn files_with_too_many_certificates_are_refused() {
    use mdm_push_cert::MAX_CERTIFICATES_PER_FILE;
    let pem = pki!("push_b.pem");
    let at_limit: Vec<u8> = pem.repeat(MAX_CERTIFICATES_PER_FILE);
    assert_eq!(
        PushCertificate::parse(&at_limit).unwrap(),
        PushCertificate::parse(pem).unwrap()
    );
    let over: Vec<u8> = pem.repeat(MAX_CERTIFICATES_PER_FILE + 1);
    assert_eq!(
        PushCertificate::parse(&over).unwrap_err(),
        ParseError::TooManyCertificates {
            count: MAX_CERTIFICATES_PER_FILE + 1,
            max: MAX_CERTIFICATES_PER_FILE
        }
    );
}
