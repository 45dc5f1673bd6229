//! Property tests: expiry against a plain reference model (with certificates
//! issued for the generated dates, so DER's UTCTime/GeneralizedTime switch at
//! 2050 is exercised), topic parsing, PEM/DER detection on mutated input and
//! the signedCSR round trip. Failing cases are kept in
//! `tests/properties.proptest-regressions`.

use mdm_push_cert::{
    EXPIRY_WARNING_WINDOW, Expiry, InputError, ParseError, PrivateKey, PushCertificate, PushCsr,
    SignedRequest, TOPIC_PREFIX, Topic,
};
use proptest::prelude::*;
use time::{Duration, OffsetDateTime};

fn persistence() -> Option<Box<dyn proptest::test_runner::FailurePersistence>> {
    Some(Box::new(
        proptest::test_runner::FileFailurePersistence::Direct(
            "tests/properties.proptest-regressions",
        ),
    ))
}

/// The reference model: plain integer seconds, no library code.
fn model(nb: i64, na: i64, now: i64, window: i64) -> (&'static str, i64) {
    if now < nb {
        ("not_yet_valid", nb - now)
    } else if now > na {
        ("expired", now - na)
    } else if na - now <= window.max(0) {
        ("expiring_soon", na - now)
    } else {
        ("valid", na - now)
    }
}

fn seconds_of(e: &Expiry) -> i64 {
    match *e {
        Expiry::NotYetValid { starts_in: d } => d.whole_seconds(),
        Expiry::Valid { remaining: d } | Expiry::ExpiringSoon { remaining: d } => d.whole_seconds(),
        Expiry::Expired { since: d } => d.whole_seconds(),
        _ => unreachable!(),
    }
}

fn at(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap()
}

// 1970-01-01 .. 2100-01-01: the `der` crate represents no earlier instant
// (UTCTime could encode 1950-1969; no push certificate uses it).
const MIN_T: i64 = 0;
const MAX_T: i64 = 4_102_444_800 - 3 * 366 * 86_400;

