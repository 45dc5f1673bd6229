//! The native backend (features `aws-lc-rs` and `fips`): RSA signing and
//! PKCS#1 v1.5 verification through AWS-LC.
//!
//! A private key is read by the `rsa` crate, as on the default backend, and
//! handed to AWS-LC once as PKCS#1 DER. A public key is read once, by the
//! crate's own DER reader, under the rules the `rsa` crate applies on the
//! default backend, so both backends accept the same keys and give the same
//! verdicts. AWS-LC's parsed key is made on the first verification with each
//! digest and kept (aws-lc-rs binds a parsed key to one algorithm); its
//! Montgomery context is cached inside AWS-LC after the first use.

use std::sync::OnceLock;

use aws_lc_rs::signature::{self, ParsedPublicKey, RsaParameters};
use rand_core::CryptoRng;
use rsa::pkcs1::EncodeRsaPrivateKey as _;

use crate::asn1::{self, tag};
use crate::digest::DigestAlgorithm;
use crate::oids;

/// An RSA private key loaded into AWS-LC, which signs, beside the `rsa`
/// crate's key, which the crate reads and writes files with.
#[derive(Clone)]
pub(crate) struct SigningKey {
    rsa: rsa::PrivateKey,
    native: aws_lc_rs::rsa::KeyPair,
}

impl SigningKey {
    /// Hands `key` to AWS-LC as PKCS#1 DER (zeroized when dropped); AWS-LC
    /// parses and validates it once, here. `None` if AWS-LC refuses it.
    pub(crate) fn new(key: rsa::PrivateKey) -> Option<Self> {
        let der = key.to_pkcs1_der().ok()?;
        let native = aws_lc_rs::rsa::KeyPair::from_der(der.as_bytes()).ok()?;
        Some(Self { rsa: key, native })
    }

    /// The key as the `rsa` crate holds it.
    pub(crate) fn rsa(&self) -> &rsa::PrivateKey {
        &self.rsa
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 ([RFC 8017 §8.2.1]), by AWS-LC: the
    /// same bytes as the default backend's (the scheme is deterministic).
    /// AWS-LC blinds with its own DRBG; `rng` is unused.
    ///
    /// [RFC 8017 §8.2.1]: https://datatracker.ietf.org/doc/html/rfc8017#section-8.2.1
    pub(crate) fn sign_sha256<R: CryptoRng + ?Sized>(
        &self,
        message: &[u8],
        _rng: &mut R,
    ) -> Option<Vec<u8>> {
        let mut signature = vec![0; self.native.public_modulus_len()];
        // aws-lc-rs takes a `SecureRandom` for ring compatibility and ignores
        // it for PKCS#1 v1.5; nothing is drawn from it.
        let unused = aws_lc_rs::rand::SystemRandom::new();
        self.native
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &unused,
                message,
                &mut signature,
            )
            .ok()?;
        Some(signature)
    }
}

/// The modulus sizes the `rsa` crate accepts (`PublicKey::MIN_SIZE` and
/// `MAX_SIZE`), kept here so both backends refuse the same keys.
const MIN_BITS: usize = 1024;
const MAX_BITS: usize = 8192;
/// The largest public exponent the `rsa` crate accepts, 2^33 - 1; AWS-LC's
/// limit is the same 33 bits.
const MAX_EXPONENT: u64 = (1 << 33) - 1;

/// An RSA public key prepared for verification by AWS-LC.
#[derive(Clone)]
pub(crate) struct RsaVerifier {
    spki: Box<[u8]>,
    bits: usize,
    sha1: OnceLock<Option<ParsedPublicKey>>,
    sha256: OnceLock<Option<ParsedPublicKey>>,
    sha384: OnceLock<Option<ParsedPublicKey>>,
    sha512: OnceLock<Option<ParsedPublicKey>>,
}

