//! Every answer to a push, typed: APNs' HTTP status and `reason`, the reason
//! in a GOAWAY frame, the TLS alert a refused certificate gets, or no answer
//! at all, each mapped to one [`Outcome`] with a stable code, the raw
//! answer kept, and a message and remedy for people.

use core::fmt;
use core::time::Duration;

use http::header::HeaderMap;
use time::OffsetDateTime;

use crate::apns::json;
use crate::apns::push::APNS_ID;
use crate::lang::Lang;

/// The wait before retrying after `429 TooManyRequests` when APNs sends no
/// `retry-after`: one minute.
///
/// APNs limits pushes per device token. One push is enough for a device to
/// check in and fetch every queued command, so waiting a minute loses
/// nothing; retrying at once would only extend the limit.
pub const RATE_LIMITED_WAIT: Duration = Duration::from_secs(60);

/// The first wait before retrying after `500`, `503` or a failed
/// connection when APNs sends no `retry-after`: five seconds. A client
/// grows it on repeated failures (exponential backoff); after a GOAWAY that
/// ends a connection the wait is zero: a new connection is the remedy.
pub const UNAVAILABLE_WAIT: Duration = Duration::from_secs(5);

/// The longest `retry-after` honoured, one hour: a larger value (or a
/// broken header) must not park a push for days.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Longest `reason` kept, in bytes; a longer one is cut (at a character
/// boundary) so that a broken server cannot grow logs without bound.
pub const MAX_REASON_LEN: usize = 256;

/// Longest response body or GOAWAY debug data read, in bytes: APNs sends
/// well under 200. A client reads at most this much before classifying;
/// what is longer is classified by its status alone.
pub const MAX_ANSWER_BODY_LEN: usize = 64 * 1024;

/// Longest `apns-id` header kept, in bytes.
const MAX_APNS_ID_LEN: usize = 128;

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

/// What became of a push: one stable code per way an answer is handled.
///
/// | code | meaning | retry | prune the token |
/// |---|---|---|---|
/// | `delivered` | APNs accepted the push (200) | no | no |
/// | `device_gone` | the token is no longer active (410) | no | **yes** |
/// | `bad_device_token` | APNs does not know the token (400 `BadDeviceToken`), or it is for the other environment | no | no |
/// | `topic_mismatch` | the token or the certificate is for another topic | no | no |
/// | `certificate_expired` | APNs refused the certificate as expired | no | no |
/// | `certificate_revoked` | APNs refused the certificate as revoked | no | no |
/// | `certificate_not_trusted` | APNs refused the certificate otherwise | no | no |
/// | `wrong_environment` | the certificate is for the other environment (403 `BadCertificateEnvironment`) | no | no |
/// | `rate_limited` | too many pushes to this device (429) | after the wait | no |
/// | `apns_unavailable` | APNs failed or could not be reached (5xx, GOAWAY, no answer) | after the wait | no |
/// | `request_rejected` | the request was wrong: a bug of the sender, not the administrator's problem | no | no |
/// | `server_not_trusted` | the APNs server's certificate does not chain to the configured server roots | no | no |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// `delivered`.
    Delivered,
    /// `device_gone`.
    DeviceGone,
    /// `bad_device_token`.
    BadDeviceToken,
    /// `topic_mismatch`.
    TopicMismatch,
    /// `certificate_expired`.
    CertificateExpired,
    /// `certificate_revoked`.
    CertificateRevoked,
    /// `certificate_not_trusted`.
    CertificateNotTrusted,
    /// `wrong_environment`.
    WrongEnvironment,
    /// `rate_limited`.
    RateLimited,
    /// `apns_unavailable`.
    ApnsUnavailable,
    /// `request_rejected`.
    RequestRejected,
    /// `server_not_trusted`.
    ServerNotTrusted,
}

