//! The `serde` feature: how the crate's values cross an API.
//!
//! - [`Topic`] is a string both ways; reading validates it like `Topic::try_from`.
//! - [`Lang`] is its tag (`"en"`, `"ja"`); reading accepts any BCP 47 tag
//!   that [`Lang::from_tag`] knows.
//! - [`Expiry`] is written (not read) as `{"status", "days_remaining",
//!   "seconds", "usable"}`: `seconds`, whole seconds rounded down, counts to
//!   `not_before` while not yet valid, to `not_after` while valid, and since
//!   `not_after` once expired.
//! - [`CertificateSummary`](crate::CertificateSummary),
//!   [`SentReminder`](crate::SentReminder) and
//!   [`ErrorResponse`](crate::ErrorResponse) derive both ways.
//!
//! - Times are RFC 3339 in UTC with whole seconds (`2026-12-04T01:00:00Z`),
//!   both ways: a time read with another offset or a fraction is written back
//!   in that form.
//!
//! The README's **JSON** section documents every field of these objects;
//! `tests/json.rs` holds them to it.

use serde::de::{Deserializer, Error as _};
use serde::ser::{SerializeStruct as _, Serializer};
use serde::{Deserialize, Serialize};

use crate::display::Rfc3339;
use crate::expiry::Expiry;
use crate::lang::Lang;
use crate::topic::Topic;

impl Serialize for Topic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Topic {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Topic::try_from(s).map_err(D::Error::custom)
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.tag())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Lang::from_tag(&s).ok_or_else(|| D::Error::custom(format!("unknown language tag {s:?}")))
    }
}

impl Serialize for Expiry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let seconds = match *self {
            Expiry::NotYetValid { starts_in } => starts_in,
            Expiry::Valid { remaining } | Expiry::ExpiringSoon { remaining } => remaining,
            Expiry::Expired { since } => since,
        }
        .whole_seconds();
        let mut s = serializer.serialize_struct("Expiry", 4)?;
        s.serialize_field("status", self.status())?;
        s.serialize_field("days_remaining", &self.days_remaining())?;
        s.serialize_field("seconds", &seconds)?;
        s.serialize_field("usable", &self.is_usable())?;
        s.end()
    }
}

/// Times as RFC 3339 UTC with whole seconds, the one form the crate writes
/// (`#[serde(with = "crate::serde_impls::rfc3339_utc")]`).
pub(crate) mod rfc3339_utc {
    use serde::{Deserializer, Serializer};
    use time::OffsetDateTime;

    use super::Rfc3339;

    pub(crate) fn serialize<S: Serializer>(
        t: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&Rfc3339(*t))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let t = time::serde::rfc3339::deserialize(deserializer)?;
        let utc = t.to_offset(time::UtcOffset::UTC);
        Ok(utc.replace_nanosecond(0).unwrap_or(utc))
    }
}

/// A non-negative duration as whole seconds, an integer
/// (`#[serde(with = "crate::serde_impls::whole_seconds")]`): written rounded
/// down, read from any integer from 0 to `i64::MAX`.
pub(crate) mod whole_seconds {
    use serde::de::Error as _;
    use serde::{Deserialize as _, Deserializer, Serializer};
    use time::Duration;

    pub(crate) fn serialize<S: Serializer>(d: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(d.whole_seconds())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        let seconds = u64::deserialize(deserializer)?;
        i64::try_from(seconds)
            .map(Duration::seconds)
            .map_err(|_| D::Error::custom(format!("{seconds} seconds is out of range")))
    }
}
