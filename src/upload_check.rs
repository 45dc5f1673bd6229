//! Judging the push certificate a customer uploads.

use time::OffsetDateTime;

use crate::display::sha256_hex;
use crate::expiry::Expiry;
use crate::push_certificate::PushCertificate;
use crate::topic::Topic;
use crate::trust_anchors::TrustAnchors;
use crate::upload_error::{InvalidReason, RetryReason, UploadError};

/// The checks an MDM server runs on an uploaded push certificate.
///
/// In order: read the file → verify it is Apple's → compare the public key
/// with the request made for this registration → compare the topic with the
/// certificate it replaces → judge its validity at `now`. The first failure
/// decides the [`UploadError`].
///
/// ```
/// use mdm_push_cert::{PushCertificate, TrustAnchors, UploadCheck, UploadError};
/// use time::macros::datetime;
///
/// let anchors = TrustAnchors::from_pem(include_bytes!("../tests/fixtures/pki/anchors.pem"))?;
/// let current = PushCertificate::parse(include_bytes!("../tests/fixtures/pki/push_a.pem"))?;
/// let check = UploadCheck::new(datetime!(2025-12-28 12:00 UTC))
///     .trust_anchors(anchors)
///     .expected_public_key(include_bytes!("../tests/fixtures/pki/customer_b.spki.der"))
///     .previous_topic(current.topic())
///     .previous_not_after(current.not_after());
///
/// let renewed = check.check(include_bytes!("../tests/fixtures/pki/push_b.pem"))?;
/// assert_eq!(renewed.topic(), current.topic());
///
/// // "Create" clicked instead of "Renew": a new topic.
/// let err = check.check(include_bytes!("../tests/fixtures/pki/push_new_topic.pem")).unwrap_err();
/// assert_eq!(err.code(), "topic_mismatch");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct UploadCheck {
    now: OffsetDateTime,
    expected_spki: Option<Vec<u8>>,
    previous_topic: Option<Topic>,
    previous_not_after: Option<OffsetDateTime>,
    anchors: Option<TrustAnchors>,
    require_push_marker: bool,
}

impl UploadCheck {
    /// A check at the instant `now`, against Apple's anchors, with no expected
    /// key and no previous certificate (a first registration).
    pub fn new(now: OffsetDateTime) -> Self {
        Self {
            now,
            expected_spki: None,
            previous_topic: None,
            previous_not_after: None,
            anchors: None,
            require_push_marker: true,
        }
    }

    /// The instant the check judges validity at.
    pub fn now(&self) -> OffsetDateTime {
        self.now
    }

    /// The SubjectPublicKeyInfo DER of the request the server made for this
    /// registration or renewal. Without it the key is not compared, which is
    /// right only for inspecting a certificate, never for accepting one.
    ///
    /// Any key comes in this way: [`PrivateKey::spki_der`](crate::keys::PrivateKey::spki_der),
    /// [`PushCsr::spki_der`](crate::csr::PushCsr::spki_der), or another
    /// library's public key encoded as SubjectPublicKeyInfo (the `rsa`
    /// crate's `EncodePublicKey::to_public_key_der`).
    #[must_use]
    pub fn expected_public_key(mut self, spki_der: &[u8]) -> Self {
        self.expected_spki = Some(spki_der.to_vec());
        self
    }

    /// The expected key, taken from the request the server made.
    #[must_use]
    pub fn expected_csr(self, csr: &crate::csr::PushCsr) -> Self {
        self.expected_public_key(csr.spki_der())
    }

    /// The topic of the certificate being renewed; absent on first registration.
    #[must_use]
    pub fn previous_topic(mut self, topic: &Topic) -> Self {
        self.previous_topic = Some(topic.clone());
        self
    }

    /// The end of the certificate being renewed: the upload must end later.
    #[must_use]
    pub fn previous_not_after(mut self, not_after: OffsetDateTime) -> Self {
        self.previous_not_after = Some(not_after);
        self
    }

    /// The topic and end of the certificate being renewed, from the certificate.
    #[must_use]
    pub fn previous_certificate(self, previous: &PushCertificate) -> Self {
        self.previous_topic(previous.topic())
            .previous_not_after(previous.not_after())
    }

    /// Anchors to verify against instead of Apple's.
    #[must_use]
    pub fn trust_anchors(mut self, anchors: TrustAnchors) -> Self {
        self.anchors = Some(anchors);
        self
    }

