//! Judges uploads against the committed test PKI, as an MDM server would:
//! the renewal is accepted, and the classic mistakes are refused with the
//! documented message.
//!
//! Run: `cargo run --example upload_check`

use mdm_push_cert::{Lang, PushCertificate, TrustAnchors, UploadCheck};
use time::macros::datetime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pki/");
    let read = |name: &str| std::fs::read(format!("{dir}{name}"));
    // The instant of the check is a parameter: pinned here so the output is stable.
    let now = datetime!(2025-12-28 12:00 UTC);
    let current = PushCertificate::parse(&read("push_a.pem")?)?;
    println!(
        "current certificate: {} ({}, ends {})",
        current.topic(),
        current.expiry(now).status(),
        current.not_after()
    );
    let check = UploadCheck::new(now)
        .trust_anchors(TrustAnchors::from_pem(&read("anchors.pem")?)?)
        .expected_public_key(&read("customer_b.spki.der")?)
        .previous_certificate(&current);
    for (what, file) in [
        ("the renewal", "push_b.pem"),
        (
            "a certificate made from last year's request",
            "push_old_key.pem",
        ),
        (
            "a certificate created instead of renewed",
            "push_new_topic.pem",
        ),
        ("a truncated upload", "truncated_no_end.pem"),
        ("the CA certificate", "aai2.pem"),
    ] {
        match check.check(&read(file)?) {
            Ok(cert) => println!(
                "\n{what}: accepted, topic {}, valid until {} ({})",
                cert.topic(),
                cert.not_after(),
                cert.expiry(now).status()
            ),
            Err(e) => println!(
                "\n{what}: refused [{}] ({})\n{}\n{}",
                e.code(),
                e.detail(),
                e.message(Lang::Ja),
                e.message(Lang::En)
            ),
        }
    }
    Ok(())
}