impl OutcomeKind {
    /// Every kind, in the order of the table above.
    pub const ALL: &'static [OutcomeKind] = &[
        Self::Delivered,
        Self::DeviceGone,
        Self::BadDeviceToken,
        Self::TopicMismatch,
        Self::CertificateExpired,
        Self::CertificateRevoked,
        Self::CertificateNotTrusted,
        Self::WrongEnvironment,
        Self::RateLimited,
        Self::ApnsUnavailable,
        Self::RequestRejected,
        Self::ServerNotTrusted,
    ];

    /// The stable snake-case code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Delivered => "delivered",
            Self::DeviceGone => "device_gone",
            Self::BadDeviceToken => "bad_device_token",
            Self::TopicMismatch => "topic_mismatch",
            Self::CertificateExpired => "certificate_expired",
            Self::CertificateRevoked => "certificate_revoked",
            Self::CertificateNotTrusted => "certificate_not_trusted",
            Self::WrongEnvironment => "wrong_environment",
            Self::RateLimited => "rate_limited",
            Self::ApnsUnavailable => "apns_unavailable",
            Self::RequestRejected => "request_rejected",
            Self::ServerNotTrusted => "server_not_trusted",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// Whether the same push may succeed later unchanged: `rate_limited`
    /// and `apns_unavailable`.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::ApnsUnavailable)
    }

    /// Whether the device token should be deleted: `device_gone` only, the
    /// one answer Apple says means the token will not work again.
    pub fn prunes_token(self) -> bool {
        self == Self::DeviceGone
    }

    /// Whether APNs took the client certificate and processed the request
    /// with it: `delivered`, `device_gone` and `bad_device_token`. A probe
    /// pushes to a token no device holds: `bad_device_token` then proves the
    /// certificate good.
    pub fn certificate_accepted(self) -> bool {
        matches!(
            self,
            Self::Delivered | Self::DeviceGone | Self::BadDeviceToken
        )
    }

    /// Whether the outcome is about the push certificate (the
    /// administrator's to fix): expired, revoked, not trusted, wrong
    /// environment or topic mismatch.
    pub fn is_certificate_problem(self) -> bool {
        matches!(
            self,
            Self::CertificateExpired
                | Self::CertificateRevoked
                | Self::CertificateNotTrusted
                | Self::WrongEnvironment
                | Self::TopicMismatch
        )
    }

    /// The code of the nearest of the upload check's four messages
    /// ([`UploadError::code`](crate::upload_error::UploadError::code)),
    /// where one fits: for a server that probes APNs with a just-uploaded
    /// certificate and answers the upload with it.
    ///
    /// - `certificate_expired`, `certificate_revoked`,
    ///   `certificate_not_trusted` → `invalid_certificate`: the certificate
    ///   cannot be used, as an expired or foreign upload cannot;
    /// - `topic_mismatch` → `topic_mismatch`: the same fact, a certificate
    ///   created instead of renewed;
    /// - `rate_limited`, `apns_unavailable` → `retry_later`: try again later;
    /// - the others → `None`: `wrong_environment`, `request_rejected` and
    ///   `server_not_trusted` are the server's setting or fault, not the
    ///   uploaded file's, and the rest are not refusals of the certificate.
    pub fn nearest_upload_code(self) -> Option<&'static str> {
        match self {
            Self::CertificateExpired | Self::CertificateRevoked | Self::CertificateNotTrusted => {
                Some("invalid_certificate")
            }
            Self::TopicMismatch => Some("topic_mismatch"),
            Self::RateLimited | Self::ApnsUnavailable => Some("retry_later"),
            Self::Delivered
            | Self::DeviceGone
            | Self::BadDeviceToken
            | Self::WrongEnvironment
            | Self::RequestRejected
            | Self::ServerNotTrusted => None,
        }
    }

    /// The message to show the administrator; sentences are separated by `\n`.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Delivered, Lang::Ja) => "APNsがプッシュ通知を受け付けました。",
            (Self::Delivered, Lang::En) => "APNs accepted the push notification.",
            (Self::DeviceGone, Lang::Ja) => {
                "端末のプッシュトークンが無効になっています。\n端末の管理が解除されたか、初期化された可能性があります。"
            }
            (Self::DeviceGone, Lang::En) => {
                "The device's push token is no longer valid.\nThe device may have been unenrolled or erased."
            }
            (Self::BadDeviceToken, Lang::Ja) => {
                "APNsが端末のプッシュトークンを受け付けませんでした。\n接続先のAPNsサーバー(本番用または開発用)が端末と異なるか、トークンが正しくない可能性があります。"
            }
            (Self::BadDeviceToken, Lang::En) => {
                "APNs did not accept the device's push token.\nThe MDM server may be using a different APNs server (production or development) from the device's, or the token may be wrong."
            }
            (Self::TopicMismatch, Lang::Ja) => {
                "端末を登録したときのMDM証明書と、現在のMDM証明書が異なります。\n端末にプッシュ通知を送信できません。"
            }
            (Self::TopicMismatch, Lang::En) => {
                "The MDM certificate differs from the one the device was enrolled with.\nPush notifications cannot be sent to the device."
            }
            (Self::CertificateExpired, Lang::Ja) => {
                "MDM証明書の有効期限が切れています。\n端末にプッシュ通知を送信できないため、端末を管理できません。"
            }
            (Self::CertificateExpired, Lang::En) => {
                "The MDM certificate has expired.\nPush notifications cannot be sent, so devices cannot be managed."
            }
            (Self::CertificateRevoked, Lang::Ja) => {
                "MDM証明書が失効しています。\n端末にプッシュ通知を送信できないため、端末を管理できません。"
            }
            (Self::CertificateRevoked, Lang::En) => {
                "The MDM certificate has been revoked.\nPush notifications cannot be sent, so devices cannot be managed."
            }
            (Self::CertificateNotTrusted, Lang::Ja) => {
                "APNsがMDM証明書を受け付けませんでした。\n端末にプッシュ通知を送信できません。"
            }
            (Self::CertificateNotTrusted, Lang::En) => {
                "APNs did not accept the MDM certificate.\nPush notifications cannot be sent to devices."
            }
            (Self::WrongEnvironment, Lang::Ja) => {
                "MDM証明書と接続先のAPNsサーバー(本番用または開発用)が一致していません。\n端末にプッシュ通知を送信できません。"
            }
            (Self::WrongEnvironment, Lang::En) => {
                "The MDM certificate is not for the APNs server (production or development) the MDM server connects to.\nPush notifications cannot be sent to devices."
            }
            (Self::RateLimited, Lang::Ja) => {
                "この端末へのプッシュ通知が多すぎるため、APNsが一時的に受け付けていません。"
            }
            (Self::RateLimited, Lang::En) => {
                "APNs is refusing push notifications to this device for a while: too many were sent."
            }
            (Self::ApnsUnavailable, Lang::Ja) => "APNsに一時的に接続できません。",
            (Self::ApnsUnavailable, Lang::En) => "APNs cannot be reached for now.",
            (Self::RequestRejected, Lang::Ja) => {
                "MDMサーバーの不具合により、APNsがプッシュ通知の要求を拒否しました。"
            }
            (Self::RequestRejected, Lang::En) => {
                "APNs refused the push request because of a fault in the MDM server."
            }
            (Self::ServerNotTrusted, Lang::Ja) => {
                "APNsサーバーの証明書を確認できませんでした。\n端末にプッシュ通知を送信できません。"
            }
            (Self::ServerNotTrusted, Lang::En) => {
                "The APNs server's certificate could not be verified.\nPush notifications cannot be sent to devices."
            }
        }
    }

    /// What the administrator should do next; sentences are separated by `\n`.
    pub fn remedy(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Delivered, Lang::Ja) => "対応は不要です。",
            (Self::Delivered, Lang::En) => "No action is needed.",
            (Self::DeviceGone, Lang::Ja) => {
                "MDM証明書の対応は不要です。\n端末を再度登録すると、プッシュ通知を送信できるようになります。"
            }
            (Self::DeviceGone, Lang::En) => {
                "Nothing needs to be done about the MDM certificate.\nPush notifications can be sent again once the device is enrolled again."
            }
            (Self::BadDeviceToken, Lang::Ja) => {
                "MDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。\n解決しない場合は、端末を再度登録してください。"
            }
            (Self::BadDeviceToken, Lang::En) => {
                "Check that the MDM server sends push notifications to the production APNs server.\nIf the problem persists, enroll the device again."
            }
            (Self::TopicMismatch, Lang::Ja) => {
                "MDM証明書は、前回発行した同じ証明書を更新し、アップロードする必要があります。\n証明書を新規作成せず、前回発行したMDM証明書を更新してダウンロードし、アップロードしてください。"
            }
            (Self::TopicMismatch, Lang::En) => {
                "The MDM certificate must be a renewal of the certificate issued last time.\nDo not create a new certificate: renew the certificate issued last time, download it and upload it."
            }
            (Self::CertificateExpired, Lang::Ja) => {
                "すぐにMDM証明書を更新してください。\nMDM証明書は有効期限後も更新できます。前回発行したMDM証明書を更新してアップロードすると、端末の管理を再開できます。"
            }
            (Self::CertificateExpired, Lang::En) => {
                "Renew the MDM certificate now.\nAn MDM certificate can be renewed after it has expired: renew the certificate issued last time and upload it to resume managing devices."
            }
            (Self::CertificateRevoked, Lang::Ja) => {
                "MDM証明書を更新した場合は、更新したMDM証明書をアップロードしてください。\n更新していない場合は、MDM証明書を作成したApple IDでApple Push Certificates Portalにサインインし、証明書の状態を確認してください。"
            }
            (Self::CertificateRevoked, Lang::En) => {
                "If you renewed the MDM certificate, upload the renewed certificate.\nOtherwise, sign in to Apple Push Certificates Portal with the Apple ID that created the certificate and check its status."
            }
            (Self::CertificateNotTrusted, Lang::Ja) => {
                "Apple Push Certificates Portalで発行されたMDM証明書がアップロードされているか確認してください。\n解決しない場合は、前回発行したMDM証明書を更新し、アップロードしてください。"
            }
            (Self::CertificateNotTrusted, Lang::En) => {
                "Check that the uploaded MDM certificate was issued by Apple Push Certificates Portal.\nIf the problem persists, renew the certificate issued last time and upload it."
            }
            (Self::WrongEnvironment, Lang::Ja) => {
                "Apple Push Certificates Portalで発行されたMDM証明書は本番用です。\nMDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。"
            }
            (Self::WrongEnvironment, Lang::En) => {
                "MDM certificates issued by Apple Push Certificates Portal are for production.\nCheck that the MDM server sends push notifications to the production APNs server."
            }
            (Self::RateLimited, Lang::Ja) => "しばらく待ってから再度実行してください。",
            (Self::RateLimited, Lang::En) => "Wait a while and try again.",
            (Self::ApnsUnavailable, Lang::Ja) => {
                "ネットワークへの接続が不安定になっている可能性があります。\n時間をおいて再度実行してください。"
            }
            (Self::ApnsUnavailable, Lang::En) => {
                "The network connection may be unstable.\nWait a while and try again."
            }
            (Self::RequestRejected, Lang::Ja) => {
                "MDM証明書の問題ではありません。\n詳細を添えて、MDMサーバーの提供元にお問い合わせください。"
            }
            (Self::RequestRejected, Lang::En) => {
                "This is not a problem with the MDM certificate.\nContact the MDM server's provider with the details."
            }
            (Self::ServerNotTrusted, Lang::Ja) => {
                "MDM証明書の問題ではありません。\nMDMサーバーのAPNsサーバー用ルート証明書が最新か、通信を中継する機器が証明書を差し替えていないか、MDMサーバーの提供元にお問い合わせください。"
            }
            (Self::ServerNotTrusted, Lang::En) => {
                "This is not a problem with the MDM certificate.\nAsk the MDM server's provider whether its root certificates for APNs are up to date and whether a proxy replaces certificates on the connection."
            }
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How the answer came: what [`Outcome`] was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Answer {
    /// An HTTP response with this status.
    Status(u16),
    /// A GOAWAY frame that ended the connection before the push was answered.
    GoAway,
    /// A TLS alert from APNs.
    TlsAlert(TlsAlert),
    /// The client could not verify the APNs server's certificate.
    UntrustedServer,
    /// No answer: the connection failed, was reset or timed out.
    NoAnswer,
}

