//! `mdm-push-cert`: inspect Apple MDM push certificates, check an upload
//! before doing it, make and vendor-sign requests, and run the renewal demo.
//!
//! Exit codes: 0 success (accepted, verified); 1 rejected or not verified;
//! 2 usage error or unreadable file.

/// Writes a line to standard output. A closed pipe (`| head`) is not an
/// error worth a panic: the rest of the output is dropped.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// As `outln!`, without the line end.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod demo;
// The stand-in portal lives with the library's tests, which use it too.
#[path = "../../tests/support/portal.rs"]
mod portal;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mdm_push_cert::{
    CsrBuilder, KeyFormat, Lang, Pkcs12Profile, PrivateKey, PushCertificate, PushCsr, PushIdentity,
    SignedRequest, Topic, TrustAnchors, UploadCheck, VendorError, VendorSigner,
};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Parser)]
#[command(
    name = "mdm-push-cert",
    version,
    about = "Apple MDM push certificates: inspect, check, request, sign"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Ja,
    En,
}

#[derive(Subcommand)]
enum Command {
    /// Show a push certificate (PEM or DER) or a signedCSR file.
    Inspect {
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
    },
    /// Run the upload check on a push certificate.
    Check {
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
    },
    /// Print a customer CSR (PEM) for a key.
    Csr {
        /// The customer's private key (PKCS#8 or PKCS#1, PEM or DER).
        #[arg(long, required_unless_present = "new_key", conflicts_with = "new_key")]
        key: Option<PathBuf>,
        /// Generate a new RSA-2048 key, write it here (PKCS#8 PEM) and use it.
        #[arg(long)]
        new_key: Option<PathBuf>,
        /// Common name.
        #[arg(long)]
        cn: Option<String>,
        /// Organisation.
        #[arg(long)]
        org: Option<String>,
        /// Country (two upper-case letters).
        #[arg(long)]
        country: Option<String>,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
    },
    /// Vendor-sign a CSR and print the signedCSR file.
    Sign {
        /// The customer's CSR (PEM or DER).
        #[arg(long)]
        csr: PathBuf,
        /// The MDM vendor certificate.
        #[arg(long)]
        vendor_cert: PathBuf,
        /// The MDM vendor private key.
        #[arg(long)]
        vendor_key: PathBuf,
        /// Intermediates and root (PEM) replacing Apple's embedded chain.
        #[arg(long, conflicts_with = "intermediates")]
        chain: Option<PathBuf>,
        /// Intermediate CA certificates (PEM) to add to the anchors, each checked to chain to a root (repeatable).
        #[arg(long)]
        intermediates: Vec<PathBuf>,
        /// The instant the vendor certificate is judged at (RFC 3339); default: now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
        /// Print the XML property list instead of its base64 form.
        #[arg(long)]
        xml: bool,
    },
    /// Verify a signedCSR file as Apple's portal would: both signatures, the
    /// vendor certificate's validity and its chain to Apple. Exit 0 only when
    /// all of it verifies.
    VerifyRequest {
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
    },
    /// Pair a push certificate with its private key and write the push
    /// identity: a PEM bundle (certificate then key) on standard output or to
    /// --out, or a PKCS#12 file with --p12. New files get mode 0600 and are
    /// never overwritten.
    Identity {
        /// The push certificate (PEM or DER).
        #[arg(long)]
        cert: PathBuf,
        /// The customer's private key (PKCS#8 or PKCS#1; encrypted ones need a password option).
        #[arg(long)]
        key: PathBuf,
        /// Write the PEM bundle to this new file instead of standard output.
        #[arg(long, conflicts_with = "p12")]
        out: Option<PathBuf>,
        /// The key in the PEM bundle as PKCS#1 (`BEGIN RSA PRIVATE KEY`) instead of PKCS#8.
        #[arg(long, conflicts_with = "p12")]
        pkcs1: bool,
        /// Write a PKCS#12 file here, protected by the password.
        #[arg(long)]
        p12: Option<PathBuf>,
        /// The legacy PKCS#12 profile (3DES, SHA-1 MAC) older macOS Keychains import.
        #[arg(long, requires = "p12")]
        legacy: bool,
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// Run the whole renewal lifecycle on the demo PKI that ships with the tool.
    Demo {
        /// The instant the demo renewal happens (RFC 3339); default: now.
        #[arg(long, value_parser = parse_time)]
        now: Option<OffsetDateTime>,
        /// Language of the messages.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
}

/// Where a password comes from: never the command line, where other users
/// and the shell history would see it.
#[derive(clap::Args)]
struct PasswordArgs {
    /// Read the password from this file (its first line).
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, conflicts_with = "password_file")]
    password_env: Option<String>,
}

