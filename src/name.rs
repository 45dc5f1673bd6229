//! Distinguished names: walking them strictly, checking every attribute
//! string against its ASN.1 type, and printing them as RFC 4514 strings the
//! way `openssl -nameopt RFC2253` does.
//!
//! ```text
//! Name ::= RDNSequence
//! RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//! RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//! AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
//! ```
//! [RFC 5280 §4.1.2.4](https://datatracker.ietf.org/doc/html/rfc5280#section-4.1.2.4)

use core::fmt::Write as _;

use crate::asn1::{self, DerError, DerResult, Tlv, tag};
use crate::oids;

/// One attribute of a name, borrowed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attribute<'a> {
    /// The attribute type's identifier (contents octets).
    pub(crate) oid: &'a [u8],
    /// The value, a string of one of the types [`check_string`] accepts.
    pub(crate) value: Tlv<'a>,
}

/// Walks a `Name` TLV, checking its DER form and every attribute string, and
/// calls `f` on each attribute in encoding order with the index of its RDN.
///
/// Refused: an RDN that is an empty SET, a multi-valued RDN whose values are
/// not in DER order, an attribute that is not exactly a type and a value, and
/// a value that is not a valid string (see [`check_string`]).
pub(crate) fn walk<'a>(
    name: &Tlv<'a>,
    mut f: impl FnMut(usize, Attribute<'a>) -> DerResult<()>,
) -> DerResult<()> {
    let name = name.expect(tag::SEQUENCE, "a name is not a SEQUENCE")?;
    let mut rdns = name.reader();
    let mut index = 0;
    while !rdns.is_empty() {
        let rdn = rdns.read_tag(tag::SET, "a name component is not a SET")?;
        walk_rdn(&rdn, |atv| f(index, atv))?;
        index += 1;
    }
    Ok(())
}

/// Walks one `RelativeDistinguishedName` (a SET, or an implicitly tagged
/// one), as [`walk`] does each of a name's.
pub(crate) fn walk_rdn<'a>(
    rdn: &Tlv<'a>,
    mut f: impl FnMut(Attribute<'a>) -> DerResult<()>,
) -> DerResult<()> {
    let mut atvs = rdn.reader();
    let mut previous: Option<&[u8]> = None;
    if atvs.is_empty() {
        return Err(DerError("a name component is empty"));
    }
    while !atvs.is_empty() {
        let atv = atvs.read_tag(tag::SEQUENCE, "a name attribute is not a SEQUENCE")?;
        // DER sorts the members of a SET OF by their encodings (X.690 §11.6).
        if let Some(p) = previous
            && set_order(p, atv.bytes) == core::cmp::Ordering::Greater
        {
            return Err(DerError(
                "a multi-valued name component is not in DER order",
            ));
        }
        previous = Some(atv.bytes);
        let mut parts = atv.reader();
        let oid = asn1::oid(&parts.read()?)?;
        let value = parts.read()?;
        parts.finish("a name attribute holds more than a type and a value")?;
        check_string(&value)?;
        f(Attribute { oid, value })?;
    }
    Ok(())
}

