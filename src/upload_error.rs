//! Why an uploaded push certificate was refused: the four messages of the
//! administrator's guide, each with its remedy, and the detail for support.

use core::fmt;

use time::OffsetDateTime;

use crate::error::{ParseError, TrustError};
use crate::identity::IdentityError;
use crate::input::InputError;
use crate::lang::Lang;
use crate::topic::Topic;

/// Detail of [`UploadError::InvalidCertificate`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidReason {
    /// The file is not a readable push certificate.
    #[error("{0}")]
    Parse(#[source] ParseError),
    /// The certificate lacks Apple's push marker extension 1.2.840.113635.100.6.3.2.
    #[error("the certificate lacks the MDM push marker extension 1.2.840.113635.100.6.3.2")]
    MissingPushMarker,
    /// The certificate was not issued by a trusted authority.
    #[error("{0}")]
    Untrusted(#[source] TrustError),
    /// The file is a push identity (a PKCS#12 file, or a certificate with its
    /// key) that could not be read.
    #[error("{0}")]
    Identity(#[source] IdentityError),
    /// The certificate's validity ended before the time of the check.
    #[error(
        "the certificate expired at {}",
        crate::display::Rfc3339(*not_after)
    )]
    Expired {
        /// Its `notAfter`.
        not_after: OffsetDateTime,
    },
    /// The certificate does not end later than the one it would replace.
    #[error(
        "the certificate ends at {}, not later than the current one ({})",
        crate::display::Rfc3339(*not_after), crate::display::Rfc3339(*previous_not_after)
    )]
    NotARenewal {
        /// The uploaded certificate's `notAfter`.
        not_after: OffsetDateTime,
        /// The current certificate's `notAfter`.
        previous_not_after: OffsetDateTime,
    },
}

/// Detail of [`UploadError::RetryLater`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RetryReason {
    /// The upload was cut off.
    #[error("the upload is truncated")]
    Truncated,
    /// The certificate's validity starts after the time of the check (clock skew).
    #[error(
        "the certificate is not valid until {}",
        crate::display::Rfc3339(*not_before)
    )]
    NotYetValid {
        /// Its `notBefore`.
        not_before: OffsetDateTime,
    },
    /// A transient failure of the embedding server.
    #[error("{detail}")]
    Transient {
        /// What failed.
        detail: String,
    },
}

/// An [`UploadError`] as an API returns it: the stable code, the message
/// and remedy in the chosen language, and the detail for support. With the
/// `serde` feature it serializes as an object with these four fields (the
/// README's **JSON** section has the table).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ErrorResponse {
    /// [`UploadError::code`]: `invalid_certificate`, `public_key_mismatch`,
    /// `retry_later` or `topic_mismatch`.
    pub code: String,
    /// [`UploadError::message`] in the chosen language; sentences separated by `\n`.
    pub message: String,
    /// [`UploadError::remedy`] in the chosen language; sentences separated by `\n`.
    pub remedy: String,
    /// [`UploadError::detail`], in English, for logs and support: match on
    /// `code`, not on this text.
    pub detail: String,
}

/// Why an uploaded push certificate was refused.
///
/// Each variant corresponds to exactly one of the four messages that MDM
/// consoles show; [`message`](Self::message) returns it and
/// [`remedy`](Self::remedy) what the administrator should do. The detail of
/// why travels in the variant for logs and support.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadError {
    /// The file is not a valid MDM push certificate: unreadable, not a push
    /// certificate, not issued by Apple, expired, or not a renewal of the
    /// current one.
    InvalidCertificate {
        /// Why.
        reason: InvalidReason,
    },
    /// The certificate's public key is not the key of the request the server
    /// made for this registration or renewal.
    PublicKeyMismatch {
        /// SHA-256 of the expected SubjectPublicKeyInfo, hex.
        expected_sha256: String,
        /// SHA-256 of the uploaded certificate's SubjectPublicKeyInfo, hex.
        found_sha256: String,
    },
    /// A transient failure: a truncated upload, a certificate not yet valid
    /// (clock skew), or a failure of the embedding server.
    RetryLater {
        /// Why.
        reason: RetryReason,
    },
    /// The certificate's topic differs from the certificate it would replace:
    /// it was created anew instead of renewed, and enrolled devices would stop
    /// receiving pushes.
    TopicMismatch {
        /// The topic of the current certificate.
        previous: Topic,
        /// The topic of the uploaded certificate.
        uploaded: Topic,
    },
}

