//! The `apns` module from the outside: the request's bytes, every status and
//! reason Apple documents mapped to its outcome, GOAWAY and TLS alerts,
//! token and PushMagic parsing against a plain model, the error-body reader
//! against `serde_json`, and (features `rustls` and `testing`) real TLS
//! handshakes in memory in which the push identity is swapped.

#![cfg(feature = "apns")]

use mdm_push_cert::Topic;
use mdm_push_cert::apns::{
    Answer, ApnsId, DeviceToken, DeviceTokenError, Endpoint, MdmPush, Outcome, OutcomeKind,
    PushMagic, PushMagicError, Reason, ReceivedPush, TlsAlert,
};
use mdm_push_cert::http::{self, HeaderMap, HeaderValue, StatusCode};
use proptest::prelude::*;
use std::time::Duration;
use time::macros::datetime;

const TOKEN: &str = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0";
const MAGIC: &str = "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F";
const TOPIC: &str = "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f";

fn push() -> MdmPush {
    // 2026-12-01T09:00:00Z.
    MdmPush::new(
        TOKEN.parse().unwrap(),
        MAGIC.parse().unwrap(),
        datetime!(2026-12-01 09:00 UTC),
    )
}

fn topic() -> Topic {
    TOPIC.parse().unwrap()
}

#[test]
fn the_request_is_exactly_the_documented_one() {
    let id: ApnsId = "EABEAE54-14A8-11E5-B60B-1697F925EC7B".parse().unwrap();
    let request = push()
        .with_apns_id(id)
        .to_request(&Endpoint::PRODUCTION, &topic());
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.version(), http::Version::HTTP_2);
    assert_eq!(
        request.uri().to_string(),
        format!("https://api.push.apple.com/3/device/{TOKEN}")
    );
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str(), v.to_str().unwrap()))
        .collect();
    assert_eq!(
        headers,
        [
            ("apns-topic", TOPIC),
            ("apns-push-type", "mdm"),
            // 2026-12-08T09:00:00Z: seven days after `now`.
            ("apns-expiration", "1796720400"),
            ("apns-priority", "10"),
            ("apns-id", "eabeae54-14a8-11e5-b60b-1697f925ec7b"),
        ]
    );
    assert_eq!(
        request.body().as_slice(),
        b"{\"mdm\":\"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F\"}"
    );
    // Without an id there is no apns-id header; the same push makes the same
    // request again (a retry).
    let plain = push().to_request(&Endpoint::DEVELOPMENT_2197, &topic());
    assert!(plain.headers().get("apns-id").is_none());
    assert_eq!(plain.headers().len(), 4);
    assert_eq!(
        plain.uri().authority().unwrap().as_str(),
        "api.development.push.apple.com:2197"
    );
    let again = push().to_request(&Endpoint::DEVELOPMENT_2197, &topic());
    assert_eq!(again.uri(), plain.uri());
    assert_eq!(again.headers(), plain.headers());
    assert_eq!(again.body(), plain.body());
}

#[test]
fn the_expiration_is_never_zero() {
    let p = push().expires_at(time::OffsetDateTime::UNIX_EPOCH);
    assert_eq!(p.expiration_header(), 1);
    let r = p.to_request(&Endpoint::PRODUCTION, &topic());
    assert_eq!(r.headers()["apns-expiration"], "1");
    let later = push().expires_at(datetime!(2027-01-01 0:00 UTC));
    assert_eq!(later.expiration_header(), 1_798_761_600);
}

#[test]
fn a_custom_endpoint_carries_its_authority() {
    let e = Endpoint::custom("https://127.0.0.1:8443").unwrap();
    let r = push().to_request(&e, &topic());
    assert_eq!(
        r.uri().to_string(),
        format!("https://127.0.0.1:8443/3/device/{TOKEN}")
    );
}

