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
    request_anchors: TrustAnchors,
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
    let (name, pem, request, previous, anchors, request_anchors, now) =
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
                TrustAnchors::from_pem(&fixture("vendor_intermediates.pem")).unwrap(),
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
        request_anchors,
        now,
        sweep,
    }
}

fn upload(c: &mut Criterion) {
    let w = workload();
    let _ = w.name;
    let expected = SignedRequest::parse(&w.request)
        .unwrap()
        .verify_signatures_only()
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

/// S0, default backend: the `rsa` crate's signer, as `PrivateKey` holds it.
#[cfg(not(any(feature = "aws-lc-rs", feature = "fips")))]
fn bare_signature(c: &mut Criterion, key: &PrivateKey, message: &[u8]) {
    use rsa::pkcs8::DecodePrivateKey as _;
    use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _, Signer as _};
    let rsa_key = rsa::PrivateKey::from_pkcs8_der(&key.to_pkcs8_der().unwrap()).unwrap();
    let raw = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(rsa_key);
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    c.bench_function("S0 rsa sign blinded", |b| {
        b.iter(|| {
            raw.try_sign_with_rng(&mut rng, black_box(message))
                .unwrap()
                .to_vec()
        })
    });
    c.bench_function("S0 rsa sign unblinded", |b| {
        b.iter(|| raw.sign(black_box(message)).to_vec())
    });
}

/// S0, AWS-LC backend: AWS-LC's key pair, as `PrivateKey` holds it.
#[cfg(any(feature = "aws-lc-rs", feature = "fips"))]
fn bare_signature(c: &mut Criterion, key: &PrivateKey, message: &[u8]) {
    let pair = aws_lc_rs::rsa::KeyPair::from_pkcs8(&key.to_pkcs8_der().unwrap()).unwrap();
    let unused = aws_lc_rs::rand::SystemRandom::new();
    c.bench_function("S0 aws-lc sign", |b| {
        b.iter(|| {
            let mut sig = vec![0; pair.public_modulus_len()];
            pair.sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &unused,
                black_box(message),
                &mut sig,
            )
            .unwrap();
            sig
        })
    });
}

fn signing(c: &mut Criterion) {
    let key = PrivateKey::parse(&fixture("vendor.key")).unwrap();
    let csr = PushCsr::parse(&fixture("customer_b.csr")).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    bare_signature(c, &key, csr.der());
    let vendor = VendorSigner::with_chain(
        &fixture("vendor.pem"),
        &key,
        &fixture("vendor_intermediates.pem"),
    )
    .unwrap();
    let now = time::macros::datetime!(2025-12-28 12:00 UTC);
    c.bench_function("S1 vendor sign to signedCSR", |b| {
        b.iter(|| {
            vendor
                .sign(black_box(&csr), now, &mut rng)
                .unwrap()
                .to_base64()
        })
    });
    let w = workload();
    c.bench_function("R1 read and verify signedCSR", |b| {
        b.iter(|| {
            SignedRequest::parse(black_box(&w.request))
                .unwrap()
                .verify_with_anchors(&w.request_anchors, w.now)
                .unwrap()
        })
    });
}

