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
use crate::apns::reason::{Reason, TlsAlert};
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

/// Longest response body or GOAWAY debug data read, in bytes: APNs sends
/// well under 200. A client reads at most this much before classifying;
/// what is longer is classified by its status alone.
pub const MAX_ANSWER_BODY_LEN: usize = 64 * 1024;

/// Longest `apns-id` header kept, in bytes.
const MAX_APNS_ID_LEN: usize = 128;

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
