//! The rotation rehearsal: intermediates from the operator on every command.

mod support;

use support::{json, pki, rot, run, stderr, stdout};

/// The rotation rehearsal from the command line: a stand-in next Apple
/// (P-384 root, P-256 AAI, P-384 WWDR), `--intermediates` on every command.
#[test]
fn intermediates_from_the_operator_on_every_command() {
    const LATER: &str = "2027-07-01T00:00:00Z";
    let root = rot("next_root.pem");
    let aai = rot("next_aai.pem");
    let check = |cert: &str, extra: &[&str]| {
        let request = pki("customer_b.csr");
        let mut a = vec!["check", cert, "--request", &request, "--anchors", &root];
        a.extend_from_slice(&["--now", LATER, "--json"]);
        a.extend_from_slice(extra);
        run(&a)
    };
    // Unknown intermediate: rejected, the detail names it and the fix.
    let o = check(&rot("push_next.pem"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    assert_eq!(j["code"], "invalid_certificate");
    let detail = j["detail"].as_str().unwrap();
    assert!(
        detail.contains("Test Application Integration CA 8 - G1"),
        "{detail}"
    );
    assert!(detail.contains("--intermediates"), "{detail}");
    // Added by the operator, or carried in the upload: accepted.
    let o = check(&rot("push_next.pem"), &["--intermediates", &aai]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = check(&rot("push_next_with_intermediate.pem"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // An intermediate that does not chain, or is not a CA: exit 2, named.
    for bad in ["rogue_aai.pem", "not_ca_intermediate.pem"] {
        let o = check(&rot("push_next.pem"), &["--intermediates", &rot(bad)]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("--intermediates"), "{}", stderr(&o));
    }
    // inspect shows the path, root first.
    let o = run(&[
        "inspect",
        &rot("push_next.pem"),
        "--now",
        LATER,
        "--anchors",
        &root,
        "--intermediates",
        &aai,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let root_at = text.find("path (root):").expect("root line");
    assert!(
        text[root_at..].starts_with("path (root):    C=US,O=Test Apple Inc.,OU=Test Certification Authority,CN=Test Root CA - G4"),
        "{text}"
    );
    assert!(
        text[root_at..].contains(
            "\npath:           C=US,O=Test Apple Inc.,OU=Test Certification Authority,CN=Test Application Integration CA 8 - G1\n"
        ),
        "{text}"
    );
    let j = json(&run(&[
        "inspect",
        &rot("push_next.pem"),
        "--now",
        LATER,
        "--anchors",
        &root,
        "--json",
    ]));
    assert!(j["path"].is_null());
    assert!(
        j["path_error"]
            .as_str()
            .unwrap()
            .contains("not a known certification authority")
    );
    // The vendor side: sign under the new WWDR with the chain, verify with
    // the root and the operator's intermediate.
    let chain = std::env::temp_dir().join(format!("rot-chain-{}.pem", std::process::id()));
    std::fs::write(
        &chain,
        [rot("next_wwdr.pem"), root.clone()]
            .map(|f| std::fs::read_to_string(f).unwrap())
            .concat(),
    )
    .unwrap();
    let o = run(&[
        "sign",
        "--csr",
        &pki("customer_b.csr"),
        "--vendor-cert",
        &rot("vendor_next.pem"),
        "--vendor-key",
        &pki("vendor.key"),
        "--chain",
        chain.to_str().unwrap(),
        "--now",
        LATER,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let signed = chain.with_extension("b64");
    std::fs::write(&signed, &o.stdout).unwrap();
    let wwdr = rot("next_wwdr.pem");
    let o = run(&[
        "verify-request",
        signed.to_str().unwrap(),
        "--now",
        LATER,
        "--anchors",
        &root,
        "--intermediates",
        &wwdr,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Signing under Apple's anchors with an intermediate that is not Apple's: exit 2.
    let o = run(&[
        "sign",
        "--csr",
        &pki("customer_b.csr"),
        "--vendor-cert",
        &rot("vendor_next.pem"),
        "--vendor-key",
        &pki("vendor.key"),
        "--intermediates",
        &wwdr,
        "--now",
        LATER,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not chain"), "{}", stderr(&o));
    let _ = std::fs::remove_file(&chain);
    let _ = std::fs::remove_file(&signed);
}
