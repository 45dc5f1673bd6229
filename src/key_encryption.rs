//! Private keys encrypted with a password: PKCS#8 `EncryptedPrivateKeyInfo`
//! with PBES2 ([RFC 8018 §6.2]) in both directions, and the legacy OpenSSL
//! PEM encryption (`Proc-Type: 4,ENCRYPTED` with `DEK-Info`) that older tools
//! such as micromdm write, for reading.
//!
//! The work a file may ask for is bounded before any is done, so a hostile
//! file cannot pin a CPU or exhaust memory with its iteration count.
//!
//! Every buffer that holds a derived key or decrypted key material is
//! zeroized when dropped, on success and on failure: the `pkcs5` crate reads
//! the PBES2 parameters, the keys are derived and the ciphers run here, into
//! [`Zeroizing`] buffers (the cipher crates zeroize their key schedules).
//!
//! This module knows nothing of [`PrivateKey`](crate::keys::PrivateKey): it
//! takes and gives DER bytes and says what failed with its own
//! [`EncryptionError`], which `keys.rs` turns into a `KeyError`.
//!
//! [RFC 8018 §6.2]: https://datatracker.ietf.org/doc/html/rfc8018#section-6.2

use aes_gcm::aead::consts::{U12, U16};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, BlockModeEncrypt as _, KeyIvInit as _};
use der::Decode as _;
use md5::Digest as _;
use pkcs5::pbes2::{self, EncryptionScheme, Kdf, Pbkdf2Prf};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::limits::{MAX_PBKDF2_ITERATIONS, MAX_SCRYPT_COST};

/// The PBKDF2-HMAC-SHA256 iterations this crate writes: OWASP's 2023
/// recommendation for PBKDF2-HMAC-SHA256.
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// The longest key a PBES2 scheme this module runs takes (AES-256).
const MAX_KEY_LEN: usize = 32;

/// Why a key could not be decrypted or encrypted. `keys.rs` says each as
/// the `KeyError` of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EncryptionError {
    /// The encrypted form is not well formed.
    Malformed,
    /// The password does not decrypt the key.
    WrongPassword,
    /// A scheme this crate does not read.
    UnsupportedEncryption {
        /// What the scheme is.
        algorithm: &'static str,
    },
    /// More key-derivation work than accepted.
    TooMuchWork {
        /// Which parameter.
        what: &'static str,
        /// What the file asks for.
        asked: u64,
        /// The limit.
        max: u64,
    },
    /// Encryption or encoding failed.
    Crypto,
}

/// Checks the work PBES2 parameters ask for against the caps.
fn check_work(params: &pbes2::Parameters) -> Result<(), EncryptionError> {
    if let Some(p) = params.kdf.pbkdf2()
        && p.iteration_count > MAX_PBKDF2_ITERATIONS
    {
        return Err(EncryptionError::TooMuchWork {
            what: "PBKDF2 iteration count",
            asked: u64::from(p.iteration_count),
            max: u64::from(MAX_PBKDF2_ITERATIONS),
        });
    }
    if let Some(s) = params.kdf.scrypt() {
        let cost = s.cost_parameter.saturating_mul(u64::from(s.block_size));
        if cost > MAX_SCRYPT_COST || s.parallelization > 4 {
            return Err(EncryptionError::TooMuchWork {
                what: "scrypt cost (N × r)",
                asked: cost,
                max: MAX_SCRYPT_COST,
            });
        }
    }
    Ok(())
}

