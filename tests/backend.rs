//! Both backends write the same bytes. PKCS#1 v1.5 signatures are
//! deterministic, so for the same key and input the default (`rsa` crate)
//! and the `aws-lc-rs` backend must produce identical requests, vendor
//! signatures and signedCSR files. Only one backend is compiled at a time:
//! each is held to files that openssl and the default backend wrote, and CI
//! runs this file under both (`.ci/run`).
//!
//! Time is pinned at 2025-12-28T12:00:00Z, inside the test vendor
//! certificate's validity (2025-06-01 – 2026-06-01).

use mdm_push_cert::{CsrBuilder, PrivateKey, PushCsr, SignedRequest, TrustAnchors, VendorSigner};
use rand::SeedableRng as _;
use sha2::Digest as _;
use time::macros::datetime;

macro_rules! pki {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/pki/", $name)).as_slice()
    };
}

const NOW: time::OffsetDateTime = datetime!(2025-12-28 12:00 UTC);

/// Which backend this run exercises, for the failure messages.
const BACKEND: &str = if cfg!(any(feature = "aws-lc-rs", feature = "fips")) {
    "aws-lc-rs"
} else {
    "rsa crate"
};

/// The subject `examples/write_crate_fixtures.rs` built `built_by_crate.csr` with.
fn built_csr() -> CsrBuilder {
    CsrBuilder::new()
        .common_name("Example School")
        .organization("Example School Board")
        .country("JP")
        .email_address("admin@example.org")
}

fn vendor() -> VendorSigner {
    let key = PrivateKey::parse(pki!("vendor.key")).unwrap();
    VendorSigner::with_chain(pki!("vendor.pem"), &key, pki!("vendor_intermediates.pem")).unwrap()
}

#[test]
fn the_request_is_the_same_bytes() {
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    // The RNG only blinds the default backend's operation: any seed, the same bytes.
    for seed in [1, 7, 42] {
        let csr = built_csr()
            .build(&key, &mut rand::rngs::StdRng::seed_from_u64(seed))
            .unwrap();
        assert_eq!(csr.der(), pki!("built_by_crate.csr.der"), "{BACKEND}");
    }
    // Its self-signature is openssl's over the same CertificationRequestInfo
    // (`openssl dgst -sha256 -sign customer_b.key built_by_crate.csr.tbs.der`).
    let der = pki!("built_by_crate.csr.der");
    let tbs = pki!("built_by_crate.csr.tbs.der");
    let sig = pki!("built_by_crate.csr.tbs.sha256.sig");
    assert!(der.windows(tbs.len()).any(|w| w == tbs));
    assert!(der.ends_with(sig), "{BACKEND}");
    // The PKCS#1 key form loads into the same signer.
    let pkcs1 = PrivateKey::parse(pki!("customer_b.pkcs1.key")).unwrap();
    let csr = built_csr().build(&pkcs1, &mut rand::rng()).unwrap();
    assert_eq!(csr.der(), der, "{BACKEND}");
}

#[test]
fn the_vendor_signature_is_openssls() {
    let vendor = vendor();
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    // `openssl dgst -sha256 -sign vendor.key` over each request's DER.
    for (csr, expected) in [
        (
            pki!("customer_b.csr.der"),
            pki!("customer_b.csr.sha256.sig"),
        ),
        (
            pki!("built_by_crate.csr.der"),
            pki!("built_by_crate.csr.sha256.sig"),
        ),
    ] {
        let csr = PushCsr::from_der(csr).unwrap();
        let signed = vendor.sign(&csr, NOW, &mut rng).unwrap();
        assert_eq!(signed.signature(), expected, "{BACKEND}");
    }
}

#[test]
fn the_signed_request_file_is_the_same_bytes() {
    // What `examples/write_crate_fixtures.rs` wrote with the default backend.
    let key = PrivateKey::parse(pki!("customer_b.key")).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let csr = built_csr().build(&key, &mut rng).unwrap();
    let signed = vendor().sign(&csr, NOW, &mut rng).unwrap();
    assert_eq!(
        signed.to_base64().as_bytes(),
        pki!("built_by_crate.signedcsr.b64"),
        "{BACKEND}"
    );
    assert_eq!(
        signed.to_xml().as_bytes(),
        pki!("built_by_crate.signedcsr.plist"),
        "{BACKEND}"
    );
    // And this backend verifies it, chain and all.
    let anchors = TrustAnchors::from_pem(pki!("vendor_intermediates.pem")).unwrap();
    let v = SignedRequest::parse(pki!("built_by_crate.signedcsr.b64"))
        .unwrap()
        .verify_with_anchors(&anchors, NOW)
        .unwrap();
    assert_eq!(v.csr, csr);
}

#[test]
fn generated_keys_come_from_the_callers_rng() {
    // The `rsa` crate draws the primes from the caller's RNG under both
    // backends, so a seed gives the same key. The SHA-256 of the public key
    // was recorded with the default backend (rand 0.10's StdRng, rsa 0.10).
    let key = PrivateKey::generate(&mut rand::rngs::StdRng::seed_from_u64(2026), 2048).unwrap();
    assert_eq!(
        hex(&sha2::Sha256::digest(key.spki_der())),
        GENERATED_SPKI_SHA256,
        "{BACKEND}"
    );
    // It signs on this backend, and what it signs verifies.
    let csr = CsrBuilder::new().build(&key, &mut rand::rng()).unwrap();
    assert_eq!(csr.spki_der(), key.spki_der());
    assert_eq!(PushCsr::from_der(csr.der()).unwrap(), csr);
}

const GENERATED_SPKI_SHA256: &str =
    "09c34651f48ae7265094274dcd0a8f96b0c841a35dba6fba7d72b9d98ad5f043";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn prepared_keys_are_shared_across_threads() {
    // AWS-LC's key and parsed public keys live inside these: servers hold
    // one signer and one set of anchors for all their threads.
    fn send_sync<T: Send + Sync>() {}
    send_sync::<PrivateKey>();
    send_sync::<VendorSigner>();
    send_sync::<TrustAnchors>();
    let anchors = TrustAnchors::from_pem(pki!("anchors.pem")).unwrap();
    let cert = mdm_push_cert::PushCertificate::parse(pki!("push_b.pem")).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| anchors.verify(&cert, NOW).unwrap());
        }
    });
}
