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

macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

/// Compiles only for a `Zeroizing` value: the proof, at compile time, that
/// an export is wiped when dropped.
fn is_zeroizing<T: zeroize::Zeroize>(_: &zeroize::Zeroizing<T>) {}

#[test]
fn every_export_of_a_secret_is_zeroizing() {
    use mdm_push_cert::{KeyFormat, PushCertificate, PushIdentity};
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let pkcs8_pem = key.to_pkcs8_pem().unwrap();
    let pkcs1_pem = key.to_pkcs1_pem().unwrap();
    let pkcs8_der = key.to_pkcs8_der().unwrap();
    is_zeroizing(&pkcs8_pem);
    is_zeroizing(&pkcs1_pem);
    is_zeroizing(&pkcs8_der);
    // And they are the key: the files openssl wrote, byte for byte.
    assert_eq!(pkcs8_pem.as_bytes(), pki!("customer_b.key"));
    assert_eq!(pkcs1_pem.as_bytes(), pki!("customer_b.pkcs1.key"));
    let identity =
        PushIdentity::new(PushCertificate::parse(pki!("push_b.pem")).unwrap(), key).unwrap();
    for format in [KeyFormat::Pkcs8, KeyFormat::Pkcs1] {
        let bundle = identity.to_pem_bundle(format).unwrap();
        is_zeroizing(&bundle);
        let key_pem = match format {
            KeyFormat::Pkcs8 => &pkcs8_pem,
            _ => &pkcs1_pem,
        };
        assert_eq!(
            *bundle,
            format!("{}{}", identity.certificate().to_pem(), key_pem.as_str())
        );
        // Written into a buffer of its final length: it never reallocated,
        // so no copy of the key was left in a freed buffer.
        assert_eq!(bundle.capacity(), bundle.len());
    }
}

#[test]
fn key_pem_reads_however_its_base64_is_wrapped() {
    // The key's base64 goes through its own constant-time, zeroizing
    // decoder; it reads what the certificate reader reads.
    let pem = std::str::from_utf8(pki!("customer_b.key")).unwrap();
    let spki = PrivateKey::parse(pem.as_bytes())
        .unwrap()
        .spki_der()
        .to_vec();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let wrap = |width: usize, eol: &str| -> String {
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(width)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN PRIVATE KEY-----{eol}{}{eol}-----END PRIVATE KEY-----{eol}",
            lines.join(eol)
        )
    };
    for text in [
        wrap(64, "\n"),
        wrap(76, "\r\n"),
        wrap(body.len(), "\n"),
        wrap(17, " \n\t"),
        format!("some text before\n{}", wrap(64, "\n")),
    ] {
        let key = PrivateKey::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(key.spki_der(), spki);
    }
    // Padding left off, a character outside base64, a truncated body.
    let unpadded = wrap(64, "\n").replacen("=-----END", "-----END", 1);
    let unpadded = unpadded.replace("=\n-----END", "\n-----END");
    for text in [
        unpadded,
        wrap(64, "\n").replacen('A', "*", 1),
        wrap(64, "\n").replacen(&body[..8], "", 1),
    ] {
        assert_eq!(
            PrivateKey::parse(text.as_bytes()).unwrap_err(),
            KeyError::Malformed,
            "{text}"
        );
    }
}

#[test]
fn no_secret_in_debug_display_or_errors() {
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let pem = key.to_pkcs8_pem().unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = key.to_pkcs8_der().unwrap();
    // Any 12 characters of the key's base64, or 8 bytes of its DER in hex.
    let leaks = |text: &str| {
        (0..body.len() - 12).any(|i| text.contains(&body[i..i + 12]))
            || der.windows(8).any(|w| {
                let hex: String = w.iter().map(|b| format!("{b:02x}")).collect();
                text.to_lowercase().contains(&hex)
            })
    };
    let debug = format!("{key:?}");
    assert!(!leaks(&debug), "{debug}");
    let identity =
        mdm_push_cert::PushIdentity::from_pem_bundle(pki!("push_b_with_key.pem")).unwrap();
    let debug = format!("{identity:?}");
    assert!(!leaks(&debug), "{debug}");
    // Errors name what failed, never the password or the key.
    let encrypted = key
        .to_encrypted_pkcs8_pem(b"correct horse", &mut rand::rngs::StdRng::seed_from_u64(1))
        .unwrap();
    for (input, password) in [
        (encrypted.as_bytes(), b"wrong horse".as_slice()),
        (keys!("legacy_aes256.key"), b"wrong horse"),
        (keys!("pbes2_too_many_iterations.key"), b"correct horse"),
    ] {
        let e = PrivateKey::parse_with_password(input, password).unwrap_err();
        let text = format!("{e} {e:?} {:?}", std::error::Error::source(&e));
        assert!(!text.contains("horse") && !leaks(&text), "{text}");
    }
    let e = PrivateKey::parse(encrypted.as_bytes()).unwrap_err();
    assert_eq!(e, KeyError::Encrypted);
}
