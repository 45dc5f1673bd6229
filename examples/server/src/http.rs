//! The HTTP endpoints: routes, languages, statuses and JSON bodies.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mdm_push_cert::apns::{DeviceToken, PushMagic};
use mdm_push_cert::time::OffsetDateTime;
use mdm_push_cert::{InputError, Lang, MAX_INPUT_LEN, ParseError, RetryReason, UploadError};
use serde::Serialize;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::state::{Accepted, AppState, RequestError};

/// The file name of the signedCSR download, the name the administrator's
/// guide tells customers to expect.
pub const SIGNED_CSR_FILENAME: &str = "signedCSR";

/// `Retry-After` for a transient failure of the server (seconds).
pub const RETRY_AFTER_TRANSIENT: i64 = 30;

/// The router: the three endpoints under `/mdm/push-certificate`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/mdm/push-certificate/request", get(get_request))
        .route(
            "/mdm/push-certificate",
            get(get_status).post(post_certificate),
        )
        .route("/mdm/devices/{token}/push", post(post_push))
        .route("/session", get(get_session))
        // Signed in, and for unsafe methods the session's CSRF token.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_session,
        ));
    // The library refuses anything longer than MAX_INPUT_LEN with its own
    // message; the body limit stops a larger one at the door (the
    // console's multipart upload gets a little room for its framing).
    let api = api.layer(DefaultBodyLimit::max(MAX_INPUT_LEN));
    let console = crate::console::routes().layer(DefaultBodyLimit::max(MAX_INPUT_LEN + 16 * 1024));
    api.merge(console)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The longest a request may take (an upload, a push with its retries).
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(90);

/// The API's door: a live session cookie, and for anything but `GET` and
/// `HEAD` its CSRF token in `X-CSRF-Token`.
async fn require_session(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let lang = lang(request.headers());
    let Some((_, session)) = app.sessions().get(request.headers()) else {
        return server_error(
            StatusCode::UNAUTHORIZED,
            "not_signed_in",
            lang,
            (
                "ログインしてください。",
                "管理コンソールにログインしてから再度実行してください。",
            ),
            ("Sign in first.", "Sign in to the console, then try again."),
            "no live session cookie".to_owned(),
        );
    };
    let safe = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let token = request
        .headers()
        .get(crate::auth::CSRF_HEADER)
        .and_then(|v| v.to_str().ok());
    if !safe && !crate::auth::csrf_ok(&session, token) {
        return server_error(
            StatusCode::FORBIDDEN,
            "csrf_token_missing",
            lang,
            (
                "ページを再読み込みしてから再度実行してください。",
                "ページを再読み込みしてください。",
            ),
            ("Reload the page and try again.", "Reload the page."),
            "the X-CSRF-Token header is missing or is not the session's".to_owned(),
        );
    }
    next.run(request).await
}

/// The session's CSRF token, for an API client that signed in.
#[derive(Serialize)]
struct SessionBody {
    csrf_token: String,
}

async fn get_session(State(app): State<AppState>, headers: HeaderMap) -> Response {
    match app.sessions().get(&headers) {
        Some((_, s)) => Json(SessionBody { csrf_token: s.csrf }).into_response(),
        None => StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// The body of a failure of the server itself (README `ServerError`): the
/// keys of the library's [`ErrorResponse`](mdm_push_cert::ErrorResponse),
/// which an upload's refusal is, with the server's own codes.
#[derive(Debug, Serialize)]
struct ServerError<'a> {
    code: &'a str,
    message: &'a str,
    remedy: &'a str,
    detail: String,
}

/// The HTTP status of a push's outcome: 200 delivered; 503 with
/// `Retry-After` for a retryable one (APNs rate-limits or is down); 502
/// for every refusal by APNs (the body's `outcome` says which).
pub fn push_status(outcome: &mdm_push_cert::apns::Outcome) -> StatusCode {
    if outcome.code() == "delivered" {
        StatusCode::OK
    } else if outcome.is_retryable() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::BAD_GATEWAY
    }
}

fn lang(headers: &HeaderMap) -> Lang {
    crate::auth::request_lang(headers)
}