/// The key PBES2's key-derivation function makes from `password` for a
/// cipher that takes `len` bytes ([RFC 8018 §6.2]), zeroized when dropped.
/// `None` when the parameters do not fit the cipher or the function is one
/// this module does not run; like a wrong password, it decrypts nothing.
///
/// [RFC 8018 §6.2]: https://datatracker.ietf.org/doc/html/rfc8018#section-6.2
fn derive_key(kdf: &Kdf, password: &[u8], len: usize) -> Option<Zeroizing<[u8; MAX_KEY_LEN]>> {
    if kdf.key_length().is_some_and(|l| usize::from(l) != len) {
        return None;
    }
    let mut key = Zeroizing::new([0u8; MAX_KEY_LEN]);
    let out = key.get_mut(..len)?;
    match kdf {
        Kdf::Pbkdf2(p) => {
            let (salt, rounds) = (p.salt.as_ref(), p.iteration_count);
            match p.prf {
                Pbkdf2Prf::HmacWithSha1 => {
                    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, out);
                }
                Pbkdf2Prf::HmacWithSha224 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha224>(password, salt, rounds, out);
                }
                Pbkdf2Prf::HmacWithSha256 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, out);
                }
                Pbkdf2Prf::HmacWithSha384 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha384>(password, salt, rounds, out);
                }
                Pbkdf2Prf::HmacWithSha512 => {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, out);
                }
                _ => return None,
            }
        }
        Kdf::Scrypt(s) => {
            let params = scrypt::Params::try_from(s).ok()?;
            scrypt::scrypt(password, s.salt.as_ref(), &params, out).ok()?;
        }
        _ => return None,
    }
    Some(key)
}

/// Decrypts `buf` in place with `C` in CBC mode and PKCS#7 padding, and
/// returns the plaintext's length; `None` when it does not decrypt.
fn cbc_decrypt<C: cbc::cipher::BlockCipherDecrypt + cbc::cipher::KeyInit>(
    key: &[u8],
    iv: &[u8],
    buf: &mut [u8],
) -> Option<usize> {
    let len = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .ok()?
        .decrypt_padded::<Pkcs7>(buf)
        .ok()?
        .len();
    Some(len)
}

/// Decrypts `buf` in place with a PBES2 encryption scheme and `key`, and
/// returns the plaintext's length; `None` when it does not decrypt.
fn decrypt_in_place(scheme: EncryptionScheme, key: &[u8], buf: &mut [u8]) -> Option<usize> {
    fn gcm<A>(key: &[u8], nonce: &[u8; 12], buf: &mut [u8]) -> Option<usize>
    where
        A: aes_gcm::KeyInit
            + aes_gcm::AeadInOut
            + aes_gcm::AeadCore<NonceSize = U12, TagSize = U16>,
    {
        // The ciphertext, then the 16-byte tag.
        let len = buf.len().checked_sub(16)?;
        let (message, tag) = buf.split_at_mut(len);
        let tag = aes_gcm::aead::Tag::<A>::try_from(&*tag).ok()?;
        A::new_from_slice(key)
            .ok()?
            .decrypt_inout_detached(&(*nonce).into(), &[], message.into(), &tag)
            .ok()?;
        Some(len)
    }
    match scheme {
        EncryptionScheme::Aes128Cbc { iv } => cbc_decrypt::<aes::Aes128>(key, &iv, buf),
        EncryptionScheme::Aes192Cbc { iv } => cbc_decrypt::<aes::Aes192>(key, &iv, buf),
        EncryptionScheme::Aes256Cbc { iv } => cbc_decrypt::<aes::Aes256>(key, &iv, buf),
        EncryptionScheme::DesEde3Cbc { iv } => cbc_decrypt::<des::TdesEde3>(key, &iv, buf),
        EncryptionScheme::Aes128Gcm { nonce } => gcm::<aes_gcm::Aes128Gcm>(key, &nonce, buf),
        EncryptionScheme::Aes256Gcm { nonce } => gcm::<aes_gcm::Aes256Gcm>(key, &nonce, buf),
        _ => None,
    }
}

