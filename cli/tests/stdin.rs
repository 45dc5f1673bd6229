//! `-` reads standard input wherever a file is read, for one argument per
//! invocation; files the tool writes need a name.

mod support;

use support::{NOW, ident, pki, rot, run, run_with_stdin, stderr, stdout, tempdir, tool};

/// Runs `args` as they are, then with the file at `args[at]` replaced by
/// `-` and given on standard input: the same exit code and output. The
/// exit code.
fn same_through_stdin(args: &[&str], at: usize) -> Option<i32> {
    let by_path = run(args);
    let mut piped = args.to_vec();
    piped[at] = "-";
    let by_stdin = run_with_stdin(&piped, &std::fs::read(args[at]).unwrap());
    assert_eq!(
        by_stdin.status.code(),
        by_path.status.code(),
        "{piped:?}: {}",
        stderr(&by_stdin)
    );
    assert_eq!(stdout(&by_stdin), stdout(&by_path), "{piped:?}");
    by_path.status.code()
}

#[test]
fn dash_reads_standard_input_for_every_file_argument() {
    let dir = tempdir();
    let secret = dir.join("secret");
    std::fs::write(&secret, "secret\n").unwrap();
    let secret = secret.to_str().unwrap();
    let (push_a, push_b, csr) = (pki("push_a.pem"), pki("push_b.pem"), pki("customer_b.csr"));
    let (anchors, key) = (pki("anchors.pem"), pki("customer_b.key"));
    let p12 = ident("modern.p12");
    let signed = pki("built_by_crate.signedcsr.plist");
    let vendor_anchors = pki("vendor_intermediates.pem");
    let encrypted_key = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/keys/legacy_aes256.key");
    let encrypted_key = encrypted_key.to_str().unwrap();
    let (vendor, vendor_key) = (pki("vendor.pem"), pki("vendor.key"));
    const LATER: &str = "2027-07-01T00:00:00Z";
    let (root, aai, wwdr) = (
        rot("next_root.pem"),
        rot("next_aai.pem"),
        rot("next_wwdr.pem"),
    );
    let push_next = rot("push_next.pem");
    let (push_b_der, vendor_next) = (pki("push_b.der"), rot("vendor_next.pem"));
    let push_new_topic = pki("push_new_topic.pem");
    let check = |cert| vec!["check", cert, "--request", &csr, "--previous", &push_a];

    // (arguments, the index of the file read through standard input, exit code)
    let cases: Vec<(Vec<&str>, usize, i32)> = vec![
        // inspect: the file (PEM, DER, .p12), the password file, the anchors
        // and intermediates; a signedCSR file.
        (vec!["inspect", &push_b, "--now", NOW], 1, 0),
        (vec!["inspect", &push_b_der, "--now", NOW, "--json"], 1, 0),
        (
            vec!["inspect", &p12, "--password-file", secret, "--now", NOW],
            1,
            0,
        ),
        (
            vec!["inspect", &p12, "--password-file", secret, "--now", NOW],
            3,
            0,
        ),
        (
            vec!["inspect", &push_b, "--now", NOW, "--anchors", &anchors],
            5,
            0,
        ),
        (
            vec![
                "inspect",
                &push_next,
                "--now",
                LATER,
                "--anchors",
                &root,
                "--intermediates",
                &aai,
            ],
            7,
            0,
        ),
        (
            vec![
                "inspect",
                &signed,
                "--now",
                NOW,
                "--anchors",
                &vendor_anchors,
            ],
            1,
            0,
        ),
        // check: the upload, --request, --previous, --anchors,
        // --intermediates, the .p12 upload and its password file.
        (
            [check(&push_b), vec!["--anchors", &anchors, "--now", NOW]].concat(),
            1,
            0,
        ),
        (
            [check(&push_b), vec!["--anchors", &anchors, "--now", NOW]].concat(),
            3,
            0,
        ),
        (
            [check(&push_b), vec!["--anchors", &anchors, "--now", NOW]].concat(),
            5,
            0,
        ),
        (
            [check(&push_b), vec!["--anchors", &anchors, "--now", NOW]].concat(),
            7,
            0,
        ),
        (
            [
                check(&push_new_topic),
                vec!["--anchors", &anchors, "--now", NOW],
            ]
            .concat(),
            1,
            1,
        ),
        (
            [
                check(&p12),
                vec![
                    "--anchors",
                    &anchors,
                    "--now",
                    NOW,
                    "--password-file",
                    secret,
                ],
            ]
            .concat(),
            1,
            0,
        ),
        (
            [
                check(&p12),
                vec![
                    "--anchors",
                    &anchors,
                    "--now",
                    NOW,
                    "--password-file",
                    secret,
                ],
            ]
            .concat(),
            11,
            0,
        ),
        (
            vec![
                "check",
                &push_next,
                "--request",
                &csr,
                "--anchors",
                &root,
                "--intermediates",
                &aai,
                "--now",
                LATER,
            ],
            7,
            0,
        ),
        // csr: the key, and an encrypted key's password file.
        (vec!["csr", "--key", &key, "--cn", "Example"], 2, 0),
        (
            vec!["csr", "--key", encrypted_key, "--password-file", secret],
            2,
            0,
        ),
        (
            vec!["csr", "--key", encrypted_key, "--password-file", secret],
            4,
            0,
        ),
        // sign: the CSR, the vendor certificate, its key, the chain; and
        // --intermediates (here one that is not Apple's: refused alike).
        (
            vec![
                "sign",
                "--csr",
                &csr,
                "--vendor-cert",
                &vendor,
                "--vendor-key",
                &vendor_key,
                "--chain",
                &vendor_anchors,
                "--now",
                NOW,
            ],
            2,
            0,
        ),
        (
            vec![
                "sign",
                "--csr",
                &csr,
                "--vendor-cert",
                &vendor,
                "--vendor-key",
                &vendor_key,
                "--chain",
                &vendor_anchors,
                "--now",
                NOW,
            ],
            4,
            0,
        ),
        (
            vec![
                "sign",
                "--csr",
                &csr,
                "--vendor-cert",
                &vendor,
                "--vendor-key",
                &vendor_key,
                "--chain",
                &vendor_anchors,
                "--now",
                NOW,
            ],
            6,
            0,
        ),
        (
            vec![
                "sign",
                "--csr",
                &csr,
                "--vendor-cert",
                &vendor,
                "--vendor-key",
                &vendor_key,
                "--chain",
                &vendor_anchors,
                "--now",
                NOW,
            ],
            8,
            0,
        ),
        (
            vec![
                "sign",
                "--csr",
                &csr,
                "--vendor-cert",
                &vendor_next,
                "--vendor-key",
                &vendor_key,
                "--intermediates",
                &wwdr,
                "--now",
                LATER,
            ],
            8,
            2,
        ),
        // verify-request: the file, the anchors, the intermediates.
        (
            vec![
                "verify-request",
                &signed,
                "--now",
                NOW,
                "--anchors",
                &vendor_anchors,
            ],
            1,
            0,
        ),
        (
            vec![
                "verify-request",
                &signed,
                "--now",
                NOW,
                "--anchors",
                &vendor_anchors,
            ],
            5,
            0,
        ),
        (vec!["verify-request", &signed, "--now", NOW], 1, 1),
        // identity: the certificate, the key, an encrypted key's password.
        (vec!["identity", "--cert", &push_b, "--key", &key], 2, 0),
        (
            vec!["identity", "--cert", &push_b, "--key", &key, "--pkcs1"],
            4,
            0,
        ),
    ];
    for (args, at, code) in &cases {
        assert_eq!(
            same_through_stdin(args, *at),
            Some(*code),
            "{args:?} [{at}]"
        );
    }
    // The verify-request case with --intermediates from standard input: the
    // rotation's chain, signed here.
    let chain = dir.join("chain.pem");
    std::fs::write(
        &chain,
        [std::fs::read(&wwdr).unwrap(), std::fs::read(&root).unwrap()].concat(),
    )
    .unwrap();
    let chain = chain.to_str().unwrap();
    let o = run(&[
        "sign",
        "--csr",
        &csr,
        "--vendor-cert",
        &rot("vendor_next.pem"),
        "--vendor-key",
        &vendor_key,
        "--chain",
        chain,
        "--now",
        LATER,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let next_signed = dir.join("next.b64");
    std::fs::write(&next_signed, &o.stdout).unwrap();
    let args = [
        "verify-request",
        next_signed.to_str().unwrap(),
        "--now",
        LATER,
        "--anchors",
        &root,
        "--intermediates",
        &wwdr,
    ];
    assert_eq!(same_through_stdin(&args, 7), Some(0));
    // A .p12 written with the password from standard input reads back with it.
    let out = dir.join("id.p12");
    let out = out.to_str().unwrap();
    let o = run_with_stdin(
        &[
            "identity",
            "--cert",
            &push_b,
            "--key",
            &key,
            "--p12",
            out,
            "--password-file",
            "-",
        ],
        b"from stdin\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = tool(&["inspect", out, "--password-env", "P", "--now", NOW])
        .env("P", "from stdin")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // An encrypted key for identity, its password from standard input.
    let o = run_with_stdin(
        &[
            "identity",
            "--cert",
            &push_b,
            "--key",
            encrypted_key,
            "--password-file",
            "-",
        ],
        b"secret\n",
    );
    // It is push_b's key: the bundle, as with the password from a file.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let by_file = run(&[
        "identity",
        "--cert",
        &push_b,
        "--key",
        encrypted_key,
        "--password-file",
        secret,
    ]);
    assert_eq!(stdout(&o), stdout(&by_file));
    assert!(stdout(&o).contains("-----BEGIN PRIVATE KEY-----"));

    // What cannot be read names standard input.
    let o = run_with_stdin(&["inspect", "-"], b"not a certificate");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("mdm-push-cert: standard input: "), "{err}");
    let o = run_with_stdin(&["inspect", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("standard input"), "{}", stderr(&o));
}

#[test]
fn dash_for_one_file_only_and_never_for_a_file_written() {
    let key = pki("customer_b.key");
    let push_b = pki("push_b.pem");
    let input = std::fs::read(&push_b).unwrap();
    for args in [
        vec!["check", "-", "--request", "-"],
        vec!["inspect", "-", "--password-file", "-"],
        vec!["inspect", "-", "--anchors", "-"],
        vec!["inspect", &push_b, "--anchors", "-", "--intermediates", "-"],
        vec!["identity", "--cert", "-", "--key", "-"],
        vec![
            "sign",
            "--csr",
            "-",
            "--vendor-cert",
            "-",
            "--vendor-key",
            &key,
        ],
        vec!["csr", "--key", "-", "--password-file", "-"],
        vec!["verify-request", "-", "--anchors", "-"],
    ] {
        let o = run_with_stdin(&args, &input);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("`-` (standard input) may stand for one file only"),
            "{args:?}: {err}"
        );
        assert!(err.contains("Usage:"), "{err}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    let dir = tempdir();
    let pass = dir.join("pass");
    std::fs::write(&pass, "secret\n").unwrap();
    let pass = pass.to_str().unwrap();
    for args in [
        vec!["csr", "--new-key", "-", "--no-encrypt"],
        vec!["csr", "--new-key", "-", "--password-file", pass],
        vec!["identity", "--cert", &push_b, "--key", &key, "--out", "-"],
        vec![
            "identity",
            "--cert",
            &push_b,
            "--key",
            &key,
            "--p12",
            "-",
            "--password-file",
            pass,
        ],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("a file name is needed"), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!std::path::Path::new("-").exists());
    }
}
