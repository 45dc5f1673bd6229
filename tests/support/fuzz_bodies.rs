//! The bodies of the fuzz targets, shared by `fuzz/fuzz_targets/*.rs` and by
//! the stable replay test `tests/fuzz_replay.rs`, so both run the same code.
//! They live in the package's tests so that the package tests itself; the
//! fuzz workspace (not published) includes them from here.
//! Each body must never panic except where an invariant is broken.

use der::{Decode as _, Encode as _};
use mdm_push_cert::{
    Lang, PushCertificate, PushCsr, SignedRequest, Topic, TrustAnchors, UploadCheck,
};
use time::macros::datetime;

/// The reader's contract: a certificate it accepts is DER that x509-cert
/// decodes and re-encodes byte for byte, except that an extension identifier
/// const-oid cannot hold (an arc of 2^32 or more, over 39 octets) is read by
/// the crate, which compares identifiers as bytes, and not by x509-cert.
pub(crate) fn assert_der_round_trip(der: &[u8]) {
    match x509_cert::Certificate::from_der(der) {
        Ok(decoded) => assert_eq!(decoded.to_der().expect("re-encodes"), der, "DER round trip"),
        Err(e) => assert!(
            matches!(e.kind(), der::ErrorKind::OidMalformed),
            "accepted DER that x509-cert refuses: {e}"
        ),
    }
}

/// Reading a push certificate; a certificate that parses re-encodes to the
/// same DER and reads back equal from its DER and its PEM.
pub(crate) fn push_certificate(data: &[u8]) {
    if let Ok(cert) = PushCertificate::parse(data) {
        assert_der_round_trip(cert.der());
        assert_eq!(PushCertificate::from_der(cert.der()).as_ref(), Ok(&cert));
        assert_eq!(
            PushCertificate::parse(cert.to_pem().as_bytes()).as_ref(),
            Ok(&cert)
        );
        assert!(cert.topic().as_str().starts_with("com.apple.mgmt."));
        assert!(cert.key_bits() >= 2048);
        let now = datetime!(2026-01-01 0:00 UTC);
        let window = mdm_push_cert::EXPIRY_WARNING_WINDOW;
        assert_eq!(
            mdm_push_cert::Expiry::of_certificate_der(cert.der(), now, window),
            Ok(cert.expiry(now))
        );
    }
    let _ = mdm_push_cert::Expiry::of_certificate_der(
        data,
        datetime!(2026-01-01 0:00 UTC),
        mdm_push_cert::EXPIRY_WARNING_WINDOW,
    );
}

/// The whole upload check with fixed expectations: an error always has a
/// code, both messages and both remedies; an accepted certificate has the
/// expected topic.
pub(crate) fn upload_check(data: &[u8]) {
    static ANCHORS: std::sync::OnceLock<TrustAnchors> = std::sync::OnceLock::new();
    let anchors = ANCHORS
        .get_or_init(|| {
            TrustAnchors::from_pem(include_bytes!("../fixtures/pki/anchors.pem"))
                .expect("fixture anchors")
        })
        .clone();
    let previous: Topic = "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f"
        .parse()
        .expect("fixture topic");
    let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
        .trust_anchors(anchors)
        .expected_public_key(include_bytes!("../fixtures/pki/customer_b.spki.der"))
        .previous_topic(&previous);
    match check.check(data) {
        Ok(cert) => assert_eq!(cert.topic(), &previous),
        Err(e) => {
            assert!(!e.code().is_empty());
            for lang in [Lang::Ja, Lang::En] {
                assert!(!e.message(lang).is_empty());
                assert!(!e.remedy(lang).is_empty());
            }
            assert!(!e.to_string().is_empty());
            let _ = e.detail();
        }
    }
    // The same bytes against Apple's anchors must not panic either, nor
    // against the rotation rehearsal's P-384 root alone, where a path can
    // only be built through ECDSA intermediates the upload carries: an
    // accepted certificate there always has its path.
    let _ = UploadCheck::new(datetime!(2025-12-28 12:00 UTC)).check(data);
    static NEXT_ROOT: std::sync::OnceLock<TrustAnchors> = std::sync::OnceLock::new();
    let next_root = NEXT_ROOT
        .get_or_init(|| {
            TrustAnchors::from_pem(include_bytes!("../fixtures/rotation/next_root.pem"))
                .expect("fixture root")
        })
        .clone();
    let later = datetime!(2027-07-01 0:00 UTC);
    if let Ok(cert) = UploadCheck::new(later)
        .trust_anchors(next_root.clone())
        .check(data)
    {
        let path = next_root
            .path_to(&cert, later)
            .expect("accepted with a path");
        assert!(!path.is_empty());
    }
}