impl PasswordArgs {
    /// The password, if one was given.
    fn get(&self) -> Result<Option<zeroize::Zeroizing<String>>, Fatal> {
        if let Some(path) = &self.password_file {
            let text = zeroize::Zeroizing::new(
                std::fs::read_to_string(path).map_err(|e| Fatal::file(path, e))?,
            );
            let line = text.lines().next().unwrap_or_default();
            return Ok(Some(zeroize::Zeroizing::new(line.to_owned())));
        }
        if let Some(var) = &self.password_env {
            let value = std::env::var(var)
                .map_err(|_| Fatal(format!("--password-env: {var} is not set")))?;
            return Ok(Some(zeroize::Zeroizing::new(value)));
        }
        Ok(None)
    }

    /// The password, which the file needs.
    fn required(&self, what: &Path) -> Result<zeroize::Zeroizing<String>, Fatal> {
        self.get()?.ok_or_else(|| {
            Fatal::file(
                what,
                "a password is needed: give --password-file FILE or --password-env VAR",
            )
        })
    }
}

/// Reads a private key, with the password when one is given.
fn read_key(path: &Path, password: &PasswordArgs) -> Result<PrivateKey, Fatal> {
    let bytes = zeroize::Zeroizing::new(read(path)?);
    match password.get()? {
        Some(p) => PrivateKey::parse_with_password(&bytes, p.as_bytes()),
        None => PrivateKey::parse(&bytes),
    }
    .map_err(|e| Fatal::file(path, e))
}

/// The anchors a command verifies against.
#[derive(clap::Args)]
struct TrustArgs {
    /// PEM roots and intermediates replacing Apple's anchors (repeatable), for test PKIs.
    #[arg(long)]
    anchors: Vec<PathBuf>,
    /// Intermediate CA certificates (PEM) to add to the anchors, each checked to chain to a root (repeatable).
    #[arg(long)]
    intermediates: Vec<PathBuf>,
}

impl TrustArgs {
    /// Apple's anchors, or those of `--anchors`, with the `--intermediates` added.
    fn anchors(&self) -> Result<TrustAnchors, Fatal> {
        anchors_for(&self.anchors, &self.intermediates)
    }
}

/// A failure that ends the command: exit 2 with one line.
struct Fatal(String);

impl Fatal {
    fn file(path: &Path, what: impl std::fmt::Display) -> Self {
        Self(format!("{}: {what}", path.display()))
    }
}

fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| format!("not an RFC 3339 time: {e}"))
}

fn now_or(now: Option<OffsetDateTime>) -> OffsetDateTime {
    now.unwrap_or_else(OffsetDateTime::now_utc)
}

