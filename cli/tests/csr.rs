//! `csr`: the customer CSR for a key given or a new one.

mod support;

use support::{check_args, pki, run, run_owned, stderr, stdout, tempdir};

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
