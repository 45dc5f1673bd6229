//! Why a certificate could not be read ([`ParseError`]) or does not chain
//! to the trust anchors ([`TrustError`]): the errors every reader of
//! certificates shares.

use core::fmt;

use time::OffsetDateTime;

use crate::input::InputError;
use crate::keys::KeyError;
use crate::topic::TopicError;

/// Why bytes could not be read as an MDM push certificate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The file's framing could not be read: empty, too large, truncated,
    /// holding no certificate, or not PEM or DER.
    #[error("{0}")]
    Input(#[source] InputError),
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
    /// The certificate's RSA key is not usable: shorter than
    /// [`MIN_RSA_BITS`](crate::limits::MIN_RSA_BITS)
    /// ([`KeyError::TooSmall`]).
    #[error("{0}")]
    Key(#[source] KeyError),
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

impl From<InputError> for ParseError {
    fn from(e: InputError) -> Self {
        Self::Input(e)
    }
}
