//! The stand-in Apple (feature `testing`): deterministic, shaped like Apple's
//! PKI, and judged by the crate's own checks as Apple's files are.
#![cfg(feature = "testing")]

use mdm_push_cert::testing::{StandInApple, VendorCertificateKind};
use mdm_push_cert::{
    CsrBuilder, InvalidReason, RetryReason, SignedRequest, SignedRequestError, UploadCheck,
    UploadError, VendorError, VendorSigner,
};
use sha2::Digest as _;
use time::macros::datetime;

// 2026-12-02T09:00:00Z
const NOW: time::OffsetDateTime = datetime!(2026-12-02 9:00 UTC);

fn sha256_hex(b: &[u8]) -> String {
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn same_seed_same_bytes() {
    let a = StandInApple::new(7);
    let b = StandInApple::new(7);
    let key = a.customer_key(1).unwrap();
    assert_eq!(
        key.to_pkcs8_der().unwrap(),
        b.customer_key(1).unwrap().to_pkcs8_der().unwrap()
    );
    let first = a.first_registration(&key, NOW).unwrap();
    assert_eq!(first.der(), b.first_registration(&key, NOW).unwrap().der());
    // Across processes, builds and backends too: the CAs' bytes for seed 7
    // are fixed. (If they change, every downstream fixture made from seed 7
    // changes.)
    let got = format!(
        "root {}\npush_ca {}\nwwdr {}\n",
        sha256_hex(a.root_der()),
        sha256_hex(a.push_ca_der()),
        sha256_hex(a.wwdr_der())
    );
    assert_eq!(got, include_str!("fixtures/standin/seed7.sha256"));
    let other = StandInApple::new(8);
    assert_ne!(a.root_der(), other.root_der());
    assert_ne!(
        first.topic(),
        other.first_registration(&key, NOW).unwrap().topic()
    );
}

#[test]
fn every_scenario_gets_its_verdict() {
    let apple = StandInApple::new(7);
    let key = apple.customer_key(1).unwrap();
    let other_key = apple.customer_key(2).unwrap();
    let current = apple.first_registration(&key, NOW).unwrap();
    // com.apple.mgmt.External.<version 4 UUID>, as Apple's topics are.
    let uuid = current
        .topic()
        .as_str()
        .strip_prefix("com.apple.mgmt.External.")
        .unwrap();
    let groups: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(groups[2].starts_with('4'), "{uuid}");
    assert!(
        matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
        "{uuid}"
    );
    assert!(
        uuid.bytes()
            .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    );
    assert_eq!(current.not_before(), NOW);
    assert_eq!(
        current.not_after(),
        NOW + time::Duration::days(365) - time::Duration::SECOND
    );
    assert!(current.has_push_marker());
    let check = UploadCheck::new(NOW)
        .trust_anchors(apple.anchors())
        .expected_public_key(other_key.spki_der())
        .previous_topic(current.topic());
    // Renewal with the renewal's key: accepted, same topic.
    let renewed = apple.renewal(&current, &other_key, NOW).unwrap();
    assert_eq!(renewed.topic(), current.topic());
    check.check(renewed.to_pem().as_bytes()).unwrap();
    // "Create" instead of "Renew": a new topic, refused.
    let created = apple
        .created_instead_of_renewed(&current, &other_key, NOW)
        .unwrap();
    assert_ne!(created.topic(), current.topic());
    assert!(matches!(
        check.check(created.der()),
        Err(UploadError::TopicMismatch { .. })
    ));
    // The old request's key: refused.
    let old_key = apple.renewal(&current, &key, NOW).unwrap();
    assert!(matches!(
        check.check(old_key.der()),
        Err(UploadError::PublicKeyMismatch { .. })
    ));
    // Expired and not yet valid.
    let expired = apple.expired(&other_key, NOW).unwrap();
    let first = UploadCheck::new(NOW).trust_anchors(apple.anchors());
    assert!(matches!(
        first.check(expired.der()),
        Err(UploadError::InvalidCertificate {
            reason: InvalidReason::Expired { .. }
        })
    ));
    let early = apple.not_yet_valid(&other_key, NOW).unwrap();
    assert!(matches!(
        first.check(early.der()),
        Err(UploadError::RetryLater {
            reason: RetryReason::NotYetValid { .. }
        })
    ));
    // Without the stand-in's anchors, nothing it issues is trusted.
    assert!(matches!(
        UploadCheck::new(NOW).check(renewed.der()),
        Err(UploadError::InvalidCertificate {
            reason: InvalidReason::Untrusted(_)
        })
    ));
}

#[test]
fn the_vendor_side() {
    let apple = StandInApple::new(7);
    let key = apple.customer_key(1).unwrap();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
    let csr = CsrBuilder::new()
        .common_name("Example School")
        .build(&key, &mut rng)
        .unwrap();
    let signer = apple.vendor_signer(NOW).unwrap();
    let signed = signer.sign(&csr, NOW, &mut rng).unwrap();
    let read = SignedRequest::parse(signed.to_base64().as_bytes()).unwrap();
    read.verify_with_anchors(&apple.anchors(), NOW).unwrap();
    // The portal's answer for that request.
    let cert = apple.first_registration(&csr, NOW).unwrap();
    assert_eq!(cert.spki_der(), key.spki_der());

    let expired = apple
        .vendor_certificate(VendorCertificateKind::Expired, NOW)
        .unwrap();
    let signer =
        VendorSigner::with_anchors(&expired, apple.vendor_key(), &apple.anchors()).unwrap();
    assert!(matches!(
        signer.sign(&csr, NOW, &mut rng),
        Err(VendorError::Expired { .. })
    ));
    let early = apple
        .vendor_certificate(VendorCertificateKind::NotYetValid, NOW)
        .unwrap();
    let signer = VendorSigner::with_anchors(&early, apple.vendor_key(), &apple.anchors()).unwrap();
    assert!(matches!(
        signer.sign(&csr, NOW, &mut rng),
        Err(VendorError::NotYetValid { .. })
    ));
    let plain = apple
        .vendor_certificate(VendorCertificateKind::WithoutMarker, NOW)
        .unwrap();
    assert!(matches!(
        VendorSigner::with_anchors(&plain, apple.vendor_key(), &apple.anchors()),
        Err(VendorError::NotVendorCertificate { .. })
    ));
    // A signedCSR made a year ago verifies then, not now.
    let old = apple
        .vendor_signer(NOW - time::Duration::days(400))
        .unwrap()
        .sign(&csr, NOW - time::Duration::days(399), &mut rng)
        .unwrap();
    assert!(matches!(
        old.verify_with_anchors(&apple.anchors(), NOW),
        Err(SignedRequestError::VendorExpired { .. })
    ));
}

/// `openssl verify` accepts what the stand-in issues, under its anchors
/// (skipped where openssl is not installed).
#[test]
fn openssl_agrees() {
    let apple = StandInApple::new(7);
    let key = apple.customer_key(1).unwrap();
    let now = NOW;
    let cert = apple.first_registration(&key, now).unwrap();
    let vendor = apple
        .vendor_certificate(VendorCertificateKind::Valid, now)
        .unwrap();
    let dir = std::env::temp_dir().join(format!("standin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = dir.join("root.pem");
    let inter = dir.join("inter.pem");
    std::fs::write(&root, pem(apple.root_der())).unwrap();
    std::fs::write(&inter, pem(apple.push_ca_der()) + &pem(apple.wwdr_der())).unwrap();
    for (name, der) in [("push", cert.der().to_vec()), ("vendor", vendor)] {
        let leaf = dir.join(format!("{name}.pem"));
        std::fs::write(&leaf, pem(&der)).unwrap();
        let out = match std::process::Command::new("openssl")
            .args(["verify", "-x509_strict", "-purpose", "sslclient", "-attime"])
            .arg(now.unix_timestamp().to_string())
            .arg("-CAfile")
            .arg(&root)
            .arg("-untrusted")
            .arg(&inter)
            .arg(&leaf)
            .output()
        {
            Ok(out) => out,
            Err(_) => return, // no openssl here
        };
        assert!(
            out.status.success(),
            "{name}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn pem(der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(line).unwrap());
        s.push('\n');
    }
    s + "-----END CERTIFICATE-----\n"
}

/// The `serde` feature: what an API returns, checked as JSON.
#[cfg(feature = "serde")]
#[test]
fn api_values_as_json() {
    use mdm_push_cert::{Lang, Topic};
    let apple = StandInApple::new(7);
    let key = apple.customer_key(1).unwrap();
    let cert = apple.first_registration(&key, NOW).unwrap();
    // Twenty days before the end: the pop-up flag, not the red one.
    let at = cert.not_after() - time::Duration::days(20);
    let summary = cert.summary(at);
    let json = serde_json::to_value(&summary).unwrap();
    let keys: std::collections::BTreeSet<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        std::collections::BTreeSet::from([
            "topic",
            "subject",
            "issuer",
            "serial",
            "sha256_fingerprint",
            "not_before",
            "not_after",
            "status",
            "days_remaining",
            "expired",
            "expiring_soon"
        ])
    );
    assert_eq!(json["topic"], cert.topic().as_str());
    assert_eq!(json["not_before"], "2026-12-02T09:00:00Z");
    assert_eq!(json["not_after"], "2027-12-02T08:59:59Z");
    assert_eq!(json["status"], "expiring_soon");
    assert_eq!(json["days_remaining"], 20);
    assert_eq!(json["expired"], false);
    assert_eq!(json["expiring_soon"], true);
    let back: mdm_push_cert::CertificateSummary = serde_json::from_value(json).unwrap();
    assert_eq!(back, summary);
    // After the end: red.
    let red =
        serde_json::to_value(cert.summary(cert.not_after() + time::Duration::days(2))).unwrap();
    assert_eq!(
        (red["expired"].as_bool(), red["days_remaining"].as_i64()),
        (Some(true), Some(-3))
    );
    // Expiry alone.
    assert_eq!(
        serde_json::to_string(&cert.expiry(at)).unwrap(),
        r#"{"status":"expiring_soon","days_remaining":20,"seconds":1728000,"usable":true}"#
    );
    // Topic: a string both ways, validated when read.
    assert_eq!(
        serde_json::to_string(cert.topic()).unwrap(),
        format!("\"{}\"", cert.topic())
    );
    assert!(serde_json::from_str::<Topic>("\"com.apple.mgmt.External.x\"").is_ok());
    assert!(serde_json::from_str::<Topic>("\"com.example.x\"").is_err());
    assert_eq!(serde_json::from_str::<Lang>("\"ja-JP\"").unwrap(), Lang::Ja);
    assert_eq!(serde_json::to_string(&Lang::Ja).unwrap(), "\"ja\"");
    assert!(serde_json::from_str::<Lang>("\"fr\"").is_err());
    // An upload error as the API body, in the header's language.
    let check = UploadCheck::new(NOW)
        .trust_anchors(apple.anchors())
        .previous_certificate(&cert);
    let other = apple.customer_key(2).unwrap();
    let created = apple
        .created_instead_of_renewed(&cert, &other, NOW)
        .unwrap();
    let err = check.check(created.der()).unwrap_err();
    let body = serde_json::to_value(
        err.to_response(Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8")),
    )
    .unwrap();
    assert_eq!(body["code"], "topic_mismatch");
    assert_eq!(
        body["message"],
        "前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains(created.topic().as_str())
    );
    assert_eq!(body.as_object().unwrap().len(), 4);
}
