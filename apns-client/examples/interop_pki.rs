//! Writes the files a server that is not ours needs to stand in for APNs in
//! the interop test (`interop/run.sh`): a push identity from the library's
//! stand-in Apple (`push.pem`, `push.key`, `topic`), the CAs its certificate
//! chains to as PEM (`push-ca.pem`: the push CA, then the root), and a
//! self-signed server certificate for 127.0.0.1 (`server.pem`, `server.key`)
//! that the client is told to trust.
//!
//! ```text
//! cargo run -p mdm-push-cert-apns --features testing --example interop_pki -- DIR
//! ```

use std::time::SystemTime;

use mdm_push_cert::PushIdentity;
use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::{Duration, OffsetDateTime};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: interop_pki DIR")?);
    std::fs::create_dir_all(&dir)?;

    let apple = StandInApple::new(31);
    let key = apple.customer_key(1)?;
    let now = OffsetDateTime::from(SystemTime::now()) - Duration::hours(1);
    let identity = PushIdentity::new(apple.first_registration(&key, now)?, key)?;
    std::fs::write(dir.join("push.pem"), identity.certificate().to_pem())?;
    std::fs::write(
        dir.join("push.key"),
        identity.key().to_pkcs8_pem()?.as_bytes(),
    )?;
    std::fs::write(dir.join("topic"), identity.topic().as_str())?;

    let mut cas = pem("CERTIFICATE", apple.push_ca_der());
    cas.push_str(&pem("CERTIFICATE", apple.root_der()));
    std::fs::write(dir.join("push-ca.pem"), cas)?;

    let server = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])?;
    std::fs::write(dir.join("server.pem"), server.cert.pem())?;
    std::fs::write(dir.join("server.key"), server.signing_key.serialize_pem())?;
    eprintln!("interop PKI written to {}", dir.display());
    Ok(())
}

/// `der` as a PEM block labelled `label` (base64, 64 characters a line).
fn pem(label: &str, der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = Vec::with_capacity(der.len().div_ceil(3) * 4);
    for group in der.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                b64.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]);
            } else {
                b64.push(b'=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
