//! Reminders: a server that wakes at random times over a certificate's life
//! and across a renewal, against a plain model of the rules; and the texts.
//! Failing cases are kept in `tests/properties.proptest-regressions`.

use mdm_push_cert::{
    CertificateKind, Lang, PrivateKey, PushCertificate, RemindedCertificate, ReminderSchedule,
    SentReminder, Topic, VendorSigner,
};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime, macros::datetime};

const DAY: i64 = 86_400;

fn persistence() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    Some(Box::new(
        proptest::test_runner::FileFailurePersistence::Direct(
            "tests/properties.proptest-regressions",
        ),
    ))
}

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap()
}

fn topic() -> Topic {
    Topic::try_from("com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f").unwrap()
}

/// What the server keeps across a restart: with `serde`, the stored value
/// goes through JSON, as a database column would hold it.
fn restart(stored: SentReminder) -> SentReminder {
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&stored).unwrap();
        serde_json::from_str(&json).unwrap()
    }
    #[cfg(not(feature = "serde"))]
    {
        stored
    }
}

/// The model, in plain integer seconds and no library code: thresholds
/// `ts` (distinct, any order) cut the time before an end `e` into intervals,
/// the k-th (by decreasing threshold) from `e - t_k` up to the next one's
/// start, the last one open. In force from `from` until `until`
/// (exclusive), a certificate gets exactly one reminder per interval that
/// holds a wake: at the first wake in it, for the interval's threshold.
fn model(e: i64, ts: &[i64], from: i64, until: i64, wakes: &[i64]) -> Vec<(i64, i64, i64)> {
    let mut ts = ts.to_vec();
    ts.sort_unstable_by(|a, b| b.cmp(a));
    let mut sent = Vec::new();
    for (k, &t) in ts.iter().enumerate() {
        let start = e - t;
        let end = ts.get(k + 1).map_or(i64::MAX, |next| e - next);
        if let Some(&w) = wakes
            .iter()
            .find(|&&w| w >= from && w < until && w >= start && w < end)
        {
            sent.push((w, e, t));
        }
    }
    sent.sort_unstable();
    sent
}

