//! `identity`: the push certificate paired with its key, as a PEM bundle or PKCS#12.

use std::path::{Path, PathBuf};

use mdm_push_cert::{KeyFormat, Pkcs12Profile, PushCertificate, PushIdentity};

use crate::{Fatal, PasswordArgs, check_new_file, read, read_key, write_private};

#[derive(clap::Args)]
pub(crate) struct Args {
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
}

impl Args {
    /// The files the command reads.
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![self.cert.as_path(), self.key.as_path()];
        v.extend(self.password.inputs());
        v
    }
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let Args {
        cert,
        key,
        out,
        pkcs1,
        p12,
        legacy,
        password,
    } = args;
    if let Some(path) = out.as_ref().or(p12.as_ref()) {
        check_new_file(path)?;
    }
    let certificate = PushCertificate::parse(&read(&cert)?).map_err(|e| Fatal::file(&cert, e))?;
    let private = read_key(&key, &password)?;
    let identity = PushIdentity::new(certificate, private).map_err(|e| Fatal::file(&key, e))?;
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
