//! The request side: keys, the customer's CSR, vendor signing and the
//! signedCSR file, cross-checked with files the openssl command line made.
//!
//! Time is pinned at 2025-12-28T12:00:00Z, inside the test vendor
//! certificate's validity (2025-06-01 – 2026-06-01).

use mdm_push_cert::{
    CsrBuilder, CsrError, DigestAlgorithm, KeyError, PrivateKey, PushCsr, SignedRequest,
    SignedRequestError, TrustAnchors, UploadCheck, VendorError, VendorSigner,
};
use rand::SeedableRng as _;

#[path = "support/altered.rs"]
mod altered;
use altered::verify_altered;
use time::macros::datetime;

macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

const NOW: time::OffsetDateTime = datetime!(2025-12-28 12:00 UTC);

fn rng() -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(42)
}

/// The test PKI's WWDR-like CA and root, as anchors for signedCSR files.
fn vendor_anchors() -> TrustAnchors {
    TrustAnchors::from_pem(pki!("vendor_intermediates.pem")).unwrap()
}

fn vendor() -> VendorSigner {
    let key = PrivateKey::parse(pki!("vendor.key")).unwrap();
    VendorSigner::with_chain(pki!("vendor.pem"), &key, pki!("vendor_intermediates.pem")).unwrap()
}

#[test]
fn keys_in_every_encoding() {
    let pkcs8 = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let pkcs1 = PrivateKey::parse(pki!("customer_b.pkcs1.key")).unwrap();
    assert_eq!(pkcs8.spki_der(), pki!("customer_b.spki.der"));
    assert_eq!(pkcs1.spki_der(), pki!("customer_b.spki.der"));
    assert_eq!(pkcs8.key_bits(), 2048);
    let again = PrivateKey::parse(pkcs8.to_pkcs1_pem().unwrap().as_bytes()).unwrap();
    assert_eq!(again.spki_der(), pkcs8.spki_der());
    let again = PrivateKey::parse(pkcs1.to_pkcs8_pem().unwrap().as_bytes()).unwrap();
    assert_eq!(again.spki_der(), pkcs8.spki_der());
    assert_eq!(
        PrivateKey::parse(pki!("customer_b.encrypted.key")).unwrap_err(),
        KeyError::Encrypted
    );
    assert_eq!(
        PrivateKey::parse(pki!("push_b.pem")).unwrap_err(),
        KeyError::NoKey
    );
    assert_eq!(
        PrivateKey::parse(b"\x30\x03\x02\x01\x00").unwrap_err(),
        KeyError::Malformed
    );
    // The encrypted key as DER is recognised too.
    let der = {
        let text = std::str::from_utf8(pki!("customer_b.encrypted.key")).unwrap();
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    };
    assert_eq!(PrivateKey::parse(&der).unwrap_err(), KeyError::Encrypted);
    let legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
    assert_eq!(
        PrivateKey::parse(legacy.as_bytes()).unwrap_err(),
        KeyError::Encrypted
    );
}

#[test]
fn private_keys_never_show_in_debug() {
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let debug = format!("{key:?}");
    assert!(
        debug.starts_with("PrivateKey { key_bits: 2048, public_key_sha256:"),
        "{debug}"
    );
    let pem = key.to_pkcs8_pem().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    for chunk in body.as_bytes().chunks(16) {
        assert!(!debug.contains(std::str::from_utf8(chunk).unwrap()));
    }
    let signer = format!("{:?}", vendor());
    assert!(signer.starts_with("VendorSigner { subject:"), "{signer}");
    assert!(!signer.contains("PrivateKey"), "{signer}");
}

#[test]
fn generated_keys_are_at_least_2048_bits() {
    assert_eq!(
        PrivateKey::generate(&mut rng(), 1024).unwrap_err(),
        KeyError::TooSmall { bits: 1024 }
    );
}

#[test]
fn openssl_requests_parse_and_verify() {
    let pem = PushCsr::parse(pki!("customer_b.csr")).unwrap();
    let der = PushCsr::from_der(pki!("customer_b.csr.der")).unwrap();
    assert_eq!(pem, der);
    assert_eq!(pem.spki_der(), pki!("customer_b.spki.der"));
    assert_eq!(pem.key_bits(), 2048);
    assert_eq!(pem.signature_digest(), DigestAlgorithm::Sha256);
    assert_eq!(pem.subject(), "C=JP,O=Example Customer,CN=Customer b");
    assert_eq!(PushCsr::parse(pem.to_pem().as_bytes()).unwrap(), pem);
}

