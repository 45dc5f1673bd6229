//! Signature checks for the algorithms Apple's certificates use: RSA
//! PKCS#1 v1.5 (Apple Root CA's hierarchy, every MDM vendor signature) and
//! ECDSA on P-256 and P-384 (Apple Root CA - G3's hierarchy, which issues
//! Apple's newer Application Integration and WWDR CAs).
//!
//! RSA is verified by the `rsa` crate (and crypto-bigint for 2048-bit keys)
//! by default, by AWS-LC with the `aws-lc-rs` or `fips` feature
//! (`signature/aws_lc.rs`); both accept the same keys and signatures.

#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
use crypto_bigint::{Odd, U2048};
#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
use rsa::Pkcs1v15Sign;
use sha2::Digest as _;

#[cfg(any(feature = "aws-lc-rs", feature = "fips"))]
mod aws_lc;
#[cfg(any(feature = "aws-lc-rs", feature = "fips"))]
pub(crate) use aws_lc::RsaVerifier;

use crate::asn1::{self, tag};
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

    #[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
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
    #[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
    pub(crate) fn verify(self, key: &RsaVerifier, message: &[u8], signature: &[u8]) -> bool {
        let (hashed, scheme) = self.hash_and_scheme(message);
        match &key.fast {
            Some(fast) => fast.verify(&scheme.prefix, &hashed, signature),
            None => key.key.verify(scheme, &hashed, signature).is_ok(),
        }
    }

    /// Whether `signature` is a valid RSA PKCS#1 v1.5 signature of `message`
    /// with this digest under `key`: AWS-LC's verdict.
    #[cfg(any(feature = "aws-lc-rs", feature = "fips"))]
    pub(crate) fn verify(self, key: &RsaVerifier, message: &[u8], signature: &[u8]) -> bool {
        key.verify(self, message, signature)
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

/// Reads an RSA public key from SubjectPublicKeyInfo DER, ready to verify.
#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
pub(crate) fn rsa_public_key(spki_der: &[u8]) -> Option<RsaVerifier> {
    use rsa::pkcs8::DecodePublicKey as _;
    rsa::PublicKey::from_public_key_der(spki_der)
        .ok()
        .map(RsaVerifier::new)
}

/// Reads an RSA public key from SubjectPublicKeyInfo DER, ready to verify.
#[cfg(any(feature = "aws-lc-rs", feature = "fips"))]
pub(crate) fn rsa_public_key(spki_der: &[u8]) -> Option<RsaVerifier> {
    RsaVerifier::from_spki(spki_der)
}

#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
/// An RSA public key prepared for verifying signatures.
///
/// The `rsa` crate's verification spends 80% of its time in modular
/// exponentiation over heap-allocated, variable-size integers. For the
/// 2048-bit keys Apple and MDM vendors use, the same arithmetic on
/// crypto-bigint's fixed-size `U2048`, with the Montgomery parameters computed
/// once per key, takes half the time. Other sizes use the `rsa` crate.
#[derive(Clone, Debug)]
pub(crate) struct RsaVerifier {
    key: rsa::PublicKey,
    fast: Option<Fast2048>,
}

#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
impl RsaVerifier {
    pub(crate) fn new(key: rsa::PublicKey) -> Self {
        let fast = Fast2048::new(&key);
        Self { key, fast }
    }

    /// The modulus length in bits.
    pub(crate) fn bits(&self) -> usize {
        use rsa::traits::PublicKeyParts as _;
        self.key.n().bit_width() as usize
    }
}

#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
/// Verification for a 2048-bit modulus and a public exponent below 2^64.
#[derive(Clone, Debug)]
struct Fast2048 {
    params: FixedMontyParams<{ U2048::LIMBS }>,
    e: u64,
}

#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
/// The length of a 2048-bit modulus in bytes.
const K: usize = 256;

#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
impl Fast2048 {
    fn new(key: &rsa::PublicKey) -> Option<Self> {
        use rsa::traits::PublicKeyParts as _;
        let n_bytes = key.n().to_be_bytes();
        let n_bytes = n_bytes.get(n_bytes.len().checked_sub(K)?..)?;
        if key.n().bit_width() != 2048 || n_bytes.len() != K {
            return None;
        }
        let n = Odd::new(U2048::from_be_slice(n_bytes)).into_option()?;
        let e_bytes = key.e().to_be_bytes();
        let significant = e_bytes.iter().skip_while(|b| **b == 0).count();
        if significant == 0 || significant > 8 {
            return None;
        }
        let mut e = 0u64;
        for b in e_bytes.iter().skip(e_bytes.len() - significant) {
            e = (e << 8) | u64::from(*b);
        }
        Some(Self {
            params: FixedMontyParams::new_vartime(n),
            e,
        })
    }

    /// RSASSA-PKCS1-v1_5-VERIFY ([RFC 8017 §8.2.2]): `s^e mod n` compared with
    /// the expected encoding `00 01 FF..FF 00 || DigestInfo prefix || hash`.
    /// Public data only, so variable time is fine.
    ///
    /// [RFC 8017 §8.2.2]: https://datatracker.ietf.org/doc/html/rfc8017#section-8.2.2
    fn verify(&self, prefix: &[u8], hashed: &[u8], signature: &[u8]) -> bool {
        let t_len = prefix.len() + hashed.len();
        if signature.len() != K || K < t_len + 11 {
            return false;
        }
        let s = U2048::from_be_slice(signature);
        if s.cmp_vartime(self.params.modulus().as_ref()) != core::cmp::Ordering::Less {
            return false;
        }
        let base = FixedMontyForm::new(&s, &self.params);
        let mut acc = base;
        let bits = u64::BITS - self.e.leading_zeros();
        for i in (0..bits.saturating_sub(1)).rev() {
            acc = acc.square();
            if (self.e >> i) & 1 == 1 {
                acc *= base;
            }
        }
        let em = acc.retrieve().to_be_bytes();
        let em: &[u8] = em.as_ref();
        let ps_end = K - t_len - 1;
        em.first() == Some(&0)
            && em.get(1) == Some(&1)
            && em
                .get(2..ps_end)
                .is_some_and(|ps| ps.iter().all(|b| *b == 0xFF))
            && em.get(ps_end) == Some(&0)
            && em.get(ps_end + 1..ps_end + 1 + prefix.len()) == Some(prefix)
            && em.get(K - hashed.len()..) == Some(hashed)
    }
}

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
            return rsa_public_key(spki_der).map(|k| Self::Rsa(Box::new(k)));
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
            (Self::Rsa(key), SignatureAlgorithm::Rsa(d)) => d.verify(key, message, signature),
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

#[cfg(test)]
#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
mod tests {
    //! The fixed-size path against the `rsa` crate on the same inputs.

    use super::*;
    use crate::certificate::{Certificate, part};

    fn both(key: &RsaVerifier, digest: DigestAlgorithm, msg: &[u8], sig: &[u8]) -> (bool, bool) {
        let (hashed, scheme) = digest.hash_and_scheme(msg);
        let fast = key
            .fast
            .as_ref()
            .expect("2048-bit key")
            .verify(&scheme.prefix, &hashed, sig);
        let slow = key.key.verify(scheme, &hashed, sig).is_ok();
        (fast, slow)
    }

    fn cert_parts(der: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let c = Certificate::read(der).expect("certificate");
        (
            part(der, &c.tbs).to_vec(),
            part(der, &c.signature).to_vec(),
            part(der, &c.spki).to_vec(),
        )
    }

    fn pem_der(pem: &[u8]) -> Vec<u8> {
        crate::input::der_items(pem, b"CERTIFICATE")
            .expect("pem")
            .remove(0)
    }

    #[test]
    fn fixed_size_path_agrees_with_the_rsa_crate() {
        let aai2 = pem_der(include_bytes!("../tests/fixtures/pki/aai2.pem"));
        let (_, _, aai2_spki) = cert_parts(&aai2);
        let key = rsa_public_key(&aai2_spki).expect("key");
        let mut cases = 0;
        for pem in [
            include_bytes!("../tests/fixtures/pki/push_b.pem").as_slice(),
            include_bytes!("../tests/fixtures/pki/push_a.pem"),
            include_bytes!("../tests/fixtures/pki/push_forged.pem"),
            include_bytes!("../tests/fixtures/pki/push_ec.pem"),
        ] {
            let (tbs, sig, _) = cert_parts(&pem_der(pem));
            for digest in [
                DigestAlgorithm::Sha256,
                DigestAlgorithm::Sha1,
                DigestAlgorithm::Sha512,
            ] {
                let (fast, slow) = both(&key, digest, &tbs, &sig);
                assert_eq!(fast, slow);
                cases += 1;
            }
            // Every byte of the signature flipped in turn, and the message.
            for i in 0..sig.len() {
                let mut bad = sig.clone();
                bad[i] ^= 0x01;
                let (fast, slow) = both(&key, DigestAlgorithm::Sha256, &tbs, &bad);
                assert!(!fast);
                assert_eq!(fast, slow, "signature byte {i}");
                cases += 1;
            }
            let mut msg = tbs.clone();
            msg[10] ^= 1;
            let (fast, slow) = both(&key, DigestAlgorithm::Sha256, &msg, &sig);
            assert!(!fast && !slow);
        }
        // Out-of-range and malformed signatures.
        use rsa::traits::PublicKeyParts as _;
        let n = key.key.n().to_be_bytes().to_vec();
        let n = n[n.len() - K..].to_vec();
        let tbs = cert_parts(&pem_der(include_bytes!("../tests/fixtures/pki/push_b.pem"))).0;
        for sig in [
            n.clone(),
            vec![0xFF; K],
            vec![0; K],
            vec![1; K - 1],
            vec![1; K + 1],
            vec![],
        ] {
            let (fast, slow) = both(&key, DigestAlgorithm::Sha256, &tbs, &sig);
            assert_eq!(fast, slow);
            assert!(!fast);
            cases += 1;
        }
        assert!(cases > 500);
    }

    #[test]
    fn apple_root_signs_aai2_on_both_paths() {
        let root = crate::trust_anchors::APPLE_ROOT_CA;
        let aai2 = crate::trust_anchors::APPLE_AAI2_CA;
        let key = rsa_public_key(cert_parts(root).2.as_slice()).expect("root key");
        let (tbs, sig, _) = cert_parts(aai2);
        let c = Certificate::read(aai2).expect("aai2");
        let digest = DigestAlgorithm::from_rsa_algorithm(
            part(aai2, &c.signature_oid),
            c.signature_params.as_ref().map(|p| part(aai2, p)),
        )
        .expect("rsa digest");
        assert_eq!(both(&key, digest, &tbs, &sig), (true, true));
    }
}
