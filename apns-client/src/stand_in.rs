//! A stand-in APNs for tests (feature `testing`): an HTTP/2 TLS server on
//! 127.0.0.1 that checks MDM pushes as APNs does and fails on command.
//!
//! It requires a client certificate chained to the roots it is given (the
//! library's stand-in Apple, [`StandInApns::start`]) and refuses the
//! others in the handshake with the alerts APNs sends: an expired
//! certificate `certificate_expired`, a revoked one ([`revoke`]) with
//! `certificate_revoked`, a foreign one `unknown_ca` (or `decrypt_error`
//! for a certificate naming a trusted issuer that did not sign it).
//!
//! A push is checked as [`ReceivedPush::read`] says; then a token
//! registered for the connection's topic is answered `200` with an
//! `apns-id`, a token registered for another topic `400
//! DeviceTokenNotForTopic`, a token gone ([`unregister`]) `410
//! Unregistered` with its timestamp, an unknown one `400 BadDeviceToken`,
//! and an `apns-topic` other than the certificate's `400 TopicDisallowed`.
//!
//! [`inject`] queues a [`Fault`]; [`drop_connections`] and [`restart`]
//! end every connection without a GOAWAY. [`received`] lists every push
//! that reached it, answered or not.
//!
//! [`revoke`]: StandInApns::revoke
//! [`unregister`]: StandInApns::unregister
//! [`inject`]: StandInApns::inject
//! [`drop_connections`]: StandInApns::drop_connections
//! [`restart`]: StandInApns::restart
//! [`received`]: StandInApns::received

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use bytes::Bytes;
use mdm_push_cert::apns::{ApnsRoots, DeviceToken, Endpoint, Reason, ReceivedPush};
use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::{PushCertificate, Topic};
use rustls::client::danger::HandshakeSignatureValid;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::server::{ServerConfig, WebPkiClientVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpSocket};
use tokio::task::{AbortHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::frames::{FrameReader, GoAway, HEADERS, SETTINGS, header, lock};

/// The most body bytes read from one push (APNs' limit is 4,096; more is
/// answered `413 PayloadTooLarge`).
const MAX_BODY: usize = 8192;

/// A failure the stand-in gives on command ([`StandInApns::inject`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The next connection is ended at its first request by a GOAWAY whose
    /// debug data is `{"reason":"<reason>"}` and whose last stream is 0
    /// (nothing processed), as APNs does for `BadCertificateEnvironment`
    /// or `Shutdown`.
    GoAwayOnConnect {
        /// The reason, e.g. `BadCertificateEnvironment`.
        reason: String,
    },
    /// After `after` more pushes are taken, the connection that took the
    /// last one shuts down gracefully (GOAWAY, NO_ERROR): streams it had
    /// not taken are not processed. Mid-burst, this is APNs' maintenance.
    GoAwayAfter {
        /// Pushes still taken first.
        after: usize,
    },
    /// The next `count` pushes are answered `status` with `reason` (and a
    /// `retry-after` header when set): a 429 storm, a 503.
    Answer {
        /// How many pushes.
        count: usize,
        /// The HTTP status.
        status: u16,
        /// The `reason` of the JSON body.
        reason: String,
        /// A `retry-after` header, in seconds.
        retry_after: Option<u64>,
    },
    /// The next `count` pushes' streams are reset (`RST_STREAM`,
    /// INTERNAL_ERROR) without an answer.
    Reset {
        /// How many pushes.
        count: usize,
    },
    /// The next `count` pushes are never answered (their streams stay
    /// open until the client gives up).
    Stall {
        /// How many pushes.
        count: usize,
    },
}

/// One push the stand-in received.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Received {
    /// The push as APNs reads it, or the reason it was refused.
    pub push: Result<ReceivedPush, Reason>,
    /// The topic of the client certificate of its connection.
    pub certificate_topic: String,
    /// The SHA-256 fingerprint of that certificate (lower-case hex).
    pub certificate_sha256: String,
    /// Which connection it came on (numbered from 1 in accept order).
    pub connection: u64,
    /// The status answered; `None` for a stream reset or stalled.
    pub status: Option<u16>,
}

#[derive(Debug)]
enum TokenState {
    Registered(String),
    Gone(i64),
}