#[test]
fn altered_requests_are_refused() {
    let der = pki!("customer_b.csr.der");
    // Last byte: inside the signature.
    let mut bad = der.to_vec();
    *bad.last_mut().unwrap() ^= 1;
    assert_eq!(PushCsr::from_der(&bad).unwrap_err(), CsrError::BadSignature);
    // A letter of the subject's common name.
    let mut bad = der.to_vec();
    let at = bad.windows(8).position(|w| w == b"Customer").unwrap();
    bad[at] ^= 0x20;
    assert_eq!(PushCsr::from_der(&bad).unwrap_err(), CsrError::BadSignature);
    assert!(matches!(
        PushCsr::from_der(&der[..300]).unwrap_err(),
        CsrError::Input(_)
    ));
    assert!(matches!(
        PushCsr::parse(pki!("push_b.pem")).unwrap_err(),
        CsrError::Input(_)
    ));
}

#[test]
fn built_request_is_what_openssl_verified() {
    // tests/fixtures/make_fixtures.sh ran `openssl req -verify` on the bytes
    // this builder produced for this key and subject.
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let csr = CsrBuilder::new()
        .common_name("Example School")
        .organization("Example School Board")
        .country("JP")
        .email_address("admin@example.org")
        .build(&key, &mut rng())
        .unwrap();
    assert_eq!(csr.to_pem().as_bytes(), pki!("built_by_crate.csr"));
    assert_eq!(csr.der(), pki!("built_by_crate.csr.der"));
    assert!(
        std::str::from_utf8(pki!("built_by_crate.csr.openssl-verify.txt"))
            .unwrap()
            .starts_with("Certificate request self-signature verify OK")
    );
    assert_eq!(csr.spki_der(), key.spki_der());
    // RFC 4514 order, exactly as `openssl req -subject -nameopt RFC2253` printed it.
    let openssl = std::str::from_utf8(pki!("built_by_crate.csr.openssl-verify.txt")).unwrap();
    let line = openssl
        .lines()
        .find_map(|l| l.strip_prefix("subject="))
        .unwrap();
    assert_eq!(csr.subject(), line);
    assert_eq!(
        line,
        "emailAddress=admin@example.org,CN=Example School,O=Example School Board,C=JP"
    );
}

#[test]
fn builder_defaults_and_bad_fields() {
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let csr = CsrBuilder::new().build(&key, &mut rng()).unwrap();
    assert_eq!(csr.subject(), "CN=MDM Push Certificate,C=US");
    for (b, field) in [
        (CsrBuilder::new().country("jpn"), "country"),
        (CsrBuilder::new().common_name(""), "common name"),
        (
            CsrBuilder::new().organization("x".repeat(65)),
            "organization",
        ),
        (
            CsrBuilder::new().email_address("no-at-sign"),
            "email address",
        ),
    ] {
        match b.build(&key, &mut rng()).unwrap_err() {
            CsrError::InvalidSubject { field: f, .. } => assert_eq!(f, field),
            e => panic!("unexpected {e:?}"),
        }
    }
}

/// RFC 5280's bounds count characters: a 23-character Japanese school name
/// (69 bytes of UTF-8) is accepted, 64 characters are, 65 are not; openssl
/// reads back the same name.
#[test]
fn subject_bounds_count_characters() {
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let name = "東京都立多摩川第一高等学校情報管理課端末管理室"; // 23 characters
    assert_eq!((name.chars().count(), name.len()), (23, 69));
    let csr = CsrBuilder::new()
        .common_name(name)
        .organization("学".repeat(mdm_push_cert::MAX_ORGANIZATION_CHARS))
        .build(&key, &mut rng())
        .unwrap();
    assert!(csr.subject().contains(name), "{}", csr.subject());
    let long = "学".repeat(mdm_push_cert::MAX_COMMON_NAME_CHARS + 1);
    let err = CsrBuilder::new().common_name(long).check().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the subject field common name is not acceptable: must hold 1 to 64 characters, not 65"
    );
    assert!(CsrBuilder::new().common_name("a\u{7}b").check().is_err());
    let email = format!(
        "{}@example.org",
        "a".repeat(mdm_push_cert::MAX_EMAIL_ADDRESS_CHARS - 12)
    );
    assert_eq!(email.len(), mdm_push_cert::MAX_EMAIL_ADDRESS_CHARS);
    CsrBuilder::new()
        .email_address(email.clone())
        .check()
        .unwrap();
    assert!(
        CsrBuilder::new()
            .email_address(email + "x")
            .check()
            .is_err()
    );
    // openssl reads the request and its UTF-8 name back.
    let dir = std::env::temp_dir().join(format!("csr-chars-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("req.pem");
    std::fs::write(&path, csr.to_pem()).unwrap();
    let Ok(out) = std::process::Command::new("openssl")
        .args([
            "req", "-noout", "-verify", "-subject", "-nameopt", "utf8", "-in",
        ])
        .arg(&path)
        .output()
    else {
        return; // no openssl here
    };
    std::fs::remove_dir_all(&dir).ok();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(name), "{text}");
}

