//! The certification authorities an uploaded push certificate must chain to.

use std::sync::{Arc, OnceLock};

use der::Decode as _;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::error::{ParseError, TrustError};
use crate::input;
use crate::push_certificate::{PushCertificate, to_offset};
use crate::raw::RawCertificate;
use crate::signature::{DigestAlgorithm, RsaVerifier, rsa_public_key};

/// Apple Root CA, the root of Apple's RSA hierarchy (valid 2006–2035).
pub(crate) const APPLE_ROOT_CA: &[u8] = include_bytes!("apple-certs/AppleIncRootCertificate.cer");
/// Apple Application Integration 2 Certification Authority: issues MDM push
/// certificates today (valid 2013–2028).
pub(crate) const APPLE_AAI2_CA: &[u8] = include_bytes!("apple-certs/AppleAAI2CA.cer");
/// Apple Application Integration Certification Authority: the older issuer
/// (valid 2016–2026-10-21).
pub(crate) const APPLE_AAI_CA: &[u8] = include_bytes!("apple-certs/AppleAAICA.cer");

/// A certification authority, with its verifying key loaded once.
#[derive(Clone, Debug)]
pub(crate) struct Authority {
    pub(crate) der: Vec<u8>,
    pub(crate) subject_der: Vec<u8>,
    pub(crate) issuer_der: Vec<u8>,
    pub(crate) subject: String,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    pub(crate) key: Option<RsaVerifier>,
    pub(crate) subject_key_id: Option<Vec<u8>>,
}

impl Authority {
    pub(crate) fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let cert = Certificate::from_der(der).map_err(|e| ParseError::malformed(&e))?;
        let raw = RawCertificate::from_der(der).map_err(|e| ParseError::malformed(&e))?;
        let tbs = cert.tbs_certificate();
        Ok(Self {
            der: der.to_vec(),
            subject_der: raw.subject.to_vec(),
            issuer_der: raw.issuer.to_vec(),
            subject: crate::name::rfc4514(tbs.subject()),
            not_before: to_offset(tbs.validity().not_before)?,
            not_after: to_offset(tbs.validity().not_after)?,
            key: rsa_public_key(raw.spki),
            subject_key_id: tbs
                .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                .ok()
                .flatten()
                .map(|(_, id)| id.0.as_bytes().to_vec()),
        })
    }

    fn check_valid_at(&self, now: OffsetDateTime) -> Result<(), TrustError> {
        if now < self.not_before || now > self.not_after {
            return Err(TrustError::IssuerNotValid {
                subject: self.subject.clone(),
                not_before: self.not_before,
                not_after: self.not_after,
            });
        }
        Ok(())
    }

    /// Whether this authority's key verifies `raw`'s signature.
    pub(crate) fn signed(&self, raw: &RawCertificate<'_>) -> Result<bool, TrustError> {
        let oid = raw.signature_algorithm.oid;
        let digest = DigestAlgorithm::from_signature_oid(&oid).ok_or_else(|| {
            TrustError::UnsupportedSignatureAlgorithm {
                oid: oid.to_string(),
            }
        })?;
        Ok(self
            .key
            .as_ref()
            .is_some_and(|k| digest.verify(k, raw.tbs, raw.signature)))
    }

    pub(crate) fn is_self_issued(&self) -> bool {
        self.subject_der == self.issuer_der
    }
}

#[derive(Debug)]
struct Inner {
    roots: Vec<Authority>,
    /// Each intermediate with the index of the root whose key signed it,
    /// checked once when the anchors are built.
    intermediates: Vec<(Authority, Option<usize>)>,
}

/// The roots and intermediates a push certificate must chain to.
///
/// [`TrustAnchors::apple()`] embeds Apple Root CA and the Apple Application
/// Integration CAs that issue MDM push certificates. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct TrustAnchors(Arc<Inner>);

/// Why trust anchors could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnchorError {
    /// A certificate could not be read.
    #[error("an anchor certificate could not be read: {0}")]
    Certificate(ParseError),
    /// No self-issued certificate was given, so nothing can be a root.
    #[error("no root certificate (a self-issued certificate) was given")]
    NoRoot,
}