/// Runs blocking work (key generation and encryption, SQLite) off the
/// async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(f).await
}

/// A failure of the server itself, not the customer's file.
fn server_error(
    status: StatusCode,
    code: &str,
    lang: Lang,
    ja: (&str, &str),
    en: (&str, &str),
    detail: String,
) -> Response {
    let (message, remedy) = match lang {
        Lang::Ja => ja,
        _ => en,
    };
    let mut response = (
        status,
        Json(ServerError {
            code,
            message,
            remedy,
            detail,
        }),
    )
        .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(RETRY_AFTER_TRANSIENT),
        );
    }
    response
}

fn storage_unavailable(lang: Lang, detail: String) -> Response {
    server_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "storage_unavailable",
        lang,
        (
            "サーバーのデータベースに接続できません。",
            "しばらく待ってから再度実行してください。",
        ),
        (
            "The server's database is unavailable.",
            "Wait a while and try again.",
        ),
        detail,
    )
}

/// `GET /mdm/push-certificate/request`: the signedCSR file.
async fn get_request(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang(&headers);
    let now = app.now();
    let result = blocking(move || app.signed_request(now)).await;
    match result {
        Ok(Ok(signed)) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream"),
                (
                    header::CONTENT_DISPOSITION,
                    &format!("attachment; filename=\"{SIGNED_CSR_FILENAME}\""),
                ),
            ],
            signed,
        )
            .into_response(),
        Ok(Err(RequestError::Store(e))) => storage_unavailable(lang, e.to_string()),
        Ok(Err(RequestError::Vendor(detail))) => server_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "vendor_signing_failed",
            lang,
            (
                "ベンダー署名付きCSRファイルを作成できません。",
                "MDMサーバーの管理者に連絡してください。",
            ),
            (
                "The vendor-signed CSR file cannot be made.",
                "Contact the MDM server's administrator.",
            ),
            detail,
        ),
        Err(e) => storage_unavailable(lang, format!("the request task failed: {e}")),
    }
}

