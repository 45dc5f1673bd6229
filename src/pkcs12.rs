//! PKCS#12 files ([RFC 7292]): the `.p12` Keychain Access exports and
//! customers upload, read with their password and written in two profiles.
//!
//! ```text
//! PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }
//! AuthenticatedSafe ::= SEQUENCE OF ContentInfo   -- data or encryptedData
//! SafeContents ::= SEQUENCE OF SafeBag           -- certBag, keyBag, pkcs8ShroudedKeyBag
//! ```
//!
//! Reading verifies the MAC before anything is decrypted, and refuses key
//! derivation work above [`MAX_PKCS12_ITERATIONS`] before doing any.
//! Encryption read: PBES2 (PBKDF2 or scrypt, AES-CBC or DES-EDE3-CBC) and the
//! PKCS#12 PBE schemes pbeWithSHAAnd3-KeyTripleDES-CBC,
//! pbeWithSHAAnd40BitRC2-CBC and pbeWithSHAAnd128BitRC2-CBC; MACs with
//! SHA-1, SHA-256, SHA-384 or SHA-512.
//!
//! [RFC 7292]: https://datatracker.ietf.org/doc/html/rfc7292

mod asn1;
mod kdf;

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt as _, BlockModeEncrypt as _, InnerIvInit as _, KeyIvInit as _};
use der::asn1::{Any, AnyRef, BmpString, ObjectIdentifier, OctetString, OctetStringRef, SetOfVec};
use der::{Decode as _, Encode as _};
use hmac::{KeyInit as _, Mac as _};
use rand_core::CryptoRng;
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use self::asn1::{
    CertBag, CmsVersion, ContentInfo, DigestInfo, EncryptedContentInfo, EncryptedData,
    EncryptedPrivateKeyInfo, MacData, Pfx, Pkcs12PbeParams, SafeBag, Version,
};
use self::kdf::Purpose;
use crate::limits::{MAX_PKCS12_ITERATIONS, MAX_SCRYPT_COST};

/// The iterations this crate writes, as OpenSSL 3 does.
const WRITE_ITERATIONS: u32 = 2048;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBE_SHA_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const PBE_SHA_RC2_128: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.5");
const PBE_SHA_RC2_40: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const KEY_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.1");
const SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const X509_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const FRIENDLY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.20");
const LOCAL_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.21");

/// Why a PKCS#12 file could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs12Error {
    /// The file is not a PKCS#12 structure.
    #[error("the file is not a PKCS#12 file")]
    Malformed,
    /// The file has no MAC, so its password cannot be checked.
    #[error("the PKCS#12 file has no MAC; its integrity cannot be checked")]
    NoMac,
    /// The MAC does not verify: the password is wrong (or the file altered).
    #[error("the password is wrong (the PKCS#12 MAC does not verify)")]
    WrongPassword,
    /// An algorithm this crate does not read.
    #[error("the PKCS#12 file uses {what} {oid}, which is not supported")]
    Unsupported {
        /// What kind of algorithm.
        what: &'static str,
        /// Its OID.
        oid: String,
    },
    /// More key-derivation iterations than [`MAX_PKCS12_ITERATIONS`].
    #[error("the PKCS#12 file asks for {asked} iterations, more than the {max} accepted")]
    TooManyIterations {
        /// What the file asks for.
        asked: u64,
        /// The limit.
        max: u64,
    },
    /// A part decrypted to something that is not what it should be.
    #[error("a part of the PKCS#12 file does not decrypt to valid content")]
    BadContent,
    /// Writing failed (encoding or a password that is not valid UTF-16).
    #[error("the PKCS#12 file could not be written")]
    Write,
    /// A PKCS#12 file was given where no password was: it can be read only
    /// with its password.
    #[error("the file is a PKCS#12 (.p12) file; its password is needed to read it")]
    PasswordRequired,
}

/// The protection [`PushIdentity::to_pkcs12`](crate::PushIdentity::to_pkcs12) writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pkcs12Profile {
    /// What OpenSSL 3 writes by default: PBES2 with PBKDF2-HMAC-SHA256 and
    /// AES-256-CBC for the certificate and the key, an HMAC-SHA256 MAC.
    #[default]
    Modern,
    /// What older macOS Keychain versions import: pbeWithSHAAnd3-KeyTripleDES-CBC
    /// for the certificate and the key, an HMAC-SHA1 MAC.
    Legacy,
}

