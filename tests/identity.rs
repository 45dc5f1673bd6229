//! The push identity: PKCS#12 files openssl wrote (modern and legacy), the
//! crate's own PKCS#12 output that openssl read back, PEM bundles, and the
//! upload check on `.p12` files (`tests/fixtures/make_identity.sh`, password
//! `secret`).

use mdm_push_cert::{
    IdentityError, InputError, InputItem, KeyError, KeyFormat, ParseError, Pkcs12Error,
    Pkcs12Profile, PrivateKey, PushCertificate, PushIdentity, TrustAnchors, UploadCheck,
};
use rand::SeedableRng as _;
use time::macros::datetime;

macro_rules! id {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/identity/", $name)).as_slice()
    };
}
macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

const TOPIC: &str = "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f";

fn spki_of_public_pem() -> Vec<u8> {
    let pem = std::str::from_utf8(id!("public.pem")).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[test]
fn pkcs12_files_openssl_and_the_crate_wrote_read_back() {
    for (name, bytes, carried) in [
        ("modern.p12", id!("modern.p12"), 0),
        ("legacy.p12", id!("legacy.p12"), 0),
        ("with_chain.p12", id!("with_chain.p12"), 2),
        (
            "written_by_crate_modern.p12",
            id!("written_by_crate_modern.p12"),
            0,
        ),
        (
            "written_by_crate_legacy.p12",
            id!("written_by_crate_legacy.p12"),
            0,
        ),
    ] {
        let identity =
            PushIdentity::from_pkcs12(bytes, "secret").unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(identity.topic().as_str(), TOPIC, "{name}");
        assert_eq!(identity.key().spki_der(), spki_of_public_pem(), "{name}");
        assert_eq!(identity.certificate().carried().len(), carried, "{name}");
        assert!(matches!(
            PushIdentity::from_pkcs12(bytes, "Secret").unwrap_err(),
            IdentityError::Pkcs12(Pkcs12Error::WrongPassword)
        ));
    }
    // What openssl said of the crate's files: its MAC and encryption were
    // read, the key is customer B's, and Keychain's pairing attributes are set.
    assert_eq!(
        id!("written_by_crate_modern.openssl-pub.pem"),
        id!("public.pem")
    );
    assert_eq!(
        id!("written_by_crate_legacy.openssl-pub.pem"),
        id!("public.pem")
    );
    let info = std::str::from_utf8(id!("written_by_crate_modern.openssl-info.txt")).unwrap();
    assert!(
        info.contains("MAC: sha256") && info.contains("PBES2, PBKDF2, AES-256-CBC"),
        "{info}"
    );
    let info = std::str::from_utf8(id!("written_by_crate_legacy.openssl-info.txt")).unwrap();
    assert!(
        info.contains("MAC: sha1") && info.contains("pbeWithSHA1And3-KeyTripleDES-CBC"),
        "{info}"
    );
    let attrs = std::str::from_utf8(id!("written_by_crate_modern.openssl-attributes.txt")).unwrap();
    assert!(attrs.contains(&format!("friendlyName: {TOPIC}")) && attrs.contains("localKeyID"));
}

#[test]
fn pkcs12_refusals_are_typed() {
    let err = |b: &[u8]| PushIdentity::from_pkcs12(b, "secret").unwrap_err();
    assert_eq!(
        err(id!("no_key.p12")),
        // A missing key is the same fact in a .p12 and in a PEM bundle.
        IdentityError::Key(KeyError::NoKey)
    );
    assert_eq!(
        err(id!("no_certificate.p12")),
        IdentityError::Certificate(ParseError::Input(InputError::NotFound {
            expected: InputItem::Certificate
        }))
    );
    assert_eq!(
        err(id!("no_mac.p12")),
        IdentityError::Pkcs12(Pkcs12Error::NoMac)
    );
    assert_eq!(
        err(id!("too_many_iterations.p12")),
        IdentityError::Pkcs12(Pkcs12Error::TooManyIterations {
            asked: 1_500_000,
            max: u64::from(mdm_push_cert::MAX_PKCS12_ITERATIONS)
        })
    );
    assert_eq!(
        err(b"not a p12"),
        IdentityError::Pkcs12(Pkcs12Error::Malformed)
    );
}

#[test]
fn micromdm_legacy_p12_decodes_and_is_refused_for_its_missing_topic() {
    // micromdm's pushcert.p12 (MIT), base64 as stored: RC2-40 certificate bag,
    // 3DES key, SHA-1 MAC. Its certificate (CN=mdmpush) has no topic.
    let b64 = include_bytes!("fixtures/thirdparty/micromdm_testdata_pushcert.p12.b64");
    assert_eq!(
        PushIdentity::from_pkcs12(b64, "secret").unwrap_err(),
        IdentityError::Certificate(ParseError::MissingTopic)
    );
    assert_eq!(
        PushIdentity::from_pkcs12(b64, "wrong").unwrap_err(),
        IdentityError::Pkcs12(Pkcs12Error::WrongPassword)
    );
}

/// What `to_pkcs12` writes, byte for byte: the committed files were written
/// by `examples/write_identity.rs` from the same identity, password and
/// seeded RNG (`make_identity.sh`), and openssl read them (above).
#[test]
fn the_crate_writes_the_committed_pkcs12_bytes() {
    let cert = PushCertificate::parse(pki!("push_b.pem")).unwrap();
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let identity = PushIdentity::new(cert, key).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(12);
    for (profile, committed) in [
        (Pkcs12Profile::Modern, id!("written_by_crate_modern.p12")),
        (Pkcs12Profile::Legacy, id!("written_by_crate_legacy.p12")),
    ] {
        let p12 = identity.to_pkcs12("secret", profile, &mut rng).unwrap();
        assert!(
            p12 == committed,
            "{profile:?} differs from the committed file"
        );
    }
}

#[test]
fn crate_round_trips_both_profiles_and_pem_bundles() {
    let cert = PushCertificate::parse(pki!("push_b.pem")).unwrap();
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let identity = PushIdentity::new(cert.clone(), key).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(5);
    for profile in [Pkcs12Profile::Modern, Pkcs12Profile::Legacy] {
        let p12 = identity.to_pkcs12("pässwörd", profile, &mut rng).unwrap();
        let back = PushIdentity::from_pkcs12(&p12, "pässwörd").unwrap();
        assert_eq!(back.certificate(), identity.certificate());
        assert_eq!(back.key().spki_der(), identity.key().spki_der());
    }
    for format in [KeyFormat::Pkcs8, KeyFormat::Pkcs1] {
        let bundle = identity.to_pem_bundle(format).unwrap();
        let back = PushIdentity::from_pem_bundle(bundle.as_bytes()).unwrap();
        assert_eq!(back.certificate(), &cert);
    }
    // A bundle with an encrypted key.
    let mut bundle = cert.to_pem();
    bundle
        .push_str(std::str::from_utf8(include_bytes!("fixtures/keys/legacy_aes256.key")).unwrap());
    assert!(matches!(
        PushIdentity::from_pem_bundle(bundle.as_bytes()).unwrap_err(),
        IdentityError::Key(mdm_push_cert::KeyError::Encrypted)
    ));
    PushIdentity::from_pem_bundle_with_password(bundle.as_bytes(), b"secret").unwrap();
    // The wrong key, two keys, no key.
    let wrong = PrivateKey::parse(pki!("customer_a.key")).unwrap();
    assert!(matches!(
        PushIdentity::new(cert.clone(), wrong).unwrap_err(),
        IdentityError::KeyMismatch { .. }
    ));
    let two = [
        pki!("push_b.pem"),
        pki!("customer_b.key"),
        pki!("customer_a.key"),
    ]
    .concat();
    assert_eq!(
        PushIdentity::from_pem_bundle(&two).unwrap_err(),
        IdentityError::Key(KeyError::SeveralKeys)
    );
    assert_eq!(
        PushIdentity::from_pem_bundle(pki!("push_b.pem")).unwrap_err(),
        IdentityError::Key(KeyError::NoKey)
    );
    let mismatched = [pki!("push_b.pem"), pki!("customer_a.key")].concat();
    let err = PushIdentity::from_pem_bundle(&mismatched).unwrap_err();
    assert!(matches!(err, IdentityError::KeyMismatch { .. }));
    // An upload of that pair gets the documented "public key differs" message.
    assert_eq!(
        mdm_push_cert::UploadError::from(err).code(),
        "public_key_mismatch"
    );
    // Debug shows no secret.
    let debug = format!("{identity:?}");
    assert!(
        debug.contains(TOPIC) && !debug.contains("PRIVATE"),
        "{debug}"
    );
}

#[test]
fn uploads_of_p12_files_and_bare_base64() {
    let now = datetime!(2025-12-28 12:00 UTC);
    let check = UploadCheck::new(now)
        .trust_anchors(TrustAnchors::from_pem(pki!("anchors.pem")).unwrap())
        .expected_public_key(pki!("customer_b.spki.der"));
    // A .p12 without its password: the invalid-certificate message, and the
    // detail says a password is needed.
    let err = check.check(id!("modern.p12")).unwrap_err();
    assert_eq!(err.code(), "invalid_certificate");
    assert!(
        err.detail().contains("password is needed"),
        "{}",
        err.detail()
    );
    // With it: the identity.
    let identity = check.check_pkcs12(id!("legacy.p12"), "secret").unwrap();
    assert_eq!(identity.topic().as_str(), TOPIC);
    let err = check.check_pkcs12(id!("legacy.p12"), "nope").unwrap_err();
    assert_eq!(err.code(), "invalid_certificate");
    assert!(
        err.detail().contains("password is wrong"),
        "{}",
        err.detail()
    );
    // A bare base64 body without PEM lines.
    use base64::Engine as _;
    let der = PushCertificate::parse(pki!("push_b.pem"))
        .unwrap()
        .der()
        .to_vec();
    let bare = base64::engine::general_purpose::STANDARD.encode(der);
    assert_eq!(
        check.check(bare.as_bytes()).unwrap().topic().as_str(),
        TOPIC
    );
    let wrapped: String = bare
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    assert!(check.check(wrapped.as_bytes()).is_ok());
}
