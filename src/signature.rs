//! RSA PKCS#1 v1.5 signature checks for the algorithms Apple's certificates use.

use der::asn1::ObjectIdentifier;
use rsa::Pkcs1v15Sign;
use sha2::Digest as _;

/// `sha1WithRSAEncryption` ([RFC 8017 Appendix A.2.4]).
///
/// [RFC 8017 Appendix A.2.4]: https://datatracker.ietf.org/doc/html/rfc8017#appendix-A.2.4
pub(crate) const SHA1_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
/// `sha256WithRSAEncryption`.
pub(crate) const SHA256_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// `sha384WithRSAEncryption`.
pub(crate) const SHA384_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
/// `sha512WithRSAEncryption`.
pub(crate) const SHA512_WITH_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
/// `rsaEncryption`, the SubjectPublicKeyInfo algorithm of RSA keys.
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A digest used with RSA PKCS#1 v1.5 signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-1: only in signedCSR files made before 2021 and old CA certificates.
    Sha1,
    /// SHA-256: what Apple expects today.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The name in lower case: `sha1`, `sha256`, `sha384` or `sha512`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// The digest of the signature algorithm `oid`, if it is RSA PKCS#1 v1.5.
    pub(crate) fn from_signature_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            SHA1_WITH_RSA => Some(Self::Sha1),
            SHA256_WITH_RSA => Some(Self::Sha256),
            SHA384_WITH_RSA => Some(Self::Sha384),
            SHA512_WITH_RSA => Some(Self::Sha512),
            _ => None,
        }
    }

    fn hash_and_scheme(self, message: &[u8]) -> (Vec<u8>, Pkcs1v15Sign) {
        match self {
            Self::Sha1 => (
                sha1::Sha1::digest(message).to_vec(),
                Pkcs1v15Sign::new::<sha1::Sha1>(),
            ),
            Self::Sha256 => (
                sha2::Sha256::digest(message).to_vec(),
                Pkcs1v15Sign::new::<sha2::Sha256>(),
            ),
            Self::Sha384 => (
                sha2::Sha384::digest(message).to_vec(),
                Pkcs1v15Sign::new::<sha2::Sha384>(),
            ),
            Self::Sha512 => (
                sha2::Sha512::digest(message).to_vec(),
                Pkcs1v15Sign::new::<sha2::Sha512>(),
            ),
        }
    }

    /// Whether `signature` is a valid RSA PKCS#1 v1.5 signature of `message`
    /// with this digest under `key`.
    pub(crate) fn verify(self, key: &rsa::PublicKey, message: &[u8], signature: &[u8]) -> bool {
        let (hashed, scheme) = self.hash_and_scheme(message);
        key.verify(scheme, &hashed, signature).is_ok()
    }
}

impl core::fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// Reads an RSA public key from SubjectPublicKeyInfo DER.
pub(crate) fn rsa_public_key(spki_der: &[u8]) -> Option<rsa::PublicKey> {
    use rsa::pkcs8::DecodePublicKey as _;
    rsa::PublicKey::from_public_key_der(spki_der).ok()
}

/// The SHA-256 of `bytes` as lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
