//! The renewal lifecycle, end to end, on the demo PKI shipped with the tool.

use mdm_push_cert::{
    CsrBuilder, Lang, PrivateKey, PushCertificate, SignedRequest, TrustAnchors, UploadCheck,
    VendorSigner,
};
use time::{Duration, OffsetDateTime};

use crate::portal::Portal;
use crate::{Fatal, rfc3339};

const ANCHORS: &[u8] = include_bytes!("../demo/anchors.pem");
const AAI2: &[u8] = include_bytes!("../demo/aai2.pem");
const AAI2_KEY: &[u8] = include_bytes!("../demo/aai2.key");
const VENDOR: &[u8] = include_bytes!("../demo/vendor.pem");
const VENDOR_KEY: &[u8] = include_bytes!("../demo/vendor.key");
const VENDOR_CHAIN: &[u8] = include_bytes!("../demo/vendor_intermediates.pem");
const CUSTOMER_A: &[u8] = include_bytes!("../demo/customer_a.key");
const CUSTOMER_B: &[u8] = include_bytes!("../demo/customer_b.key");
const TOPIC: &str = "com.apple.mgmt.External.2d4f6a8c-1e3b-4d5f-9a7c-0b2d4f6a8c1e";
const NEW_TOPIC: &str = "com.apple.mgmt.External.9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

fn fail(e: impl std::fmt::Display) -> Fatal {
    Fatal(format!("demo: {e}"))
}

fn step(n: u32, title: &str) {
    outln!("\n== {n}. {title}");
}

/// Runs the lifecycle: registration a year before `now`, renewal at `now`,
/// then the three classic mistakes.
pub(crate) fn run(now: OffsetDateTime, lang: Lang) -> Result<(), Fatal> {
    let mut rng = rand::rng();
    let anchors = TrustAnchors::from_pem(ANCHORS).map_err(fail)?;
    let vendor_key = PrivateKey::parse(VENDOR_KEY).map_err(fail)?;
    let mut portal = Portal::new(AAI2, PrivateKey::parse(AAI2_KEY).map_err(fail)?).map_err(fail)?;
    let registered_at = now - Duration::days(350);
    outln!("demo PKI: stand-in Apple CAs, vendor \"Example Vendor\", one customer");
    outln!(
        "renewal happens at {} (registration 350 days earlier)",
        rfc3339(now)
    );

    // --- Year one: first registration --------------------------------------
    step(
        1,
        "first registration: the server makes the customer's key and CSR",
    );
    let key_a = PrivateKey::parse(CUSTOMER_A).map_err(fail)?;
    let csr_a = CsrBuilder::new()
        .common_name("Example School")
        .build(&key_a, &mut rng)
        .map_err(fail)?;
    outln!(
        "CSR subject {}, RSA {} bits",
        csr_a.subject(),
        csr_a.key_bits()
    );

    step(2, "the vendor signs it (the signedCSR file)");
    let vendor = VendorSigner::with_chain(VENDOR, &vendor_key, VENDOR_CHAIN).map_err(fail)?;
    let signed = vendor.sign(&csr_a, registered_at, &mut rng).map_err(fail)?;
    let upload = signed.to_base64();
    let vendor_anchors = TrustAnchors::from_pem(VENDOR_CHAIN).map_err(fail)?;
    let v = SignedRequest::parse(upload.as_bytes())
        .and_then(|r| r.verify_with_anchors(&vendor_anchors, registered_at))
        .map_err(fail)?;
    outln!(
        "signedCSR: {} bytes of base64; signatures and chain verified ({}); chain:",
        upload.len(),
        v.digest
    );
    for s in &v.chain_subjects {
        outln!("  {s}");
    }

    step(
        3,
        "the portal issues the push certificate; the customer uploads it",
    );
    let cert_a = portal.issue(&csr_a, TOPIC, registered_at).map_err(fail)?;
    let current = UploadCheck::new(registered_at)
        .trust_anchors(anchors.clone())
        .expected_csr(&csr_a)
        .check(&cert_a)
        .map_err(|e| fail(e.detail()))?;
    outln!("accepted: topic {}", current.topic());
    outln!(
        "valid {} .. {}",
        rfc3339(current.not_before()),
        rfc3339(current.not_after())
    );

    // --- A year later: renewal ---------------------------------------------
    step(4, "350 days later: the expiry sweep");
    let e = current.expiry(now);
    outln!(
        "status {} ({} days remaining): time to renew",
        e.status(),
        e.days_remaining().unwrap_or_default()
    );

    step(5, "renewal: a new key and CSR, signed by the vendor");
    let key_b = PrivateKey::parse(CUSTOMER_B).map_err(fail)?;
    let csr_b = CsrBuilder::new()
        .common_name("Example School")
        .build(&key_b, &mut rng)
        .map_err(fail)?;
    vendor.sign(&csr_b, now, &mut rng).map_err(fail)?;
    outln!("signedCSR made for the renewal; the server stores the new CSR's key");

    let check = UploadCheck::new(now)
        .trust_anchors(anchors)
        .expected_csr(&csr_b)
        .previous_certificate(&current);

    step(6, "the portal renews (same topic); the customer uploads it");
    let renewed_der = portal.issue(&csr_b, TOPIC, now).map_err(fail)?;
    let renewed = check.check(&renewed_der).map_err(|e| fail(e.detail()))?;
    outln!("accepted: topic {} (unchanged)", renewed.topic());
    outln!(
        "valid until {}; status {}",
        rfc3339(renewed.not_after()),
        renewed.expiry(now).status()
    );

    // --- The classic mistakes ------------------------------------------------
    let mistakes: [(&str, Vec<u8>); 3] = [
        (
            "a certificate made from last year's CSR",
            portal.issue(&csr_a, TOPIC, now).map_err(fail)?,
        ),
        (
            "\"Create\" clicked instead of \"Renew\": a new topic",
            portal.issue(&csr_b, NEW_TOPIC, now).map_err(fail)?,
        ),
        ("an upload cut off in transit", {
            let pem = PushCertificate::from_der(&renewed_der)
                .map_err(fail)?
                .to_pem();
            pem.as_bytes()[..pem.len() / 2].to_vec()
        }),
    ];
    for (i, (what, bytes)) in mistakes.iter().enumerate() {
        step(7 + i as u32, &format!("mistake: {what}"));
        match check.check(bytes) {
            Ok(_) => return Err(fail(format!("{what} was accepted"))),
            Err(e) => {
                outln!("rejected [{}]", e.code());
                outln!("{}", e.message(lang));
                outln!("-> {}", e.remedy(lang).replace('\n', " "));
            }
        }
    }
    outln!("\ndemo complete: 1 renewal accepted, 3 mistakes rejected");
    Ok(())
}