/// Worst cases near the input limit: the time to refuse or read 256 KiB.
fn limits(c: &mut Criterion) {
    let max = mdm_push_cert::MAX_INPUT_LEN;
    let fill = |unit: &[u8]| -> Vec<u8> { unit.iter().copied().cycle().take(max).collect() };
    let pem = fixture("push_b.pem");
    let chain = fixture("push_b_chain.pem");
    let mut same_cert = Vec::new();
    while same_cert.len() + pem.len() <= max {
        same_cert.extend_from_slice(&pem);
    }
    let mut ca_chain = Vec::new();
    let aai2 = fixture("aai2.pem");
    while ca_chain.len() + aai2.len() <= max {
        ca_chain.extend_from_slice(&aai2);
    }
    let sixteen: Vec<u8> =
        std::iter::repeat_n(pem.as_slice(), mdm_push_cert::MAX_CERTIFICATES_PER_FILE)
            .flatten()
            .copied()
            .collect();
    let mut big_block = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    big_block.extend(std::iter::repeat_n(b'A', max - 60));
    big_block.extend_from_slice(b"\n-----END CERTIFICATE-----\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "begin lines without end",
            fill(b"-----BEGIN CERTIFICATE-----\n"),
        ),
        (
            "many tiny other blocks",
            fill(b"-----BEGIN X-----\nAAAA\n-----END X-----\n"),
        ),
        ("the same certificate 100 times", same_cert),
        ("CA certificates only", ca_chain),
        ("16 certificates, the most read", sixteen),
        ("one 256 KiB base64 block", big_block),
        ("zero bytes", vec![0; max]),
        ("0x30 bytes", vec![0x30; max]),
        ("white space", vec![b' '; max]),
        ("a chain file", chain),
    ];
    let mut g = c.benchmark_group("LIMITS");
    for (name, data) in &cases {
        g.bench_function(*name, |b| {
            b.iter(|| PushCertificate::parse(black_box(data)))
        });
    }
    // The worst path search: an upload of the push certificate and 15
    // look-alike P-384 CAs that all carry its issuer's name and sign each
    // other (tests/fixtures/make_rotation.sh), read and checked end to end;
    // the search stops at its signature budget.
    let rotation = |name: &str| {
        std::fs::read(format!(
            "{}/tests/fixtures/rotation/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let lookalikes = rotation("push_lookalikes.pem");
    let next_root = TrustAnchors::from_pem(&rotation("next_root.pem")).unwrap();
    let later = time::macros::datetime!(2027-07-01 0:00 UTC);
    let check = mdm_push_cert::UploadCheck::new(later).trust_anchors(next_root.clone());
    assert!(check.check(&lookalikes).is_err());
    g.bench_function("path search: 15 look-alike CAs in the upload", |b| {
        b.iter(|| check.check(black_box(&lookalikes)))
    });
    // The rotation's good path for comparison: P-384 root, P-256 AAI carried
    // in the upload, RSA push certificate.
    let carried = rotation("push_next_with_intermediate.pem");
    assert!(check.check(&carried).is_ok());
    g.bench_function(
        "path search: P-256 intermediate carried in the upload",
        |b| b.iter(|| check.check(black_box(&carried))),
    );
    // The longest chain a signedCSR may hold, every link verified, and a
    // 250 KiB one, refused by count before any signature is checked.
    let req = SignedRequest::parse(&fixture("built_by_crate.signedcsr.b64")).unwrap();
    let with_chain = |n: usize| {
        let mut chain = req.chain_der().to_vec();
        while chain.len() < n {
            chain.push(chain[0].clone());
        }
        SignedRequest::from_parts(req.csr_der().to_vec(), chain, req.signature().to_vec()).to_xml()
    };
    let anchors = TrustAnchors::from_pem(&fixture("vendor_intermediates.pem")).unwrap();
    let now = time::macros::datetime!(2025-12-28 12:00 UTC);
    let longest = with_chain(mdm_push_cert::MAX_CHAIN_LEN);
    assert!(
        SignedRequest::parse(longest.as_bytes())
            .unwrap()
            .verify_with_anchors(&anchors, now)
            .is_ok()
    );
    let too_long = with_chain(170);
    assert!(too_long.len() < max);
    g.bench_function("signedCSR with the longest chain accepted", |b| {
        b.iter(|| {
            SignedRequest::parse(black_box(longest.as_bytes()))
                .map(|r| r.verify_with_anchors(&anchors, now))
        })
    });
    g.bench_function("signedCSR with 170 chain certificates", |b| {
        b.iter(|| {
            SignedRequest::parse(black_box(too_long.as_bytes()))
                .map(|r| r.verify_with_anchors(&anchors, now))
        })
    });
    g.finish();
}

/// After the upload: the push identity into and out of PKCS#12 and encrypted
/// PKCS#8. The key derivation (PKCS#12 KDF, PBKDF2) is most of each.
fn identity(c: &mut Criterion) {
    use mdm_push_cert::{Pkcs12Profile, PushIdentity};
    let cert = PushCertificate::parse(&fixture("push_b.pem")).unwrap();
    let key = PrivateKey::parse(&fixture("customer_b.key")).unwrap();
    let identity = PushIdentity::new(cert, key.clone()).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let mut g = c.benchmark_group("IDENTITY");
    g.sample_size(20);
    for (name, profile) in [
        ("modern", Pkcs12Profile::Modern),
        ("legacy", Pkcs12Profile::Legacy),
    ] {
        let p12 = identity.to_pkcs12("secret", profile, &mut rng).unwrap();
        g.bench_function(format!("P0 PKCS#12 import, {name}"), |b| {
            b.iter(|| PushIdentity::from_pkcs12(black_box(&p12), "secret").unwrap())
        });
        g.bench_function(format!("P1 PKCS#12 export, {name}"), |b| {
            b.iter(|| identity.to_pkcs12("secret", profile, &mut rng).unwrap())
        });
    }
    let pem = identity
        .to_pem_bundle(mdm_push_cert::KeyFormat::Pkcs8)
        .unwrap();
    g.bench_function("P2 PEM bundle read", |b| {
        b.iter(|| PushIdentity::from_pem_bundle(black_box(pem.as_bytes())).unwrap())
    });
    let encrypted = key.to_encrypted_pkcs8_der(b"secret", &mut rng).unwrap();
    g.bench_function(
        "K0 encrypted PKCS#8 read (PBKDF2, 600,000 iterations)",
        |b| b.iter(|| PrivateKey::parse_with_password(black_box(&encrypted), b"secret").unwrap()),
    );
    g.bench_function("K1 encrypted PKCS#8 write", |b| {
        b.iter(|| key.to_encrypted_pkcs8_der(b"secret", &mut rng).unwrap())
    });
    g.finish();
}

criterion_group!(benches, upload, signing, limits, identity);
criterion_main!(benches);
