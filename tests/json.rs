//! The JSON contract: what the serde types write is what README.md's
//! **JSON** section documents, field by field (keys, JSON types, formats),
//! on values made by the stand-in Apple in every state and on real Apple
//! certificates (`MDM_PUSH_CERT_REALWORLD`), and it reads back.
//!
//! The README's tables are parsed, so a field added, renamed or reformatted
//! on either side fails here. The parser and checker are
//! `tests/support/json_contract.rs`, which the example server's test
//! includes too, to hold the server's bodies to the same tables.

#![cfg(all(feature = "serde", feature = "testing"))]

use std::collections::BTreeSet;

use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::format_description::well_known::Rfc3339;
use mdm_push_cert::time::{Duration, OffsetDateTime};
use mdm_push_cert::{
    CertificateSummary, ErrorResponse, Expiry, InvalidReason, Lang, PushCertificate,
    RemindedCertificate, ReminderSchedule, SentReminder, Topic, UploadCheck, UploadError,
};
use serde_json::Value;
use sha2::Digest as _;

#[path = "support/json_contract.rs"]
mod json_contract;

use json_contract::{Field, check_field, check_fields, json_tables};

/// The package's README (the crate docs), as the tests of the package read it.
fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn table(name: &str) -> Vec<Field> {
    json_tables(&readme())
        .remove(name)
        .unwrap_or_else(|| panic!("README.md documents no `{name}`"))
}

/// The values a field's `one of` format allows.
fn allowed(fields: &[Field], name: &str) -> BTreeSet<String> {
    let f = fields.iter().find(|f| f.name == name).unwrap();
    f.format
        .strip_prefix("one of ")
        .unwrap()
        .split(", ")
        .map(|v| v.trim_matches('`').to_owned())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 2025-11-24T16:00:00Z, the registration of the README's first example.
fn registered_at() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_764_000_000).unwrap()
}

/// A summary written as JSON: documented, true to the certificate, and read
/// back unchanged.
fn check_summary(cert: &PushCertificate, now: OffsetDateTime, fields: &[Field]) -> Value {
    let summary = cert.summary(now);
    let json = serde_json::to_value(&summary).unwrap();
    check_fields(&json, fields).unwrap_or_else(|e| panic!("CertificateSummary: {e}"));
    let expiry = cert.expiry(now);
    assert_eq!(json["topic"], cert.topic().as_str());
    assert_eq!(json["subject"], cert.subject());
    assert_eq!(json["issuer"], cert.issuer());
    assert_eq!(json["serial"], hex(cert.serial()));
    assert!(
        !json["serial"].as_str().unwrap().starts_with("00") || cert.serial() == [0],
        "no sign octet: {json}"
    );
    assert_eq!(
        json["sha256_fingerprint"],
        hex(&sha2::Sha256::digest(cert.der()))
    );
    for (key, t) in [
        ("not_before", cert.not_before()),
        ("not_after", cert.not_after()),
    ] {
        let parsed = OffsetDateTime::parse(json[key].as_str().unwrap(), &Rfc3339).unwrap();
        assert_eq!(parsed, t, "{key}");
    }
    assert_eq!(json["status"], expiry.status());
    assert_eq!(json["expired"], expiry.status() == "expired");
    assert_eq!(json["expiring_soon"], expiry.status() == "expiring_soon");
    assert_eq!(
        json["days_remaining"].is_null(),
        expiry.status() == "not_yet_valid"
    );
    let back: CertificateSummary = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, summary);
    json
}

