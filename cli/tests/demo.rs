//! `demo`: the renewal lifecycle on the stand-in Apple.

mod support;

use support::{run, stderr, stdout};

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
