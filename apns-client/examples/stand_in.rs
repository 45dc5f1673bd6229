//! Runs the stand-in APNs on 127.0.0.1 for tools that are not Rust (curl,
//! Go's net/http, Python's httpx): writes into DIR the push identity it
//! accepts (`push.pem`, `push.key`), the server root (`apns-ca.pem`) and its
//! URL (`url`), registers `tokens` device tokens for the identity's topic
//! (`tokens.txt`, one hex token per line), then serves until killed.
//!
//! ```text
//! cargo run -p mdm-push-cert-apns --features testing --release --example stand_in -- DIR [TOKENS]
//! ```

use std::time::SystemTime;

use mdm_push_cert::apns::DeviceToken;
use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::{Duration, OffsetDateTime};
use mdm_push_cert::{KeyFormat, PushIdentity};
use mdm_push_cert_apns::stand_in::StandInApns;

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: stand_in DIR [TOKENS]")?);
    let tokens: usize = args.next().map_or(Ok(1000), |n| n.parse())?;
    std::fs::create_dir_all(&dir)?;

    let apple = StandInApple::new(31);
    let key = apple.customer_key(1)?;
    let now = OffsetDateTime::from(SystemTime::now()) - Duration::hours(1);
    let identity = PushIdentity::new(apple.first_registration(&key, now)?, key)?;
    let apns = StandInApns::start(&apple).await?;

    std::fs::write(dir.join("push.pem"), identity.certificate().to_pem())?;
    std::fs::write(
        dir.join("push.key"),
        identity.key().to_pkcs8_pem()?.as_bytes(),
    )?;
    std::fs::write(
        dir.join("push-bundle.pem"),
        identity.to_pem_bundle(KeyFormat::Pkcs8)?.as_bytes(),
    )?;
    std::fs::write(dir.join("topic"), identity.topic().as_str())?;
    std::fs::write(dir.join("apns-ca.pem"), apns.server_root_pem())?;
    let mut list = String::new();
    for i in 0..tokens {
        let mut bytes = [0x5a; 32];
        bytes[..8].copy_from_slice(&(i as u64 + 1).to_be_bytes());
        let token = DeviceToken::from_bytes(&bytes)?;
        apns.register(&token, identity.topic());
        list.push_str(token.as_hex());
        list.push('\n');
    }
    std::fs::write(dir.join("tokens.txt"), list)?;
    // Written last: a script waits for it.
    std::fs::write(dir.join("url"), apns.url())?;
    eprintln!("stand-in APNs at {} ({} tokens)", apns.url(), tokens);
    std::future::pending::<()>().await;
    Ok(())
}
