//! An example MDM server that embeds `mdm-push-cert` the way a real one
//! would: axum for HTTP, SQLite for storage, the customer key encrypted at
//! rest. See `README.md` beside this crate for the endpoints.
//!
//! The library does no I/O; this crate does it: the clock ([`Clock`]), the
//! OS random number generator, the database ([`Store`]) and HTTP
//! ([`router`]).

#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod console;
mod console_text;
mod http;
mod mail;
mod state;
mod store;

pub use auth::{
    Admin, CSRF_HEADER, FREE_SIGN_IN_FAILURES, MAX_SIGN_IN_WAIT, SESSION_COOKIE, Session, Sessions,
    hash_password,
};
pub use http::{
    REQUEST_TIMEOUT, RETRY_AFTER_TRANSIENT, SIGNED_CSR_FILENAME, push_status, retry_after, router,
    upload_status,
};
pub use mail::{MailError, Mailer, SmtpConfig, SmtpSecurity, spawn_reminders};
pub use state::{Accepted, ApnsConfig, AppState, Clock, Probe, RequestError, ServerConfig, Status};
pub use store::{Current, DEFAULT_BUSY_TIMEOUT, Pending, Store, StoreError};
