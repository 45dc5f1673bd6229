//! `mdm-push-cert`: inspect Apple MDM push certificates, check an upload
//! before doing it, make and vendor-sign requests, and run the renewal demo.
//!
//! One module per command; this file holds the command line, the dispatch
//! and what the commands share (reading files, passwords, anchors, output).
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

mod check;
mod csr;
mod demo;
mod identity;
mod inspect;
mod sign;
mod verify_request;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mdm_push_cert::{Lang, PrivateKey, TrustAnchors};
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
    Inspect(inspect::Args),
    /// Run the upload check on a push certificate.
    Check(check::Args),
    /// Print a customer CSR (PEM) for a key.
    Csr(csr::Args),
    /// Vendor-sign a CSR and print the signedCSR file.
    Sign(sign::Args),
    /// Verify a signedCSR file as Apple's portal would: both signatures, the
    /// vendor certificate's validity and its chain to Apple. Exit 0 only when
    /// all of it verifies.
    VerifyRequest(verify_request::Args),
    /// Pair a push certificate with its private key and write the push
    /// identity: a PEM bundle (certificate then key) on standard output or to
    /// --out, or a PKCS#12 file with --p12. New files get mode 0600 and are
    /// never overwritten.
    Identity(identity::Args),
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Check(args) => check::run(args),
        Command::Csr(args) => csr::run(args),
        Command::Sign(args) => sign::run(args),
        Command::VerifyRequest(args) => verify_request::run(args),
        Command::Identity(args) => identity::run(args),
        Command::Demo { now, lang } => demo::run(now_or(now), lang_or(lang)).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            eprintln!("mdm-push-cert: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A failure that ends the command: exit 2 with one line.
struct Fatal(String);

impl Fatal {
    fn file(path: &Path, what: impl std::fmt::Display) -> Self {
        Self(format!("{}: {what}", path.display()))
    }
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

/// Reads a private key, with the password when one is given.
fn read_key(path: &Path, password: &PasswordArgs) -> Result<PrivateKey, Fatal> {
    let bytes = zeroize::Zeroizing::new(read(path)?);
    match password.get()? {
        Some(p) => PrivateKey::parse_with_password(&bytes, p.as_bytes()),
        None => PrivateKey::parse(&bytes),
    }
    .map_err(|e| Fatal::file(path, e))
}

/// Writes a new file readable by its owner only; an existing file is never
/// overwritten.
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

/// An instant as RFC 3339 in UTC, to the second.
fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}
