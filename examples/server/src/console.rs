//! The console the administrator's guide describes, as server-rendered
//! pages: sign-in, the settings page (the expiry, in red once expired; the
//! pop-up when 30 days or fewer remain), the three-step registration
//! dialog with the four messages, the Apple ID memo and the reminder
//! addresses. Japanese or English by `Accept-Language`, with a switch.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use mdm_push_cert::time::OffsetDateTime;
use mdm_push_cert::{Lang, PushIdentity, UploadError};
use serde::Deserialize;

use crate::auth::{LANG_COOKIE, Session, cleared_cookie, csrf_ok, request_lang, session_cookie};
use crate::console_text::{Texts, texts};
use crate::http::accepted_upload;
use crate::state::{AppState, Status};

/// Setting names in the store.
pub(crate) const APPLE_ID_SETTING: &str = "apple_id";
pub(crate) const ADDRESSES_SETTING: &str = "reminder_addresses";
pub(crate) const REMINDER_LANG_SETTING: &str = "reminder_lang";

/// The console's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(settings_page))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/lang/{lang}", get(switch_lang))
        .route("/register", get(register_page).post(register_upload))
        .route("/settings/memo", post(save_memo))
        .route("/settings/notifications", post(save_notifications))
}

/// A time as the console shows it: `2027-01-10 08:59 UTC`.
pub(crate) fn shown(t: OffsetDateTime) -> String {
    let t = t.to_offset(mdm_push_cert::time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

fn page(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the page could not be made: {e}"),
        )
            .into_response(),
    }
}

fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

/// The signed-in session of the request.
fn session(app: &AppState, headers: &HeaderMap) -> Option<(String, Session)> {
    app.sessions().get(headers)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: &'static Texts,
    signed_in: bool,
    csrf: String,
    failed: bool,
    /// Seconds until the next attempt, after too many failures.
    wait: Option<u64>,
}

async fn login_page(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if session(&app, &headers).is_some() {
        return Redirect::to("/").into_response();
    }
    page(LoginPage {
        t: texts(request_lang(&headers)),
        signed_in: false,
        csrf: String::new(),
        failed: false,
        wait: None,
    })
}

#[derive(Deserialize)]
struct LoginForm {
    user: String,
    password: String,
}

async fn login(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let wait = app.sessions().sign_in_wait();
    if !wait.is_zero() {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let mut response = page(LoginPage {
            t: texts(request_lang(&headers)),
            signed_in: false,
            csrf: String::new(),
            failed: false,
            wait: Some(secs),
        });
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return response;
    }
    let admin = app.admin().cloned();
    // Argon2 is slow on purpose: off the async workers.
    let ok = tokio::task::spawn_blocking(move || {
        admin.is_some_and(|a| a.verify(&form.user, &form.password))
    })
    .await
    .unwrap_or(false);
    app.sessions().record_sign_in(ok);
    if !ok {
        tracing::warn!("a sign-in failed");
        let mut response = page(LoginPage {
            t: texts(request_lang(&headers)),
            signed_in: false,
            csrf: String::new(),
            failed: true,
            wait: None,
        });
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return response;
    }
    let (id, _) = app.sessions().create();
    tracing::info!("the administrator signed in");
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&id, app.secure_cookies()),
    );
    response
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some((id, s)) = session(&app, &headers)
        && csrf_ok(&s, Some(&form.csrf))
    {
        app.sessions().remove(&id);
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie(app.secure_cookies()));
    response
}

