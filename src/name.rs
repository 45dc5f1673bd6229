//! Distinguished names as RFC 4514 strings, the way `openssl -nameopt RFC2253` prints them.

use core::fmt::Write as _;

use der::asn1::{Ia5StringRef, ObjectIdentifier, PrintableStringRef, Utf8StringRef};
use der::{Decode as _, Encode as _, Tag, Tagged as _};
use x509_cert::name::Name;

/// Short names for the attributes certificates in this domain carry; any
/// other attribute prints as its dotted OID.
const SHORT_NAMES: &[(ObjectIdentifier, &str)] = &[
    (ObjectIdentifier::new_unwrap("2.5.4.3"), "CN"),
    (ObjectIdentifier::new_unwrap("2.5.4.6"), "C"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
    (ObjectIdentifier::new_unwrap("2.5.4.9"), "street"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
    (ObjectIdentifier::new_unwrap("2.5.4.4"), "SN"),
    (ObjectIdentifier::new_unwrap("2.5.4.42"), "GN"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.12"), "title"),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"),
        "UID",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
        "DC",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "emailAddress",
    ),
];

fn short_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    SHORT_NAMES
        .iter()
        .find(|(known, _)| known == oid)
        .map(|(_, short)| *short)
}

/// Formats a decoded name per [RFC 4514]: the last RDN first, attributes of
/// one RDN joined by `+`, special characters escaped, values that are not
/// strings as `#` and their DER in hex.
///
/// [RFC 4514]: https://datatracker.ietf.org/doc/html/rfc4514
pub(crate) fn rfc4514(name: &Name) -> String {
    let mut out = String::new();
    let rdns: Vec<_> = name.iter_rdn().collect();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            let text = directory_str(atv.value.tag(), atv.value.value());
            match (short_name(&atv.oid), text) {
                (Some(key), Some(value)) => {
                    out.push_str(key);
                    out.push('=');
                    escape_into(&mut out, value);
                }
                _ => {
                    let _ = write!(out, "{}=#", atv.oid);
                    for b in atv.value.to_der().unwrap_or_default() {
                        let _ = write!(out, "{b:02X}");
                    }
                }
            }
        }
    }
    out
}

/// Formats the DER of a name; a name that does not decode prints as `#` and its hex.
pub(crate) fn rfc4514_der(der: &[u8]) -> String {
    match Name::from_der(der) {
        Ok(name) => rfc4514(&name),
        Err(_) => {
            let mut out = String::from("#");
            for b in der {
                let _ = write!(out, "{b:02X}");
            }
            out
        }
    }
}

/// The text of a directory string value: UTF8String, PrintableString or
/// IA5String (the types certificate names in this domain use); `None` for
/// any other type or an invalid value.
pub(crate) fn directory_str(tag: Tag, bytes: &[u8]) -> Option<&str> {
    match tag {
        Tag::Utf8String => Utf8StringRef::new(bytes).ok().map(|s| s.as_str()),
        Tag::PrintableString => PrintableStringRef::new(bytes).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::new(bytes).ok().map(|s| s.as_str()),
        _ => None,
    }
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