#[test]
fn vendor_signature_equals_openssl_dgst() {
    let csr = PushCsr::from_der(pki!("customer_b.csr.der")).unwrap();
    let signed = vendor().sign(&csr, NOW, &mut rng()).unwrap();
    // `openssl dgst -sha256 -sign vendor.key customer_b.csr.der`
    assert_eq!(signed.signature(), pki!("customer_b.csr.sha256.sig"));
    let built = PushCsr::from_der(pki!("built_by_crate.csr.der")).unwrap();
    assert_eq!(
        vendor().sign(&built, NOW, &mut rng()).unwrap().signature(),
        pki!("built_by_crate.csr.sha256.sig")
    );
}

#[test]
fn vendor_signer_refusals() {
    let vendor_key = PrivateKey::parse(pki!("vendor.key")).unwrap();
    let customer_key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let chain = pki!("vendor_intermediates.pem");
    assert_eq!(
        VendorSigner::with_chain(pki!("vendor.pem"), &customer_key, chain).unwrap_err(),
        VendorError::KeyMismatch
    );
    assert!(matches!(
        VendorSigner::with_chain(pki!("vendor_no_marker.pem"), &vendor_key, chain).unwrap_err(),
        VendorError::NotVendorCertificate { .. }
    ));
    assert!(matches!(
        VendorSigner::with_chain(pki!("push_b.pem"), &vendor_key, chain).unwrap_err(),
        VendorError::NotVendorCertificate { .. }
    ));
    // Validity is judged at each signature, not when the signer is made:
    // an expired vendor certificate makes a signer that refuses to sign.
    let csr = PushCsr::from_der(pki!("customer_b.csr.der")).unwrap();
    let expired = VendorSigner::with_chain(pki!("vendor_expired.pem"), &vendor_key, chain).unwrap();
    assert_eq!(
        expired.sign(&csr, NOW, &mut rng()).unwrap_err(),
        VendorError::Expired {
            not_after: datetime!(2024-06-01 0:00 UTC)
        }
    );
    assert_eq!(
        expired.check_validity(datetime!(2024-06-01 0:00 UTC)),
        Ok(())
    );
    // One signer, long-lived: too early, inside, at the last second, after.
    let signer = vendor();
    assert_eq!(
        signer
            .sign(&csr, datetime!(2025-01-01 0:00 UTC), &mut rng())
            .unwrap_err(),
        VendorError::NotYetValid {
            not_before: datetime!(2025-06-01 0:00 UTC)
        }
    );
    signer.sign(&csr, NOW, &mut rng()).unwrap();
    signer.sign(&csr, signer.not_after(), &mut rng()).unwrap();
    assert_eq!(
        signer
            .sign(
                &csr,
                signer.not_after() + time::Duration::SECOND,
                &mut rng()
            )
            .unwrap_err(),
        VendorError::Expired {
            not_after: signer.not_after()
        }
    );
    // The test WWDR CA is not Apple's: without an explicit chain it is unknown.
    assert!(matches!(
        VendorSigner::new(pki!("vendor.pem"), &vendor_key).unwrap_err(),
        VendorError::UnknownIssuer { .. }
    ));
    // A 1024-bit request is refused, and so is a forged one.
    let forged = {
        let mut der = pki!("customer_b.csr.der").to_vec();
        *der.last_mut().unwrap() ^= 1;
        der
    };
    assert_eq!(
        vendor()
            .sign_csr_bytes(&forged, NOW, &mut rng())
            .unwrap_err(),
        VendorError::Csr(CsrError::BadSignature)
    );
}

#[test]
fn round_trip_build_sign_write_read_verify() {
    let key = PrivateKey::parse(pki!("customer_a.key")).unwrap();
    let csr = CsrBuilder::new().build(&key, &mut rng()).unwrap();
    let signed = vendor().sign(&csr, NOW, &mut rng()).unwrap();
    let xml = signed.to_xml();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">"), "{xml}");
    for key in [
        "<key>PushCertRequestCSR</key>",
        "<key>PushCertCertificateChain</key>",
        "<key>PushCertSignature</key>",
    ] {
        assert_eq!(xml.matches(key).count(), 1, "{key}");
    }
    assert_eq!(xml.matches("<key>").count(), 3);
    // Every PEM line of the chain is at most 64 characters.
    assert!(signed.chain_pem().lines().all(|l| l.len() <= 64));
    assert_eq!(signed.chain_der().len(), 3);

    let upload = signed.to_base64();
    let read = SignedRequest::parse(upload.as_bytes()).unwrap();
    assert_eq!(read, signed);
    assert_eq!(SignedRequest::parse(xml.as_bytes()).unwrap(), signed);
    // Wrapped at 76 columns with CRLF, as other tools write it.
    let wrapped: String = upload
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert_eq!(SignedRequest::parse(wrapped.as_bytes()).unwrap(), signed);

    let v = read.verify_with_anchors(&vendor_anchors(), NOW).unwrap();
    assert_eq!(v.digest, DigestAlgorithm::Sha256);
    assert_eq!(v.csr, csr);
    assert_eq!(v.chain_subjects.len(), 3);
    assert!(v.chain_subjects[0].contains("CN=MDM Vendor: Example Vendor"));
    assert!(v.chain_subjects[2].contains("CN=Test Root CA"));

    // The request's key is what the upload check expects.
    let check = UploadCheck::new(NOW).expected_csr(&v.csr);
    let _ = check;
}