#[test]
fn the_readme_documents_each_object_once() {
    let tables = json_tables(&readme());
    assert_eq!(
        tables.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "CertificateSummary",
            "ErrorResponse",
            "Expiry",
            "OutcomeResponse",
            "SentReminder"
        ]
    );
    // Every format and type the tables use is one the checker knows: an
    // unknown one is an error, whatever the value.
    for (name, fields) in &tables {
        for f in fields {
            let e = check_field(f, &Value::Array(vec![]));
            assert!(
                e.as_ref().is_err_and(|e| !e.contains("unknown")),
                "{name}.{}: {e:?}",
                f.name
            );
        }
    }
    // The checker refuses what the formats exclude.
    let field = |json_type: &str, format: &str| Field {
        name: "f".into(),
        json_type: json_type.into(),
        format: format.into(),
    };
    for (f, bad) in [
        (field("string", "hex, 64 digits"), "AB".repeat(32)),
        (field("string", "hex, 64 digits"), "ab".repeat(31)),
        (field("string", "hex, 2 to 40 digits"), "abc".into()),
        (field("string", "hex, 2 to 40 digits"), "ab:cd".into()),
        (
            field("string", "RFC 3339 UTC"),
            "2026-12-04T01:00:00+00:00".into(),
        ),
        (
            field("string", "RFC 3339 UTC"),
            "2026-12-04T01:00:00.5Z".into(),
        ),
        (
            field("string", "RFC 3339 UTC"),
            "2026-13-04T01:00:00Z".into(),
        ),
        (field("string", "topic"), "com.apple.mgmt.".into()),
        (field("string", "topic"), "com.example.x".into()),
        (field("string", "one of `a`, `b`"), "c".into()),
        (field("string", "text"), " ".into()),
    ] {
        assert!(
            check_field(&f, &Value::String(bad.clone())).is_err(),
            "{f:?} {bad}"
        );
    }
    assert!(check_field(&field("integer", "≥ 0"), &serde_json::json!(-1)).is_err());
    assert!(check_field(&field("integer", "—"), &Value::Null).is_err());
    assert!(check_field(&field("boolean", "—"), &serde_json::json!("true")).is_err());
    let two = [field("boolean", "—"), field("integer", "—")];
    assert!(check_fields(&serde_json::json!({"f": true}), &two).is_err());
}

#[test]
fn summaries_in_every_state_are_as_documented() {
    let fields = table("CertificateSummary");
    let apple = StandInApple::new(1);
    let key = apple.customer_key(1).unwrap();
    let cert = apple.first_registration(&key, registered_at()).unwrap();
    let (nb, na) = (cert.not_before(), cert.not_after());
    let mut seen = BTreeSet::new();
    for (now, days) in [
        (nb - Duration::seconds(1), None),
        (nb, Some(364)),
        (na - Duration::days(30) - Duration::seconds(1), Some(30)),
        (na - Duration::days(30), Some(30)),
        (na - Duration::days(20) - Duration::hours(23), Some(20)),
        (na, Some(0)),
        (na + Duration::seconds(1), Some(-1)),
        (na + Duration::days(1) - Duration::seconds(1), Some(-1)),
        (na + Duration::days(1), Some(-2)),
        (na + Duration::days(400), Some(-401)),
    ] {
        let json = check_summary(&cert, now, &fields);
        assert_eq!(json["days_remaining"].as_i64(), days, "{json}");
        seen.insert(json["status"].as_str().unwrap().to_owned());
    }
    // Every documented status occurs.
    assert_eq!(seen, allowed(&fields, "status"));

    // The README's example is this certificate 20 days before its end.
    let example = readme()
        .split("### `CertificateSummary`")
        .nth(1)
        .and_then(|s| s.split("```json\n").nth(1))
        .and_then(|s| s.split("```").next())
        .map(|s| serde_json::from_str::<Value>(s).unwrap())
        .expect("a json example under CertificateSummary");
    assert_eq!(
        example,
        check_summary(&cert, na - Duration::days(20), &fields)
    );
}

#[test]
fn real_apple_certificates_summarize_as_documented() {
    let fields = table("CertificateSummary");
    let Some(dir) = std::env::var_os("MDM_PUSH_CERT_REALWORLD") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "MDM_PUSH_CERT_REALWORLD must be set under CI"
        );
        eprintln!("MDM_PUSH_CERT_REALWORLD is not set: real-file tests skipped");
        return;
    };
    let mut n = 0;
    let mut sign_octet = false;
    for entry in std::fs::read_dir(std::path::Path::new(&dir).join("push")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let Ok(cert) = PushCertificate::parse(&bytes) else {
            continue;
        };
        for now in [cert.not_before(), cert.not_after() + Duration::days(1)] {
            check_summary(&cert, now, &fields);
        }
        // DER puts a 00 before a serial whose first bit is set; the JSON does not.
        sign_octet |= cert.serial().first().is_some_and(|b| b & 0x80 != 0);
        n += 1;
    }
    assert!(n >= 5, "{n} real push certificates");
    assert!(sign_octet, "a real serial with its first bit set");
}

