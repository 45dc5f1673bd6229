//! The console on the stand-in Apple, for the browser test and for trying
//! it by hand: the server on 127.0.0.1 with the stand-in Apple's vendor
//! signer and anchors, a clock the test sets, and two test-only routes that
//! play the customer's side of Apple Push Certificates Portal.
//!
//! ```text
//! cargo run -p mdm-push-cert-example-server --example console_stand_in -- DIR
//! ```
//!
//! Writes `DIR/url` once listening. Signs in as `admin` with the password
//! `MDM_TEST_ADMIN_PASSWORD` (default `stand-in password`). Test routes
//! (no sign-in; never in the real server):
//! - `POST /__test/clock` with an RFC 3339 time sets the server's clock;
//! - `GET /__test/certificate/{kind}` is what the portal would hand the
//!   customer now: `first` (a first registration for the pending request),
//!   `renewal` ("Renew" for the pending request), `created` ("Create"
//!   instead of "Renew": a new topic), `last_year` (the current topic, but
//!   for the key of an older request), `truncated` (a renewal cut short),
//!   `garbage` (not a certificate), `first.der` (a first registration as
//!   DER), `renewal.p12` (the renewal with the pending key, as a `.p12`
//!   whose password is `p12 password`).

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::format_description::well_known::Rfc3339;
use mdm_push_cert::time::{Duration, OffsetDateTime};
use mdm_push_cert::zeroize::Zeroizing;
use mdm_push_cert::{Pkcs12Profile, PrivateKey, PushCertificate, PushCsr, PushIdentity};

/// The server's key-at-rest secret.
const SECRET: &[u8] = b"stand-in server secret";
/// The password of the `.p12` the portal side hands out.
const P12_PASSWORD: &str = "p12 password";
use mdm_push_cert_example_server::{Admin, AppState, ServerConfig, Store, hash_password, router};

#[derive(Clone)]
struct Test {
    apple: StandInApple,
    app: AppState,
    clock: Arc<Mutex<OffsetDateTime>>,
}

async fn set_clock(State(test): State<Test>, body: String) -> Response {
    match OffsetDateTime::parse(body.trim(), &Rfc3339) {
        Ok(t) => {
            *test
                .clock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = t;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

fn certificate(test: &Test, kind: &str) -> Result<Vec<u8>, String> {
    let now = test.app.now();
    let store = test.app.store();
    let pending = store
        .pending()
        .map_err(|e| e.to_string())?
        .map(|p| PushCsr::from_der(&p.csr_der))
        .transpose()
        .map_err(|e| e.to_string())?;
    let current = store
        .current()
        .map_err(|e| e.to_string())?
        .map(|c| PushCertificate::from_der(&c.certificate_der))
        .transpose()
        .map_err(|e| e.to_string())?;
    let need_pending = || {
        pending
            .clone()
            .ok_or("no request is pending: download signedCSR first")
    };
    let need_current = || current.clone().ok_or("no certificate is registered yet");
    let pem = |c: PushCertificate| c.to_pem().into_bytes();
    let apple = &test.apple;
    Ok(match kind {
        "first" => pem(apple
            .first_registration(&need_pending()?, now)
            .map_err(|e| e.to_string())?),
        "renewal" => pem(apple
            .renewal(&need_current()?, &need_pending()?, now)
            .map_err(|e| e.to_string())?),
        "created" => pem(apple
            .created_instead_of_renewed(&need_current()?, &need_pending()?, now)
            .map_err(|e| e.to_string())?),
        // The current certificate's own key: the request of last year.
        "last_year" => {
            let current = need_current()?;
            pem(apple
                .issue(&current, current.topic(), now, now + Duration::days(365))
                .map_err(|e| e.to_string())?)
        }
        "truncated" => {
            let mut bytes = pem(apple
                .renewal(&need_current()?, &need_pending()?, now)
                .map_err(|e| e.to_string())?);
            bytes.truncate(bytes.len() / 2);
            bytes
        }
        "garbage" => {
            b"MDM_Example_Certificate.pem: this is a shortcut, not a certificate\n".to_vec()
        }
        // A first registration as DER (a `.cer` download).
        "first.der" => apple
            .first_registration(&need_pending()?, now)
            .map_err(|e| e.to_string())?
            .der()
            .to_vec(),
        // The renewal as a `.p12` with the pending key, protected by
        // P12_PASSWORD (a customer who exported it from Keychain).
        "renewal.p12" => {
            let cert = apple
                .renewal(&need_current()?, &need_pending()?, now)
                .map_err(|e| e.to_string())?;
            let encrypted = store
                .pending()
                .map_err(|e| e.to_string())?
                .ok_or("no request is pending")?
                .encrypted_key;
            let key =
                PrivateKey::parse_with_password(&encrypted, SECRET).map_err(|e| e.to_string())?;
            PushIdentity::new(cert, key)
                .map_err(|e| e.to_string())?
                .to_pkcs12(P12_PASSWORD, Pkcs12Profile::Modern, &mut rand::rng())
                .map_err(|e| e.to_string())?
        }
        other => return Err(format!("unknown kind {other:?}")),
    })
}

async fn get_certificate(State(test): State<Test>, Path(kind): Path<String>) -> Response {
    let t = test.clone();
    match tokio::task::spawn_blocking(move || certificate(&t, &kind)).await {
        Ok(Ok(bytes)) => ([("content-type", "application/x-pem-file")], bytes).into_response(),
        Ok(Err(e)) => (StatusCode::CONFLICT, e).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: console_stand_in DIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    let password =
        std::env::var("MDM_TEST_ADMIN_PASSWORD").unwrap_or_else(|_| "stand-in password".to_owned());

    let apple = StandInApple::new(41);
    let start = OffsetDateTime::parse("2026-01-10T09:00:00Z", &Rfc3339)?;
    let clock = Arc::new(Mutex::new(start));
    let store = Store::open(dir.join("console.sqlite3"))?;
    let mut config = ServerConfig::new(
        store,
        apple.vendor_signer(start)?,
        Zeroizing::new(SECRET.to_vec()),
    );
    config.anchors = apple.anchors();
    config.apns = None;
    config.admin = Some(Admin {
        user: "admin".to_owned(),
        password_hash: hash_password(&password)?,
    });
    let read = Arc::clone(&clock);
    config.clock = Arc::new(move || {
        *read
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    });
    let app = AppState::new(config);
    let test = Test {
        apple,
        app: app.clone(),
        clock,
    };
    let test_routes = Router::new()
        .route("/__test/clock", post(set_clock))
        .route("/__test/certificate/{kind}", get(get_certificate))
        .with_state(test);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    std::fs::write(dir.join("url"), &url)?;
    eprintln!("console on the stand-in Apple at {url}");
    axum::serve(listener, router(app).merge(test_routes)).await?;
    Ok(())
}
