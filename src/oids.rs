//! Object identifiers, as the contents octets of their DER encoding.
//!
//! Readers compare identifiers as bytes, so a certificate is never refused
//! because an identifier it carries has an arc no fixed-size type can hold.
//! The public constants are the same identifiers as `const-oid` values.

use der::asn1::ObjectIdentifier;

/// The subject attribute that carries the APNs topic: `UID`
/// ([RFC 4519 §2.39], OID 0.9.2342.19200300.100.1.1).
///
/// [RFC 4519 §2.39]: https://datatracker.ietf.org/doc/html/rfc4519#section-2.39
pub const UID_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1");

/// The extension Apple puts in MDM push certificates (value NULL).
pub const PUSH_MARKER_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.6.3.2");

/// The extension Apple puts in MDM vendor certificates (value NULL).
pub const VENDOR_MARKER_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.4.12");

/// 0.9.2342.19200300.100.1.1, UID.
pub(crate) const UID: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01];
/// 1.2.840.113635.100.6.3.2, Apple's MDM push marker.
pub(crate) const PUSH_MARKER: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x63, 0x64, 0x06, 0x03, 0x02];
/// 1.2.840.113635.100.4.12, Apple's MDM vendor marker.
pub(crate) const VENDOR_MARKER: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x63, 0x64, 0x04, 0x0C];

/// 2.5.29.14, subjectKeyIdentifier ([RFC 5280 §4.2.1.2]).
///
/// [RFC 5280 §4.2.1.2]: https://datatracker.ietf.org/doc/html/rfc5280#section-4.2.1.2
pub(crate) const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1D, 0x0E];
/// 2.5.29.15, keyUsage.
pub(crate) const KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x0F];
/// 2.5.29.17, subjectAltName.
pub(crate) const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1D, 0x11];
/// 2.5.29.19, basicConstraints.
pub(crate) const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];
/// 2.5.29.31, cRLDistributionPoints.
pub(crate) const CRL_DISTRIBUTION_POINTS: &[u8] = &[0x55, 0x1D, 0x1F];
/// 2.5.29.32, certificatePolicies.
pub(crate) const CERTIFICATE_POLICIES: &[u8] = &[0x55, 0x1D, 0x20];
/// 2.5.29.35, authorityKeyIdentifier.
pub(crate) const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1D, 0x23];
/// 2.5.29.37, extKeyUsage.
pub(crate) const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x25];
/// 1.3.6.1.5.5.7.1.1, authorityInfoAccess.
pub(crate) const AUTHORITY_INFO_ACCESS: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];

/// 2.5.29.37.0, anyExtendedKeyUsage.
pub(crate) const ANY_EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x25, 0x00];
/// 1.3.6.1.5.5.7.3.2, id-kp-clientAuth: TLS client authentication, what APNs asks of a push certificate.
pub(crate) const CLIENT_AUTH: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// 1.2.840.113549.1.1.1, rsaEncryption.
pub(crate) const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
/// 1.2.840.113549.1.1.5, sha1WithRSAEncryption ([RFC 8017 Appendix A.2.4]).
///
/// [RFC 8017 Appendix A.2.4]: https://datatracker.ietf.org/doc/html/rfc8017#appendix-A.2.4
pub(crate) const SHA1_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05];
/// 1.2.840.113549.1.1.11, sha256WithRSAEncryption.
pub(crate) const SHA256_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B];
/// 1.2.840.113549.1.1.12, sha384WithRSAEncryption.
pub(crate) const SHA384_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C];
/// 1.2.840.113549.1.1.13, sha512WithRSAEncryption.
pub(crate) const SHA512_WITH_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D];

/// 1.2.840.10045.2.1, id-ecPublicKey ([RFC 5480 §2.1.1]).
///
/// [RFC 5480 §2.1.1]: https://datatracker.ietf.org/doc/html/rfc5480#section-2.1.1
pub(crate) const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
/// 1.2.840.10045.3.1.7, secp256r1 (P-256).
pub(crate) const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
/// 1.3.132.0.34, secp384r1 (P-384).
pub(crate) const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
/// 1.2.840.10045.4.3.2, ecdsa-with-SHA256 ([RFC 5758 §3.2]).
///
/// [RFC 5758 §3.2]: https://datatracker.ietf.org/doc/html/rfc5758#section-3.2
pub(crate) const ECDSA_WITH_SHA256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
/// 1.2.840.10045.4.3.3, ecdsa-with-SHA384.
pub(crate) const ECDSA_WITH_SHA384: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03];
/// 1.2.840.10045.4.3.4, ecdsa-with-SHA512.
pub(crate) const ECDSA_WITH_SHA512: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04];