#[test]
fn expiry_is_as_documented() {
    let fields = table("Expiry");
    let nb = registered_at();
    let na = nb + Duration::days(365);
    let window = mdm_push_cert::EXPIRY_WARNING_WINDOW;
    let mut seen = BTreeSet::new();
    for (now, seconds, usable) in [
        (nb - Duration::milliseconds(1_500), 1, false),
        (nb, 365 * 86_400, true),
        (na - Duration::days(3), 3 * 86_400, true),
        (na, 0, true),
        (na + Duration::milliseconds(2_999), 2, false),
    ] {
        let e = Expiry::classify(nb, na, now, window);
        let json = serde_json::to_value(e).unwrap();
        check_fields(&json, &fields).unwrap_or_else(|err| panic!("Expiry: {err}"));
        assert_eq!(json["status"], e.status());
        assert_eq!(json["days_remaining"].as_i64(), e.days_remaining());
        assert_eq!(json["seconds"], seconds, "{json}");
        assert_eq!(json["usable"], usable);
        seen.insert(e.status().to_owned());
    }
    assert_eq!(seen, allowed(&fields, "status"));
}

#[test]
fn upload_errors_of_every_kind_are_as_documented() {
    let fields = table("ErrorResponse");
    let apple = StandInApple::new(2);
    let now = registered_at();
    let key = apple.customer_key(1).unwrap();
    let other = apple.customer_key(2).unwrap();
    let current = apple.first_registration(&key, now).unwrap();
    let check = UploadCheck::new(now)
        .trust_anchors(apple.anchors())
        .previous_certificate(&current);
    let refused = |bytes: &[u8]| check.check(bytes).unwrap_err();
    let pem = apple.renewal(&current, &key, now).unwrap().to_pem();
    let shorter = apple
        .issue(
            &key,
            current.topic(),
            now,
            current.not_after() - Duration::days(1),
        )
        .unwrap();
    let errors = [
        refused(b"not a certificate"),
        refused(include_bytes!("fixtures/identity/modern.p12")),
        refused(apple.expired(&key, now).unwrap().der()),
        refused(shorter.der()),
        UploadCheck::new(now).check(current.der()).unwrap_err(),
        UploadError::InvalidCertificate {
            reason: InvalidReason::MissingPushMarker,
        },
        UploadCheck::new(now)
            .trust_anchors(apple.anchors())
            .expected_public_key(other.spki_der())
            .check(current.der())
            .unwrap_err(),
        refused(&pem.as_bytes()[..pem.len() / 2]),
        UploadCheck::new(now)
            .trust_anchors(apple.anchors())
            .check(apple.not_yet_valid(&key, now).unwrap().der())
            .unwrap_err(),
        UploadError::retry_later("the database is unavailable"),
        refused(
            apple
                .created_instead_of_renewed(&current, &other, now)
                .unwrap()
                .der(),
        ),
    ];
    assert_eq!(
        errors.iter().map(UploadError::code).collect::<Vec<_>>(),
        [
            "invalid_certificate",
            "invalid_certificate",
            "invalid_certificate",
            "invalid_certificate",
            "invalid_certificate",
            "invalid_certificate",
            "public_key_mismatch",
            "retry_later",
            "retry_later",
            "retry_later",
            "topic_mismatch",
        ]
    );
    let mut seen = BTreeSet::new();
    for e in &errors {
        for lang in [Lang::En, Lang::Ja] {
            let body = e.to_response(lang);
            let json = serde_json::to_value(&body).unwrap();
            check_fields(&json, &fields).unwrap_or_else(|err| panic!("ErrorResponse: {err}"));
            assert_eq!(json["code"], e.code());
            assert_eq!(json["message"], e.message(lang));
            assert_eq!(json["remedy"], e.remedy(lang));
            assert_eq!(json["detail"], e.detail());
            let back: ErrorResponse = serde_json::from_value(json).unwrap();
            assert_eq!(back, body);
        }
        seen.insert(e.code().to_owned());
    }
    assert_eq!(seen, allowed(&fields, "code"));
    // Each reason above is a different one (unreadable, a .p12, expired, not
    // a renewal, untrusted, no marker; truncated, not yet valid, the server's).
    let details: BTreeSet<String> = errors.iter().map(UploadError::detail).collect();
    assert_eq!(details.len(), errors.len());
}