#[test]
fn sha1_signatures_from_before_2021_verify() {
    let csr_der = pki!("customer_b.csr.der").to_vec();
    let chain = vendor().chain_der().to_vec();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>\
         <key>PushCertRequestCSR</key><string>{}</string>\
         <key>PushCertCertificateChain</key><string>{}</string>\
         <key>PushCertSignature</key><string>{}</string></dict></plist>",
        b64(&csr_der),
        chain.iter().map(|d| pem(d)).collect::<String>(),
        b64(pki!("customer_b.csr.sha1.sig")),
    );
    let v = SignedRequest::parse(xml.as_bytes())
        .unwrap()
        .verify_with_anchors(&vendor_anchors(), NOW)
        .unwrap();
    assert_eq!(v.digest, DigestAlgorithm::Sha1);
}

fn b64(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn pem(der: &[u8]) -> String {
    let body = b64(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[test]
fn altered_signed_requests_fail_with_the_right_error() {
    let csr = PushCsr::from_der(pki!("customer_b.csr.der")).unwrap();
    let signed = vendor().sign(&csr, NOW, &mut rng()).unwrap();
    // Flip one byte of the signature.
    let mut sig = signed.signature().to_vec();
    sig[10] ^= 1;
    assert_eq!(
        verify_altered(&signed, signed.csr_der().to_vec(), sig),
        SignedRequestError::SignatureMismatch
    );
    // Flip one byte inside the request.
    let mut der = signed.csr_der().to_vec();
    let at = der.windows(8).position(|w| w == b"Customer").unwrap();
    der[at] ^= 0x20;
    assert_eq!(
        verify_altered(&signed, der, signed.signature().to_vec()),
        SignedRequestError::Csr(CsrError::BadSignature)
    );
    // Structural damage.
    assert_eq!(
        SignedRequest::parse(b"not base64 !!").unwrap_err(),
        SignedRequestError::Base64
    );
    assert_eq!(
        SignedRequest::parse(b64(b"<plist version=\"1.0\"><string>x</string></plist>").as_bytes())
            .unwrap_err(),
        SignedRequestError::NotPlist
    );
    let other = signed.to_xml().replace("PushCertSignature", "Other");
    assert_eq!(
        SignedRequest::parse(other.as_bytes()).unwrap_err(),
        SignedRequestError::UnexpectedKey {
            key: "Other".into()
        }
    );
    let xml = signed.to_xml();
    let start = xml.find("<key>PushCertSignature").unwrap();
    let end = xml[start..].find("</string>").unwrap() + start + "</string>".len();
    let missing = format!("{}{}", &xml[..start], &xml[end..]);
    assert_eq!(
        SignedRequest::parse(missing.as_bytes()).unwrap_err(),
        SignedRequestError::MissingKey {
            key: "PushCertSignature"
        }
    );
}

#[test]
fn chains_longer_than_the_limit_are_refused() {
    use mdm_push_cert::MAX_CHAIN_LEN;
    let csr = PushCsr::from_der(pki!("customer_b.csr.der")).unwrap();
    let signed = vendor().sign(&csr, NOW, &mut rng()).unwrap();
    let mut chain = signed.chain_der().to_vec();
    while chain.len() <= MAX_CHAIN_LEN {
        chain.push(chain[0].clone());
    }
    let long = SignedRequest::from_parts(
        signed.csr_der().to_vec(),
        chain,
        signed.signature().to_vec(),
    );
    let want = SignedRequestError::ChainTooLong {
        len: MAX_CHAIN_LEN + 1,
        max: MAX_CHAIN_LEN,
    };
    assert_eq!(long.verify(NOW).unwrap_err(), want);
    assert_eq!(long.verify_signatures_only().unwrap_err(), want);
    assert_eq!(
        SignedRequest::parse(long.to_base64().as_bytes()).unwrap_err(),
        want
    );
}
