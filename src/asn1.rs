//! The DER primitives every reader in this crate stands on: a borrowed TLV
//! reader that accepts only DER ([X.690 §10]), the primitive types
//! certificates use, and the conversion of certificate times.
//!
//! Nothing here allocates, and nothing recurses: a reader walks one level, and
//! the caller descends by asking a value for a reader over its contents, so
//! the depth of any walk is the depth of the caller's code, not of the input.
//!
//! [X.690 §10]: https://www.itu.int/rec/T-REC-X.690

use core::ops::Range;

/// Universal tags, as the single identifier octet DER uses for them.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTF8_STRING: u8 = 0x0C;
    pub(crate) const NUMERIC_STRING: u8 = 0x12;
    pub(crate) const PRINTABLE_STRING: u8 = 0x13;
    pub(crate) const TELETEX_STRING: u8 = 0x14;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const UTC_TIME: u8 = 0x17;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const BMP_STRING: u8 = 0x1E;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;

    /// `[n]` context-specific, constructed.
    pub(crate) const fn explicit(n: u8) -> u8 {
        0xA0 | n
    }

    /// `[n]` context-specific, primitive.
    pub(crate) const fn implicit(n: u8) -> u8 {
        0x80 | n
    }
}

/// Why bytes are not the DER this crate reads: a fixed description, turned
/// into [`ParseError::Malformed`](crate::ParseError::Malformed) at the boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DerError(pub(crate) &'static str);

impl core::fmt::Display for DerError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0)
    }
}

pub(crate) type DerResult<T> = Result<T, DerError>;

/// One tag-length-value, borrowed, with its place in the outermost input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet.
    pub(crate) tag: u8,
    /// The whole encoding, identifier and length included.
    pub(crate) bytes: &'a [u8],
    /// The contents.
    pub(crate) value: &'a [u8],
    /// Where the whole encoding starts in the outermost input.
    pub(crate) start: usize,
    /// Where the contents start in the outermost input.
    pub(crate) value_start: usize,
}

impl<'a> Tlv<'a> {
    /// The range of the whole encoding in the outermost input.
    pub(crate) fn range(&self) -> Range<usize> {
        self.start..self.start + self.bytes.len()
    }

    /// The range of the contents in the outermost input.
    pub(crate) fn value_range(&self) -> Range<usize> {
        self.value_start..self.value_start + self.value.len()
    }

    /// A reader over the contents of a constructed value.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader {
            data: self.value,
            pos: 0,
            base: self.value_start,
        }
    }

    /// The one value that fills this value's contents (an EXPLICIT tag's
    /// inner value, an OCTET STRING's encapsulated value), keeping its place
    /// in the outermost input.
    pub(crate) fn inner(&self, what: &'static str) -> DerResult<Tlv<'a>> {
        let mut r = self.reader();
        let tlv = r.read()?;
        r.finish(what)?;
        Ok(tlv)
    }

    /// Refuses a tag other than `expected`.
    pub(crate) fn expect(self, expected: u8, what: &'static str) -> DerResult<Self> {
        if self.tag == expected {
            Ok(self)
        } else {
            Err(DerError(what))
        }
    }
}

