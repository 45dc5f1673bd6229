//! `inspect`: a push certificate, a `.p12` push identity or a signedCSR file;
//! with `--checkend`, whether a certificate is still valid then.

use std::path::{Path, PathBuf};

use mdm_push_cert::{PUSH_MARKER_OID, PushCertificate, PushIdentity, SignedRequest, TrustAnchors};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::checkend::{self, Judged};
use crate::{
    Fatal, PASSWORD_OPTIONS, PasswordArgs, TrustArgs, now_or, parse_time, read, rfc3339,
    verify_request,
};

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
    /// Say only whether the certificate is still valid SECONDS after --now:
    /// exit 0 if so, 1 if it will have expired by then, has expired or is
    /// not yet valid. Any certificate (a vendor certificate too) and a
    /// signedCSR file's vendor certificate.
    #[arg(long, value_name = "SECONDS", conflicts_with_all = ["anchors", "intermediates"])]
    checkend: Option<u64>,
}

impl Args {
    /// The files the command reads.
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![self.file.as_path()];
        v.extend(self.password.inputs());
        v.extend(self.trust.inputs());
        v
    }
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    if let Some(seconds) = args.checkend {
        let judged = judged(&args.file, &args.password)?;
        return Ok(checkend::report(
            &judged,
            now_or(args.now),
            seconds,
            args.json,
        ));
    }
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
        return Err(pkcs12_needs_password(path));
    }
    match SignedRequest::parse(&bytes) {
        Ok(req) => Ok(verify_request::report(&req, anchors, now, as_json)),
        Err(_) => Err(Fatal::file(path, cert_err)),
    }
}

fn pkcs12_needs_password(path: &Path) -> Fatal {
    Fatal::file(
        path,
        format!("a PKCS#12 (.p12) file: give its password with {PASSWORD_OPTIONS}"),
    )
}

/// The certificate `--checkend` judges: a push certificate (alone or a
/// `.p12` push identity's), a signedCSR file's vendor certificate, or any
/// other certificate (a vendor certificate).
fn judged(path: &Path, password: &PasswordArgs) -> Result<Judged, Fatal> {
    let bytes = read(path)?;
    let cert_err = match PushCertificate::parse(&bytes) {
        Ok(c) => return Ok(Judged::push(&c, false)),
        Err(e) => e,
    };
    if PushIdentity::is_pkcs12(&bytes) {
        let pass = password.get()?.ok_or_else(|| pkcs12_needs_password(path))?;
        let identity =
            PushIdentity::from_pkcs12(&bytes, &pass).map_err(|e| Fatal::file(path, e))?;
        return Ok(Judged::push(identity.certificate(), true));
    }
    if let Ok(req) = SignedRequest::parse(&bytes) {
        return req
            .chain_der()
            .first()
            .and_then(|der| Judged::other(der, true))
            .ok_or_else(|| {
                Fatal::file(
                    path,
                    "the signedCSR file's vendor certificate cannot be read",
                )
            });
    }
    Judged::other(&bytes, false).ok_or_else(|| Fatal::file(path, cert_err))
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
        // The library's summary as it serializes, then the tool's own keys.
        let mut object = match serde_json::to_value(c.summary(now)) {
            Ok(Value::Object(fields)) => fields,
            _ => serde_json::Map::new(),
        };
        let extra = json!({
            "kind": kind.as_str(),
            "key_bits": c.key_bits(),
            "push_marker": c.has_push_marker(),
            "path": path.as_ref().ok(),
            "path_error": path.as_ref().err().map(ToString::to_string),
        });
        if let Value::Object(extra) = extra {
            object.extend(extra);
        }
        outln!("{}", Value::Object(object));
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