async fn switch_lang(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    let lang = if lang == "ja" { "ja" } else { "en" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|i| r[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::try_from(format!(
        "{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000"
    )) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The current certificate as the settings page shows it.
struct CertView {
    topic: String,
    expires: String,
    days: String,
    class: &'static str,
    expired: bool,
    uploaded_at: String,
    probe: Option<String>,
}

struct Popup {
    topic: String,
    expires: String,
    days: i64,
    expired: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    t: &'static Texts,
    signed_in: bool,
    csrf: String,
    cert: Option<CertView>,
    popup: Option<Popup>,
    apple_id: String,
    addresses: String,
    reminder_lang: String,
    notice: Option<&'static str>,
    bad_address: Option<String>,
}

/// The current certificate's status at the server's `now`, read on a
/// blocking task; `None` before the first registration or when the
/// database fails (the page then shows no certificate).
async fn status_now(app: &AppState) -> Option<Status> {
    let now = app.now();
    let app = app.clone();
    tokio::task::spawn_blocking(move || app.status(now))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten()
}

fn setting(app: &AppState, name: &str) -> String {
    app.store().setting(name).ok().flatten().unwrap_or_default()
}

/// The settings page's data, `popup` when it is due for this session.
async fn settings_view(
    app: &AppState,
    id: &str,
    session: &Session,
    lang: Lang,
    with_popup: bool,
) -> SettingsPage {
    let now = app.now();
    let status = status_now(app).await;
    let t = texts(lang);
    let mut popup = None;
    let cert = status.map(|s| {
        let summary = &s.certificate;
        let expired = summary.expired;
        let soon = summary.expiring_soon;
        let days = summary.days_remaining.unwrap_or(0);
        if with_popup && (expired || soon) && app.sessions().take_popup(id, now.date()) {
            popup = Some(Popup {
                topic: summary.topic.as_str().to_owned(),
                expires: shown(summary.not_after),
                days,
                expired,
            });
        }
        let probe = app.last_probe().filter(|p| {
            s.apns_probe.is_some() && p.certificate_sha256 == summary.sha256_fingerprint
        });
        CertView {
            topic: summary.topic.as_str().to_owned(),
            expires: shown(summary.not_after),
            days: if expired {
                t.expired.to_owned()
            } else {
                days.to_string()
            },
            class: if expired {
                "expired"
            } else if soon {
                "soon"
            } else {
                ""
            },
            expired,
            uploaded_at: shown(s.uploaded_at),
            probe: probe.map(|p| {
                let o = &p.outcome;
                if o.certificate_accepted() {
                    format!("{} ({})", o.code(), shown(p.at))
                } else {
                    format!("{} ({}): {}", o.code(), shown(p.at), o.message(lang))
                }
            }),
        }
    });
    let reminder_lang = match setting(app, REMINDER_LANG_SETTING).as_str() {
        "en" => "en",
        "ja" => "ja",
        _ => t.lang,
    };
    SettingsPage {
        t,
        signed_in: true,
        csrf: session.csrf.clone(),
        cert,
        popup,
        apple_id: setting(app, APPLE_ID_SETTING),
        addresses: setting(app, ADDRESSES_SETTING),
        reminder_lang: reminder_lang.to_owned(),
        notice: None,
        bad_address: None,
    }
}

async fn settings_page(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some((id, s)) = session(&app, &headers) else {
        return to_login();
    };
    page(settings_view(&app, &id, &s, request_lang(&headers), true).await)
}

#[derive(Deserialize)]
struct MemoForm {
    csrf: String,
    apple_id: String,
}

fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "the form is stale: reload the page").into_response()
}

async fn save_memo(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<MemoForm>,
) -> Response {
    let Some((_, s)) = session(&app, &headers) else {
        return to_login();
    };
    if !csrf_ok(&s, Some(&form.csrf)) {
        return forbidden();
    }
    // A memo of an Apple ID: one line, no control characters.
    let memo: String = form
        .apple_id
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(254)
        .collect();
    if let Err(e) = app.store().set_setting(APPLE_ID_SETTING, &memo) {
        return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
    }
    Redirect::to("/").into_response()
}

#[derive(Deserialize)]
struct NotificationsForm {
    csrf: String,
    addresses: String,
    reminder_lang: String,
}

/// The reminder addresses in a form's text: one per line, each an e-mail
/// address; the first that is not one is the error.
pub(crate) fn parse_addresses(text: &str) -> Result<Vec<lettre::Address>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.parse::<lettre::Address>().map_err(|_| l.to_owned()))
        .collect()
}

