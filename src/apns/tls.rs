//! The TLS side of an APNs client (feature `rustls`): a client
//! configuration for APNs, and a client-certificate resolver whose push
//! identity is swapped while connections run.

use core::fmt;
use std::sync::{Arc, RwLock};

use rustls::client::ResolvesClientCert;
use rustls::crypto::CryptoProvider;
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, SignatureScheme};
use time::OffsetDateTime;

use crate::apns::roots::{ApnsRoots, RootsError};
use crate::identity::{IdentityError, PushIdentity};
use crate::topic::Topic;

/// The ALPN protocol APNs speaks: HTTP/2.
pub const ALPN_H2: &[u8] = b"h2";

/// Why a TLS configuration or identity for APNs could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApnsTlsError {
    /// The identity's key could not be encoded for rustls.
    #[error("the push identity could not be exported: {0}")]
    Identity(#[source] IdentityError),
    /// The crypto provider cannot sign with the identity's key.
    #[error("the crypto provider cannot use the push identity's key: {detail}")]
    UnusableKey {
        /// What rustls reported.
        detail: String,
    },
    /// A server root is not usable as a trust anchor.
    #[error("{0}")]
    Roots(#[source] RootsError),
    /// The crypto provider supports none of TLS 1.2 and 1.3.
    #[error("the crypto provider cannot make a TLS client configuration: {detail}")]
    Provider {
        /// What rustls reported.
        detail: String,
    },
}

/// Which certificate a connection authenticated with, for a connection
/// pool to compare with [`SwappableIdentity::stamp`]: a connection whose
/// stamp differs from the current one is stale, and is drained and replaced.
///
/// The generation counts swaps (the same certificate swapped in again is a
/// new generation); the fingerprint is the push certificate's SHA-256.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdentityStamp {
    generation: u64,
    sha256: [u8; 32],
}

impl IdentityStamp {
    /// The swap count: 0 for the identity the resolver was made with.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The push certificate's SHA-256 fingerprint.
    pub fn sha256_fingerprint(&self) -> [u8; 32] {
        self.sha256
    }

    /// The fingerprint as 64 lower-case hex digits.
    pub fn sha256_fingerprint_hex(&self) -> String {
        crate::display::hex(&self.sha256)
    }
}

impl fmt::Debug for IdentityStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "IdentityStamp(#{} sha256 {})",
            self.generation,
            self.sha256_fingerprint_hex()
        )
    }
}

/// One identity as the resolver serves it: the rustls key, and what a
/// connection pool needs to know about it, read together.
///
/// It is itself a resolver that always serves this one identity: a pool
/// that wants to know exactly which certificate each connection used builds
/// the connection's configuration with it ([`client_config`]) and keeps its
/// [`stamp`](Self::stamp) with the connection.
pub struct CurrentIdentity {
    key: Arc<CertifiedKey>,
    stamp: IdentityStamp,
    topic: Topic,
    not_after: OffsetDateTime,
}

impl CurrentIdentity {
    /// The stamp of this identity.
    pub fn stamp(&self) -> IdentityStamp {
        self.stamp
    }

    /// The push certificate's topic: the `apns-topic` of every push on a
    /// connection made with this identity.
    pub fn topic(&self) -> &Topic {
        &self.topic
    }

    /// The push certificate's `notAfter`.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// The rustls certificate and signing key.
    pub fn certified_key(&self) -> &Arc<CertifiedKey> {
        &self.key
    }
}

impl fmt::Debug for CurrentIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentIdentity")
            .field("stamp", &self.stamp)
            .field("topic", &self.topic)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

impl ResolvesClientCert for CurrentIdentity {
    fn resolve(&self, _hints: &[&[u8]], _schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(&self.key))
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// The push identity of an APNs client, swapped atomically while
/// connections run: a rustls client-certificate resolver that serves, to
/// every handshake, the identity current at that moment.
///
/// After [`swap`](Self::swap) returns, every new handshake presents the new
/// certificate; connections already open keep theirs (TLS cannot change a
/// connection's certificate), so a pool compares each connection's stamp
/// with [`stamp`](Self::stamp) and replaces the stale ones, letting their
/// streams finish first.
///
/// A pool learns which certificate a connection used in one of two ways:
///
/// - **Pinned** (exact): take [`current`](Self::current), build that
///   connection's configuration with it as the resolver
///   ([`client_config`]`(.., current.clone())`), and keep its stamp and
///   topic with the connection.
/// - **Live**: build one configuration with the `SwappableIdentity` itself
///   as the resolver ([`SwappableIdentity::client_config`]) and read the
///   stamp *before* connecting. A swap racing the handshake can then give a
///   connection the newer certificate under the older stamp, which only
///   makes the pool replace it once more; never the reverse.
///
/// ```
/// # #[cfg(feature = "testing")] {
/// use std::sync::Arc;
/// use mdm_push_cert::apns::{ApnsRoots, SwappableIdentity};
/// use mdm_push_cert::testing::StandInApple;
/// use mdm_push_cert::time::OffsetDateTime;
/// use mdm_push_cert::PushIdentity;
///
/// let apple = StandInApple::new(7);
/// let key = apple.customer_key(1)?;
/// let now = OffsetDateTime::UNIX_EPOCH + mdm_push_cert::time::Duration::days(20_000);
/// let first = apple.first_registration(&key, now)?;
/// let identity = Arc::new(SwappableIdentity::new(
///     &PushIdentity::new(first.clone(), key.clone())?,
///     Arc::new(rustls::crypto::ring::default_provider()),
/// )?);
/// let config = identity.client_config(&ApnsRoots::embedded())?; // for every connection
/// let before = identity.stamp();
///
/// let renewed = apple.renewal(&first, &key, now)?;
/// let after = identity.swap(&PushIdentity::new(renewed.clone(), key)?)?;
/// assert_ne!(before, after);
/// assert_eq!(after.sha256_fingerprint(), renewed.sha256_fingerprint());
/// assert!(!identity.is_current(&before)); // connections made before are stale
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SwappableIdentity {
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CurrentIdentity>>,
}

impl fmt::Debug for SwappableIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SwappableIdentity")
            .field("current", &self.current())
            .finish_non_exhaustive()
    }
}

