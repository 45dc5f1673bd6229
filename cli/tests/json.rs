//! The `--json` objects against the manual (`cli/README.md`).

mod support;

use std::collections::BTreeSet;

use support::{NOW, check_args, ident, inspect_json, json, pki, run, run_owned, tempdir};

/// The keys the manual (`cli/README.md`) documents for `command`'s JSON
/// object: the first column of the tables in the command's section.
fn documented_keys(command: &str) -> BTreeSet<String> {
    const MANUAL: &str = include_str!("../README.md");
    let heading = format!("\n## `{command} ");
    let start = MANUAL
        .find(&heading)
        .unwrap_or_else(|| panic!("no section for {command}"));
    let section = &MANUAL[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let keys: BTreeSet<String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .map(|l| l[..l.find('`').unwrap()].to_owned())
        .collect();
    assert!(keys.len() > 5, "{command}: {keys:?}");
    keys
}

fn keys(j: &serde_json::Value) -> BTreeSet<String> {
    j.as_object()
        .unwrap_or_else(|| panic!("not an object: {j}"))
        .keys()
        .cloned()
        .collect()
}

/// Every `--json` object carries exactly the keys the manual lists for its
/// command, whatever the outcome (`null` for what does not apply).
#[test]
fn json_keys_are_the_documented_ones() {
    let inspect = documented_keys("inspect");
    let check = documented_keys("check");
    let request = documented_keys("verify-request");

    // inspect: valid, expired, not yet valid; without a path and with one.
    for file in ["push_b.pem", "push_expired.pem", "push_not_yet_valid.pem"] {
        let j = inspect_json(file);
        assert_eq!(keys(&j), inspect, "{file}");
        assert_eq!(j["kind"], "push_certificate");
    }
    let anchors = pki("anchors.pem");
    let j = json(&run(&[
        "inspect",
        &pki("push_b.pem"),
        "--now",
        NOW,
        "--anchors",
        &anchors,
        "--json",
    ]));
    assert_eq!(keys(&j), inspect);
    assert_eq!(j["path"].as_array().unwrap().len(), 2, "{j}");
    assert!(j["path_error"].is_null());
    // inspect: a .p12 push identity.
    let dir = tempdir();
    let pass = dir.join("pass");
    std::fs::write(&pass, "secret\n").unwrap();
    let j = json(&run(&[
        "inspect",
        &ident("modern.p12"),
        "--password-file",
        pass.to_str().unwrap(),
        "--now",
        NOW,
        "--json",
    ]));
    assert_eq!(keys(&j), inspect);
    assert_eq!(j["kind"], "push_identity");

    // verify-request, and inspect on a signedCSR file: verified; signatures
    // fine but the vendor certificate expired; signatures broken.
    let signed = pki("built_by_crate.signedcsr.plist");
    let vendor_anchors = pki("vendor_intermediates.pem");
    let verify = |file: &str, now: &str| {
        let args = ["--now", now, "--anchors", &vendor_anchors, "--json"];
        let a = json(&run(&[&["verify-request", file][..], &args].concat()));
        let b = json(&run(&[&["inspect", file][..], &args].concat()));
        assert_eq!(a, b, "inspect and verify-request differ");
        a
    };
    let j = verify(&signed, NOW);
    assert_eq!(keys(&j), request);
    assert_eq!(
        (&j["kind"], &j["ok"]),
        (&"signed_request".into(), &true.into())
    );
    let j = verify(&signed, "2026-07-01T00:00:00Z");
    assert_eq!(keys(&j), request);
    assert_eq!(j["ok"], false);
    assert_eq!(j["signatures_ok"], true);
    // The vendor certificate's dates are reported when it is the problem.
    assert_eq!(j["vendor_not_after"], "2026-06-01T00:00:00Z");
    assert!(j["path"].is_null());
    let text = std::fs::read_to_string(&signed).unwrap();
    let start = text.find("<key>PushCertSignature</key>").unwrap();
    let at = text[start..].find("<string>").unwrap() + start + "<string>".len();
    let mut bytes = text.into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    let broken = dir.join("broken.plist");
    std::fs::write(&broken, bytes).unwrap();
    let j = verify(broken.to_str().unwrap(), NOW);
    assert_eq!(keys(&j), request);
    assert_eq!(j["signatures_ok"], false);
    for key in ["digest", "chain", "csr_subject", "vendor_not_after", "path"] {
        assert!(j[key].is_null(), "{key}: {j}");
    }

    // check: accepted, rejected, and an upload that is not a certificate.
    let j = json(&run_owned(&check_args("push_b.pem", &["--json"])));
    assert_eq!(keys(&j), check);
    assert_eq!((&j["ok"], &j["status"]), (&true.into(), &"valid".into()));
    let j = json(&run_owned(&check_args("push_new_topic.pem", &["--json"])));
    assert_eq!(keys(&j), check);
    assert_eq!(j["code"], "topic_mismatch");
    assert_eq!(j["status"], "valid");
    let j = json(&run_owned(&check_args("garbage.txt", &["--json"])));
    assert_eq!(keys(&j), check);
    assert_eq!(j["code"], "invalid_certificate");
    for key in ["topic", "not_after", "status"] {
        assert!(j[key].is_null(), "{key}: {j}");
    }
}
