//! `check`: the upload check, as the server would run it on an upload.

use std::path::{Path, PathBuf};

use mdm_push_cert::{
    Lang, PrivateKey, PushCertificate, PushCsr, PushIdentity, SignedRequest, Topic, UploadCheck,
};
use serde_json::Value;
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
    /// Language of the message; default: from the locale (LC_ALL, LC_MESSAGES, LANG: Japanese for ja, else English).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

impl Args {
    /// The files the command reads.
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![self.cert.as_path(), self.request.as_path()];
        v.extend(self.previous.as_deref());
        v.extend(self.password.inputs());
        v.extend(self.trust.inputs());
        v
    }
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
    let mut check = expect_request(UploadCheck::new(now_or(now)), &request, &password)?;
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

/// The upload check expecting the key of the request made for this renewal:
/// a CSR, a signedCSR file, the customer's private key or its public key.
fn expect_request(
    check: UploadCheck,
    path: &Path,
    password: &PasswordArgs,
) -> Result<UploadCheck, Fatal> {
    let bytes = read(path)?;
    if let Ok(csr) = PushCsr::parse(&bytes) {
        return Ok(check.expected_csr(&csr));
    }
    // The server's own file: only the request inside matters here.
    if let Ok(v) = SignedRequest::parse(&bytes).and_then(|r| r.verify_signatures_only()) {
        return Ok(check.expected_csr(&v.csr));
    }
    if let Ok(key) = PrivateKey::parse(&bytes) {
        return Ok(check.expected_public_key(key.spki_der()));
    }
    if let Some(p) = password.get()?
        && let Ok(key) = PrivateKey::parse_with_password(&bytes, p.as_bytes())
    {
        return Ok(check.expected_public_key(key.spki_der()));
    }
    use rsa::pkcs8::{DecodePublicKey as _, EncodePublicKey as _};
    let text = String::from_utf8_lossy(&bytes);
    if let Ok(key) = rsa::PublicKey::from_public_key_pem(text.trim())
        && let Ok(spki) = key.to_public_key_der()
    {
        return Ok(check.expected_public_key(spki.as_bytes()));
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
    let as_certificate = PushCertificate::parse(bytes);
    // With a password, an upload that is not a certificate may be a .p12
    // push identity.
    let pkcs12 = password.filter(|_| as_certificate.is_err());
    let result = match pkcs12 {
        Some(p) => check
            .check_pkcs12(bytes, p)
            .map(|i| i.certificate().clone()),
        None => check.check(bytes),
    };
    // The certificate the report describes: the accepted one, or the
    // rejected one when it could be read at all.
    let shown = match (&result, pkcs12) {
        (Ok(c), _) => Some(c.clone()),
        (Err(_), Some(p)) => PushIdentity::from_pkcs12(bytes, p)
            .ok()
            .map(|i| i.certificate().clone()),
        (Err(_), None) => as_certificate.ok(),
    };
    if as_json {
        // The library's `ErrorResponse` as it serializes, its fields `null`
        // when the upload is accepted; then the tool's own keys.
        let error = match &result {
            Ok(_) => None,
            Err(e) => Some(e.to_response(lang)),
        };
        let mut object = match serde_json::to_value(&error) {
            Ok(Value::Object(fields)) => fields,
            _ => ["code", "message", "remedy", "detail"]
                .into_iter()
                .map(|k| (k.to_owned(), Value::Null))
                .collect(),
        };
        object.insert("ok".into(), result.is_ok().into());
        // What the library's summary of the certificate says, when it
        // could be read.
        let summary = shown
            .as_ref()
            .and_then(|c| serde_json::to_value(c.summary(check.now())).ok());
        for key in ["topic", "not_after", "status"] {
            let value = summary.as_ref().and_then(|s| s.get(key));
            object.insert(key.into(), value.cloned().unwrap_or(Value::Null));
        }
        outln!("{}", Value::Object(object));
        return u8::from(result.is_err());
    }
    match &result {
        Ok(cert) => {
            outln!("accepted");
            outln!("topic:     {}", cert.topic());
            outln!("not after: {}", rfc3339(cert.not_after()));
            outln!("status:    {}", cert.expiry(check.now()).status());
        }
        Err(e) => {
            outln!("rejected ({})", e.code());
            outln!("{}", e.message(lang));
            outln!();
            outln!("{}", e.remedy(lang));
            outln!();
            outln!("detail: {}", e.detail());
        }
    }
    u8::from(result.is_err())
}