#[derive(Debug, Default)]
struct State {
    tokens: HashMap<String, TokenState>,
    faults: VecDeque<Fault>,
    goaway_after: Option<usize>,
    received: Vec<Received>,
    connections: u64,
    refused_handshakes: u64,
    next_id: u64,
}

#[derive(Debug)]
struct Shared {
    addr: SocketAddr,
    server_pem: String,
    tls: Arc<ServerConfig>,
    state: Mutex<State>,
    revoked: Arc<RwLock<HashSet<[u8; 32]>>>,
    tasks: Mutex<Vec<AbortHandle>>,
}

/// The stand-in APNs. Stops (every connection ends) when dropped.
#[derive(Debug)]
pub struct StandInApns {
    shared: Arc<Shared>,
    accept: Mutex<Option<AbortHandle>>,
}

/// Why the stand-in could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StandInApnsError {
    /// Listening on 127.0.0.1 failed.
    #[error("the stand-in APNs cannot listen on 127.0.0.1: {0}")]
    Listen(#[from] io::Error),
    /// The server's TLS setup failed.
    #[error("the stand-in APNs' TLS setup failed: {0}")]
    Tls(String),
}

impl StandInApns {
    /// Starts a stand-in that trusts client certificates issued by
    /// `apple`'s push CA, on a free port of 127.0.0.1, with a new
    /// self-signed server certificate for `127.0.0.1` and `localhost`.
    /// Call it inside a tokio runtime, which runs its tasks.
    ///
    /// # Errors
    /// [`StandInApnsError`] when it cannot listen or set up TLS.
    pub async fn start(apple: &StandInApple) -> Result<Self, StandInApnsError> {
        Self::start_trusting(&[apple.root_der(), apple.push_ca_der()]).await
    }

    /// As [`start`](Self::start), trusting client certificates chained to
    /// any of `roots` (DER).
    ///
    /// # Errors
    /// As [`start`](Self::start).
    pub async fn start_trusting(roots: &[&[u8]]) -> Result<Self, StandInApnsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls_error = |e: &dyn std::fmt::Display| StandInApnsError::Tls(e.to_string());
        let server = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
        ])
        .map_err(|e| tls_error(&e))?;
        let mut store = rustls::RootCertStore::empty();
        for root in roots {
            store
                .add(CertificateDer::from(root.to_vec()))
                .map_err(|e| tls_error(&e))?;
        }
        let revoked = Arc::new(RwLock::new(HashSet::new()));
        let inner = WebPkiClientVerifier::builder_with_provider(Arc::new(store), provider.clone())
            .build()
            .map_err(|e| tls_error(&e))?;
        let verifier = Arc::new(RevocationCheck {
            inner,
            revoked: Arc::clone(&revoked),
        });
        let key =
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server.signing_key.serialize_der()));
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error(&e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![server.cert.der().clone()], key)
            .map_err(|e| tls_error(&e))?;
        config.alpn_protocols = vec![b"h2".to_vec()];

        let listener = listen(
            "127.0.0.1:0"
                .parse()
                .map_err(|_| StandInApnsError::Listen(io::Error::other("address")))?,
        )?;
        let shared = Arc::new(Shared {
            addr: listener.local_addr()?,
            server_pem: server.cert.pem(),
            tls: Arc::new(config),
            state: Mutex::new(State::default()),
            revoked,
            tasks: Mutex::new(Vec::new()),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared))).abort_handle();
        Ok(Self {
            shared,
            accept: Mutex::new(Some(accept)),
        })
    }

    /// The address it listens on (127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// Its base URL, `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://{}", self.shared.addr)
    }

    /// Its base URL as an [`Endpoint`].
    pub fn endpoint(&self) -> Endpoint {
        // The URL is made here from an IP address and a port: always valid.
        Endpoint::custom(&self.url()).unwrap_or(Endpoint::DEVELOPMENT)
    }

    /// Its server certificate (PEM), the root a client must trust.
    pub fn server_root_pem(&self) -> &str {
        &self.shared.server_pem
    }

    /// Its server certificate as the client's roots.
    pub fn client_roots(&self) -> ApnsRoots {
        ApnsRoots::from_pem(self.shared.server_pem.as_bytes())
            .unwrap_or_else(|_| ApnsRoots::empty())
    }

    /// Registers `token` for `topic`: pushes to it with that topic are
    /// answered 200.
    pub fn register(&self, token: &DeviceToken, topic: &Topic) {
        lock(&self.shared.state).tokens.insert(
            token.as_hex().to_owned(),
            TokenState::Registered(topic.as_str().to_owned()),
        );
    }

    /// Marks `token` gone since `timestamp_ms` (milliseconds since the Unix
    /// epoch): pushes to it are answered `410 Unregistered`.
    pub fn unregister(&self, token: &DeviceToken, timestamp_ms: i64) {
        lock(&self.shared.state)
            .tokens
            .insert(token.as_hex().to_owned(), TokenState::Gone(timestamp_ms));
    }

    /// Revokes `certificate`: its next handshakes are refused with
    /// `certificate_revoked`. Connections already open keep it, as APNs'.
    pub fn revoke(&self, certificate: &PushCertificate) {
        self.shared
            .revoked
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(certificate.sha256_fingerprint());
    }

    /// Queues `fault` (faults of one kind are served in order).
    pub fn inject(&self, fault: Fault) {
        let mut state = lock(&self.shared.state);
        match fault {
            Fault::GoAwayAfter { after } => state.goaway_after = Some(after),
            other => state.faults.push_back(other),
        }
    }

    /// Every push received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.state).received.clone()
    }

    /// How many connections completed the TLS handshake.
    pub fn connections(&self) -> u64 {
        lock(&self.shared.state).connections
    }

    /// How many handshakes it refused (a client certificate refused, or
    /// another TLS failure).
    pub fn refused_handshakes(&self) -> u64 {
        lock(&self.shared.state).refused_handshakes
    }

    /// Ends every open connection at once, without a GOAWAY (a crash, a
    /// lost network path). It keeps listening.
    pub fn drop_connections(&self) {
        for task in lock(&self.shared.tasks).drain(..) {
            task.abort();
        }
    }

    /// A server restart: stops listening, ends every connection, stays
    /// down for `down_for`, and listens on the same port again.
    ///
    /// # Errors
    /// The port cannot be listened on again.
    pub async fn restart(&self, down_for: Duration) -> Result<(), StandInApnsError> {
        if let Some(accept) = lock(&self.accept).take() {
            accept.abort();
        }
        self.drop_connections();
        tokio::time::sleep(down_for).await;
        let listener = listen(self.shared.addr)?;
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&self.shared))).abort_handle();
        *lock(&self.accept) = Some(accept);
        Ok(())
    }
}

