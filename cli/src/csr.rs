//! `csr`: the customer's certificate signing request, for a key given or a new one.

use std::path::PathBuf;

use mdm_push_cert::{CsrBuilder, PrivateKey};

use crate::{Fatal, read, write_private};

#[derive(clap::Args)]
pub(crate) struct Args {
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
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let Args {
        key,
        new_key,
        cn,
        org,
        country,
        email,
    } = args;
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
        (Some(path), _) => PrivateKey::parse(&read(&path)?).map_err(|e| Fatal::file(&path, e))?,
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