/// What became of one push: its [`OutcomeKind`] (with a stable
/// [`code`](Self::code)), and the raw answer it was read from (status,
/// `reason`, `apns-id`, timestamp, TLS alert), with the wait before a retry
/// and a message and remedy for people.
///
/// Made from one of: an HTTP response ([`from_response`](Self::from_response)),
/// the debug data of a GOAWAY frame ([`from_goaway`](Self::from_goaway)), a
/// TLS alert ([`from_tls_alert`](Self::from_tls_alert)), a server
/// certificate the client did not trust
/// ([`untrusted_server`](Self::untrusted_server)) or no answer at all
/// ([`no_answer`](Self::no_answer)). The module documentation has the whole
/// table of statuses and reasons.
///
/// ```
/// use mdm_push_cert::apns::{Outcome, OutcomeKind, Reason};
/// use mdm_push_cert::http::{HeaderMap, StatusCode};
/// use mdm_push_cert::Lang;
///
/// let body = br#"{"reason":"Unregistered","timestamp":1764579600000}"#;
/// let gone = Outcome::from_response(StatusCode::GONE, &HeaderMap::new(), body);
/// assert_eq!(gone.kind(), OutcomeKind::DeviceGone);
/// assert_eq!(gone.code(), "device_gone");
/// assert!(gone.prunes_token());
/// assert_eq!(gone.reason(), Some(&Reason::Unregistered));
/// assert_eq!(gone.timestamp_ms(), Some(1_764_579_600_000));
///
/// let wrong = Outcome::from_goaway(br#"{"reason":"BadCertificateEnvironment"}"#);
/// assert_eq!(wrong.code(), "wrong_environment");
/// assert!(!wrong.is_retryable());
/// assert!(wrong.message(Lang::Ja).starts_with("MDM証明書と接続先のAPNsサーバー"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    kind: OutcomeKind,
    answer: Answer,
    reason: Option<Reason>,
    apns_id: Option<String>,
    timestamp_ms: Option<i64>,
    retry_after: Option<Duration>,
}

