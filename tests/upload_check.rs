//! The upload check on the test PKI, one scenario per documented failure.
//!
//! Time is pinned at 2025-12-28T12:00:00Z: push_a (the current certificate)
//! ends 2026-01-09 and is expiring soon; push_b (its renewal) began 2025-12-20.

use mdm_push_cert::{
    AnchorError, InputError, InvalidReason, ParseError, PushCertificate, RetryReason, TrustAnchors,
    TrustError, UploadCheck, UploadError,
};
use time::macros::datetime;

macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

fn anchors() -> TrustAnchors {
    TrustAnchors::from_pem(pki!("anchors.pem")).unwrap()
}

fn renewal_check() -> UploadCheck {
    let current = PushCertificate::parse(pki!("push_a.pem")).unwrap();
    UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(anchors())
        .expected_public_key(pki!("customer_b.spki.der"))
        .previous_certificate(&current)
}

#[test]
fn renewal_is_accepted_in_every_delivery_form() {
    for bytes in [
        pki!("push_b.pem"),
        pki!("push_b.der"),
        pki!("push_b_bom_crlf.pem"),
        pki!("push_b_chain.pem"),
    ] {
        let c = renewal_check().check(bytes).unwrap();
        assert_eq!(c.not_after(), datetime!(2026-12-19 23:59:59 UTC));
    }
}

#[test]
fn first_registration_needs_no_previous_certificate() {
    let c = UploadCheck::new(datetime!(2025-02-01 0:00 UTC))
        .trust_anchors(anchors())
        .expected_public_key(&spki_of(pki!("push_a.pem")))
        .check(pki!("push_a.pem"))
        .unwrap();
    assert_eq!(
        c.topic().suffix(),
        "External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f"
    );
}

fn spki_of(pem: &[u8]) -> Vec<u8> {
    PushCertificate::parse(pem).unwrap().spki_der().to_vec()
}

fn code(r: Result<PushCertificate, UploadError>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn certificate_from_an_old_request_is_a_key_mismatch() {
    let err = renewal_check().check(pki!("push_old_key.pem")).unwrap_err();
    match &err {
        UploadError::PublicKeyMismatch {
            expected_sha256,
            found_sha256,
        } => assert_ne!(expected_sha256, found_sha256),
        e => panic!("unexpected {e:?}"),
    }
}

#[test]
fn created_instead_of_renewed_is_a_topic_mismatch() {
    match renewal_check()
        .check(pki!("push_new_topic.pem"))
        .unwrap_err()
    {
        UploadError::TopicMismatch { previous, uploaded } => {
            assert!(previous.as_str().ends_with("2a3b4c5d6e7f"));
            assert!(uploaded.as_str().ends_with("1a0f9e8d7c6b"));
        }
        e => panic!("unexpected {e:?}"),
    }
}

#[test]
fn truncated_uploads_are_retried() {
    for bytes in [pki!("truncated_no_end.pem"), pki!("truncated.der")] {
        assert_eq!(
            renewal_check().check(bytes).unwrap_err(),
            UploadError::RetryLater {
                reason: RetryReason::Truncated
            }
        );
    }
}

#[test]
fn not_yet_valid_is_retried() {
    assert_eq!(
        renewal_check()
            .check(pki!("push_not_yet_valid.pem"))
            .unwrap_err(),
        UploadError::RetryLater {
            reason: RetryReason::NotYetValid {
                not_before: datetime!(2025-12-29 0:00 UTC)
            }
        }
    );
}

#[test]
fn expired_is_invalid() {
    assert_eq!(
        renewal_check().check(pki!("push_expired.pem")).unwrap_err(),
        UploadError::InvalidCertificate {
            reason: InvalidReason::Expired {
                not_after: datetime!(2024-12-31 23:59:59 UTC)
            }
        }
    );
}

#[test]
fn uploading_the_current_certificate_again_is_not_a_renewal() {
    let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(anchors())
        .previous_certificate(&PushCertificate::parse(pki!("push_b.pem")).unwrap());
    assert!(matches!(
        check.check(pki!("push_a.pem")).unwrap_err(),
        UploadError::InvalidCertificate {
            reason: InvalidReason::NotARenewal { .. }
        }
    ));
}

#[test]
fn forged_certificate_is_invalid() {
    assert!(matches!(
        renewal_check().check(pki!("push_forged.pem")).unwrap_err(),
        UploadError::InvalidCertificate {
            reason: InvalidReason::Untrusted(TrustError::BadSignature { .. })
        }
    ));
}

#[test]
fn test_pki_is_not_apple() {
    let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC));
    assert!(matches!(
        check.check(pki!("push_b.pem")).unwrap_err(),
        UploadError::InvalidCertificate {
            reason: InvalidReason::Untrusted(TrustError::UnknownIssuer { .. })
        }
    ));
}

