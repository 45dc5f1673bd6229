//! `inspect --checkend SECONDS`: the expiry predicate for cron, on push,
//! identity, vendor and other certificates, at its boundaries, and against
//! `openssl x509 -checkend` on the fixtures and the real files.

mod support;

use support::{NOW, ident, json, pki, run, run_with_stdin, stderr, stdout, tempdir};

fn checkend(file: &str, seconds: &str, extra: &[&str]) -> std::process::Output {
    run(&[
        &["inspect", "--checkend", seconds, file, "--now", NOW][..],
        extra,
    ]
    .concat())
}

/// Exit 0 while the certificate is valid through the whole window, 1 once
/// the window reaches past its end; its last second still counts (RFC 5280).
#[test]
fn checkend_exit_codes_and_lines() {
    // push_a.pem ends 2026-01-09T23:59:59Z: from NOW that is 12 days,
    // 11:59:59, 1,079,999 seconds.
    let push_a = pki("push_a.pem");
    let o = checkend(&push_a, "1079999", &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stdout(&o),
        "will not expire within 1079999 seconds: push certificate \
         com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f \
         valid until 2026-01-09T23:59:59Z (12 days remaining)\n"
    );
    let o = checkend(&push_a, "1080000", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("will expire within 1080000 seconds: push certificate"),
        "{}",
        stdout(&o)
    );
    let o = checkend(&push_a, "0", &[]);
    assert_eq!(o.status.code(), Some(0));
    // Already expired, or not yet valid: 1 whatever the window.
    let o = checkend(&pki("push_expired.pem"), "0", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("expired: push certificate com.apple.mgmt.External."),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("ended 2024-12-31T23:59:59Z"));
    let o = checkend(&pki("push_not_yet_valid.pem"), "31536000", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("not yet valid: push certificate"),
        "{}",
        stdout(&o)
    );
    // One line, nothing on stderr.
    for o in [
        checkend(&push_a, "0", &[]),
        checkend(&push_a, "1080000", &[]),
    ] {
        assert_eq!(stdout(&o).lines().count(), 1);
        assert!(o.stderr.is_empty(), "{}", stderr(&o));
    }
    // A window past the year 9999: it will have expired.
    let o = checkend(&push_a, &u64::MAX.to_string(), &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(json(&o)["at"].is_null());

    // The vendor certificate, alone (it ends 2026-06-01T00:00:00Z) and as
    // the one a signedCSR file was signed with; an expired one.
    let vendor = pki("vendor.pem");
    let o = checkend(&vendor, "86400", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("vendor certificate C=US,O=Example Vendor,OU=TESTTEAM01"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("valid until 2026-06-01T00:00:00Z"));
    let j = json(&checkend(&vendor, "86400", &["--json"]));
    assert_eq!(j["not_before"], "2025-06-01T00:00:00Z");
    assert_eq!(j["not_after"], "2026-06-01T00:00:00Z");
    let past_its_end = (155 * 86400).to_string();
    assert_eq!(checkend(&vendor, &past_its_end, &[]).status.code(), Some(1));
    let signed = pki("built_by_crate.signedcsr.plist");
    let o = checkend(&signed, "86400", &["--json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["kind"], "vendor_certificate");
    assert_eq!(json(&o)["not_after"], "2026-06-01T00:00:00Z");
    let o = checkend(&pki("vendor_expired.pem"), "0", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("expired: vendor certificate"));
    // DER, and standard input.
    let der = pki("push_b.der");
    assert_eq!(checkend(&der, "86400", &[]).status.code(), Some(0));
    let o = run_with_stdin(
        &["inspect", "--checkend", "1080000", "-", "--now", NOW],
        &std::fs::read(&push_a).unwrap(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("will expire"));

    // A .p12 push identity with its password; without it, exit 2.
    let dir = tempdir();
    let pass = dir.join("pass");
    std::fs::write(&pass, "secret\n").unwrap();
    let p12 = ident("modern.p12");
    let o = checkend(&p12, "86400", &["--password-file", pass.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("push identity's certificate com.apple.mgmt.External."));
    let o = checkend(&p12, "86400", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("PKCS#12"), "{}", stderr(&o));

    // Usage and I/O errors: 2, one line.
    for (args, words) in [
        (
            vec!["inspect", "--checkend", "10", "/nonexistent/push.pem"],
            "/nonexistent/push.pem",
        ),
        (vec!["inspect", "--checkend", "-5", "x.pem"], "-5"),
        (vec!["inspect", "--checkend", "soon", "x.pem"], "--checkend"),
        (vec!["inspect", "--checkend"], "--checkend"),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(words), "{args:?}: {}", stderr(&o));
    }
    let garbage = pki("garbage.txt");
    let o = checkend(&garbage, "10", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains(&garbage), "{}", stderr(&o));
    // --checkend judges dates, not paths: anchors are refused.
    let o = checkend(&push_a, "10", &["--anchors", &pki("anchors.pem")]);
    assert_eq!(o.status.code(), Some(2));
}

/// `openssl x509 -checkend` gives the same exit code on every certificate
/// that has begun (openssl ignores `not_before`), at the real clock, for
/// windows from none to ten years: the test PKI's certificates and, when
/// `MDM_PUSH_CERT_REALWORLD` points at them, the real push and vendor
/// certificates.
#[test]
fn checkend_agrees_with_openssl() {
    let mut files: Vec<String> = [
        "push_a.pem",
        "push_b.pem",
        "push_b.der",
        "push_expired.pem",
        "push_not_yet_valid.pem",
        "vendor.pem",
        "vendor_expired.pem",
        "vendor_no_marker.pem",
        "root.pem",
        "wwdr.pem",
        "aai2.pem",
    ]
    .map(pki)
    .into();
    match std::env::var_os("MDM_PUSH_CERT_REALWORLD") {
        Some(dir) => {
            for sub in ["push", "vendor", "apple-ca"] {
                let dir = std::path::Path::new(&dir).join(sub);
                for entry in std::fs::read_dir(&dir).unwrap() {
                    let path = entry.unwrap().path();
                    files.push(path.to_str().unwrap().to_owned());
                }
            }
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("MDM_PUSH_CERT_REALWORLD must be set under CI")
        }
        None => eprintln!("MDM_PUSH_CERT_REALWORLD is not set: real files skipped"),
    }
    // How many comparisons ended in each exit code: both must occur.
    let mut compared = [0, 0];
    for file in &files {
        let form = if file.ends_with(".der") { "DER" } else { "PEM" };
        for seconds in ["0", "86400", "2592000", "31536000", "315360000"] {
            let ours = run(&["inspect", "--checkend", seconds, file, "--json"]);
            let j = json(&ours);
            if j["status"] == "not_yet_valid" {
                assert_eq!(ours.status.code(), Some(1), "{file}");
                continue;
            }
            let openssl = std::process::Command::new("openssl")
                .args(["x509", "-noout", "-inform", form, "-in", file])
                .args(["-checkend", seconds])
                .output()
                .unwrap();
            assert_eq!(
                ours.status.code(),
                openssl.status.code(),
                "{file} --checkend {seconds}: {j} / {}",
                String::from_utf8_lossy(&openssl.stdout)
            );
            compared[usize::from(ours.status.code() == Some(1))] += 1;
        }
    }
    assert!(compared[0] >= 10 && compared[1] >= 10, "{compared:?}");
}