impl Drop for StandInApns {
    fn drop(&mut self) {
        if let Some(accept) = lock(&self.accept).take() {
            accept.abort();
        }
        self.drop_connections();
    }
}

fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = tcp.set_nodelay(true);
        let task = tokio::spawn(serve(tcp, Arc::clone(&shared))).abort_handle();
        let mut tasks = lock(&shared.tasks);
        tasks.retain(|t| !t.is_finished());
        tasks.push(task);
    }
}

/// The connection's client certificate, as the stand-in records it.
struct Peer {
    topic: String,
    sha256: String,
}

async fn serve(tcp: tokio::net::TcpStream, shared: Arc<Shared>) {
    let accept = TlsAcceptor::from(Arc::clone(&shared.tls))
        .accept(tcp)
        .into_fallible()
        .await;
    let tls = match accept {
        Ok(tls) => tls,
        Err((e, mut tcp)) => {
            tracing::debug!(error = %e, "stand-in APNs refused a handshake");
            lock(&shared.state).refused_handshakes += 1;
            // The alert has been sent. Under TLS 1.3 the client has already
            // written its first bytes after its Finished; closing with them
            // unread would answer with a reset, which can discard the alert
            // before the client reads it. Read until the client closes (or
            // a second passes), then close.
            let drain = async {
                let mut buf = [0u8; 4096];
                while matches!(tcp.read(&mut buf).await, Ok(n) if n > 0) {}
            };
            let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
            return;
        }
    };
    let peer = tls
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|chain| chain.first())
        .and_then(|der| PushCertificate::from_der(der).ok())
        .map(|cert| Peer {
            topic: cert.topic().as_str().to_owned(),
            sha256: cert.sha256_fingerprint_hex(),
        })
        .unwrap_or(Peer {
            topic: String::new(),
            sha256: String::new(),
        });
    let (id, goaway) = {
        let mut state = lock(&shared.state);
        state.connections += 1;
        let goaway = match state
            .faults
            .iter()
            .position(|f| matches!(f, Fault::GoAwayOnConnect { .. }))
        {
            Some(i) => state.faults.remove(i),
            None => None,
        };
        (state.connections, goaway)
    };
    if let Some(Fault::GoAwayOnConnect { reason }) = goaway {
        goaway_at_first_request(tls, &reason).await;
        return;
    }
    let mut connection = match h2::server::Builder::new()
        .max_concurrent_streams(1000)
        .initial_window_size(1 << 20)
        .initial_connection_window_size(1 << 24)
        .handshake::<_, Bytes>(tls)
        .await
    {
        Ok(c) => c,
        Err(e) => {
            tracing::debug!(error = %e, "stand-in APNs: HTTP/2 handshake failed");
            return;
        }
    };
    let peer = Arc::new(peer);
    // The streams' tasks end with the connection's (this task's JoinSet).
    let mut streams = JoinSet::new();
    while let Some(next) = connection.accept().await {
        let Ok((request, respond)) = next else { break };
        let shutdown = {
            let mut state = lock(&shared.state);
            match state.goaway_after.as_mut() {
                Some(0) => {
                    state.goaway_after = None;
                    true
                }
                Some(n) => {
                    *n -= 1;
                    if *n == 0 {
                        state.goaway_after = None;
                        true
                    } else {
                        false
                    }
                }
                None => false,
            }
        };
        streams.spawn(answer(
            request,
            respond,
            Arc::clone(&shared),
            Arc::clone(&peer),
            id,
        ));
        if shutdown {
            connection.graceful_shutdown();
        }
        while streams.try_join_next().is_some() {}
    }
    // Streams still stalled end with the connection.
    streams.abort_all();
}