/// Reads consecutive DER values from a slice.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Where `data` starts in the outermost input.
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the whole outermost input.
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            base: 0,
        }
    }

    /// Whether every byte has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// The identifier octet of the next value, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Refuses unread bytes.
    pub(crate) fn finish(&self, what: &'static str) -> DerResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerError(what))
        }
    }

    /// Reads the next value. Only the DER forms are accepted: one identifier
    /// octet (every tag this crate reads is below 31), a definite length in
    /// the fewest octets (RFC 5280 data never needs more than four).
    pub(crate) fn read(&mut self) -> DerResult<Tlv<'a>> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let (&tag, after_tag) = rest
            .split_first()
            .ok_or(DerError("a value is missing or cut off"))?;
        // Tag numbers of 31 and above take more identifier octets: no
        // structure read here uses them.
        if tag & 0x1F == 0x1F {
            return Err(DerError("a tag number above 30 is not expected here"));
        }
        let (&first, after_len) = after_tag
            .split_first()
            .ok_or(DerError("a length is missing"))?;
        let (len, len_octets) = if first < 0x80 {
            (usize::from(first), 1)
        } else if first == 0x80 {
            // The indefinite form is BER, never DER (X.690 §10.1).
            return Err(DerError("an indefinite length is not DER"));
        } else {
            let n = usize::from(first & 0x7F);
            if n > 4 {
                return Err(DerError("a length does not fit in four octets"));
            }
            let octets = after_len.get(..n).ok_or(DerError("a length is cut off"))?;
            // The fewest octets: no leading zero, and the long form only
            // from 128 up (X.690 §10.1).
            if octets.first() == Some(&0) {
                return Err(DerError("a length is not in its shortest form"));
            }
            let len = octets
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            if len < 0x80 {
                return Err(DerError("a length is not in its shortest form"));
            }
            (len, 1 + n)
        };
        let header = 1 + len_octets;
        let total = header
            .checked_add(len)
            .ok_or(DerError("a length is too large"))?;
        let bytes = rest
            .get(..total)
            .ok_or(DerError("a value is longer than what contains it"))?;
        let value = bytes.get(header..).unwrap_or_default();
        let start = self.base + self.pos;
        self.pos += total;
        Ok(Tlv {
            tag,
            bytes,
            value,
            start,
            value_start: start + header,
        })
    }

    /// Reads the next value and refuses a tag other than `expected`.
    pub(crate) fn read_tag(&mut self, expected: u8, what: &'static str) -> DerResult<Tlv<'a>> {
        self.read()?.expect(expected, what)
    }

    /// Reads the next value only when its tag is `expected`.
    pub(crate) fn read_optional(&mut self, expected: u8) -> DerResult<Option<Tlv<'a>>> {
        if self.peek_tag() == Some(expected) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Reads exactly one value that fills `bytes`, placed at offset 0: for the
/// outermost input only (inside it, [`Tlv::inner`] keeps offsets right).
pub(crate) fn single<'a>(bytes: &'a [u8], what: &'static str) -> DerResult<Tlv<'a>> {
    let mut r = Reader::new(bytes);
    let tlv = r.read()?;
    r.finish(what)?;
    Ok(tlv)
}

/// The contents of a DER INTEGER: not empty, in the fewest octets (X.690 §8.3.2).
pub(crate) fn integer(tlv: &Tlv<'_>) -> DerResult<()> {
    match tlv.value {
        [] => Err(DerError("an INTEGER is empty")),
        [0x00, next, ..] if *next < 0x80 => Err(DerError("an INTEGER is not in its shortest form")),
        [0xFF, next, ..] if *next >= 0x80 => {
            Err(DerError("an INTEGER is not in its shortest form"))
        }
        _ => Ok(()),
    }
}

/// Whether a valid INTEGER's contents are negative.
pub(crate) fn is_negative(value: &[u8]) -> bool {
    value.first().is_some_and(|b| b & 0x80 != 0)
}

/// A non-negative INTEGER that fits in a `u32`.
pub(crate) fn small_unsigned(tlv: &Tlv<'_>) -> DerResult<u32> {
    integer(tlv)?;
    if is_negative(tlv.value) {
        return Err(DerError("an INTEGER that must not be negative is"));
    }
    let digits = match tlv.value {
        [0, rest @ ..] => rest,
        all => all,
    };
    if digits.len() > 4 {
        return Err(DerError("an INTEGER is too large"));
    }
    Ok(digits
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b)))
}

/// A DER BOOLEAN: one octet, 00 or FF (X.690 §11.1).
pub(crate) fn boolean(tlv: &Tlv<'_>) -> DerResult<bool> {
    match tlv.value {
        [0x00] => Ok(false),
        [0xFF] => Ok(true),
        _ => Err(DerError("a BOOLEAN is not 00 or FF")),
    }
}

/// The contents of a NULL: nothing.
pub(crate) fn null(tlv: &Tlv<'_>) -> DerResult<()> {
    if tlv.tag == tag::NULL && tlv.value.is_empty() {
        Ok(())
    } else {
        Err(DerError("a NULL is expected"))
    }
}

/// Checks an OBJECT IDENTIFIER's contents and returns them: not empty, each
/// sub-identifier in the fewest octets, the last one complete (X.690 §8.19).
/// Identifiers are compared as these bytes, so any valid one is read, however
/// large its arcs.
pub(crate) fn oid<'a>(tlv: &Tlv<'a>) -> DerResult<&'a [u8]> {
    if tlv.tag != tag::OID {
        return Err(DerError("an OBJECT IDENTIFIER is expected"));
    }
    let v = tlv.value;
    if v.last().is_none_or(|b| b & 0x80 != 0) {
        return Err(DerError("an OBJECT IDENTIFIER is empty or cut off"));
    }
    let mut at_start = true;
    for b in v {
        if at_start && *b == 0x80 {
            return Err(DerError(
                "an OBJECT IDENTIFIER arc is not in its shortest form",
            ));
        }
        at_start = b & 0x80 == 0;
    }
    Ok(v)
}

