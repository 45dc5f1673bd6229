//! A rehearsal of Apple's next CA rotation on a stand-in "next" Apple
//! (`tests/fixtures/make_rotation.sh`, openssl): a P-384 root, a P-256
//! Application Integration CA named like a future one, a push certificate
//! with the customer's RSA key under it; a P-384 WWDR CA and a vendor
//! certificate under that. The stand-in root plays an embedded root.
//!
//! Time is pinned at 2027-07-01T00:00:00Z, inside the push and vendor
//! certificates' validity.

use mdm_push_cert::{
    AnchorError, InvalidReason, PrivateKey, PushCertificate, PushCsr, SignedRequest,
    SignedRequestError, TrustAnchors, TrustError, UploadCheck, UploadError, VendorError,
    VendorSigner,
};
use time::macros::datetime;

macro_rules! rot {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/rotation/", $name)).as_slice()
    };
}
macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

const NOW: time::OffsetDateTime = datetime!(2027-07-01 0:00 UTC);
const NEXT_AAI: &str = "CN=Test Application Integration CA 8 - G1";

/// The "embedded" root alone: what a server has before it knows the new intermediate.
fn root_only() -> TrustAnchors {
    TrustAnchors::from_pem(rot!("next_root.pem")).unwrap()
}

fn check(anchors: TrustAnchors) -> UploadCheck {
    UploadCheck::new(NOW)
        .trust_anchors(anchors)
        .expected_public_key(pki!("customer_b.spki.der"))
}

#[test]
fn an_unknown_intermediate_is_named_with_what_to_do() {
    let err = check(root_only()).check(rot!("push_next.pem")).unwrap_err();
    // The customer sees the documented invalid-certificate message...
    assert_eq!(err.code(), "invalid_certificate");
    let UploadError::InvalidCertificate {
        reason: InvalidReason::Untrusted(TrustError::UnknownIssuer { issuer, key_id }),
    } = &err
    else {
        panic!("{err:?}")
    };
    // ...the operator's log names the issuer, its key identifier and the fix.
    assert!(issuer.contains(NEXT_AAI), "{issuer}");
    let aki = key_id.as_deref().expect("the push certificate has an AKI");
    assert_eq!(aki.len(), 20 * 2, "{aki}");
    assert!(
        aki.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{aki}"
    );
    let detail = err.detail();
    for words in [
        NEXT_AAI,
        aki,
        "with_intermediates",
        "--intermediates",
        "same file",
    ] {
        assert!(detail.contains(words), "{words}: {detail}");
    }
}

#[test]
fn the_intermediate_in_the_upload_completes_the_path() {
    let cert = check(root_only())
        .check(rot!("push_next_with_intermediate.pem"))
        .unwrap();
    assert_eq!(cert.carried().len(), 1);
    let path = root_only().path_to(&cert, NOW).unwrap();
    assert_eq!(path.len(), 2);
    assert!(path[0].contains("CN=Test Root CA - G4"));
    assert!(path[1].contains(NEXT_AAI));
}

#[test]
fn the_operator_adds_the_intermediate() {
    let anchors = root_only()
        .with_intermediates(rot!("next_aai.pem"))
        .unwrap();
    let cert = check(anchors.clone()).check(rot!("push_next.pem")).unwrap();
    assert_eq!(anchors.path_to(&cert, NOW).unwrap().len(), 2);
    // Before the intermediate's validity (2026-01-01), the path is refused.
    let early = UploadCheck::new(datetime!(2025-06-01 0:00 UTC)).trust_anchors(anchors);
    let parsed = PushCertificate::parse(rot!("push_next.pem")).unwrap();
    assert!(matches!(
        root_only()
            .with_intermediates(rot!("next_aai.pem"))
            .unwrap()
            .verify(&parsed, datetime!(2025-06-01 0:00 UTC)),
        Err(TrustError::IssuerNotValid { .. })
    ));
    assert_eq!(
        early.check(rot!("push_next.pem")).unwrap_err().code(),
        "invalid_certificate"
    );
}

#[test]
fn the_operator_cannot_add_what_does_not_chain_or_is_not_a_ca() {
    // Named like the next AAI, but under another root.
    assert!(matches!(
        root_only()
            .with_intermediates(rot!("rogue_aai.pem"))
            .unwrap_err(),
        AnchorError::Unchained { .. }
    ));
    // Signed by the right root, but not a CA.
    assert!(matches!(
        root_only()
            .with_intermediates(rot!("not_ca_intermediate.pem"))
            .unwrap_err(),
        AnchorError::NotCa { .. }
    ));
    // A root is never added as an intermediate.
    assert!(matches!(
        root_only()
            .with_intermediates(rot!("next_root.pem"))
            .unwrap_err(),
        AnchorError::NotAnIntermediate { .. }
    ));
    // Nothing is added when one of several is refused.
    let mut both = rot!("next_aai.pem").to_vec();
    both.extend_from_slice(rot!("rogue_aai.pem"));
    assert!(root_only().with_intermediates(&both).is_err());
}