/// What a PKCS#12 file held: certificates (DER, file order) and keys
/// (PKCS#8 DER, zeroized when dropped).
pub(crate) struct Contents {
    pub(crate) certificates: Vec<Vec<u8>>,
    pub(crate) keys: Vec<Zeroizing<Vec<u8>>>,
}

fn malformed(_: der::Error) -> Pkcs12Error {
    Pkcs12Error::Malformed
}

fn check_iterations(iterations: i64) -> Result<u32, Pkcs12Error> {
    let n = u32::try_from(iterations).map_err(|_| Pkcs12Error::Malformed)?;
    if n == 0 {
        return Err(Pkcs12Error::Malformed);
    }
    if n > MAX_PKCS12_ITERATIONS {
        return Err(Pkcs12Error::TooManyIterations {
            asked: u64::from(n),
            max: u64::from(MAX_PKCS12_ITERATIONS),
        });
    }
    Ok(n)
}

/// The DER of a PKCS#12 PFX in `bytes` (DER, or bare base64 of it), if it
/// is one: `SEQUENCE { INTEGER 3, ContentInfo, MacData OPTIONAL }`.
pub(crate) fn pfx_der(bytes: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    if Pfx::from_der(bytes).is_ok() {
        return Some(std::borrow::Cow::Borrowed(bytes));
    }
    let der = crate::input::bare_base64_der(bytes.trim_ascii())?;
    Pfx::from_der(&der)
        .is_ok()
        .then_some(std::borrow::Cow::Owned(der))
}

/// Reads a PFX (DER, or bare base64 of it): the MAC first, then every part.
pub(crate) fn read(bytes: &[u8], password: &str) -> Result<Contents, Pkcs12Error> {
    // Bare base64, decoded, holds the file's bytes, an unencrypted key bag
    // included: zeroized too. Everything below borrows from it.
    let decoded;
    let der: &[u8] = match pfx_der(bytes).ok_or(Pkcs12Error::Malformed)? {
        std::borrow::Cow::Borrowed(der) => der,
        std::borrow::Cow::Owned(der) => {
            decoded = Zeroizing::new(der);
            &decoded
        }
    };
    let pfx = Pfx::from_der(der).map_err(malformed)?;
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(Pkcs12Error::Unsupported {
            what: "an authenticated safe of type",
            oid: pfx.auth_safe.content_type.to_string(),
        });
    }
    let auth_safe = pfx
        .auth_safe
        .content
        .decode_as::<&OctetStringRef>()
        .map_err(malformed)?;
    let mac = pfx.mac_data.as_ref().ok_or(Pkcs12Error::NoMac)?;
    verify_mac(mac, password, auth_safe.as_bytes())?;
    let parts: Vec<ContentInfo> = Vec::from_der(auth_safe.as_bytes()).map_err(malformed)?;
    let mut contents = Contents {
        certificates: Vec::new(),
        keys: Vec::new(),
    };
    for part in parts {
        let decrypted;
        let safe: &[u8] = if part.content_type == ID_DATA {
            part.content
                .decode_as::<&OctetStringRef>()
                .map_err(malformed)?
                .as_bytes()
        } else if part.content_type == ID_ENCRYPTED_DATA {
            let data = part
                .content
                .decode_as::<EncryptedData>()
                .map_err(malformed)?;
            let ciphertext = data
                .enc_content_info
                .encrypted_content
                .as_ref()
                .ok_or(Pkcs12Error::Malformed)?;
            decrypted = decrypt(
                &data.enc_content_info.content_enc_alg,
                password,
                ciphertext.as_bytes(),
            )?;
            &decrypted
        } else {
            return Err(Pkcs12Error::Unsupported {
                what: "a safe of type",
                oid: part.content_type.to_string(),
            });
        };
        let bags: Vec<SafeBag<'_>> = Vec::from_der(safe).map_err(|_| Pkcs12Error::BadContent)?;
        for bag in bags {
            read_bag(&bag, password, &mut contents)?;
        }
    }
    Ok(contents)
}

fn read_bag(bag: &SafeBag<'_>, password: &str, contents: &mut Contents) -> Result<(), Pkcs12Error> {
    let value = bag.bag_value;
    if bag.bag_id == CERT_BAG {
        let cert = value.decode_as::<CertBag>().map_err(malformed)?;
        // Only X.509 certificates; SDSI certificates are skipped.
        if cert.cert_id == X509_CERTIFICATE {
            contents
                .certificates
                .push(cert.cert_value.into_bytes().into_vec());
        }
    } else if bag.bag_id == SHROUDED_KEY_BAG {
        let info = value
            .decode_as::<EncryptedPrivateKeyInfo>()
            .map_err(malformed)?;
        let key = decrypt(
            &info.encryption_algorithm,
            password,
            info.encrypted_data.as_bytes(),
        )?;
        contents.keys.push(key);
    } else if bag.bag_id == KEY_BAG {
        // The PrivateKeyInfo's DER, written once into a buffer of its size.
        contents
            .keys
            .push(Zeroizing::new(value.to_der().map_err(malformed)?));
    }
    // CRL, secret and nested bags carry nothing a push identity needs.
    Ok(())
}