impl TrustAnchors {
    /// Apple Root CA with Apple Application Integration 2 CA and the older
    /// Apple Application Integration CA as intermediates.
    pub fn apple() -> Self {
        static APPLE: OnceLock<TrustAnchors> = OnceLock::new();
        APPLE
            .get_or_init(|| {
                // The embedded certificates are known good; a failure would
                // leave the anchors empty and every check would fail closed.
                Self::from_der_certificates([APPLE_ROOT_CA, APPLE_AAI2_CA, APPLE_AAI_CA])
                    .unwrap_or_else(|_| {
                        Self(Arc::new(Inner {
                            roots: Vec::new(),
                            intermediates: Vec::new(),
                        }))
                    })
            })
            .clone()
    }

    /// Builds anchors from a PEM text holding roots and intermediates in any
    /// order. Self-issued certificates become roots, the others intermediates.
    ///
    /// # Errors
    /// [`AnchorError`] if a certificate is unreadable or there is no root.
    pub fn from_pem(pem: &[u8]) -> Result<Self, AnchorError> {
        let items = input::der_items(pem, b"CERTIFICATE").map_err(AnchorError::Certificate)?;
        Self::from_der_certificates(items.iter().map(Vec::as_slice))
    }

    /// Builds anchors from DER certificates, as [`from_pem`](Self::from_pem).
    ///
    /// # Errors
    /// [`AnchorError`] if a certificate is unreadable or there is no root.
    pub fn from_der_certificates<'a>(
        certs: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, AnchorError> {
        let mut roots = Vec::new();
        let mut others = Vec::new();
        for der in certs {
            let a = Authority::from_der(der).map_err(AnchorError::Certificate)?;
            if a.is_self_issued() {
                roots.push(a);
            } else {
                others.push(a);
            }
        }
        if roots.is_empty() {
            return Err(AnchorError::NoRoot);
        }
        let intermediates = others
            .into_iter()
            .map(|a| {
                let signer = RawCertificate::from_der(&a.der).ok().and_then(|raw| {
                    roots.iter().position(|r| {
                        r.subject_der == a.issuer_der && r.signed(&raw).unwrap_or(false)
                    })
                });
                (a, signer)
            })
            .collect();
        Ok(Self(Arc::new(Inner {
            roots,
            intermediates,
        })))
    }

    /// The subjects of the roots, then of the intermediates.
    pub fn subjects(&self) -> Vec<&str> {
        self.0
            .roots
            .iter()
            .chain(self.0.intermediates.iter().map(|(a, _)| a))
            .map(|a| a.subject.as_str())
            .collect()
    }

    /// Verifies that `cert` was signed by an intermediate that was signed by
    /// a root (or directly by a root), and that each authority on that path is
    /// valid at `now`. The certificate's own validity is not judged here.
    ///
    /// # Errors
    /// [`TrustError`] says which link failed.
    pub fn verify(&self, cert: &PushCertificate, now: OffsetDateTime) -> Result<(), TrustError> {
        // The issuer's name is formatted only for an error: formatting costs
        // more than the search.
        let issuer = || cert.issuer().to_owned();
        let raw = RawCertificate::from_der(cert.der())
            .map_err(|_| TrustError::BadSignature { issuer: issuer() })?;
        self.verify_raw(&raw, issuer, now)
    }

    fn verify_raw(
        &self,
        raw: &RawCertificate<'_>,
        issuer: impl FnOnce() -> String,
        now: OffsetDateTime,
    ) -> Result<(), TrustError> {
        let mut name_matched = false;
        let mut not_valid = None;
        let mut unchained = false;
        for (a, root) in &self.0.intermediates {
            if a.subject_der != raw.issuer {
                continue;
            }
            name_matched = true;
            if !a.signed(raw)? {
                continue;
            }
            // Signed by an intermediate that no root vouches for: as unknown
            // as an issuer nobody has heard of.
            let Some(root) = root.and_then(|i| self.0.roots.get(i)) else {
                unchained = true;
                continue;
            };
            match a
                .check_valid_at(now)
                .and_then(|()| root.check_valid_at(now))
            {
                Ok(()) => return Ok(()),
                Err(e) => not_valid = Some(e),
            }
        }
        for r in &self.0.roots {
            if r.subject_der != raw.issuer {
                continue;
            }
            name_matched = true;
            if r.signed(raw)? {
                match r.check_valid_at(now) {
                    Ok(()) => return Ok(()),
                    Err(e) => not_valid = Some(e),
                }
            }
        }
        if let Some(e) = not_valid {
            return Err(e);
        }
        if name_matched && !unchained {
            Err(TrustError::BadSignature { issuer: issuer() })
        } else {
            Err(TrustError::UnknownIssuer { issuer: issuer() })
        }
    }
}
