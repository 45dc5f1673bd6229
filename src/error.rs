//! The upload errors and their documented messages, and the errors they wrap.

use core::fmt;

use time::OffsetDateTime;

use crate::topic::{Topic, TopicError};

/// Why bytes could not be read as an MDM push certificate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The input is empty or only white space.
    #[error("the file is empty")]
    Empty,
    /// The input is larger than [`MAX_INPUT_LEN`](crate::MAX_INPUT_LEN).
    #[error("the file is {len} bytes long, more than the {max} bytes accepted")]
    TooLarge {
        /// Length of the input.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The upload was cut off: a PEM block with no end line, or DER shorter
    /// than its length says.
    #[error("the file is truncated")]
    Truncated,
    /// The input is neither DER nor PEM holding a certificate.
    #[error("the file holds no certificate")]
    NoCertificate,
    /// DER data follows the end of the certificate.
    #[error("data follows the end of the certificate")]
    TrailingData,
    /// The certificate's encoding is not valid.
    #[error("the certificate is malformed: {detail}")]
    Malformed {
        /// What the decoder reported.
        detail: String,
    },
    /// The file holds more certificates than
    /// [`MAX_CERTIFICATES_PER_FILE`](crate::MAX_CERTIFICATES_PER_FILE).
    #[error("the file holds {count} certificates, more than the {max} accepted")]
    TooManyCertificates {
        /// Certificates found.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The file holds two different push certificates.
    #[error("the file holds more than one push certificate")]
    MultiplePushCertificates,
    /// The certificate is a certification authority, not a push certificate.
    #[error("the certificate is a certification authority ({subject}), not a push certificate")]
    CaCertificate {
        /// The CA's subject.
        subject: String,
    },
    /// The certificate is an MDM vendor certificate, not a push certificate.
    #[error("the certificate is an MDM vendor certificate ({subject}), not a push certificate")]
    VendorCertificate {
        /// The vendor certificate's subject.
        subject: String,
    },
    /// The subject has no UID attribute, so there is no topic.
    #[error("the certificate subject has no UID attribute (the push topic)")]
    MissingTopic,
    /// The subject has two different UID attributes.
    #[error("the certificate subject has more than one UID attribute")]
    MultipleTopics,
    /// The subject's UID attribute is not an MDM push topic.
    #[error("the certificate's UID attribute {uid:?} is not an MDM push topic: {reason}")]
    InvalidTopic {
        /// The UID value as read, lossily decoded.
        uid: String,
        /// What is wrong with it.
        #[source]
        reason: TopicError,
    },
    /// The certificate is not X.509 version 3 (v1 and v2 carry no extensions).
    #[error("the certificate is not X.509 version 3")]
    NotVersion3,
    /// The signature algorithm inside the signed part differs from the one
    /// outside it (RFC 5280 §4.1.1.2).
    #[error("the certificate's signed and outer signature algorithms differ")]
    SignatureAlgorithmMismatch,
    /// The issuer or subject name is not valid: not DER, or an attribute
    /// that is not a valid string of its type.
    #[error("the certificate's {which} name is not valid: {detail}")]
    InvalidName {
        /// `issuer` or `subject`.
        which: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// An extension appears twice (RFC 5280 §4.2).
    #[error("the extension {oid} appears more than once")]
    DuplicateExtension {
        /// The extension's OID, dotted.
        oid: String,
    },
    /// An extension this crate does not process is marked critical.
    #[error("the critical extension {oid} is not one this crate can process")]
    UnknownCriticalExtension {
        /// The extension's OID, dotted.
        oid: String,
    },
    /// An extension this crate knows does not decode.
    #[error("the {name} extension is malformed: {detail}")]
    InvalidExtension {
        /// The extension's name.
        name: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// The extended key usage does not allow TLS client authentication,
    /// which APNs requires of a push certificate.
    #[error("the certificate's extended key usage does not allow TLS client authentication")]
    NotClientAuth,
    /// The key usage does not include digitalSignature, which the APNs TLS
    /// handshake needs.
    #[error("the certificate's key usage does not include digitalSignature")]
    NoDigitalSignature,
    /// The public key is not RSA.
    #[error("the public key is not RSA (algorithm {algorithm})")]
    NotRsa {
        /// The key's algorithm OID.
        algorithm: String,
    },
    /// The RSA key is shorter than 2048 bits.
    #[error(
        "the RSA key has {bits} bits; at least {} are required",
        crate::MIN_RSA_BITS
    )]
    KeyTooSmall {
        /// The modulus length in bits.
        bits: usize,
    },
}

impl ParseError {
    pub(crate) fn malformed(e: &dyn fmt::Display) -> Self {
        Self::Malformed {
            detail: e.to_string(),
        }
    }

    pub(crate) fn malformed_text(detail: &str) -> Self {
        Self::Malformed {
            detail: detail.to_owned(),
        }
    }
}

/// Why a certificate does not chain to the trust anchors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// No anchor (nor any certificate the upload carried) has the
    /// certificate's issuer name: the issuer is unknown. When Apple starts
    /// issuing from a new intermediate, this is the error every upload gets
    /// until the intermediate is added.
    #[error(
        "the issuer {issuer}{} is not a known certification authority; if it is a new Apple intermediate, add Apple's certificate for it (from Apple's certificate authority page) with TrustAnchors::with_intermediates or the command line's --intermediates, or upload it in the same file as the push certificate",
        key_id.as_ref().map(|k| format!(" (key identifier {k})")).unwrap_or_default()
    )]
    UnknownIssuer {
        /// The certificate's issuer (RFC 4514).
        issuer: String,
        /// The certificate's authority key identifier, lower-case hex, when it has one.
        key_id: Option<String>,
    },
    /// An anchor has the issuer's name, but the signature does not verify with its key.
    #[error("the signature does not verify with the key of {issuer}")]
    BadSignature {
        /// The issuer whose key was tried.
        issuer: String,
    },
    /// The signature algorithm is not RSA PKCS#1 v1.5 with SHA-1 or SHA-2.
    #[error("the signature algorithm {oid} is not supported")]
    UnsupportedSignatureAlgorithm {
        /// The algorithm OID.
        oid: String,
    },
    /// An issuer's public key is not one this crate verifies with: RSA, or
    /// ECDSA on P-256 or P-384 named by its curve.
    #[error(
        "the public key of {subject} is not RSA, P-256 or P-384, so its signatures cannot be verified"
    )]
    UnsupportedIssuerKey {
        /// The issuer.
        subject: String,
    },
    /// A certificate on the path issued another but may not: it is not a CA.
    #[error("{subject} is not a certification authority: {reason}")]
    IssuerNotCa {
        /// Its subject.
        subject: String,
        /// Why.
        reason: &'static str,
    },
    /// A CA's pathLenConstraint does not allow the intermediates below it.
    #[error("the path is longer than {subject} allows (pathLenConstraint)")]
    PathLenExceeded {
        /// The CA whose constraint is exceeded.
        subject: String,
    },
    /// A CA's extended key usage does not allow TLS client authentication.
    #[error(
        "the certification authority {subject} may not issue client certificates (extended key usage)"
    )]
    IssuerNotForClientAuth {
        /// The CA.
        subject: String,
    },
    /// A signature on a push certificate's path uses SHA-1, which Apple has
    /// not used there for years.
    #[error("the signature on {subject} uses SHA-1, which is not accepted for push certificates")]
    WeakSignatureAlgorithm {
        /// The certificate whose signature uses SHA-1.
        subject: String,
    },
    /// The search for a path tried more issuers than it allows.
    #[error("too many candidate issuers share the issuer's name")]
    TooManyCandidates,
    /// A certification authority on the path is outside its validity period.
    #[error(
        "the certification authority {subject} is valid from {} to {}, not at the time of the check",
        crate::display::Rfc3339(*not_before), crate::display::Rfc3339(*not_after)
    )]
    IssuerNotValid {
        /// The authority's subject.
        subject: String,
        /// Its `notBefore`.
        not_before: OffsetDateTime,
        /// Its `notAfter`.
        not_after: OffsetDateTime,
    },
}

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
    Identity(#[source] crate::IdentityError),
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

/// The language of a user-facing message.
///
/// With the `serde` feature it is written as its tag, `"en"` or `"ja"`, and
/// read from any BCP 47 tag [`from_tag`](Self::from_tag) knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese, the text of the administrator's guide.
    Ja,
}