/// The order of SET OF members in DER: octet strings compared with the
/// shorter one padded with zeros.
fn set_order(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    let len = a.len().max(b.len());
    let pad = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    (0..len)
        .map(|i| pad(a, i).cmp(&pad(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or(core::cmp::Ordering::Equal)
}

/// Refuses a value that is not a valid string of its type.
///
/// Read: UTF8String (valid UTF-8), PrintableString (X.680's set, plus `*`
/// and `&`, which Go's `crypto/x509` also tolerates), IA5String (ASCII),
/// NumericString (digits and space), BMPString (UTF-16 of whole code
/// points) and TeletexString (read as ISO 8859-1, as Go does). Every other
/// type, UniversalString included, is refused, as Go refuses it.
pub(crate) fn check_string(value: &Tlv<'_>) -> DerResult<()> {
    let invalid = match value.tag {
        tag::UTF8_STRING => "a UTF8String attribute is not valid UTF-8",
        tag::PRINTABLE_STRING => "a PrintableString attribute holds a character outside its set",
        tag::IA5_STRING => "an IA5String attribute holds a byte outside ASCII",
        tag::NUMERIC_STRING => {
            "a NumericString attribute holds a character other than digits and space"
        }
        tag::BMP_STRING => "a BMPString attribute is not valid UTF-16",
        tag::TELETEX_STRING => "",
        0x1C => return Err(DerError("a UniversalString attribute is not supported")),
        _ => return Err(DerError("a name attribute's value is not a string")),
    };
    let ok = match value.tag {
        tag::UTF8_STRING => core::str::from_utf8(value.value).is_ok(),
        tag::PRINTABLE_STRING => value.value.iter().all(|b| is_printable(*b)),
        tag::IA5_STRING => value.value.is_ascii(),
        tag::NUMERIC_STRING => value.value.iter().all(|b| b.is_ascii_digit() || *b == b' '),
        tag::BMP_STRING => {
            bmp_units(value.value).is_some_and(|units| char::decode_utf16(units).all(|c| c.is_ok()))
        }
        _ => true,
    };
    if ok { Ok(()) } else { Err(DerError(invalid)) }
}

fn is_printable(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b' ' | b'\''
                | b'('
                | b')'
                | b'+'
                | b','
                | b'-'
                | b'.'
                | b'/'
                | b':'
                | b'='
                | b'?'
                | b'*'
                | b'&'
        )
}

fn bmp_units(bytes: &[u8]) -> Option<impl Iterator<Item = u16> + '_> {
    bytes.len().is_multiple_of(2).then(|| {
        bytes.chunks_exact(2).map(|c| {
            u16::from_be_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
    })
}

/// The text of a string value that [`check_string`] accepted.
pub(crate) fn decode_string(value: &Tlv<'_>) -> Option<String> {
    match value.tag {
        tag::UTF8_STRING | tag::PRINTABLE_STRING | tag::IA5_STRING | tag::NUMERIC_STRING => {
            core::str::from_utf8(value.value).ok().map(str::to_owned)
        }
        tag::BMP_STRING => char::decode_utf16(bmp_units(value.value)?)
            .collect::<Result<String, _>>()
            .ok(),
        tag::TELETEX_STRING => Some(value.value.iter().map(|b| char::from(*b)).collect()),
        _ => None,
    }
}

/// Short names for the attributes certificates in this domain carry; any
/// other attribute prints as its dotted OID.
const SHORT_NAMES: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "CN"),
    (&[0x55, 0x04, 0x06], "C"),
    (&[0x55, 0x04, 0x07], "L"),
    (&[0x55, 0x04, 0x08], "ST"),
    (&[0x55, 0x04, 0x09], "street"),
    (&[0x55, 0x04, 0x0A], "O"),
    (&[0x55, 0x04, 0x0B], "OU"),
    (&[0x55, 0x04, 0x04], "SN"),
    (&[0x55, 0x04, 0x2A], "GN"),
    (&[0x55, 0x04, 0x05], "serialNumber"),
    (&[0x55, 0x04, 0x0C], "title"),
    (oids::UID, "UID"),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19],
        "DC",
    ),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01],
        "emailAddress",
    ),
];

fn short_name(oid: &[u8]) -> Option<&'static str> {
    SHORT_NAMES
        .iter()
        .find(|(known, _)| *known == oid)
        .map(|(_, short)| *short)
}

/// Formats the DER of a name per [RFC 4514]: the last RDN first, attributes of
/// one RDN joined by `+`, special characters escaped, values that are not
/// strings as `#` and their DER in hex. A name that is not valid DER prints as
/// `#` and its hex.
///
/// [RFC 4514]: https://datatracker.ietf.org/doc/html/rfc4514
pub(crate) fn rfc4514_der(der: &[u8]) -> String {
    let Ok(name) = asn1::single(der, "data follows a name") else {
        return format!("#{}", crate::display::hex_upper(der));
    };
    let mut rdns: Vec<Vec<Attribute<'_>>> = Vec::new();
    let collected = walk(&name, |index, atv| {
        if rdns.len() <= index {
            rdns.push(Vec::new());
        }
        if let Some(rdn) = rdns.last_mut() {
            rdn.push(atv);
        }
        Ok(())
    });
    if collected.is_err() {
        return format!("#{}", crate::display::hex_upper(der));
    }
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            match (short_name(atv.oid), decode_string(&atv.value)) {
                (Some(key), Some(value)) => {
                    out.push_str(key);
                    out.push('=');
                    escape_into(&mut out, &value);
                }
                _ => {
                    out.push_str(&oids::dotted(atv.oid));
                    out.push('=');
                    out.push('#');
                    out.push_str(&crate::display::hex_upper(atv.value.bytes));
                }
            }
        }
    }
    out
}

fn escape_into(out: &mut String, value: &str) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' | '=' => {
                out.push('\\');
                out.push(c);
            }
            '\x00'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\{:02X}", c as u32);
            }
            _ => out.push(c),
        }
    }
}