impl UploadError {
    /// Wraps a transient failure of the embedding server (storage, network)
    /// into [`UploadError::RetryLater`].
    pub fn retry_later(detail: impl Into<String>) -> Self {
        Self::RetryLater {
            reason: RetryReason::Transient {
                detail: detail.into(),
            },
        }
    }

    /// A stable snake-case identifier: `invalid_certificate`,
    /// `public_key_mismatch`, `retry_later` or `topic_mismatch`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidCertificate { .. } => "invalid_certificate",
            Self::PublicKeyMismatch { .. } => "public_key_mismatch",
            Self::RetryLater { .. } => "retry_later",
            Self::TopicMismatch { .. } => "topic_mismatch",
        }
    }

    /// The message to show the administrator; sentences are separated by `\n`.
    pub fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::InvalidCertificate { .. }, Lang::Ja) => {
                "MDM証明書の読み取り中にエラーが発生しました。\n無効な MDM証明書である可能性があります。"
            }
            (Self::InvalidCertificate { .. }, Lang::En) => {
                "An error occurred while reading the MDM certificate.\nThe MDM certificate may be invalid."
            }
            (Self::PublicKeyMismatch { .. }, Lang::Ja) => {
                "MDM証明書の読み取り中にエラーが発生しました。\n証明書の公開キーが違います。\nダウンロードした CSRファイルで作成した証明書か確認してください。"
            }
            (Self::PublicKeyMismatch { .. }, Lang::En) => {
                "An error occurred while reading the MDM certificate.\nThe certificate's public key is different.\nCheck that the certificate was created with the CSR file you downloaded."
            }
            (Self::RetryLater { .. }, Lang::Ja) => {
                "MDM証明書の読み取り中にエラーが発生しました。\n時間をおいて再度実行してください。"
            }
            (Self::RetryLater { .. }, Lang::En) => {
                "An error occurred while reading the MDM certificate.\nWait a while and try again."
            }
            (Self::TopicMismatch { .. }, Lang::Ja) => {
                "前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。"
            }
            (Self::TopicMismatch { .. }, Lang::En) => {
                "You cannot upload an MDM certificate that differs from the MDM certificate you uploaded last time."
            }
        }
    }

    /// What the administrator should do next; sentences are separated by `\n`.
    pub fn remedy(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::InvalidCertificate { .. }, Lang::Ja) => {
                "MDM証明書の読み取りに失敗しています。\n誤ったファイルをアップロードしている可能性があるため、正しいMDM証明書をアップロードするか、一旦作成したファイル(ベンダー署名付きCSRファイル、MDM証明書)をすべて削除し、MDM証明書の登録手順をはじめからやり直してください。"
            }
            (Self::InvalidCertificate { .. }, Lang::En) => {
                "The MDM certificate could not be read.\nYou may have uploaded the wrong file: upload the correct MDM certificate, or delete every file you created (the vendor-signed CSR file and the MDM certificate) and start the MDM certificate registration again from the beginning."
            }
            (Self::PublicKeyMismatch { .. }, Lang::Ja) => {
                "今回ダウンロードしたベンダー署名付きCSRファイルで作成したMDM証明書をアップロードしてください。\n過去のベンダー署名付きCSRファイルで作成したMDM証明書は使用できません。"
            }
            (Self::PublicKeyMismatch { .. }, Lang::En) => {
                "Upload the MDM certificate created from the vendor-signed CSR file you downloaded for this renewal.\nA certificate created from an earlier CSR file cannot be used."
            }
            (Self::RetryLater { .. }, Lang::Ja) => {
                "ネットワークへの接続が不安定になっている可能性があります。\nしばらく待ってから再度MDM証明書をアップロードしてください。"
            }
            (Self::RetryLater { .. }, Lang::En) => {
                "The network connection may be unstable.\nWait a while, then upload the MDM certificate again."
            }
            (Self::TopicMismatch { .. }, Lang::Ja) => {
                "初回登録時および前回更新時にアップロードしたMDM証明書とは別のMDM証明書をアップロードしています。\nMDM証明書は、前回発行した同じ証明書を更新し、アップロードする必要があります。\n証明書を新規作成せず、前回発行したMDM証明書を更新してダウンロードし、アップロードしてください。"
            }
            (Self::TopicMismatch { .. }, Lang::En) => {
                "You are uploading a different MDM certificate from the one uploaded at first registration and at the last renewal.\nThe MDM certificate must be a renewal of the certificate issued last time.\nDo not create a new certificate: renew the certificate issued last time, download it and upload it."
            }
        }
    }

    /// The error as an API response body in `lang`.
    ///
    /// ```
    /// use mdm_push_cert::{Lang, UploadError};
    /// let e = UploadError::retry_later("the database is unavailable");
    /// let body = e.to_response(Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"));
    /// assert_eq!(body.code, "retry_later");
    /// assert!(body.message.starts_with("MDM証明書の読み取り中にエラーが発生しました。"));
    /// assert_eq!(body.detail, "the database is unavailable");
    /// ```
    pub fn to_response(&self, lang: Lang) -> ErrorResponse {
        ErrorResponse {
            code: self.code().to_owned(),
            message: self.message(lang).to_owned(),
            remedy: self.remedy(lang).to_owned(),
            detail: self.detail(),
        }
    }

    /// Whether the same upload may succeed later unchanged
    /// ([`RetryLater`](Self::RetryLater)): an HTTP server answers 503 with
    /// `Retry-After`.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::RetryLater { .. })
    }

    /// The detail of why, in English, for logs and support.
    pub fn detail(&self) -> String {
        match self {
            Self::InvalidCertificate { reason } => reason.to_string(),
            Self::PublicKeyMismatch {
                expected_sha256,
                found_sha256,
            } => format!(
                "the certificate's public key (SHA-256 {found_sha256}) is not the requested one (SHA-256 {expected_sha256})"
            ),
            Self::RetryLater { reason } => reason.to_string(),
            Self::TopicMismatch { previous, uploaded } => {
                format!(
                    "the certificate's topic {uploaded} differs from the current topic {previous}"
                )
            }
        }
    }
}