fn lang_or(lang: Option<LangArg>) -> Lang {
    match lang {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => match std::env::var("LANG") {
            Ok(l) if l.starts_with("ja") => Lang::Ja,
            _ => Lang::En,
        },
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Fatal> {
    std::fs::read(path).map_err(|e| Fatal::file(path, e))
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            eprintln!("mdm-push-cert: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<u8, Fatal> {
    match command {
        Command::Inspect {
            file,
            password,
            now,
            trust,
            json,
        } => inspect(&file, &password, &trust.anchors()?, now_or(now), json),
        Command::Check {
            cert,
            request,
            password,
            previous,
            previous_topic,
            trust,
            now,
            lang,
            json,
        } => {
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
        Command::Csr {
            key,
            new_key,
            cn,
            org,
            country,
            email,
        } => {
            let mut rng = rand::rng();
            let mut b = CsrBuilder::new();
            if let Some(v) = cn {
                b = b.common_name(v);
            }
            if let Some(v) = org {
                b = b.organization(v);
            }
            if let Some(v) = country {
                b = b.country(v);
            }
            if let Some(v) = email {
                b = b.email_address(v);
            }
            // Every argument is checked before a key file is written, so a
            // mistake never leaves a key behind that blocks the rerun.
            b.check().map_err(|e| Fatal(e.to_string()))?;
            let key = match (key, new_key) {
                (Some(path), _) => {
                    PrivateKey::parse(&read(&path)?).map_err(|e| Fatal::file(&path, e))?
                }
                (None, Some(out)) => {
                    if out.exists() {
                        return Err(Fatal::file(&out, "exists; it is never overwritten"));
                    }
                    let key = PrivateKey::generate(&mut rng, 2048)
                        .map_err(|e| Fatal(format!("key generation: {e}")))?;
                    let pem = key.to_pkcs8_pem().map_err(|e| Fatal(e.to_string()))?;
                    write_private(&out, pem.as_bytes())?;
                    key
                }
                (None, None) => return Err(Fatal("--key or --new-key is required".into())),
            };
            let csr = b.build(&key, &mut rng).map_err(|e| Fatal(e.to_string()))?;
            out!("{}", csr.to_pem());
            Ok(0)
        }
        Command::Sign {
            csr,
            vendor_cert,
            vendor_key,
            chain,
            intermediates,
            now,
            xml,
        } => {
            let key_bytes = read(&vendor_key)?;
            let key = PrivateKey::parse(&key_bytes).map_err(|e| Fatal::file(&vendor_key, e))?;
            let cert_bytes = read(&vendor_cert)?;
            let now = now_or(now);
            let signer = match chain {
                Some(c) => VendorSigner::with_chain(&cert_bytes, &key, &read(&c)?),
                None => VendorSigner::with_anchors(
                    &cert_bytes,
                    &key,
                    &anchors_for(&[], &intermediates)?,
                ),
            }
            .map_err(|e| Fatal::file(&vendor_cert, e))?;
            let request = PushCsr::parse(&read(&csr)?).map_err(|e| Fatal::file(&csr, e))?;
            let signed = signer
                .sign(&request, now, &mut rand::rng())
                .map_err(|e| match e {
                    // The request's fault, or the vendor certificate's (validity).
                    VendorError::Csr(_) | VendorError::CsrKeyTooSmall { .. } => {
                        Fatal::file(&csr, e)
                    }
                    other => Fatal::file(&vendor_cert, other),
                })?;
            if xml {
                out!("{}", signed.to_xml());
            } else {
                outln!("{}", signed.to_base64());
            }
            Ok(0)
        }
        Command::VerifyRequest {
            file,
            now,
            trust,
            json,
        } => {
            let req = SignedRequest::parse(&read(&file)?).map_err(|e| Fatal::file(&file, e))?;
            let anchors = trust.anchors()?;
            Ok(report_request(&req, &anchors, now_or(now), json))
        }
        Command::Identity {
            cert,
            key,
            out,
            pkcs1,
            p12,
            legacy,
            password,
        } => {
            let certificate =
                PushCertificate::parse(&read(&cert)?).map_err(|e| Fatal::file(&cert, e))?;
            let private = read_key(&key, &password)?;
            let identity =
                PushIdentity::new(certificate, private).map_err(|e| Fatal::file(&key, e))?;
            match p12 {
                Some(out) => {
                    let pass = password.required(&out)?;
                    let profile = if legacy {
                        Pkcs12Profile::Legacy
                    } else {
                        Pkcs12Profile::Modern
                    };
                    let bytes = identity
                        .to_pkcs12(&pass, profile, &mut rand::rng())
                        .map_err(|e| Fatal::file(&out, e))?;
                    write_private(&out, &bytes)?;
                }
                None => {
                    let format = if pkcs1 {
                        KeyFormat::Pkcs1
                    } else {
                        KeyFormat::Pkcs8
                    };
                    let bundle = identity
                        .to_pem_bundle(format)
                        .map_err(|e| Fatal(e.to_string()))?;
                    match out {
                        Some(out) => write_private(&out, bundle.as_bytes())?,
                        None => out!("{}", bundle.as_str()),
                    }
                }
            }
            Ok(0)
        }
        Command::Demo { now, lang } => demo::run(now_or(now), lang_or(lang)).map(|()| 0),
    }
}

/// Apple's anchors, or those of `--anchors`, with the `--intermediates` added.
fn anchors_for(anchors: &[PathBuf], intermediates: &[PathBuf]) -> Result<TrustAnchors, Fatal> {
    let base = read_anchors(anchors)?.unwrap_or_else(TrustAnchors::apple);
    if intermediates.is_empty() {
        return Ok(base);
    }
    let mut pem = Vec::new();
    for p in intermediates {
        pem.extend_from_slice(&read(p)?);
        pem.push(b'\n');
    }
    base.with_intermediates(&pem)
        .map_err(|e| Fatal(format!("--intermediates: {e}")))
}

/// Anchors from PEM files given with `--anchors`, or `None` for Apple's.
fn read_anchors(paths: &[PathBuf]) -> Result<Option<TrustAnchors>, Fatal> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut pem = Vec::new();
    for a in paths {
        pem.extend_from_slice(&read(a)?);
        pem.push(b'\n');
    }
    let list = paths
        .iter()
        .map(|a| a.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    TrustAnchors::from_pem(&pem)
        .map(Some)
        .map_err(|e| Fatal(format!("{list}: {e}")))
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

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| Fatal::file(path, e))?;
    f.write_all(bytes).map_err(|e| Fatal::file(path, e))
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
        Ok(req) => Ok(report_request(&req, anchors, now, as_json)),
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

/// Prints what a signedCSR file's verification found, finding by finding:
/// the signatures, then the vendor certificate's validity and chain.
fn report_request(
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
            json!({"kind": "signed_request", "ok": full.is_ok(),
                   "signatures_ok": sig.is_some(),
                   "digest": sig.map(|s| s.digest.name()),
                   "chain": sig.map(|s| s.chain_subjects.clone()).unwrap_or_default(),
                   "csr_subject": sig.map(|s| s.csr.subject()),
                   "csr_key_bits": sig.map(|s| s.csr.key_bits()),
                   "vendor_not_after": full.as_ref().ok().map(|v| rfc3339(v.vendor_not_after)),
                   "path": full.as_ref().ok().map(|v| v.path.clone()),
                   "error": error})
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