impl core::fmt::Debug for RsaVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RsaVerifier")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl RsaVerifier {
    /// Reads SubjectPublicKeyInfo DER holding an `rsaEncryption` key with
    /// NULL parameters ([RFC 3279 §2.3.1]): the modulus odd and of 1,024 to
    /// 8,192 bits, the exponent odd, at least 3, below 2^33 and below the
    /// modulus, both INTEGERs positive and in the fewest octets.
    ///
    /// [RFC 3279 §2.3.1]: https://datatracker.ietf.org/doc/html/rfc3279#section-2.3.1
    pub(crate) fn from_spki(spki_der: &[u8]) -> Option<Self> {
        let bits = modulus_bits(spki_der)?;
        Some(Self {
            spki: spki_der.into(),
            bits,
            sha1: OnceLock::new(),
            sha256: OnceLock::new(),
            sha384: OnceLock::new(),
            sha512: OnceLock::new(),
        })
    }

    /// The modulus length in bits.
    pub(crate) fn bits(&self) -> usize {
        self.bits
    }

    /// Whether `signature` is the RSASSA-PKCS1-v1_5 signature of `message`
    /// with `digest` ([RFC 8017 §8.2.2]).
    ///
    /// aws-lc-rs offers SHA-384 only for moduli of 2,048 bits or more; a
    /// shorter key with SHA-384, which the default backend verifies, is
    /// verified by the `rsa` crate here too (a public-key operation: no
    /// secret is involved). Nothing Apple issues uses such a key.
    ///
    /// [RFC 8017 §8.2.2]: https://datatracker.ietf.org/doc/html/rfc8017#section-8.2.2
    pub(crate) fn verify(&self, digest: DigestAlgorithm, message: &[u8], signature: &[u8]) -> bool {
        let (cell, params): (_, &'static RsaParameters) = match digest {
            DigestAlgorithm::Sha1 => (
                &self.sha1,
                &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
            ),
            DigestAlgorithm::Sha256 => (
                &self.sha256,
                &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            ),
            DigestAlgorithm::Sha384 if self.bits < 2048 => {
                return legacy_sha384(&self.spki, message, signature);
            }
            DigestAlgorithm::Sha384 => (&self.sha384, &signature::RSA_PKCS1_2048_8192_SHA384),
            DigestAlgorithm::Sha512 => (
                &self.sha512,
                &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            ),
        };
        cell.get_or_init(|| ParsedPublicKey::new(params, &self.spki).ok())
            .as_ref()
            .is_some_and(|key| key.verify_sig(message, signature).is_ok())
    }
}

/// SHA-384 under a key of fewer than 2,048 bits, which aws-lc-rs has no
/// algorithm for: the `rsa` crate's public-key operation.
fn legacy_sha384(spki_der: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use rsa::pkcs8::DecodePublicKey as _;
    use sha2::Digest as _;
    rsa::PublicKey::from_public_key_der(spki_der).is_ok_and(|key| {
        key.verify(
            rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            &sha2::Sha384::digest(message),
            signature,
        )
        .is_ok()
    })
}

/// The modulus length of an acceptable RSA SubjectPublicKeyInfo, as
/// [`RsaVerifier::from_spki`] states the rules.
fn modulus_bits(spki_der: &[u8]) -> Option<usize> {
    let spki = asn1::single(spki_der, "")
        .ok()?
        .expect(tag::SEQUENCE, "")
        .ok()?;
    let mut r = spki.reader();
    let alg = r.read_tag(tag::SEQUENCE, "").ok()?;
    let key = asn1::bit_string_octets(&r.read().ok()?).ok()?;
    r.finish("").ok()?;
    let mut ar = alg.reader();
    if asn1::oid(&ar.read().ok()?).ok()? != oids::RSA_ENCRYPTION {
        return None;
    }
    asn1::null(&ar.read().ok()?).ok()?;
    ar.finish("").ok()?;
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    let key = asn1::single(key, "").ok()?.expect(tag::SEQUENCE, "").ok()?;
    let mut kr = key.reader();
    let n = unsigned(&kr.read_tag(tag::INTEGER, "").ok()?)?;
    let e = unsigned(&kr.read_tag(tag::INTEGER, "").ok()?)?;
    kr.finish("").ok()?;
    let (&n_first, _) = n.split_first()?;
    let bits = n.len() * 8 - n_first.leading_zeros() as usize;
    if !(MIN_BITS..=MAX_BITS).contains(&bits) || n.last().is_none_or(|b| b & 1 == 0) {
        return None;
    }
    if e.len() > 8 {
        return None;
    }
    let e = e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    // e < n holds: n has at least 1,024 bits, e at most 33.
    ((3..=MAX_EXPONENT).contains(&e) && e & 1 == 1).then_some(bits)
}

/// The magnitude of a non-negative DER INTEGER, without its sign octet;
/// `None` for a negative or non-minimal one, or for zero.
fn unsigned<'a>(tlv: &asn1::Tlv<'a>) -> Option<&'a [u8]> {
    asn1::integer(tlv).ok()?;
    if asn1::is_negative(tlv.value) {
        return None;
    }
    let digits = match tlv.value {
        [0, rest @ ..] => rest,
        all => all,
    };
    (!digits.is_empty()).then_some(digits)
}