/// A BIT STRING's bits, refusing unused bits: signatures and keys are whole
/// octets.
pub(crate) fn bit_string_octets<'a>(tlv: &Tlv<'a>) -> DerResult<&'a [u8]> {
    if tlv.tag != tag::BIT_STRING {
        return Err(DerError("a BIT STRING is expected"));
    }
    match tlv.value.split_first() {
        Some((0, bits)) => Ok(bits),
        _ => Err(DerError("a BIT STRING holds a partial octet")),
    }
}

/// A named-bit BIT STRING (key usage, reason flags) as the first two octets of
/// bits, with the DER rules: at most seven unused bits, the unused bits zero,
/// and no trailing zero bit (X.690 §11.2.2).
pub(crate) fn named_bits(tlv: &Tlv<'_>) -> DerResult<u16> {
    let (unused, bits) = tlv
        .value
        .split_first()
        .ok_or(DerError("a BIT STRING is empty"))?;
    if *unused > 7 || (bits.is_empty() && *unused != 0) {
        return Err(DerError("a BIT STRING has an invalid unused-bit count"));
    }
    if let Some(last) = bits.last() {
        let mask = (1u8 << *unused) - 1;
        if last & mask != 0 {
            return Err(DerError("a BIT STRING's unused bits are not zero"));
        }
        // DER drops trailing zero bits of a named bit list.
        if *last == 0 || (*unused < 7 && last & (1 << *unused) == 0) {
            return Err(DerError(
                "a named BIT STRING has trailing zero bits (not DER)",
            ));
        }
    }
    let b0 = u16::from(bits.first().copied().unwrap_or(0));
    let b1 = u16::from(bits.get(1).copied().unwrap_or(0));
    Ok((b0 << 8) | b1)
}

