//! Encrypted private keys: every form OpenSSL writes (made by
//! `tests/fixtures/make_keys.sh`, password `secret`), micromdm's legacy key,
//! and the crate's own encrypted output, which openssl read back.

use mdm_push_cert::{KeyError, MAX_PBKDF2_ITERATIONS, PrivateKey};
use rand::SeedableRng as _;

macro_rules! keys {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/keys/", $name)).as_slice()
    };
}

/// The SubjectPublicKeyInfo DER of `fixtures/keys/public.pem` (openssl's).
fn expected_spki() -> Vec<u8> {
    let pem = std::str::from_utf8(keys!("public.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[test]
fn every_openssl_encryption_reads_with_the_password() {
    let spki = expected_spki();
    for (name, bytes) in [
        ("pbes2_pbkdf2_aes256.key", keys!("pbes2_pbkdf2_aes256.key")),
        (
            "pbes2_pbkdf2sha1_aes128.key",
            keys!("pbes2_pbkdf2sha1_aes128.key"),
        ),
        ("pbes2_pbkdf2_des3.key", keys!("pbes2_pbkdf2_des3.key")),
        ("pbes2_scrypt_aes256.key", keys!("pbes2_scrypt_aes256.key")),
        ("pbes2_pbkdf2_aes256.der", keys!("pbes2_pbkdf2_aes256.der")),
        ("legacy_des3.key", keys!("legacy_des3.key")),
        ("legacy_aes128.key", keys!("legacy_aes128.key")),
        ("legacy_aes192.key", keys!("legacy_aes192.key")),
        ("legacy_aes256.key", keys!("legacy_aes256.key")),
        ("written_by_crate.key", keys!("written_by_crate.key")),
    ] {
        let key = PrivateKey::parse_with_password(bytes, b"secret")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.spki_der(), spki, "{name}");
        // Without the password: says so.
        assert_eq!(
            PrivateKey::parse(bytes).unwrap_err(),
            KeyError::Encrypted,
            "{name}"
        );
        // With a wrong one: says that, not "malformed".
        assert_eq!(
            PrivateKey::parse_with_password(bytes, b"Secret").unwrap_err(),
            KeyError::WrongPassword,
            "{name}"
        );
    }
}

#[test]
fn micromdm_legacy_key_reads() {
    // micromdm's ProviderPrivateKey.key (MIT): DES-EDE3-CBC, password "secret".
    let bytes = include_bytes!("fixtures/thirdparty/micromdm_testdata_ProviderPrivateKey.key");
    let key = PrivateKey::parse_with_password(bytes, b"secret").unwrap();
    assert!(key.key_bits() >= 2048);
    assert_eq!(
        PrivateKey::parse_with_password(bytes, b"wrong").unwrap_err(),
        KeyError::WrongPassword
    );
}

#[test]
fn hostile_and_unsupported_encryption_is_refused_before_work() {
    let err = PrivateKey::parse_with_password(keys!("pbes2_too_many_iterations.key"), b"secret")
        .unwrap_err();
    assert_eq!(
        err,
        KeyError::TooMuchWork {
            what: "PBKDF2 iteration count",
            asked: 3_000_000,
            max: u64::from(MAX_PBKDF2_ITERATIONS),
        }
    );
    assert!(matches!(
        PrivateKey::parse_with_password(keys!("pbes1_md5_des.key"), b"secret").unwrap_err(),
        KeyError::UnsupportedEncryption { .. }
    ));
}

#[test]
fn keys_at_rest_round_trip() {
    let key = PrivateKey::parse(include_bytes!("fixtures/pki/customer_b.key")).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    let pem = key
        .to_encrypted_pkcs8_pem(b"correct horse", &mut rng)
        .unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    let back = PrivateKey::parse_with_password(pem.as_bytes(), b"correct horse").unwrap();
    assert_eq!(back.spki_der(), key.spki_der());
    let der = key.to_encrypted_pkcs8_der(b"pw", &mut rng).unwrap();
    assert_eq!(
        PrivateKey::parse_with_password(&der, b"pw")
            .unwrap()
            .spki_der(),
        key.spki_der()
    );
    // Two encryptions differ (fresh salt and IV from the RNG).
    assert_ne!(der, key.to_encrypted_pkcs8_der(b"pw", &mut rng).unwrap());
    // The unencrypted DER export reads back, and no secret is in Debug.
    let plain = key.to_pkcs8_der().unwrap();
    assert_eq!(
        PrivateKey::parse(&plain).unwrap().spki_der(),
        key.spki_der()
    );
    let debug = format!("{key:?}");
    assert!(
        !debug.contains("correct horse") && debug.len() < 200,
        "{debug}"
    );
}