#[cfg(test)]
mod tests {
    //! AWS-LC's verdicts against the `rsa` crate's on the same inputs, and
    //! this module's key reader against the `rsa` crate's: the two backends
    //! must accept the same keys and the same signatures.

    use super::*;
    use crate::certificate::{Certificate, part};
    use der::Encode as _;

    fn rsa_crate(spki: &[u8], digest: DigestAlgorithm, msg: &[u8], sig: &[u8]) -> bool {
        use rsa::pkcs8::DecodePublicKey as _;
        use sha2::Digest as _;
        let Ok(key) = rsa::PublicKey::from_public_key_der(spki) else {
            return false;
        };
        let (hashed, scheme) = match digest {
            DigestAlgorithm::Sha1 => (
                sha1::Sha1::digest(msg).to_vec(),
                rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            ),
            DigestAlgorithm::Sha256 => (
                sha2::Sha256::digest(msg).to_vec(),
                rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            ),
            DigestAlgorithm::Sha384 => (
                sha2::Sha384::digest(msg).to_vec(),
                rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            ),
            DigestAlgorithm::Sha512 => (
                sha2::Sha512::digest(msg).to_vec(),
                rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            ),
        };
        key.verify(scheme, &hashed, sig).is_ok()
    }

    fn cert(pem: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let der = crate::input::der_items(pem, b"CERTIFICATE")
            .expect("pem")
            .remove(0);
        let c = Certificate::read(&der).expect("certificate");
        (
            part(&der, &c.tbs).to_vec(),
            part(&der, &c.signature).to_vec(),
            part(&der, &c.spki).to_vec(),
        )
    }

    /// SubjectPublicKeyInfo DER for any modulus and exponent octets.
    fn spki(n: &[u8], e: &[u8]) -> Vec<u8> {
        let key = pkcs1::RsaPublicKey {
            modulus: der::asn1::UintRef::new(n).expect("n"),
            public_exponent: der::asn1::UintRef::new(e).expect("e"),
        }
        .to_der()
        .expect("key");
        spki::SubjectPublicKeyInfoOwned {
            algorithm: spki::AlgorithmIdentifierOwned {
                oid: der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1"),
                parameters: Some(der::asn1::Any::null()),
            },
            subject_public_key: der::asn1::BitString::from_bytes(&key).expect("bits"),
        }
        .to_der()
        .expect("spki")
    }

    /// With `fips`, the module in use is AWS-LC's FIPS module, in FIPS mode.
    #[cfg(feature = "fips")]
    #[test]
    fn the_fips_module_is_in_use() {
        aws_lc_rs::try_fips_mode().expect("FIPS mode");
    }

    #[test]
    fn aws_lc_agrees_with_the_rsa_crate() {
        let (_, _, aai2) = cert(include_bytes!("../../tests/fixtures/pki/aai2.pem"));
        let key = RsaVerifier::from_spki(&aai2).expect("key");
        assert_eq!(key.bits(), 2048);
        let digests = [
            DigestAlgorithm::Sha1,
            DigestAlgorithm::Sha256,
            DigestAlgorithm::Sha384,
            DigestAlgorithm::Sha512,
        ];
        let mut accepted = 0;
        let mut cases = 0;
        for pem in [
            include_bytes!("../../tests/fixtures/pki/push_b.pem").as_slice(),
            include_bytes!("../../tests/fixtures/pki/push_a.pem"),
            include_bytes!("../../tests/fixtures/pki/push_forged.pem"),
            include_bytes!("../../tests/fixtures/pki/push_ec.pem"),
        ] {
            let (tbs, sig, _) = cert(pem);
            for digest in digests {
                let verdict = key.verify(digest, &tbs, &sig);
                assert_eq!(verdict, rsa_crate(&aai2, digest, &tbs, &sig));
                accepted += usize::from(verdict);
                cases += 1;
            }
            for i in 0..sig.len() {
                let mut bad = sig.clone();
                bad[i] ^= 0x01;
                assert!(!key.verify(DigestAlgorithm::Sha256, &tbs, &bad), "byte {i}");
                cases += 1;
            }
        }
        // Out of range and the wrong length.
        let n = {
            use rsa::pkcs8::DecodePublicKey as _;
            use rsa::traits::PublicKeyParts as _;
            rsa::PublicKey::from_public_key_der(&aai2)
                .expect("key")
                .n()
                .to_be_bytes()
                .to_vec()
        };
        let n = n[n.len() - 256..].to_vec();
        let (tbs, _, _) = cert(include_bytes!("../../tests/fixtures/pki/push_b.pem"));
        for sig in [
            n,
            vec![0xFF; 256],
            vec![0; 256],
            vec![1; 255],
            vec![1; 257],
            vec![],
        ] {
            assert!(!key.verify(DigestAlgorithm::Sha256, &tbs, &sig));
            assert!(!rsa_crate(&aai2, DigestAlgorithm::Sha256, &tbs, &sig));
        }
        assert!(accepted >= 3 && cases > 1000, "{accepted} of {cases}");
    }