/// Instants at and around each boundary: not_before, not_after, not_after - window.
fn around(nb: i64, na: i64, window: i64) -> impl Strategy<Value = i64> {
    let anchors = vec![nb, na, na - window, nb + (na - nb) / 2];
    (
        proptest::sample::select(anchors),
        -3i64..=3,
        prop_oneof![Just(0i64), -86_400i64..86_400],
    )
        .prop_map(|(a, d, far)| a + d + far)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: persistence(), ..ProptestConfig::default() })]

    #[test]
    fn expiry_matches_the_model(
        (nb, na, window, now) in (MIN_T..MAX_T, 0i64..3 * 366 * 86_400, 0i64..90 * 86_400)
            .prop_flat_map(|(nb, len, window)| {
                let na = nb + len;
                (Just(nb), Just(na), Just(window), around(nb, na, window))
            })
    ) {
        let e = Expiry::classify(at(nb), at(na), at(now), Duration::seconds(window));
        let (status, secs) = model(nb, na, now, window);
        prop_assert_eq!(e.status(), status);
        prop_assert_eq!(seconds_of(&e), secs);
    }

    #[test]
    fn topics_match_the_model(s in "(com\\.apple\\.mgmt\\.|com\\.apple\\.mgm|COM\\.|)[A-Za-z0-9._ üé/-]{0,40}") {
        let valid = s.len() > TOPIC_PREFIX.len()
            && s.len() <= 255
            && s.starts_with(TOPIC_PREFIX)
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        let parsed = s.parse::<Topic>();
        prop_assert_eq!(parsed.is_ok(), valid, "{:?} -> {:?}", s, parsed);
        if let Ok(t) = parsed {
            prop_assert_eq!(t.as_str(), s.as_str());
        }
    }

    #[test]
    fn truncated_der_is_always_retry_material(cut in 0usize..1500) {
        let der = include_bytes!("fixtures/pki/push_b.der");
        let cut = cut.min(der.len() - 1);
        let err = PushCertificate::parse(&der[..cut]).unwrap_err();
        if cut == 0 {
            prop_assert_eq!(err, ParseError::Input(InputError::Empty));
        } else {
            prop_assert_eq!(err, ParseError::Input(InputError::Truncated));
        }
    }

    #[test]
    fn pem_in_any_wrapping_reads_the_same(
        width in 1usize..200,
        crlf in any::<bool>(),
        before in "[a-zA-Z0-9 :\\n]{0,80}",
        after in "[a-zA-Z0-9 :\\n-]{0,80}",
        bom in any::<bool>(),
    ) {
        let want = PushCertificate::parse(include_bytes!("fixtures/pki/push_b.der")).unwrap();
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(want.der());
        let nl = if crlf { "\r\n" } else { "\n" };
        let body: Vec<&str> = b64.as_bytes().chunks(width).map(|c| std::str::from_utf8(c).unwrap()).collect();
        let text = format!(
            "{}{before}{nl}-----BEGIN CERTIFICATE-----{nl}{}{nl}-----END CERTIFICATE-----{nl}{after}",
            if bom { "\u{feff}" } else { "" },
            body.join(nl),
        );
        prop_assert_eq!(PushCertificate::parse(text.as_bytes()).unwrap(), want);
    }

    #[test]
    fn mutated_input_never_panics(
        pos in 0usize..2000,
        byte in any::<u8>(),
        pem in any::<bool>(),
    ) {
        let mut data = if pem {
            include_bytes!("fixtures/pki/push_b.pem").to_vec()
        } else {
            include_bytes!("fixtures/pki/push_b.der").to_vec()
        };
        let pos = pos % data.len();
        data[pos] = byte;
        let _ = PushCertificate::parse(&data);
        let _ = SignedRequest::parse(&data);
        let _ = PushCsr::parse(&data);
        let _ = PrivateKey::parse(&data);
    }

    #[test]
    fn signed_request_round_trip(
        csr in proptest::collection::vec(any::<u8>(), 0..600),
        signature in proptest::collection::vec(any::<u8>(), 0..512),
        chain_len in 1usize..=3,
    ) {
        let chain: Vec<Vec<u8>> = [
            include_str!("fixtures/pki/vendor.pem"),
            include_str!("fixtures/pki/wwdr.pem"),
            include_str!("fixtures/pki/root.pem"),
        ]
        .iter()
        .take(chain_len)
        .map(|pem| PushCertificate::parse(pem.as_bytes()).map(|c| c.der().to_vec()).unwrap_or_else(|_| {
            let text: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(text).unwrap()
        }))
        .collect();
        let req = SignedRequest::from_parts(csr, chain, signature);
        prop_assert_eq!(SignedRequest::parse(req.to_base64().as_bytes()).unwrap(), req.clone());
        prop_assert_eq!(SignedRequest::parse(req.to_xml().as_bytes()).unwrap(), req);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: persistence(), ..ProptestConfig::default() })]

    /// Validity periods that end around 29 February of the leap years up to 2096.
    #[test]
    fn expiry_matches_the_model_around_leap_days(
        year in (1972i32..=2096).prop_filter("leap", |y| y % 4 == 0),
        end_offset in -2i64 * 86_400..2 * 86_400,
        len_days in 300i64..=400,
        delta in -3i64..=3,
        which in 0usize..3,
    ) {
        let leap_day = time::Date::from_calendar_date(year, time::Month::February, 29).unwrap();
        let na = leap_day.midnight().assume_utc().unix_timestamp() + end_offset;
        let nb = na - len_days * 86_400;
        let window = EXPIRY_WARNING_WINDOW.whole_seconds();
        let now = [nb, na, na - window][which] + delta;
        let e = Expiry::classify(at(nb), at(na), at(now), EXPIRY_WARNING_WINDOW);
        let (status, secs) = model(nb, na, now, window);
        prop_assert_eq!(e.status(), status);
        prop_assert_eq!(seconds_of(&e), secs);
    }
}

