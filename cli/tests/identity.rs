//! `identity`: the PEM bundle and PKCS#12 files, read back by `inspect` and `check` and used in a TLS handshake.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{NOW, check_args, ident, json, pki, run, run_owned, stderr, stdout, tempdir};

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