impl Lang {
    /// The language's BCP 47 primary tag: `en` or `ja`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ja => "ja",
        }
    }

    /// The language of a BCP 47 tag (`ja`, `ja-JP`, `en-US`, `EN`), by its
    /// primary subtag, case-insensitively; `None` for any other language.
    ///
    /// ```
    /// use mdm_push_cert::Lang;
    /// assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
    /// assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
    /// assert_eq!(Lang::from_tag("fr"), None);
    /// ```
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ja") {
            Some(Self::Ja)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The preferred language of an HTTP `Accept-Language` header
    /// ([RFC 9110 §12.5.4]): the known language with the highest quality
    /// value, the first listed among equals; English when none is known
    /// (`*` included) or the header is malformed.
    ///
    /// ```
    /// use mdm_push_cert::Lang;
    /// assert_eq!(Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"), Lang::Ja);
    /// assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, ja;q=0.4"), Lang::En);
    /// assert_eq!(Lang::from_accept_language("en;q=0.1, ja"), Lang::Ja);
    /// assert_eq!(Lang::from_accept_language(""), Lang::En);
    /// ```
    ///
    /// [RFC 9110 §12.5.4]: https://www.rfc-editor.org/rfc/rfc9110#section-12.5.4
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(u16, Self)> = None;
        // A header is short; a hostile one is cut off rather than walked whole.
        for item in header.split(',').take(64) {
            let mut parts = item.split(';');
            let Some(lang) = Self::from_tag(parts.next().unwrap_or_default()) else {
                continue;
            };
            let mut quality = 1000;
            for param in parts {
                let param = param.trim();
                if let Some(q) = param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                {
                    quality = parse_quality(q).unwrap_or(0);
                }
            }
            if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Self::En, |(_, lang)| lang)
    }
}

