//! `sign`: the vendor's signature over a customer CSR, as a signedCSR file.

use std::path::{Path, PathBuf};

use mdm_push_cert::{PushCsr, VendorSigner};
use time::OffsetDateTime;

use crate::{Fatal, PasswordArgs, anchors_for, now_or, parse_time, read, read_key};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The customer's CSR (PEM or DER).
    #[arg(long)]
    csr: PathBuf,
    /// The MDM vendor certificate.
    #[arg(long)]
    vendor_cert: PathBuf,
    /// The MDM vendor private key (PKCS#8 or PKCS#1; encrypted ones need a password option).
    #[arg(long)]
    vendor_key: PathBuf,
    #[command(flatten)]
    password: PasswordArgs,
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
}

impl Args {
    /// The files the command reads.
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v = vec![
            self.csr.as_path(),
            self.vendor_cert.as_path(),
            self.vendor_key.as_path(),
        ];
        v.extend(self.chain.as_deref());
        v.extend(self.intermediates.iter().map(PathBuf::as_path));
        v.extend(self.password.inputs());
        v
    }
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let Args {
        csr,
        vendor_cert,
        vendor_key,
        password,
        chain,
        intermediates,
        now,
        xml,
    } = args;
    let key = read_key(&vendor_key, &password)?;
    let cert_bytes = read(&vendor_cert)?;
    let now = now_or(now);
    let signer = match chain {
        Some(c) => VendorSigner::with_chain(&cert_bytes, &key, &read(&c)?),
        None => VendorSigner::with_anchors(&cert_bytes, &key, &anchors_for(&[], &intermediates)?),
    }
    .map_err(|e| Fatal::file(&vendor_cert, e))?;
    // The vendor certificate (and its CAs) judged at `now` before the request
    // is read, so that its expiry names the vendor certificate's file.
    signer
        .check_validity(now)
        .map_err(|e| Fatal::file(&vendor_cert, e))?;
    let request = PushCsr::parse(&read(&csr)?).map_err(|e| Fatal::file(&csr, e))?;
    let signed = signer
        .sign(&request, now, &mut rand::rng())
        .map_err(|e| Fatal::file(&csr, e))?;
    if xml {
        out!("{}", signed.to_xml());
    } else {
        outln!("{}", signed.to_base64());
    }
    Ok(0)
}
