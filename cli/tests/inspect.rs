//! `inspect`: push certificates (PEM, DER), signedCSR files, expiry and days remaining.

mod support;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use support::{NOW, inspect_json, json, pki, run, run_owned, sign_args, stderr, stdout, tempdir};

#[test]
fn inspect_certificate_text_and_json() {
    let o = run(&["inspect", &pki("push_b.pem"), "--now", NOW]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "topic:          com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f"
        ),
        "{out}"
    );
    assert!(
        out.contains("status:         valid (356 days remaining)"),
        "{out}"
    );
    let j = inspect_json("push_a.pem");
    assert_eq!(
        j["topic"],
        "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f"
    );
    assert_eq!(j["not_before"], "2025-01-10T00:00:00Z");
    assert_eq!(j["not_after"], "2026-01-09T23:59:59Z");
    assert_eq!(j["status"], "expiring_soon");
    assert_eq!(j["days_remaining"], 12);
    assert_eq!(j["key_bits"], 2048);
    assert_eq!(j["push_marker"], true);
    let j = inspect_json("push_expired.pem");
    assert_eq!(j["status"], "expired");
    let j = inspect_json("push_not_yet_valid.pem");
    assert_eq!(j["status"], "not_yet_valid");
    // DER works the same.
    let j = inspect_json("push_b.der");
    assert_eq!(j["not_after"], "2026-12-19T23:59:59Z");
}

#[test]
fn inspect_signed_request() {
    let dir = tempdir();
    let signed = dir.join("signed.b64");
    let o = run_owned(&sign_args("vendor.pem", &[]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::write(&signed, &o.stdout).unwrap();
    let signed = signed.to_str().unwrap();
    let anchors = pki("vendor_intermediates.pem");
    let args = [
        "inspect",
        signed,
        "--json",
        "--now",
        NOW,
        "--anchors",
        &anchors,
    ];
    let j = json(&run(&args));
    assert_eq!(j["kind"], "signed_request");
    assert_eq!(j["ok"], true);
    assert_eq!(j["signatures_ok"], true);
    assert_eq!(j["digest"], "sha256");
    // Under Apple's anchors the test vendor is nobody: signatures fine, not trusted.
    let j = json(&run(&["inspect", signed, "--json", "--now", NOW]));
    assert_eq!(j["ok"], false);
    assert_eq!(j["signatures_ok"], true);
    assert!(j["error"].as_str().unwrap().contains("not trusted"), "{j}");
}

/// `inspect`'s `days_remaining` is the library's `Expiry::days_remaining`
/// at `--now`, also once expired, where a subtraction of the dates rounds
/// the other way.
#[test]
fn inspect_days_remaining_is_the_librarys() {
    let now = OffsetDateTime::parse(NOW, &Rfc3339).unwrap();
    for file in [
        "push_a.pem",
        "push_b.pem",
        "push_expired.pem",
        "push_not_yet_valid.pem",
    ] {
        let bytes = std::fs::read(pki(file)).unwrap();
        let cert = mdm_push_cert::PushCertificate::parse(&bytes).unwrap();
        let expected = cert.expiry(now).days_remaining();
        assert_eq!(
            inspect_json(file)["days_remaining"],
            serde_json::json!(expected),
            "{file}"
        );
    }
    // push_expired.pem ended 2024-12-31T23:59:59Z, 361 days and 12 hours
    // before NOW: its 362nd day after the end (the old computation said -361).
    assert_eq!(inspect_json("push_expired.pem")["days_remaining"], -362);
    let o = run(&["inspect", &pki("push_expired.pem"), "--now", NOW]);
    assert!(
        stdout(&o).contains("\nstatus:         expired (-362 days remaining)\n"),
        "{}",
        stdout(&o)
    );
    // Before the start there are no days remaining, only the status.
    assert!(inspect_json("push_not_yet_valid.pem")["days_remaining"].is_null());
    let o = run(&["inspect", &pki("push_not_yet_valid.pem"), "--now", NOW]);
    assert!(
        stdout(&o).contains("\nstatus:         not_yet_valid\n"),
        "{}",
        stdout(&o)
    );
}