fn verify_mac(mac: &MacData, password: &str, data: &[u8]) -> Result<(), Pkcs12Error> {
    let rounds = check_iterations(i64::from(mac.iterations))?;
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    let oid = mac.mac.algorithm.oid;
    macro_rules! check {
        ($d:ty) => {
            pkcs12_hmac!($d, password, salt, rounds, data)?
                .verify_slice(expected)
                .map_err(|_| Pkcs12Error::WrongPassword)
        };
    }
    match oid {
        SHA1 => check!(sha1::Sha1),
        SHA256 => check!(sha2::Sha256),
        SHA384 => check!(sha2::Sha384),
        SHA512 => check!(sha2::Sha512),
        other => Err(Pkcs12Error::Unsupported {
            what: "a MAC digest",
            oid: other.to_string(),
        }),
    }
}

/// Decrypts a part or a shrouded key with its algorithm.
fn decrypt(
    alg: &AlgorithmIdentifierOwned,
    password: &str,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    let params = alg.parameters.as_ref().ok_or(Pkcs12Error::Malformed)?;
    if alg.oid == PBES2 {
        let params = pkcs5::pbes2::Parameters::from_der(&params.to_der().map_err(malformed)?)
            .map_err(|_| Pkcs12Error::Unsupported {
                what: "a PBES2 scheme",
                oid: alg.oid.to_string(),
            })?;
        if let Some(p) = params.kdf.pbkdf2() {
            check_iterations(i64::from(p.iteration_count))?;
        }
        if let Some(s) = params.kdf.scrypt()
            && s.cost_parameter.saturating_mul(u64::from(s.block_size)) > MAX_SCRYPT_COST
        {
            return Err(Pkcs12Error::TooManyIterations {
                asked: s.cost_parameter,
                max: MAX_SCRYPT_COST,
            });
        }
        let mut plain = Zeroizing::new(ciphertext.to_vec());
        let len =
            crate::key_encryption::pbes2_decrypt_in_place(&params, password.as_bytes(), &mut plain)
                .ok_or(Pkcs12Error::BadContent)?;
        plain.truncate(len);
        return Ok(plain);
    }
    let pbe = Pkcs12PbeParams::from_der(&params.to_der().map_err(malformed)?).map_err(malformed)?;
    let rounds = check_iterations(i64::from(pbe.iterations))?;
    let salt = pbe.salt.as_bytes();
    let derive = |purpose, len| {
        kdf::derive::<sha1::Sha1>(password, salt, purpose, rounds, len)
            .ok_or(Pkcs12Error::WrongPassword)
    };
    // Decrypted in place, in a buffer zeroized when dropped, whether or not
    // its padding turns out right.
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    let len = match alg.oid {
        PBE_SHA_3DES => {
            let key = derive(Purpose::Key, 24)?;
            let iv = derive(Purpose::Iv, 8)?;
            cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(|_| Pkcs12Error::Malformed)?
                .decrypt_padded::<Pkcs7>(&mut plain)
                .map(<[u8]>::len)
        }
        PBE_SHA_RC2_40 | PBE_SHA_RC2_128 => {
            let len = if alg.oid == PBE_SHA_RC2_40 { 5 } else { 16 };
            let key = derive(Purpose::Key, len)?;
            let iv = derive(Purpose::Iv, 8)?;
            let cipher = rc2::Rc2::new_with_eff_key_len(&key, len * 8);
            cbc::Decryptor::<rc2::Rc2>::inner_iv_slice_init(cipher, &iv)
                .map_err(|_| Pkcs12Error::Malformed)?
                .decrypt_padded::<Pkcs7>(&mut plain)
                .map(<[u8]>::len)
        }
        other => {
            return Err(Pkcs12Error::Unsupported {
                what: "an encryption scheme",
                oid: other.to_string(),
            });
        }
    };
    plain.truncate(len.map_err(|_| Pkcs12Error::BadContent)?);
    Ok(plain)
}

