//! `inspect --checkend SECONDS`: whether a certificate is still valid
//! SECONDS from now, as an exit code for cron and monitoring (as
//! `openssl x509 -checkend`, which it agrees with on every certificate that
//! has begun).
//!
//! Exit 0 when the certificate is valid now and still valid SECONDS from
//! now; 1 when it will have expired by then, has already expired, or is
//! not yet valid (a certificate that cannot be used now is an alarm too;
//! openssl looks at the end only).

use der::{Decode as _, DecodePem as _};
use mdm_push_cert::{EXPIRY_WARNING_WINDOW, Expiry, PushCertificate, VENDOR_MARKER_OID};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::rfc3339;

/// The certificate judged: a push certificate, or any other (a vendor
/// certificate, alone or from a signedCSR file).
pub(crate) struct Judged {
    /// What the file held, the JSON's `kind`.
    kind: Kind,
    topic: Option<String>,
    subject: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// A push certificate alone.
    PushCertificate,
    /// A PKCS#12 push identity's certificate.
    PushIdentity,
    /// An MDM vendor certificate (it carries the vendor marker), alone or
    /// the one a signedCSR file was signed with.
    VendorCertificate,
    /// Any other certificate.
    Certificate,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::PushCertificate => "push_certificate",
            Self::PushIdentity => "push_identity",
            Self::VendorCertificate => "vendor_certificate",
            Self::Certificate => "certificate",
        }
    }

    /// How the line names it.
    fn words(self) -> &'static str {
        match self {
            Self::PushCertificate => "push certificate",
            Self::PushIdentity => "push identity's certificate",
            Self::VendorCertificate => "vendor certificate",
            Self::Certificate => "certificate",
        }
    }
}

impl Judged {
    /// A push certificate, alone or a push identity's.
    pub(crate) fn push(c: &PushCertificate, identity: bool) -> Self {
        Self {
            kind: if identity {
                Kind::PushIdentity
            } else {
                Kind::PushCertificate
            },
            topic: Some(c.topic().as_str().to_owned()),
            subject: c.subject().to_owned(),
            not_before: c.not_before(),
            not_after: c.not_after(),
        }
    }

    /// Any other certificate, PEM (the first) or DER: its validity and
    /// subject. `vendor` says it is a signedCSR's vendor certificate;
    /// otherwise the vendor marker decides.
    pub(crate) fn other(bytes: &[u8], vendor: bool) -> Option<Self> {
        let cert = match x509_cert::Certificate::from_der(bytes) {
            Ok(c) => c,
            Err(_) => x509_cert::Certificate::from_pem(first_pem_certificate(bytes)?).ok()?,
        };
        let tbs = cert.tbs_certificate();
        let marker = tbs
            .extensions()
            .is_some_and(|exts| exts.iter().any(|e| e.extn_id == VENDOR_MARKER_OID));
        let time = |t: &x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs())
                .ok()
                .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        };
        Some(Self {
            kind: if vendor || marker {
                Kind::VendorCertificate
            } else {
                Kind::Certificate
            },
            topic: None,
            subject: tbs.subject().to_string(),
            not_before: time(&tbs.validity().not_before)?,
            not_after: time(&tbs.validity().not_after)?,
        })
    }

    fn expiry(&self, at: OffsetDateTime) -> Expiry {
        Expiry::classify(self.not_before, self.not_after, at, EXPIRY_WARNING_WINDOW)
    }
}

/// The first `CERTIFICATE` PEM block of a file that may hold several, or
/// other blocks and text around them.
fn first_pem_certificate(bytes: &[u8]) -> Option<&[u8]> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let start = find(bytes, BEGIN)?;
    let rest = bytes.get(start..)?;
    let end = find(rest, END)? + END.len();
    rest.get(..end)
}

/// Prints the one line (or JSON object) of what was found; the exit code.
pub(crate) fn report(c: &Judged, now: OffsetDateTime, seconds: u64, as_json: bool) -> u8 {
    let now_expiry = c.expiry(now);
    // Past the last instant a certificate can hold (9999-12-31) the answer is
    // that it will have expired.
    let at = i64::try_from(seconds)
        .ok()
        .and_then(|s| now.checked_add(Duration::seconds(s)));
    let ok = now_expiry.is_usable() && at.is_some_and(|at| c.expiry(at).is_usable());
    if as_json {
        outln!(
            "{}",
            json!({
                "kind": c.kind.as_str(),
                "topic": c.topic,
                "subject": c.subject,
                "not_before": rfc3339(c.not_before),
                "not_after": rfc3339(c.not_after),
                "status": now_expiry.status(),
                "days_remaining": now_expiry.days_remaining(),
                "checkend": seconds,
                "at": at.map(rfc3339),
                "ok": ok,
            })
        );
        return u8::from(!ok);
    }
    let name = c.topic.as_deref().unwrap_or(&c.subject);
    let what = format!("{} {name}", c.kind.words());
    match now_expiry {
        Expiry::NotYetValid { .. } => {
            outln!("not yet valid: {what} starts {}", rfc3339(c.not_before));
        }
        Expiry::Expired { .. } => {
            outln!("expired: {what} ended {}", rfc3339(c.not_after));
        }
        _ => {
            let verdict = if ok { "will not expire" } else { "will expire" };
            outln!(
                "{verdict} within {seconds} seconds: {what} valid until {} ({} days remaining)",
                rfc3339(c.not_after),
                now_expiry.days_remaining().unwrap_or_default()
            );
        }
    }
    u8::from(!ok)
}
