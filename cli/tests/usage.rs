//! What every command shares: exit codes and one-line errors for usage mistakes and unreadable files, and a closed pipe.

mod support;

use std::process::Command;

use support::{NOW, pki, run_owned, stderr};

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
fn a_closed_pipe_is_not_a_panic() {
    // The reading end is closed before the tool writes (as `| head` does
    // after its lines): the tool must finish without a panic or backtrace.
    let mut cases = vec![
        vec!["inspect", "PKI:push_b.pem", "--now", NOW],
        // The longest outputs: the manual page and a completion script.
        vec!["man"],
        vec!["completions", "bash"],
    ];
    if cfg!(feature = "demo") {
        cases.push(vec!["demo", "--now", "2026-06-01T09:00:00Z"]);
    }
    for args in cases {
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

/// Without the `demo` feature (a production build) there is no stand-in
/// Apple and no `demo` command: a usage error that says how to get it.
#[cfg(not(feature = "demo"))]
#[test]
fn demo_needs_the_demo_feature() {
    use support::{run, stdout};
    let o = run(&["demo"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unrecognized subcommand 'demo'"), "{err}");
    assert!(err.contains("--features demo"), "{err}");
    assert!(!stdout(&run(&["--help"])).contains("demo"));
}
