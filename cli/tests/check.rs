//! `check`: the upload check, accepted and rejected, in both languages.

mod support;

use support::{NOW, check_args, json, pki, run, run_owned, stderr, stdout, tool};

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
    // LANG=ja… selects Japanese by default (no LC_ALL or LC_MESSAGES set).
    let args = check_args("push_new_topic.pem", &[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = tool(&args).env("LANG", "ja_JP.UTF-8").output().unwrap();
    assert!(stdout(&o).contains("前回アップロードした"));
}
