//! The `--json` objects against the manual (`cli/README.md`).

mod support;

use std::collections::BTreeSet;

use support::{NOW, check_args, ident, inspect_json, json, pki, run, run_owned, tempdir};

/// The keys the manual (`cli/README.md`) documents for `command`'s JSON
/// object: the first column of the tables in the command's section.
fn documented_keys(command: &str) -> BTreeSet<String> {
    documented_keys_under(&format!("\n## `{command} "))
}

/// The keys of the tables under `heading`, up to the next heading.
fn documented_keys_under(heading: &str) -> BTreeSet<String> {
    const MANUAL: &str = include_str!("../README.md");
    let command = heading.trim();
    let start = MANUAL
        .find(heading)
        .unwrap_or_else(|| panic!("no section for {command}"));
    let section = &MANUAL[start + heading.len()..];
    let end = ["\n## ", "\n### "]
        .iter()
        .filter_map(|h| section.find(h))
        .min();
    let section = &section[..end.unwrap_or(section.len())];
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

/// `inspect --checkend --json` carries exactly the keys the manual lists,
/// for each kind of file and outcome.
#[test]
fn checkend_json_keys_are_the_documented_ones() {
    let documented = documented_keys_under("\n### `inspect --checkend ");
    let dir = tempdir();
    let pass = dir.join("pass");
    std::fs::write(&pass, "secret\n").unwrap();
    let p12 = ident("modern.p12");
    let signed = pki("built_by_crate.signedcsr.plist");
    let (push_b, push_a, expired) = (
        pki("push_b.pem"),
        pki("push_a.pem"),
        pki("push_expired.pem"),
    );
    let (not_yet, vendor, root) = (
        pki("push_not_yet_valid.pem"),
        pki("vendor.pem"),
        pki("root.pem"),
    );
    let pass = pass.to_str().unwrap();
    let cases: [(&[&str], &str, bool); 8] = [
        (&[&push_b], "push_certificate", true),
        (&[&push_a], "push_certificate", false),
        (&[&expired], "push_certificate", false),
        (&[&not_yet], "push_certificate", false),
        (&[&p12, "--password-file", pass], "push_identity", true),
        (&[&vendor], "vendor_certificate", true),
        (&[&signed], "vendor_certificate", true),
        (&[&root], "certificate", true),
    ];
    for (file, kind, ok) in cases {
        let args = [
            &["inspect", "--checkend", "2592000", "--now", NOW, "--json"][..],
            file,
        ]
        .concat();
        let o = run(&args);
        assert_eq!(o.status.code(), Some(u8::from(!ok).into()), "{file:?}");
        let j = json(&o);
        assert_eq!(keys(&j), documented, "{file:?}");
        assert_eq!(
            (&j["kind"], &j["ok"]),
            (&kind.into(), &ok.into()),
            "{file:?}"
        );
        assert_eq!(j["checkend"], 2592000);
        assert_eq!(j["at"], "2026-01-27T12:00:00Z");
        assert_eq!(j["topic"].is_null(), !kind.starts_with("push"), "{j}");
    }
}

/// The one JSON contract: what the library serializes for an object
/// (`CertificateSummary`, `ErrorResponse`) is in the tool's `--json` object
/// for it, every key with the same value; the tool only adds keys.
#[test]
fn json_is_the_librarys_serialization() {
    use mdm_push_cert::{Lang, PushCertificate, PushCsr, PushIdentity, TrustAnchors, UploadCheck};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    let now = OffsetDateTime::parse(NOW, &Rfc3339).unwrap();
    let read = |f: &str| std::fs::read(pki(f)).unwrap();
    /// Every key of `library` is in `tool`, with the same value.
    fn contains(tool: &serde_json::Value, library: &serde_json::Value, what: &str) {
        let library = library.as_object().unwrap();
        assert!(library.len() >= 4, "{what}: {library:?}");
        for (key, value) in library {
            assert_eq!(tool.get(key), Some(value), "{what}: {key} in {tool}");
        }
    }

    // inspect: a push certificate in every state, and a .p12 push identity's.
    for file in [
        "push_a.pem",
        "push_b.pem",
        "push_b.der",
        "push_expired.pem",
        "push_not_yet_valid.pem",
    ] {
        let cert = PushCertificate::parse(&read(file)).unwrap();
        let library = serde_json::to_value(cert.summary(now)).unwrap();
        contains(&inspect_json(file), &library, file);
    }
    let dir = tempdir();
    let pass = dir.join("pass");
    std::fs::write(&pass, "secret\n").unwrap();
    let p12 = ident("modern.p12");
    let identity = PushIdentity::from_pkcs12(&std::fs::read(&p12).unwrap(), "secret").unwrap();
    let library = serde_json::to_value(identity.certificate().summary(now)).unwrap();
    let tool = json(&run(&[
        "inspect",
        &p12,
        "--password-file",
        pass.to_str().unwrap(),
        "--now",
        NOW,
        "--json",
    ]));
    contains(&tool, &library, "modern.p12");

    // check: the same check in the library and the tool, rejected in both
    // languages, and accepted.
    let anchors = TrustAnchors::from_pem(&read("anchors.pem")).unwrap();
    let previous = PushCertificate::parse(&read("push_a.pem")).unwrap();
    let csr = PushCsr::parse(&read("customer_b.csr")).unwrap();
    let check = UploadCheck::new(now)
        .trust_anchors(anchors)
        .expected_csr(&csr)
        .previous_certificate(&previous);
    let mut rejected = 0;
    for file in [
        "push_b.pem",
        "push_old_key.pem",
        "push_new_topic.pem",
        "truncated_no_end.pem",
        "push_forged.pem",
        "push_expired.pem",
        "garbage.txt",
    ] {
        for (lang, flag) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
            let tool = json(&run_owned(&check_args(file, &["--json", "--lang", flag])));
            match check.check(&read(file)) {
                Ok(cert) => {
                    assert_eq!(tool["ok"], true, "{file}");
                    let summary = serde_json::to_value(cert.summary(now)).unwrap();
                    for key in ["topic", "not_after", "status"] {
                        assert_eq!(tool[key], summary[key], "{file}: {key}");
                    }
                    for key in ["code", "message", "remedy", "detail"] {
                        assert!(tool[key].is_null(), "{file}: {key}");
                    }
                }
                Err(e) => {
                    rejected += 1;
                    assert_eq!(tool["ok"], false, "{file}");
                    let library = serde_json::to_value(e.to_response(lang)).unwrap();
                    contains(&tool, &library, file);
                }
            }
        }
    }
    assert_eq!(rejected, 12);
}