#[test]
fn the_request_reads_back_as_apns_checks_it() {
    let request = push()
        .with_apns_id(ApnsId::from_random_bytes([7; 16]))
        .to_request(&Endpoint::PRODUCTION, &topic());
    let got = ReceivedPush::read(&request).unwrap();
    assert_eq!(got.token().as_hex(), TOKEN);
    assert_eq!(got.topic(), TOPIC);
    assert_eq!(got.push_type(), "mdm");
    assert_eq!(got.priority(), Some(10));
    assert_eq!(got.expiration(), Some(1_796_720_400));
    assert_eq!(got.push_magic().map(PushMagic::as_str), Some(MAGIC));
    assert_eq!(
        got.apns_id().map(ApnsId::as_str),
        Some("07070707-0707-4707-8707-070707070707")
    );

    // Each check, with the reason APNs answers.
    let with = |f: &dyn Fn(&mut http::Request<Vec<u8>>)| {
        let mut r = push().to_request(&Endpoint::PRODUCTION, &topic());
        f(&mut r);
        ReceivedPush::read(&r)
    };
    let set = |name: &'static str, value: &'static str| {
        move |r: &mut http::Request<Vec<u8>>| {
            r.headers_mut()
                .insert(name, HeaderValue::from_static(value));
        }
    };
    type Change = Box<dyn Fn(&mut http::Request<Vec<u8>>)>;
    let cases: Vec<(Change, Reason)> = vec![
        (
            Box::new(|r| *r.method_mut() = http::Method::GET),
            Reason::MethodNotAllowed,
        ),
        (
            Box::new(|r| *r.uri_mut() = "https://x/3/devices/ab".parse().unwrap()),
            Reason::BadPath,
        ),
        (
            Box::new(|r| *r.uri_mut() = "https://x/3/device/".parse().unwrap()),
            Reason::MissingDeviceToken,
        ),
        (
            Box::new(|r| *r.uri_mut() = "https://x/3/device/zz".parse().unwrap()),
            Reason::BadDeviceToken,
        ),
        (
            Box::new(|r| {
                r.headers_mut()
                    .append("apns-priority", HeaderValue::from_static("5"));
            }),
            Reason::DuplicateHeaders,
        ),
        (
            Box::new(|r| {
                r.headers_mut().remove("apns-topic");
            }),
            Reason::MissingTopic,
        ),
        (
            Box::new(set("apns-push-type", "alert")),
            Reason::InvalidPushType,
        ),
        (Box::new(set("apns-priority", "7")), Reason::BadPriority),
        (
            Box::new(set("apns-expiration", "-1")),
            Reason::BadExpirationDate,
        ),
        (Box::new(set("apns-id", "not-a-uuid")), Reason::BadMessageId),
        (Box::new(|r| r.body_mut().clear()), Reason::PayloadEmpty),
        (
            Box::new(|r| *r.body_mut() = vec![b' '; 4097]),
            Reason::PayloadTooLarge,
        ),
    ];
    for (change, reason) in cases {
        assert_eq!(with(&*change), Err(reason.clone()), "{reason}");
    }
    // A body APNs takes but whose `mdm` is no PushMagic reads without one.
    let odd = with(&|r| *r.body_mut() = br#"{"mdm":"a\"b"}"#.to_vec()).unwrap();
    assert_eq!(odd.push_magic(), None);
}

/// Every status and reason of Apple's "Handling notification responses
/// from APNs" table, and the outcome each gets: (status, reason, code).
///
/// Cross-checked by hand against the Go peers (no code copied): nanomdm's
/// `push/nanopush/provider.go` decodes `{"reason","timestamp"}` from the
/// body and from a GOAWAY's debug data into one error and classifies
/// nothing; sideshow/apns2's `response.go` lists 23 of these reason
/// constants (not `BadCollapseId`, `InvalidPushType`, `ExpiredToken`, the
/// five token-auth ones nor `TooManyProviderTokenUpdates`); where both name
/// a reason, their status is the one below. apns2 parses `timestamp` as
/// seconds, where Apple documents milliseconds (checked below). Where the
/// peers act on a reason (retry or not), this table agrees with Apple's
/// "don't retry BadDeviceToken, DeviceTokenNotForTopic, Forbidden,
/// ExpiredToken, Unregistered, PayloadTooLarge".
const DOCUMENTED: &[(u16, &str, &str)] = &[
    (400, "BadCollapseId", "request_rejected"),
    (400, "BadDeviceToken", "bad_device_token"),
    (400, "BadExpirationDate", "request_rejected"),
    (400, "BadMessageId", "request_rejected"),
    (400, "BadPriority", "request_rejected"),
    (400, "BadTopic", "topic_mismatch"),
    (400, "DeviceTokenNotForTopic", "topic_mismatch"),
    (400, "DuplicateHeaders", "request_rejected"),
    (400, "IdleTimeout", "apns_unavailable"),
    (400, "InvalidPushType", "request_rejected"),
    (400, "MissingDeviceToken", "request_rejected"),
    (400, "MissingTopic", "request_rejected"),
    (400, "PayloadEmpty", "request_rejected"),
    (400, "TopicDisallowed", "topic_mismatch"),
    (403, "BadCertificate", "certificate_not_trusted"),
    (403, "BadCertificateEnvironment", "wrong_environment"),
    (403, "ExpiredProviderToken", "request_rejected"),
    (403, "Forbidden", "certificate_not_trusted"),
    (403, "InvalidProviderToken", "request_rejected"),
    (403, "MissingProviderToken", "request_rejected"),
    (403, "UnrelatedKeyIdInToken", "request_rejected"),
    (403, "BadEnvironmentKeyIdInToken", "request_rejected"),
    (404, "BadPath", "request_rejected"),
    (405, "MethodNotAllowed", "request_rejected"),
    (410, "ExpiredToken", "device_gone"),
    (410, "Unregistered", "device_gone"),
    (413, "PayloadTooLarge", "request_rejected"),
    (429, "TooManyProviderTokenUpdates", "rate_limited"),
    (429, "TooManyRequests", "rate_limited"),
    (500, "InternalServerError", "apns_unavailable"),
    (503, "ServiceUnavailable", "apns_unavailable"),
    (503, "Shutdown", "apns_unavailable"),
];

fn respond(status: u16, body: &str) -> Outcome {
    Outcome::from_response(
        StatusCode::from_u16(status).unwrap(),
        &HeaderMap::new(),
        body.as_bytes(),
    )
}

#[test]
fn every_documented_reason_maps_to_its_outcome() {
    for &(status, reason, code) in DOCUMENTED {
        let body = format!(r#"{{"reason":"{reason}"}}"#);
        let o = respond(status, &body);
        assert_eq!(o.code(), code, "{status} {reason}");
        assert_eq!(o.status(), Some(status));
        assert_eq!(o.reason().map(Reason::name), Some(reason));
        assert_eq!(o.prunes_token(), code == "device_gone", "{reason}");
        assert_eq!(
            o.is_retryable(),
            matches!(code, "rate_limited" | "apns_unavailable"),
            "{reason}"
        );
        assert_eq!(o.retry_after().is_some(), o.is_retryable(), "{reason}");
        let r = Reason::from_name(reason);
        assert_eq!(r.documented_status(), Some(status), "{reason}");
        // The stand-in's body reads back as the same answer.
        let again = Outcome::from_response(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            &r.to_body(None),
        );
        assert_eq!(again, o);
    }
    // Apple: "Don't retry notification responses with the error code
    // BadDeviceToken, DeviceTokenNotForTopic, Forbidden, ExpiredToken,
    // Unregistered, or PayloadTooLarge."
    for (status, reason) in [
        (400, "BadDeviceToken"),
        (400, "DeviceTokenNotForTopic"),
        (403, "Forbidden"),
        (410, "ExpiredToken"),
        (410, "Unregistered"),
        (413, "PayloadTooLarge"),
    ] {
        let o = respond(status, &format!(r#"{{"reason":"{reason}"}}"#));
        assert!(!o.is_retryable(), "{reason}");
    }
    // The table is Apple's whole list: a new documented reason adds a row.
    let names: Vec<String> = Reason::documented().map(|r| r.name().to_owned()).collect();
    let table: Vec<&str> = DOCUMENTED.iter().map(|(_, r, _)| *r).collect();
    assert_eq!(names, table);
}

#[test]
fn statuses_decide_before_reasons() {
    // 200 is delivered whatever the body says.
    let ok = respond(200, r#"{"reason":"BadDeviceToken"}"#);
    assert_eq!(ok.kind(), OutcomeKind::Delivered);
    assert_eq!(ok.reason(), None);
    // 410 prunes whatever the reason; a 410 without a body too.
    assert_eq!(respond(410, "").kind(), OutcomeKind::DeviceGone);
    assert_eq!(
        respond(410, r#"{"reason":"Shutdown"}"#).code(),
        "device_gone"
    );
    // 429 and 5xx by status alone.
    assert_eq!(respond(429, "").code(), "rate_limited");
    assert_eq!(respond(502, "<html>").code(), "apns_unavailable");
    assert_eq!(
        respond(503, r#"{"reason":"BadDeviceToken"}"#).code(),
        "apns_unavailable"
    );
    // A reason counts with its documented status only: a 400 saying
    // Unregistered does not prune, a 400 BadCertificate is not the
    // certificate's.
    assert_eq!(
        respond(400, r#"{"reason":"Unregistered"}"#).code(),
        "request_rejected"
    );
    assert_eq!(
        respond(400, r#"{"reason":"BadCertificate"}"#).code(),
        "request_rejected"
    );
    // Unknown reasons keep their text and fall to the status class.
    let unknown = respond(400, r#"{"reason":"SomethingNew"}"#);
    assert_eq!(unknown.code(), "request_rejected");
    assert_eq!(
        unknown.reason(),
        Some(&Reason::Other("SomethingNew".into()))
    );
    assert_eq!(
        respond(403, r#"{"reason":"SomethingNew"}"#).code(),
        "certificate_not_trusted"
    );
    assert_eq!(respond(403, "").code(), "certificate_not_trusted");
    assert_eq!(respond(418, "").code(), "request_rejected");
    // Not an answer APNs documents: a redirect, another 2xx.
    assert_eq!(respond(301, "").code(), "request_rejected");
    assert_eq!(respond(204, "").code(), "request_rejected");
    // A body that is not JSON is classified by its status.
    assert_eq!(
        respond(400, "{\"reason\":\"BadDeviceToken\"").code(),
        "request_rejected"
    );
}

#[test]
fn gone_keeps_the_timestamp_in_milliseconds() {
    // 1764579600000 ms is 2025-12-01T09:00:00Z (apns2 would read it as
    // seconds, 57,000 years later).
    let o = respond(
        410,
        r#"{"reason":"Unregistered","timestamp":1764579600000}"#,
    );
    assert_eq!(o.timestamp_ms(), Some(1_764_579_600_000));
    assert_eq!(o.timestamp(), Some(datetime!(2025-12-01 09:00 UTC)));
    assert_eq!(
        o.to_string(),
        "device_gone: HTTP 410 Unregistered, inactive since 2025-12-01T09:00:00Z"
    );
    let resp = o.to_response(mdm_push_cert::Lang::En);
    assert_eq!(resp.outcome, "device_gone");
    assert_eq!(resp.status, Some(410));
    assert_eq!(resp.reason.as_deref(), Some("Unregistered"));
    assert_eq!(resp.timestamp.as_deref(), Some("2025-12-01T09:00:00Z"));
    assert_eq!(resp.retry_after_seconds, None);
}

#[test]
fn waits_and_ids_come_from_the_headers() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("120"));
    headers.insert(
        "apns-id",
        HeaderValue::from_static("eabeae54-14a8-11e5-b60b-1697f925ec7b"),
    );
    let limited = Outcome::from_response(
        StatusCode::TOO_MANY_REQUESTS,
        &headers,
        br#"{"reason":"TooManyRequests"}"#,
    );
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(
        limited.apns_id(),
        Some("eabeae54-14a8-11e5-b60b-1697f925ec7b")
    );
    assert_eq!(
        limited
            .to_response(mdm_push_cert::Lang::Ja)
            .retry_after_seconds,
        Some(120)
    );

    let wait = |value: &'static str, status: u16| {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static(value));
        Outcome::from_response(StatusCode::from_u16(status).unwrap(), &h, b"").retry_after()
    };
    // An HTTP-date needs a clock: the default wait instead.
    assert_eq!(
        wait("Wed, 21 Oct 2026 07:28:00 GMT", 503),
        Some(mdm_push_cert::apns::UNAVAILABLE_WAIT)
    );
    assert_eq!(
        wait("99999999", 503),
        Some(mdm_push_cert::apns::MAX_RETRY_AFTER)
    );
    assert_eq!(
        wait("-5", 429),
        Some(mdm_push_cert::apns::RATE_LIMITED_WAIT)
    );
    // Not retryable: no wait, whatever the header.
    assert_eq!(wait("30", 400), None);
    // Delivered with APNs' id.
    let mut h = HeaderMap::new();
    h.insert("apns-id", HeaderValue::from_static("ABC"));
    let ok = Outcome::from_response(StatusCode::OK, &h, b"");
    assert_eq!((ok.code(), ok.apns_id()), ("delivered", Some("ABC")));
    assert_eq!(ok.to_string(), "delivered: HTTP 200, apns-id ABC");
}

#[test]
fn goaway_reasons() {
    let cases: &[(&[u8], &str, Option<Duration>)] = &[
        (
            br#"{"reason":"BadCertificateEnvironment"}"#,
            "wrong_environment",
            None,
        ),
        (
            br#"{"reason":"BadCertificate"}"#,
            "certificate_not_trusted",
            None,
        ),
        (
            br#"{"reason":"Forbidden"}"#,
            "certificate_not_trusted",
            None,
        ),
        (br#"{"reason":"TopicDisallowed"}"#, "topic_mismatch", None),
        (
            br#"{"reason":"MissingProviderToken"}"#,
            "request_rejected",
            None,
        ),
        (
            br#"{"reason":"Shutdown"}"#,
            "apns_unavailable",
            Some(Duration::ZERO),
        ),
        (
            br#"{"reason":"IdleTimeout"}"#,
            "apns_unavailable",
            Some(Duration::ZERO),
        ),
        (
            br#"{"reason":"TooManyRequests"}"#,
            "rate_limited",
            Some(Duration::from_secs(60)),
        ),
        // About one token: cannot end a connection, read as no reason.
        (
            br#"{"reason":"Unregistered"}"#,
            "apns_unavailable",
            Some(Duration::ZERO),
        ),
        (
            br#"{"reason":"BadDeviceToken"}"#,
            "apns_unavailable",
            Some(Duration::ZERO),
        ),
        (
            br#"{"reason":"DeviceTokenNotForTopic"}"#,
            "apns_unavailable",
            Some(Duration::ZERO),
        ),
        (
            br#"{"reason":"Whatever"}"#,
            "apns_unavailable",
            Some(Duration::ZERO),
        ),
        (b"", "apns_unavailable", Some(Duration::ZERO)),
        (b"\xff\xfe", "apns_unavailable", Some(Duration::ZERO)),
    ];
    for (data, code, wait) in cases {
        let o = Outcome::from_goaway(data);
        assert_eq!(o.code(), *code, "{:?}", String::from_utf8_lossy(data));
        assert_eq!(o.retry_after(), *wait, "{code}");
        assert_eq!(o.answer(), Answer::GoAway);
        assert_eq!(o.status(), None);
        assert!(!o.prunes_token());
    }
    assert_eq!(
        Outcome::from_goaway(br#"{"reason":"BadCertificateEnvironment"}"#).to_string(),
        "wrong_environment: GOAWAY BadCertificateEnvironment"
    );
}

#[test]
fn tls_alerts() {
    let cases = [
        (45, "certificate_expired"),
        (44, "certificate_revoked"),
        (48, "certificate_not_trusted"),
        (42, "certificate_not_trusted"),
        (43, "certificate_not_trusted"),
        (46, "certificate_not_trusted"),
        (49, "certificate_not_trusted"),
        (51, "certificate_not_trusted"),
        (40, "certificate_not_trusted"),
        (116, "certificate_not_trusted"),
        (80, "apns_unavailable"),
        (70, "apns_unavailable"),
    ];
    for (n, code) in cases {
        let o = Outcome::from_tls_alert(TlsAlert::from_u8(n));
        assert_eq!(o.code(), code, "alert {n}");
        assert_eq!(o.tls_alert().map(TlsAlert::to_u8), Some(n));
        assert_eq!(o.status(), None);
    }
    let expired = Outcome::from_tls_alert(TlsAlert::CertificateExpired);
    assert_eq!(
        expired.to_string(),
        "certificate_expired: TLS alert certificate_expired"
    );
    assert_eq!(expired.nearest_upload_code(), Some("invalid_certificate"));
    assert!(expired.kind().is_certificate_problem());
    assert_eq!(Outcome::untrusted_server().code(), "server_not_trusted");
    let none = Outcome::no_answer();
    assert_eq!(
        (none.code(), none.answer()),
        ("apns_unavailable", Answer::NoAnswer)
    );
    assert_eq!(
        none.retry_after(),
        Some(mdm_push_cert::apns::UNAVAILABLE_WAIT)
    );
}

#[test]
fn probe_outcomes() {
    // A push to a token no device holds: BadDeviceToken proves the
    // certificate was accepted; a certificate refusal does not.
    assert!(respond(400, r#"{"reason":"BadDeviceToken"}"#).certificate_accepted());
    assert!(!respond(403, r#"{"reason":"BadCertificate"}"#).certificate_accepted());
    assert!(!Outcome::from_tls_alert(TlsAlert::UnknownCa).certificate_accepted());
}

#[cfg(feature = "serde")]
#[test]
fn the_json_response_has_every_field() {
    let o = Outcome::from_tls_alert(TlsAlert::CertificateRevoked);
    let v = serde_json::to_value(o.to_response(mdm_push_cert::Lang::En)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "outcome": "certificate_revoked",
            "status": null,
            "reason": null,
            "apns_id": null,
            "timestamp": null,
            "message": "The MDM certificate has been revoked.\nPush notifications cannot be sent, so devices cannot be managed.",
            "remedy": "If you renewed the MDM certificate, upload the renewed certificate.\nOtherwise, sign in to Apple Push Certificates Portal with the Apple ID that created the certificate and check its status.",
            "retry_after_seconds": null,
        })
    );
}

/// The plain model of a device token: non-empty hex of an even number of
/// digits, 8 to 100 bytes.
fn token_model(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_hexdigit())
        && s.len().is_multiple_of(2)
        && (16..=200).contains(&s.len());
    ok.then(|| s.to_ascii_lowercase())
}

/// The plain model of a PushMagic: 1 to 256 bytes of ' '..='~' but `"`
/// and `\`, no space at either end.
fn magic_model(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 256
        && s.chars()
            .all(|c| (' '..='~').contains(&c) && c != '"' && c != '\\')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
}

proptest! {
    #[test]
    fn tokens_parse_as_the_model_says(s in "[0-9a-fA-F]{0,210}|[0-9a-fA-F <>x-]{0,80}|\\PC{0,40}") {
        let parsed = s.parse::<DeviceToken>();
        prop_assert_eq!(parsed.as_ref().ok().map(|t| t.to_string()), token_model(&s));
        if let Ok(t) = parsed {
            prop_assert_eq!(DeviceToken::from_bytes(t.as_bytes()), Ok(t.clone()));
            prop_assert_eq!(t.to_string().parse::<DeviceToken>(), Ok(t.clone()));
            prop_assert_eq!(t.as_bytes().len() * 2, s.len());
        }
    }

    #[test]
    fn token_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
        match DeviceToken::from_bytes(&bytes) {
            Ok(t) => {
                prop_assert!((8..=100).contains(&bytes.len()));
                prop_assert_eq!(t.as_bytes(), bytes.as_slice());
                prop_assert_eq!(t.as_hex().parse::<DeviceToken>(), Ok(t.clone()));
            }
            Err(e) => {
                prop_assert!(!(8..=100).contains(&bytes.len()));
                prop_assert!(
                    matches!(e, DeviceTokenError::TooShort { .. } | DeviceTokenError::TooLong { .. }),
                    "{:?}",
                    e
                );
            }
        }
    }

    #[test]
    fn push_magic_parses_as_the_model_says(s in "[ -~]{0,40}|\\PC{0,20}|[ -~]{250,260}") {
        let parsed = s.parse::<PushMagic>();
        prop_assert_eq!(parsed.is_ok(), magic_model(&s), "{:?}", parsed);
        if let Ok(m) = parsed {
            prop_assert_eq!(m.as_str(), s.as_str());
            prop_assert_eq!(m.to_string().parse::<PushMagic>(), Ok(m.clone()));
            // The body carries it verbatim and reads back (serde_json) to it.
            let p = MdmPush::new(TOKEN.parse().unwrap(), m.clone(), datetime!(2026-12-01 09:00 UTC));
            let v: serde_json::Value = serde_json::from_slice(&p.body()).unwrap();
            prop_assert_eq!(v, serde_json::json!({ "mdm": s }));
        } else if s.is_empty() {
            prop_assert_eq!(parsed, Err(PushMagicError::Empty));
        }
    }

    /// The error-body reader against serde_json: the `reason` string and
    /// the integer `timestamp` each reads, for any JSON object of the
    /// shapes generated (nested values, escapes, duplicates, numbers).
    #[test]
    fn error_bodies_read_as_serde_json_reads_them(body in json_object()) {
        let o = respond(400, &body);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let reason = v.get("reason").and_then(|r| r.as_str()).map(Reason::from_name);
        prop_assert_eq!(o.reason(), reason.as_ref(), "{}", body);
        let gone = respond(410, &body);
        let ts = v.get("timestamp").and_then(serde_json::Value::as_i64);
        prop_assert_eq!(gone.timestamp_ms(), ts, "{}", body);
    }

    /// Whatever the body, the classification is one of the documented
    /// codes and the status invariants hold.
    #[test]
    fn any_answer_has_a_documented_code(status in 100u16..1000, body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let o = Outcome::from_response(StatusCode::from_u16(status).unwrap(), &HeaderMap::new(), &body);
        prop_assert!(OutcomeKind::from_code(o.code()).is_some());
        prop_assert_eq!(o.kind() == OutcomeKind::Delivered, status == 200);
        prop_assert_eq!(o.prunes_token(), status == 410);
        if (500..600).contains(&status) {
            prop_assert_eq!(o.kind(), OutcomeKind::ApnsUnavailable);
        }
    }
}

/// JSON objects with `reason` and `timestamp` among other keys, as text.
fn json_object() -> impl Strategy<Value = String> {
    let string = prop_oneof![
        Just("\"Unregistered\"".to_owned()),
        Just("\"BadDeviceToken\"".to_owned()),
        Just("\"\\u0042ad\\\"x\\\\\\n\"".to_owned()),
        Just("\"\\uD83D\\uDE00\"".to_owned()),
        "[a-zA-Z ]{0,12}".prop_map(|s| format!("\"{s}\"")),
    ];
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        Just("1.5".to_owned()),
        Just("1e3".to_owned()),
        Just("-0.0".to_owned()),
        Just("99999999999999999999".to_owned()),
    ];
    let scalar = prop_oneof![
        string.clone(),
        number,
        Just("true".to_owned()),
        Just("null".to_owned()),
    ];
    let value = scalar.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec(("[a-z]{1,6}", inner), 0..4).prop_map(|kv| {
                let items: Vec<String> = kv
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", items.join(", "))
            }),
        ]
    });
    let key = prop_oneof![
        Just("reason".to_owned()),
        Just("timestamp".to_owned()),
        "[a-z]{1,8}",
    ];
    proptest::collection::vec((key, value), 0..6).prop_map(|kv| {
        let items: Vec<String> = kv
            .into_iter()
            .map(|(k, v)| format!("\"{k}\" :\n{v}"))
            .collect();
        format!(" {{{}}} ", items.join(" ,"))
    })
}

#[cfg(all(feature = "rustls", feature = "testing"))]
mod handshake {
    //! Real TLS handshakes in memory (no sockets): a rustls server that,
    //! like APNs, requires a client certificate chained to the stand-in
    //! Apple root, and the library's client configuration with its
    //! swappable identity.

    use std::sync::Arc;

    use mdm_push_cert::apns::{ApnsRoots, Outcome, SwappableIdentity, TlsAlert, client_config};
    use mdm_push_cert::testing::StandInApple;
    use mdm_push_cert::{PrivateKey, PushCertificate, PushIdentity, Topic};
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
    use rustls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection};
    use time::macros::datetime;

    fn provider() -> Arc<rustls::crypto::CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    /// The stand-in APNs: trusts the stand-in root and its push CA (as APNs
    /// trusts Apple's), requires a client certificate, speaks h2.
    fn server(apple: &StandInApple) -> Arc<ServerConfig> {
        server_trusting(&[apple.root_der(), apple.push_ca_der()])
    }

    fn server_trusting(cas: &[&[u8]]) -> Arc<ServerConfig> {
        let mut roots = rustls::RootCertStore::empty();
        for ca in cas {
            roots.add(CertificateDer::from(ca.to_vec())).unwrap();
        }
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider(),
        )
        .build()
        .unwrap();
        let cert =
            CertificateDer::from_pem_slice(include_bytes!("fixtures/identity/server.pem")).unwrap();
        let key =
            PrivateKeyDer::from_pem_slice(include_bytes!("fixtures/identity/server.key")).unwrap();
        let mut config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![cert], key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec()];
        Arc::new(config)
    }

    /// The client's roots: the stand-in server's self-signed certificate
    /// instead of the embedded APNs root.
    fn client_roots() -> ApnsRoots {
        ApnsRoots::from_pem(include_bytes!("fixtures/identity/server.pem")).unwrap()
    }

    /// An open connection pair after a completed handshake, or the client's
    /// error.
    struct Pair {
        client: ClientConnection,
        server: ServerConnection,
    }

    fn pump(
        from: &mut dyn FnMut(&mut Vec<u8>),
        to: &mut dyn FnMut(&[u8]) -> Result<(), rustls::Error>,
    ) -> Result<bool, rustls::Error> {
        let mut buf = Vec::new();
        from(&mut buf);
        if buf.is_empty() {
            return Ok(false);
        }
        to(&buf)?;
        Ok(true)
    }

    fn connect(
        config: Arc<ClientConfig>,
        server: Arc<ServerConfig>,
    ) -> Result<Pair, rustls::Error> {
        let mut client =
            ClientConnection::new(config, ServerName::try_from("localhost").unwrap()).unwrap();
        let mut srv = ServerConnection::new(server).unwrap();
        for _ in 0..16 {
            let mut server_failed = false;
            let c2s = pump(
                &mut |buf| {
                    while client.wants_write() {
                        client.write_tls(buf).unwrap();
                    }
                },
                &mut |bytes| {
                    let mut rd = bytes;
                    while !rd.is_empty() {
                        srv.read_tls(&mut rd).unwrap();
                        if srv.process_new_packets().is_err() {
                            server_failed = true;
                            break;
                        }
                    }
                    Ok(())
                },
            )?;
            let s2c = pump(
                &mut |buf| {
                    while srv.wants_write() {
                        srv.write_tls(buf).unwrap();
                    }
                },
                &mut |bytes| {
                    let mut rd = bytes;
                    while !rd.is_empty() {
                        client.read_tls(&mut rd).unwrap();
                        client.process_new_packets()?;
                    }
                    Ok(())
                },
            )?;
            assert!(!server_failed || s2c, "a failing server sends its alert");
            if !c2s && !s2c && !client.is_handshaking() && !srv.is_handshaking() {
                return Ok(Pair {
                    client,
                    server: srv,
                });
            }
        }
        panic!("the handshake did not finish");
    }

    impl Pair {
        /// The client certificate the server saw.
        fn seen(&self) -> Vec<u8> {
            self.server.peer_certificates().unwrap()[0].to_vec()
        }

        /// Sends a few bytes each way on the open connection.
        fn still_works(&mut self) -> bool {
            use std::io::{Read as _, Write as _};
            self.client.writer().write_all(b"ping").unwrap();
            let mut buf = Vec::new();
            while self.client.wants_write() {
                self.client.write_tls(&mut buf).unwrap();
            }
            let mut rd = buf.as_slice();
            while !rd.is_empty() {
                self.server.read_tls(&mut rd).unwrap();
                self.server.process_new_packets().unwrap();
            }
            let mut got = [0u8; 4];
            self.server.reader().read_exact(&mut got).is_ok() && &got == b"ping"
        }
    }

    /// A push certificate valid from 2001 to 2098 (the stand-in CAs are
    /// valid 2000-2099), so the handshake passes on any real clock.
    fn identity(apple: &StandInApple, key: &PrivateKey, topic: &Topic, year: i32) -> PushIdentity {
        let not_before = datetime!(2001-01-01 0:00 UTC).replace_year(year).unwrap();
        let cert: PushCertificate = apple
            .issue(key, topic, not_before, datetime!(2098-12-31 0:00 UTC))
            .unwrap();
        PushIdentity::new(cert, key.clone()).unwrap()
    }

    #[test]
    fn a_swap_is_used_by_the_next_handshake_and_open_connections_keep_theirs() {
        let apple = StandInApple::new(7);
        let key = apple.customer_key(1).unwrap();
        let topic = apple.new_topic(&key).unwrap();
        let first = identity(&apple, &key, &topic, 2001);
        let renewed = identity(&apple, &key, &topic, 2002);
        assert_ne!(first.certificate().der(), renewed.certificate().der());

        let swappable = Arc::new(SwappableIdentity::new(&first, provider()).unwrap());
        let live = swappable.client_config(&client_roots()).unwrap();
        let live = Arc::new(live);
        let stamp_a = swappable.stamp();
        // One server for both handshakes, so a session could be resumed.
        let srv = server(&apple);
        let mut a = connect(Arc::clone(&live), Arc::clone(&srv)).unwrap();
        assert_eq!(a.seen(), first.certificate().der());
        assert_eq!(a.client.alpn_protocol(), Some(&b"h2"[..]));

        // A pinned configuration, taken before the swap, keeps the first.
        let pinned = swappable.current();
        let pinned_config =
            Arc::new(client_config(provider(), &client_roots(), pinned.clone()).unwrap());

        let stamp_b = swappable.swap(&renewed).unwrap();
        assert_ne!(stamp_a, stamp_b);
        assert_eq!((stamp_a.generation(), stamp_b.generation()), (0, 1));
        assert_eq!(
            stamp_b.sha256_fingerprint(),
            renewed.certificate().sha256_fingerprint()
        );
        assert!(!swappable.is_current(&stamp_a) && swappable.is_current(&stamp_b));
        assert_eq!(swappable.current().topic(), &topic);

        // The same configuration, a new handshake: the renewed certificate
        // (a resumed session would show the first one).
        let b = connect(Arc::clone(&live), srv).unwrap();
        assert_eq!(b.seen(), renewed.certificate().der());
        // The connection opened before still runs on the first.
        assert!(a.still_works());
        assert_eq!(a.seen(), first.certificate().der());
        // The pinned one still presents the first, under its own stamp.
        let c = connect(pinned_config, server(&apple)).unwrap();
        assert_eq!(c.seen(), first.certificate().der());
        assert_eq!(pinned.stamp(), stamp_a);

        // Swapping back is a new generation of the same certificate.
        let stamp_c = swappable.swap(&first).unwrap();
        assert_eq!(stamp_c.sha256_fingerprint(), stamp_a.sha256_fingerprint());
        assert_ne!(stamp_c, stamp_a);
        let d = connect(live, server(&apple)).unwrap();
        assert_eq!(d.seen(), first.certificate().der());
    }

    /// Refusals the server's verifier gives are the alerts APNs sends, and
    /// classify by their type, end to end.
    #[test]
    fn refused_certificates_arrive_as_typed_alerts() {
        let apple = StandInApple::new(7);
        let key = apple.customer_key(1).unwrap();
        // Expired in 2001, whatever the real clock says now.
        let expired = apple.expired(&key, datetime!(2002-01-01 0:00 UTC)).unwrap();
        let expired = PushIdentity::new(expired, key.clone()).unwrap();
        let valid = identity(&apple, &key, &apple.new_topic(&key).unwrap(), 2001);
        // Issued by another stand-in Apple, whose CAs have the same names:
        // the issuer's signature does not verify.
        let other = StandInApple::new(8);
        let forged = identity(&other, &key, &other.new_topic(&key).unwrap(), 2001);
        // A server that trusts another PKI (the test fixtures' "Test Apple")
        // knows no issuer of that name.
        let test_pki: Vec<Vec<u8>> =
            CertificateDer::pem_slice_iter(include_bytes!("fixtures/pki/anchors.pem"))
                .map(|c| c.unwrap().to_vec())
                .collect();
        let test_pki: Vec<&[u8]> = test_pki.iter().map(Vec::as_slice).collect();

        for (identity, server, alert, code) in [
            (expired, server(&apple), 45, "certificate_expired"),
            (forged, server(&apple), 51, "certificate_not_trusted"),
            (
                valid,
                server_trusting(&test_pki),
                48,
                "certificate_not_trusted",
            ),
        ] {
            let swappable = Arc::new(SwappableIdentity::new(&identity, provider()).unwrap());
            let config = Arc::new(swappable.client_config(&client_roots()).unwrap());
            let Err(error) = connect(config, server) else {
                panic!("{code}: the handshake succeeded");
            };
            let outcome = Outcome::from_rustls_error(&error).expect("an alert");
            assert_eq!(outcome.code(), code, "{error}");
            assert_eq!(
                outcome.tls_alert().map(TlsAlert::to_u8),
                Some(alert),
                "{error}"
            );
        }
    }

    /// The embedded root does not trust the stand-in server: the client's
    /// own refusal is `server_not_trusted`, not a certificate problem.
    #[test]
    fn an_untrusted_server_is_the_servers_problem() {
        let apple = StandInApple::new(7);
        let key = apple.customer_key(1).unwrap();
        let id = identity(&apple, &key, &apple.new_topic(&key).unwrap(), 2001);
        let swappable = Arc::new(SwappableIdentity::new(&id, provider()).unwrap());
        let config = Arc::new(swappable.client_config(&ApnsRoots::embedded()).unwrap());
        let Err(error) = connect(config, server(&apple)) else {
            panic!("the embedded root trusted the stand-in server");
        };
        let outcome = Outcome::from_rustls_error(&error).expect("typed");
        assert_eq!(outcome.code(), "server_not_trusted");
        assert!(!outcome.kind().is_certificate_problem());
    }

    #[test]
    fn endpoints_name_their_tls_server() {
        use mdm_push_cert::apns::Endpoint;
        assert_eq!(
            Endpoint::PRODUCTION.server_name().unwrap(),
            ServerName::try_from("api.push.apple.com").unwrap()
        );
        let ip = Endpoint::custom("https://[::1]:8443").unwrap();
        assert!(matches!(
            ip.server_name().unwrap(),
            ServerName::IpAddress(_)
        ));
        assert_eq!(ApnsRoots::embedded().to_root_store().unwrap().len(), 1);
    }
}