/// Trust anchors from arbitrary PEM or DER, then a path search under them:
/// anchors that build hold only certificates the reader's contract covers,
/// and verifying the fixture push certificate under them never panics.
pub(crate) fn anchors(data: &[u8]) {
    if let Ok(anchors) = TrustAnchors::from_pem(data) {
        assert!(!anchors.subjects().is_empty());
        let pem = std::str::from_utf8(data).unwrap_or_default();
        if let Ok(items) = x509_cert::Certificate::load_pem_chain(pem.as_bytes()) {
            for c in items {
                assert_der_round_trip(&c.to_der().expect("re-encodes"));
            }
        }
        let push =
            PushCertificate::parse(include_bytes!("../fixtures/pki/push_b.pem")).expect("fixture");
        let _ = anchors.verify(&push, datetime!(2025-12-28 12:00 UTC));
        let _ = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
            .trust_anchors(anchors)
            .check(include_bytes!("../fixtures/pki/push_b_chain.pem"));
    }
}

/// Reading and verifying a signedCSR file; one that reads is written and
/// read back equal, in both forms, and verifies under Apple's anchors and
/// the test PKI's without panicking.
pub(crate) fn signed_request(data: &[u8]) {
    static VENDOR_ANCHORS: std::sync::OnceLock<TrustAnchors> = std::sync::OnceLock::new();
    if let Ok(req) = SignedRequest::parse(data) {
        let anchors = VENDOR_ANCHORS.get_or_init(|| {
            TrustAnchors::from_pem(include_bytes!("../fixtures/pki/vendor_intermediates.pem"))
                .expect("fixture anchors")
        });
        let _ = req.verify_with_anchors(anchors, datetime!(2025-12-28 12:00 UTC));
        assert_eq!(
            SignedRequest::parse(req.to_base64().as_bytes()).as_ref(),
            Ok(&req)
        );
        assert_eq!(
            SignedRequest::from_xml(req.to_xml().as_bytes()).as_ref(),
            Ok(&req)
        );
        let _ = req.verify_signatures_only();
        let _ = req.verify(datetime!(2025-12-28 12:00 UTC));
    }
}

/// Reading a CSR; one that reads (its self-signature verified) reads back
/// equal from its DER and its PEM.
pub(crate) fn csr(data: &[u8]) {
    if let Ok(csr) = PushCsr::parse(data) {
        assert_eq!(PushCsr::from_der(csr.der()).as_ref(), Ok(&csr));
        assert_eq!(PushCsr::parse(csr.to_pem().as_bytes()).as_ref(), Ok(&csr));
    }
}

/// Parsing a topic; one that parses prints back to itself.
pub(crate) fn topic(data: &[u8]) {
    if let Ok(s) = core::str::from_utf8(data)
        && let Ok(t) = s.parse::<Topic>()
    {
        assert_eq!(t.as_str(), s);
        assert_eq!(t.to_string().parse::<Topic>().as_ref(), Ok(&t));
        assert!(!t.suffix().is_empty());
    }
}

/// Reading a private key that may be encrypted (password `secret`): one
/// that reads re-encodes to PKCS#8 that reads back to the same key.
pub(crate) fn encrypted_key(data: &[u8]) {
    if let Ok(key) = mdm_push_cert::PrivateKey::parse_with_password(data, b"secret") {
        let der = key.to_pkcs8_der().expect("encodes");
        let back = mdm_push_cert::PrivateKey::parse(&der).expect("reads back");
        assert_eq!(back.spki_der(), key.spki_der());
    }
}