/// Distinct thresholds in seconds: whole days, or any seconds, up to 366 days.
fn thresholds() -> impl Strategy<Value = Vec<i64>> {
    prop_oneof![
        Just(vec![30 * DAY, 10 * DAY, DAY, 0]),
        proptest::collection::btree_set(0i64..=366, 1..=6)
            .prop_map(|s| s.into_iter().map(|d| d * DAY).collect()),
        proptest::collection::btree_set(0i64..=366 * DAY, 1..=16)
            .prop_map(|s| s.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: persistence(),
        ..ProptestConfig::default()
    })]

    /// A server wakes at random times from 400 days before the first end to
    /// 400 days after the second; the certificate is renewed at a random
    /// time around its end, for a new end about a year later. Now and then
    /// it restarts (the stored value read back). What it sends is what the
    /// model says, and in particular no threshold twice and only the latest
    /// missed one.
    #[test]
    fn a_waking_server_sends_what_the_model_says(
        ts in thresholds(),
        e1 in 1_700_000_000i64..2_000_000_000,
        renew_after in -60 * DAY..=60 * DAY,
        new_life in 300 * DAY..=400 * DAY,
        offsets in proptest::collection::vec(0i64..=(1_300 * DAY), 0..200),
        restarts in proptest::collection::vec(any::<bool>(), 200),
    ) {
        let renewed_at = e1 + renew_after;
        let e2 = renewed_at + new_life;
        let start = e1 - 400 * DAY;
        let mut wakes: Vec<i64> = offsets.iter().map(|o| start + o).collect();
        wakes.sort_unstable();
        wakes.dedup();

        let schedule = ReminderSchedule::new(ts.iter().map(|t| Duration::seconds(*t))).unwrap();
        let old = RemindedCertificate::push(&topic(), at(e1));
        let new = RemindedCertificate::push(&topic(), at(e2));
        let mut stored: Option<SentReminder> = None;
        let mut sent = Vec::new();
        for (i, &w) in wakes.iter().enumerate() {
            let now = at(w);
            let cert = if w < renewed_at { &old } else { &new };
            if restarts[i % restarts.len()] {
                stored = stored.map(restart);
            }
            let due = schedule.due(cert, stored.as_ref(), now);
            // The decision reads only its arguments: asked again, the same.
            prop_assert_eq!(&due, &schedule.due(cert, stored.as_ref(), now));
            if let Some(r) = due {
                prop_assert_eq!(r.certificate(), cert);
                prop_assert_eq!(r.decided_at(), now);
                prop_assert_eq!(Some(r.threshold()), schedule.reached(cert.not_after(), now));
                let record = r.sent();
                prop_assert_eq!(record.not_after, cert.not_after());
                prop_assert_eq!(record.threshold, r.threshold());
                prop_assert_eq!(record.sent_at, now);
                // Stored, the same instant asks for nothing more.
                prop_assert_eq!(schedule.due(cert, Some(&record), now), None);
                sent.push((w, cert.not_after().unix_timestamp(), r.threshold().whole_seconds()));
                stored = Some(record);
            }
        }

        let mut expected = model(e1, &ts, i64::MIN, renewed_at, &wakes);
        expected.extend(model(e2, &ts, renewed_at, i64::MAX, &wakes));
        expected.sort_unstable();
        prop_assert_eq!(&sent, &expected);

        // No threshold twice for one end; for one end, later ones only.
        for e in [e1, e2] {
            let of_e: Vec<i64> = sent.iter().filter(|s| s.1 == e).map(|s| s.2).collect();
            prop_assert!(of_e.windows(2).all(|p| p[0] > p[1]), "{:?}", of_e);
        }
    }

    /// Whatever was stored (any end, any threshold), at most the latest
    /// reached threshold is due, and never one the stored value already
    /// covers for the same end.
    #[test]
    fn any_stored_value_is_respected(
        ts in thresholds(),
        e in 1_700_000_000i64..2_000_000_000,
        now in -400 * DAY..=400 * DAY,
        stored_end in prop_oneof![Just(0i64), -DAY..=DAY],
        stored_t in 0i64..=400 * DAY,
        pick in any::<proptest::sample::Index>(),
        one_of_the_schedule in any::<bool>(),
    ) {
        // Half the time the stored threshold is one of the schedule's.
        let stored_t = if one_of_the_schedule { *pick.get(&ts) } else { stored_t };
        let schedule = ReminderSchedule::new(ts.iter().map(|t| Duration::seconds(*t))).unwrap();
        let cert = RemindedCertificate::push(&topic(), at(e));
        let stored = SentReminder::new(at(e + stored_end), Duration::seconds(stored_t), at(e));
        let due = schedule.due(&cert, Some(&stored), at(e + now));
        let reached = ts.iter().copied().filter(|t| e + now >= e - t).min();
        let expected = match reached {
            Some(t) if stored_end == 0 && stored_t <= t => None,
            other => other,
        };
        prop_assert_eq!(due.map(|r| r.threshold().whole_seconds()), expected);
    }

    /// A topic accepted by `Topic` cannot carry a line break or any other
    /// control character into a subject; a vendor subject of any characters
    /// neither.
    #[test]
    fn names_cannot_break_the_subject(s in "\\PC*|[\\x00-\\x7f]{0,40}|com\\.apple\\.mgmt\\..{0,20}") {
        let now = datetime!(2026-12-19 23:59:59 UTC);
        let mut certs = vec![RemindedCertificate::vendor(&s, now)];
        if let Ok(topic) = Topic::try_from(s.as_str()) {
            prop_assert!(!topic.as_str().chars().any(char::is_control));
            certs.push(RemindedCertificate::push(&topic, now));
        }
        for cert in certs {
            let r = ReminderSchedule::default().due(&cert, None, now).unwrap();
            for lang in [Lang::En, Lang::Ja] {
                let t = r.text(lang);
                prop_assert!(!t.subject.chars().any(is_weird), "{:?}", t.subject);
                prop_assert!(!t.body.chars().any(|c| c != '\n' && is_weird(c)), "{:?}", t.body);
            }
        }
    }
}

