//! `mdm-push-cert-example-server`: serves the three endpoints on
//! `MDM_SERVER_LISTEN` with the vendor certificate and key, the key-at-rest
//! secret and the database named by the environment (see README.md).

#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::env;
use std::process::ExitCode;

use mdm_push_cert::ReminderSchedule;
use mdm_push_cert::apns::{ApnsRoots, Endpoint};
use mdm_push_cert::zeroize::Zeroizing;
use mdm_push_cert::{KeyError, PrivateKey, TrustAnchors, VendorSigner};
use mdm_push_cert_example_server::{
    Admin, ApnsConfig, AppState, Mailer, ServerConfig, SmtpConfig, SmtpSecurity, Store,
    hash_password, router, spawn_reminders,
};

fn var(name: &str) -> Result<Option<String>, String> {
    match env::var(name) {
        Ok(v) if !v.is_empty() => Ok(Some(v)),
        Ok(_) | Err(env::VarError::NotPresent) => Ok(None),
        Err(env::VarError::NotUnicode(_)) => Err(format!("{name} is not UTF-8")),
    }
}

fn required(name: &str) -> Result<String, String> {
    var(name)?.ok_or_else(|| format!("{name} is not set (see README.md)"))
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

/// A secret from `NAME_FILE` (its first line) or, failing that, `NAME`.
fn secret(name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, String> {
    if let Some(path) = var(&format!("{name}_FILE"))? {
        let bytes = Zeroizing::new(read(&path)?);
        let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        return Ok(Some(Zeroizing::new(line.to_vec())));
    }
    Ok(var(name)?.map(|s| Zeroizing::new(s.into_bytes())))
}

/// The SMTP relay for reminders, when `MDM_SMTP_HOST` is set.
fn smtp() -> Result<Option<SmtpConfig>, String> {
    let Some(host) = var("MDM_SMTP_HOST")? else {
        return Ok(None);
    };
    let security = match var("MDM_SMTP_SECURITY")?.as_deref() {
        None | Some("starttls") => SmtpSecurity::StartTls,
        Some("tls") => SmtpSecurity::Tls,
        Some("none") => SmtpSecurity::None,
        Some(other) => {
            return Err(format!(
                "MDM_SMTP_SECURITY: {other:?} is not starttls, tls or none"
            ));
        }
    };
    let default_port = if security == SmtpSecurity::Tls {
        465
    } else {
        587
    };
    let port = match var("MDM_SMTP_PORT")? {
        Some(p) => p.parse().map_err(|e| format!("MDM_SMTP_PORT: {e}"))?,
        None => default_port,
    };
    let credentials = match var("MDM_SMTP_USER")? {
        Some(user) => {
            let password = secret("MDM_SMTP_PASSWORD")?
                .ok_or("MDM_SMTP_USER is set: set MDM_SMTP_PASSWORD(_FILE) too")?;
            let password = String::from_utf8(password.to_vec())
                .map_err(|_| "MDM_SMTP_PASSWORD is not UTF-8")?;
            Some((user, Zeroizing::new(password)))
        }
        None => None,
    };
    let from = required("MDM_SMTP_FROM")?;
    Ok(Some(SmtpConfig {
        host,
        port,
        security,
        credentials,
        from,
    }))
}

fn config() -> Result<(String, ServerConfig), String> {
    let listen = var("MDM_SERVER_LISTEN")?.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let db = var("MDM_SERVER_DB")?.unwrap_or_else(|| "mdm-push-cert.sqlite3".to_owned());
    let store = Store::open(&db).map_err(|e| format!("{db}: {e}"))?;

    let key_path = required("MDM_VENDOR_KEY")?;
    let key_bytes = Zeroizing::new(read(&key_path)?);
    let vendor_key = match PrivateKey::parse(&key_bytes) {
        Err(KeyError::Encrypted) => {
            let password = secret("MDM_VENDOR_KEY_PASSWORD")?.ok_or_else(|| {
                format!("{key_path} is encrypted: set MDM_VENDOR_KEY_PASSWORD(_FILE)")
            })?;
            PrivateKey::parse_with_password(&key_bytes, &password)
        }
        other => other,
    }
    .map_err(|e| format!("{key_path}: {e}"))?;

    // Apple's anchors (or a staging PKI's, replacing them), plus any CA
    // certificate Apple added since this build.
    let mut anchors = match var("MDM_TRUST_ANCHORS")? {
        Some(path) => TrustAnchors::from_pem(&read(&path)?).map_err(|e| format!("{path}: {e}"))?,
        None => TrustAnchors::apple(),
    };
    if let Some(path) = var("MDM_INTERMEDIATES")? {
        anchors = anchors
            .with_intermediates(&read(&path)?)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    let cert_path = required("MDM_VENDOR_CERT")?;
    let signer = VendorSigner::with_anchors(&read(&cert_path)?, &vendor_key, &anchors)
        .map_err(|e| format!("{cert_path}: {e}"))?;

    let server_secret = secret("MDM_SERVER_SECRET")?
        .ok_or("MDM_SERVER_SECRET(_FILE) is not set: customer keys are encrypted with it")?;
    let mut config = ServerConfig::new(store, signer, server_secret);
    config.anchors = anchors;
    if let Some(name) = var("MDM_CUSTOMER_NAME")? {
        config.customer_name = name;
    }
    config.apns = apns()?;
    let password_hash = match var("MDM_ADMIN_PASSWORD_HASH_FILE")? {
        Some(path) => Some(
            String::from_utf8(read(&path)?)
                .map_err(|_| format!("{path} is not UTF-8"))?
                .trim()
                .to_owned(),
        ),
        None => var("MDM_ADMIN_PASSWORD_HASH")?,
    };
    let password_hash = password_hash.ok_or(
        "MDM_ADMIN_PASSWORD_HASH(_FILE) is not set: make one with `mdm-push-cert-example-server hash-password`",
    )?;
    argon2::PasswordHash::new(&password_hash)
        .map_err(|e| format!("MDM_ADMIN_PASSWORD_HASH is not a PHC hash string: {e}"))?;
    config.admin = Some(Admin {
        user: var("MDM_ADMIN_USER")?.unwrap_or_else(|| "admin".to_owned()),
        password_hash,
    });
    config.secure_cookies = matches!(var("MDM_SECURE_COOKIES")?.as_deref(), Some("1" | "true"));
    if let Some(days) = var("MDM_REMINDER_DAYS")? {
        let days: Result<Vec<u32>, _> = days.split(',').map(|d| d.trim().parse()).collect();
        let days = days.map_err(|e| format!("MDM_REMINDER_DAYS: {e}"))?;
        config.reminders =
            ReminderSchedule::from_days(days).map_err(|e| format!("MDM_REMINDER_DAYS: {e}"))?;
    }
    Ok((listen, config))
}

/// Where pushes go: Apple's production APNs unless `MDM_APNS` says
/// `development`, another base URL, or `off`; `MDM_APNS_CA` replaces the
/// embedded server root.
fn apns() -> Result<Option<ApnsConfig>, String> {
    let endpoint = match var("MDM_APNS")?.as_deref() {
        None | Some("production") => Endpoint::PRODUCTION,
        Some("development") => Endpoint::DEVELOPMENT,
        Some("off") => return Ok(None),
        Some(url) => Endpoint::custom(url).map_err(|e| format!("MDM_APNS: {e}"))?,
    };
    let roots = match var("MDM_APNS_CA")? {
        Some(path) => ApnsRoots::from_pem(&read(&path)?).map_err(|e| format!("{path}: {e}"))?,
        None => ApnsRoots::embedded(),
    };
    Ok(Some(ApnsConfig { endpoint, roots }))
}

/// `hash-password`: reads a password (its first line) from standard input
/// and prints its Argon2id hash for `MDM_ADMIN_PASSWORD_HASH`.
fn hash_password_command() -> ExitCode {
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        eprintln!("mdm-push-cert-example-server: cannot read the password");
        return ExitCode::from(2);
    }
    let password = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
    if password.is_empty() {
        eprintln!("mdm-push-cert-example-server: the password is empty");
        return ExitCode::from(2);
    }
    match hash_password(&password) {
        Ok(hash) => {
            println!("{hash}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mdm-push-cert-example-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Until SIGTERM (a service manager's stop) or Ctrl-C.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    if env::args().nth(1).as_deref() == Some("hash-password") {
        return hash_password_command();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let (listen, config) = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("mdm-push-cert-example-server: {e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("mdm-push-cert-example-server: {listen}: {e}");
            return ExitCode::from(2);
        }
    };
    let state = AppState::new(config);
    // The registered certificate, if any, is the APNs client's from the
    // start; a probe says whether APNs still accepts it.
    match state.push_identity() {
        Ok(Some(identity)) => match state.use_identity(&identity) {
            Ok(()) => {
                let probe = state.clone();
                tokio::spawn(async move {
                    if let Some(p) = probe.probe().await {
                        eprintln!("mdm-push-cert-example-server: APNs probe: {}", p.outcome);
                    }
                });
            }
            Err(e) => eprintln!("mdm-push-cert-example-server: APNs identity: {e}"),
        },
        Ok(None) => {}
        Err(e) => eprintln!("mdm-push-cert-example-server: the stored identity: {e}"),
    }
    match smtp() {
        Ok(Some(smtp)) => match Mailer::new(&smtp) {
            Ok(mailer) => {
                let every = var("MDM_REMINDER_INTERVAL_SECONDS")
                    .ok()
                    .flatten()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(3600);
                drop(spawn_reminders(
                    state.clone(),
                    std::sync::Arc::new(mailer),
                    std::time::Duration::from_secs(every),
                ));
                tracing::info!(relay = %smtp.host, every, "reminder e-mails on");
            }
            Err(e) => {
                eprintln!("mdm-push-cert-example-server: {e}");
                return ExitCode::from(2);
            }
        },
        Ok(None) => tracing::warn!("MDM_SMTP_HOST is not set: no reminder e-mails"),
        Err(e) => {
            eprintln!("mdm-push-cert-example-server: {e}");
            return ExitCode::from(2);
        }
    }
    eprintln!("mdm-push-cert-example-server: listening on http://{listen}");
    let shutdown = async {
        shutdown_signal().await;
        tracing::info!("stopping: finishing the requests in flight");
    };
    match axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdm-push-cert-example-server: {e}");
            ExitCode::FAILURE
        }
    }
}
