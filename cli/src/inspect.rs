//! `inspect`: a push certificate, a `.p12` push identity or a signedCSR file.

use std::path::{Path, PathBuf};

use mdm_push_cert::{PUSH_MARKER_OID, PushCertificate, PushIdentity, SignedRequest, TrustAnchors};
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
        print_certificate(
            identity.certificate(),
            Kind::Identity,
            anchors,
            now,
            as_json,
        );
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
            print_certificate(&c, Kind::Certificate, anchors, now, as_json);
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

/// What the file held: the `kind` of the JSON object.
#[derive(Clone, Copy)]
enum Kind {
    /// A push certificate alone.
    Certificate,
    /// A PKCS#12 push identity: the certificate and its private key.
    Identity,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Certificate => "push_certificate",
            Self::Identity => "push_identity",
        }
    }
}

fn print_certificate(
    c: &PushCertificate,
    kind: Kind,
    anchors: &TrustAnchors,
    now: OffsetDateTime,
    as_json: bool,
) {
    let expiry = c.expiry(now);
    // The certification path at `now`, root first, or why there is none.
    let path = anchors.path_to(c, now);
    if as_json {
        outln!(
            "{}",
            json!({
                "kind": kind.as_str(),
                "topic": c.topic().as_str(),
                "subject": c.subject(),
                "issuer": c.issuer(),
                "serial": c.serial_hex(),
                "not_before": rfc3339(c.not_before()),
                "not_after": rfc3339(c.not_after()),
                "status": expiry.status(),
                "days_remaining": expiry.days_remaining(),
                "key_bits": c.key_bits(),
                "sha256": c.sha256_fingerprint_hex(),
                "push_marker": c.has_push_marker(),
                "path": path.as_ref().ok(),
                "path_error": path.as_ref().err().map(ToString::to_string),
            })
        );
        return;
    }
    outln!("topic:          {}", c.topic());
    outln!("subject:        {}", c.subject());
    outln!("issuer:         {}", c.issuer());
    outln!("serial:         {}", colon_hex(c.serial()));
    outln!("not before:     {}", rfc3339(c.not_before()));
    outln!("not after:      {}", rfc3339(c.not_after()));
    match expiry.days_remaining() {
        Some(days) => outln!(
            "status:         {} ({days} days remaining)",
            expiry.status()
        ),
        None => outln!("status:         {}", expiry.status()),
    }
    outln!("key:            RSA {} bits", c.key_bits());
    outln!("sha256:         {}", colon_hex(&c.sha256_fingerprint()));
    if c.has_push_marker() {
        outln!("push marker:    yes ({PUSH_MARKER_OID})");
    } else {
        outln!("push marker:    no");
    }
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

/// Upper-case hex separated by colons, as OpenSSL prints serials and
/// fingerprints: the human form (`--json` has the library's lower-case hex).
fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}
