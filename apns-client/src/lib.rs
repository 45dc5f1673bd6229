//! An async APNs client for Apple MDM pushes, on tokio, h2 and rustls, with
//! the push identity of [`mdm_push_cert`].
//!
//! ```no_run
//! use mdm_push_cert::PushIdentity;
//! use mdm_push_cert_apns::ApnsClient;
//!
//! # async fn run(bundle: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let identity = PushIdentity::from_pem_bundle(bundle)?;
//! let client = ApnsClient::builder(&identity).build()?;
//!
//! // Does APNs accept the certificate? (A push to a token no device holds.)
//! let probe = client.probe().await;
//! assert!(probe.certificate_accepted(), "{probe}");
//!
//! // The device's token and PushMagic, from its TokenUpdate check-in.
//! let outcome = client
//!     .push_now("00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0".parse()?,
//!               "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F".parse()?)
//!     .await;
//! if outcome.prunes_token() {
//!     // 410: forget the device's token.
//! }
//! # Ok(()) }
//! ```
//!
//! # What it does
//!
//! - **One connection per identity**, HTTP/2 with as many concurrent
//!   streams as APNs allows; it is opened by the first push and replaced
//!   when it ends, receives a GOAWAY, stalls, or the identity changes.
//! - **Every push resolves to one [`Outcome`](mdm_push_cert::apns::Outcome)**
//!   ([`ApnsClient::push`]): its stable `code` (`delivered`, `device_gone`,
//!   `certificate_expired`, ...) says what to do; nothing is an error, and
//!   nothing is dropped.
//! - **Retries that cannot lose a push**: a push above a GOAWAY's last
//!   stream, or on a refused stream, was not processed and is sent again
//!   at once on a new connection; a lost connection or a stalled stream
//!   ([`Builder::request_timeout`]) is sent again after a backoff that
//!   doubles; 429 and 5xx after `retry-after` (or the documented wait);
//!   within [`Builder::max_attempts`] and [`Builder::max_retry_wait`], after
//!   which the retryable outcome is returned with its wait.
//! - **Refusals as values**: the TLS alert of a refused client certificate
//!   and the reason in a GOAWAY's debug data are read off the connection
//!   (h2 gives neither to its caller), and typed by
//!   [`Outcome::from_rustls_error`](mdm_push_cert::apns::Outcome::from_rustls_error)
//!   and [`Outcome::from_goaway`](mdm_push_cert::apns::Outcome::from_goaway);
//!   no error text is read.
//! - **Hot swap**: [`ApnsClient::swap_identity`] after an accepted renewal;
//!   the next push connects with the new certificate; pushes in flight on
//!   the old connection finish there, and it closes when they have.
//! - **[`ApnsClient::probe`]** proves APNs accepts the certificate: a push
//!   to [`PROBE_TOKEN`], which APNs answers `400 BadDeviceToken` after the
//!   handshake succeeded.
//! - **Staging and tests**: [`Builder::endpoint`] takes
//!   [`Endpoint::custom`](mdm_push_cert::apns::Endpoint::custom), and
//!   [`Builder::roots`] other server roots. With the feature `testing`,
//!   [`stand_in::StandInApns`] is an APNs on 127.0.0.1 that fails on
//!   command.
//! - **tracing**: a span `apns_push` per push (token prefix, outcome,
//!   attempts), `apns_connection` per connection.
//!
//! # Features
//!
//! - `ring` (default) or `aws-lc-rs`: the rustls crypto provider used when
//!   the builder is given none.
//! - `testing`: the stand-in APNs ([`stand_in`]).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod client;
mod connection;
mod error;
mod frames;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod stand_in;

pub use client::{
    ApnsClient, Builder, DEFAULT_BACKOFF, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_ATTEMPTS,
    DEFAULT_MAX_RETRY_WAIT, DEFAULT_REQUEST_TIMEOUT, PROBE_PUSH_MAGIC, PROBE_TOKEN,
};
pub use error::ClientError;
/// The library whose types the client takes and returns (the push identity,
/// the push, its outcome), so that a server needs no version of its own.
pub use mdm_push_cert;

// The README's example compiles as a doctest.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
