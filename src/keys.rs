//! RSA private keys in and out of PKCS#8 and PKCS#1, PEM or DER.

use core::fmt;

use base64ct::Encoding as _;
use der::Decode as _;
use der::asn1::OctetStringRef;
use rand_core::CryptoRng;
use rsa::pkcs1::{DecodeRsaPrivateKey as _, EncodeRsaPrivateKey as _};
use rsa::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use rsa::traits::PublicKeyParts as _;
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use crate::backend::SigningKey;
use crate::display::sha256_hex;
use crate::input::{self, InputError, PemBlock};
use crate::key_encryption::{self, EncryptionError};
use crate::limits::{MAX_INPUT_LEN, MIN_RSA_BITS};

/// An RSA private key: the customer's push key or the vendor's signing key.
///
/// Loading a key prepares everything a signature needs, once: the `rsa`
/// crate's key with its CRT values and Montgomery parameters, held as a
/// PKCS#1 v1.5 / SHA-256 signer, and, with the `aws-lc-rs` or `fips`
/// feature, the same key loaded into AWS-LC (which signs). The same value
/// serves either backend and every export; nothing is parsed again per
/// signature.
///
/// Its private material is zeroized when it is dropped, and so is every
/// buffer the crate reads it through (the decoded PEM, a decrypted key) or
/// writes it to (the exports return [`Zeroizing`] values). Its `Debug`
/// output shows the key size and the SHA-256 of the public key, never
/// private material.
///
/// Another RSA library's key comes in and goes out as PKCS#8 DER:
/// [`from_der`](Self::from_der) and [`to_pkcs8_der`](Self::to_pkcs8_der).
#[derive(Clone)]
pub struct PrivateKey {
    key: SigningKey,
    spki_der: Vec<u8>,
}

