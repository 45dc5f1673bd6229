//! The `serde` feature: how the crate's values cross an API.
//!
//! - [`Topic`] is a string both ways; reading validates it like `Topic::try_from`.
//! - [`Lang`] is its tag (`"en"`, `"ja"`); reading accepts any BCP 47 tag
//!   that [`Lang::from_tag`] knows.
//! - [`Expiry`] is written (not read) as `{"status", "days_remaining",
//!   "seconds", "usable"}`: `seconds`, whole seconds rounded down, counts to
//!   `not_before` while not yet valid, to `not_after` while valid, and since
//!   `not_after` once expired.
//! - [`CertificateSummary`](crate::CertificateSummary) and
//!   [`ErrorResponse`](crate::ErrorResponse) derive both ways.
//!
//! The README's **JSON** section documents every field of these objects;
//! `tests/json.rs` holds them to it.

use serde::de::{Deserializer, Error as _};
use serde::ser::{SerializeStruct as _, Serializer};
use serde::{Deserialize, Serialize};

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