/// Reading a PKCS#12 file (password `secret`): one that reads is a push
/// identity whose key is its certificate's, and an upload check of it never
/// panics.
pub(crate) fn pkcs12(data: &[u8]) {
    if let Ok(identity) = mdm_push_cert::PushIdentity::from_pkcs12(data, "secret") {
        assert!(identity.topic().as_str().starts_with("com.apple.mgmt."));
        let again = mdm_push_cert::PushIdentity::new(
            identity.certificate().clone(),
            identity.key().clone(),
        );
        assert!(again.is_ok());
    }
    let _ = UploadCheck::new(datetime!(2025-12-28 12:00 UTC)).check_pkcs12(data, "secret");
    let _ = UploadCheck::new(datetime!(2025-12-28 12:00 UTC)).check(data);
}

/// Checks the invariants every outcome keeps.
#[cfg(feature = "apns")]
fn check_outcome(o: &mdm_push_cert::apns::Outcome) {
    use mdm_push_cert::apns::{Answer, MAX_REASON_LEN, MAX_RETRY_AFTER, OutcomeKind, Reason};
    assert_eq!(OutcomeKind::from_code(o.code()), Some(o.kind()));
    assert_eq!(o.prunes_token(), o.kind() == OutcomeKind::DeviceGone);
    assert_eq!(o.is_retryable(), o.retry_after().is_some());
    assert!(o.retry_after().is_none_or(|d| d <= MAX_RETRY_AFTER));
    for lang in [Lang::Ja, Lang::En] {
        assert!(!o.message(lang).is_empty() && !o.remedy(lang).is_empty());
        assert_eq!(o.to_response(lang).outcome, o.code());
    }
    assert!(o.to_string().starts_with(o.code()));
    if let Some(r) = o.reason() {
        assert!(r.name().len() <= MAX_REASON_LEN);
        assert_eq!(&Reason::from_name(r.name()), r);
    }
    match o.answer() {
        Answer::Status(200) => assert_eq!(o.kind(), OutcomeKind::Delivered),
        Answer::Status(410) => assert_eq!(o.kind(), OutcomeKind::DeviceGone),
        Answer::Status(429) => assert_eq!(o.kind(), OutcomeKind::RateLimited),
        Answer::Status(500..=599) => assert_eq!(o.kind(), OutcomeKind::ApnsUnavailable),
        Answer::Status(_) => assert_ne!(o.kind(), OutcomeKind::Delivered),
        Answer::GoAway | Answer::TlsAlert(_) => assert!(!o.prunes_token()),
        _ => {}
    }
}

/// Classifying an APNs answer. The input is text: a first line `<status>`
/// then `name: value` header lines, an empty line and the body; or
/// `goaway` and the debug data; or `alert <n>`. Every input is also
/// classified as GOAWAY debug data and its first byte as a TLS alert.
#[cfg(feature = "apns")]
pub(crate) fn apns_outcome(data: &[u8]) {
    use mdm_push_cert::apns::{Outcome, TlsAlert};
    use mdm_push_cert::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
    check_outcome(&Outcome::from_goaway(data));
    check_outcome(&Outcome::from_tls_alert(TlsAlert::from_u8(
        data.first().copied().unwrap_or_default(),
    )));
    let (first, rest) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let first = core::str::from_utf8(first)
        .unwrap_or_default()
        .trim_end_matches('\r');
    if first == "goaway" {
        check_outcome(&Outcome::from_goaway(rest));
        return;
    }
    if let Some(n) = first
        .strip_prefix("alert ")
        .and_then(|n| n.parse::<u8>().ok())
    {
        let o = Outcome::from_tls_alert(TlsAlert::from_u8(n));
        assert_eq!(o.tls_alert().map(TlsAlert::to_u8), Some(n));
        check_outcome(&o);
        return;
    }
    let Some(status) = first
        .parse::<u16>()
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
    else {
        return;
    };
    let mut headers = HeaderMap::new();
    let mut body = rest;
    loop {
        let (line, after) = match body.iter().position(|b| *b == b'\n') {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, &[][..]),
        };
        body = after;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if let Some(colon) = line.iter().position(|b| *b == b':')
            && let Ok(name) = HeaderName::from_bytes(&line[..colon])
            && let Ok(value) = HeaderValue::from_bytes(line[colon + 1..].trim_ascii())
        {
            headers.append(name, value);
        }
        if body.is_empty() {
            break;
        }
    }
    let o = Outcome::from_response(status, &headers, body);
    assert_eq!(o.status(), Some(status.as_u16()));
    check_outcome(&o);
}