impl SwappableIdentity {
    /// A resolver serving `identity`, whose key `provider` loads (the
    /// provider the client's TLS uses: ring, aws-lc-rs, or another).
    ///
    /// # Errors
    /// [`ApnsTlsError::Identity`] or [`ApnsTlsError::UnusableKey`].
    pub fn new(
        identity: &PushIdentity,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, ApnsTlsError> {
        let current = load(identity, &provider)?;
        Ok(Self {
            provider,
            current: RwLock::new(Arc::new(current)),
        })
    }

    /// Makes `identity` the one every new handshake presents, at once; the
    /// new stamp is returned. The key is loaded before anything changes: on
    /// an error the current identity stays.
    ///
    /// # Errors
    /// [`ApnsTlsError::Identity`] or [`ApnsTlsError::UnusableKey`].
    pub fn swap(&self, identity: &PushIdentity) -> Result<IdentityStamp, ApnsTlsError> {
        // The key is loaded outside the lock (resolvers keep reading the
        // old identity meanwhile); the generation is taken under it, so
        // stamps are ordered as the swaps that made them.
        let mut next = load(identity, &self.provider)?;
        let mut slot = self.current.write().unwrap_or_else(|p| p.into_inner());
        next.stamp.generation = slot.stamp.generation.saturating_add(1);
        let stamp = next.stamp;
        *slot = Arc::new(next);
        Ok(stamp)
    }

    /// The identity current now.
    pub fn current(&self) -> Arc<CurrentIdentity> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The stamp of the identity current now.
    pub fn stamp(&self) -> IdentityStamp {
        self.current().stamp
    }

    /// Whether `stamp` is the current identity's: `false` means a
    /// connection made with it is stale.
    pub fn is_current(&self, stamp: &IdentityStamp) -> bool {
        self.stamp() == *stamp
    }

    /// The crypto provider keys are loaded with.
    pub fn provider(&self) -> &Arc<CryptoProvider> {
        &self.provider
    }

    /// A client configuration for APNs with this resolver (the live way):
    /// [`client_config`] with this identity's provider.
    ///
    /// # Errors
    /// As [`client_config`].
    pub fn client_config(
        self: &Arc<Self>,
        roots: &ApnsRoots,
    ) -> Result<ClientConfig, ApnsTlsError> {
        client_config(
            Arc::clone(&self.provider),
            roots,
            Arc::clone(self) as Arc<dyn ResolvesClientCert>,
        )
    }
}

impl ResolvesClientCert for SwappableIdentity {
    fn resolve(&self, _hints: &[&[u8]], _schemes: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        Some(Arc::clone(&self.current().key))
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// The rustls key and stamp (generation 0) of `identity`.
fn load(
    identity: &PushIdentity,
    provider: &CryptoProvider,
) -> Result<CurrentIdentity, ApnsTlsError> {
    let (chain, key) = identity.to_rustls().map_err(ApnsTlsError::Identity)?;
    let key =
        CertifiedKey::from_der(chain, key, provider).map_err(|e| ApnsTlsError::UnusableKey {
            detail: e.to_string(),
        })?;
    let certificate = identity.certificate();
    Ok(CurrentIdentity {
        key: Arc::new(key),
        stamp: IdentityStamp {
            generation: 0,
            sha256: certificate.sha256_fingerprint(),
        },
        topic: identity.topic().clone(),
        not_after: certificate.not_after(),
    })
}

/// A rustls client configuration for APNs: `provider`'s TLS 1.3 and 1.2
/// (APNs takes "TLS 1.2 or later"), the server `roots`, ALPN `h2` only, the
/// client certificate from `resolver` (a [`SwappableIdentity`] or a
/// [`CurrentIdentity`]), and no session resumption: a resumed session
/// keeps the client certificate of the session it resumes, so after a
/// swap APNs would still see the previous certificate. Connect with [`Endpoint::server_name`](crate::apns::Endpoint::server_name).
///
/// # Errors
/// [`ApnsTlsError::Roots`] for an unusable root, [`ApnsTlsError::Provider`]
/// for a provider without TLS 1.2 or 1.3.
pub fn client_config(
    provider: Arc<CryptoProvider>,
    roots: &ApnsRoots,
    resolver: Arc<dyn ResolvesClientCert>,
) -> Result<ClientConfig, ApnsTlsError> {
    let store = roots.to_root_store().map_err(ApnsTlsError::Roots)?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ApnsTlsError::Provider {
            detail: e.to_string(),
        })?
        .with_root_certificates(store)
        .with_client_cert_resolver(resolver);
    config.alpn_protocols = vec![ALPN_H2.to_vec()];
    // A resumed session is authenticated by the certificate of the session
    // it resumes: after a swap, the server would still see the previous
    // certificate (found by the stand-in APNs). Every handshake is full.
    config.resumption = rustls::client::Resumption::disabled();
    Ok(config)
}
