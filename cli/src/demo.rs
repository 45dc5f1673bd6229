//! `demo`: the renewal lifecycle, end to end, on the library's stand-in
//! Apple (its feature `testing`). Only in a build with the tool's `demo`
//! feature: a production build carries no stand-in Apple.

use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::{CsrBuilder, Lang, SignedRequest, UploadCheck};
use time::{Duration, OffsetDateTime};

use crate::{Fatal, LangArg, lang_or, now_or, parse_time, rfc3339};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The instant the demo renewal happens (RFC 3339); default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<OffsetDateTime>,
    /// Language of the messages; default: from the locale (LC_ALL, LC_MESSAGES, LANG).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    lifecycle(now_or(args.now), lang_or(args.lang)).map(|()| 0)
}

/// The stand-in Apple's seed: the demo's CAs, vendor and customer keys are
/// the same on every run.
const SEED: u64 = 2026;

fn fail(e: impl std::fmt::Display) -> Fatal {
    Fatal(format!("demo: {e}"))
}

fn step(n: u32, title: &str) {
    outln!("\n== {n}. {title}");
}

/// Runs the lifecycle: registration a year before `now`, renewal at `now`,
/// then the three classic mistakes.
fn lifecycle(now: OffsetDateTime, lang: Lang) -> Result<(), Fatal> {
    let mut rng = rand::rng();
    let apple = StandInApple::try_new(SEED).map_err(fail)?;
    let anchors = apple.anchors();
    let registered_at = now - Duration::days(350);
    outln!(
        "demo PKI: the library's stand-in Apple (seed {SEED}), vendor \"Example Vendor Inc.\", one customer"
    );
    outln!(
        "renewal happens at {} (registration 350 days earlier)",
        rfc3339(now)
    );

    // --- Year one: first registration --------------------------------------
    step(
        1,
        "first registration: the server makes the customer's key and CSR",
    );
    let key_a = apple.customer_key(1).map_err(fail)?;
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
    // One signer for the server's lifetime: validity is judged at each signature.
    let vendor = apple.vendor_signer(registered_at).map_err(fail)?;
    let signed = vendor.sign(&csr_a, registered_at, &mut rng).map_err(fail)?;
    let upload = signed.to_base64();
    let v = SignedRequest::parse(upload.as_bytes())
        .and_then(|r| r.verify_with_anchors(&anchors, registered_at))
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
    let cert_a = apple
        .first_registration(&csr_a, registered_at)
        .map_err(fail)?;
    let current = UploadCheck::new(registered_at)
        .trust_anchors(anchors.clone())
        .expected_csr(&csr_a)
        .check(cert_a.der())
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
    let key_b = apple.customer_key(2).map_err(fail)?;
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
    let renewed_cert = apple.renewal(&current, &csr_b, now).map_err(fail)?;
    let renewed = check
        .check(renewed_cert.der())
        .map_err(|e| fail(e.detail()))?;
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
            apple
                .renewal(&current, &csr_a, now)
                .map_err(fail)?
                .der()
                .to_vec(),
        ),
        (
            "\"Create\" clicked instead of \"Renew\": a new topic",
            apple
                .created_instead_of_renewed(&current, &csr_b, now)
                .map_err(fail)?
                .der()
                .to_vec(),
        ),
        ("an upload cut off in transit", {
            let pem = renewed_cert.to_pem();
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
