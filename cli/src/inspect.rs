//! `inspect`: a push certificate, a `.p12` push identity or a signedCSR file.

use std::path::{Path, PathBuf};

use mdm_push_cert::{PushCertificate, PushIdentity, SignedRequest, TrustAnchors};
use serde_json::json;
use time::OffsetDateTime;

use crate::{Fatal, PasswordArgs, TrustArgs, now_or, parse_time, read, rfc3339, verify_request};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The file to read: a push certificate, a signedCSR file, or a PKCS#12 (.p12) push identity.
    file: PathBuf,
    #[command(flatten)]
    password: PasswordArgs,
    /// The instant to judge expiry, or a signedCSR's vendor certificate, at (RFC 3339); default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<OffsetDateTime>,
    #[command(flatten)]
    trust: TrustArgs,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let anchors = args.trust.anchors()?;
    inspect(
        &args.file,
        &args.password,
        &anchors,
        now_or(args.now),
        args.json,
    )
}

fn inspect(
    path: &Path,
    password: &PasswordArgs,
    anchors: &TrustAnchors,
    now: OffsetDateTime,
    as_json: bool,
) -> Result<u8, Fatal> {
    let bytes = read(path)?;
    if let Some(pass) = password.get()?
        && PushCertificate::parse(&bytes).is_err()
    {
        // A .p12 push identity: its certificate, and the key it holds.
        let identity =
            PushIdentity::from_pkcs12(&bytes, &pass).map_err(|e| Fatal::file(path, e))?;
        print_certificate(identity.certificate(), anchors, now, as_json);
        if !as_json {
            outln!(
                "private key:    RSA {} bits, the certificate's (PKCS#12)",
                identity.key().key_bits()
            );
        }
        return Ok(0);
    }
    let cert_err = match PushCertificate::parse(&bytes) {
        Ok(c) => {
            print_certificate(&c, anchors, now, as_json);
            return Ok(0);
        }
        Err(e) => e,
    };
    if PushIdentity::is_pkcs12(&bytes) {
        return Err(Fatal::file(
            path,
            "a PKCS#12 (.p12) file: give its password with --password-file FILE or --password-env VAR",
        ));
    }
    match SignedRequest::parse(&bytes) {
        Ok(req) => Ok(verify_request::report(&req, anchors, now, as_json)),
        Err(_) => Err(Fatal::file(path, cert_err)),
    }
}

fn print_certificate(
    c: &PushCertificate,
    anchors: &TrustAnchors,
    now: OffsetDateTime,
    as_json: bool,
) {
    let e = c.expiry(now);
    let days = (c.not_after() - now).whole_days();
    // The certification path at `now`, root first, or why there is none.
    let path = anchors.path_to(c, now);
    if as_json {
        outln!(
            "{}",
            json!({
                "kind": "push_certificate",
                "topic": c.topic().as_str(),
                "subject": c.subject(),
                "issuer": c.issuer(),
                "serial": c.serial_hex(),
                "not_before": rfc3339(c.not_before()),
                "not_after": rfc3339(c.not_after()),
                "status": e.status(),
                "days_remaining": days,
                "key_bits": c.key_bits(),
                "sha256": c.sha256_fingerprint_hex(),
                "push_marker": c.has_push_marker(),
                "path": path.as_ref().ok(),
                "path_error": path.as_ref().err().map(ToString::to_string),
            })
        );
    } else {
        outln!("topic:          {}", c.topic());
        outln!("subject:        {}", c.subject());
        outln!("issuer:         {}", c.issuer());
        outln!("serial:         {}", c.serial_hex());
        outln!("not before:     {}", rfc3339(c.not_before()));
        outln!("not after:      {}", rfc3339(c.not_after()));
        outln!("status:         {} ({days} days remaining)", e.status());
        outln!("key:            RSA {} bits", c.key_bits());
        outln!("sha256:         {}", c.sha256_fingerprint_hex());
        outln!(
            "push marker:    {}",
            if c.has_push_marker() {
                "yes (1.2.840.113635.100.6.3.2)"
            } else {
                "no"
            }
        );
        match &path {
            Ok(subjects) => {
                for (i, s) in subjects.iter().enumerate() {
                    let label = if i == 0 { "path (root):" } else { "path:" };
                    outln!("{label:<16}{s}");
                }
                outln!("{:<16}{}", "path:", c.subject());
            }
            Err(e) => outln!("path:           none: {e}"),
        }
    }
}