/// A certificate time ([RFC 5280 §4.1.2.5]) as seconds since the Unix epoch.
///
/// UTCTime is `YYMMDDHHMMSSZ` (years 50–99 are 19xx, 00–49 are 20xx);
/// GeneralizedTime is `YYYYMMDDHHMMSSZ` and only for years from 2050, which
/// UTCTime cannot hold. Seconds are required, fractions and offsets refused.
/// Times before 1970 are refused: no certificate this crate reads has one,
/// and the `x509-cert` encoder the crate's contract is stated against
/// cannot represent them.
///
/// [RFC 5280 §4.1.2.5]: https://datatracker.ietf.org/doc/html/rfc5280#section-4.1.2.5
pub(crate) fn time(tlv: &Tlv<'_>) -> DerResult<i64> {
    let (year, rest) = match (tlv.tag, tlv.value.len()) {
        (tag::UTC_TIME, 13) => {
            let yy = digits(tlv.value.get(..2))?;
            let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
            (year, tlv.value.get(2..).unwrap_or_default())
        }
        (tag::GENERALIZED_TIME, 15) => {
            let year = digits(tlv.value.get(..4))?;
            if year < 2050 {
                return Err(DerError(
                    "a GeneralizedTime before 2050 (RFC 5280 requires UTCTime)",
                ));
            }
            (year, tlv.value.get(4..).unwrap_or_default())
        }
        (tag::UTC_TIME | tag::GENERALIZED_TIME, _) => {
            return Err(DerError(
                "a time is not in the form YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ",
            ));
        }
        _ => return Err(DerError("a time is expected")),
    };
    if rest.last() != Some(&b'Z') {
        return Err(DerError("a time does not end in Z"));
    }
    let month = digits(rest.get(0..2))?;
    let day = digits(rest.get(2..4))?;
    let hour = digits(rest.get(4..6))?;
    let minute = digits(rest.get(6..8))?;
    let second = digits(rest.get(8..10))?;
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(DerError("a time is not a valid date and time"));
    }
    if year < 1970 {
        return Err(DerError("a time before 1970 is not supported"));
    }
    let days = days_from_civil(year, month, day);
    Ok(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn digits(bytes: Option<&[u8]>) -> DerResult<i64> {
    let bytes = bytes.ok_or(DerError("a time is cut off"))?;
    bytes.iter().try_fold(0i64, |acc, b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + i64::from(b - b'0'))
        } else {
            Err(DerError("a time holds a character that is not a digit"))
        }
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch as a UTC `OffsetDateTime`.
pub(crate) fn to_datetime(secs: i64) -> DerResult<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(secs).map_err(|_| DerError("a time is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(bytes: &[u8]) -> Tlv<'_> {
        single(bytes, "trailing").expect("one value")
    }

    #[test]
    fn lengths_must_be_minimal_and_definite() {
        assert!(
            Reader::new(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5])
                .read()
                .is_err()
        );
        assert!(Reader::new(&[0x30, 0x80, 0, 0]).read().is_err());
        assert!(Reader::new(&[0x04, 0x82, 0x00, 0x80]).read().is_err());
        assert!(Reader::new(&[0x04, 0x03, 1, 2]).read().is_err());
        assert!(Reader::new(&[0x1F, 0x01, 0x00]).read().is_err());
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        assert_eq!(
            Reader::new(&long).read().expect("long form").value.len(),
            0x80
        );
    }

    #[test]
    fn integers_booleans_and_oids_are_der() {
        assert!(integer(&tlv(&[0x02, 0x02, 0x00, 0x7F])).is_err());
        assert!(integer(&tlv(&[0x02, 0x02, 0xFF, 0x80])).is_err());
        assert!(integer(&tlv(&[0x02, 0x00])).is_err());
        assert!(integer(&tlv(&[0x02, 0x02, 0x00, 0x80])).is_ok());
        assert_eq!(small_unsigned(&tlv(&[0x02, 0x01, 0x05])), Ok(5));
        assert!(small_unsigned(&tlv(&[0x02, 0x01, 0xFF])).is_err());
        assert_eq!(boolean(&tlv(&[0x01, 0x01, 0xFF])), Ok(true));
        assert!(boolean(&tlv(&[0x01, 0x01, 0x01])).is_err());
        // 2.999.1: sub-identifier 1079 in two octets, then 1.
        assert!(oid(&tlv(&[0x06, 0x03, 0x88, 0x37, 0x01])).is_ok());
        assert!(oid(&tlv(&[0x06, 0x03, 0x80, 0x01, 0x01])).is_err());
        assert!(oid(&tlv(&[0x06, 0x02, 0x2A, 0x86])).is_err());
        assert!(oid(&tlv(&[0x06, 0x00])).is_err());
    }

    #[test]
    fn named_bits_follow_der() {
        // digitalSignature only: 03 02 07 80.
        assert_eq!(named_bits(&tlv(&[0x03, 0x02, 0x07, 0x80])), Ok(0x8000));
        // The same with a trailing zero bit kept.
        assert!(named_bits(&tlv(&[0x03, 0x02, 0x06, 0x80])).is_err());
        assert!(named_bits(&tlv(&[0x03, 0x03, 0x07, 0x80, 0x00])).is_err());
        assert!(named_bits(&tlv(&[0x03, 0x02, 0x07, 0x81])).is_err());
        assert!(named_bits(&tlv(&[0x03, 0x01, 0x01])).is_err());
    }

    #[test]
    fn times() {
        let t = |b: &[u8], tag: u8| {
            let mut v = vec![tag, b.len() as u8];
            v.extend_from_slice(b);
            time(&tlv(&v))
        };
        assert_eq!(t(b"700101000000Z", tag::UTC_TIME), Ok(0));
        assert_eq!(t(b"491231235959Z", tag::UTC_TIME), Ok(2_524_607_999));
        assert_eq!(
            t(b"20500101000000Z", tag::GENERALIZED_TIME),
            Ok(2_524_608_000)
        );
        assert_eq!(t(b"240229120000Z", tag::UTC_TIME), Ok(1_709_208_000));
        assert!(t(b"230229120000Z", tag::UTC_TIME).is_err());
        assert!(t(b"20260101000000Z", tag::GENERALIZED_TIME).is_err());
        assert!(t(b"2601010000Z", tag::UTC_TIME).is_err());
        assert!(t(b"260101000000+0900", tag::UTC_TIME).is_err());
        assert!(t(b"260101000060Z", tag::UTC_TIME).is_err());
        assert!(t(b"690101000000Z", tag::UTC_TIME).is_err());
    }
}
