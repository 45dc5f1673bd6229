//! Classifying a validity period against an instant the caller supplies.

use time::{Duration, OffsetDateTime};

/// The window before `not_after` in which a push certificate is "expiring
/// soon": 30 days, the point at which MDM consoles start warning.
pub const EXPIRY_WARNING_WINDOW: Duration = Duration::days(30);

/// Where an instant falls in a certificate's validity period.
///
/// Validity is inclusive at both ends ([RFC 5280 §4.1.2.5]): at exactly
/// `not_before` and at exactly `not_after` the certificate is valid.
/// "Expiring soon" includes a remaining time equal to the window.
///
/// [RFC 5280 §4.1.2.5]: https://datatracker.ietf.org/doc/html/rfc5280#section-4.1.2.5
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expiry {
    /// `now` is before `not_before`.
    NotYetValid {
        /// Time until `not_before`.
        starts_in: Duration,
    },
    /// `now` is inside the validity period and more than the window away from its end.
    Valid {
        /// Time until `not_after`.
        remaining: Duration,
    },
    /// `now` is inside the validity period, at most the window away from its end.
    ExpiringSoon {
        /// Time until `not_after`.
        remaining: Duration,
    },
    /// `now` is after `not_after`. An expired push certificate can still be renewed.
    Expired {
        /// Time since `not_after`.
        since: Duration,
    },
}

impl Expiry {
    /// Classifies `now` against the validity period `[not_before, not_after]`
    /// with a warning `window` of the caller's choice (a negative window is
    /// treated as zero).
    ///
    /// ```
    /// use mdm_push_cert::Expiry;
    /// use time::{Duration, macros::datetime};
    ///
    /// let nb = datetime!(2026-01-01 0:00 UTC);
    /// let na = datetime!(2026-12-31 23:59:59 UTC);
    /// let e = Expiry::classify(nb, na, datetime!(2026-12-01 23:59:59 UTC), Duration::days(30));
    /// assert_eq!(e, Expiry::ExpiringSoon { remaining: Duration::days(30) });
    /// ```
    pub fn classify(
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        now: OffsetDateTime,
        window: Duration,
    ) -> Self {
        if now < not_before {
            return Self::NotYetValid {
                starts_in: not_before - now,
            };
        }
        if now > not_after {
            return Self::Expired {
                since: now - not_after,
            };
        }
        let remaining = not_after - now;
        if remaining <= window.max(Duration::ZERO) {
            Self::ExpiringSoon { remaining }
        } else {
            Self::Valid { remaining }
        }
    }

    /// Classifies a certificate's validity straight from its DER, reading
    /// only the validity field: for sweeping many stored certificates.
    ///
    /// The certificate is not otherwise judged; use
    /// [`PushCertificate::parse`](crate::PushCertificate::parse) for that.
    ///
    /// # Errors
    /// [`ParseError`](crate::ParseError) when the DER is not a certificate.
    pub fn of_certificate_der(
        der: &[u8],
        now: OffsetDateTime,
        window: Duration,
    ) -> Result<Self, crate::error::ParseError> {
        let (not_before, not_after) = crate::certificate::validity_of_der(der)?;
        Ok(Self::classify(not_before, not_after, now, window))
    }

    /// A stable snake-case name: `not_yet_valid`, `valid`, `expiring_soon` or `expired`.
    pub fn status(&self) -> &'static str {
        match self {
            Self::NotYetValid { .. } => "not_yet_valid",
            Self::Valid { .. } => "valid",
            Self::ExpiringSoon { .. } => "expiring_soon",
            Self::Expired { .. } => "expired",
        }
    }

    /// Whole days left until `not_after`, rounded down, while the period has
    /// begun; negative once expired (−1 during the first day after the end);
    /// `None` before the period begins.
    pub fn days_remaining(&self) -> Option<i64> {
        match *self {
            Self::NotYetValid { .. } => None,
            Self::Valid { remaining } | Self::ExpiringSoon { remaining } => {
                Some(remaining.whole_days())
            }
            Self::Expired { since } => Some(-(since.whole_days() + 1)),
        }
    }

    /// Whether a certificate in this state may be used now (valid or expiring soon).
    pub fn is_usable(&self) -> bool {
        matches!(self, Self::Valid { .. } | Self::ExpiringSoon { .. })
    }
}
