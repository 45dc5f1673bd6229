//! What the command tests share: the fixture paths, running the built
//! `mdm-push-cert` binary, and reading what it printed. Time is pinned with
//! `--now` ([`NOW`], 2025-12-28T12:00:00Z, as in the library's tests).
//!
//! Each test file includes it with `mod support;`; not every file uses every
//! helper, and Cargo also builds this file as a test crate of its own (with
//! no tests), hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub const NOW: &str = "2025-12-28T12:00:00Z";

/// A file of the library's fixtures, `tests/fixtures/<folder>/<name>`.
pub fn fixture(folder: &str, name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(folder)
        .join(name);
    p.to_str().unwrap().to_owned()
}

pub fn pki(name: &str) -> String {
    fixture("pki", name)
}

pub fn rot(name: &str) -> String {
    fixture("rotation", name)
}

pub fn ident(name: &str) -> String {
    fixture("identity", name)
}

/// The locale variables the tool reads its language from, in POSIX's order.
pub const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// The built tool with `args`, in no locale (English), whatever the test
/// runner's.
pub fn tool(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mdm-push-cert"));
    c.args(args);
    for var in LOCALE_VARS {
        c.env_remove(var);
    }
    c
}

pub fn run(args: &[&str]) -> Output {
    tool(args).output().unwrap()
}

/// `run`, with `input` on standard input.
pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write as _;
    let mut child = tool(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The tool may stop reading early (a usage error): a closed pipe is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

pub fn run_owned(args: &[String]) -> Output {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `inspect FILE --now NOW --json` on a fixture, parsed.
pub fn inspect_json(file: &str) -> serde_json::Value {
    json(&run(&["inspect", &pki(file), "--now", NOW, "--json"]))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(stdout(o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

pub fn check_args<'a>(cert: &'a str, extra: &[&'a str]) -> Vec<String> {
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
pub fn sign_args(vendor_cert: &str, extra: &[&str]) -> Vec<String> {
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

pub fn b64(bytes: &[u8]) -> String {
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

pub fn tempdir() -> PathBuf {
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
