//! `sign` and `verify-request`: the signedCSR file made and verified as Apple's portal would.

mod support;

use support::{NOW, b64, json, pki, run, run_owned, sign_args, stderr, stdout, tempdir};

#[test]
fn sign_and_verify_request() {
    let dir = tempdir();
    let o = run_owned(&sign_args("vendor.pem", &["--xml"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("<key>PushCertSignature</key>"));
    let xml = dir.join("req.plist");
    std::fs::write(&xml, &o.stdout).unwrap();
    let anchors = pki("vendor_intermediates.pem");
    let verify = |file: &str, extra: &[&str]| {
        let mut a = vec!["verify-request", file, "--now", NOW, "--anchors", &anchors];
        a.extend_from_slice(extra);
        run(&a)
    };
    let o = verify(xml.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("verified (SHA-256)"));
    assert!(stdout(&o).contains("result:      verified"));
    // Without the test anchors, Apple's: the signature verifies, the file does not.
    let o = run(&["verify-request", xml.to_str().unwrap(), "--now", NOW]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("signature:   verified (SHA-256)"));
    assert!(stdout(&o).contains("is not trusted"), "{}", stdout(&o));
    // After the vendor certificate's end (2026-06-01): Apple's portal's words.
    let o = run(&[
        "verify-request",
        xml.to_str().unwrap(),
        "--now",
        "2026-07-01T00:00:00Z",
        "--anchors",
        &anchors,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("the signing certificate is expired"),
        "{}",
        stdout(&o)
    );
    // Signed with the right key but by a certificate without the vendor
    // marker, or an expired one: signatures verify, the file does not.
    for (cert, words) in [
        ("vendor_no_marker.pem", "not an MDM vendor certificate"),
        ("vendor_expired.pem", "the signing certificate is expired"),
    ] {
        let chain = [cert, "wwdr.pem", "root.pem"]
            .map(|f| std::fs::read_to_string(pki(f)).unwrap())
            .concat();
        let forged = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>\
             <key>PushCertRequestCSR</key><string>{}</string>\
             <key>PushCertCertificateChain</key><string>{chain}</string>\
             <key>PushCertSignature</key><string>{}</string></dict></plist>",
            b64(&std::fs::read(pki("customer_b.csr.der")).unwrap()),
            b64(&std::fs::read(pki("customer_b.csr.sha256.sig")).unwrap()),
        );
        let path = dir.join(format!("{cert}.plist"));
        std::fs::write(&path, forged).unwrap();
        let o = verify(path.to_str().unwrap(), &[]);
        assert_eq!(o.status.code(), Some(1), "{cert}: {}", stdout(&o));
        assert!(stdout(&o).contains(words), "{cert}: {}", stdout(&o));
        assert!(stdout(&o).contains("result:      NOT verified"));
    }
    let j = json(&verify(xml.to_str().unwrap(), &["--json"]));
    assert_eq!(j["ok"], true);
    assert_eq!(j["digest"], "sha256");
    assert_eq!(j["chain"].as_array().unwrap().len(), 3);
    // One byte of the signature altered: exit 1.
    let text = std::fs::read_to_string(&xml).unwrap();
    let start = text.find("<key>PushCertSignature</key>").unwrap();
    let at = text[start..].find("<string>").unwrap() + start + "<string>".len();
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(&xml, bytes).unwrap();
    let o = verify(xml.to_str().unwrap(), &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["ok"], false);
    assert_eq!(json(&o)["signatures_ok"], false);
    // Expired vendor certificate: exit 2 naming the file.
    let o = run_owned(&sign_args("vendor_expired.pem", &[]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("vendor_expired.pem"), "{}", stderr(&o));
    assert!(stderr(&o).contains("expired"));
}