/// Decrypts a DER `EncryptedPrivateKeyInfo` into the PKCS#8 DER it holds.
pub(crate) fn decrypt_pkcs8(
    der: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, EncryptionError> {
    // It read as an EncryptedPrivateKeyInfo shape before; what fails here is
    // a scheme pkcs5 does not know (PBES1 and others).
    let unsupported = EncryptionError::UnsupportedEncryption {
        algorithm: "a scheme other than PBES2",
    };
    let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| unsupported)?;
    let params = info.encryption_algorithm.pbes2().ok_or(unsupported)?;
    check_work(params)?;
    // A wrong key shows as bad padding (or a bad tag), almost always; else
    // as a key that does not decode, checked by the caller.
    let mut plain = Zeroizing::new(info.encrypted_data.as_bytes().to_vec());
    let len = pbes2_decrypt_in_place(params, password, &mut plain)
        .ok_or(EncryptionError::WrongPassword)?;
    plain.truncate(len);
    Ok(plain)
}

/// PBES2 decryption in place ([RFC 8018 §6.2]) with the key derived here,
/// in a zeroizing buffer (`pkcs5`'s own keeps its derived key unwiped):
/// the plaintext's length, or `None` for a wrong password or parameters
/// this module does not run. The caller bounds the work first.
///
/// [RFC 8018 §6.2]: https://datatracker.ietf.org/doc/html/rfc8018#section-6.2
pub(crate) fn pbes2_decrypt_in_place(
    params: &pbes2::Parameters,
    password: &[u8],
    buf: &mut [u8],
) -> Option<usize> {
    let len = params.encryption.key_size();
    let key = derive_key(&params.kdf, password, len)?;
    decrypt_in_place(params.encryption, key.get(..len)?, buf)
}

/// Encrypts PKCS#8 DER as an `EncryptedPrivateKeyInfo` with PBES2:
/// PBKDF2-HMAC-SHA256 ([`PBKDF2_ITERATIONS`]) and AES-256-CBC, the salt and
/// IV from the caller's RNG.
pub(crate) fn encrypt_pkcs8<R: CryptoRng + ?Sized>(
    pkcs8_der: &[u8],
    password: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, EncryptionError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    let params = pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, iv)
        .map_err(|_| EncryptionError::Crypto)?;
    let key = derive_key(&params.kdf, password, 32).ok_or(EncryptionError::Crypto)?;
    // The plaintext is copied into a zeroizing buffer with room for the
    // padding, and encrypted there.
    let mut buf = Zeroizing::new(Vec::with_capacity(pkcs8_der.len() + 16));
    buf.extend_from_slice(pkcs8_der);
    buf.resize(pkcs8_der.len() + 16, 0);
    let encrypted = cbc::Encryptor::<aes::Aes256>::new_from_slices(key.as_slice(), &iv)
        .map_err(|_| EncryptionError::Crypto)?
        .encrypt_padded::<Pkcs7>(&mut buf, pkcs8_der.len())
        .map_err(|_| EncryptionError::Crypto)?;
    let info = pkcs8::EncryptedPrivateKeyInfoRef {
        encryption_algorithm: params.into(),
        encrypted_data: der::asn1::OctetStringRef::new(encrypted)
            .map_err(|_| EncryptionError::Crypto)?,
    };
    der::Encode::to_der(&info).map_err(|_| EncryptionError::Crypto)
}