impl Outcome {
    /// Classifies an HTTP response from APNs: its status, its headers
    /// (`apns-id`, `retry-after`) and its body (`{"reason": ..,
    /// "timestamp": ..}`; read up to [`MAX_ANSWER_BODY_LEN`] bytes).
    ///
    /// The status decides first: 200 is `delivered` (whatever the body),
    /// 410 `device_gone`, 429 `rate_limited`, any 5xx `apns_unavailable`.
    /// For another 4xx the reason decides when Apple documents it with that
    /// status; otherwise 403 is `certificate_not_trusted` (Apple: "an error
    /// with the certificate") and any other status `request_rejected`.
    pub fn from_response(status: http::StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let status = status.as_u16();
        let fields = if status == 200 || body.len() > MAX_ANSWER_BODY_LEN {
            None
        } else {
            json::read_fields(body)
        };
        let (reason, timestamp_ms) = fields.map_or((None, None), |f| {
            (f.reason.map(|r| Reason::from_name(&r)), f.timestamp)
        });
        let kind = match status {
            200 => OutcomeKind::Delivered,
            410 => OutcomeKind::DeviceGone,
            429 => OutcomeKind::RateLimited,
            500..=599 => OutcomeKind::ApnsUnavailable,
            400..=499 => reason
                .as_ref()
                .filter(|r| r.documented_status() == Some(status))
                .and_then(kind_of_reason)
                .unwrap_or(if status == 403 {
                    OutcomeKind::CertificateNotTrusted
                } else {
                    OutcomeKind::RequestRejected
                }),
            _ => OutcomeKind::RequestRejected,
        };
        let apns_id = headers
            .get(APNS_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= MAX_APNS_ID_LEN)
            .map(str::to_owned);
        let retry_after = kind.is_retryable().then(|| {
            let default = match (kind, &reason) {
                (OutcomeKind::RateLimited, _) => RATE_LIMITED_WAIT,
                (_, Some(Reason::IdleTimeout)) => Duration::ZERO,
                _ => UNAVAILABLE_WAIT,
            };
            retry_after_header(headers).unwrap_or(default)
        });
        Self {
            kind,
            answer: Answer::Status(status),
            reason,
            apns_id,
            timestamp_ms,
            retry_after,
        }
    }

    /// Classifies a response as the `http` crate holds it: as
    /// [`from_response`](Self::from_response).
    pub fn from_http_response<B: AsRef<[u8]>>(response: &http::Response<B>) -> Self {
        Self::from_response(
            response.status(),
            response.headers(),
            response.body().as_ref(),
        )
    }

