//! Sign-in for the one administrator: the password checked against an
//! Argon2 hash from the configuration, a session in memory named by a
//! random cookie, and a CSRF token per session that every form and every
//! unsafe API call must carry.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use axum::http::{HeaderMap, HeaderValue, header};
use mdm_push_cert::Lang;
use std::time::Instant;

use mdm_push_cert::time::Date;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "mdm_session";
/// The language cookie's name (the console's language switch).
pub(crate) const LANG_COOKIE: &str = "mdm_lang";
/// The header an API client sends the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts without a request, in real (monotonic) time:
/// the server's configured clock may be moved (in tests, or by an
/// administrator checking the expiry display) without signing anyone out.
pub(crate) const SESSION_IDLE: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

/// The administrator: a user name and the PHC string of an Argon2 hash of
/// the password (`mdm-push-cert-example-server hash-password` makes one).
#[derive(Clone, Debug)]
pub struct Admin {
    /// The user name asked for at sign-in.
    pub user: String,
    /// `$argon2id$v=19$...`.
    pub password_hash: String,
}

impl Admin {
    /// Whether `user` and `password` are the administrator's. The hash is
    /// checked whatever the user name, so a wrong name costs the same time.
    pub fn verify(&self, user: &str, password: &str) -> bool {
        use argon2::PasswordVerifier as _;
        let Ok(hash) = argon2::PasswordHash::new(&self.password_hash) else {
            return false;
        };
        let password_ok = argon2::Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok();
        password_ok && constant_time_eq(user.as_bytes(), self.user.as_bytes())
    }
}

/// An Argon2id hash of `password` as a PHC string, with a random salt.
///
/// # Errors
/// When hashing fails (not expected with the default parameters).
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::PasswordHasher as _;
    use argon2::password_hash::SaltString;
    let salt = SaltString::encode_b64(&random_bytes::<16>()).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// One signed-in session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The token forms and API calls carry.
    pub csrf: String,
    /// The last request (monotonic).
    pub seen: Instant,
    /// The day (server clock, UTC) the expiry pop-up was last shown.
    pub popup_day: Option<Date>,
}

/// The sessions, in memory: a restart signs everyone out.
#[derive(Debug, Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    failures: Mutex<Failures>,
}

/// Failed sign-ins in a row, and when the next attempt may be made.
#[derive(Debug, Default)]
struct Failures {
    count: u32,
    locked_until: Option<Instant>,
}

/// Failed sign-ins in a row before each further attempt must wait.
pub const FREE_SIGN_IN_FAILURES: u32 = 5;
/// The longest wait between sign-in attempts.
pub const MAX_SIGN_IN_WAIT: std::time::Duration = std::time::Duration::from_secs(300);

/// `N` bytes from the OS-seeded generator.
fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngExt as _;
    rand::rng().random()
}

fn random_hex() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Sessions {
    /// A new session: its id (the cookie's value) and itself.
    pub fn create(&self) -> (String, Session) {
        let now = Instant::now();
        let id = random_hex();
        let session = Session {
            csrf: random_hex(),
            seen: now,
            popup_day: None,
        };
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, s| now.duration_since(s.seen) < SESSION_IDLE);
        map.insert(id.clone(), session.clone());
        (id, session)
    }

    /// The session the request's cookie names, if it is live (and then
    /// its idle time starts again).
    pub fn get(&self, headers: &HeaderMap) -> Option<(String, Session)> {
        let now = Instant::now();
        let id = cookie(headers, SESSION_COOKIE)?;
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let session = map.get_mut(&id)?;
        if now.duration_since(session.seen) >= SESSION_IDLE {
            map.remove(&id);
            return None;
        }
        session.seen = now;
        Some((id, session.clone()))
    }

    /// Whether the pop-up is due for session `id` on `day`, marking it shown.
    pub fn take_popup(&self, id: &str, day: Date) -> bool {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get_mut(id) {
            Some(s) if s.popup_day != Some(day) => {
                s.popup_day = Some(day);
                true
            }
            _ => false,
        }
    }

    /// How long a sign-in attempt must wait now (zero: go ahead). After
    /// [`FREE_SIGN_IN_FAILURES`] failures in a row each further one doubles
    /// the wait, from one second up to [`MAX_SIGN_IN_WAIT`]; a success
    /// clears it. One counter for the one administrator: a guesser slows
    /// everyone, which for a single-admin console is the point.
    pub fn sign_in_wait(&self) -> std::time::Duration {
        let f = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        f.locked_until
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or_default()
    }

    /// Records a sign-in's result.
    pub fn record_sign_in(&self, ok: bool) {
        let mut f = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if ok {
            *f = Failures::default();
            return;
        }
        f.count = f.count.saturating_add(1);
        if f.count >= FREE_SIGN_IN_FAILURES {
            let doublings = (f.count - FREE_SIGN_IN_FAILURES).min(16);
            let wait = std::time::Duration::from_secs(1u64 << doublings).min(MAX_SIGN_IN_WAIT);
            f.locked_until = Some(Instant::now() + wait);
        }
    }

    /// Ends session `id`.
    pub fn remove(&self, id: &str) {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }
}

/// A cookie's value from the request.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` value of the session cookie: `HttpOnly`,
/// `SameSite=Strict`, `Secure` when the console is served over TLS.
pub(crate) fn session_cookie(id: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::try_from(format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("mdm_session=; Path=/"))
}

/// The `Set-Cookie` value that ends the session cookie.
pub(crate) fn cleared_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::try_from(format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("mdm_session=; Path=/; Max-Age=0"))
}

/// The language of a request: the console's switch (its cookie), else
/// `Accept-Language`, else English.
pub(crate) fn request_lang(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE).as_deref() {
        Some("ja") => Lang::Ja,
        Some("en") => Lang::En,
        _ => headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::En, Lang::from_accept_language),
    }
}

/// Whether `given` is the session's CSRF token.
pub(crate) fn csrf_ok(session: &Session, given: Option<&str>) -> bool {
    given.is_some_and(|g| constant_time_eq(g.as_bytes(), session.csrf.as_bytes()))
}