#[test]
fn topics_and_languages_are_strings() {
    let apple = StandInApple::new(3);
    let key = apple.customer_key(1).unwrap();
    let topic = apple.new_topic(&key).unwrap();
    let json = serde_json::to_value(&topic).unwrap();
    let f = Field {
        name: "topic".into(),
        json_type: "string".into(),
        format: "topic".into(),
    };
    check_field(&f, &json).unwrap();
    assert_eq!(serde_json::from_value::<Topic>(json).unwrap(), topic);
    assert!(serde_json::from_str::<Topic>("\"com.example.x\"").is_err());
    for (lang, tag) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
        assert_eq!(serde_json::to_value(lang).unwrap(), tag);
        assert_eq!(serde_json::from_value::<Lang>(tag.into()).unwrap(), lang);
    }
    assert_eq!(serde_json::from_str::<Lang>("\"ja-JP\"").unwrap(), Lang::Ja);
    assert!(serde_json::from_str::<Lang>("\"fr\"").is_err());
}

#[test]
fn times_read_in_another_offset_are_written_back_in_utc_whole_seconds() {
    let fields = table("CertificateSummary");
    let apple = StandInApple::new(1);
    let key = apple.customer_key(1).unwrap();
    let cert = apple.first_registration(&key, registered_at()).unwrap();
    let mut json = serde_json::to_value(cert.summary(registered_at())).unwrap();
    let utc = json["not_after"].as_str().unwrap().to_owned();
    // The same instant nine hours east, with a fraction of a second.
    let t = OffsetDateTime::parse(&utc, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
    let tokyo = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.250+09:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    json["not_after"] = Value::String(tokyo);
    let read: mdm_push_cert::CertificateSummary = serde_json::from_value(json).unwrap();
    assert_eq!(read.not_after, cert.not_after());
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(written["not_after"], Value::String(utc));
    check_fields(&written, &fields).unwrap();
}

/// Every reminder of a certificate's life (30, 10, 1 days before, the end)
/// stores as documented and reads back; times in another offset or with a
/// fraction are written back in UTC whole seconds; a negative threshold is
/// refused.
#[test]
fn sent_reminders_are_as_documented() {
    let fields = table("SentReminder");
    let apple = StandInApple::new(4);
    let key = apple.customer_key(1).unwrap();
    let cert = apple.first_registration(&key, registered_at()).unwrap();
    let reminded = RemindedCertificate::from(&cert);
    let schedule = ReminderSchedule::default();
    let mut stored: Option<SentReminder> = None;
    let mut thresholds = Vec::new();
    for day in 300..=400 {
        let now = registered_at() + Duration::days(day);
        let Some(reminder) = schedule.due(&reminded, stored.as_ref(), now) else {
            continue;
        };
        let sent = reminder.sent();
        let json = serde_json::to_value(sent).unwrap();
        check_fields(&json, &fields).unwrap_or_else(|e| panic!("SentReminder: {e}"));
        assert_eq!(
            json["not_after"],
            cert.not_after().format(&Rfc3339).unwrap().as_str()
        );
        assert_eq!(
            json["threshold_seconds"],
            reminder.threshold().whole_seconds()
        );
        assert_eq!(json["sent_at"], now.format(&Rfc3339).unwrap().as_str());
        let back: SentReminder = serde_json::from_value(json).unwrap();
        assert_eq!(back, sent);
        thresholds.push(back.threshold.whole_days());
        stored = Some(back);
    }
    assert_eq!(thresholds, [30, 10, 1, 0]);

    let read: SentReminder = serde_json::from_str(
        r#"{"not_after": "2026-11-25T00:59:59.250+09:00", "threshold_seconds": 864000,
            "sent_at": "2026-11-14T18:00:00+09:00"}"#,
    )
    .unwrap();
    let written = serde_json::to_value(read).unwrap();
    check_fields(&written, &fields).unwrap();
    assert_eq!(written["not_after"], "2026-11-24T15:59:59Z");
    assert_eq!(written["sent_at"], "2026-11-14T09:00:00Z");
    assert_eq!(read.threshold, Duration::days(10));
    for bad in [
        r#"{"not_after": "2026-11-24T15:59:59Z", "threshold_seconds": -1, "sent_at": "2026-11-14T09:00:00Z"}"#,
        r#"{"not_after": "2026-11-24T15:59:59Z", "threshold_seconds": 1.5, "sent_at": "2026-11-14T09:00:00Z"}"#,
        r#"{"not_after": "2026-11-24T15:59:59Z", "threshold_seconds": 18446744073709551615, "sent_at": "2026-11-14T09:00:00Z"}"#,
        r#"{"not_after": "2026-11-24", "threshold_seconds": 0, "sent_at": "2026-11-14T09:00:00Z"}"#,
    ] {
        assert!(serde_json::from_str::<SentReminder>(bad).is_err(), "{bad}");
    }
}

