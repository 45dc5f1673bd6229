//! Runs one operation of the benchmark workload N times, for profilers
//! (callgrind, perf) and for measuring the sweep's peak memory:
//!
//!   cargo build --release --example hot_paths
//!   valgrind --tool=callgrind target/release/examples/hot_paths u0 2000
//!   /usr/bin/time -v target/release/examples/hot_paths sweep 1
//!
//! Operations: u0 (parse DER), u1 (parse PEM), u3 (parse PEM and verify the
//! signature), sweep (expiry of 10,000 stored DER certificates), sign, r1.
//! Uses the committed fixtures.

use mdm_push_cert::{
    EXPIRY_WARNING_WINDOW, Expiry, PrivateKey, PushCertificate, PushCsr, SignedRequest,
    TrustAnchors, VendorSigner,
};
use rand::SeedableRng as _;
use time::macros::datetime;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let op = args.next().unwrap_or_else(|| "u0".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let now = datetime!(2025-12-28 12:00 UTC);
    let pem = fixture("push_b.pem");
    let der = fixture("push_b.der");
    let mut sink = 0usize;
    match op.as_str() {
        "u0" => {
            (0..n).for_each(|_| sink += PushCertificate::parse(&der).expect("parse").der().len())
        }
        "u1" => {
            (0..n).for_each(|_| sink += PushCertificate::parse(&pem).expect("parse").der().len())
        }
        "u3" => {
            let anchors = TrustAnchors::from_pem(&fixture("anchors.pem")).expect("anchors");
            for _ in 0..n {
                let c = PushCertificate::parse(&pem).expect("parse");
                anchors.verify(&c, now).expect("verify");
                sink += c.der().len();
            }
        }
        "sweep" => {
            let certs: Vec<Vec<u8>> = (0..10_000).map(|_| der.clone()).collect();
            for _ in 0..n {
                for c in &certs {
                    let e =
                        Expiry::of_certificate_der(c, now, EXPIRY_WARNING_WINDOW).expect("expiry");
                    sink += usize::from(e.is_usable());
                }
            }
        }
        "sign" => {
            let key = PrivateKey::parse(&fixture("vendor.key")).expect("key");
            let vendor = VendorSigner::with_chain(
                &fixture("vendor.pem"),
                &key,
                &fixture("vendor_intermediates.pem"),
            )
            .expect("vendor");
            let csr = PushCsr::parse(&fixture("customer_b.csr")).expect("csr");
            let mut rng = rand::rngs::StdRng::seed_from_u64(1);
            (0..n).for_each(|_| {
                sink += vendor
                    .sign(&csr, now, &mut rng)
                    .expect("sign")
                    .to_base64()
                    .len()
            });
        }
        "r1" => {
            let b64 = fixture("built_by_crate.signedcsr.b64");
            let anchors =
                TrustAnchors::from_pem(&fixture("vendor_intermediates.pem")).expect("anchors");
            (0..n).for_each(|_| {
                sink += SignedRequest::parse(&b64)
                    .expect("parse")
                    .verify_with_anchors(&anchors, now)
                    .expect("verify")
                    .chain_subjects
                    .len()
            });
        }
        other => {
            eprintln!("unknown operation {other}");
            std::process::exit(2);
        }
    }
    println!("{op} x{n}: {sink}");
}
