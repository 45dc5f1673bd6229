//! No input aborts the host: every entry point that reads outside bytes runs
//! to a typed error on a thread with a 256 KiB stack (an eighth of a server
//! worker's 2 MiB) for the worst inputs under `MAX_INPUT_LEN` this file can
//! build: deep nesting, many elements, long strings. A stack overflow would
//! abort the whole test process, not fail one test, which is the point.
//! `.ci/run` runs this file in debug and in release builds.

use mdm_push_cert::{
    MAX_INPUT_LEN, PrivateKey, PushCertificate, PushCsr, SignedRequest, Topic, TrustAnchors,
    UploadCheck,
};
use time::macros::datetime;

const STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a 256 KiB stack and returns what it returned.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

/// `depth` nested DER SEQUENCEs in long-form lengths, filling about `MAX_INPUT_LEN`.
fn nested_der(depth: usize) -> Vec<u8> {
    // Built from the inside out: each level adds 0x30 0x83 len(3 bytes).
    let mut inner: Vec<u8> = vec![0x05, 0x00];
    for _ in 0..depth {
        let len = inner.len();
        let mut next = Vec::with_capacity(len + 5);
        next.extend_from_slice(&[0x30, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]);
        next.extend_from_slice(&inner);
        inner = next;
    }
    inner
}

/// `depth` levels of `<array>` inside the dictionary, as a base64 upload.
fn nested_xml(depth: usize, base64: bool) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>PushCertSignature</key>",
    );
    xml.push_str(&"<array>".repeat(depth));
    xml.push_str(&"</array>".repeat(depth));
    xml.push_str("</dict></plist>");
    if base64 {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .encode(xml)
            .into_bytes()
    } else {
        xml.into_bytes()
    }
}

/// The inputs: each at or just under the size limit.
fn worst_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let max = MAX_INPUT_LEN;
    let deep = nested_der((max - 16) / 5);
    let mut pem_deep = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    {
        use base64::Engine as _;
        let der = nested_der((max * 3 / 4 - 200) / 5);
        pem_deep.extend(
            base64::engine::general_purpose::STANDARD
                .encode(der)
                .into_bytes(),
        );
    }
    pem_deep.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
    // Many small elements: a SEQUENCE of NULLs.
    let mut many = vec![0x30, 0x83];
    let count = (max - 8) / 2;
    let len = count * 2;
    many.extend_from_slice(&[(len >> 16) as u8, (len >> 8) as u8, len as u8]);
    for _ in 0..count {
        many.extend_from_slice(&[0x05, 0x00]);
    }
    // A name of many attributes inside an otherwise plausible TBS.
    let long_string = vec![b'A'; max - 1];
    let xml_deep_raw = nested_xml((max - 200) / 15, false);
    let xml_deep_b64 = nested_xml((max * 3 / 4 - 200) / 15, true);
    let mut xml_many_comments =
        String::from("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>");
    while xml_many_comments.len() < max - 64 {
        xml_many_comments.push_str("<!---->");
    }
    xml_many_comments.push_str("</dict></plist>");
    let mut xml_many_refs = String::from(
        "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>PushCertSignature</key><string>",
    );
    while xml_many_refs.len() < max - 64 {
        xml_many_refs.push_str("&#65;");
    }
    xml_many_refs.push_str("</string></dict></plist>");
    let many_pem_blocks = b"-----BEGIN X-----\nAAAA\n-----END X-----\n".repeat(max / 40);
    vec![
        ("nested DER", deep),
        ("nested DER in PEM", pem_deep),
        ("a SEQUENCE of 131,000 NULLs", many),
        ("one long string", long_string),
        ("nested XML arrays", xml_deep_raw),
        ("nested XML arrays, base64", xml_deep_b64),
        ("XML comments", xml_many_comments.into_bytes()),
        ("XML character references", xml_many_refs.into_bytes()),
        ("many PEM blocks", many_pem_blocks),
        ("0x30 bytes", vec![0x30; max]),
        ("0xA0 bytes", vec![0xA0; max]),
        ("'<' bytes", vec![b'<'; max]),
    ]
}

#[test]
fn every_entry_point_survives_the_worst_inputs_on_a_small_stack() {
    for (name, input) in worst_inputs() {
        assert!(
            input.len() <= MAX_INPUT_LEN,
            "{name}: {} bytes",
            input.len()
        );
        let outcomes = small_stack(move || {
            let now = datetime!(2025-12-28 12:00 UTC);
            vec![
                (
                    "PushCertificate::parse",
                    PushCertificate::parse(&input).is_ok(),
                ),
                (
                    "PushCertificate::from_der",
                    PushCertificate::from_der(&input).is_ok(),
                ),
                (
                    "UploadCheck::check",
                    UploadCheck::new(now).check(&input).is_ok(),
                ),
                ("PushCsr::from_pem", PushCsr::parse(&input).is_ok()),
                ("PushCsr::from_der", PushCsr::from_der(&input).is_ok()),
                ("PrivateKey::parse", PrivateKey::parse(&input).is_ok()),
                (
                    "TrustAnchors::from_pem",
                    TrustAnchors::from_pem(&input).is_ok(),
                ),
                (
                    "SignedRequest::parse + verify",
                    SignedRequest::parse(&input).is_ok_and(|r| r.verify(now).is_ok()),
                ),
                (
                    "SignedRequest::from_xml",
                    SignedRequest::from_xml(&input).is_ok(),
                ),
                (
                    "Topic::from_str",
                    std::str::from_utf8(&input).is_ok_and(|s| s.parse::<Topic>().is_ok()),
                ),
                (
                    "Expiry::of_certificate_der",
                    mdm_push_cert::Expiry::of_certificate_der(
                        &input,
                        now,
                        mdm_push_cert::EXPIRY_WARNING_WINDOW,
                    )
                    .is_ok(),
                ),
            ]
        });
        // None of these is a valid input: each entry point says so with an
        // error, on a 256 KiB stack.
        for (entry, ok) in outcomes {
            assert!(!ok, "{name}: {entry} accepted it");
        }
    }
}

#[test]
fn the_nested_xml_is_refused_for_what_it_is() {
    // About 17,000 levels: the deepest that fits the input limit.
    let xml = nested_xml(17_000, false);
    assert!(xml.len() <= MAX_INPUT_LEN);
    let err = small_stack(move || SignedRequest::parse(&xml).unwrap_err());
    assert_eq!(
        err,
        mdm_push_cert::SignedRequestError::NotAString {
            key: "PushCertSignature".into()
        }
    );
}

#[test]
fn real_work_fits_a_small_stack_too() {
    // The whole lifecycle on the test PKI, on a 256 KiB stack.
    small_stack(|| {
        let now = datetime!(2025-12-28 12:00 UTC);
        let anchors =
            TrustAnchors::from_pem(include_bytes!("fixtures/pki/anchors.pem")).expect("anchors");
        let check = UploadCheck::new(now)
            .trust_anchors(anchors)
            .expected_public_key(include_bytes!("fixtures/pki/customer_b.spki.der"));
        check
            .check(include_bytes!("fixtures/pki/push_b_chain.pem"))
            .expect("accepted");
        let vendor_anchors =
            TrustAnchors::from_pem(include_bytes!("fixtures/pki/vendor_intermediates.pem"))
                .expect("anchors");
        SignedRequest::parse(include_bytes!("fixtures/pki/built_by_crate.signedcsr.b64"))
            .expect("reads")
            .verify_with_anchors(&vendor_anchors, now)
            .expect("verifies");
    });
}
