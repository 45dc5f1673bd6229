//! The client's one error: a client that cannot be built. Pushes never
//! fail: each resolves to an [`Outcome`](mdm_push_cert::apns::Outcome).

use mdm_push_cert::apns::{ApnsTlsError, DeviceTokenError, EndpointError, PushMagicError};

/// Why an [`ApnsClient`](crate::ApnsClient) could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No rustls crypto provider: none was set, this crate was built
    /// without `ring` and `aws-lc-rs`, and the process has no default.
    #[error("no rustls crypto provider: set one, or build with the ring or aws-lc-rs feature")]
    NoCryptoProvider,
    /// The identity's key or the server roots cannot be used.
    #[error(transparent)]
    Tls(#[from] ApnsTlsError),
    /// The endpoint has no TLS server name.
    #[error(transparent)]
    Endpoint(EndpointError),
    /// The probe token was refused (not expected: it is 32 bytes).
    #[error("the probe token: {0}")]
    Probe(DeviceTokenError),
    /// The probe PushMagic was refused (not expected).
    #[error("the probe PushMagic: {0}")]
    ProbeMagic(PushMagicError),
}