/// Writes a PFX holding one certificate and its key (PKCS#8 DER), both
/// encrypted, with a MAC, `friendlyName` and `localKeyId` so that Keychain
/// pairs them.
pub(crate) fn write<R: CryptoRng + ?Sized>(
    certificate: &[u8],
    pkcs8_key: &[u8],
    friendly_name: &str,
    password: &str,
    profile: Pkcs12Profile,
    rng: &mut R,
) -> Result<Vec<u8>, Pkcs12Error> {
    let w = |_: der::Error| Pkcs12Error::Write;
    let local_key_id = {
        use sha1::Digest as _;
        sha1::Sha1::digest(certificate).to_vec()
    };
    let attributes = {
        let name = BmpString::from_utf8(friendly_name).map_err(w)?;
        let attrs = vec![
            x509_cert::attr::Attribute {
                oid: FRIENDLY_NAME,
                values: SetOfVec::try_from(vec![Any::encode_from(&name).map_err(w)?]).map_err(w)?,
            },
            x509_cert::attr::Attribute {
                oid: LOCAL_KEY_ID,
                values: SetOfVec::try_from(vec![
                    Any::encode_from(&OctetString::new(local_key_id).map_err(w)?).map_err(w)?,
                ])
                .map_err(w)?,
            },
        ];
        SetOfVec::try_from(attrs).map_err(w)?
    };
    // The certificate, in an encrypted safe.
    let cert_bag = CertBag {
        cert_id: X509_CERTIFICATE,
        cert_value: OctetString::new(certificate).map_err(w)?,
    }
    .to_der()
    .map_err(w)?;
    let cert_safe = vec![SafeBag {
        bag_id: CERT_BAG,
        bag_value: AnyRef::try_from(cert_bag.as_slice()).map_err(w)?,
        bag_attributes: Some(attributes.clone()),
    }];
    let (cert_alg, cert_ciphertext) =
        encrypt(&cert_safe.to_der().map_err(w)?, password, profile, rng)?;
    let cert_part = EncryptedData {
        version: CmsVersion::V0,
        enc_content_info: EncryptedContentInfo {
            content_type: ID_DATA,
            content_enc_alg: cert_alg,
            encrypted_content: Some(OctetString::new(cert_ciphertext).map_err(w)?),
        },
        unprotected_attrs: None,
    }
    .to_der()
    .map_err(w)?;
    let cert_part = ContentInfo {
        content_type: ID_ENCRYPTED_DATA,
        content: AnyRef::try_from(cert_part.as_slice()).map_err(w)?,
    };
    // The key, shrouded, in a plain safe.
    let (key_alg, key_ciphertext) = encrypt(pkcs8_key, password, profile, rng)?;
    let shrouded = EncryptedPrivateKeyInfo {
        encryption_algorithm: key_alg,
        encrypted_data: OctetString::new(key_ciphertext).map_err(w)?,
    }
    .to_der()
    .map_err(w)?;
    let key_safe = vec![SafeBag {
        bag_id: SHROUDED_KEY_BAG,
        bag_value: AnyRef::try_from(shrouded.as_slice()).map_err(w)?,
        bag_attributes: Some(attributes),
    }]
    .to_der()
    .map_err(w)?;
    let key_part = ContentInfo {
        content_type: ID_DATA,
        content: AnyRef::new(der::Tag::OctetString, &key_safe).map_err(w)?,
    };
    let auth_safe = vec![cert_part, key_part].to_der().map_err(w)?;
    // The MAC over the authenticated safe.
    let mut mac_salt = [0u8; 16];
    rng.fill_bytes(&mut mac_salt);
    macro_rules! mac_of {
        ($d:ty) => {
            pkcs12_hmac!($d, password, &mac_salt, WRITE_ITERATIONS, &auth_safe)
                .map_err(|_| Pkcs12Error::Write)?
                .finalize()
                .into_bytes()
                .to_vec()
        };
    }
    let (digest_oid, mac) = match profile {
        Pkcs12Profile::Modern => (SHA256, mac_of!(sha2::Sha256)),
        Pkcs12Profile::Legacy => (SHA1, mac_of!(sha1::Sha1)),
    };
    let pfx = Pfx {
        version: Version::V3,
        auth_safe: ContentInfo {
            content_type: ID_DATA,
            content: AnyRef::new(der::Tag::OctetString, &auth_safe).map_err(w)?,
        },
        mac_data: Some(MacData {
            mac: DigestInfo {
                algorithm: AlgorithmIdentifierOwned {
                    oid: digest_oid,
                    parameters: Some(Any::null()),
                },
                digest: OctetString::new(mac).map_err(w)?,
            },
            mac_salt: OctetString::new(mac_salt.to_vec()).map_err(w)?,
            iterations: i32::try_from(WRITE_ITERATIONS).map_err(|_| Pkcs12Error::Write)?,
        }),
    };
    pfx.to_der().map_err(w)
}