/// A quality value (`0`, `0.5`, `1.000`) in thousandths; `None` if malformed.
fn parse_quality(q: &str) -> Option<u16> {
    let (int, frac) = q.trim().split_once('.').unwrap_or((q.trim(), ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value = frac
        .bytes()
        .chain(core::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
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
            ParseError::Truncated => Self::RetryLater {
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

#[cfg(test)]
mod tests {
    //! The text of every message of the errors defined here, one row each.
    //! The `match` has no wildcard arm, so a new variant does not compile
    //! until it has a row.

    use super::*;

    fn parse_samples() -> Vec<ParseError> {
        vec![
            ParseError::Empty,
            ParseError::TooLarge { len: 5, max: 4 },
            ParseError::Truncated,
            ParseError::NoCertificate,
            ParseError::TrailingData,
            ParseError::Malformed { detail: "x".into() },
            ParseError::TooManyCertificates { count: 17, max: 16 },
            ParseError::MultiplePushCertificates,
            ParseError::CaCertificate {
                subject: "CN=CA".into(),
            },
            ParseError::VendorCertificate {
                subject: "CN=V".into(),
            },
            ParseError::MissingTopic,
            ParseError::MultipleTopics,
            ParseError::InvalidTopic {
                uid: "u".into(),
                reason: TopicError::Empty,
            },
            ParseError::NotVersion3,
            ParseError::SignatureAlgorithmMismatch,
            ParseError::InvalidName {
                which: "subject",
                detail: "d".into(),
            },
            ParseError::DuplicateExtension {
                oid: "2.5.29.19".into(),
            },
            ParseError::UnknownCriticalExtension {
                oid: "1.2.3".into(),
            },
            ParseError::InvalidExtension {
                name: "keyUsage",
                detail: "d".into(),
            },
            ParseError::NotClientAuth,
            ParseError::NoDigitalSignature,
            ParseError::NotRsa {
                algorithm: "1.2".into(),
            },
            ParseError::KeyTooSmall { bits: 1024 },
        ]
    }

    fn parse_text(e: &ParseError) -> &'static str {
        match e {
            ParseError::Empty => "the file is empty",
            ParseError::TooLarge { .. } => {
                "the file is 5 bytes long, more than the 4 bytes accepted"
            }
            ParseError::Truncated => "the file is truncated",
            ParseError::NoCertificate => "the file holds no certificate",
            ParseError::TrailingData => "data follows the end of the certificate",
            ParseError::Malformed { .. } => "the certificate is malformed: x",
            ParseError::TooManyCertificates { .. } => {
                "the file holds 17 certificates, more than the 16 accepted"
            }
            ParseError::MultiplePushCertificates => "the file holds more than one push certificate",
            ParseError::CaCertificate { .. } => {
                "the certificate is a certification authority (CN=CA), not a push certificate"
            }
            ParseError::VendorCertificate { .. } => {
                "the certificate is an MDM vendor certificate (CN=V), not a push certificate"
            }
            ParseError::MissingTopic => {
                "the certificate subject has no UID attribute (the push topic)"
            }
            ParseError::MultipleTopics => "the certificate subject has more than one UID attribute",
            ParseError::InvalidTopic { .. } => {
                "the certificate's UID attribute \"u\" is not an MDM push topic: the topic is empty"
            }
            ParseError::NotVersion3 => "the certificate is not X.509 version 3",
            ParseError::SignatureAlgorithmMismatch => {
                "the certificate's signed and outer signature algorithms differ"
            }
            ParseError::InvalidName { .. } => "the certificate's subject name is not valid: d",
            ParseError::DuplicateExtension { .. } => {
                "the extension 2.5.29.19 appears more than once"
            }
            ParseError::UnknownCriticalExtension { .. } => {
                "the critical extension 1.2.3 is not one this crate can process"
            }
            ParseError::InvalidExtension { .. } => "the keyUsage extension is malformed: d",
            ParseError::NotClientAuth => {
                "the certificate's extended key usage does not allow TLS client authentication"
            }
            ParseError::NoDigitalSignature => {
                "the certificate's key usage does not include digitalSignature"
            }
            ParseError::NotRsa { .. } => "the public key is not RSA (algorithm 1.2)",
            ParseError::KeyTooSmall { .. } => {
                "the RSA key has 1024 bits; at least 2048 are required"
            }
        }
    }

    fn trust_samples() -> Vec<TrustError> {
        let t = time::OffsetDateTime::UNIX_EPOCH;
        vec![
            TrustError::UnknownIssuer {
                issuer: "CN=I".into(),
                key_id: Some("0102".into()),
            },
            TrustError::BadSignature {
                issuer: "CN=I".into(),
            },
            TrustError::UnsupportedSignatureAlgorithm { oid: "1.2".into() },
            TrustError::IssuerNotCa {
                subject: "CN=I".into(),
                reason: "r",
            },
            TrustError::PathLenExceeded {
                subject: "CN=I".into(),
            },
            TrustError::IssuerNotForClientAuth {
                subject: "CN=I".into(),
            },
            TrustError::WeakSignatureAlgorithm {
                subject: "CN=S".into(),
            },
            TrustError::TooManyCandidates,
            TrustError::UnsupportedIssuerKey {
                subject: "CN=I".into(),
            },
            TrustError::IssuerNotValid {
                subject: "CN=I".into(),
                not_before: t,
                not_after: t,
            },
        ]
    }

    fn trust_text(e: &TrustError) -> &'static str {
        match e {
            TrustError::UnknownIssuer { .. } => {
                "the issuer CN=I (key identifier 0102) is not a known certification authority; if it is a new Apple intermediate, add Apple's certificate for it (from Apple's certificate authority page) with TrustAnchors::with_intermediates or the command line's --intermediates, or upload it in the same file as the push certificate"
            }
            TrustError::BadSignature { .. } => "the signature does not verify with the key of CN=I",
            TrustError::UnsupportedSignatureAlgorithm { .. } => {
                "the signature algorithm 1.2 is not supported"
            }
            TrustError::IssuerNotCa { .. } => "CN=I is not a certification authority: r",
            TrustError::PathLenExceeded { .. } => {
                "the path is longer than CN=I allows (pathLenConstraint)"
            }
            TrustError::IssuerNotForClientAuth { .. } => {
                "the certification authority CN=I may not issue client certificates (extended key usage)"
            }
            TrustError::WeakSignatureAlgorithm { .. } => {
                "the signature on CN=S uses SHA-1, which is not accepted for push certificates"
            }
            TrustError::TooManyCandidates => "too many candidate issuers share the issuer's name",
            TrustError::UnsupportedIssuerKey { .. } => {
                "the public key of CN=I is not RSA, P-256 or P-384, so its signatures cannot be verified"
            }
            TrustError::IssuerNotValid { .. } => {
                "the certification authority CN=I is valid from 1970-01-01T00:00:00Z to 1970-01-01T00:00:00Z, not at the time of the check"
            }
        }
    }

    #[test]
    fn every_message() {
        for e in parse_samples() {
            assert_eq!(e.to_string(), parse_text(&e), "{e:?}");
        }
        for e in trust_samples() {
            assert_eq!(e.to_string(), trust_text(&e), "{e:?}");
        }
        // Every message is one line, for logs.
        for text in parse_samples()
            .iter()
            .map(ToString::to_string)
            .chain(trust_samples().iter().map(ToString::to_string))
        {
            assert!(!text.contains('\n'), "{text}");
        }
    }

    #[test]
    fn upload_errors_log_in_one_line_and_chain_their_sources() {
        use std::error::Error as _;
        let e = UploadError::from(ParseError::InvalidTopic {
            uid: "u".into(),
            reason: TopicError::Empty,
        });
        assert_eq!(
            e.to_string(),
            "invalid_certificate: the certificate's UID attribute \"u\" is not an MDM push topic: the topic is empty"
        );
        // UploadError -> InvalidReason -> ParseError -> TopicError, each a
        // source, each displayed with its own cause for one-line logs.
        let reason = e.source().expect("the reason");
        let parse = reason.source().expect("the parse error");
        assert_eq!(parse.to_string(), reason.to_string());
        let topic = parse.source().expect("the topic error");
        assert_eq!(topic.to_string(), "the topic is empty");
        assert!(topic.source().is_none());
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let all = [
            e.clone(),
            UploadError::PublicKeyMismatch {
                expected_sha256: "aa".into(),
                found_sha256: "bb".into(),
            },
            UploadError::RetryLater {
                reason: RetryReason::NotYetValid { not_before: t },
            },
            UploadError::TopicMismatch {
                previous: Topic::try_from("com.apple.mgmt.External.a").expect("topic"),
                uploaded: Topic::try_from("com.apple.mgmt.External.b").expect("topic"),
            },
        ];
        let expected = [
            "invalid_certificate: the certificate's UID attribute \"u\" is not an MDM push topic: the topic is empty",
            "public_key_mismatch: the certificate's public key (SHA-256 bb) is not the requested one (SHA-256 aa)",
            "retry_later: the certificate is not valid until 1970-01-01T00:00:00Z",
            "topic_mismatch: the certificate's topic com.apple.mgmt.External.b differs from the current topic com.apple.mgmt.External.a",
        ];
        for (e, text) in all.iter().zip(expected) {
            assert_eq!(e.to_string(), text);
            assert!(!e.to_string().contains('\n'));
            // A source exactly when the variant wraps a reason.
            assert_eq!(
                e.source().is_some(),
                matches!(
                    e,
                    UploadError::InvalidCertificate { .. } | UploadError::RetryLater { .. }
                )
            );
        }
    }
}
