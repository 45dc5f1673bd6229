//! The default backend: RSA through the pure-Rust `rsa` crate, with a
//! fixed-size verification path on crypto-bigint for 2048-bit keys.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U2048};
use rand_core::CryptoRng;
use rsa::Pkcs1v15Sign;
use rsa::traits::PublicKeyParts as _;
use sha2::Digest as _;

use crate::digest::DigestAlgorithm;

/// An RSA private key held as the `rsa` crate's PKCS#1 v1.5 / SHA-256
/// signer, with its CRT values and Montgomery parameters computed once, when
/// the key was loaded.
#[derive(Clone)]
pub(crate) struct SigningKey {
    signer: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
}

impl SigningKey {
    /// Prepares `key` for signing; nothing can fail on this backend.
    pub(crate) fn new(key: rsa::PrivateKey) -> Option<Self> {
        Some(Self {
            signer: rsa::pkcs1v15::SigningKey::new(key),
        })
    }

    /// The key as the `rsa` crate holds it.
    pub(crate) fn rsa(&self) -> &rsa::PrivateKey {
        self.signer.as_ref()
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 ([RFC 8017 §8.2.1]); `rng` blinds the
    /// private-key operation (the signature does not depend on it).
    ///
    /// [RFC 8017 §8.2.1]: https://datatracker.ietf.org/doc/html/rfc8017#section-8.2.1
    pub(crate) fn sign_sha256<R: CryptoRng + ?Sized>(
        &self,
        message: &[u8],
        rng: &mut R,
    ) -> Option<Vec<u8>> {
        use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
        self.signer
            .try_sign_with_rng(rng, message)
            .ok()
            .map(|s| s.to_vec())
    }
}

/// The digest of `message` and the `rsa` crate's PKCS#1 v1.5 scheme for it.
fn hash_and_scheme(digest: DigestAlgorithm, message: &[u8]) -> (Vec<u8>, Pkcs1v15Sign) {
    match digest {
        DigestAlgorithm::Sha1 => (
            sha1::Sha1::digest(message).to_vec(),
            Pkcs1v15Sign::new::<sha1::Sha1>(),
        ),
        DigestAlgorithm::Sha256 => (
            sha2::Sha256::digest(message).to_vec(),
            Pkcs1v15Sign::new::<sha2::Sha256>(),
        ),
        DigestAlgorithm::Sha384 => (
            sha2::Sha384::digest(message).to_vec(),
            Pkcs1v15Sign::new::<sha2::Sha384>(),
        ),
        DigestAlgorithm::Sha512 => (
            sha2::Sha512::digest(message).to_vec(),
            Pkcs1v15Sign::new::<sha2::Sha512>(),
        ),
    }
}

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

impl RsaVerifier {
    /// Reads an RSA public key from SubjectPublicKeyInfo DER, as the `rsa`
    /// crate accepts it.
    pub(crate) fn from_spki(spki_der: &[u8]) -> Option<Self> {
        use rsa::pkcs8::DecodePublicKey as _;
        let key = rsa::PublicKey::from_public_key_der(spki_der).ok()?;
        let fast = Fast2048::new(&key);
        Some(Self { key, fast })
    }

    /// The modulus length in bits.
    pub(crate) fn bits(&self) -> usize {
        self.key.n().bit_width() as usize
    }

    /// Whether `signature` is a valid RSA PKCS#1 v1.5 signature of `message`
    /// with `digest` under this key.
    pub(crate) fn verify(&self, digest: DigestAlgorithm, message: &[u8], signature: &[u8]) -> bool {
        let (hashed, scheme) = hash_and_scheme(digest, message);
        match &self.fast {
            Some(fast) => fast.verify(&scheme.prefix, &hashed, signature),
            None => self.key.verify(scheme, &hashed, signature).is_ok(),
        }
    }
}

/// Verification for a 2048-bit modulus and a public exponent below 2^64.
#[derive(Clone, Debug)]
struct Fast2048 {
    params: FixedMontyParams<{ U2048::LIMBS }>,
    e: u64,
}

/// The length of a 2048-bit modulus in bytes.
const K: usize = 256;

impl Fast2048 {
    fn new(key: &rsa::PublicKey) -> Option<Self> {
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

#[cfg(test)]
mod tests {
    //! The fixed-size path against the `rsa` crate on the same inputs.

    use super::*;
    use crate::certificate::{Certificate, part};

    fn both(key: &RsaVerifier, digest: DigestAlgorithm, msg: &[u8], sig: &[u8]) -> (bool, bool) {
        let (hashed, scheme) = hash_and_scheme(digest, msg);
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
        let aai2 = pem_der(include_bytes!("../../tests/fixtures/pki/aai2.pem"));
        let (_, _, aai2_spki) = cert_parts(&aai2);
        let key = RsaVerifier::from_spki(&aai2_spki).expect("key");
        let mut cases = 0;
        for pem in [
            include_bytes!("../../tests/fixtures/pki/push_b.pem").as_slice(),
            include_bytes!("../../tests/fixtures/pki/push_a.pem"),
            include_bytes!("../../tests/fixtures/pki/push_forged.pem"),
            include_bytes!("../../tests/fixtures/pki/push_ec.pem"),
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
        let n = key.key.n().to_be_bytes().to_vec();
        let n = n[n.len() - K..].to_vec();
        let tbs = cert_parts(&pem_der(include_bytes!(
            "../../tests/fixtures/pki/push_b.pem"
        )))
        .0;
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
        let key = RsaVerifier::from_spki(cert_parts(root).2.as_slice()).expect("root key");
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