async fn save_notifications(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<NotificationsForm>,
) -> Response {
    let Some((id, s)) = session(&app, &headers) else {
        return to_login();
    };
    if !csrf_ok(&s, Some(&form.csrf)) {
        return forbidden();
    }
    let lang = request_lang(&headers);
    let mut view = settings_view(&app, &id, &s, lang, false).await;
    match parse_addresses(&form.addresses) {
        Err(bad) => {
            view.addresses = form.addresses;
            view.bad_address = Some(bad);
            let mut response = page(view);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            response
        }
        Ok(list) => {
            let joined: Vec<String> = list.iter().map(ToString::to_string).collect();
            let reminder_lang = if form.reminder_lang == "en" {
                "en"
            } else {
                "ja"
            };
            let saved = app
                .store()
                .set_setting(ADDRESSES_SETTING, &joined.join("\n"))
                .and_then(|()| {
                    app.store()
                        .set_setting(REMINDER_LANG_SETTING, reminder_lang)
                });
            if let Err(e) = saved {
                return (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
            }
            view.addresses = joined.join("\n");
            view.reminder_lang = reminder_lang.to_owned();
            view.notice = Some(view.t.saved);
            page(view)
        }
    }
}

struct CurrentView {
    topic: String,
    expires: String,
}

struct ErrorView {
    code: &'static str,
    message: &'static str,
    remedy: &'static str,
}

struct AcceptedView {
    old_expiry: String,
    new_expiry: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    t: &'static Texts,
    signed_in: bool,
    csrf: String,
    current: Option<CurrentView>,
    apple_id: String,
    error: Option<ErrorView>,
    accepted: Option<AcceptedView>,
}

async fn register_view(app: &AppState, session: &Session, lang: Lang) -> RegisterPage {
    let current = status_now(app).await.map(|s| CurrentView {
        topic: s.certificate.topic.as_str().to_owned(),
        expires: shown(s.certificate.not_after),
    });
    RegisterPage {
        t: texts(lang),
        signed_in: true,
        csrf: session.csrf.clone(),
        current,
        apple_id: setting(app, APPLE_ID_SETTING),
        error: None,
        accepted: None,
    }
}

async fn register_page(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some((_, s)) = session(&app, &headers) else {
        return to_login();
    };
    page(register_view(&app, &s, request_lang(&headers)).await)
}

/// Step 3: the certificate from a browser's file input (PEM, DER, or a
/// `.p12` with its password).
async fn register_upload(
    State(app): State<AppState>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let Some((_, s)) = session(&app, &headers) else {
        return to_login();
    };
    let lang = request_lang(&headers);
    let mut csrf = None;
    let mut file: Option<Vec<u8>> = None;
    let mut password = String::new();
    let mut read_error = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) => match name.as_str() {
                        "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
                        "certificate" => file = Some(bytes.to_vec()),
                        "p12_password" => password = String::from_utf8_lossy(&bytes).into_owned(),
                        _ => {}
                    },
                    Err(e) => {
                        read_error = Some(e.to_string());
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                read_error = Some(e.to_string());
                break;
            }
        }
    }
    if read_error.is_none() && !csrf_ok(&s, csrf.as_deref()) {
        return forbidden();
    }
    let mut view = register_view(&app, &s, lang).await;
    let old_expiry = view.current.as_ref().map(|c| c.expires.clone());
    let now = app.now();
    let result = match read_error {
        Some(e) => Err(UploadError::retry_later(format!(
            "the upload could not be read: {e}"
        ))),
        None => {
            let bytes = file.unwrap_or_default();
            let upload = app.clone();
            tokio::task::spawn_blocking(move || {
                if !password.is_empty() || PushIdentity::is_pkcs12(&bytes) {
                    upload.upload_pkcs12(&bytes, &password, now)
                } else {
                    upload.upload(&bytes, now)
                }
            })
            .await
            .unwrap_or_else(|e| {
                Err(UploadError::retry_later(format!(
                    "the upload task failed: {e}"
                )))
            })
        }
    };
    let status = match result {
        Ok(accepted) => {
            let new_expiry = shown(accepted.summary.not_after);
            accepted_upload(&app, &accepted);
            view.accepted = Some(AcceptedView {
                old_expiry: old_expiry.unwrap_or_else(|| "—".to_owned()),
                new_expiry: new_expiry.clone(),
            });
            view.current = Some(CurrentView {
                topic: accepted.summary.topic.as_str().to_owned(),
                expires: new_expiry,
            });
            StatusCode::OK
        }
        Err(e) => {
            tracing::info!(code = e.code(), detail = %e, "an upload was refused");
            view.error = Some(ErrorView {
                code: e.code(),
                message: e.message(lang),
                remedy: e.remedy(lang),
            });
            crate::http::upload_status(&e)
        }
    };
    let mut response = page(view);
    *response.status_mut() = status;
    response
}
