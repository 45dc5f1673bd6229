//! `mdm-push-cert`: inspect Apple MDM push certificates, check an upload
//! before doing it, make and vendor-sign requests, and (feature `demo`) run
//! the renewal demo.
//!
//! One module per command; this file holds the command line, the dispatch
//! and what the commands share (reading files, passwords, anchors, output).
//!
//! Exit codes: 0 success (accepted, verified, still valid, delivered); 1
//! rejected, not verified, expiring within `--checkend`, or refused by APNs;
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
mod checkend;
mod csr;
#[cfg(feature = "demo")]
mod demo;
mod identity;
mod inspect;
mod manual;
mod push;
mod sign;
mod verify_request;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser, Subcommand, ValueEnum};
use mdm_push_cert::{KeyError, Lang, PrivateKey, TrustAnchors};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

#[derive(Parser)]
#[command(
    name = "mdm-push-cert",
    version,
    about = "Apple MDM push certificates: inspect, check, request, sign",
    after_help = "A FILE argument of `-` reads standard input (for one argument per invocation)."
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
    /// Show a push certificate (PEM or DER), a PKCS#12 push identity or a
    /// signedCSR file; with --checkend, whether it is still valid then.
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
    /// Send an MDM push to a device through APNs with the push identity.
    /// Exit 0 when APNs accepted it (delivered), 1 for any other outcome.
    Push(push::PushArgs),
    /// Prove that APNs accepts the push certificate: a push to a token no
    /// device holds, which APNs answers BadDeviceToken after accepting the
    /// certificate. Exit 0 when accepted, 1 when refused.
    Probe(push::ProbeArgs),
    /// Run the whole renewal lifecycle on the demo PKI (the library's
    /// stand-in Apple).
    #[cfg(feature = "demo")]
    Demo(demo::Args),
    /// Print the shell completion script for SHELL.
    Completions(manual::CompletionArgs),
    /// Print the manual page (roff), of the tool or of one command.
    Man(manual::ManArgs),
}

impl Command {
    /// The files the command reads, `-` (standard input) among them.
    fn inputs(&self) -> Vec<&Path> {
        match self {
            Self::Inspect(a) => a.inputs(),
            Self::Check(a) => a.inputs(),
            Self::Csr(a) => a.inputs(),
            Self::Sign(a) => a.inputs(),
            Self::VerifyRequest(a) => a.inputs(),
            Self::Identity(a) => a.inputs(),
            Self::Push(a) => a.inputs(),
            Self::Probe(a) => a.inputs(),
            #[cfg(feature = "demo")]
            Self::Demo(_) => Vec::new(),
            Self::Completions(_) | Self::Man(_) => Vec::new(),
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = usage_error(&e);
            #[cfg(not(feature = "demo"))]
            if e.kind() == clap::error::ErrorKind::InvalidSubcommand
                && std::env::args_os().nth(1).is_some_and(|a| a == "demo")
            {
                eprintln!(
                    "\nThe demo is in builds with the `demo` feature: \
                     cargo run -p mdm-push-cert-cli --features demo -- demo"
                );
            }
            return code;
        }
    };
    // Standard input holds one file: a second `-` is a usage error.
    if cli.command.inputs().iter().filter(|p| is_stdin(p)).count() > 1 {
        let e = Cli::command().error(
            clap::error::ErrorKind::ArgumentConflict,
            "`-` (standard input) may stand for one file only",
        );
        return usage_error(&e);
    }
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Check(args) => check::run(args),
        Command::Csr(args) => csr::run(args),
        Command::Sign(args) => sign::run(args),
        Command::VerifyRequest(args) => verify_request::run(args),
        Command::Identity(args) => identity::run(args),
        Command::Push(args) => push::push(args),
        Command::Probe(args) => push::probe(args),
        #[cfg(feature = "demo")]
        Command::Demo(args) => demo::run(args),
        Command::Completions(args) => manual::completions(&args),
        Command::Man(args) => manual::man(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            eprintln!("mdm-push-cert: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Prints clap's message: exit 2 for an error, 0 for `--help` and `--version`.
fn usage_error(e: &clap::Error) -> ExitCode {
    let code = if e.use_stderr() { 2 } else { 0 };
    let _ = e.print();
    ExitCode::from(code)
}

/// A failure that ends the command: exit 2 with one line.
struct Fatal(String);

impl Fatal {
    fn file(path: &Path, what: impl std::fmt::Display) -> Self {
        Self(format!("{}: {what}", shown(path)))
    }
}

/// A path as messages name it: `-` is standard input.
fn shown(path: &Path) -> std::borrow::Cow<'_, str> {
    if is_stdin(path) {
        "standard input".into()
    } else {
        path.to_string_lossy()
    }
}

/// Whether a file argument is `-`, standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Where a password comes from: never the command line, where other users
/// and the shell history would see it.
#[derive(clap::Args)]
struct PasswordArgs {
    /// Read the password from this file (its first line); `-` reads standard input.
    #[arg(long)]
    password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, conflicts_with = "password_file")]
    password_env: Option<String>,
    /// The password once read: standard input can be read only once.
    #[arg(skip)]
    read: std::cell::OnceCell<Option<Zeroizing<String>>>,
}