    #[test]
    fn short_keys_verify_with_every_digest() {
        use rand::SeedableRng as _;
        use rsa::pkcs8::EncodePublicKey as _;
        use rsa::signature::{SignatureEncoding as _, Signer as _};
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let private = rsa::PrivateKey::new(&mut rng, 1024).expect("key");
        let spki = private
            .to_public_key()
            .to_public_key_der()
            .expect("spki")
            .into_vec();
        let key = RsaVerifier::from_spki(&spki).expect("key");
        assert_eq!(key.bits(), 1024);
        let msg = b"a 1024-bit key of an old CA";
        let sigs = [
            (
                DigestAlgorithm::Sha1,
                rsa::pkcs1v15::SigningKey::<sha1::Sha1>::new(private.clone())
                    .sign(msg)
                    .to_vec(),
            ),
            (
                DigestAlgorithm::Sha256,
                rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(private.clone())
                    .sign(msg)
                    .to_vec(),
            ),
            (
                DigestAlgorithm::Sha384,
                rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(private.clone())
                    .sign(msg)
                    .to_vec(),
            ),
            (
                DigestAlgorithm::Sha512,
                rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(private)
                    .sign(msg)
                    .to_vec(),
            ),
        ];
        for (digest, sig) in &sigs {
            for (other, _) in &sigs {
                assert_eq!(key.verify(*other, msg, sig), other == digest, "{other:?}");
                assert_eq!(rsa_crate(&spki, *other, msg, sig), other == digest);
            }
            assert!(!key.verify(*digest, b"another message", sig));
        }
    }

    #[test]
    fn the_same_keys_are_accepted() {
        use rsa::pkcs8::DecodePublicKey as _;
        use rsa::traits::PublicKeyParts as _;
        let (_, _, aai2) = cert(include_bytes!("../../tests/fixtures/pki/aai2.pem"));
        let accepted_by_rsa = |spki: &[u8]| {
            rsa::PublicKey::from_public_key_der(spki)
                .ok()
                .map(|k| k.n().bit_width() as usize)
        };
        let mut spkis = vec![aai2.clone()];
        // Every octet of a real key flipped in turn.
        for i in 0..aai2.len() {
            let mut bad = aai2.clone();
            bad[i] ^= 0x01;
            spkis.push(bad.clone());
            bad[i] ^= 0x81;
            spkis.push(bad);
        }
        // Sizes and exponents at the edges of what is accepted.
        let odd = |len: usize, top: u8| {
            let mut n = vec![0xC5; len];
            n[0] = top;
            n[len - 1] |= 1;
            n
        };
        for n in [
            odd(128, 0x7F),  // 1,023 bits
            odd(128, 0x80),  // 1,024
            odd(256, 0x80),  // 2,048
            odd(1024, 0xFF), // 8,192
            odd(1025, 0x01), // 8,193
            {
                let mut even = odd(256, 0x80);
                even[255] &= 0xFE;
                even
            },
        ] {
            for e in [
                &[1u8][..],
                &[2],
                &[3],
                &[4],
                &[1, 0, 1],
                &[1, 0xFF, 0xFF, 0xFF, 0xFF],
                &[2, 0, 0, 0, 1],
                &[0x80, 0, 0, 0, 0, 0, 0, 1],
            ] {
                spkis.push(spki(&n, e));
            }
        }
        let mut accepted = 0;
        for s in &spkis {
            let ours = RsaVerifier::from_spki(s).map(|k| k.bits());
            assert_eq!(ours, accepted_by_rsa(s), "{}", crate::display::hex(s));
            accepted += usize::from(ours.is_some());
        }
        assert!(accepted > 10, "{accepted} of {}", spkis.len());
    }
}
