//! `csr`: the customer CSR for a key given or a new one.

mod support;

use support::{check_args, fixture, pki, run, run_owned, stderr, stdout, tempdir, tool};

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
        "--no-encrypt",
        "--email",
        "a@example.org",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----")
    );
    // Said loudly.
    assert!(stderr(&o).contains("WARNING"), "{}", stderr(&o));
    assert!(stderr(&o).contains("UNENCRYPTED"), "{}", stderr(&o));
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
    let pass = dir.join("pass");
    std::fs::write(&pass, "secret\n").unwrap();
    let o = run(&[
        "csr",
        "--new-key",
        key.to_str().unwrap(),
        "--country",
        "US",
        "--password-file",
        pass.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `openssl` with `args`; its standard output, after asserting success.
fn openssl(args: &[&str]) -> String {
    let o = std::process::Command::new("openssl")
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// `csr --new-key` writes the key encrypted with the password options'
/// password (PKCS#8, PBES2), which openssl reads back with it and whose
/// public key is the CSR's; `csr --key` reads it with the same options.
/// Without a password it refuses before making a key; `--no-encrypt` opts
/// out, never together with a password.
#[test]
fn csr_new_key_is_encrypted_and_read_back() {
    let dir = tempdir();
    let key = dir.join("enc.key");
    let key_s = key.to_str().unwrap();
    let pass = "correct horse";
    let o = tool(&["csr", "--new-key", key_s, "--password-env", "KEY_PASS"])
        .env("KEY_PASS", pass)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(
        pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"),
        "{pem}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // openssl: the key is PBES2 and decrypts with the password only.
    let csr = dir.join("enc.csr");
    std::fs::write(&csr, &o.stdout).unwrap();
    let asn1 = openssl(&["asn1parse", "-in", key_s]);
    assert!(asn1.contains("PBES2"), "{asn1}");
    let passin = format!("pass:{pass}");
    let from_key = openssl(&["pkey", "-in", key_s, "-passin", &passin, "-pubout"]);
    let from_csr = openssl(&["req", "-in", csr.to_str().unwrap(), "-noout", "-pubkey"]);
    assert_eq!(from_key, from_csr);
    let wrong = std::process::Command::new("openssl")
        .args(["pkey", "-in", key_s, "-passin", "pass:wrong", "-noout"])
        .output()
        .unwrap();
    assert!(!wrong.status.success());

    // csr --key: refused without the password, saying how to give it.
    let o = run(&["csr", "--key", key_s, "--cn", "Again"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(key_s) && err.contains("encrypted"), "{err}");
    assert!(err.contains("--password-file"), "{err}");
    // With it: a CSR for the same key.
    let pass_file = dir.join("pass");
    std::fs::write(&pass_file, format!("{pass}\n")).unwrap();
    let args = ["csr", "--key", key_s, "--cn", "Again"];
    let o = run(&[&args[..], &["--password-file", pass_file.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let again = dir.join("again.csr");
    std::fs::write(&again, &o.stdout).unwrap();
    let pubkey = openssl(&["req", "-in", again.to_str().unwrap(), "-noout", "-pubkey"]);
    assert_eq!(pubkey, from_key);
    // The wrong password: exit 2, said.
    let o = tool(&[&args[..], &["--password-env", "KEY_PASS"]].concat())
        .env("KEY_PASS", "wrong")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("password"), "{}", stderr(&o));
    // An encrypted key openssl made for the library's tests (legacy PEM,
    // password `secret`).
    let secret = dir.join("secret");
    std::fs::write(&secret, "secret\n").unwrap();
    let legacy = fixture("keys", "legacy_aes256.key");
    let o = run(&[
        "csr",
        "--key",
        &legacy,
        "--password-file",
        secret.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // csr --new-key without a password: refused before any key is made.
    let none = dir.join("none.key");
    let o = run(&["csr", "--new-key", none.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("needs a password"), "{err}");
    assert!(
        err.contains("--password-env") && err.contains("--no-encrypt"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    assert!(!none.exists());
    // An empty password is no password.
    let empty = dir.join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let o = run(&[
        "csr",
        "--new-key",
        none.to_str().unwrap(),
        "--password-file",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty"), "{}", stderr(&o));
    assert!(!none.exists());
    // --no-encrypt and a password contradict each other; --no-encrypt
    // needs --new-key.
    let o = run(&[
        "csr",
        "--new-key",
        none.to_str().unwrap(),
        "--no-encrypt",
        "--password-file",
        pass_file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!none.exists());
    let o = run(&["csr", "--key", &pki("customer_b.key"), "--no-encrypt"]);
    assert_eq!(o.status.code(), Some(2));
    // --no-encrypt: the key in the clear, a warning on stderr.
    let o = run(&["csr", "--new-key", none.to_str().unwrap(), "--no-encrypt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&none)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----\n")
    );
    let err = stderr(&o);
    assert!(
        err.contains("WARNING") && err.contains("UNENCRYPTED"),
        "{err}"
    );
    assert!(err.contains(none.to_str().unwrap()), "{err}");
    openssl(&["pkey", "-in", none.to_str().unwrap(), "-noout"]);
}