/// Every kind of outcome, from every kind of answer, in both languages.
#[cfg(feature = "apns")]
#[test]
fn push_outcomes_are_as_documented() {
    use mdm_push_cert::apns::{Outcome, OutcomeKind, TlsAlert};
    use mdm_push_cert::http::{HeaderMap, StatusCode};

    let fields = table("OutcomeResponse");
    let mut headers = HeaderMap::new();
    headers.insert(
        "apns-id",
        "8A3B2E45-6C1D-4E2F-9A0B-1C2D3E4F5A6B".parse().unwrap(),
    );
    headers.insert("retry-after", "30".parse().unwrap());
    let mut outcomes = Vec::new();
    for status in [200u16, 400, 403, 404, 405, 410, 413, 429, 500, 503, 302] {
        for body in [
            &br#"{"reason":"Unregistered","timestamp":1764579600000}"#[..],
            br#"{"reason":"BadDeviceToken"}"#,
            br#"{"reason":"DeviceTokenNotForTopic"}"#,
            br#"{"reason":"BadCertificateEnvironment"}"#,
            br#"{"reason":"BadCertificate"}"#,
            b"",
        ] {
            outcomes.push(Outcome::from_response(
                StatusCode::from_u16(status).unwrap(),
                &headers,
                body,
            ));
        }
    }
    for alert in [42u8, 44, 45, 48, 51, 80] {
        outcomes.push(Outcome::from_tls_alert(TlsAlert::from_u8(alert)));
    }
    outcomes.push(Outcome::from_goaway(
        br#"{"reason":"BadCertificateEnvironment"}"#,
    ));
    outcomes.push(Outcome::untrusted_server());
    outcomes.push(Outcome::no_answer());
    let mut kinds = BTreeSet::new();
    for outcome in &outcomes {
        for lang in [Lang::En, Lang::Ja] {
            let json = serde_json::to_value(outcome.to_response(lang)).unwrap();
            check_fields(&json, &fields).unwrap_or_else(|e| panic!("{outcome}: {e}"));
            let back: mdm_push_cert::apns::OutcomeResponse = serde_json::from_value(json).unwrap();
            assert_eq!(back, outcome.to_response(lang));
        }
        kinds.insert(outcome.code());
    }
    // Every code the table lists was written.
    assert_eq!(
        kinds,
        allowed(&fields, "outcome")
            .iter()
            .map(String::as_str)
            .collect()
    );
    assert!(OutcomeKind::from_code("delivered").is_some());
}