    /// Classifies a GOAWAY frame's debug data (`{"reason": ..}`), the
    /// outcome of every push the ended connection did not answer.
    ///
    /// A documented reason decides (`BadCertificateEnvironment` is
    /// `wrong_environment`, `BadCertificate` and `Forbidden`
    /// `certificate_not_trusted`), except that a reason about one token or
    /// one request cannot end a connection and is read as no reason. No
    /// reason, or one Apple does not document (`Shutdown`, `IdleTimeout`, a
    /// graceful close) is `apns_unavailable` with no wait: the push is sent
    /// again on a new connection.
    ///
    /// Streams the GOAWAY's last stream id shows APNs never processed are
    /// the client's to send again, not an outcome.
    pub fn from_goaway(debug_data: &[u8]) -> Self {
        let reason = if debug_data.len() > MAX_ANSWER_BODY_LEN {
            None
        } else {
            json::read_fields(debug_data)
                .and_then(|f| f.reason)
                .map(|r| Reason::from_name(&r))
        };
        let kind = reason
            .as_ref()
            .and_then(kind_of_goaway_reason)
            .unwrap_or(OutcomeKind::ApnsUnavailable);
        let retry_after = kind.is_retryable().then_some(match kind {
            OutcomeKind::RateLimited => RATE_LIMITED_WAIT,
            _ => Duration::ZERO,
        });
        Self {
            kind,
            answer: Answer::GoAway,
            reason,
            apns_id: None,
            timestamp_ms: None,
            retry_after,
        }
    }

    /// Classifies a TLS alert received from APNs: `certificate_expired` and
    /// `certificate_revoked` by name; `unknown_ca`, `bad_certificate`,
    /// `unsupported_certificate`, `certificate_unknown`, `access_denied`,
    /// `decrypt_error`, `certificate_required` and `handshake_failure` are
    /// `certificate_not_trusted` (the client's TLS settings are this
    /// crate's and fixed, so a refused handshake is the certificate's);
    /// any other alert is `apns_unavailable`.
    pub fn from_tls_alert(alert: TlsAlert) -> Self {
        let alert = TlsAlert::from_u8(alert.to_u8());
        let kind = match alert {
            TlsAlert::CertificateExpired => OutcomeKind::CertificateExpired,
            TlsAlert::CertificateRevoked => OutcomeKind::CertificateRevoked,
            TlsAlert::UnknownCa
            | TlsAlert::BadCertificate
            | TlsAlert::UnsupportedCertificate
            | TlsAlert::CertificateUnknown
            | TlsAlert::AccessDenied
            | TlsAlert::DecryptError
            | TlsAlert::CertificateRequired
            | TlsAlert::HandshakeFailure => OutcomeKind::CertificateNotTrusted,
            TlsAlert::Other(_) => OutcomeKind::ApnsUnavailable,
        };
        Self {
            kind,
            answer: Answer::TlsAlert(alert),
            reason: None,
            apns_id: None,
            timestamp_ms: None,
            retry_after: kind.is_retryable().then_some(UNAVAILABLE_WAIT),
        }
    }

    /// `server_not_trusted`: the client did not trust the APNs server's
    /// certificate (with rustls, `Error::InvalidCertificate` on the client's
    /// side): the server roots are outdated, or a proxy intercepts TLS.
    pub fn untrusted_server() -> Self {
        Self {
            kind: OutcomeKind::ServerNotTrusted,
            answer: Answer::UntrustedServer,
            reason: None,
            apns_id: None,
            timestamp_ms: None,
            retry_after: None,
        }
    }

    /// `apns_unavailable` with no answer: the connection could not be made,
    /// was reset, or timed out before APNs answered. Retry after
    /// [`UNAVAILABLE_WAIT`] (a client grows it on repeated failures).
    pub fn no_answer() -> Self {
        Self {
            kind: OutcomeKind::ApnsUnavailable,
            answer: Answer::NoAnswer,
            reason: None,
            apns_id: None,
            timestamp_ms: None,
            retry_after: Some(UNAVAILABLE_WAIT),
        }
    }

    /// Classifies a rustls error of the client's connection, by its type:
    /// an alert received from APNs as [`from_tls_alert`](Self::from_tls_alert),
    /// an invalid server certificate as
    /// [`untrusted_server`](Self::untrusted_server); `None` for any other
    /// error (a client treats those as [`no_answer`](Self::no_answer) or its
    /// own fault).
    #[cfg(feature = "rustls")]
    pub fn from_rustls_error(error: &rustls::Error) -> Option<Self> {
        match error {
            rustls::Error::AlertReceived(alert) => Some(Self::from_tls_alert((*alert).into())),
            rustls::Error::InvalidCertificate(_) => Some(Self::untrusted_server()),
            _ => None,
        }
    }

    /// The kind.
    pub fn kind(&self) -> OutcomeKind {
        self.kind
    }

    /// The kind's stable code ([`OutcomeKind::code`]).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// What the outcome was read from.
    pub fn answer(&self) -> Answer {
        self.answer
    }

    /// The HTTP status, for an answer that was a response.
    pub fn status(&self) -> Option<u16> {
        match self.answer {
            Answer::Status(s) => Some(s),
            _ => None,
        }
    }

    /// The TLS alert, for an answer that was one.
    pub fn tls_alert(&self) -> Option<TlsAlert> {
        match self.answer {
            Answer::TlsAlert(a) => Some(a),
            _ => None,
        }
    }

