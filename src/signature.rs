//! Signature checks for the algorithms Apple's certificates use: RSA
//! PKCS#1 v1.5 (Apple Root CA's hierarchy, every MDM vendor signature) and
//! ECDSA on P-256 and P-384 (Apple Root CA - G3's hierarchy, which issues
//! Apple's newer Application Integration and WWDR CAs).
//!
//! RSA is the backend's (`backend.rs`: the `rsa` crate by default,
//! AWS-LC with the `aws-lc-rs` or `fips` feature); ECDSA is the p256 and
//! p384 crates' under either.

use crate::asn1::{self, tag};
use crate::backend::RsaVerifier;
use crate::digest::DigestAlgorithm;
use crate::oids;

/// A signature algorithm a certificate's issuer may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SignatureAlgorithm {
    /// RSA PKCS#1 v1.5 with a digest.
    Rsa(DigestAlgorithm),
    /// ECDSA with a digest (SHA-256, SHA-384 or SHA-512; never SHA-1).
    Ecdsa(DigestAlgorithm),
}

impl SignatureAlgorithm {
    /// The algorithm of an AlgorithmIdentifier: its identifier's contents
    /// octets and its parameters' TLV. ECDSA identifiers take no parameters
    /// ([RFC 5758 §3.2]).
    ///
    /// [RFC 5758 §3.2]: https://datatracker.ietf.org/doc/html/rfc5758#section-3.2
    pub(crate) fn from_identifier(oid: &[u8], params: Option<&[u8]>) -> Option<Self> {
        if let Some(d) = DigestAlgorithm::from_rsa_algorithm(oid, params) {
            return Some(Self::Rsa(d));
        }
        if params.is_some() {
            return None;
        }
        match oid {
            oids::ECDSA_WITH_SHA256 => Some(Self::Ecdsa(DigestAlgorithm::Sha256)),
            oids::ECDSA_WITH_SHA384 => Some(Self::Ecdsa(DigestAlgorithm::Sha384)),
            oids::ECDSA_WITH_SHA512 => Some(Self::Ecdsa(DigestAlgorithm::Sha512)),
            _ => None,
        }
    }

    /// The digest.
    pub(crate) fn digest(self) -> DigestAlgorithm {
        match self {
            Self::Rsa(d) | Self::Ecdsa(d) => d,
        }
    }
}

/// A certificate's public key, loaded once, ready to verify what it signed.
#[derive(Clone, Debug)]
pub(crate) enum VerifyingKey {
    /// An RSA key (boxed: its Montgomery parameters are large).
    Rsa(Box<RsaVerifier>),
    /// A P-256 key.
    P256(p256::ecdsa::VerifyingKey),
    /// A P-384 key.
    P384(p384::ecdsa::VerifyingKey),
}

impl VerifyingKey {
    /// Loads a key from SubjectPublicKeyInfo DER: RSA, or an EC key on P-256
    /// or P-384 named by its curve's identifier ([RFC 5480 §2]); `None` for
    /// anything else, which then verifies nothing.
    ///
    /// [RFC 5480 §2]: https://datatracker.ietf.org/doc/html/rfc5480#section-2
    pub(crate) fn from_spki(spki_der: &[u8]) -> Option<Self> {
        let spki = asn1::single(spki_der, "").ok()?;
        let mut r = spki.reader();
        let alg = r.read_tag(tag::SEQUENCE, "").ok()?;
        let bits = asn1::bit_string_octets(&r.read().ok()?).ok()?;
        let mut ar = alg.reader();
        let oid = asn1::oid(&ar.read().ok()?).ok()?;
        if oid == oids::RSA_ENCRYPTION {
            return RsaVerifier::from_spki(spki_der).map(|k| Self::Rsa(Box::new(k)));
        }
        if oid != oids::EC_PUBLIC_KEY {
            return None;
        }
        // namedCurve only: implicit and explicit curve parameters are refused.
        let curve = asn1::oid(&ar.read().ok()?).ok()?;
        ar.finish("").ok()?;
        match curve {
            oids::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .ok()
                .map(Self::P256),
            oids::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(bits)
                .ok()
                .map(Self::P384),
            _ => None,
        }
    }

    /// Whether `signature` is `algorithm`'s signature of `message` by this
    /// key. An algorithm that does not fit the key verifies nothing. ECDSA
    /// signatures must be DER (`SEQUENCE { r, s }` in the fewest octets) with
    /// `r` and `s` in range; the digest may differ from the curve's own
    /// (Apple's P-384 root signs P-256 CAs with SHA-256).
    pub(crate) fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        match (self, algorithm) {
            (Self::Rsa(key), SignatureAlgorithm::Rsa(d)) => key.verify(d, message, signature),
            (Self::P256(key), SignatureAlgorithm::Ecdsa(d)) => {
                p256::ecdsa::DerSignature::from_bytes(signature)
                    .ok()
                    .and_then(|s| p256::ecdsa::Signature::try_from(s).ok())
                    .is_some_and(|s| key.verify_prehash(&d.digest(message), &s).is_ok())
            }
            (Self::P384(key), SignatureAlgorithm::Ecdsa(d)) => {
                p384::ecdsa::DerSignature::from_bytes(signature)
                    .ok()
                    .and_then(|s| p384::ecdsa::Signature::try_from(s).ok())
                    .is_some_and(|s| key.verify_prehash(&d.digest(message), &s).is_ok())
            }
            _ => false,
        }
    }
}
