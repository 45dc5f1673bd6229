//! Writes customer B's push identity (`push_b.pem` with `customer_b.key`) as
//! PKCS#12 in both profiles, password `secret`, for
//! `tests/fixtures/make_identity.sh` to check with openssl.
//!
//! `cargo run --example write_identity -- OUT_DIR`

use mdm_push_cert::{Pkcs12Profile, PrivateKey, PushCertificate, PushIdentity};
use rand::SeedableRng as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: write_identity OUT_DIR")?;
    let pki = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki");
    let cert = PushCertificate::parse(&std::fs::read(format!("{pki}/push_b.pem"))?)?;
    let key = PrivateKey::parse(&std::fs::read(format!("{pki}/customer_b.key"))?)?;
    let identity = PushIdentity::new(cert, key)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(12);
    for (name, profile) in [
        ("modern", Pkcs12Profile::Modern),
        ("legacy", Pkcs12Profile::Legacy),
    ] {
        let p12 = identity.to_pkcs12("secret", profile, &mut rng)?;
        std::fs::write(format!("{out}/written_by_crate_{name}.p12"), p12)?;
    }
    Ok(())
}