/// What to do with one push.
enum Action {
    Respond(u16, Option<Vec<u8>>, Option<u64>),
    Reset,
    Stall,
}

async fn answer(
    request: http::Request<h2::RecvStream>,
    mut respond: h2::server::SendResponse<Bytes>,
    shared: Arc<Shared>,
    peer: Arc<Peer>,
    connection: u64,
) {
    let (parts, mut body) = request.into_parts();
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let Ok(chunk) = chunk else { return };
        let _ = body.flow_control().release_capacity(chunk.len());
        let room = MAX_BODY.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    let request = http::Request::from_parts(parts, bytes);
    let push = ReceivedPush::read(&request);

    let (action, apns_id) = {
        let mut state = lock(&shared.state);
        state.next_id += 1;
        let apns_id = match push.as_ref().ok().and_then(ReceivedPush::apns_id) {
            Some(id) => id.as_str().to_owned(),
            None => format!("00000000-0000-4000-8000-{:012X}", state.next_id),
        };
        let fault = state.faults.iter().position(|f| {
            matches!(
                f,
                Fault::Answer { .. } | Fault::Reset { .. } | Fault::Stall { .. }
            )
        });
        let action = match fault.and_then(|i| take_one(&mut state.faults, i)) {
            Some(action) => action,
            None => decide(&state, &push, &peer),
        };
        let status = match &action {
            Action::Respond(status, ..) => Some(*status),
            _ => None,
        };
        state.received.push(Received {
            push: push.clone(),
            certificate_topic: peer.topic.clone(),
            certificate_sha256: peer.sha256.clone(),
            connection,
            status,
        });
        (action, apns_id)
    };
    match action {
        Action::Respond(status, body, retry_after) => {
            let mut response = http::Response::builder()
                .status(status)
                .header("apns-id", apns_id);
            if let Some(seconds) = retry_after {
                response = response.header("retry-after", seconds);
            }
            let Ok(response) = response.body(()) else {
                return;
            };
            match body {
                None => {
                    let _ = respond.send_response(response, true);
                }
                Some(body) => {
                    if let Ok(mut stream) = respond.send_response(response, false) {
                        let _ = stream.send_data(Bytes::from(body), true);
                    }
                }
            }
        }
        Action::Reset => respond.send_reset(h2::Reason::INTERNAL_ERROR),
        Action::Stall => {
            // Held open until the client resets it or the connection ends.
            std::future::poll_fn(|cx| respond.poll_reset(cx)).await.ok();
        }
    }
}

