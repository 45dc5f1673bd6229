//! `push` and `probe`: an MDM push through APNs with the push identity, and
//! the proof that APNs accepts the certificate.

use std::path::{Path, PathBuf};

use mdm_push_cert::apns::{ApnsRoots, DeviceToken, Endpoint, Outcome, PushMagic};
use mdm_push_cert::{Lang, PushCertificate, PushIdentity};
use mdm_push_cert_apns::ApnsClient;

use crate::{Fatal, LangArg, PasswordArgs, lang_or, read, read_key};

/// The push identity and where to push, shared by `push` and `probe`.
#[derive(clap::Args)]
pub(crate) struct ConnectArgs {
    /// The push certificate (PEM or DER); with --key.
    #[arg(
        long,
        requires = "key",
        conflicts_with = "p12",
        required_unless_present = "p12"
    )]
    cert: Option<PathBuf>,
    /// The certificate's private key (PKCS#8 or PKCS#1; encrypted ones need a password option).
    #[arg(long, requires = "cert", conflicts_with = "p12")]
    key: Option<PathBuf>,
    /// The push identity as a PKCS#12 (.p12) file, instead of --cert and --key.
    #[arg(long)]
    p12: Option<PathBuf>,
    #[command(flatten)]
    password: PasswordArgs,
    /// APNs' development (sandbox) server instead of production.
    #[arg(long, conflicts_with = "apns_url")]
    development: bool,
    /// Another APNs base URL (`https://host[:port]`): a staging proxy or a stand-in.
    #[arg(long, value_name = "URL")]
    apns_url: Option<String>,
    /// PEM roots APNs' server must chain to, instead of the embedded USERTrust RSA root.
    #[arg(long, value_name = "PEM")]
    apns_ca: Option<PathBuf>,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    json: bool,
    /// The language of the message and remedy (default: from the locale).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

impl ConnectArgs {
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v: Vec<&Path> = [&self.cert, &self.key, &self.p12, &self.apns_ca]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path)
            .collect();
        v.extend(self.password.inputs());
        v
    }

    fn identity(&self) -> Result<PushIdentity, Fatal> {
        if let Some(p12) = &self.p12 {
            let bytes = zeroize::Zeroizing::new(read(p12)?);
            let pass = self.password.required(p12)?;
            return PushIdentity::from_pkcs12(&bytes, &pass).map_err(|e| Fatal::file(p12, e));
        }
        let (Some(cert), Some(key)) = (&self.cert, &self.key) else {
            return Err(Fatal("give --cert CERT --key KEY, or --p12 FILE".into()));
        };
        let certificate = PushCertificate::parse(&read(cert)?).map_err(|e| Fatal::file(cert, e))?;
        let private = read_key(key, &self.password)?;
        PushIdentity::new(certificate, private).map_err(|e| Fatal::file(key, e))
    }

    fn client(&self) -> Result<ApnsClient, Fatal> {
        let identity = self.identity()?;
        let endpoint = match (&self.apns_url, self.development) {
            (Some(url), _) => {
                Endpoint::custom(url).map_err(|e| Fatal(format!("--apns-url: {e}")))?
            }
            (None, true) => Endpoint::DEVELOPMENT,
            (None, false) => Endpoint::PRODUCTION,
        };
        let mut builder = ApnsClient::builder(&identity).endpoint(endpoint);
        if let Some(path) = &self.apns_ca {
            let roots = ApnsRoots::from_pem(&read(path)?).map_err(|e| Fatal::file(path, e))?;
            builder = builder.roots(roots);
        }
        builder.build().map_err(|e| Fatal(e.to_string()))
    }
}

#[derive(clap::Args)]
pub(crate) struct PushArgs {
    /// The device token (hex), from the device's TokenUpdate check-in.
    #[arg(long, value_name = "HEX")]
    token: String,
    /// The device's PushMagic, from the same check-in.
    #[arg(long, value_name = "MAGIC")]
    push_magic: String,
    #[command(flatten)]
    connect: ConnectArgs,
}

impl PushArgs {
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        self.connect.inputs()
    }
}

#[derive(clap::Args)]
pub(crate) struct ProbeArgs {
    #[command(flatten)]
    connect: ConnectArgs,
}

impl ProbeArgs {
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        self.connect.inputs()
    }
}

pub(crate) fn push(args: PushArgs) -> Result<u8, Fatal> {
    let token: DeviceToken = args
        .token
        .parse()
        .map_err(|e| Fatal(format!("--token: {e}")))?;
    let magic: PushMagic = args
        .push_magic
        .parse()
        .map_err(|e| Fatal(format!("--push-magic: {e}")))?;
    let client = args.connect.client()?;
    let outcome = runtime()?.block_on(client.push_now(token, magic));
    Ok(report(
        &outcome,
        outcome.code() == "delivered",
        &args.connect,
    ))
}

pub(crate) fn probe(args: ProbeArgs) -> Result<u8, Fatal> {
    let client = args.connect.client()?;
    let outcome = runtime()?.block_on(client.probe());
    Ok(report(
        &outcome,
        outcome.certificate_accepted(),
        &args.connect,
    ))
}

fn runtime() -> Result<tokio::runtime::Runtime, Fatal> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))
}

/// Prints the outcome; exit 0 when `ok`, else 1.
fn report(outcome: &Outcome, ok: bool, args: &ConnectArgs) -> u8 {
    let lang: Lang = lang_or(args.lang);
    if args.json {
        let object = serde_json::to_string(&outcome.to_response(lang)).unwrap_or_default();
        outln!("{object}");
    } else {
        outln!("{outcome}");
        if !ok {
            outln!("{}", outcome.message(lang));
            outln!("{}", outcome.remedy(lang));
        }
    }
    u8::from(!ok)
}