#[test]
fn nothing_in_an_upload_is_trusted_on_its_own() {
    // A rogue CA with the next AAI's name, carried in the upload: it does
    // not chain to the root, so the certificate is refused.
    for anchors in [
        root_only(),
        root_only()
            .with_intermediates(rot!("next_aai.pem"))
            .unwrap(),
    ] {
        let err = check(anchors)
            .check(rot!("push_rogue_with_intermediate.pem"))
            .unwrap_err();
        assert!(
            matches!(
                &err,
                UploadError::InvalidCertificate {
                    reason: InvalidReason::Untrusted(
                        TrustError::UnknownIssuer { .. } | TrustError::BadSignature { .. }
                    )
                }
            ),
            "{err:?}"
        );
    }
    // The rogue certificate against the real intermediate: a forgery.
    let anchors = root_only()
        .with_intermediates(rot!("next_aai.pem"))
        .unwrap();
    let err = check(anchors).check(rot!("push_rogue.pem")).unwrap_err();
    assert!(
        matches!(
            err,
            UploadError::InvalidCertificate {
                reason: InvalidReason::Untrusted(TrustError::BadSignature { .. })
            }
        ),
        "{err:?}"
    );
}

#[test]
fn an_ecdsa_signature_altered_by_one_bit_is_refused() {
    let anchors = root_only()
        .with_intermediates(rot!("next_aai.pem"))
        .unwrap();
    let good = PushCertificate::parse(rot!("push_next.pem")).unwrap();
    let der = good.der().to_vec();
    // The signature is the certificate's last bytes (inside a DER SEQUENCE
    // of two INTEGERs): flip a bit of `s`.
    let mut bad = der.clone();
    let last = bad.len() - 2;
    bad[last] ^= 0x01;
    let bad = PushCertificate::from_der(&bad).unwrap();
    assert!(anchors.verify(&good, NOW).is_ok());
    assert!(matches!(
        anchors.verify(&bad, NOW),
        Err(TrustError::BadSignature { .. })
    ));
}

#[test]
fn the_vendor_side_under_an_ecdsa_wwdr() {
    let key = PrivateKey::parse(pki!("vendor.key")).unwrap();
    // Unknown WWDR generation: named, with what to do.
    let err = VendorSigner::with_anchors(rot!("vendor_next.pem"), &key, &root_only()).unwrap_err();
    let VendorError::UnknownIssuer { issuer, key_id } = &err else {
        panic!("{err:?}")
    };
    assert!(issuer.contains("OU=G7"), "{issuer}");
    assert!(key_id.is_some());
    assert!(err.to_string().contains("--intermediates"), "{err}");
    // Added by the operator: the signer completes the chain through it.
    let anchors = root_only()
        .with_intermediates(rot!("next_wwdr.pem"))
        .unwrap();
    let signer = VendorSigner::with_anchors(rot!("vendor_next.pem"), &key, &anchors).unwrap();
    assert_eq!(signer.chain_der().len(), 3);
    let csr = PushCsr::from_der(pki!("customer_b.csr.der")).unwrap();
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7);
    let signed = signer.sign(&csr, NOW, &mut rng).unwrap();
    // The file carries the WWDR CA, so a verifier that only has the root
    // still builds the path through it.
    let file = SignedRequest::parse(signed.to_base64().as_bytes()).unwrap();
    file.verify_with_anchors(&root_only(), NOW).unwrap();
    file.verify_with_anchors(&anchors, NOW).unwrap();
    // Without the WWDR CA in the file and without the operator's addition:
    // unknown, named.
    let bare = SignedRequest::from_parts(
        signed.csr_der().to_vec(),
        signed.chain_der()[..1].to_vec(),
        signed.signature().to_vec(),
    );
    assert!(matches!(
        bare.verify_with_anchors(&root_only(), NOW),
        Err(SignedRequestError::Untrusted(
            TrustError::UnknownIssuer { .. }
        ))
    ));
    bare.verify_with_anchors(&anchors, NOW).unwrap();
}

#[test]
fn the_worst_upload_stops_at_the_search_bounds() {
    // 15 look-alike CAs, each carrying the next AAI's name and each signed
    // by the next: every level of the search meets 15 candidates. The search
    // stops at its signature budget and the upload is refused; the time this
    // takes is the LIMITS benchmark "path search: 15 look-alike CAs".
    let bytes = rot!("push_lookalikes.pem");
    let cert = PushCertificate::parse(bytes).unwrap();
    assert_eq!(cert.carried().len(), 15);
    for anchors in [
        root_only(),
        root_only()
            .with_intermediates(rot!("next_aai.pem"))
            .unwrap(),
    ] {
        let err = anchors.verify(&cert, NOW).unwrap_err();
        assert!(
            matches!(
                err,
                TrustError::TooManyCandidates
                    | TrustError::UnknownIssuer { .. }
                    | TrustError::BadSignature { .. }
            ),
            "{err:?}"
        );
    }
}
