//! Private keys encrypted with a password: PKCS#8 `EncryptedPrivateKeyInfo`
//! with PBES2 ([RFC 8018 §6.2]) in both directions, and the legacy OpenSSL
//! PEM encryption (`Proc-Type: 4,ENCRYPTED` with `DEK-Info`) that older tools
//! such as micromdm write, for reading.
//!
//! The work a file may ask for is bounded before any is done, so a hostile
//! file cannot pin a CPU or exhaust memory with its iteration count.
//!
//! [RFC 8018 §6.2]: https://datatracker.ietf.org/doc/html/rfc8018#section-6.2

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, KeyIvInit as _};
use der::Decode as _;
use md5::Digest as _;
use pkcs5::pbes2;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::keys::KeyError;

/// Most PBKDF2 iterations accepted in a file read (about a second of work
/// here); this crate writes [`PBKDF2_ITERATIONS`].
pub const MAX_PBKDF2_ITERATIONS: u32 = 2_000_000;

/// Largest scrypt cost accepted in a file read: N × r at most 2^20, so the
/// memory scrypt needs (128 × N × r bytes) stays within 128 MiB, and p at most 4.
/// OpenSSL 3 writes N = 2^14, r = 8, p = 1.
pub const MAX_SCRYPT_COST: u64 = 1 << 20;

/// The PBKDF2-HMAC-SHA256 iterations this crate writes: OWASP's 2023
/// recommendation for PBKDF2-HMAC-SHA256.
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// Checks the work PBES2 parameters ask for against the caps.
fn check_work(params: &pbes2::Parameters) -> Result<(), KeyError> {
    if let Some(p) = params.kdf.pbkdf2()
        && p.iteration_count > MAX_PBKDF2_ITERATIONS
    {
        return Err(KeyError::TooMuchWork {
            what: "PBKDF2 iteration count",
            asked: u64::from(p.iteration_count),
            max: u64::from(MAX_PBKDF2_ITERATIONS),
        });
    }
    if let Some(s) = params.kdf.scrypt() {
        let cost = s.cost_parameter.saturating_mul(u64::from(s.block_size));
        if cost > MAX_SCRYPT_COST || s.parallelization > 4 {
            return Err(KeyError::TooMuchWork {
                what: "scrypt cost (N × r)",
                asked: cost,
                max: MAX_SCRYPT_COST,
            });
        }
    }
    Ok(())
}

/// Decrypts a DER `EncryptedPrivateKeyInfo` into the PKCS#8 DER it holds.
pub(crate) fn decrypt_pkcs8(der: &[u8], password: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| {
        // It read as an EncryptedPrivateKeyInfo shape before; what fails
        // here is a scheme pkcs5 does not know (PBES1 and others).
        KeyError::UnsupportedEncryption {
            algorithm: "a scheme other than PBES2",
        }
    })?;
    let params = info
        .encryption_algorithm
        .pbes2()
        .ok_or(KeyError::UnsupportedEncryption {
            algorithm: "a scheme other than PBES2",
        })?;
    check_work(params)?;
    let plain = params
        .decrypt(password, info.encrypted_data.as_bytes())
        .map(Zeroizing::new)
        // A wrong key shows as bad padding, almost always; else as a key
        // that does not decode, checked by the caller.
        .map_err(|_| KeyError::WrongPassword)?;
    Ok(plain)
}

/// Encrypts PKCS#8 DER as an `EncryptedPrivateKeyInfo` with PBES2:
/// PBKDF2-HMAC-SHA256 ([`PBKDF2_ITERATIONS`]) and AES-256-CBC, the salt and
/// IV from the caller's RNG.
pub(crate) fn encrypt_pkcs8<R: CryptoRng + ?Sized>(
    pkcs8_der: &[u8],
    password: &[u8],
    rng: &mut R,
) -> Result<Vec<u8>, KeyError> {
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    let params = pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, iv)
        .map_err(|_| KeyError::Crypto)?;
    let encrypted = params
        .encrypt(password, pkcs8_der)
        .map_err(|_| KeyError::Crypto)?;
    let info = pkcs8::EncryptedPrivateKeyInfoRef {
        encryption_algorithm: params.into(),
        encrypted_data: der::asn1::OctetStringRef::new(&encrypted).map_err(|_| KeyError::Crypto)?,
    };
    der::Encode::to_der(&info).map_err(|_| KeyError::Crypto)
}

/// Decrypts a legacy OpenSSL-encrypted PEM body (the base64 after the
/// `Proc-Type` and `DEK-Info` headers): the key and IV come from
/// `EVP_BytesToKey` with MD5 and one iteration over the password and the
/// IV's first eight bytes.
pub(crate) fn decrypt_legacy_pem(
    body: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let text = core::str::from_utf8(body)
        .map_err(|_| KeyError::Malformed)?
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
    let dek = dek.ok_or(KeyError::Malformed)?;
    let (cipher, iv_hex) = dek.split_once(',').ok_or(KeyError::Malformed)?;
    let iv = crate::display::hex_decode(iv_hex.trim()).ok_or(KeyError::Malformed)?;
    let ciphertext =
        crate::input::decode_base64_lenient(base64.as_bytes()).map_err(|_| KeyError::Malformed)?;
    let (key_len, iv_len) = match cipher.trim() {
        "DES-EDE3-CBC" => (24, 8),
        "AES-128-CBC" => (16, 16),
        "AES-192-CBC" => (24, 16),
        "AES-256-CBC" => (32, 16),
        _ => {
            return Err(KeyError::UnsupportedEncryption {
                algorithm: "a legacy PEM cipher other than DES-EDE3-CBC or AES-CBC",
            });
        }
    };
    if iv.len() != iv_len {
        return Err(KeyError::Malformed);
    }
    let salt = iv.get(..8).ok_or(KeyError::Malformed)?;
    let key = evp_bytes_to_key(password, salt, key_len);
    let plain = match cipher.trim() {
        "DES-EDE3-CBC" => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::Crypto)?
            .decrypt_padded_vec::<Pkcs7>(&ciphertext),
        "AES-128-CBC" => cbc::Decryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::Crypto)?
            .decrypt_padded_vec::<Pkcs7>(&ciphertext),
        "AES-192-CBC" => cbc::Decryptor::<aes::Aes192>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::Crypto)?
            .decrypt_padded_vec::<Pkcs7>(&ciphertext),
        _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(&key, &iv)
            .map_err(|_| KeyError::Crypto)?
            .decrypt_padded_vec::<Pkcs7>(&ciphertext),
    };
    plain
        .map(Zeroizing::new)
        .map_err(|_| KeyError::WrongPassword)
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration.
fn evp_bytes_to_key(password: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous: Option<[u8; 16]> = None;
    while out.len() < len {
        let mut h = md5::Md5::new();
        if let Some(p) = &previous {
            h.update(p);
        }
        h.update(password);
        h.update(salt);
        let block: [u8; 16] = h.finalize().into();
        out.extend_from_slice(&block);
        previous = Some(block);
    }
    out.truncate(len);
    out
}