    /// The `reason` of the body or the GOAWAY frame, if any.
    pub fn reason(&self) -> Option<&Reason> {
        self.reason.as_ref()
    }

    /// The `apns-id` APNs answered with, as sent.
    pub fn apns_id(&self) -> Option<&str> {
        self.apns_id.as_deref()
    }

    /// The body's `timestamp`, milliseconds since 1970 (with 410: when APNs
    /// last confirmed the token was no longer valid for the topic).
    pub fn timestamp_ms(&self) -> Option<i64> {
        self.timestamp_ms
    }

    /// [`timestamp_ms`](Self::timestamp_ms) as a time, when representable.
    pub fn timestamp(&self) -> Option<OffsetDateTime> {
        let ms = self.timestamp_ms?;
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
    }

    /// Whether the same push may succeed later unchanged.
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    /// How long to wait before retrying: `retry-after` when APNs sent one
    /// (delta-seconds, capped at [`MAX_RETRY_AFTER`]), else
    /// [`RATE_LIMITED_WAIT`] or [`UNAVAILABLE_WAIT`] (zero after a GOAWAY or
    /// `IdleTimeout`); `None` when the push is not to be retried.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// Whether the device token should be deleted (`device_gone` only).
    pub fn prunes_token(&self) -> bool {
        self.kind.prunes_token()
    }

    /// [`OutcomeKind::certificate_accepted`].
    pub fn certificate_accepted(&self) -> bool {
        self.kind.certificate_accepted()
    }

    /// [`OutcomeKind::nearest_upload_code`].
    pub fn nearest_upload_code(&self) -> Option<&'static str> {
        self.kind.nearest_upload_code()
    }

    /// [`OutcomeKind::message`].
    pub fn message(&self, lang: Lang) -> &'static str {
        self.kind.message(lang)
    }

    /// [`OutcomeKind::remedy`].
    pub fn remedy(&self, lang: Lang) -> &'static str {
        self.kind.remedy(lang)
    }

    /// The outcome as an API or a command line reports it, in `lang`.
    pub fn to_response(&self, lang: Lang) -> OutcomeResponse {
        OutcomeResponse {
            outcome: self.code().to_owned(),
            status: self.status(),
            reason: self.reason.as_ref().map(|r| r.name().to_owned()),
            apns_id: self.apns_id.clone(),
            timestamp: self
                .timestamp()
                .map(|t| crate::display::Rfc3339(t).to_string()),
            message: self.message(lang).to_owned(),
            remedy: self.remedy(lang).to_owned(),
            retry_after_seconds: self.retry_after.map(|d| d.as_secs()),
        }
    }
}

/// One line for logs: the code, then the answer, e.g. `device_gone: HTTP
/// 410 Unregistered, inactive since 2026-12-01T09:00:00Z, apns-id …`.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.code())?;
        match self.answer {
            Answer::Status(s) => write!(f, "HTTP {s}")?,
            Answer::GoAway => f.write_str("GOAWAY")?,
            Answer::TlsAlert(a) => write!(f, "TLS alert {}", a.name())?,
            Answer::UntrustedServer => {
                f.write_str("the APNs server's certificate is not trusted")?;
            }
            Answer::NoAnswer => f.write_str("no answer from APNs")?,
        }
        if let Some(r) = &self.reason {
            write!(f, " {}", r.name().escape_debug())?;
        }
        if let Some(t) = self.timestamp() {
            write!(f, ", inactive since {}", crate::display::Rfc3339(t))?;
        }
        if let Some(id) = &self.apns_id {
            write!(f, ", apns-id {}", id.escape_debug())?;
        }
        Ok(())
    }
}

/// An [`Outcome`] as an API returns it, with the fields the command line's
/// `--json` prints: every field always present, `null` where absent (with
/// the `serde` feature it serializes so).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OutcomeResponse {
    /// [`Outcome::code`].
    pub outcome: String,
    /// The HTTP status, if the answer was a response.
    pub status: Option<u16>,
    /// The `reason` of the body or GOAWAY frame.
    pub reason: Option<String>,
    /// The `apns-id` APNs answered with.
    pub apns_id: Option<String>,
    /// The body's `timestamp` as RFC 3339 in UTC, whole seconds.
    pub timestamp: Option<String>,
    /// [`Outcome::message`] in the chosen language.
    pub message: String,
    /// [`Outcome::remedy`] in the chosen language.
    pub remedy: String,
    /// [`Outcome::retry_after`] in whole seconds, for a retryable outcome.
    pub retry_after_seconds: Option<u64>,
}

