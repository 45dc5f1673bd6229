//! Expiry classification at its boundaries.

use mdm_push_cert::{EXPIRY_WARNING_WINDOW, Expiry, PushCertificate};
use time::{Duration, macros::datetime};

const NB: time::OffsetDateTime = datetime!(2025-12-20 0:00 UTC);
const NA: time::OffsetDateTime = datetime!(2026-12-19 23:59:59 UTC);

fn cert() -> PushCertificate {
    PushCertificate::parse(include_bytes!("fixtures/pki/push_b.pem")).unwrap()
}

#[test]
fn boundaries_of_the_push_certificate() {
    let c = cert();
    let s = Duration::SECOND;
    let cases = [
        (NB - s, Expiry::NotYetValid { starts_in: s }),
        (NB, Expiry::Valid { remaining: NA - NB }),
        (
            NA - Duration::days(30) - s,
            Expiry::Valid {
                remaining: Duration::days(30) + s,
            },
        ),
        (
            NA - Duration::days(30),
            Expiry::ExpiringSoon {
                remaining: Duration::days(30),
            },
        ),
        (
            NA,
            Expiry::ExpiringSoon {
                remaining: Duration::ZERO,
            },
        ),
        (NA + s, Expiry::Expired { since: s }),
    ];
    for (now, want) in cases {
        assert_eq!(c.expiry(now), want, "at {now}");
    }
}

#[test]
fn custom_window_serves_any_validity_period() {
    let w = Duration::days(60);
    assert_eq!(
        Expiry::classify(NB, NA, NA - Duration::days(45), w),
        Expiry::ExpiringSoon {
            remaining: Duration::days(45)
        }
    );
    assert_eq!(
        Expiry::classify(NB, NA, NA - Duration::days(45), EXPIRY_WARNING_WINDOW),
        Expiry::Valid {
            remaining: Duration::days(45)
        }
    );
    // A negative window counts as none.
    assert_eq!(
        Expiry::classify(NB, NA, NA - Duration::days(1), -Duration::days(5)),
        Expiry::Valid {
            remaining: Duration::days(1)
        }
    );
}

#[test]
fn status_and_days_remaining() {
    let c = cert();
    assert_eq!(c.expiry(NB - Duration::SECOND).status(), "not_yet_valid");
    assert_eq!(c.expiry(NB - Duration::SECOND).days_remaining(), None);
    assert_eq!(c.expiry(NB).status(), "valid");
    assert_eq!(c.expiry(NA - Duration::days(3)).status(), "expiring_soon");
    assert_eq!(c.expiry(NA - Duration::days(3)).days_remaining(), Some(3));
    assert_eq!(c.expiry(NA + Duration::SECOND).status(), "expired");
    assert_eq!(c.expiry(NA + Duration::SECOND).days_remaining(), Some(-1));
    assert_eq!(c.expiry(NA + Duration::days(1)).days_remaining(), Some(-2));
    assert!(c.expiry(NA).is_usable());
    assert!(!c.expiry(NA + Duration::SECOND).is_usable());
}

#[test]
fn classify_straight_from_der() {
    let der = include_bytes!("fixtures/pki/push_b.der");
    for now in [
        NB - Duration::SECOND,
        NB,
        NA - Duration::days(30),
        NA,
        NA + Duration::SECOND,
    ] {
        assert_eq!(
            Expiry::of_certificate_der(der, now, EXPIRY_WARNING_WINDOW).unwrap(),
            cert().expiry(now),
            "at {now}"
        );
    }
    assert!(Expiry::of_certificate_der(&der[..100], NB, EXPIRY_WARNING_WINDOW).is_err());
    assert!(Expiry::of_certificate_der(b"", NB, EXPIRY_WARNING_WINDOW).is_err());
}

#[test]
fn leap_years_and_the_30_day_window() {
    use time::macros::datetime;
    // A certificate ending on 29 February of a leap year: the window opens 30
    // days earlier, on 30 January at the same second.
    let nb = datetime!(2027-02-28 0:00 UTC);
    let na = datetime!(2028-02-29 23:59:59 UTC);
    let w = EXPIRY_WARNING_WINDOW;
    assert_eq!(
        Expiry::classify(nb, na, datetime!(2028-01-30 23:59:58 UTC), w).status(),
        "valid"
    );
    assert_eq!(
        Expiry::classify(nb, na, datetime!(2028-01-30 23:59:59 UTC), w),
        Expiry::ExpiringSoon {
            remaining: Duration::days(30)
        }
    );
    assert_eq!(
        Expiry::classify(nb, na, datetime!(2028-03-01 0:00 UTC), w),
        Expiry::Expired {
            since: Duration::SECOND
        }
    );
    // A year from 29 February 2028 is 28 February 2029 plus a day: 366 days.
    assert_eq!(
        Expiry::classify(
            datetime!(2028-02-29 0:00 UTC),
            datetime!(2029-02-28 23:59:59 UTC),
            datetime!(2028-02-29 0:00 UTC),
            w
        ),
        Expiry::Valid {
            remaining: Duration::days(366) - Duration::SECOND
        }
    );
}
