//! The digests of the crate's signatures: which one an algorithm identifier
//! names, and computing it. Below both the signature checks and the RSA
//! backend, which take it as a parameter.

use sha2::Digest as _;

use crate::oids;

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

    /// The digest of an RSA PKCS#1 v1.5 signature algorithm, from its
    /// identifier's contents octets and its parameters' TLV: NULL, or absent,
    /// which [RFC 4055 §5] says implementations must also accept. Any other
    /// parameters are refused.
    ///
    /// [RFC 4055 §5]: https://datatracker.ietf.org/doc/html/rfc4055#section-5
    pub(crate) fn from_rsa_algorithm(oid: &[u8], params: Option<&[u8]>) -> Option<Self> {
        if params.is_some_and(|p| p != [0x05, 0x00]) {
            return None;
        }
        match oid {
            oids::SHA1_WITH_RSA => Some(Self::Sha1),
            oids::SHA256_WITH_RSA => Some(Self::Sha256),
            oids::SHA384_WITH_RSA => Some(Self::Sha384),
            oids::SHA512_WITH_RSA => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The digest of `message`.
    pub(crate) fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(message).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(message).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(message).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(message).to_vec(),
        }
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
