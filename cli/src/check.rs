//! `check`: the upload check, as the server would run it on an upload.

use std::path::{Path, PathBuf};

use mdm_push_cert::{
    Lang, PrivateKey, PushCertificate, PushCsr, PushIdentity, SignedRequest, Topic, UploadCheck,
};
use serde_json::json;
use time::OffsetDateTime;

use crate::{Fatal, LangArg, PasswordArgs, TrustArgs, lang_or, now_or, parse_time, read, rfc3339};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The uploaded certificate (PEM, DER or bare base64) or PKCS#12 (.p12) push identity.
    cert: PathBuf,
    /// The request made for this renewal: a CSR, a signedCSR file, or the customer's key.
    #[arg(long)]
    request: PathBuf,
    #[command(flatten)]
    password: PasswordArgs,
    /// The certificate being renewed.
    #[arg(long, conflicts_with = "previous_topic")]
    previous: Option<PathBuf>,
    /// The topic of the certificate being renewed.
    #[arg(long)]
    previous_topic: Option<String>,
    #[command(flatten)]
    trust: TrustArgs,
    /// The instant of the check (RFC 3339); default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<OffsetDateTime>,
    /// Language of the message; default: Japanese when LANG starts with "ja", else English.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let Args {
        cert,
        request,
        password,
        previous,
        previous_topic,
        trust,
        now,
        lang,
        json,
    } = args;
    let mut check = UploadCheck::new(now_or(now));
    check = check.expected_public_key(&expected_key(&request, &password)?);
    if let Some(p) = previous {
        let prev = PushCertificate::parse(&read(&p)?).map_err(|e| Fatal::file(&p, e))?;
        check = check.previous_certificate(&prev);
    }
    if let Some(t) = previous_topic {
        let topic: Topic = t
            .parse()
            .map_err(|e| Fatal(format!("--previous-topic {t}: {e}")))?;
        check = check.previous_topic(&topic);
    }
    check = check.trust_anchors(trust.anchors()?);
    let bytes = read(&cert)?;
    let pass = password.get()?;
    Ok(report_check(
        &check,
        &bytes,
        pass.as_deref().map(String::as_str),
        lang_or(lang),
        json,
    ))
}

/// The SubjectPublicKeyInfo the upload must carry, from a CSR, a signedCSR
/// file, a private key or a public key.
fn expected_key(path: &Path, password: &PasswordArgs) -> Result<Vec<u8>, Fatal> {
    let bytes = read(path)?;
    if let Ok(csr) = PushCsr::parse(&bytes) {
        return Ok(csr.spki_der().to_vec());
    }
    // The server's own file: only the request inside matters here.
    if let Ok(v) = SignedRequest::parse(&bytes).and_then(|r| r.verify_signatures_only()) {
        return Ok(v.csr.spki_der().to_vec());
    }
    if let Ok(key) = PrivateKey::parse(&bytes) {
        return Ok(key.spki_der().to_vec());
    }
    if let Some(p) = password.get()?
        && let Ok(key) = PrivateKey::parse_with_password(&bytes, p.as_bytes())
    {
        return Ok(key.spki_der().to_vec());
    }
    use rsa::pkcs8::{DecodePublicKey as _, EncodePublicKey as _};
    let text = String::from_utf8_lossy(&bytes);
    if let Ok(key) = rsa::PublicKey::from_public_key_pem(text.trim())
        && let Ok(doc) = key.to_public_key_der()
    {
        return Ok(doc.into_vec());
    }
    Err(Fatal::file(
        path,
        "not a CSR, signedCSR file, private key or public key",
    ))
}

fn report_check(
    check: &UploadCheck,
    bytes: &[u8],
    password: Option<&str>,
    lang: Lang,
    as_json: bool,
) -> u8 {
    // With a password the upload may be a .p12 push identity.
    let identity = password.and_then(|p| PushIdentity::from_pkcs12(bytes, p).ok());
    let parsed = match &identity {
        Some(i) => Some(i.certificate().clone()),
        None => PushCertificate::parse(bytes).ok(),
    };
    let result = match (password, &identity) {
        (Some(p), _) if PushCertificate::parse(bytes).is_err() => check
            .check_pkcs12(bytes, p)
            .map(|i| i.certificate().clone()),
        _ => check.check(bytes),
    };
    let (topic, not_after) = match (&result, &parsed) {
        (Ok(c), _) | (Err(_), Some(c)) => {
            (Some(c.topic().to_string()), Some(rfc3339(c.not_after())))
        }
        _ => (None, None),
    };
    match &result {
        Ok(cert) => {
            if as_json {
                outln!(
                    "{}",
                    json!({"ok": true, "code": null, "message": null, "remedy": null, "detail": null,
                           "topic": topic, "not_after": not_after,
                           "status": cert.expiry(check_now(check)).status()})
                );
            } else {
                outln!("accepted");
                outln!("topic:     {}", cert.topic());
                outln!("not after: {}", rfc3339(cert.not_after()));
                outln!("status:    {}", cert.expiry(check_now(check)).status());
            }
            0
        }
        Err(e) => {
            if as_json {
                outln!(
                    "{}",
                    json!({"ok": false, "code": e.code(), "message": e.message(lang),
                           "remedy": e.remedy(lang), "detail": e.detail(),
                           "topic": topic, "not_after": not_after})
                );
            } else {
                outln!("rejected ({})", e.code());
                outln!("{}", e.message(lang));
                outln!();
                outln!("{}", e.remedy(lang));
                outln!();
                outln!("detail: {}", e.detail());
            }
            1
        }
    }
}

fn check_now(check: &UploadCheck) -> OffsetDateTime {
    check.now()
}