/// The kind a documented reason stands for; `None` for [`Reason::Other`].
fn kind_of_reason(reason: &Reason) -> Option<OutcomeKind> {
    use OutcomeKind as K;
    Some(match reason {
        Reason::BadDeviceToken => K::BadDeviceToken,
        Reason::DeviceTokenNotForTopic | Reason::TopicDisallowed | Reason::BadTopic => {
            K::TopicMismatch
        }
        Reason::BadCertificate | Reason::Forbidden => K::CertificateNotTrusted,
        Reason::BadCertificateEnvironment => K::WrongEnvironment,
        Reason::ExpiredToken | Reason::Unregistered => K::DeviceGone,
        Reason::TooManyRequests | Reason::TooManyProviderTokenUpdates => K::RateLimited,
        Reason::InternalServerError
        | Reason::ServiceUnavailable
        | Reason::Shutdown
        | Reason::IdleTimeout => K::ApnsUnavailable,
        Reason::BadCollapseId
        | Reason::BadExpirationDate
        | Reason::BadMessageId
        | Reason::BadPriority
        | Reason::DuplicateHeaders
        | Reason::InvalidPushType
        | Reason::MissingDeviceToken
        | Reason::MissingTopic
        | Reason::PayloadEmpty
        | Reason::ExpiredProviderToken
        | Reason::InvalidProviderToken
        | Reason::MissingProviderToken
        | Reason::UnrelatedKeyIdInToken
        | Reason::BadEnvironmentKeyIdInToken
        | Reason::BadPath
        | Reason::MethodNotAllowed
        | Reason::PayloadTooLarge => K::RequestRejected,
        Reason::Other(_) => return None,
    })
}

/// As [`kind_of_reason`], for a GOAWAY: reasons about one token or one
/// request do not end a connection, and are read as no reason.
fn kind_of_goaway_reason(reason: &Reason) -> Option<OutcomeKind> {
    match kind_of_reason(reason)? {
        OutcomeKind::DeviceGone | OutcomeKind::BadDeviceToken => None,
        _ if *reason == Reason::DeviceTokenNotForTopic => None,
        kind => Some(kind),
    }
}