/// An identifier in dotted decimal, for messages; an arc too large for 128
/// bits prints as `?`.
pub(crate) fn dotted(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    let mut out = String::new();
    let mut acc: Option<u128> = Some(0);
    let mut first = true;
    for b in bytes {
        acc = acc
            .and_then(|a| a.checked_mul(128))
            .map(|a| a | u128::from(b & 0x7F));
        if b & 0x80 != 0 {
            continue;
        }
        match (acc, first) {
            (Some(v), true) => {
                let (x, y) = match v {
                    0..40 => (0, v),
                    40..80 => (1, v - 40),
                    _ => (2, v - 80),
                };
                let _ = write!(out, "{x}.{y}");
            }
            (Some(v), false) => {
                let _ = write!(out, ".{v}");
            }
            (None, true) => out.push_str("2.?"),
            (None, false) => out.push_str(".?"),
        }
        first = false;
        acc = Some(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_forms_match_the_dotted_forms() {
        let table: &[(&[u8], &str)] = &[
            (UID, "0.9.2342.19200300.100.1.1"),
            (PUSH_MARKER, "1.2.840.113635.100.6.3.2"),
            (VENDOR_MARKER, "1.2.840.113635.100.4.12"),
            (SUBJECT_KEY_ID, "2.5.29.14"),
            (KEY_USAGE, "2.5.29.15"),
            (SUBJECT_ALT_NAME, "2.5.29.17"),
            (BASIC_CONSTRAINTS, "2.5.29.19"),
            (CRL_DISTRIBUTION_POINTS, "2.5.29.31"),
            (CERTIFICATE_POLICIES, "2.5.29.32"),
            (AUTHORITY_KEY_ID, "2.5.29.35"),
            (EXT_KEY_USAGE, "2.5.29.37"),
            (AUTHORITY_INFO_ACCESS, "1.3.6.1.5.5.7.1.1"),
            (ANY_EXTENDED_KEY_USAGE, "2.5.29.37.0"),
            (CLIENT_AUTH, "1.3.6.1.5.5.7.3.2"),
            (RSA_ENCRYPTION, "1.2.840.113549.1.1.1"),
            (SHA1_WITH_RSA, "1.2.840.113549.1.1.5"),
            (SHA256_WITH_RSA, "1.2.840.113549.1.1.11"),
            (SHA384_WITH_RSA, "1.2.840.113549.1.1.12"),
            (SHA512_WITH_RSA, "1.2.840.113549.1.1.13"),
            (EC_PUBLIC_KEY, "1.2.840.10045.2.1"),
            (P256, "1.2.840.10045.3.1.7"),
            (P384, "1.3.132.0.34"),
            (ECDSA_WITH_SHA256, "1.2.840.10045.4.3.2"),
            (ECDSA_WITH_SHA384, "1.2.840.10045.4.3.3"),
            (ECDSA_WITH_SHA512, "1.2.840.10045.4.3.4"),
        ];
        for (bytes, text) in table {
            let oid = ObjectIdentifier::new_unwrap(text);
            assert_eq!(oid.as_bytes(), *bytes, "{text}");
            assert_eq!(dotted(bytes), *text);
        }
        assert_eq!(UID_OID.as_bytes(), UID);
        assert_eq!(PUSH_MARKER_OID.as_bytes(), PUSH_MARKER);
        assert_eq!(VENDOR_MARKER_OID.as_bytes(), VENDOR_MARKER);
        // 2.999.1 and an arc of 2^32.
        assert_eq!(dotted(&[0x88, 0x37, 0x01]), "2.999.1");
        assert_eq!(
            dotted(&[0x2B, 0x90, 0x80, 0x80, 0x80, 0x00]),
            "1.3.4294967296"
        );
    }
}