/// HMAC of `data` under the PKCS#12 MAC key derived from the password (a
/// key of the digest's output size, RFC 7292 Appendix B.4).
macro_rules! pkcs12_hmac {
    ($d:ty, $password:expr, $salt:expr, $rounds:expr, $data:expr) => {{
        match kdf::derive::<$d>(
            $password,
            $salt,
            Purpose::Mac,
            $rounds,
            <$d as kdf::Hash>::OUTPUT,
        ) {
            Some(key) => hmac::Hmac::<$d>::new_from_slice(&key)
                .map(|mut m| {
                    m.update($data);
                    m
                })
                .map_err(|_| Pkcs12Error::Malformed),
            None => Err(Pkcs12Error::WrongPassword),
        }
    }};
}
use pkcs12_hmac;

/// Encrypts with the profile's scheme; returns the algorithm and the ciphertext.
fn encrypt<R: CryptoRng + ?Sized>(
    plain: &[u8],
    password: &str,
    profile: Pkcs12Profile,
    rng: &mut R,
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Pkcs12Error> {
    let w = |_: der::Error| Pkcs12Error::Write;
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    match profile {
        Pkcs12Profile::Modern => {
            let mut iv = [0u8; 16];
            rng.fill_bytes(&mut iv);
            let params = pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
                WRITE_ITERATIONS,
                &salt,
                iv,
            )
            .map_err(|_| Pkcs12Error::Write)?;
            let ciphertext = params
                .encrypt(password.as_bytes(), plain)
                .map_err(|_| Pkcs12Error::Write)?;
            let alg = AlgorithmIdentifierOwned {
                oid: PBES2,
                parameters: Some(Any::encode_from(&params).map_err(w)?),
            };
            Ok((alg, ciphertext))
        }
        Pkcs12Profile::Legacy => {
            let salt = salt.get(..8).unwrap_or_default();
            let derive = |purpose, len| {
                kdf::derive::<sha1::Sha1>(password, salt, purpose, WRITE_ITERATIONS, len)
                    .ok_or(Pkcs12Error::Write)
            };
            let key = derive(Purpose::Key, 24)?;
            let iv = derive(Purpose::Iv, 8)?;
            let ciphertext = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(|_| Pkcs12Error::Write)?
                .encrypt_padded_vec::<Pkcs7>(plain);
            let params = Pkcs12PbeParams {
                salt: OctetString::new(salt.to_vec()).map_err(w)?,
                iterations: i32::try_from(WRITE_ITERATIONS).map_err(|_| Pkcs12Error::Write)?,
            };
            let alg = AlgorithmIdentifierOwned {
                oid: PBE_SHA_3DES,
                parameters: Some(Any::encode_from(&params).map_err(w)?),
            };
            Ok((alg, ciphertext))
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;

    use super::*;

    /// A file whose key is not its certificate's: the container reads, the
    /// identity is refused with the mismatch (the upload's "public key
    /// differs"), not as a malformed file.
    #[test]
    fn a_key_that_is_not_the_certificates_is_a_mismatch() {
        let cert = crate::input::der_items(
            include_bytes!("../tests/fixtures/pki/push_b.pem"),
            b"CERTIFICATE",
        )
        .expect("pem")
        .remove(0);
        let other =
            crate::PrivateKey::parse(include_bytes!("../tests/fixtures/pki/customer_a.key"))
                .expect("key");
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        for profile in [Pkcs12Profile::Modern, Pkcs12Profile::Legacy] {
            let p12 = write(
                &cert,
                &other.to_pkcs8_der().expect("der"),
                "x",
                "pw",
                profile,
                &mut rng,
            )
            .expect("written");
            let contents = read(&p12, "pw").expect("the container reads");
            assert_eq!((contents.certificates.len(), contents.keys.len()), (1, 1));
            assert!(matches!(
                crate::PushIdentity::from_pkcs12(&p12, "pw"),
                Err(crate::IdentityError::KeyMismatch { .. })
            ));
            assert!(matches!(
                read(&p12, "wrong"),
                Err(Pkcs12Error::WrongPassword)
            ));
        }
    }
}
