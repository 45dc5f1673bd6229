//! From an accepted certificate to a push that reaches the device, as data:
//! the MDM push as an HTTP/2 request, every answer APNs can give typed into
//! one [`Outcome`], the roots APNs' servers chain to, and (feature
//! `rustls`) a TLS configuration with a push identity that can be swapped
//! while connections run.
//!
//! Nothing here does I/O or reads a clock: the APNs client (a separate
//! crate) connects, sends what [`MdmPush::to_request`] makes, and hands
//! back what it received to [`Outcome::from_response`],
//! [`Outcome::from_goaway`] or [`Outcome::from_tls_alert`].
//!
//! ```
//! use mdm_push_cert::apns::{DeviceToken, Endpoint, MdmPush, Outcome, PushMagic};
//! use mdm_push_cert::http::{HeaderMap, StatusCode};
//! use mdm_push_cert::time::macros::datetime;
//! use mdm_push_cert::Topic;
//!
//! // From the device's TokenUpdate check-in, and the push certificate.
//! let token: DeviceToken = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0".parse()?;
//! let magic: PushMagic = "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F".parse()?;
//! let topic: Topic = "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f".parse()?;
//!
//! let push = MdmPush::new(token, magic, datetime!(2026-12-01 09:00 UTC));
//! let request = push.to_request(&Endpoint::PRODUCTION, &topic);
//! assert_eq!(request.headers()["apns-topic"], topic.as_str());
//!
//! // ... the client sends it and reads the answer ...
//! let outcome = Outcome::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(),
//!                                      br#"{"reason":"DeviceTokenNotForTopic"}"#);
//! assert_eq!(outcome.code(), "topic_mismatch");
//! assert!(!outcome.is_retryable() && !outcome.prunes_token());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The push
//!
//! [`MdmPush::to_request`] makes `POST /3/device/<token>` with
//! `apns-topic` (the certificate's topic), `apns-push-type: mdm`,
//! `apns-expiration` (`now` + [`DEFAULT_EXPIRATION`], seven days, unless
//! set: never 0, so that a push to a device offline now is kept),
//! `apns-priority: 10` ([`MDM_PRIORITY`]), `apns-id` when set, and the body
//! exactly `{"mdm":"<PushMagic>"}`. The [`DeviceToken`] is hex of 8 to 100
//! bytes (32 today; Apple says tokens are of variable length), the
//! [`PushMagic`] printable ASCII that needs no JSON escaping.
//! [`ReceivedPush::read`] reads such a request back as APNs checks it, for
//! a stand-in APNs.
//!
//! [`Endpoint::PRODUCTION`] is `https://api.push.apple.com` and
//! [`Endpoint::DEVELOPMENT`] `https://api.development.push.apple.com`, each
//! also on port 2197 (`PRODUCTION_2197`, `DEVELOPMENT_2197`);
//! [`Endpoint::custom`] takes a base URL (scheme and authority) for a
//! staging proxy or a stand-in.
//!
//! # Every answer typed
//!
//! An [`Outcome`] has a [`kind`](Outcome::kind) with a stable
//! [`code`](Outcome::code) ([`OutcomeKind`] lists them), keeps the raw
//! status, `reason`, `apns-id` and `timestamp`, says whether to retry and
//! after how long ([`retry_after`](Outcome::retry_after): `retry-after`,
//! else [`RATE_LIMITED_WAIT`] or [`UNAVAILABLE_WAIT`]) and whether to
//! delete the token ([`prunes_token`](Outcome::prunes_token): `device_gone`
//! only), and has a [`message`](Outcome::message) and
//! [`remedy`](Outcome::remedy) in Japanese and English.
//!
//! Every status and reason of Apple's "Handling notification responses
//! from APNs" (`/3/device`), and where each goes. A reason counts with the
//! status Apple documents for it; 200, 410, 429 and 5xx decide by status
//! alone. In a GOAWAY frame the reason alone decides (no status), except
//! that the reasons about one token (`BadDeviceToken`,
//! `DeviceTokenNotForTopic`, `Unregistered`, `ExpiredToken`) cannot end a
//! connection and are read as no reason, `apns_unavailable`.
//!
//! | status | reason | outcome | why |
//! |---|---|---|---|
//! | 200 | (none) | `delivered` | APNs accepted the push; it does not say the device got it |
//! | 400 | `BadCollapseId` | `request_rejected` | MDM pushes send no collapse id: a bug |
//! | 400 | `BadDeviceToken` | `bad_device_token` | unknown token, or a development token sent to production (or the reverse); not pruned: it may be valid in the other environment |
//! | 400 | `BadExpirationDate` | `request_rejected` | our header |
//! | 400 | `BadMessageId` | `request_rejected` | our `apns-id` |
//! | 400 | `BadPriority` | `request_rejected` | our header |
//! | 400 | `BadTopic` | `topic_mismatch` | the topic we send is the certificate's, so the certificate and topic disagree |
//! | 400 | `DeviceTokenNotForTopic` | `topic_mismatch` | the device enrolled under another certificate's topic: created instead of renewed |
//! | 400 | `DuplicateHeaders` | `request_rejected` | our headers |
//! | 400 | `IdleTimeout` | `apns_unavailable` (no wait) | the connection idled: reconnect |
//! | 400 | `InvalidPushType` | `request_rejected` | our header |
//! | 400 | `MissingDeviceToken` | `request_rejected` | our path |
//! | 400 | `MissingTopic` | `request_rejected` | we always send it |
//! | 400 | `PayloadEmpty` | `request_rejected` | our body |
//! | 400 | `TopicDisallowed` | `topic_mismatch` | this certificate may not push to the topic sent |
//! | 400 | other | `request_rejected` | the request was wrong |
//! | 403 | `BadCertificate` | `certificate_not_trusted` | |
//! | 403 | `BadCertificateEnvironment` | `wrong_environment` | also in a GOAWAY |
//! | 403 | `Forbidden` | `certificate_not_trusted` | the certificate may not do this |
//! | 403 | `ExpiredProviderToken`, `InvalidProviderToken`, `UnrelatedKeyIdInToken`, `BadEnvironmentKeyIdInToken` | `request_rejected` | token authentication, which MDM never uses |
//! | 403 | `MissingProviderToken` | `request_rejected` | no client certificate reached APNs: the client's TLS setup |
//! | 403 | other | `certificate_not_trusted` | Apple: 403 is "an error with the certificate" |
//! | 404 | `BadPath` | `request_rejected` | our path |
//! | 405 | `MethodNotAllowed` | `request_rejected` | our method |
//! | 410 | `Unregistered`, `ExpiredToken`, any | `device_gone` | the token is no longer active: the one signal to prune it; `timestamp` kept |
//! | 413 | `PayloadTooLarge` | `request_rejected` | our body |
//! | 429 | `TooManyRequests`, `TooManyProviderTokenUpdates`, any | `rate_limited` | retry after `retry-after` or [`RATE_LIMITED_WAIT`] |
//! | 500 | `InternalServerError`, any | `apns_unavailable` | retry after `retry-after` or [`UNAVAILABLE_WAIT`] |
//! | 503 | `ServiceUnavailable`, `Shutdown`, any | `apns_unavailable` | as 500 |
//! | other 4xx | any | `request_rejected` | (403 above) |
//! | 1xx, other 2xx, 3xx | any | `request_rejected` | not an answer APNs documents: the request did not go where it should (a proxy, a wrong base URL) |
//!
//! A client certificate APNs refuses in the handshake gets a TLS alert
//! ([`TlsAlert`], [`Outcome::from_tls_alert`]): `certificate_expired` →
//! `certificate_expired`, `certificate_revoked` → `certificate_revoked`;
//! `unknown_ca`, `bad_certificate`, `unsupported_certificate`,
//! `certificate_unknown`, `access_denied`, `decrypt_error` (a certificate
//! naming a trusted issuer that did not sign it), `certificate_required` and
//! `handshake_failure` → `certificate_not_trusted`; any other alert →
//! `apns_unavailable`. A server certificate the client does not trust is
//! `server_not_trusted` ([`Outcome::untrusted_server`]: the server roots are
//! outdated, or a proxy intercepts TLS), a connection that fails or times
//! out `apns_unavailable` ([`Outcome::no_answer`]).
//!
//! Compared with the Go peers: nanomdm's push provider (`push/nanopush`)
//! decodes the same `{"reason","timestamp"}` object from the body and from
//! a GOAWAY's debug data but classifies nothing (every non-200 is one
//! error), sets no `apns-topic`, `apns-push-type` or `apns-priority`, and
//! `apns-expiration` only when configured; sideshow/apns2's `response.go`
//! names 23 of these reasons (not `BadCollapseId`, `InvalidPushType`,
//! `ExpiredToken`, the five token-authentication ones nor
//! `TooManyProviderTokenUpdates`) and reads `timestamp` as seconds, where
//! Apple documents milliseconds.
//!
//! # Trust for APNs' servers
//!
//! [`ApnsRoots::embedded`] holds USERTrust RSA Certification Authority, the
//! root APNs' servers chain to since 2025; the caller adds roots or replaces
//! them ([`ApnsRoots::add_pem`], [`ApnsRoots::from_pem`]).
//!
//! # TLS (feature `rustls`)
//!
//! `client_config` makes a rustls `ClientConfig` for APNs (ALPN `h2`, TLS
//! 1.3 and 1.2, the server roots, the crypto provider the caller passes) and
//! `SwappableIdentity` is its client-certificate resolver: after `swap`, new
//! handshakes present the new certificate at once, and an `IdentityStamp`
//! tells a connection pool which connections are stale.

