//! The client: one connection per identity, pushes as streams on it, and
//! every push resolved to one [`Outcome`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use mdm_push_cert::PushIdentity;
use mdm_push_cert::apns::{
    ApnsRoots, ApnsTlsError, CurrentIdentity, DeviceToken, Endpoint, IdentityStamp,
    MAX_ANSWER_BODY_LEN, MdmPush, Outcome, PushMagic, SwappableIdentity,
};
use mdm_push_cert::time::OffsetDateTime;
use rustls::crypto::CryptoProvider;
use tokio::sync::Mutex;
use tracing::Instrument as _;

use crate::connection::{Connection, connect};
use crate::error::ClientError;
use crate::frames::lock;

/// The token [`ApnsClient::probe`] pushes to: 32 zero bytes, a token no
/// device holds, which APNs answers `400 BadDeviceToken` once it has
/// accepted the client certificate.
pub const PROBE_TOKEN: [u8; 32] = [0; 32];

/// The PushMagic a probe sends (no device reads it).
pub const PROBE_PUSH_MAGIC: &str = "mdm-push-cert-probe";

/// How long a connection may take (TCP, TLS, HTTP/2 settings) by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long APNs may take to answer one push by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times one push is sent at most by default (the first send and
/// its retries after a GOAWAY, a reset, a lost connection, a 429 or a 5xx).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;
/// The longest total wait for `retry-after`s and backoff in one push by
/// default; a push that would wait longer resolves to its retryable
/// outcome (`rate_limited`, `apns_unavailable`) with the wait, for the
/// caller's queue.
pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
/// The first backoff after a failed connection by default; it doubles with
/// each further failure of the same push.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(200);

/// The settings of an [`ApnsClient`], from [`ApnsClient::builder`].
#[derive(Debug)]
pub struct Builder {
    identity: PushIdentity,
    endpoint: Endpoint,
    roots: ApnsRoots,
    provider: Option<Arc<CryptoProvider>>,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_attempts: u32,
    max_retry_wait: Duration,
    backoff: Duration,
}

impl Builder {
    /// The APNs endpoint: [`Endpoint::PRODUCTION`] unless set
    /// ([`Endpoint::DEVELOPMENT`], or [`Endpoint::custom`] for a staging
    /// proxy or a stand-in).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// The roots the server's certificate must chain to:
    /// [`ApnsRoots::embedded`] (USERTrust RSA) unless set.
    pub fn roots(mut self, roots: ApnsRoots) -> Self {
        self.roots = roots;
        self
    }

    /// The rustls crypto provider: this crate's `ring` or `aws-lc-rs`
    /// feature's unless set, else the process default.
    pub fn crypto_provider(mut self, provider: Arc<CryptoProvider>) -> Self {
        self.provider = Some(provider);
        self
    }

    /// How long a connection may take ([`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long APNs may take to answer one send of a push
    /// ([`DEFAULT_REQUEST_TIMEOUT`]); a stream that stalls longer is
    /// cancelled and the push sent again on a new connection.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How many times one push is sent at most ([`DEFAULT_MAX_ATTEMPTS`],
    /// at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest total wait within one push ([`DEFAULT_MAX_RETRY_WAIT`]).
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = wait;
        self
    }

    /// The first backoff after a failed connection ([`DEFAULT_BACKOFF`]).
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// The client. No connection is made until the first push.
    ///
    /// # Errors
    /// [`ClientError::NoCryptoProvider`] when none is set or built in,
    /// [`ClientError::Tls`] for a key the provider cannot use or unusable
    /// roots, [`ClientError::Endpoint`] for an endpoint with no TLS server
    /// name.
    pub fn build(self) -> Result<ApnsClient, ClientError> {
        let provider = match self.provider {
            Some(p) => p,
            None => default_provider().ok_or(ClientError::NoCryptoProvider)?,
        };
        self.endpoint.server_name().map_err(ClientError::Endpoint)?;
        let probe_token = DeviceToken::from_bytes(&PROBE_TOKEN).map_err(ClientError::Probe)?;
        let probe_magic = PROBE_PUSH_MAGIC.parse().map_err(ClientError::ProbeMagic)?;
        let identity = Arc::new(SwappableIdentity::new(&self.identity, provider)?);
        let tls = Arc::new(identity.client_config(&self.roots)?);
        Ok(ApnsClient {
            inner: Arc::new(Inner {
                identity,
                tls,
                endpoint: self.endpoint,
                current: Mutex::new(None),
                next_id: AtomicU64::new(1),
                open: Arc::new(AtomicUsize::new(0)),
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
                max_attempts: self.max_attempts,
                max_retry_wait: self.max_retry_wait,
                backoff: self.backoff,
                probe: (probe_token, probe_magic),
            }),
        })
    }
}

