//! One criterion group per operation of the workload in BENCHMARKS.md.
//!
//! Run: `MDM_PUSH_CERT_REALWORLD=../shared/realworld cargo bench --bench operations`
//! With the variable set, the real Pitstop files are the workload (as the
//! peers were measured); without it, the committed test PKI stands in.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use mdm_push_cert::{
    EXPIRY_WARNING_WINDOW, Expiry, PrivateKey, PushCertificate, PushCsr, SignedRequest,
    TrustAnchors, VendorSigner,
};
use rand::SeedableRng as _;
use time::OffsetDateTime;

struct Workload {
    name: &'static str,
    pem: Vec<u8>,
    der: Vec<u8>,
    request: Vec<u8>,
    previous: Vec<u8>,
    anchors: TrustAnchors,
    now: OffsetDateTime,
    sweep: Vec<Vec<u8>>,
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn workload() -> Workload {
    let (name, pem, request, previous, anchors, now) =
        match std::env::var_os("MDM_PUSH_CERT_REALWORLD") {
            Some(dir) => {
                let dir = std::path::PathBuf::from(dir);
                let read = |p: &str| std::fs::read(dir.join(p)).unwrap();
                (
                    "real (pitstop_push_2026.pem, Apple's AAI2)",
                    read("push/pitstop_push_2026.pem"),
                    read("signed-requests/pitstop_PushCertificateRequest_2026.plist.b64"),
                    read("push/pitstop_push_2025.pem"),
                    TrustAnchors::apple(),
                    time::macros::datetime!(2026-03-01 12:00 UTC),
                )
            }
            None => (
                "fixtures (push_b.pem, test AAI2)",
                fixture("push_b.pem"),
                fixture("built_by_crate.signedcsr.b64"),
                fixture("push_a.pem"),
                TrustAnchors::from_pem(&fixture("anchors.pem")).unwrap(),
                time::macros::datetime!(2025-12-28 12:00 UTC),
            ),
        };
    let der = PushCertificate::parse(&pem).unwrap().der().to_vec();
    // 10,000 stored certificates: every real or fixture push certificate at
    // hand, each stored as its own allocation.
    let mut distinct = vec![
        der.clone(),
        PushCertificate::parse(&previous).unwrap().der().to_vec(),
    ];
    for f in [
        "push_a.pem",
        "push_b.pem",
        "push_expired.pem",
        "push_2050.pem",
        "push_not_yet_valid.pem",
    ] {
        distinct.push(PushCertificate::parse(&fixture(f)).unwrap().der().to_vec());
    }
    let sweep = (0..10_000)
        .map(|i| distinct[i % distinct.len()].clone())
        .collect();
    eprintln!("workload: {name}");
    Workload {
        name,
        pem,
        der,
        request,
        previous,
        anchors,
        now,
        sweep,
    }
}

fn upload(c: &mut Criterion) {
    let w = workload();
    let _ = w.name;
    let expected = SignedRequest::parse(&w.request)
        .unwrap()
        .verify()
        .unwrap()
        .csr;
    let previous = PushCertificate::parse(&w.previous).unwrap();
    let previous_topic = previous.topic().clone();

    c.bench_function("U0 parse DER", |b| {
        b.iter(|| PushCertificate::parse(black_box(&w.der)).unwrap())
    });
    c.bench_function("U1 parse PEM", |b| {
        b.iter(|| PushCertificate::parse(black_box(&w.pem)).unwrap())
    });

    let u2 = |pem: &[u8]| {
        let cert = PushCertificate::parse(pem).unwrap();
        assert_eq!(cert.spki_der(), expected.spki_der());
        assert_eq!(cert.topic(), &previous_topic);
        cert.expiry(w.now)
    };
    c.bench_function("U2 check without chain", |b| {
        b.iter(|| u2(black_box(&w.pem)))
    });
    c.bench_function("U3 check with signature", |b| {
        b.iter(|| {
            let cert = PushCertificate::parse(black_box(&w.pem)).unwrap();
            w.anchors.verify(&cert, w.now).unwrap();
            assert_eq!(cert.spki_der(), expected.spki_der());
            assert_eq!(cert.topic(), &previous_topic);
            cert.expiry(w.now)
        })
    });
    c.bench_function("SWEEP 10000 certificates", |b| {
        b.iter(|| {
            let mut soon = 0usize;
            for der in &w.sweep {
                let e = Expiry::of_certificate_der(black_box(der), w.now, EXPIRY_WARNING_WINDOW)
                    .unwrap();
                soon += usize::from(matches!(e, Expiry::ExpiringSoon { .. }));
            }
            soon
        })
    });
}

fn signing(c: &mut Criterion) {
    use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Signer as _};
    let key = PrivateKey::parse(&fixture("vendor.key")).unwrap();
    let csr = PushCsr::from_pem(&fixture("customer_b.csr")).unwrap();
    let raw = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.as_rsa().clone());
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    c.bench_function("S0 rsa sign blinded", |b| {
        b.iter(|| {
            raw.try_sign_with_rng(&mut rng, black_box(csr.der()))
                .unwrap()
                .to_vec()
        })
    });
    c.bench_function("S0 rsa sign unblinded", |b| {
        b.iter(|| raw.sign(black_box(csr.der())).to_vec())
    });
    let vendor = VendorSigner::with_chain(
        &fixture("vendor.pem"),
        &key,
        &fixture("vendor_intermediates.pem"),
        time::macros::datetime!(2025-12-28 12:00 UTC),
    )
    .unwrap();
    c.bench_function("S1 vendor sign to signedCSR", |b| {
        b.iter(|| vendor.sign(black_box(&csr), &mut rng).unwrap().to_base64())
    });
    let w = workload();
    c.bench_function("R1 read and verify signedCSR", |b| {
        b.iter(|| {
            SignedRequest::parse(black_box(&w.request))
                .unwrap()
                .verify()
                .unwrap()
        })
    });
}

criterion_group!(benches, upload, signing);
criterion_main!(benches);
