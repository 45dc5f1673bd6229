//! `verify-request`: a signedCSR file verified as Apple's portal would.

use std::path::{Path, PathBuf};

use mdm_push_cert::{SignedRequest, TrustAnchors};
use serde_json::json;
use time::OffsetDateTime;

use crate::{Fatal, TrustArgs, now_or, parse_time, read, rfc3339};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The signedCSR file (base64 or XML).
    file: PathBuf,
    /// The instant the vendor certificate is judged at (RFC 3339); default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<OffsetDateTime>,
    #[command(flatten)]
    trust: TrustArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

impl Args {
    /// The files the command reads.
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![self.file.as_path()];
        v.extend(self.trust.inputs());
        v
    }
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let file = &args.file;
    let req = SignedRequest::parse(&read(file)?).map_err(|e| Fatal::file(file, e))?;
    let anchors = args.trust.anchors()?;
    Ok(report(&req, &anchors, now_or(args.now), args.json))
}

/// Prints what a signedCSR file's verification found, finding by finding:
/// the signatures, then the vendor certificate's validity and chain.
pub(crate) fn report(
    req: &SignedRequest,
    anchors: &TrustAnchors,
    now: OffsetDateTime,
    as_json: bool,
) -> u8 {
    let signatures = req.verify_signatures_only();
    let full = req.verify_with_anchors(anchors, now);
    let error = full.as_ref().err().map(ToString::to_string);
    if as_json {
        let sig = signatures.as_ref().ok();
        outln!(
            "{}",
            json!({
                "kind": "signed_request",
                "ok": full.is_ok(),
                "signatures_ok": sig.is_some(),
                "digest": sig.map(|s| s.digest.name()),
                "chain": sig.map(|s| s.chain_subjects.clone()),
                "csr_subject": sig.map(|s| s.csr.subject()),
                "csr_key_bits": sig.map(|s| s.csr.key_bits()),
                // Known once the signatures verify, also when the vendor
                // certificate is expired or not trusted.
                "vendor_not_before": sig.map(|s| rfc3339(s.vendor_not_before)),
                "vendor_not_after": sig.map(|s| rfc3339(s.vendor_not_after)),
                "path": full.as_ref().ok().map(|v| v.path.clone()),
                "error": error,
            })
        );
    } else {
        match &signatures {
            Ok(s) => {
                outln!(
                    "request:     {} (RSA {} bits)",
                    s.csr.subject(),
                    s.csr.key_bits()
                );
                outln!("signature:   verified ({})", s.digest);
                for (i, subject) in s.chain_subjects.iter().enumerate() {
                    outln!("chain[{i}]:    {subject}");
                }
            }
            Err(e) => outln!("signature:   NOT verified: {e}"),
        }
        match &full {
            Ok(v) => {
                outln!(
                    "vendor:      valid at {} (until {}), chains to a trusted root",
                    rfc3339(now),
                    rfc3339(v.vendor_not_after)
                );
                for (i, subject) in v.path.iter().enumerate() {
                    let label = if i == 0 { "path (root):" } else { "path:" };
                    outln!("{label:<13}{subject}");
                }
                outln!("result:      verified");
            }
            Err(e) => {
                if signatures.is_ok() {
                    outln!("vendor:      NOT verified: {e}");
                }
                outln!("result:      NOT verified");
            }
        }
    }
    u8::from(full.is_err())
}
