//! Real public files, read in place from the folder named by
//! `MDM_PUSH_CERT_REALWORLD` (`.ci/run` points it at the shared realworld
//! folder). Most of them come from repositories without a licence, so they are
//! not copied into this project. Without the variable the tests say so and
//! pass, except under CI (`CI` set), where its absence is a failure.

use std::path::PathBuf;

#[path = "support/altered.rs"]
mod altered;
use altered::verify_altered;

use mdm_push_cert::{
    InputError, InputItem, ParseError, PushCertificate, TrustAnchors, UploadCheck,
};
use time::{Duration, OffsetDateTime};

fn dir() -> Option<PathBuf> {
    match std::env::var_os("MDM_PUSH_CERT_REALWORLD") {
        Some(d) => Some(PathBuf::from(d)),
        None if std::env::var_os("CI").is_some() => {
            panic!("MDM_PUSH_CERT_REALWORLD must be set under CI")
        }
        None => {
            eprintln!("MDM_PUSH_CERT_REALWORLD is not set: real-file tests skipped");
            None
        }
    }
}

fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

struct Expected {
    file: String,
    topic: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    sha256: String,
    subject: String,
    issuer: String,
    serial: String,
}

/// The table `tests/fixtures/realworld_expected.sh` wrote with openssl.
fn expected() -> Vec<Expected> {
    include_str!("fixtures/realworld_push_expected.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            let t = |s: &str| OffsetDateTime::from_unix_timestamp(s.parse().unwrap()).unwrap();
            Expected {
                file: f[0].into(),
                topic: f[1].into(),
                not_before: t(f[2]),
                not_after: t(f[3]),
                sha256: f[4].into(),
                subject: f[5].into(),
                issuer: f[6].into(),
                serial: f[7].into(),
            }
        })
        .collect()
}

#[test]
fn apple_push_certificates_parse_and_verify() {
    let Some(dir) = dir() else { return };
    let table = expected();
    assert_eq!(table.len(), 10);
    let mut on_disk: Vec<_> = std::fs::read_dir(dir.join("push"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    let mut listed: Vec<_> = table.iter().map(|e| e.file.clone()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "the table must cover every file");
    for e in &table {
        let c = PushCertificate::parse(&read(&dir, &format!("push/{}", e.file))).unwrap();
        assert_eq!(c.topic().as_str(), e.topic, "{}", e.file);
        assert_eq!(c.not_before(), e.not_before, "{}", e.file);
        assert_eq!(c.not_after(), e.not_after, "{}", e.file);
        // openssl prints upper case with colons; the crate's form is lower
        // case without separator.
        assert_eq!(
            c.sha256_fingerprint_hex(),
            e.sha256.replace(':', "").to_lowercase(),
            "{}",
            e.file
        );
        assert_eq!(c.subject(), e.subject, "{}", e.file);
        assert_eq!(c.issuer(), e.issuer, "{}", e.file);
        assert_eq!(c.serial_hex(), e.serial.to_lowercase(), "{}", e.file);
        assert!(c.has_push_marker(), "{}", e.file);
        assert_eq!(c.key_bits(), 2048, "{}", e.file);
        assert!(
            c.issuer().contains("Apple Application Integration 2"),
            "{}",
            e.file
        );
        let mid = c.not_before() + (c.not_after() - c.not_before()) / 2;
        TrustAnchors::apple()
            .verify(&c, mid)
            .unwrap_or_else(|err| panic!("{}: {err}", e.file));
        UploadCheck::new(mid)
            .expected_public_key(c.spki_der())
            .check(c.der())
            .unwrap_or_else(|err| panic!("{}: {}", e.file, err.detail()));
    }
}

#[test]
fn real_renewals_keep_their_topic() {
    let Some(dir) = dir() else { return };
    for (old, new) in [
        ("push/abacus_push_2018.pem", "push/abacus_push_2020.pem"),
        ("push/pitstop_push_2025.pem", "push/pitstop_push_2026.pem"),
    ] {
        let old = PushCertificate::parse(&read(&dir, old)).unwrap();
        let new_bytes = read(&dir, new);
        let new = PushCertificate::parse(&new_bytes).unwrap();
        let now = new.not_before() + Duration::days(1);
        UploadCheck::new(now)
            .expected_public_key(new.spki_der())
            .previous_certificate(&old)
            .check(&new_bytes)
            .unwrap();
        // The other way round it is not a renewal.
        let err = UploadCheck::new(now)
            .previous_certificate(&new)
            .check(old.der())
            .unwrap_err();
        assert_eq!(err.code(), "invalid_certificate");
    }
    // Two different customers: the topic check catches it.
    let a = PushCertificate::parse(&read(&dir, "push/pradeo_push_a.pem")).unwrap();
    let b_bytes = read(&dir, "push/pradeo_push_b.pem");
    let b = PushCertificate::parse(&b_bytes).unwrap();
    let err = UploadCheck::new(b.not_before() + Duration::days(1))
        .previous_topic(a.topic())
        .check(&b_bytes)
        .unwrap_err();
    assert_eq!(err.code(), "topic_mismatch");
}

#[test]
fn real_wrong_files_are_refused() {
    let Some(dir) = dir() else { return };
    let now = time::macros::datetime!(2026-03-01 0:00 UTC);
    let truncated = read(&dir, "mock/m365dsc_PatchedFakeCert_truncated.txt");
    assert_eq!(
        PushCertificate::parse(&truncated).unwrap_err(),
        ParseError::Input(InputError::NotFound {
            expected: InputItem::Certificate
        })
    );
    assert_eq!(
        UploadCheck::new(now).check(&truncated).unwrap_err().code(),
        "invalid_certificate"
    );
    for entry in std::fs::read_dir(dir.join("vendor")).unwrap() {
        let path = entry.unwrap().path();
        let err = PushCertificate::parse(&std::fs::read(&path).unwrap()).unwrap_err();
        assert!(
            matches!(err, ParseError::VendorCertificate { .. }),
            "{path:?}: {err:?}"
        );
    }
    for entry in std::fs::read_dir(dir.join("apple-ca")).unwrap() {
        let path = entry.unwrap().path();
        let err = PushCertificate::parse(&std::fs::read(&path).unwrap()).unwrap_err();
        assert!(
            matches!(err, ParseError::CaCertificate { .. }),
            "{path:?}: {err:?}"
        );
    }
    for key in [
        "mock/micromdm_pushcert_p12_extracted_key.pem",
        "mock/micromdm_testdata_ProviderPrivateKey.key",
    ] {
        assert_eq!(
            PushCertificate::parse(&read(&dir, key)).unwrap_err(),
            ParseError::Input(InputError::NotFound {
                expected: InputItem::Certificate
            })
        );
    }
}

/// The table `tests/fixtures/realworld_expected.sh` wrote with openssl for the
/// signedCSR files: (file, digest, chain common names, CSR key SHA-256).
fn expected_requests() -> Vec<(String, String, Vec<String>, String)> {
    include_str!("fixtures/realworld_requests_expected.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            (
                f[0].to_owned(),
                f[1].to_owned(),
                f[2].split(';').map(str::to_owned).collect(),
                f[3].to_owned(),
            )
        })
        .collect()
}

fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn real_signed_requests_read_back_and_verify() {
    use mdm_push_cert::{DigestAlgorithm, SignedRequest, SignedRequestError};
    let Some(dir) = dir() else { return };
    let table = expected_requests();
    assert_eq!(table.len(), 8);
    let mut sha1 = 0;
    for (file, digest, cns, spki_sha256) in &table {
        let bytes = read(&dir, &format!("signed-requests/{file}"));
        let req = SignedRequest::parse(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Judged as Apple judged it: at an instant inside the vendor
        // certificate's validity, under Apple's embedded WWDR CAs and root.
        let signatures = req
            .verify_signatures_only()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let at = signatures.vendor_not_before + Duration::days(1);
        let v = req.verify(at).unwrap_or_else(|e| panic!("{file}: {e}"));
        // The path Apple's portal would build: Apple Root CA, then the WWDR CA.
        assert_eq!(v.path.len(), 2, "{file}");
        assert!(
            v.path[0].contains("CN=Apple Root CA,"),
            "{file}: {:?}",
            v.path
        );
        assert!(
            v.path[1].contains("Worldwide Developer Relations"),
            "{file}"
        );
        // After the vendor certificate's end, Apple's portal would refuse it.
        let after = signatures.vendor_not_after + Duration::seconds(1);
        assert!(
            matches!(
                req.verify(after),
                Err(SignedRequestError::VendorExpired { .. })
            ),
            "{file}"
        );
        assert_eq!(v.digest.name(), digest, "{file}");
        sha1 += usize::from(v.digest == DigestAlgorithm::Sha1);
        assert_eq!(v.chain_subjects.len(), cns.len(), "{file}");
        for (subject, cn) in v.chain_subjects.iter().zip(cns) {
            assert!(
                subject.contains(&format!("CN={cn}")),
                "{file}: {subject} lacks {cn}"
            );
        }
        assert_eq!(&sha256_hex(v.csr.spki_der()), spki_sha256, "{file}");
        // Written back and read again, the file is the same request.
        assert_eq!(
            SignedRequest::parse(req.to_base64().as_bytes()).unwrap(),
            req,
            "{file}"
        );
    }
    assert_eq!(sha1, 2, "the two abacus files are signed with SHA-1");
}

#[test]
fn real_signed_requests_altered_by_one_byte_fail() {
    use mdm_push_cert::{CsrError, SignedRequest, SignedRequestError};
    let Some(dir) = dir() else { return };
    for (file, ..) in expected_requests() {
        let req = SignedRequest::parse(&read(&dir, &format!("signed-requests/{file}"))).unwrap();
        let mut sig = req.signature().to_vec();
        sig[0] ^= 0x01;
        assert_eq!(
            verify_altered(&req, req.csr_der().to_vec(), sig),
            SignedRequestError::SignatureMismatch,
            "{file}"
        );
        let mut csr = req.csr_der().to_vec();
        let last = csr.len() - 1;
        csr[last] ^= 0x01;
        assert_eq!(
            verify_altered(&req, csr, req.signature().to_vec()),
            SignedRequestError::Csr(CsrError::BadSignature),
            "{file}"
        );
    }
}

#[test]
fn real_request_keys_are_the_push_certificate_keys() {
    use mdm_push_cert::SignedRequest;
    let Some(dir) = dir() else { return };
    for (req, push) in [
        (
            "abacus_PushCertificateRequest_2018.plist.b64",
            "abacus_push_2018.pem",
        ),
        (
            "abacus_PushCertificateRequest_2020.plist.b64",
            "abacus_push_2020.pem",
        ),
        (
            "pitstop_PushCertificateRequest_2025.plist.b64",
            "pitstop_push_2025.pem",
        ),
        (
            "pitstop_PushCertificateRequest_2026.plist.b64",
            "pitstop_push_2026.pem",
        ),
        (
            "pradeo_PushCertificateRequest_a.plist.b64",
            "pradeo_push_a.pem",
        ),
        (
            "pradeo_PushCertificateRequest_b.plist.b64",
            "pradeo_push_b.pem",
        ),
    ] {
        let v = SignedRequest::parse(&read(&dir, &format!("signed-requests/{req}")))
            .unwrap()
            .verify_signatures_only()
            .unwrap();
        let push_bytes = read(&dir, &format!("push/{push}"));
        let cert = PushCertificate::parse(&push_bytes).unwrap();
        UploadCheck::new(cert.not_before() + Duration::hours(1))
            .expected_csr(&v.csr)
            .check(&push_bytes)
            .unwrap_or_else(|e| panic!("{push}: {}", e.detail()));
    }
    // The 2026 renewal against the 2025 request: last year's CSR.
    let v2025 = SignedRequest::parse(&read(
        &dir,
        "signed-requests/pitstop_PushCertificateRequest_2025.plist.b64",
    ))
    .unwrap()
    .verify_signatures_only()
    .unwrap();
    let push_2026 = read(&dir, "push/pitstop_push_2026.pem");
    let cert = PushCertificate::parse(&push_2026).unwrap();
    let err = UploadCheck::new(cert.not_before() + Duration::hours(1))
        .expected_csr(&v2025.csr)
        .check(&push_2026)
        .unwrap_err();
    assert_eq!(err.code(), "public_key_mismatch");
}

#[test]
fn embedded_wwdr_chain_matches_real_files() {
    use mdm_push_cert::{SignedRequest, VendorSigner};
    let Some(dir) = dir() else { return };
    for (vendor, req) in [
        (
            "abacus_vendor_2018.cer.from_der.pem",
            "abacus_PushCertificateRequest_2018.plist.b64",
        ),
        (
            "pitstop_vendor_2025.cer.from_der.pem",
            "pitstop_PushCertificateRequest_2025.plist.b64",
        ),
        (
            "pitstop_vendor_2026.cer.from_der.pem",
            "pitstop_PushCertificateRequest_2026.plist.b64",
        ),
        (
            "pradeo_vendor_b.cer.from_der.pem",
            "pradeo_PushCertificateRequest_b.plist.b64",
        ),
    ] {
        let chain =
            VendorSigner::apple_chain_for(&read(&dir, &format!("vendor/{vendor}"))).unwrap();
        let req = SignedRequest::parse(&read(&dir, &format!("signed-requests/{req}"))).unwrap();
        assert_eq!(chain.as_slice(), req.chain_der(), "{vendor}");
    }
    // Every real vendor certificate has a known WWDR issuer.
    for entry in std::fs::read_dir(dir.join("vendor")).unwrap() {
        let path = entry.unwrap().path();
        let chain = VendorSigner::apple_chain_for(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert_eq!(chain.len(), 3);
    }
}

#[test]
fn every_apple_ca_certificate_chains_to_an_embedded_root() {
    // Apple's published CA certificates, RSA and ECDSA: each intermediate is
    // accepted as an operator addition, which checks its path (signature,
    // CA constraints) to one of the three embedded roots; each root is
    // refused as an intermediate.
    let Some(dir) = dir() else { return };
    let mut intermediates = 0;
    for entry in std::fs::read_dir(dir.join("apple-ca")).unwrap() {
        let path = entry.unwrap().path();
        let pem = std::fs::read(&path).unwrap();
        let cert = x509_cert::Certificate::load_pem_chain(&pem)
            .unwrap()
            .remove(0);
        let tbs = cert.tbs_certificate();
        match TrustAnchors::apple().with_intermediates(&pem) {
            Ok(_) => intermediates += 1,
            Err(mdm_push_cert::AnchorError::NotAnIntermediate { .. }) => {
                assert_eq!(tbs.subject(), tbs.issuer(), "{path:?}");
            }
            Err(e) => panic!("{path:?}: {e}"),
        }
    }
    assert!(intermediates >= 11, "{intermediates}");
}