/// The HTTP status of an upload error.
pub fn upload_status(e: &UploadError) -> StatusCode {
    match e {
        UploadError::TopicMismatch { .. } => StatusCode::CONFLICT,
        UploadError::RetryLater { .. } => StatusCode::SERVICE_UNAVAILABLE,
        // InvalidCertificate, PublicKeyMismatch and any later variant: the
        // file is understood and refused.
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `Retry-After` in seconds for a retryable error at `now`: until the
/// certificate's validity begins, for a clock that runs behind; otherwise
/// [`RETRY_AFTER_TRANSIENT`].
pub fn retry_after(e: &UploadError, now: OffsetDateTime) -> Option<i64> {
    match e {
        UploadError::RetryLater {
            reason: RetryReason::NotYetValid { not_before },
        } => {
            let wait = *not_before - now;
            // Rounded up: retrying a second early would fail again.
            let secs = wait.whole_seconds() + i64::from(wait.subsec_nanoseconds() > 0);
            Some(secs.max(1))
        }
        UploadError::RetryLater { .. } => Some(RETRY_AFTER_TRANSIENT),
        _ => None,
    }
}

/// An upload's refusal: the library's `ErrorResponse`, as it serializes.
fn upload_error(e: &UploadError, status: StatusCode, lang: Lang, now: OffsetDateTime) -> Response {
    let mut response = (status, Json(e.to_response(lang))).into_response();
    if let Some(secs) = retry_after(e, now) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// After an accepted upload that replaced the certificate: the running
/// APNs client takes the new certificate now, and APNs is asked whether it
/// accepts it (the status shows the answer).
pub(crate) fn accepted_upload(app: &AppState, accepted: &Accepted) {
    let Some(identity) = &accepted.identity else {
        return;
    };
    tracing::info!(topic = %identity.topic(), "a push certificate was accepted");
    match app.use_identity(identity) {
        Ok(()) => {
            let probe = app.clone();
            tokio::spawn(async move {
                if let Some(p) = probe.probe().await {
                    tracing::info!(outcome = %p.outcome, "APNs probe");
                }
            });
        }
        Err(e) => tracing::error!(error = %e, "the APNs client cannot use the new identity"),
    }
}

/// `POST /mdm/push-certificate`: the push certificate (PEM or DER) as the
/// request body.
async fn post_certificate(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let lang = lang(&headers);
    let now = app.now();
    let body = match body {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let len = headers
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse().ok())
                .unwrap_or(MAX_INPUT_LEN + 1);
            let e = UploadError::from(ParseError::Input(InputError::TooLarge {
                len,
                max: MAX_INPUT_LEN,
            }));
            return upload_error(&e, StatusCode::PAYLOAD_TOO_LARGE, lang, now);
        }
        // The body could not be read (the connection broke): try again.
        Err(rejection) => {
            let e = UploadError::retry_later(format!("the upload could not be read: {rejection}"));
            return upload_error(&e, upload_status(&e), lang, now);
        }
    };
    let upload = app.clone();
    let result = blocking(move || upload.upload(&body, now)).await;
    match result {
        Ok(Ok(accepted)) => {
            accepted_upload(&app, &accepted);
            Json(accepted.summary).into_response()
        }
        Ok(Err(e)) => upload_error(&e, upload_status(&e), lang, now),
        Err(join) => {
            let e = UploadError::retry_later(format!("the upload task failed: {join}"));
            upload_error(&e, upload_status(&e), lang, now)
        }
    }
}

/// `GET /mdm/push-certificate`: the current certificate's status.
async fn get_status(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang(&headers);
    let now = app.now();
    match blocking(move || app.status(now)).await {
        Ok(Ok(Some(status))) => Json(status).into_response(),
        Ok(Ok(None)) => server_error(
            StatusCode::NOT_FOUND,
            "not_registered",
            lang,
            (
                "MDM証明書が登録されていません。",
                "ベンダー署名付きCSRファイルをダウンロードし、Apple Push Certificates Portal で作成したMDM証明書をアップロードしてください。",
            ),
            (
                "No MDM certificate is registered.",
                "Download the vendor-signed CSR file, then upload the MDM certificate Apple Push Certificates Portal creates from it.",
            ),
            "no push certificate has been accepted yet".to_owned(),
        ),
        Ok(Err(e)) => storage_unavailable(lang, e.to_string()),
        Err(e) => storage_unavailable(lang, format!("the status task failed: {e}")),
    }
}

/// `POST /mdm/devices/{token}/push`: an MDM push to the device; the body is
/// its PushMagic. The answer is the push's outcome (the library's
/// `OutcomeResponse`), in the request's language.
async fn post_push(
    State(app): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = lang(&headers);
    let bad_request = |detail: String| {
        server_error(
            StatusCode::BAD_REQUEST,
            "bad_push_request",
            lang,
            (
                "デバイスのプッシュトークンまたは PushMagic が正しくありません。",
                "デバイスのチェックイン (TokenUpdate) で受け取った値を指定してください。",
            ),
            (
                "The device's push token or PushMagic is not valid.",
                "Send the values the device's TokenUpdate check-in gave.",
            ),
            detail,
        )
    };
    let token: DeviceToken = match token.parse() {
        Ok(t) => t,
        Err(e) => return bad_request(format!("the token: {e}")),
    };
    let magic: PushMagic = match std::str::from_utf8(&body)
        .map_err(|_| "the PushMagic is not UTF-8".to_owned())
        .and_then(|s| s.trim().parse().map_err(|e| format!("the PushMagic: {e}")))
    {
        Ok(m) => m,
        Err(detail) => return bad_request(detail),
    };
    let Some(outcome) = app.push(token, magic).await else {
        return server_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "apns_not_configured",
            lang,
            (
                "プッシュ通知を送信できません。MDM証明書が登録されていないか、APNs が設定されていません。",
                "MDM証明書を登録してください。",
            ),
            (
                "Push notifications cannot be sent: no MDM certificate is registered, or APNs is not configured.",
                "Register the MDM certificate.",
            ),
            "no APNs client".to_owned(),
        );
    };
    let status = push_status(&outcome);
    let mut response = (status, Json(outcome.to_response(lang))).into_response();
    if let Some(wait) = outcome.retry_after().filter(|_| outcome.is_retryable()) {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
    }
    response
}