#[test]
fn issuer_outside_its_validity_is_invalid() {
    // The stand-in AAI2 ends 2040-01-01; push_2050 is signed by it.
    let err = UploadCheck::new(datetime!(2050-01-01 0:00 UTC))
        .trust_anchors(anchors())
        .check(pki!("push_2050.pem"))
        .unwrap_err();
    assert!(matches!(
        err,
        UploadError::InvalidCertificate {
            reason: InvalidReason::Untrusted(TrustError::IssuerNotValid { .. })
        }
    ));
}

#[test]
fn wrong_files_are_invalid() {
    for (name, bytes) in [
        ("empty", pki!("empty.pem")),
        ("garbage", pki!("garbage.txt")),
        ("CA certificate", pki!("aai2.pem")),
        ("vendor certificate", pki!("vendor.pem")),
        ("CSR", pki!("csr_uploaded_by_mistake.pem")),
        ("EC key", pki!("push_ec.pem")),
        ("1024-bit key", pki!("push_rsa1024.pem")),
        ("no UID", pki!("push_no_uid.pem")),
        ("two UIDs", pki!("push_two_uids.pem")),
        ("wrong prefix", pki!("push_wrong_prefix.pem")),
        ("no push marker", pki!("push_no_marker.pem")),
        ("two push certificates", pki!("two_push.pem")),
    ] {
        assert_eq!(
            code(renewal_check().check(bytes)),
            "invalid_certificate",
            "{name}"
        );
    }
}

#[test]
fn the_order_of_checks_is_read_trust_key_topic_validity() {
    // Forged and from the old key: authenticity is judged first.
    let check = renewal_check();
    assert_eq!(
        code(check.check(pki!("push_forged.pem"))),
        "invalid_certificate"
    );
    // New topic and a key other than the expected one: the key is judged before the topic.
    let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(anchors())
        .expected_public_key(&spki_of(pki!("push_a.pem")))
        .previous_topic(&"com.apple.mgmt.External.other".parse().unwrap());
    assert_eq!(
        code(check.check(pki!("push_new_topic.pem"))),
        "public_key_mismatch"
    );
    // Expired with a new topic: the topic is judged before validity.
    let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(anchors())
        .previous_topic(&"com.apple.mgmt.External.other".parse().unwrap());
    assert_eq!(
        code(check.check(pki!("push_expired.pem"))),
        "topic_mismatch"
    );
}

#[test]
fn marker_requirement_can_be_relaxed() {
    let check = renewal_check().require_push_marker(false);
    assert!(check.check(pki!("push_no_marker.pem")).is_ok());
}

#[test]
fn expected_key_from_another_librarys_public_key() {
    // The `rsa` crate's key, handed over as SubjectPublicKeyInfo DER.
    use rsa::pkcs8::{DecodePublicKey as _, EncodePublicKey as _};
    let key = rsa::PublicKey::from_public_key_der(pki!("customer_b.spki.der")).unwrap();
    let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(anchors())
        .expected_public_key(key.to_public_key_der().unwrap().as_bytes());
    assert!(check.check(pki!("push_b.pem")).is_ok());
    assert_eq!(
        code(check.check(pki!("push_old_key.pem"))),
        "public_key_mismatch"
    );
}

#[test]
fn server_failures_wrap_into_retry_later() {
    let e = UploadError::retry_later("database unavailable");
    assert_eq!(e.code(), "retry_later");
    assert_eq!(e.detail(), "database unavailable");
}

#[test]
fn parse_errors_map_to_the_right_message() {
    assert_eq!(
        UploadError::from(ParseError::Input(InputError::Truncated)).code(),
        "retry_later"
    );
    assert_eq!(
        UploadError::from(ParseError::Input(InputError::Empty)).code(),
        "invalid_certificate"
    );
}

#[test]
fn intermediate_without_a_root_is_unknown() {
    // Anchors need a self-issued root.
    assert!(TrustAnchors::from_pem(pki!("aai2.pem")).is_err());
    // The stand-in AAI2 with a root that did not sign it (micromdm's
    // self-signed mock): the intermediate is vouched for by nobody, so it
    // never completes a path, and the push certificate's issuer is unknown.
    let mut pem = pki!("aai2.pem").to_vec();
    pem.extend_from_slice(include_bytes!(
        "fixtures/thirdparty/micromdm_testdata_pushcert.pem"
    ));
    let err = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(TrustAnchors::from_pem(&pem).unwrap())
        .check(pki!("push_b.pem"))
        .unwrap_err();
    assert!(
        matches!(
            err,
            UploadError::InvalidCertificate {
                reason: InvalidReason::Untrusted(TrustError::UnknownIssuer { .. })
            }
        ),
        "{err:?}"
    );
    // Offered by the operator as an addition, the same intermediate is refused.
    let root = include_bytes!("fixtures/thirdparty/micromdm_testdata_pushcert.pem");
    let err = TrustAnchors::from_pem(root)
        .unwrap()
        .with_intermediates(pki!("aai2.pem"))
        .unwrap_err();
    assert!(matches!(err, AnchorError::Unchained { .. }), "{err:?}");
}
