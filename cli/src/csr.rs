//! `csr`: the customer's certificate signing request, for a key given or a new one.

use std::path::{Path, PathBuf};

use mdm_push_cert::{CsrBuilder, PrivateKey};

use crate::{
    Fatal, PASSWORD_OPTIONS, PasswordArgs, check_new_file, read_key, shown, write_private,
};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The customer's private key (PKCS#8 or PKCS#1, PEM or DER; encrypted ones need a password option).
    #[arg(long, required_unless_present = "new_key", conflicts_with = "new_key")]
    key: Option<PathBuf>,
    /// Generate a new RSA-2048 key, write it here (encrypted PKCS#8 PEM, with the password option's password) and use it.
    #[arg(long)]
    new_key: Option<PathBuf>,
    /// Write the --new-key file unencrypted (PKCS#8 PEM): anyone who can read it can use the key.
    #[arg(long, requires = "new_key", conflicts_with_all = ["key", "password_file", "password_env"])]
    no_encrypt: bool,
    #[command(flatten)]
    password: PasswordArgs,
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

impl Args {
    /// The files the command reads.
    pub(crate) fn inputs(&self) -> Vec<&Path> {
        let mut v: Vec<&Path> = self.key.iter().map(PathBuf::as_path).collect();
        v.extend(self.password.inputs());
        v
    }
}

pub(crate) fn run(args: Args) -> Result<u8, Fatal> {
    let Args {
        key,
        new_key,
        no_encrypt,
        password,
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
        (Some(path), _) => read_key(&path, &password)?,
        (None, Some(out)) => {
            check_new_file(&out)?;
            // The password before the key: a missing one costs no key.
            let pass = if no_encrypt {
                None
            } else {
                Some(new_key_password(&out, &password)?)
            };
            let key = PrivateKey::generate(&mut rng, 2048)
                .map_err(|e| Fatal(format!("key generation: {e}")))?;
            match pass {
                Some(pass) => {
                    let pem = key
                        .to_encrypted_pkcs8_pem(pass.as_bytes(), &mut rng)
                        .map_err(|e| Fatal(e.to_string()))?;
                    write_private(&out, pem.as_bytes())?;
                }
                None => {
                    let pem = zeroize::Zeroizing::new(
                        key.to_pkcs8_pem().map_err(|e| Fatal(e.to_string()))?,
                    );
                    write_private(&out, pem.as_bytes())?;
                    eprintln!(
                        "mdm-push-cert: WARNING: {}: the private key is written UNENCRYPTED \
                         (--no-encrypt): anyone who can read the file can use it",
                        shown(&out)
                    );
                }
            }
            key
        }
        (None, None) => return Err(Fatal("--key or --new-key is required".into())),
    };
    let csr = b.build(&key, &mut rng).map_err(|e| Fatal(e.to_string()))?;
    out!("{}", csr.to_pem());
    Ok(0)
}

/// The password the new key is encrypted with: required, and not empty.
fn new_key_password(
    out: &Path,
    password: &PasswordArgs,
) -> Result<zeroize::Zeroizing<String>, Fatal> {
    let pass = password.get()?.ok_or_else(|| {
        Fatal::file(
            out,
            format!(
                "the new key is written encrypted and needs a password: give {PASSWORD_OPTIONS}, \
                 or --no-encrypt to write it unencrypted"
            ),
        )
    })?;
    if pass.is_empty() {
        return Err(Fatal::file(out, "the password for the new key is empty"));
    }
    Ok(pass)
}