/// Parsing a device token and a PushMagic (the input's first line and the
/// rest): each that parses prints back to itself and parses again equal;
/// a push built from both reads back, as APNs checks it, to the same token
/// and PushMagic, with the body exactly `{"mdm":"<PushMagic>"}`.
#[cfg(feature = "apns")]
pub(crate) fn apns_push(data: &[u8]) {
    use mdm_push_cert::apns::{ApnsId, DeviceToken, Endpoint, MdmPush, PushMagic, ReceivedPush};
    let (first, rest) = match data.iter().position(|b| *b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    if let Ok(t) = DeviceToken::from_bytes(first) {
        assert_eq!(t.as_bytes(), first);
        assert_eq!(t.as_hex().parse::<DeviceToken>().as_ref(), Ok(&t));
    }
    let (Ok(token_text), Ok(magic_text)) =
        (core::str::from_utf8(first), core::str::from_utf8(rest))
    else {
        return;
    };
    let token = token_text.parse::<DeviceToken>();
    if let Ok(t) = &token {
        assert_eq!(t.to_string(), token_text.to_ascii_lowercase());
        assert_eq!(t.to_string().parse::<DeviceToken>().as_ref(), Ok(t));
        assert_eq!(DeviceToken::from_bytes(t.as_bytes()).as_ref(), Ok(t));
    }
    let magic = magic_text.parse::<PushMagic>();
    if let Ok(m) = &magic {
        assert_eq!(m.as_str(), magic_text);
        assert_eq!(m.to_string().parse::<PushMagic>().as_ref(), Ok(m));
        assert!(
            m.as_str()
                .bytes()
                .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
        );
    }
    if let Ok(id) = magic_text.parse::<ApnsId>() {
        assert_eq!(id.as_str(), magic_text.to_ascii_lowercase());
        assert_eq!(id.as_str().parse::<ApnsId>().as_ref(), Ok(&id));
    }
    if let Ok(e) = Endpoint::custom(magic_text) {
        let _ = e.port();
        assert!(!e.host().is_empty());
    }
    if let (Ok(t), Ok(m)) = (token, magic) {
        let push = MdmPush::new(t, m, datetime!(2026-12-01 09:00 UTC));
        let topic: Topic = "com.apple.mgmt.External.x".parse().expect("topic");
        let request = push.to_request(&mdm_push_cert::apns::Endpoint::PRODUCTION, &topic);
        assert_eq!(
            request.body().as_slice(),
            format!("{{\"mdm\":\"{magic_text}\"}}").as_bytes()
        );
        let got = ReceivedPush::read(&request).expect("a built push reads back");
        assert_eq!(got.token(), push.token());
        assert_eq!(got.push_magic(), Some(push.push_magic()));
        assert_eq!(got.topic(), topic.as_str());
    }
}

/// A target's name and body.
pub(crate) type Target = (&'static str, fn(&[u8]));

/// Every target, by name, for the replay test.
pub(crate) const TARGETS: &[Target] = &[
    ("push_certificate", push_certificate),
    ("upload_check", upload_check),
    ("signed_request", signed_request),
    ("anchors", anchors),
    ("encrypted_key", encrypted_key),
    ("pkcs12", pkcs12),
    ("csr", csr),
    ("topic", topic),
    #[cfg(feature = "apns")]
    ("apns_outcome", apns_outcome),
    #[cfg(feature = "apns")]
    ("apns_push", apns_push),
];
