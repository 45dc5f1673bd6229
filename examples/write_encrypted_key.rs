//! Writes customer B's key encrypted the way this crate stores keys at rest
//! (PKCS#8, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, password
//! `secret`), for `tests/fixtures/make_keys.sh` to check with openssl.
//!
//! `cargo run --example write_encrypted_key -- OUT_DIR`

use rand::SeedableRng as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: write_encrypted_key OUT_DIR")?;
    let pki = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki");
    let key = mdm_push_cert::PrivateKey::parse(&std::fs::read(format!("{pki}/customer_b.key"))?)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let pem = key.to_encrypted_pkcs8_pem(b"secret", &mut rng)?;
    std::fs::write(format!("{out}/written_by_crate.key"), pem)?;
    Ok(())
}