mod endpoint;
mod json;
mod messages;
mod outcome;
mod push;
mod reason;
mod roots;
#[cfg(feature = "rustls")]
mod tls;
mod token;

pub use endpoint::{Endpoint, EndpointError, Environment};
pub use outcome::{
    Answer, MAX_ANSWER_BODY_LEN, MAX_RETRY_AFTER, Outcome, OutcomeKind, OutcomeResponse,
    RATE_LIMITED_WAIT, UNAVAILABLE_WAIT,
};
pub use push::{
    APNS_EXPIRATION, APNS_ID, APNS_PRIORITY, APNS_PUSH_TYPE, APNS_TOPIC, DEFAULT_EXPIRATION,
    MAX_PAYLOAD_LEN, MDM_PRIORITY, MdmPush, ReceivedPush,
};
pub use reason::{MAX_REASON_LEN, Reason, TlsAlert};
pub use roots::{ApnsRoots, RootsError};
#[cfg(feature = "rustls")]
pub use tls::{
    ALPN_H2, ApnsTlsError, CurrentIdentity, IdentityStamp, SwappableIdentity, client_config,
};
pub use token::{
    ApnsId, ApnsIdError, DeviceToken, DeviceTokenError, MAX_DEVICE_TOKEN_LEN, MAX_PUSH_MAGIC_LEN,
    MIN_DEVICE_TOKEN_LEN, PushMagic, PushMagicError,
};