/// The password options, as messages name them.
const PASSWORD_OPTIONS: &str = "--password-file FILE or --password-env VAR";

impl PasswordArgs {
    /// The password, if one was given (read once, then remembered).
    fn get(&self) -> Result<Option<Zeroizing<String>>, Fatal> {
        if let Some(p) = self.read.get() {
            return Ok(p.clone());
        }
        let p = self.read_once()?;
        Ok(self.read.get_or_init(|| p).clone())
    }

    fn read_once(&self) -> Result<Option<Zeroizing<String>>, Fatal> {
        if let Some(path) = &self.password_file {
            let bytes = Zeroizing::new(read(path)?);
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| Fatal::file(path, "the password is not UTF-8"))?;
            let line = text.lines().next().unwrap_or_default();
            return Ok(Some(Zeroizing::new(line.to_owned())));
        }
        if let Some(var) = &self.password_env {
            let value = std::env::var(var)
                .map_err(|_| Fatal(format!("--password-env: {var} is not set")))?;
            return Ok(Some(Zeroizing::new(value)));
        }
        Ok(None)
    }

    /// The password, which the file needs.
    fn required(&self, what: &Path) -> Result<Zeroizing<String>, Fatal> {
        self.get()?.ok_or_else(|| {
            Fatal::file(
                what,
                format!("a password is needed: give {PASSWORD_OPTIONS}"),
            )
        })
    }

    /// The password file, when there is one.
    fn inputs(&self) -> Vec<&Path> {
        self.password_file.iter().map(PathBuf::as_path).collect()
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

    /// The anchor and intermediate files.
    fn inputs(&self) -> Vec<&Path> {
        self.anchors
            .iter()
            .chain(&self.intermediates)
            .map(PathBuf::as_path)
            .collect()
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
        .map(|a| shown(a))
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

/// `--lang`, or the language of the locale.
fn lang_or(lang: Option<LangArg>) -> Lang {
    match lang {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        None => locale_lang(),
    }
}

/// The language of the messages' locale: the first of `LC_ALL`,
/// `LC_MESSAGES` and `LANG` that is set and not empty (POSIX's order).
/// Japanese when its language is `ja` (`ja_JP.UTF-8`, `ja`); English
/// otherwise, for `C` and `POSIX` too, and when none is set.
fn locale_lang() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty());
    let Some(locale) = locale else {
        return Lang::En;
    };
    let locale = locale.to_string_lossy();
    // language[_territory][.codeset][@modifier]
    match locale.split(['_', '.', '@', '-']).next() {
        Some("ja") => Lang::Ja,
        _ => Lang::En,
    }
}

/// Reads a file, or standard input for `-`.
fn read(path: &Path) -> Result<Vec<u8>, Fatal> {
    if is_stdin(path) {
        use std::io::Read as _;
        // One byte more than the library reads, so that it names the limit.
        let limit = u64::try_from(mdm_push_cert::MAX_INPUT_LEN).unwrap_or(u64::MAX);
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Fatal::file(path, e))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| Fatal::file(path, e))
}

/// Reads a private key, with the password when one is given.
fn read_key(path: &Path, password: &PasswordArgs) -> Result<PrivateKey, Fatal> {
    let bytes = Zeroizing::new(read(path)?);
    match password.get()? {
        Some(p) => PrivateKey::parse_with_password(&bytes, p.as_bytes()),
        None => PrivateKey::parse(&bytes),
    }
    .map_err(|e| match e {
        KeyError::Encrypted => Fatal::file(path, format!("{e}: give {PASSWORD_OPTIONS}")),
        e => Fatal::file(path, e),
    })
}

/// Refuses a path a new file cannot be written to: `-`, which is standard
/// input, and an existing file, which is never overwritten. Checked before
/// any work, so that a mistake costs nothing.
fn check_new_file(path: &Path) -> Result<(), Fatal> {
    if is_stdin(path) {
        return Err(Fatal(
            "-: a file name is needed here (`-` stands for standard input, which is only read)"
                .into(),
        ));
    }
    if path.exists() {
        return Err(Fatal::file(path, "exists; it is never overwritten"));
    }
    Ok(())
}

/// Writes a new file readable by its owner only; an existing file is never
/// overwritten.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    use std::io::Write as _;
    check_new_file(path)?;
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