/// One line for logs: the code, then the detail, e.g. `topic_mismatch: the
/// certificate's topic … differs from the current topic …`. The text for
/// people is [`message`](UploadError::message).
impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.detail())
    }
}

impl std::error::Error for UploadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidCertificate { reason } => Some(reason),
            Self::RetryLater { reason } => Some(reason),
            Self::PublicKeyMismatch { .. } | Self::TopicMismatch { .. } => None,
        }
    }
}

impl From<ParseError> for UploadError {
    /// A truncated upload is worth retrying; every other parse failure means
    /// the file is not a valid push certificate.
    fn from(e: ParseError) -> Self {
        match e {
            ParseError::Input(InputError::Truncated) => Self::RetryLater {
                reason: RetryReason::Truncated,
            },
            other => Self::InvalidCertificate {
                reason: InvalidReason::Parse(other),
            },
        }
    }
}

impl From<TrustError> for UploadError {
    fn from(e: TrustError) -> Self {
        Self::InvalidCertificate {
            reason: InvalidReason::Untrusted(e),
        }
    }
}

impl From<IdentityError> for UploadError {
    /// A key that is not the certificate's is the documented "public key
    /// differs" error; a truncated file is worth retrying; anything else
    /// means the file is not a valid push certificate.
    fn from(e: IdentityError) -> Self {
        match e {
            IdentityError::KeyMismatch {
                key_sha256,
                certificate_sha256,
            } => Self::PublicKeyMismatch {
                expected_sha256: key_sha256,
                found_sha256: certificate_sha256,
            },
            IdentityError::Certificate(p) => p.into(),
            other => Self::InvalidCertificate {
                reason: InvalidReason::Identity(other),
            },
        }
    }
}
