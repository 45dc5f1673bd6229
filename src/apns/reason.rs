//! What APNs says when it refuses: the documented `reason` strings, and
//! the TLS alerts of a refused handshake.

use core::fmt;

use crate::apns::json;

/// Longest `reason` kept, in bytes; a longer one is cut (at a character
/// boundary) so that a broken server cannot grow logs without bound.
pub const MAX_REASON_LEN: usize = 256;

/// A `reason` string APNs documents for `/3/device` ("Handling notification
/// responses from APNs", "Response error strings"), or another one, kept as
/// sent. Matched by its exact, case-sensitive name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// 400: the collapse identifier exceeds the maximum allowed size.
    BadCollapseId,
    /// 400: the device token is not valid, or is for the other environment.
    BadDeviceToken,
    /// 400: the `apns-expiration` value is bad.
    BadExpirationDate,
    /// 400: the `apns-id` value is bad.
    BadMessageId,
    /// 400: the `apns-priority` value is bad.
    BadPriority,
    /// 400: the `apns-topic` value is bad.
    BadTopic,
    /// 400: the device token does not match the specified topic.
    DeviceTokenNotForTopic,
    /// 400: one or more headers are repeated.
    DuplicateHeaders,
    /// 400: idle timeout (sent in a GOAWAY when a connection idles).
    IdleTimeout,
    /// 400: the `apns-push-type` value is not valid.
    InvalidPushType,
    /// 400: the device token is not in the request's path.
    MissingDeviceToken,
    /// 400: the `apns-topic` header is missing and required.
    MissingTopic,
    /// 400: the payload is empty.
    PayloadEmpty,
    /// 400: pushing to this topic is not allowed.
    TopicDisallowed,
    /// 403: the certificate is not valid.
    BadCertificate,
    /// 403: the client certificate is for the other environment.
    BadCertificateEnvironment,
    /// 403: the provider token is stale (token authentication only).
    ExpiredProviderToken,
    /// 403: the specified action is not allowed.
    Forbidden,
    /// 403: the provider token is not valid (token authentication only).
    InvalidProviderToken,
    /// 403: neither a certificate nor a provider token was presented.
    MissingProviderToken,
    /// 403: the key id in the provider token is unrelated to this
    /// connection's (token authentication only).
    UnrelatedKeyIdInToken,
    /// 403: the key id in the provider token is for the other environment
    /// (token authentication only).
    BadEnvironmentKeyIdInToken,
    /// 404: the request's `:path` is bad.
    BadPath,
    /// 405: the `:method` is not `POST`.
    MethodNotAllowed,
    /// 410: the device token has expired.
    ExpiredToken,
    /// 410: the device token is inactive for the topic.
    Unregistered,
    /// 413: the payload is too large.
    PayloadTooLarge,
    /// 429: the provider token was updated too often (token
    /// authentication only).
    TooManyProviderTokenUpdates,
    /// 429: too many requests to the same device token.
    TooManyRequests,
    /// 500: an internal server error.
    InternalServerError,
    /// 503: the service is unavailable.
    ServiceUnavailable,
    /// 503: the APNs server is shutting down.
    Shutdown,
    /// A reason Apple does not document (or not yet), as sent, cut to
    /// [`MAX_REASON_LEN`] bytes.
    Other(String),
}

/// Every documented reason, its name and the status Apple documents it
/// with: one table for [`Reason::from_name`], [`Reason::name`] and
/// [`Reason::documented_status`].
const REASONS: &[(Reason, &str, u16)] = &[
    (Reason::BadCollapseId, "BadCollapseId", 400),
    (Reason::BadDeviceToken, "BadDeviceToken", 400),
    (Reason::BadExpirationDate, "BadExpirationDate", 400),
    (Reason::BadMessageId, "BadMessageId", 400),
    (Reason::BadPriority, "BadPriority", 400),
    (Reason::BadTopic, "BadTopic", 400),
    (
        Reason::DeviceTokenNotForTopic,
        "DeviceTokenNotForTopic",
        400,
    ),
    (Reason::DuplicateHeaders, "DuplicateHeaders", 400),
    (Reason::IdleTimeout, "IdleTimeout", 400),
    (Reason::InvalidPushType, "InvalidPushType", 400),
    (Reason::MissingDeviceToken, "MissingDeviceToken", 400),
    (Reason::MissingTopic, "MissingTopic", 400),
    (Reason::PayloadEmpty, "PayloadEmpty", 400),
    (Reason::TopicDisallowed, "TopicDisallowed", 400),
    (Reason::BadCertificate, "BadCertificate", 403),
    (
        Reason::BadCertificateEnvironment,
        "BadCertificateEnvironment",
        403,
    ),
    (Reason::ExpiredProviderToken, "ExpiredProviderToken", 403),
    (Reason::Forbidden, "Forbidden", 403),
    (Reason::InvalidProviderToken, "InvalidProviderToken", 403),
    (Reason::MissingProviderToken, "MissingProviderToken", 403),
    (Reason::UnrelatedKeyIdInToken, "UnrelatedKeyIdInToken", 403),
    (
        Reason::BadEnvironmentKeyIdInToken,
        "BadEnvironmentKeyIdInToken",
        403,
    ),
    (Reason::BadPath, "BadPath", 404),
    (Reason::MethodNotAllowed, "MethodNotAllowed", 405),
    (Reason::ExpiredToken, "ExpiredToken", 410),
    (Reason::Unregistered, "Unregistered", 410),
    (Reason::PayloadTooLarge, "PayloadTooLarge", 413),
    (
        Reason::TooManyProviderTokenUpdates,
        "TooManyProviderTokenUpdates",
        429,
    ),
    (Reason::TooManyRequests, "TooManyRequests", 429),
    (Reason::InternalServerError, "InternalServerError", 500),
    (Reason::ServiceUnavailable, "ServiceUnavailable", 503),
    (Reason::Shutdown, "Shutdown", 503),
];

