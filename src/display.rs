//! Text forms shared by messages, summaries and `Debug`: hex, RFC 3339, and
//! the UTC dates reminders show people.
//!
//! The machine formats are fixed here once: hex is lower case with no
//! separator (a serial number, a fingerprint, a key identifier), times are
//! RFC 3339 in UTC with whole seconds. OpenSSL's colon-separated upper case
//! is a human display the CLI makes from the bytes.

use core::fmt;
use core::fmt::Write as _;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339 as Rfc3339Format;

/// Lower-case hex of `bytes`, no separator.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The SHA-256 of `bytes` as lower-case hex: how messages and `Debug` name a
/// key or a certificate without showing it.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(bytes))
}

/// Upper-case hex of `bytes`, no separator: the RFC 4514 `#` form of an
/// attribute value, as OpenSSL prints it.
pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// Bytes from hex of either case; `None` for an odd length or a non-hex digit.
pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    // `from_str_radix` alone would take a leading `+`.
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// Displays an instant as RFC 3339 in UTC with whole seconds
/// (`2026-12-02T09:00:00Z`), the form messages, logs and JSON use.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rfc3339(pub(crate) OffsetDateTime);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.to_offset(time::UtcOffset::UTC).replace_nanosecond(0);
        match t {
            Ok(t) => match t.format(&Rfc3339Format) {
                Ok(s) => f.write_str(&s),
                // RFC 3339 has four-digit years only; `time` refuses others.
                Err(_) => write!(f, "{t}"),
            },
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

/// Displays an instant's date in UTC as `YYYY-MM-DD` (`2026-12-02`): the
/// date a person reads in a reminder, unambiguous in any locale.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UtcDate(pub(crate) OffsetDateTime);

impl fmt::Display for UtcDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.to_offset(time::UtcOffset::UTC);
        write!(
            f,
            "{:04}-{:02}-{:02}",
            t.year(),
            u8::from(t.month()),
            t.day()
        )
    }
}

/// Displays an instant in UTC to the second, for people:
/// `2026-12-02 09:00:00 UTC`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UtcDateTime(pub(crate) OffsetDateTime);

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.to_offset(time::UtcOffset::UTC);
        write!(
            f,
            "{} {:02}:{:02}:{:02} UTC",
            UtcDate(t),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_without_separator() {
        assert_eq!(hex(&[0x00, 0x0a, 0xff, 0x10]), "000aff10");
        assert_eq!(hex(&[]), "");
        assert_eq!(hex_upper(&[0x0a, 0xff]), "0AFF");
        assert_eq!(hex_decode("000aFF10"), Some(vec![0, 10, 255, 16]));
        assert_eq!(hex_decode("0"), None);
        assert_eq!(hex_decode("0g"), None);
        assert_eq!(hex_decode("+1"), None);
    }

    #[test]
    fn rfc3339_is_utc_with_whole_seconds() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_764_666_000_500_000_000)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
        assert_eq!(Rfc3339(t).to_string(), "2025-12-02T09:00:00Z");
        let far = OffsetDateTime::from_unix_timestamp(253_402_300_799).unwrap();
        assert_eq!(Rfc3339(far).to_string(), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn dates_for_people_are_utc() {
        // 2025-12-02T00:30:00+09:00 is still the 1st in UTC.
        let t = OffsetDateTime::from_unix_timestamp(1_764_603_000)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
        assert_eq!(UtcDate(t).to_string(), "2025-12-01");
        assert_eq!(UtcDateTime(t).to_string(), "2025-12-01 15:30:00 UTC");
    }
}