#[cfg(feature = "testing")]
proptest! {
    // Each case signs a certificate (issued by the stand-in Apple): fewer cases.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: persistence(), ..ProptestConfig::default() })]

    #[test]
    fn issued_certificates_read_back_their_dates(
        nb in MIN_T..MAX_T,
        len in 0i64..3 * 366 * 86_400,
        delta in -2i64..=2,
    ) {
        let na = nb + len;
        let der = issue(at(nb), at(na));
        let c = PushCertificate::parse(&der).unwrap();
        prop_assert_eq!(c.not_before(), at(nb));
        prop_assert_eq!(c.not_after(), at(na));
        // DER switches from UTCTime to GeneralizedTime in 2050: read the
        // validity's own tags (a byte search would also match random bytes
        // of the key, serial or signature).
        use der::Decode as _;
        let parsed = x509_cert::Certificate::from_der(&der).unwrap();
        let validity = parsed.tbs_certificate().validity();
        let generalized = |t: &x509_cert::time::Time| matches!(t, x509_cert::time::Time::GeneralTime(_));
        prop_assert_eq!(generalized(&validity.not_before), nb >= 2_524_608_000);
        prop_assert_eq!(generalized(&validity.not_after), na >= 2_524_608_000);
        for now in [nb + delta, na + delta, na - 30 * 86_400 + delta] {
            let (status, secs) = model(nb, na, now, EXPIRY_WARNING_WINDOW.whole_seconds());
            let e = c.expiry(at(now));
            prop_assert_eq!(e.status(), status);
            prop_assert_eq!(seconds_of(&e), secs);
        }
    }
}

#[cfg(feature = "testing")]
fn issue(nb: OffsetDateTime, na: OffsetDateTime) -> Vec<u8> {
    use mdm_push_cert::testing::StandInApple;
    let apple = StandInApple::new(1);
    let csr = PushCsr::parse(include_bytes!("fixtures/pki/customer_b.csr")).unwrap();
    let topic = "com.apple.mgmt.External.prop".parse().unwrap();
    apple.issue(&csr, &topic, nb, na).unwrap().der().to_vec()
}

/// `Accept-Language` against a plain model: the known language with the
/// highest quality wins, the first listed among equals, English otherwise.
mod accept_language {
    use mdm_push_cert::Lang;
    use proptest::prelude::*;

    fn entry() -> impl Strategy<Value = (&'static str, Option<u16>)> {
        (
            prop::sample::select(vec!["ja", "ja-JP", "JA", "en", "en-US", "fr", "de-CH", "*"]),
            prop::option::of(0u16..=1000),
        )
    }

    proptest! {
        #[test]
        fn matches_the_model(entries in prop::collection::vec(entry(), 0..6)) {
            let header = entries
                .iter()
                .map(|(tag, q)| match q {
                    Some(q) => format!("{tag};q={}.{:03}", q / 1000, q % 1000),
                    None => (*tag).to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let mut best: Option<(u16, Lang)> = None;
            for (tag, q) in &entries {
                let q = q.unwrap_or(1000);
                let lang = match tag.split('-').next().unwrap().to_ascii_lowercase().as_str() {
                    "ja" => Lang::Ja,
                    "en" => Lang::En,
                    _ => continue,
                };
                if q > 0 && best.is_none_or(|(b, _)| q > b) {
                    best = Some((q, lang));
                }
            }
            prop_assert_eq!(
                Lang::from_accept_language(&header),
                best.map_or(Lang::En, |(_, l)| l),
                "{}", header
            );
        }

        #[test]
        fn never_panics(header in ".{0,200}") {
            let _ = Lang::from_accept_language(&header);
            let _ = Lang::from_tag(&header);
        }
    }
}
