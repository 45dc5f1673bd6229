//! Drives the built `mdm-push-cert` binary end to end on the test PKI, for
//! every command and exit code. Time is pinned with `--now`
//! (2025-12-28T12:00:00Z, as in the library's tests).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, Output};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const NOW: &str = "2025-12-28T12:00:00Z";

/// A file of the library's fixtures, `tests/fixtures/<folder>/<name>`.
fn fixture(folder: &str, name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(folder)
        .join(name);
    p.to_str().unwrap().to_owned()
}

fn pki(name: &str) -> String {
    fixture("pki", name)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mdm-push-cert"))
        .args(args)
        .env_remove("LANG")
        .output()
        .unwrap()
}

/// `inspect FILE --now NOW --json` on a fixture, parsed.
fn inspect_json(file: &str) -> serde_json::Value {
    json(&run(&["inspect", &pki(file), "--now", NOW, "--json"]))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(stdout(o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn check_args<'a>(cert: &'a str, extra: &[&'a str]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "check".into(),
        pki(cert),
        "--request".into(),
        pki("customer_b.csr"),
        "--previous".into(),
        pki("push_a.pem"),
        "--anchors".into(),
        pki("anchors.pem"),
        "--now".into(),
        NOW.into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

/// `sign` with the test vendor's key and chain, for `vendor_cert`.
fn sign_args(vendor_cert: &str, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = vec![
        "sign".into(),
        "--csr".into(),
        pki("customer_b.csr"),
        "--vendor-cert".into(),
        pki(vendor_cert),
        "--vendor-key".into(),
        pki("vendor.key"),
        "--chain".into(),
        pki("vendor_intermediates.pem"),
        "--now".into(),
        NOW.into(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn run_owned(args: &[String]) -> Output {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

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

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "mdm-push-cert-cli-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn check_accepts_the_renewal() {
    let o = run_owned(&check_args("push_b.pem", &[]));
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with("accepted"));
    let j = json(&run_owned(&check_args("push_b.pem", &["--json"])));
    assert_eq!(j["ok"], true);
    assert_eq!(j["code"], serde_json::Value::Null);
    assert_eq!(
        j["topic"],
        "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f"
    );
    assert_eq!(j["not_after"], "2026-12-19T23:59:59Z");
    // The request may also be the customer's key or public key.
    for request in [
        "customer_b.key",
        "customer_b.pkcs1.key",
        "customer_b.pub.pem",
        "customer_b.csr.der",
    ] {
        let mut a = check_args("push_b.pem", &[]);
        a[3] = pki(request);
        assert_eq!(run_owned(&a).status.code(), Some(0), "{request}");
    }
    // --previous-topic instead of --previous.
    let o = run(&[
        "check",
        &pki("push_b.pem"),
        "--request",
        &pki("customer_b.csr"),
        "--previous-topic",
        "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f",
        "--anchors",
        &pki("aai2.pem"),
        "--anchors",
        &pki("root.pem"),
        "--now",
        NOW,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn check_rejections_in_both_languages() {
    let cases = [
        (
            "push_old_key.pem",
            "public_key_mismatch",
            "証明書の公開キーが違います。",
        ),
        (
            "push_new_topic.pem",
            "topic_mismatch",
            "前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。",
        ),
        (
            "truncated_no_end.pem",
            "retry_later",
            "時間をおいて再度実行してください。",
        ),
        (
            "push_forged.pem",
            "invalid_certificate",
            "無効な MDM証明書である可能性があります。",
        ),
        (
            "aai2.pem",
            "invalid_certificate",
            "無効な MDM証明書である可能性があります。",
        ),
    ];
    for (file, code, ja) in cases {
        let o = run_owned(&check_args(file, &["--lang", "ja"]));
        assert_eq!(o.status.code(), Some(1), "{file}");
        let out = stdout(&o);
        assert!(out.contains(ja), "{file}: {out}");
        assert!(out.contains(code), "{file}: {out}");
        let j = json(&run_owned(&check_args(file, &["--json"])));
        assert_eq!(j["ok"], false);
        assert_eq!(j["code"], code);
        assert!(
            j["message"]
                .as_str()
                .unwrap()
                .starts_with(if code == "topic_mismatch" {
                    "You cannot"
                } else {
                    "An error occurred"
                })
        );
        assert!(!j["remedy"].as_str().unwrap().is_empty());
    }
    // LANG=ja… selects Japanese by default.
    let args = check_args("push_new_topic.pem", &[]);
    let o = Command::new(env!("CARGO_BIN_EXE_mdm-push-cert"))
        .args(&args)
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    assert!(stdout(&o).contains("前回アップロードした"));
}

#[test]
fn csr_from_key_and_new_key() {
    let o = run(&[
        "csr",
        "--key",
        &pki("customer_b.key"),
        "--cn",
        "Example",
        "--country",
        "JP",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
    let dir = tempdir();
    let csr = dir.join("c.csr");
    std::fs::write(&csr, &o.stdout).unwrap();
    // The CSR is usable as --request for the certificate with that key.
    let mut a = check_args("push_b.pem", &[]);
    a[3] = csr.to_str().unwrap().to_owned();
    assert_eq!(run_owned(&a).status.code(), Some(0));

    let key = dir.join("new.key");
    let o = run(&[
        "csr",
        "--new-key",
        key.to_str().unwrap(),
        "--email",
        "a@example.org",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // Refuses to overwrite an existing file.
    let o = run(&["csr", "--new-key", key.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(key.to_str().unwrap()));
    // A bad argument is refused before any key file is written, so the
    // corrected rerun works.
    let key = dir.join("second.key");
    let o = run(&[
        "csr",
        "--new-key",
        key.to_str().unwrap(),
        "--country",
        "usa",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("country"), "{}", stderr(&o));
    assert!(!key.exists());
    let o = run(&["csr", "--new-key", key.to_str().unwrap(), "--country", "US"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

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

#[test]
fn usage_errors_and_unreadable_files_exit_2_with_one_line() {
    for args in [
        vec!["inspect".to_owned(), "/nonexistent/file.pem".to_owned()],
        vec!["inspect".to_owned(), pki("garbage.txt")],
        vec![
            "check".to_owned(),
            pki("push_b.pem"),
            "--request".to_owned(),
            pki("garbage.txt"),
        ],
        vec!["verify-request".to_owned(), pki("push_b.pem")],
        vec![
            "inspect".to_owned(),
            pki("push_b.pem"),
            "--now".to_owned(),
            "yesterday".to_owned(),
        ],
        vec!["frobnicate".to_owned()],
        vec!["csr".to_owned()],
    ] {
        let o = run_owned(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
        if args[0] != "frobnicate" && args[0] != "csr" && args.len() == 2 {
            assert_eq!(err.lines().count(), 1, "{err}");
            assert!(err.contains(&args[1]), "{err}");
        }
    }
}

#[test]
fn demo_runs_the_lifecycle() {
    let o = run(&["demo", "--now", "2026-06-01T09:00:00Z"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    for needle in [
        "[public_key_mismatch]",
        "[topic_mismatch]",
        "[retry_later]",
        "status expiring_soon",
        "demo complete: 1 renewal accepted, 3 mistakes rejected",
    ] {
        assert!(out.contains(needle), "{needle}: {out}");
    }
    let o = run(&["demo", "--now", "2026-06-01T09:00:00Z", "--lang", "ja"]);
    assert!(stdout(&o).contains("証明書の公開キーが違います。"));
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    // The reading end is closed before the tool writes (as `| head` does
    // after its lines): the tool must finish without a panic or backtrace.
    for args in [
        vec!["demo", "--now", "2026-06-01T09:00:00Z"],
        vec!["inspect", "PKI:push_b.pem", "--now", NOW],
    ] {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.strip_prefix("PKI:").map_or_else(|| a.to_string(), pki))
            .collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_mdm-push-cert"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

fn rot(name: &str) -> String {
    fixture("rotation", name)
}

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

fn ident(name: &str) -> String {
    fixture("identity", name)
}

/// `identity` writes the PEM bundle and PKCS#12 (both profiles) with 0600
/// files that are never overwritten; `inspect` and `check` read `.p12`
/// files with a password from a file or the environment, never the command
/// line.
#[test]
fn identity_bundles_and_pkcs12_with_passwords() {
    let dir = tempdir();
    let pass_file = dir.join("pass");
    std::fs::write(&pass_file, "secret\n").unwrap();
    let pass = pass_file.to_str().unwrap();
    // PEM bundle on stdout: certificate then key.
    let o = run(&[
        "identity",
        "--cert",
        &pki("push_b.pem"),
        "--key",
        &pki("customer_b.key"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(text.contains("-----BEGIN PRIVATE KEY-----"));
    // To a file, PKCS#1, mode 0600, never overwritten.
    let bundle = dir.join("bundle.pem");
    let args = [
        "identity",
        "--cert",
        &pki("push_b.pem"),
        "--key",
        &pki("customer_b.key"),
        "--pkcs1",
        "--out",
        bundle.to_str().unwrap(),
    ];
    assert_eq!(run(&args).status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&bundle)
            .unwrap()
            .contains("BEGIN RSA PRIVATE KEY")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&bundle).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert_eq!(run(&args).status.code(), Some(2));
    // An encrypted key needs the password; the wrong key is refused.
    let enc = [
        &pki("push_b.pem"),
        "--key",
        "../tests/fixtures/keys/legacy_aes256.key",
    ];
    let enc_key = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(enc[2]);
    let o = run(&[
        "identity",
        "--cert",
        enc[0],
        "--key",
        enc_key.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("password"), "{}", stderr(&o));
    let o = run(&[
        "identity",
        "--cert",
        enc[0],
        "--key",
        enc_key.to_str().unwrap(),
        "--password-file",
        pass,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "identity",
        "--cert",
        &pki("push_b.pem"),
        "--key",
        &pki("customer_a.key"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not belong"), "{}", stderr(&o));
    // PKCS#12, modern and legacy; a password is required.
    for (name, legacy) in [("modern.p12", false), ("legacy.p12", true)] {
        let out = dir.join(name);
        let cert = pki("push_b.pem");
        let mut a = vec!["identity", "--cert", &cert];
        let key = pki("customer_b.key");
        let out_s = out.to_str().unwrap().to_owned();
        a.extend_from_slice(&["--key", &key, "--p12", &out_s]);
        if legacy {
            a.push("--legacy");
        }
        let o = run(&a);
        assert_eq!(o.status.code(), Some(2), "no password given");
        assert!(!out.exists());
        a.extend_from_slice(&["--password-file", pass]);
        let o = run(&a);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        // inspect reads it back with the password from the environment.
        let o = Command::new(env!("CARGO_BIN_EXE_mdm-push-cert"))
            .args([
                "inspect",
                &out_s,
                "--password-env",
                "P12_PASS",
                "--now",
                NOW,
                "--anchors",
                &pki("anchors.pem"),
            ])
            .env("P12_PASS", "secret")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).contains("private key:    RSA 2048 bits"),
            "{}",
            stdout(&o)
        );
        // Without a password: says one is needed.
        let o = run(&["inspect", &out_s]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("PKCS#12"), "{}", stderr(&o));
        // check accepts the .p12 upload with its password.
        let mut c = check_args("push_b.pem", &["--password-file", pass]);
        c[1] = out_s.clone();
        let o = run_owned(&c);
        assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    }
    // openssl's own .p12 too; a wrong password is the invalid-certificate message.
    let mut c = check_args("push_b.pem", &["--password-env", "WRONG", "--json"]);
    c[1] = ident("legacy.p12");
    let o = Command::new(env!("CARGO_BIN_EXE_mdm-push-cert"))
        .args(&c)
        .env("WRONG", "nope")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["code"], "invalid_certificate");
}

/// A TLS 1.3 handshake with client authentication against `openssl s_server
/// -Verify 1` on 127.0.0.1, presenting the identity the CLI exported (PEM
/// bundle, and PKCS#12 unpacked by openssl); a server that does not know the
/// identity's CA refuses it.
#[test]
fn exported_identity_completes_a_tls_handshake_with_openssl() {
    let dir = tempdir();
    let pass_file = dir.join("pass");
    std::fs::write(&pass_file, "secret").unwrap();
    let bundle = dir.join("bundle.pem");
    let o = run(&[
        "identity",
        "--cert",
        &pki("push_b.pem"),
        "--key",
        &pki("customer_b.key"),
        "--out",
        bundle.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let p12 = dir.join("id.p12");
    let o = run(&[
        "identity",
        "--cert",
        &pki("push_b.pem"),
        "--key",
        &pki("customer_b.key"),
        "--p12",
        p12.to_str().unwrap(),
        "--password-file",
        pass_file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let from_p12 = dir.join("from_p12.pem");
    let o = Command::new("openssl")
        .args([
            "pkcs12",
            "-in",
            p12.to_str().unwrap(),
            "-passin",
            "pass:secret",
            "-noenc",
            "-out",
            from_p12.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The server's own certificate: self-signed, made here.
    let (server_cert, server_key) = (dir.join("server.pem"), dir.join("server.key"));
    let o = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-noenc",
            "-subj",
            "/CN=localhost",
            "-days",
            "1",
        ])
        .args([
            "-keyout",
            server_key.to_str().unwrap(),
            "-out",
            server_cert.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    let handshake = |client_pem: &PathBuf, ca_file: &str| -> bool {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let mut server = Command::new("openssl")
            .args([
                "s_server",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-tls1_3",
                "-naccept",
                "1",
            ])
            .args([
                "-cert",
                server_cert.to_str().unwrap(),
                "-key",
                server_key.to_str().unwrap(),
            ])
            .args(["-CAfile", ca_file, "-Verify", "1", "-verify_return_error"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(400));
        let client = Command::new("openssl")
            .args([
                "s_client",
                "-connect",
                &format!("127.0.0.1:{port}"),
                "-tls1_3",
            ])
            .args([
                "-cert",
                client_pem.to_str().unwrap(),
                "-key",
                client_pem.to_str().unwrap(),
            ])
            .args(["-CAfile", server_cert.to_str().unwrap()])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let _ = server.kill();
        let server_out = server.wait_with_output().unwrap();
        let server_text = String::from_utf8_lossy(&server_out.stdout).to_string()
            + &String::from_utf8_lossy(&server_out.stderr);
        let client_text = String::from_utf8_lossy(&client.stdout).to_string();
        // The server saw and verified the push certificate as the client's.
        client_text.contains("Verify return code: 0")
            && server_text.contains("APSP:6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f")
            && !server_text.contains("verify error")
    };
    assert!(handshake(&bundle, &pki("anchors.pem")), "PEM bundle");
    assert!(handshake(&from_p12, &pki("anchors.pem")), "PKCS#12");
    // A server that trusts another CA refuses the client certificate.
    assert!(
        !handshake(&bundle, server_cert.to_str().unwrap()),
        "unknown CA"
    );
}

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