impl Reason {
    /// Every reason Apple documents, in the order of Apple's table.
    pub fn documented() -> impl Iterator<Item = Reason> {
        REASONS.iter().map(|(r, _, _)| r.clone())
    }

    /// The reason named `name` (exactly, case-sensitive); [`Reason::Other`]
    /// for any other name.
    pub fn from_name(name: &str) -> Self {
        REASONS.iter().find(|(_, n, _)| *n == name).map_or_else(
            || Self::Other(cut(name, MAX_REASON_LEN)),
            |(r, _, _)| r.clone(),
        )
    }

    /// The reason's name as APNs sends it.
    pub fn name(&self) -> &str {
        match self {
            Self::Other(s) => s,
            known => REASONS
                .iter()
                .find(|(r, _, _)| r == known)
                .map_or("", |(_, n, _)| n),
        }
    }

    /// The status Apple documents this reason with; `None` for
    /// [`Reason::Other`].
    pub fn documented_status(&self) -> Option<u16> {
        REASONS
            .iter()
            .find(|(r, _, _)| r == self)
            .map(|(_, _, s)| *s)
    }

    /// The JSON body APNs answers with: `{"reason":"<name>"}`, with
    /// `"timestamp":<ms>` after it when given (APNs sends it with 410). For
    /// a stand-in APNs; the name is escaped as JSON requires.
    pub fn to_body(&self, timestamp_ms: Option<i64>) -> Vec<u8> {
        let mut out = String::from("{\"reason\":");
        json::write_string(&mut out, self.name());
        if let Some(ms) = timestamp_ms {
            out.push_str(",\"timestamp\":");
            out.push_str(&ms.to_string());
        }
        out.push('}');
        out.into_bytes()
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `s` cut to at most `max` bytes, at a character boundary.
fn cut(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default().to_owned()
}

/// A TLS alert the client received from APNs during or after the
/// handshake: how APNs refuses an expired, revoked or foreign client
/// certificate, before any HTTP is spoken. Values are the alert numbers of
/// [RFC 8446 §6] (and RFC 5246 for TLS 1.2).
///
/// With the `rustls` feature, `From<rustls::AlertDescription>` converts
/// rustls's alert by its number: nothing is recognised by its text.
///
/// [RFC 8446 §6]: https://www.rfc-editor.org/rfc/rfc8446#section-6
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsAlert {
    /// `handshake_failure` (40): no acceptable parameters; a TLS 1.2 server
    /// also sends it when a required client certificate is missing.
    HandshakeFailure,
    /// `bad_certificate` (42).
    BadCertificate,
    /// `unsupported_certificate` (43).
    UnsupportedCertificate,
    /// `certificate_revoked` (44).
    CertificateRevoked,
    /// `certificate_expired` (45).
    CertificateExpired,
    /// `certificate_unknown` (46).
    CertificateUnknown,
    /// `unknown_ca` (48): the certificate does not chain to a CA APNs trusts.
    UnknownCa,
    /// `access_denied` (49): a valid certificate, refused by policy.
    AccessDenied,
    /// `decrypt_error` (51): a handshake signature did not verify (a
    /// certificate that names a trusted issuer but was not signed by it, or
    /// a key that is not the certificate's).
    DecryptError,
    /// `certificate_required` (116, TLS 1.3): no client certificate was sent.
    CertificateRequired,
    /// Any other alert, by number.
    Other(u8),
}

impl TlsAlert {
    /// The alert with this number.
    pub fn from_u8(n: u8) -> Self {
        match n {
            40 => Self::HandshakeFailure,
            42 => Self::BadCertificate,
            43 => Self::UnsupportedCertificate,
            44 => Self::CertificateRevoked,
            45 => Self::CertificateExpired,
            46 => Self::CertificateUnknown,
            48 => Self::UnknownCa,
            49 => Self::AccessDenied,
            51 => Self::DecryptError,
            116 => Self::CertificateRequired,
            n => Self::Other(n),
        }
    }

    /// The alert's number.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::HandshakeFailure => 40,
            Self::BadCertificate => 42,
            Self::UnsupportedCertificate => 43,
            Self::CertificateRevoked => 44,
            Self::CertificateExpired => 45,
            Self::CertificateUnknown => 46,
            Self::UnknownCa => 48,
            Self::AccessDenied => 49,
            Self::DecryptError => 51,
            Self::CertificateRequired => 116,
            Self::Other(n) => n,
        }
    }

    /// The alert's name in the RFC (`certificate_expired`), or `alert_<n>`.
    pub fn name(self) -> String {
        match Self::from_u8(self.to_u8()) {
            Self::HandshakeFailure => "handshake_failure".to_owned(),
            Self::BadCertificate => "bad_certificate".to_owned(),
            Self::UnsupportedCertificate => "unsupported_certificate".to_owned(),
            Self::CertificateRevoked => "certificate_revoked".to_owned(),
            Self::CertificateExpired => "certificate_expired".to_owned(),
            Self::CertificateUnknown => "certificate_unknown".to_owned(),
            Self::UnknownCa => "unknown_ca".to_owned(),
            Self::AccessDenied => "access_denied".to_owned(),
            Self::DecryptError => "decrypt_error".to_owned(),
            Self::CertificateRequired => "certificate_required".to_owned(),
            Self::Other(n) => format!("alert_{n}"),
        }
    }
}

#[cfg(feature = "rustls")]
impl From<rustls::AlertDescription> for TlsAlert {
    fn from(alert: rustls::AlertDescription) -> Self {
        Self::from_u8(u8::from(alert))
    }
}