/// `retry-after` as delta-seconds, capped; `None` when absent or not
/// delta-seconds (an HTTP-date needs a clock, which the library has not).
fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if value.is_empty() || value.len() > 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: u64 = value.parse().ok()?;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message and remedy, both languages: a new kind adds a row
    /// (the match has no wildcard).
    #[test]
    fn every_text() {
        fn expected(kind: OutcomeKind) -> [&'static str; 4] {
            // [message ja, remedy ja, message en, remedy en]
            match kind {
                OutcomeKind::Delivered => [
                    "APNsがプッシュ通知を受け付けました。",
                    "対応は不要です。",
                    "APNs accepted the push notification.",
                    "No action is needed.",
                ],
                OutcomeKind::DeviceGone => [
                    "端末のプッシュトークンが無効になっています。\n端末の管理が解除されたか、初期化された可能性があります。",
                    "MDM証明書の対応は不要です。\n端末を再度登録すると、プッシュ通知を送信できるようになります。",
                    "The device's push token is no longer valid.\nThe device may have been unenrolled or erased.",
                    "Nothing needs to be done about the MDM certificate.\nPush notifications can be sent again once the device is enrolled again.",
                ],
                OutcomeKind::BadDeviceToken => [
                    "APNsが端末のプッシュトークンを受け付けませんでした。\n接続先のAPNsサーバー(本番用または開発用)が端末と異なるか、トークンが正しくない可能性があります。",
                    "MDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。\n解決しない場合は、端末を再度登録してください。",
                    "APNs did not accept the device's push token.\nThe MDM server may be using a different APNs server (production or development) from the device's, or the token may be wrong.",
                    "Check that the MDM server sends push notifications to the production APNs server.\nIf the problem persists, enroll the device again.",
                ],
                OutcomeKind::TopicMismatch => [
                    "端末を登録したときのMDM証明書と、現在のMDM証明書が異なります。\n端末にプッシュ通知を送信できません。",
                    "MDM証明書は、前回発行した同じ証明書を更新し、アップロードする必要があります。\n証明書を新規作成せず、前回発行したMDM証明書を更新してダウンロードし、アップロードしてください。",
                    "The MDM certificate differs from the one the device was enrolled with.\nPush notifications cannot be sent to the device.",
                    "The MDM certificate must be a renewal of the certificate issued last time.\nDo not create a new certificate: renew the certificate issued last time, download it and upload it.",
                ],
                OutcomeKind::CertificateExpired => [
                    "MDM証明書の有効期限が切れています。\n端末にプッシュ通知を送信できないため、端末を管理できません。",
                    "すぐにMDM証明書を更新してください。\nMDM証明書は有効期限後も更新できます。前回発行したMDM証明書を更新してアップロードすると、端末の管理を再開できます。",
                    "The MDM certificate has expired.\nPush notifications cannot be sent, so devices cannot be managed.",
                    "Renew the MDM certificate now.\nAn MDM certificate can be renewed after it has expired: renew the certificate issued last time and upload it to resume managing devices.",
                ],
                OutcomeKind::CertificateRevoked => [
                    "MDM証明書が失効しています。\n端末にプッシュ通知を送信できないため、端末を管理できません。",
                    "MDM証明書を更新した場合は、更新したMDM証明書をアップロードしてください。\n更新していない場合は、MDM証明書を作成したApple IDでApple Push Certificates Portalにサインインし、証明書の状態を確認してください。",
                    "The MDM certificate has been revoked.\nPush notifications cannot be sent, so devices cannot be managed.",
                    "If you renewed the MDM certificate, upload the renewed certificate.\nOtherwise, sign in to Apple Push Certificates Portal with the Apple ID that created the certificate and check its status.",
                ],
                OutcomeKind::CertificateNotTrusted => [
                    "APNsがMDM証明書を受け付けませんでした。\n端末にプッシュ通知を送信できません。",
                    "Apple Push Certificates Portalで発行されたMDM証明書がアップロードされているか確認してください。\n解決しない場合は、前回発行したMDM証明書を更新し、アップロードしてください。",
                    "APNs did not accept the MDM certificate.\nPush notifications cannot be sent to devices.",
                    "Check that the uploaded MDM certificate was issued by Apple Push Certificates Portal.\nIf the problem persists, renew the certificate issued last time and upload it.",
                ],
                OutcomeKind::WrongEnvironment => [
                    "MDM証明書と接続先のAPNsサーバー(本番用または開発用)が一致していません。\n端末にプッシュ通知を送信できません。",
                    "Apple Push Certificates Portalで発行されたMDM証明書は本番用です。\nMDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。",
                    "The MDM certificate is not for the APNs server (production or development) the MDM server connects to.\nPush notifications cannot be sent to devices.",
                    "MDM certificates issued by Apple Push Certificates Portal are for production.\nCheck that the MDM server sends push notifications to the production APNs server.",
                ],
                OutcomeKind::RateLimited => [
                    "この端末へのプッシュ通知が多すぎるため、APNsが一時的に受け付けていません。",
                    "しばらく待ってから再度実行してください。",
                    "APNs is refusing push notifications to this device for a while: too many were sent.",
                    "Wait a while and try again.",
                ],
                OutcomeKind::ApnsUnavailable => [
                    "APNsに一時的に接続できません。",
                    "ネットワークへの接続が不安定になっている可能性があります。\n時間をおいて再度実行してください。",
                    "APNs cannot be reached for now.",
                    "The network connection may be unstable.\nWait a while and try again.",
                ],
                OutcomeKind::RequestRejected => [
                    "MDMサーバーの不具合により、APNsがプッシュ通知の要求を拒否しました。",
                    "MDM証明書の問題ではありません。\n詳細を添えて、MDMサーバーの提供元にお問い合わせください。",
                    "APNs refused the push request because of a fault in the MDM server.",
                    "This is not a problem with the MDM certificate.\nContact the MDM server's provider with the details.",
                ],
                OutcomeKind::ServerNotTrusted => [
                    "APNsサーバーの証明書を確認できませんでした。\n端末にプッシュ通知を送信できません。",
                    "MDM証明書の問題ではありません。\nMDMサーバーのAPNsサーバー用ルート証明書が最新か、通信を中継する機器が証明書を差し替えていないか、MDMサーバーの提供元にお問い合わせください。",
                    "The APNs server's certificate could not be verified.\nPush notifications cannot be sent to devices.",
                    "This is not a problem with the MDM certificate.\nAsk the MDM server's provider whether its root certificates for APNs are up to date and whether a proxy replaces certificates on the connection.",
                ],
            }
        }
        for &kind in OutcomeKind::ALL {
            let [mja, rja, men, ren] = expected(kind);
            assert_eq!(kind.message(Lang::Ja), mja, "{kind}");
            assert_eq!(kind.remedy(Lang::Ja), rja, "{kind}");
            assert_eq!(kind.message(Lang::En), men, "{kind}");
            assert_eq!(kind.remedy(Lang::En), ren, "{kind}");
            assert_eq!(OutcomeKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(OutcomeKind::ALL.len(), 12);
    }

    /// The codes the upload check names are its own: each nearest code is
    /// one `UploadError::code` gives.
    #[test]
    fn nearest_upload_codes_are_upload_codes() {
        use crate::upload_error::UploadError;
        let topic: crate::topic::Topic = "com.apple.mgmt.x".parse().unwrap();
        let codes = [
            UploadError::retry_later("x").code(),
            UploadError::TopicMismatch {
                previous: topic.clone(),
                uploaded: topic,
            }
            .code(),
            UploadError::from(crate::error::ParseError::MissingTopic).code(),
        ];
        for &kind in OutcomeKind::ALL {
            if let Some(code) = kind.nearest_upload_code() {
                assert!(codes.contains(&code), "{kind}: {code}");
            }
        }
    }

    #[test]
    fn every_documented_reason_has_a_kind_and_round_trips() {
        for r in Reason::documented() {
            assert_eq!(Reason::from_name(r.name()), r);
            assert!(kind_of_reason(&r).is_some(), "{r}");
            assert!(r.documented_status().is_some());
        }
        assert_eq!(Reason::documented().count(), 32);
        assert_eq!(
            Reason::from_name("badDeviceToken"),
            Reason::Other("badDeviceToken".to_owned())
        );
        let long = "é".repeat(200);
        assert_eq!(Reason::from_name(&long).name().len(), 256);
    }

    #[test]
    fn alerts_round_trip_by_number() {
        for n in 0..=u8::MAX {
            let a = TlsAlert::from_u8(n);
            assert_eq!(a.to_u8(), n);
            assert_eq!(TlsAlert::from_u8(a.to_u8()), a);
        }
        // A hand-made `Other` with a named number is read as the named alert.
        assert_eq!(
            Outcome::from_tls_alert(TlsAlert::Other(45)).kind(),
            OutcomeKind::CertificateExpired
        );
        assert_eq!(TlsAlert::Other(45).name(), "certificate_expired");
    }
}
