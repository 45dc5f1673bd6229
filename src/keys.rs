//! RSA private keys in and out of PKCS#8 and PKCS#1, PEM or DER.

use core::fmt;

use der::Decode as _;
use der::asn1::OctetStringRef;
use rand_core::CryptoRng;
use rsa::pkcs1::{DecodeRsaPrivateKey as _, EncodeRsaPrivateKey as _};
use rsa::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use rsa::traits::PublicKeyParts as _;
use spki::AlgorithmIdentifierRef;

use crate::input;
use crate::limits::MIN_RSA_BITS;
use crate::signature::sha256_hex;

/// An RSA private key: the customer's push key or the vendor's signing key.
///
/// Its `Debug` output shows the key size and the SHA-256 of the public key,
/// never private material.
#[derive(Clone)]
pub struct PrivateKey {
    inner: rsa::PrivateKey,
    spki_der: Vec<u8>,
}

/// Why a private key could not be read, generated or written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The input holds no private key.
    #[error("no RSA private key was found")]
    NoKey,
    /// The key is encrypted; decrypt it before passing it in.
    #[error("the private key is encrypted; decrypt it first (for example with `openssl pkey`)")]
    Encrypted,
    /// The input is larger than [`MAX_INPUT_LEN`](crate::MAX_INPUT_LEN).
    #[error("the key file is {len} bytes long, more than the {max} bytes accepted")]
    TooLarge {
        /// Length of the input.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The key's encoding is not valid, or it is not an RSA key.
    #[error("the private key is malformed or not RSA")]
    Malformed,
    /// The key is shorter than 2048 bits.
    #[error("the RSA key has {bits} bits; at least 2048 are required")]
    TooSmall {
        /// The modulus length in bits.
        bits: usize,
    },
    /// Key generation or encoding failed.
    #[error("the key could not be generated or encoded")]
    Crypto,
}

impl PrivateKey {
    /// Generates an RSA key of `bits` bits (at least 2048) from the caller's RNG.
    ///
    /// # Errors
    /// [`KeyError::TooSmall`] under 2048 bits, [`KeyError::Crypto`] if generation fails.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R, bits: usize) -> Result<Self, KeyError> {
        if bits < MIN_RSA_BITS {
            return Err(KeyError::TooSmall { bits });
        }
        let inner = rsa::PrivateKey::new(rng, bits).map_err(|_| KeyError::Crypto)?;
        Self::from_rsa(inner)
    }

    /// Wraps an `rsa` private key.
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if its public key cannot be encoded.
    pub fn from_rsa(inner: rsa::PrivateKey) -> Result<Self, KeyError> {
        let spki_der = inner
            .to_public_key()
            .to_public_key_der()
            .map_err(|_| KeyError::Crypto)?
            .into_vec();
        Ok(Self { inner, spki_der })
    }

    /// Reads a key from PEM (`PRIVATE KEY` or `RSA PRIVATE KEY`) or DER
    /// (PKCS#8 or PKCS#1), told apart by content.
    ///
    /// # Errors
    /// [`KeyError::Encrypted`] for an encrypted key (`ENCRYPTED PRIVATE KEY`
    /// or a PKCS#1 block with `Proc-Type: 4,ENCRYPTED`), otherwise as the
    /// variants say.
    pub fn parse(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() > crate::limits::MAX_INPUT_LEN {
            return Err(KeyError::TooLarge {
                len: bytes.len(),
                max: crate::limits::MAX_INPUT_LEN,
            });
        }
        if input::looks_like_der(bytes) {
            return Self::from_der(bytes);
        }
        let blocks = input::pem_blocks(bytes).map_err(|_| KeyError::Malformed)?;
        for block in blocks {
            match block.label {
                b"ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
                b"PRIVATE KEY" | b"RSA PRIVATE KEY" => {
                    if memchr::memmem::find(block.body, b"ENCRYPTED").is_some() {
                        return Err(KeyError::Encrypted);
                    }
                    let der = input::decode_base64_lenient(block.body)
                        .map_err(|_| KeyError::Malformed)?;
                    return Self::from_der(&der);
                }
                _ => {}
            }
        }
        Err(KeyError::NoKey)
    }

    /// Reads a key from PKCS#8 or PKCS#1 DER.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        if let Ok(k) = rsa::PrivateKey::from_pkcs8_der(der) {
            return Self::checked(k);
        }
        if let Ok(k) = rsa::PrivateKey::from_pkcs1_der(der) {
            return Self::checked(k);
        }
        if EncryptedPrivateKeyInfo::from_der(der).is_ok() {
            return Err(KeyError::Encrypted);
        }
        Err(KeyError::Malformed)
    }

    fn checked(inner: rsa::PrivateKey) -> Result<Self, KeyError> {
        let bits = inner.n().bit_width() as usize;
        if bits < MIN_RSA_BITS {
            return Err(KeyError::TooSmall { bits });
        }
        Self::from_rsa(inner)
    }

    /// The key as unencrypted PKCS#8 PEM (`BEGIN PRIVATE KEY`).
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if encoding fails.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        self.inner
            .to_pkcs8_pem(der::pem::LineEnding::LF)
            .map(|z| z.as_str().to_owned())
            .map_err(|_| KeyError::Crypto)
    }

    /// The key as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`).
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if encoding fails.
    pub fn to_pkcs1_pem(&self) -> Result<String, KeyError> {
        self.inner
            .to_pkcs1_pem(der::pem::LineEnding::LF)
            .map(|z| z.as_str().to_owned())
            .map_err(|_| KeyError::Crypto)
    }

    /// The public key's SubjectPublicKeyInfo DER.
    pub fn public_key_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> usize {
        self.inner.n().bit_width() as usize
    }

    /// The underlying `rsa` key.
    pub fn as_rsa(&self) -> &rsa::PrivateKey {
        &self.inner
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .field("public_key_sha256", &sha256_hex(&self.spki_der))
            .finish_non_exhaustive()
    }
}

/// Recognised only to say "encrypted" instead of "malformed"
/// ([RFC 5208 §6](https://datatracker.ietf.org/doc/html/rfc5208#section-6)).
///
/// ```text
/// EncryptedPrivateKeyInfo ::= SEQUENCE {
///   encryptionAlgorithm  EncryptionAlgorithmIdentifier,
///   encryptedData        EncryptedData }
/// ```
#[derive(der::Sequence)]
struct EncryptedPrivateKeyInfo<'a> {
    encryption_algorithm: AlgorithmIdentifierRef<'a>,
    encrypted_data: &'a OctetStringRef,
}