/// Decrypts a legacy OpenSSL-encrypted PEM body (the base64 after the
/// `Proc-Type` and `DEK-Info` headers): the key and IV come from
/// `EVP_BytesToKey` with MD5 and one iteration over the password and the
/// IV's first eight bytes.
pub(crate) fn decrypt_legacy_pem(
    body: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, EncryptionError> {
    let text = core::str::from_utf8(body)
        .map_err(|_| EncryptionError::Malformed)?
        .trim_start();
    let mut dek: Option<&str> = None;
    let mut base64 = String::with_capacity(text.len());
    let mut in_headers = true;
    for line in text.lines() {
        let line = line.trim();
        if in_headers {
            if line.is_empty() {
                in_headers = false;
                continue;
            }
            if let Some(v) = line.strip_prefix("DEK-Info:") {
                dek = Some(v.trim());
                continue;
            }
            if line.contains(':') {
                continue;
            }
            in_headers = false;
        }
        base64.push_str(line);
    }
    let dek = dek.ok_or(EncryptionError::Malformed)?;
    let (cipher, iv_hex) = dek.split_once(',').ok_or(EncryptionError::Malformed)?;
    let iv = crate::display::hex_decode(iv_hex.trim()).ok_or(EncryptionError::Malformed)?;
    // The ciphertext, decrypted in place in a buffer zeroized when dropped,
    // whether the password was right or not.
    let mut plain = Zeroizing::new(
        crate::input::decode_base64_lenient(base64.as_bytes())
            .map_err(|_| EncryptionError::Malformed)?,
    );
    let (key_len, iv_len) = match cipher.trim() {
        "DES-EDE3-CBC" => (24, 8),
        "AES-128-CBC" => (16, 16),
        "AES-192-CBC" => (24, 16),
        "AES-256-CBC" => (32, 16),
        _ => {
            return Err(EncryptionError::UnsupportedEncryption {
                algorithm: "a legacy PEM cipher other than DES-EDE3-CBC or AES-CBC",
            });
        }
    };
    if iv.len() != iv_len {
        return Err(EncryptionError::Malformed);
    }
    let salt = iv.get(..8).ok_or(EncryptionError::Malformed)?;
    let key = evp_bytes_to_key(password, salt, key_len);
    let len = match cipher.trim() {
        "DES-EDE3-CBC" => cbc_decrypt::<des::TdesEde3>(&key, &iv, &mut plain),
        "AES-128-CBC" => cbc_decrypt::<aes::Aes128>(&key, &iv, &mut plain),
        "AES-192-CBC" => cbc_decrypt::<aes::Aes192>(&key, &iv, &mut plain),
        _ => cbc_decrypt::<aes::Aes256>(&key, &iv, &mut plain),
    }
    .ok_or(EncryptionError::WrongPassword)?;
    plain.truncate(len);
    Ok(plain)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration, zeroized when
/// dropped (the buffer has room for the last block: it never reallocates).
fn evp_bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut block = Zeroizing::new([0u8; 16]);
    while out.len() < len {
        let mut h = md5::Md5::new();
        if !out.is_empty() {
            h.update(*block);
        }
        h.update(password);
        h.update(salt);
        block.copy_from_slice(&h.finalize());
        out.extend_from_slice(&*block);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    //! This module's PBES2 against the `pkcs5` crate's, which encrypts and
    //! decrypts the same parameters: every key-derivation function and
    //! cipher, both ways.

    use pkcs5::pbes2::{Parameters, Pbkdf2Params, ScryptParams};

    use super::*;

    fn schemes() -> Vec<EncryptionScheme> {
        vec![
            EncryptionScheme::Aes128Cbc { iv: [1; 16] },
            EncryptionScheme::Aes192Cbc { iv: [2; 16] },
            EncryptionScheme::Aes256Cbc { iv: [3; 16] },
            EncryptionScheme::DesEde3Cbc { iv: [4; 8] },
            EncryptionScheme::Aes128Gcm { nonce: [5; 12] },
            EncryptionScheme::Aes256Gcm { nonce: [6; 12] },
        ]
    }

    fn kdfs() -> Vec<Kdf> {
        let pbkdf2 = |prf| {
            let mut p = Pbkdf2Params::hmac_sha256(1000, b"salt of sixteen!").expect("params");
            p.prf = prf;
            Kdf::from(p)
        };
        vec![
            pbkdf2(Pbkdf2Prf::HmacWithSha1),
            pbkdf2(Pbkdf2Prf::HmacWithSha224),
            pbkdf2(Pbkdf2Prf::HmacWithSha256),
            pbkdf2(Pbkdf2Prf::HmacWithSha384),
            pbkdf2(Pbkdf2Prf::HmacWithSha512),
            Kdf::from(
                ScryptParams::from_params_and_salt(
                    scrypt::Params::new(10, 8, 1).expect("scrypt"),
                    b"another salt",
                )
                .expect("params"),
            ),
        ]
    }

    fn encrypted_key_info(params: Parameters, ciphertext: &[u8]) -> Vec<u8> {
        der::Encode::to_der(&pkcs8::EncryptedPrivateKeyInfoRef {
            encryption_algorithm: params.into(),
            encrypted_data: der::asn1::OctetStringRef::new(ciphertext).expect("octets"),
        })
        .expect("der")
    }

    #[test]
    fn every_pbes2_scheme_decrypts_as_pkcs5_encrypts_it() {
        let plain: Vec<u8> = (0..=200u8).collect();
        let mut cases = 0;
        for kdf in kdfs() {
            for encryption in schemes() {
                let params = Parameters {
                    kdf: kdf.clone(),
                    encryption,
                };
                let ciphertext = params.encrypt(b"secret", &plain).expect("pkcs5 encrypts");
                let der = encrypted_key_info(params.clone(), &ciphertext);
                let ours = decrypt_pkcs8(&der, b"secret").expect("decrypts");
                assert_eq!(*ours, plain, "{kdf:?} {encryption:?}");
                // A wrong password, and a changed last ciphertext byte: what
                // pkcs5 makes of them, never the plaintext. CBC's padding may
                // fit by chance (then the key reader refuses what it got);
                // GCM's tag never does.
                let mut tampered = ciphertext.clone();
                *tampered.last_mut().expect("ciphertext") ^= 0x80;
                for (password, ciphertext) in [(b"Secret", &ciphertext), (b"secret", &tampered)] {
                    let ours =
                        decrypt_pkcs8(&encrypted_key_info(params.clone(), ciphertext), password);
                    let theirs = params.decrypt(password, ciphertext).ok();
                    assert_eq!(
                        ours.as_ref().ok().map(|z| z.to_vec()),
                        theirs,
                        "{kdf:?} {encryption:?}"
                    );
                    assert_ne!(ours.as_ref().ok().map(|z| z.to_vec()), Some(plain.clone()));
                    if ours.is_err() {
                        assert_eq!(ours.map(|_| ()), Err(EncryptionError::WrongPassword));
                    } else {
                        assert!(!matches!(
                            encryption,
                            EncryptionScheme::Aes128Gcm { .. } | EncryptionScheme::Aes256Gcm { .. }
                        ));
                    }
                }
                cases += 1;
            }
        }
        assert_eq!(cases, 36);
    }

    #[test]
    fn what_this_module_encrypts_pkcs5_decrypts() {
        let plain = b"a PKCS#8 key, or any bytes".to_vec();
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(7);
        let der = encrypt_pkcs8(&plain, b"pw", &mut rng).expect("encrypts");
        let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(&der).expect("info");
        let params = info.encryption_algorithm.pbes2().expect("pbes2");
        assert_eq!(
            params.kdf.pbkdf2().map(|p| (p.iteration_count, p.prf)),
            Some((PBKDF2_ITERATIONS, Pbkdf2Prf::HmacWithSha256))
        );
        assert!(matches!(
            params.encryption,
            EncryptionScheme::Aes256Cbc { .. }
        ));
        assert_eq!(
            params
                .decrypt(b"pw", info.encrypted_data.as_bytes())
                .expect("pkcs5 decrypts"),
            plain
        );
        assert_eq!(*decrypt_pkcs8(&der, b"pw").expect("decrypts"), plain);
    }

    #[test]
    fn evp_bytes_to_key_is_openssls() {
        // OpenSSL's definition with MD5 and one iteration:
        // D_1 = MD5(password || salt), D_i = MD5(D_{i-1} || password || salt).
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let d1: [u8; 16] = md5::Md5::new()
            .chain_update(b"secret")
            .chain_update(salt)
            .finalize()
            .into();
        let d2: [u8; 16] = md5::Md5::new()
            .chain_update(d1)
            .chain_update(b"secret")
            .chain_update(salt)
            .finalize()
            .into();
        let key = evp_bytes_to_key(b"secret", &salt, 24);
        assert_eq!(&key[..16], &d1);
        assert_eq!(&key[16..], &d2[..8]);
        assert_eq!(key.capacity(), 40, "never reallocated");
    }
}