fn default_provider() -> Option<Arc<CryptoProvider>> {
    #[cfg(feature = "ring")]
    {
        Some(Arc::new(rustls::crypto::ring::default_provider()))
    }
    #[cfg(all(feature = "aws-lc-rs", not(feature = "ring")))]
    {
        Some(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
    }
    #[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
    {
        CryptoProvider::get_default().cloned()
    }
}

/// An async APNs client for MDM pushes. Cheap to clone (clones share the
/// connection and the identity).
///
/// One HTTP/2 connection carries every push of the current identity as
/// concurrent streams (as many as APNs allows, 1,000 today). After
/// [`swap_identity`](Self::swap_identity) the next push opens a new
/// connection with the new certificate; pushes in flight on the old one
/// finish there, and it closes when they have (it drains).
#[derive(Clone, Debug)]
pub struct ApnsClient {
    inner: Arc<Inner>,
}

struct Inner {
    identity: Arc<SwappableIdentity>,
    tls: Arc<rustls::ClientConfig>,
    endpoint: Endpoint,
    current: Mutex<Option<Arc<Connection>>>,
    next_id: AtomicU64,
    open: Arc<AtomicUsize>,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_attempts: u32,
    max_retry_wait: Duration,
    backoff: Duration,
    probe: (DeviceToken, PushMagic),
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApnsClient")
            .field("endpoint", &self.endpoint)
            .field("identity", &self.identity.stamp())
            .field("open_connections", &self.open.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// What one send of a push came to.
enum Sent {
    /// An outcome to hand back (or to retry, if retryable, after its wait).
    Outcome(Outcome),
    /// Not processed by APNs (a GOAWAY above the stream, a refused
    /// stream): send again at once on a new connection.
    Again(&'static str),
    /// The connection failed before an answer: send again after backoff.
    Lost(String),
}

impl ApnsClient {
    /// Settings for a client pushing with `identity` (the push certificate
    /// and its key).
    pub fn builder(identity: &PushIdentity) -> Builder {
        Builder {
            identity: identity.clone(),
            endpoint: Endpoint::PRODUCTION,
            roots: ApnsRoots::embedded(),
            provider: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            max_retry_wait: DEFAULT_MAX_RETRY_WAIT,
            backoff: DEFAULT_BACKOFF,
        }
    }

    /// Makes `identity` the one new connections present, at once, and
    /// returns its stamp. The open connection is retired: pushes in flight
    /// on it finish there; the next push connects with the new identity.
    /// On an error the current identity stays.
    ///
    /// # Errors
    /// [`ApnsTlsError`] for a key the crypto provider cannot use.
    pub fn swap_identity(&self, identity: &PushIdentity) -> Result<IdentityStamp, ApnsTlsError> {
        let stamp = self.inner.identity.swap(identity)?;
        tracing::info!(?stamp, topic = %identity.topic(), "push identity swapped");
        Ok(stamp)
    }

    /// The identity new connections present.
    pub fn identity(&self) -> Arc<CurrentIdentity> {
        self.inner.identity.current()
    }

    /// The endpoint pushes go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// How many connections are open now (the current one, and older ones
    /// still draining).
    pub fn open_connections(&self) -> usize {
        self.inner.open.load(Ordering::Acquire)
    }

    /// Sends an MDM push made now (the system clock) to `token`: see
    /// [`push`](Self::push).
    pub async fn push_now(&self, token: DeviceToken, push_magic: PushMagic) -> Outcome {
        self.push(&MdmPush::new(token, push_magic, now())).await
    }

    /// Proves that APNs accepts the current certificate: a push to
    /// [`PROBE_TOKEN`], which no device holds. The outcome is
    /// `bad_device_token` when APNs accepted the client certificate
    /// ([`Outcome::certificate_accepted`]); a refusal is its certificate
    /// outcome (`certificate_expired`, `certificate_revoked`,
    /// `certificate_not_trusted`, `wrong_environment`).
    pub async fn probe(&self) -> Outcome {
        let (token, magic) = self.inner.probe.clone();
        let outcome = self.push(&MdmPush::new(token, magic, now())).await;
        tracing::info!(outcome = outcome.code(), "probe");
        outcome
    }

    /// Sends `push` and resolves to its one outcome; never an error, never
    /// dropped. A push APNs did not process (a GOAWAY above its stream, a
    /// refused stream) is sent again on a new connection; a lost
    /// connection or a stalled stream is sent again after backoff; a 429 or
    /// 5xx after its `retry-after` (or the documented wait), while the
    /// attempts and the retry wait last. A push whose connection was lost
    /// after sending may reach APNs twice: an MDM push only wakes the
    /// device, so twice is harmless and never is not.
    pub async fn push(&self, push: &MdmPush) -> Outcome {
        let span = tracing::info_span!(
            "apns_push",
            token = %short(push.token()),
            outcome = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        async {
            let inner = &self.inner;
            let mut waited = Duration::ZERO;
            let mut backoff = inner.backoff;
            let mut last = Outcome::no_answer();
            let mut attempts = 0;
            while attempts < inner.max_attempts {
                attempts += 1;
                let wait = match self.send_once(push).await {
                    Sent::Outcome(outcome) => {
                        if !outcome.is_retryable() {
                            last = outcome;
                            break;
                        }
                        let wait = outcome.retry_after().unwrap_or(backoff);
                        tracing::debug!(outcome = outcome.code(), ?wait, "retryable answer");
                        last = outcome;
                        wait
                    }
                    Sent::Again(why) => {
                        tracing::debug!(why, "not processed: sending again");
                        Duration::ZERO
                    }
                    Sent::Lost(detail) => {
                        tracing::debug!(%detail, "no answer");
                        last = Outcome::no_answer();
                        let wait = backoff;
                        backoff = backoff.saturating_mul(2);
                        wait
                    }
                };
                if attempts >= inner.max_attempts {
                    break;
                }
                if waited + wait > inner.max_retry_wait {
                    break;
                }
                waited += wait;
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let span = tracing::Span::current();
            span.record("outcome", last.code());
            span.record("attempts", attempts);
            last
        }
        .instrument(span)
        .await
    }

    /// The usable connection for the current identity, made if needed.
    async fn connection(&self) -> Result<Arc<Connection>, Outcome> {
        let inner = &self.inner;
        let mut current = inner.current.lock().await;
        if let Some(conn) = current.as_ref() {
            if conn.usable() && inner.identity.is_current(&conn.identity.stamp()) {
                return Ok(Arc::clone(conn));
            }
            conn.retire();
            *current = None;
        }
        let id = inner.next_id.fetch_add(1, Ordering::Relaxed);
        let identity = inner.identity.current();
        match connect(
            id,
            &inner.endpoint,
            &inner.tls,
            identity,
            inner.connect_timeout,
            &inner.open,
        )
        .await
        {
            Ok(conn) => {
                let conn = Arc::new(conn);
                *current = Some(Arc::clone(&conn));
                Ok(conn)
            }
            Err(failed) => {
                tracing::warn!(detail = %failed.detail, outcome = failed.outcome.code(), "connection failed");
                Err(failed.outcome)
            }
        }
    }

    /// One send of `push`.
    async fn send_once(&self, push: &MdmPush) -> Sent {
        let conn = match self.connection().await {
            Ok(conn) => conn,
            Err(outcome) if outcome.is_retryable() => {
                return Sent::Lost(format!("connection: {}", outcome.code()));
            }
            Err(outcome) => return Sent::Outcome(outcome),
        };
        tracing::trace!(connection = conn.id, "sending");
        let timeout = self.inner.request_timeout;
        match tokio::time::timeout(timeout, exchange(&self.inner.endpoint, &conn, push)).await {
            Ok(Ok(outcome)) => Sent::Outcome(outcome),
            Ok(Err(error)) => classify(&conn, &error),
            Err(_) => {
                // A stall: the stream is cancelled when its future drops;
                // the connection may be dead, so the next send opens another.
                conn.retire();
                Sent::Lost(format!("no answer within {timeout:?}"))
            }
        }
    }
}

/// Sends the request on `conn` and reads the answer.
async fn exchange(
    endpoint: &Endpoint,
    conn: &Connection,
    push: &MdmPush,
) -> Result<Outcome, h2::Error> {
    let request = push.to_request(endpoint, conn.identity.topic());
    let (parts, body) = request.into_parts();
    let request = http::Request::from_parts(parts, ());
    let mut send = conn.send.clone().ready().await?;
    let (response, mut stream) = send.send_request(request, false)?;
    stream.send_data(Bytes::from(body), true)?;
    let response = response.await?;
    let (parts, mut body) = response.into_parts();
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
        let room = MAX_ANSWER_BODY_LEN.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(Outcome::from_response(parts.status, &parts.headers, &bytes))
}

/// What an h2 error on a push's stream means, from what the tap saw.
fn classify(conn: &Connection, error: &h2::Error) -> Sent {
    let seen = lock(&conn.seen);
    // A refused client certificate (TLS 1.3 sends the alert after the
    // client's handshake is done) or an untrusted server.
    if let Some(outcome) = seen.tls.clone() {
        drop(seen);
        conn.retire();
        return if outcome.is_retryable() {
            Sent::Lost(format!("TLS: {}", outcome.code()))
        } else {
            Sent::Outcome(outcome)
        };
    }
    if let Some(goaway) = seen.goaway.clone() {
        drop(seen);
        conn.retire();
        let outcome = Outcome::from_goaway(&goaway.debug_data);
        if outcome.reason().is_some() && !outcome.is_retryable() {
            // BadCertificateEnvironment, BadCertificate, ...: the
            // connection was ended for the certificate, not the push.
            return Sent::Outcome(outcome);
        }
        if error.is_go_away() && error.is_remote() {
            // A stream above the GOAWAY's last stream: not processed.
            return Sent::Again("GOAWAY");
        }
        return Sent::Lost(format!("connection ended after GOAWAY: {error}"));
    }
    drop(seen);
    if error.reason() == Some(h2::Reason::REFUSED_STREAM) {
        return Sent::Again("stream refused");
    }
    if error.is_io() || error.is_go_away() {
        conn.retire();
    }
    Sent::Lost(error.to_string())
}

/// The token's first 8 hex digits, for logs (a token is not a secret, but
/// a full one in every log line is noise).
fn short(token: &DeviceToken) -> String {
    let hex = token.to_string();
    hex.get(..8).unwrap_or(&hex).to_owned()
}

fn now() -> OffsetDateTime {
    OffsetDateTime::from(SystemTime::now())
}
