//! The messages' language from the locale: `LC_ALL`, then `LC_MESSAGES`,
//! then `LANG`, the first set and not empty (POSIX's order); `C` and
//! `POSIX` are English; `--lang` overrides them all.

mod support;

use support::{check_args, stdout, tool};

const JA: &str =
    "前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。";
const EN: &str = "You cannot upload an MDM certificate that differs from the MDM certificate you uploaded last time.";

/// `check` on a certificate with a new topic, with these locale variables
/// (and no others) set, and `extra` arguments: the message it printed.
fn message(env: &[(&str, &str)], extra: &[&str]) -> &'static str {
    let args = check_args("push_new_topic.pem", extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut c = tool(&args);
    c.envs(env.iter().copied());
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    match (out.contains(JA), out.contains(EN)) {
        (true, false) => "ja",
        (false, true) => "en",
        _ => panic!("{env:?}: {out}"),
    }
}

#[test]
fn language_from_lc_all_lc_messages_then_lang() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "en"),
        (&[("LANG", "ja_JP.UTF-8")], "ja"),
        (&[("LANG", "ja")], "ja"),
        (&[("LANG", "ja_JP@modifier")], "ja"),
        (&[("LANG", "en_US.UTF-8")], "en"),
        (&[("LANG", "C")], "en"),
        (&[("LANG", "C.UTF-8")], "en"),
        // Not a language that starts with "ja".
        (&[("LANG", "jam_JM.UTF-8")], "en"),
        // LC_MESSAGES before LANG.
        (
            &[("LC_MESSAGES", "ja_JP.UTF-8"), ("LANG", "en_US.UTF-8")],
            "ja",
        ),
        (
            &[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "ja_JP.UTF-8")],
            "en",
        ),
        (&[("LC_MESSAGES", "POSIX"), ("LANG", "ja_JP.UTF-8")], "en"),
        // LC_ALL before both.
        (
            &[
                ("LC_ALL", "ja_JP.UTF-8"),
                ("LC_MESSAGES", "en_US.UTF-8"),
                ("LANG", "en_US.UTF-8"),
            ],
            "ja",
        ),
        (
            &[
                ("LC_ALL", "C"),
                ("LC_MESSAGES", "ja_JP.UTF-8"),
                ("LANG", "ja_JP.UTF-8"),
            ],
            "en",
        ),
        (&[("LC_ALL", "POSIX"), ("LANG", "ja_JP.UTF-8")], "en"),
        // Set but empty is not set: the next one decides.
        (
            &[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "ja_JP.UTF-8"),
                ("LANG", "en_US.UTF-8"),
            ],
            "ja",
        ),
        (
            &[("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "ja_JP.UTF-8")],
            "ja",
        ),
        (&[("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "")], "en"),
    ];
    for (env, expected) in cases {
        assert_eq!(message(env, &[]), *expected, "{env:?}");
    }
    // --lang wins over every variable.
    let ja_everywhere = [
        ("LC_ALL", "ja_JP.UTF-8"),
        ("LC_MESSAGES", "ja_JP.UTF-8"),
        ("LANG", "ja"),
    ];
    assert_eq!(message(&ja_everywhere, &["--lang", "en"]), "en");
    assert_eq!(message(&[("LC_ALL", "C")], &["--lang", "ja"]), "ja");
}