/// Takes one use of the fault at `i`, removing it when used up.
fn take_one(faults: &mut VecDeque<Fault>, i: usize) -> Option<Action> {
    let fault = faults.get_mut(i)?;
    let (action, left) = match fault {
        Fault::Answer {
            count,
            status,
            reason,
            retry_after,
        } => {
            *count = count.saturating_sub(1);
            (
                Action::Respond(
                    *status,
                    Some(Reason::from_name(reason).to_body(None)),
                    *retry_after,
                ),
                *count,
            )
        }
        Fault::Reset { count } => {
            *count = count.saturating_sub(1);
            (Action::Reset, *count)
        }
        Fault::Stall { count } => {
            *count = count.saturating_sub(1);
            (Action::Stall, *count)
        }
        Fault::GoAwayOnConnect { .. } | Fault::GoAwayAfter { .. } => return None,
    };
    if left == 0 {
        faults.remove(i);
    }
    Some(action)
}

/// APNs' answer to a push that no fault takes.
fn decide(state: &State, push: &Result<ReceivedPush, Reason>, peer: &Peer) -> Action {
    let refuse = |reason: Reason, timestamp: Option<i64>| {
        let status = reason.documented_status().unwrap_or(400);
        Action::Respond(status, Some(reason.to_body(timestamp)), None)
    };
    let push = match push {
        Ok(push) => push,
        Err(reason) => return refuse(reason.clone(), None),
    };
    if push.topic() != peer.topic {
        return refuse(Reason::TopicDisallowed, None);
    }
    match state.tokens.get(push.token().as_hex()) {
        Some(TokenState::Registered(topic)) if *topic == peer.topic => {
            Action::Respond(200, None, None)
        }
        Some(TokenState::Registered(_)) => refuse(Reason::DeviceTokenNotForTopic, None),
        Some(TokenState::Gone(at)) => refuse(Reason::Unregistered, Some(*at)),
        None => refuse(Reason::BadDeviceToken, None),
    }
}

/// Ends a connection as APNs does for a certificate of the other
/// environment: its SETTINGS, then at the client's first request a GOAWAY
/// with last stream 0 and the reason as debug data.
async fn goaway_at_first_request<T>(mut io: T, reason: &str)
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    const PREFACE: usize = 24;
    if io.write_all(&header(0, SETTINGS, 0, 0)).await.is_err() {
        return;
    }
    let _ = io.flush().await;
    let mut reader = FrameReader::new(HEADERS);
    let mut skipped = 0;
    let mut buf = vec![0; 16 * 1024];
    let mut acked = false;
    let read = async {
        loop {
            let n = match io.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => n,
            };
            let mut bytes = &buf[..n];
            if skipped < PREFACE {
                let skip = (PREFACE - skipped).min(bytes.len());
                skipped += skip;
                bytes = &bytes[skip..];
            }
            let mut saw_headers = false;
            let mut saw_settings = false;
            reader.feed(bytes, &mut |kind, _| {
                saw_headers |= kind == HEADERS;
                saw_settings |= kind == SETTINGS;
            });
            if saw_settings && !acked {
                acked = true;
                if io.write_all(&header(0, SETTINGS, 1, 0)).await.is_err() {
                    return false;
                }
            }
            if saw_headers {
                return true;
            }
        }
    };
    if !matches!(
        tokio::time::timeout(Duration::from_secs(10), read).await,
        Ok(true)
    ) {
        return;
    }
    let goaway = GoAway {
        last_stream_id: 0,
        error_code: 0,
        debug_data: format!(r#"{{"reason":"{reason}"}}"#).into_bytes(),
    };
    let _ = io.write_all(&goaway.encode()).await;
    let _ = io.flush().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _ = io.shutdown().await;
}

/// The stand-in's client verifier: the webpki chain check, then the
/// revocation list (as APNs refuses a revoked push certificate).
#[derive(Debug)]
struct RevocationCheck {
    inner: Arc<dyn ClientCertVerifier>,
    revoked: Arc<RwLock<HashSet<[u8; 32]>>>,
}

impl ClientCertVerifier for RevocationCheck {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.inner.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let verified = self
            .inner
            .verify_client_cert(end_entity, intermediates, now)?;
        let fingerprint = PushCertificate::from_der(end_entity)
            .map(|c| c.sha256_fingerprint())
            .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        if self
            .revoked
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(&fingerprint)
        {
            return Err(rustls::Error::InvalidCertificate(CertificateError::Revoked));
        }
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}