/// Control characters, line and paragraph separators, bidirectional and
/// zero-width controls.
fn is_weird(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// The test PKI's push certificate: topic `…6c1b2f9e-…`, valid until
/// 2026-12-19T23:59:59Z.
fn push_b() -> PushCertificate {
    PushCertificate::parse(include_bytes!("fixtures/pki/push_b.pem")).unwrap()
}

#[test]
fn certificates_convert_with_their_name_and_end() {
    let cert = push_b();
    let r = RemindedCertificate::from(&cert);
    assert_eq!(r.kind(), CertificateKind::Push);
    assert_eq!(r.name(), cert.topic().as_str());
    assert_eq!(r.not_after(), datetime!(2026-12-19 23:59:59 UTC));

    let key = PrivateKey::parse(include_bytes!("fixtures/pki/vendor.key")).unwrap();
    let signer = VendorSigner::with_chain(
        include_bytes!("fixtures/pki/vendor.pem"),
        &key,
        include_bytes!("fixtures/pki/vendor_intermediates.pem"),
    )
    .unwrap();
    let v = RemindedCertificate::from(&signer);
    assert_eq!(v.kind(), CertificateKind::Vendor);
    assert_eq!(v.name(), signer.subject());
    assert_eq!(v.not_after(), signer.not_after());
}

#[test]
fn texts_name_the_certificate_the_date_and_the_days_left() {
    let cert = RemindedCertificate::from(&push_b());
    let topic = cert.name().to_owned();
    let s = ReminderSchedule::default();
    // 2026-12-09T23:59:59Z: exactly ten days before the end.
    let r = s
        .due(&cert, None, datetime!(2026-12-09 23:59:59 UTC))
        .unwrap();
    assert_eq!(r.threshold(), Duration::days(10));

    let en = r.text(Lang::En);
    assert_eq!(
        en.subject,
        format!("MDM push certificate expires on 2026-12-19 (10 days left): {topic}")
    );
    let ja = r.text(Lang::Ja);
    assert_eq!(
        ja.subject,
        format!("MDM証明書の有効期限が近づいています（2026-12-19、残り10日）: {topic}")
    );
    for (t, phrases) in [
        (
            &en,
            [
                "Expiration date: 2026-12-19 (2026-12-19 23:59:59 UTC)",
                "Remaining: 10 days left",
                "Apple Push Certificates Portal",
                "same Apple ID",
                "click \"Renew\"",
                "the expiration date 2026-12-19 and the topic",
                "Do not create a new certificate",
            ],
        ),
        (
            &ja,
            [
                "有効期限: 2026-12-19（2026-12-19 23:59:59 UTC）",
                "残り日数: 残り10日",
                "Apple Push Certificates Portal",
                "同じApple ID",
                "「Renew」をクリック",
                "有効期限が2026-12-19でトピックが",
                "新しい証明書を作成しないでください",
            ],
        ),
    ] {
        assert!(t.body.contains(&topic), "{}", t.body);
        for p in phrases {
            assert!(t.body.contains(p), "{p:?} not in {}", t.body);
        }
        assert!(!t.subject.contains('\n'));
        assert!(t.body.ends_with('\n') && !t.body.ends_with("\n\n"));
        // No format placeholder left, no stray spaces.
        for text in [&t.subject, &t.body] {
            assert!(!text.contains(['{', '}', '\t', '\r']), "{text}");
            assert!(text.lines().all(|l| l == l.trim()), "{text}");
        }
    }
}

#[test]
fn texts_count_down_and_then_say_expired() {
    let cert = RemindedCertificate::from(&push_b());
    let s = ReminderSchedule::default();
    let na = cert.not_after();
    let subject = |now, lang| s.due(&cert, None, now).unwrap().text(lang).subject;
    assert!(subject(na - Duration::days(1), Lang::En).contains("(1 day left)"));
    assert!(subject(na - Duration::days(1), Lang::Ja).contains("残り1日）"));
    // The last second of validity: not yet expired.
    assert!(subject(na, Lang::En).contains("(less than a day left)"));
    assert!(subject(na, Lang::Ja).contains("残り1日未満"));
    let en = s
        .due(&cert, None, na + Duration::SECOND)
        .unwrap()
        .text(Lang::En);
    assert!(
        en.subject
            .starts_with("MDM push certificate expired on 2026-12-19: ")
    );
    assert!(en.body.contains("Remaining: Expired"));
    assert!(en.body.contains("can still be renewed"));
    let ja = s
        .due(&cert, None, na + Duration::SECOND)
        .unwrap()
        .text(Lang::Ja);
    assert!(
        ja.subject
            .starts_with("MDM証明書の有効期限が切れています（2026-12-19）: ")
    );
    assert!(ja.body.contains("残り日数: 期限切れ"));
    assert!(ja.body.contains("有効期限後も更新できます"));
}

#[test]
fn the_date_is_the_utc_date() {
    // 2026-12-19T23:59:59Z is already the 20th in Tokyo: the text says the 19th, in UTC.
    let tokyo = time::UtcOffset::from_hms(9, 0, 0).unwrap();
    let na = datetime!(2026-12-19 23:59:59 UTC).to_offset(tokyo);
    let cert = RemindedCertificate::push(&topic(), na);
    let r = ReminderSchedule::default().due(&cert, None, na).unwrap();
    assert!(r.text(Lang::En).subject.contains("2026-12-19"));
    assert!(r.text(Lang::Ja).body.contains("2026-12-19 23:59:59 UTC"));
}

#[test]
fn vendor_texts_say_vendor_and_name_the_subject() {
    let subject = "CN=MDM Vendor: Example Inc.,OU=ABCDE12345,O=Example Inc.,C=JP";
    let cert = RemindedCertificate::vendor(subject, datetime!(2027-03-01 12:00 UTC));
    let r = ReminderSchedule::default()
        .due(&cert, None, datetime!(2027-02-01 12:00 UTC))
        .unwrap();
    assert_eq!(r.kind(), CertificateKind::Vendor);
    let en = r.text(Lang::En);
    assert_eq!(
        en.subject,
        format!("MDM vendor certificate expires on 2027-03-01 (28 days left): {subject}")
    );
    assert!(en.body.contains(&format!("Subject: {subject}")));
    assert!(en.body.contains("MDM CSR"));
    assert!(!en.body.contains("Renew"));
    let ja = r.text(Lang::Ja);
    assert_eq!(
        ja.subject,
        format!("MDMベンダー証明書の有効期限が近づいています（2027-03-01、残り28日）: {subject}")
    );
    assert!(ja.body.contains(&format!("サブジェクト: {subject}")));
    assert!(ja.body.contains("ベンダー署名付きCSRファイル"));
    // The push text is another text.
    let push = RemindedCertificate::push(&topic(), cert.not_after());
    let p = ReminderSchedule::default()
        .due(&push, None, datetime!(2027-02-01 12:00 UTC))
        .unwrap();
    assert_ne!(
        p.text(Lang::En).body,
        en.body.replace(subject, p.certificate().name())
    );
}

#[test]
fn topics_refuse_line_breaks() {
    for bad in [
        "com.apple.mgmt.a\nb",
        "com.apple.mgmt.a\rb",
        "com.apple.mgmt.a\u{2028}",
    ] {
        assert!(Topic::try_from(bad).is_err(), "{bad:?}");
    }
}
