//! Writes what this crate produces for fixed inputs into a fixtures folder,
//! so `tests/fixtures/make_fixtures.sh` can check it with openssl and the
//! tests can prove the crate still produces the same bytes.
//!
//! Run by the fixture script: `cargo run --example write_crate_fixtures -- DIR`

use mdm_push_cert::{CsrBuilder, PrivateKey, VendorSigner};
use rand::SeedableRng as _;
use time::macros::datetime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: DIR")?);
    let key = PrivateKey::parse(&std::fs::read(dir.join("customer_b.key"))?)?;
    // PKCS#1 v1.5 signatures are deterministic; the RNG only blinds the operation.
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let csr = built_csr().build(&key, &mut rng)?;
    std::fs::write(dir.join("built_by_crate.csr"), csr.to_pem())?;
    // The signedCSR file for it, from the test vendor (2025-12-28T12:00:00Z).
    let vendor_key = PrivateKey::parse(&std::fs::read(dir.join("vendor.key"))?)?;
    let vendor = VendorSigner::with_chain(
        &std::fs::read(dir.join("vendor.pem"))?,
        &vendor_key,
        &std::fs::read(dir.join("vendor_intermediates.pem"))?,
    )?;
    let signed = vendor.sign(&csr, datetime!(2025-12-28 12:00 UTC), &mut rng)?;
    std::fs::write(dir.join("built_by_crate.signedcsr.b64"), signed.to_base64())?;
    std::fs::write(dir.join("built_by_crate.signedcsr.plist"), signed.to_xml())?;
    Ok(())
}

/// The subject the tests rebuild: keep in step with tests/request.rs.
fn built_csr() -> CsrBuilder {
    CsrBuilder::new()
        .common_name("Example School")
        .organization("Example School Board")
        .country("JP")
        .email_address("admin@example.org")
}
