//! Real public files, read in place from the folder named by
//! `MDM_PUSH_CERT_REALWORLD` (`.ci/run` points it at the shared realworld
//! folder). Most of them come from repositories without a licence, so they are
//! not copied into this project. Without the variable the tests say so and
//! pass, except under CI (`CI` set), where its absence is a failure.

use std::path::PathBuf;

use mdm_push_cert::{ParseError, PushCertificate, TrustAnchors, UploadCheck};
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
        assert_eq!(c.sha256_fingerprint_hex(), e.sha256, "{}", e.file);
        assert!(c.has_push_marker(), "{}", e.file);
        assert_eq!(c.rsa_key_bits(), 2048, "{}", e.file);
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
        ParseError::NoCertificate
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
            ParseError::NoCertificate
        );
    }
}