    /// Whether the push marker extension 1.2.840.113635.100.6.3.2 is required
    /// (default: yes; every push certificate Apple issues carries it).
    #[must_use]
    pub fn require_push_marker(mut self, require: bool) -> Self {
        self.require_push_marker = require;
        self
    }

    /// Runs the checks on the uploaded bytes (PEM or DER).
    ///
    /// # Errors
    /// The first failing check as one of the four [`UploadError`] variants.
    pub fn check(&self, bytes: &[u8]) -> Result<PushCertificate, UploadError> {
        let cert = match PushCertificate::parse(bytes) {
            Ok(cert) => cert,
            // A .p12 uploaded where a certificate was expected: say that its
            // password is needed, not that the file is unreadable.
            Err(_) if crate::pkcs12::pfx_der(bytes).is_some() => {
                return Err(UploadError::InvalidCertificate {
                    reason: InvalidReason::Identity(crate::identity::IdentityError::Pkcs12(
                        crate::pkcs12::Pkcs12Error::PasswordRequired,
                    )),
                });
            }
            Err(e) => return Err(e.into()),
        };
        self.check_certificate(&cert)?;
        Ok(cert)
    }

    /// Runs the checks on an uploaded PKCS#12 file (`.p12`, DER or bare
    /// base64) read with `password`, and returns the push identity: the
    /// accepted certificate with its private key. The four documented
    /// messages hold: a wrong password or a file that is no push identity is
    /// the invalid-certificate message, a key that is not the certificate's
    /// the public-key message.
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn check_pkcs12(
        &self,
        bytes: &[u8],
        password: &str,
    ) -> Result<crate::identity::PushIdentity, UploadError> {
        let identity = crate::identity::PushIdentity::from_pkcs12(bytes, password)?;
        self.check_certificate(identity.certificate())?;
        Ok(identity)
    }

    /// Runs the checks after reading, on a certificate already parsed. It
    /// borrows the certificate, so a refused upload can still be reported
    /// (its topic, serial, dates) without reading it again.
    ///
    /// ```
    /// # use mdm_push_cert::{PushCertificate, UploadCheck, UploadError, time::OffsetDateTime};
    /// # fn handle(bytes: &[u8], check: &UploadCheck) -> Result<(), UploadError> {
    /// let cert = PushCertificate::parse(bytes)?;
    /// if let Err(e) = check.check_certificate(&cert) {
    ///     eprintln!("refused upload for topic {}: {e}", cert.topic());
    ///     return Err(e);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn check_certificate(&self, cert: &PushCertificate) -> Result<(), UploadError> {
        if self.require_push_marker && !cert.has_push_marker() {
            return Err(UploadError::InvalidCertificate {
                reason: InvalidReason::MissingPushMarker,
            });
        }
        match &self.anchors {
            Some(a) => a.verify(cert, self.now)?,
            None => TrustAnchors::apple().verify(cert, self.now)?,
        }
        if let Some(expected) = &self.expected_spki
            && !crate::keys::same_public_key(expected, cert.spki_der())
        {
            return Err(UploadError::PublicKeyMismatch {
                expected_sha256: sha256_hex(expected),
                found_sha256: sha256_hex(cert.spki_der()),
            });
        }
        if let Some(previous) = &self.previous_topic
            && previous != cert.topic()
        {
            return Err(UploadError::TopicMismatch {
                previous: previous.clone(),
                uploaded: cert.topic().clone(),
            });
        }
        match cert.expiry(self.now) {
            Expiry::NotYetValid { .. } => {
                return Err(UploadError::RetryLater {
                    reason: RetryReason::NotYetValid {
                        not_before: cert.not_before(),
                    },
                });
            }
            Expiry::Expired { .. } => {
                return Err(UploadError::InvalidCertificate {
                    reason: InvalidReason::Expired {
                        not_after: cert.not_after(),
                    },
                });
            }
            Expiry::Valid { .. } | Expiry::ExpiringSoon { .. } => {}
        }
        if let Some(previous_not_after) = self.previous_not_after
            && cert.not_after() <= previous_not_after
        {
            return Err(UploadError::InvalidCertificate {
                reason: InvalidReason::NotARenewal {
                    not_after: cert.not_after(),
                    previous_not_after,
                },
            });
        }
        Ok(())
    }
}