/// Why a private key could not be read, generated or written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The input holds no private key.
    #[error("the file holds no private key")]
    NoKey,
    /// The file holds more than one private key (a PEM bundle or a `.p12`
    /// must hold exactly the push certificate's).
    #[error("the file holds more than one private key")]
    SeveralKeys,
    /// The key is encrypted and no password was given: use
    /// [`PrivateKey::parse_with_password`].
    #[error("the private key is encrypted; a password is needed to read it")]
    Encrypted,
    /// The password does not decrypt the key.
    #[error("the password does not decrypt the private key")]
    WrongPassword,
    /// The key is encrypted with a scheme this crate does not read.
    #[error("the private key is encrypted with {algorithm}, which is not supported")]
    UnsupportedEncryption {
        /// What the scheme is.
        algorithm: &'static str,
    },
    /// The file asks for more key-derivation work than accepted: refused
    /// before any is done.
    #[error("the file's {what} is {asked}, more than the {max} accepted")]
    TooMuchWork {
        /// Which parameter.
        what: &'static str,
        /// What the file asks for.
        asked: u64,
        /// The limit.
        max: u64,
    },
    /// The file's framing could not be read (too large).
    #[error("{0}")]
    Input(#[source] InputError),
    /// The key's encoding is not valid, or it is not an RSA key.
    #[error("the private key is malformed or not RSA")]
    Malformed,
    /// The key is shorter than 2048 bits.
    #[error(
        "the RSA key has {bits} bits; at least {} are required",
        crate::limits::MIN_RSA_BITS
    )]
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
    /// The primes are drawn by the `rsa` crate from `rng` under every
    /// backend, so the same RNG gives the same key with or without
    /// `aws-lc-rs`; with it, the key is then loaded into AWS-LC. (AWS-LC's own
    /// generator would draw from its internal, OS-seeded DRBG instead of the
    /// caller's RNG.)
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

    /// Loads a key the `rsa` crate read or generated into the backend.
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if its public key cannot be encoded or, with the
    /// `aws-lc-rs` feature, AWS-LC refuses the key.
    fn from_rsa(inner: rsa::PrivateKey) -> Result<Self, KeyError> {
        let spki_der = inner
            .to_public_key()
            .to_public_key_der()
            .map_err(|_| KeyError::Crypto)?
            .into_vec();
        let key = SigningKey::new(inner).ok_or(KeyError::Crypto)?;
        Ok(Self { key, spki_der })
    }

    /// Reads a key from PEM (`PRIVATE KEY` or `RSA PRIVATE KEY`) or DER
    /// (PKCS#8 or PKCS#1), told apart by content.
    ///
    /// # Errors
    /// [`KeyError::Encrypted`] for an encrypted key (`ENCRYPTED PRIVATE KEY`
    /// or a PKCS#1 block with `Proc-Type: 4,ENCRYPTED`), otherwise as the
    /// variants say.
    pub fn parse(bytes: &[u8]) -> Result<Self, KeyError> {
        Self::read(bytes, None)
    }

    /// Reads a key that may be encrypted with `password`: PKCS#8
    /// `ENCRYPTED PRIVATE KEY` (PBES2: PBKDF2 or scrypt with AES-CBC, or
    /// DES-EDE3-CBC), PEM or DER, or a legacy OpenSSL-encrypted PEM
    /// (`Proc-Type: 4,ENCRYPTED`, `DEK-Info` DES-EDE3-CBC or AES-128/192/256-CBC)
    /// as micromdm writes it. An unencrypted key is read as by
    /// [`parse`](Self::parse). Key-derivation work above
    /// [`MAX_PBKDF2_ITERATIONS`](crate::MAX_PBKDF2_ITERATIONS) or
    /// [`MAX_SCRYPT_COST`](crate::MAX_SCRYPT_COST) is refused before any is done.
    ///
    /// # Errors
    /// [`KeyError::WrongPassword`] when the password does not decrypt it,
    /// otherwise as the variants say.
    pub fn parse_with_password(bytes: &[u8], password: &[u8]) -> Result<Self, KeyError> {
        Self::read(bytes, Some(password))
    }

    /// [`parse`](Self::parse) without a password, or
    /// [`parse_with_password`](Self::parse_with_password) with one.
    fn read(bytes: &[u8], password: Option<&[u8]>) -> Result<Self, KeyError> {
        if bytes.len() > MAX_INPUT_LEN {
            return Err(KeyError::Input(InputError::TooLarge {
                len: bytes.len(),
                max: MAX_INPUT_LEN,
            }));
        }
        if input::looks_like_der(bytes) {
            return match password {
                Some(p) if EncryptedPrivateKeyInfo::from_der(bytes).is_ok() => {
                    decrypted(key_encryption::decrypt_pkcs8(bytes, p))
                }
                _ => Self::from_der(bytes),
            };
        }
        let blocks = input::pem_blocks(bytes).map_err(|_| KeyError::Malformed)?;
        blocks
            .iter()
            .find_map(|block| Self::from_pem_block(block, password))
            .unwrap_or(Err(KeyError::NoKey))
    }

    /// Reads the key in one PEM block already framed (`PRIVATE KEY`,
    /// `RSA PRIVATE KEY` or `ENCRYPTED PRIVATE KEY`), decrypting it with
    /// `password` if it is encrypted; `None` for a block of another label.
    /// The base64 is decoded in constant time into a buffer zeroized when
    /// dropped.
    pub(crate) fn from_pem_block(
        block: &PemBlock<'_>,
        password: Option<&[u8]>,
    ) -> Option<Result<Self, KeyError>> {
        let legacy_encrypted = || memchr::memmem::find(block.body, b"ENCRYPTED").is_some();
        Some(match (block.label, password) {
            (b"ENCRYPTED PRIVATE KEY", None) => Err(KeyError::Encrypted),
            (b"ENCRYPTED PRIVATE KEY", Some(p)) => decode_secret_base64(block.body)
                .and_then(|der| decrypted(key_encryption::decrypt_pkcs8(&der, p))),
            (b"PRIVATE KEY" | b"RSA PRIVATE KEY", None) if legacy_encrypted() => {
                Err(KeyError::Encrypted)
            }
            (b"PRIVATE KEY" | b"RSA PRIVATE KEY", Some(p)) if legacy_encrypted() => {
                decrypted(key_encryption::decrypt_legacy_pem(block.body, p))
            }
            (b"PRIVATE KEY" | b"RSA PRIVATE KEY", _) => {
                decode_secret_base64(block.body).and_then(|der| Self::from_der(&der))
            }
            _ => return None,
        })
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

    /// The key as unencrypted PKCS#8 PEM (`BEGIN PRIVATE KEY`), zeroized
    /// when dropped.
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if encoding fails.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.key
            .rsa()
            .to_pkcs8_pem(der::pem::LineEnding::LF)
            .map_err(|_| KeyError::Crypto)
    }

    /// The key as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), zeroized when dropped.
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if encoding fails.
    pub fn to_pkcs1_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.key
            .rsa()
            .to_pkcs1_pem(der::pem::LineEnding::LF)
            .map_err(|_| KeyError::Crypto)
    }

    /// The key as unencrypted PKCS#8 DER, zeroized when dropped: also the
    /// way to hand it to another RSA library.
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if encoding fails.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        self.key
            .rsa()
            .to_pkcs8_der()
            .map(|d| d.to_bytes())
            .map_err(|_| KeyError::Crypto)
    }

    /// The key encrypted for storage: PKCS#8 `EncryptedPrivateKeyInfo`, DER,
    /// with PBES2 (PBKDF2-HMAC-SHA256 with
    /// [`PBKDF2_ITERATIONS`](crate::PBKDF2_ITERATIONS) iterations, AES-256-CBC),
    /// the salt and IV drawn from the caller's `rng`. OpenSSL reads it
    /// (`openssl pkey -passin`), and so does [`parse_with_password`](Self::parse_with_password).
    ///
    /// # Errors
    /// [`KeyError::Crypto`] if encoding or encryption fails.
    pub fn to_encrypted_pkcs8_der<R: CryptoRng + ?Sized>(
        &self,
        password: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, KeyError> {
        key_encryption::encrypt_pkcs8(&self.to_pkcs8_der()?, password, rng).map_err(KeyError::from)
    }

    /// As [`to_encrypted_pkcs8_der`](Self::to_encrypted_pkcs8_der), as PEM
    /// (`BEGIN ENCRYPTED PRIVATE KEY`).
    ///
    /// # Errors
    /// As [`to_encrypted_pkcs8_der`](Self::to_encrypted_pkcs8_der).
    pub fn to_encrypted_pkcs8_pem<R: CryptoRng + ?Sized>(
        &self,
        password: &[u8],
        rng: &mut R,
    ) -> Result<String, KeyError> {
        let der = self.to_encrypted_pkcs8_der(password, rng)?;
        Ok(input::to_pem("ENCRYPTED PRIVATE KEY", &der))
    }

    /// The public key's SubjectPublicKeyInfo DER.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The modulus length in bits.
    pub fn key_bits(&self) -> usize {
        self.key.rsa().n().bit_width() as usize
    }

    /// The `rsa` crate's key, for the stand-in PKI's certificate builder.
    #[cfg(feature = "testing")]
    pub(crate) fn as_rsa(&self) -> &rsa::PrivateKey {
        self.key.rsa()
    }

    /// The RSASSA-PKCS1-v1_5 signature of `message` with SHA-256
    /// ([RFC 8017 §8.2.1]), by the backend: deterministic, so both backends
    /// give the same bytes. The `rsa` crate blinds the private-key operation
    /// with `rng`; AWS-LC blinds it with its own DRBG and leaves `rng` unused.
    ///
    /// [RFC 8017 §8.2.1]: https://datatracker.ietf.org/doc/html/rfc8017#section-8.2.1
    pub(crate) fn sign_sha256<R: CryptoRng + ?Sized>(
        &self,
        message: &[u8],
        rng: &mut R,
    ) -> Option<Vec<u8>> {
        self.key.sign_sha256(message, rng)
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("key_bits", &self.key_bits())
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

/// A key decrypted from a password-protected form, read: one that decrypts
/// to something that is not a key means the password was wrong and the
/// padding happened to fit.
fn decrypted(der: Result<Zeroizing<Vec<u8>>, EncryptionError>) -> Result<PrivateKey, KeyError> {
    match PrivateKey::from_der(&der?) {
        Err(KeyError::Malformed) => Err(KeyError::WrongPassword),
        other => other,
    }
}

impl From<EncryptionError> for KeyError {
    fn from(e: EncryptionError) -> Self {
        match e {
            EncryptionError::Malformed => Self::Malformed,
            EncryptionError::WrongPassword => Self::WrongPassword,
            EncryptionError::UnsupportedEncryption { algorithm } => {
                Self::UnsupportedEncryption { algorithm }
            }
            EncryptionError::TooMuchWork { what, asked, max } => {
                Self::TooMuchWork { what, asked, max }
            }
            EncryptionError::Crypto => Self::Crypto,
        }
    }
}

/// Decodes the base64 body of a PEM block that holds key material: ASCII
/// white space anywhere, lines of any width, padding required, as
/// `input.rs` reads certificates, but in constant time (base64ct) and into a
/// buffer zeroized when dropped. The text is joined in a buffer of its
/// length and decoded over itself: it never reallocates, so no copy is left
/// behind.
fn decode_secret_base64(body: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let mut buf = Zeroizing::new(Vec::with_capacity(body.len()));
    buf.extend(body.iter().copied().filter(|b| !b.is_ascii_whitespace()));
    // Padding left off leaves a length that is not a multiple of four.
    if !buf.len().is_multiple_of(4) {
        return Err(KeyError::Malformed);
    }
    let len = base64ct::Base64::decode_in_place(&mut buf)
        .map_err(|_| KeyError::Malformed)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// Two SubjectPublicKeyInfo encodings name the same key when their algorithm
/// OIDs and key bits are equal (tolerating absent or NULL parameters).
pub(crate) fn same_public_key(a: &[u8], b: &[u8]) -> bool {
    use der::Decode as _;
    if a == b {
        return true;
    }
    match (
        spki::SubjectPublicKeyInfoRef::from_der(a),
        spki::SubjectPublicKeyInfoRef::from_der(b),
    ) {
        (Ok(x), Ok(y)) => {
            x.algorithm.oid == y.algorithm.oid && x.subject_public_key == y.subject_public_key
        }
        _ => false,
    }
}
