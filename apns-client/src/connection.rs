//! One HTTP/2 connection to APNs: TCP, TLS with the push identity, h2, and
//! the [`Tap`] that reports what h2 keeps to itself.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use mdm_push_cert::apns::{CurrentIdentity, Endpoint, Outcome};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tracing::Instrument as _;

use crate::frames::{SeenSlot, Tap, lock, tls_outcome};

/// Why a connection could not be made, as the push's outcome.
pub(crate) struct ConnectFailed {
    pub(crate) outcome: Outcome,
    pub(crate) detail: String,
}

/// An open connection. Clones of `send` are held by the pushes in flight;
/// when the last is dropped and their streams end, h2 closes the
/// connection and its task ends (the connection has drained).
pub(crate) struct Connection {
    pub(crate) id: u64,
    pub(crate) send: h2::client::SendRequest<Bytes>,
    /// The identity current when the handshake began.
    pub(crate) identity: Arc<CurrentIdentity>,
    pub(crate) seen: SeenSlot,
    /// Set when the connection task ended, or a push found it unusable.
    pub(crate) closed: Arc<AtomicBool>,
}

impl Connection {
    /// Whether new pushes may use it: open, no GOAWAY received.
    pub(crate) fn usable(&self) -> bool {
        !self.closed.load(Ordering::Acquire) && lock(&self.seen).goaway.is_none()
    }

    /// Makes new pushes open another connection; pushes in flight finish.
    pub(crate) fn retire(&self) {
        self.closed.store(true, Ordering::Release);
    }
}

/// Opens a connection to `endpoint`, counted in `open` while its task runs.
pub(crate) async fn connect(
    id: u64,
    endpoint: &Endpoint,
    tls: &Arc<rustls::ClientConfig>,
    identity: Arc<CurrentIdentity>,
    timeout: Duration,
    open: &Arc<AtomicUsize>,
) -> Result<Connection, ConnectFailed> {
    let failed = |detail: String| ConnectFailed {
        outcome: Outcome::no_answer(),
        detail,
    };
    let server_name = endpoint.server_name().map_err(|e| failed(e.to_string()))?;
    let address = (endpoint.host().trim_matches(['[', ']']), endpoint.port());
    let work = async {
        let tcp = TcpStream::connect(address)
            .await
            .map_err(|e| failed(format!("connect: {e}")))?;
        let _ = tcp.set_nodelay(true);
        let tls = TlsConnector::from(Arc::clone(tls))
            .connect(server_name, tcp)
            .await
            .map_err(|e| ConnectFailed {
                outcome: tls_outcome(&e).unwrap_or_else(Outcome::no_answer),
                detail: format!("TLS: {e}"),
            })?;
        let (tap, seen) = Tap::new(tls);
        let (send, connection) = h2::client::Builder::new()
            .initial_window_size(1 << 20)
            .initial_connection_window_size(1 << 24)
            .handshake::<_, Bytes>(tap)
            .await
            .map_err(|e| ConnectFailed {
                outcome: lock(&seen).tls.clone().unwrap_or_else(Outcome::no_answer),
                detail: format!("HTTP/2: {e}"),
            })?;
        Ok::<_, ConnectFailed>((send, connection, seen))
    };
    let (send, connection, seen) = tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| failed(format!("no connection within {timeout:?}")))??;

    let closed = Arc::new(AtomicBool::new(false));
    let task_closed = Arc::clone(&closed);
    let task_open = Arc::clone(open);
    open.fetch_add(1, Ordering::AcqRel);
    tokio::spawn(
        async move {
            match connection.await {
                Ok(()) => tracing::debug!("connection closed"),
                Err(e) => tracing::debug!(error = %e, "connection ended"),
            }
            task_closed.store(true, Ordering::Release);
            task_open.fetch_sub(1, Ordering::AcqRel);
        }
        .instrument(tracing::debug_span!("apns_connection", id)),
    );
    tracing::debug!(id, stamp = ?identity.stamp(), "connected");
    Ok(Connection {
        id,
        send,
        identity,
        seen,
        closed,
    })
}
