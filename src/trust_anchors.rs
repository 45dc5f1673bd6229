//! The certification authorities a certificate must chain to: Apple's,
//! embedded, or the caller's. The path search that decides whether it does
//! is in `path.rs`.

use std::sync::{Arc, OnceLock};

use time::OffsetDateTime;

use crate::certificate::Certificate;
use crate::error::{ParseError, TrustError};
use crate::input;
use crate::limits::MAX_OPERATOR_INTERMEDIATES;
use crate::path::{Anchors, Authority, PathIssuer, Policy, Search, rank};

// Apple's CA certificates, embedded unchanged: `src/apple-certs/README.md`
// says what each is, with its SHA-256.

/// Apple Root CA, the root of Apple's RSA hierarchy (valid 2006–2035).
pub(crate) const APPLE_ROOT_CA: &[u8] = include_bytes!("apple-certs/AppleIncRootCertificate.cer");
/// Apple Root CA - G2 (RSA 4096, valid 2014–2039).
pub(crate) const APPLE_ROOT_CA_G2: &[u8] = include_bytes!("apple-certs/AppleRootCA-G2.cer");
/// Apple Root CA - G3, the root of Apple's ECDSA hierarchy (P-384, valid 2014–2039).
pub(crate) const APPLE_ROOT_CA_G3: &[u8] = include_bytes!("apple-certs/AppleRootCA-G3.cer");
/// Apple Application Integration 2 Certification Authority: issues MDM push
/// certificates today (valid 2013–2028-05-24).
pub(crate) const APPLE_AAI2_CA: &[u8] = include_bytes!("apple-certs/AppleAAI2CA.cer");
/// Apple Application Integration Certification Authority: the older issuer
/// (valid 2016–2026-10-21).
pub(crate) const APPLE_AAI_CA: &[u8] = include_bytes!("apple-certs/AppleAAICA.cer");
/// Apple Worldwide Developer Relations Certification Authority G3: issues
/// MDM vendor certificates today (valid to 2030-02-20).
pub(crate) const APPLE_WWDR_CA_G3: &[u8] = include_bytes!("apple-certs/AppleWWDRCAG3.cer");

/// The embedded roots.
const APPLE_ROOTS: [&[u8]; 3] = [APPLE_ROOT_CA, APPLE_ROOT_CA_G2, APPLE_ROOT_CA_G3];

/// The embedded intermediates: the Application Integration CAs that issue
/// push certificates (today's first), then the WWDR CAs that issue vendor
/// certificates (today's first; G1 expired in 2023 and signed with SHA-1).
const APPLE_INTERMEDIATES: [&[u8]; 11] = [
    APPLE_AAI2_CA,
    APPLE_AAI_CA,
    include_bytes!("apple-certs/AppleAAICAG3.cer"),
    include_bytes!("apple-certs/AppleApplicationIntegrationCA5G1.cer"),
    include_bytes!("apple-certs/AppleApplicationIntegrationCA7G1.cer"),
    APPLE_WWDR_CA_G3,
    include_bytes!("apple-certs/AppleWWDRCAG4.cer"),
    include_bytes!("apple-certs/AppleWWDRCAG5.cer"),
    include_bytes!("apple-certs/AppleWWDRCAG6.cer"),
    include_bytes!("apple-certs/AppleWWDRCAG2.cer"),
    include_bytes!("apple-certs/AppleWWDRCA.cer"),
];

/// The roots and intermediates a certificate must chain to.
///
/// [`TrustAnchors::apple()`] embeds Apple's three roots, the Application
/// Integration CAs that issue MDM push certificates and the WWDR CAs that
/// issue MDM vendor certificates; [`with_intermediates`](Self::with_intermediates)
/// adds the operator's. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct TrustAnchors(Arc<Anchors>);

/// Why trust anchors could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnchorError {
    /// A certificate could not be read.
    #[error("an anchor certificate could not be read: {0}")]
    Certificate(#[source] ParseError),
    /// No self-issued certificate was given, so nothing can be a root.
    #[error("no root certificate (a self-issued certificate) was given")]
    NoRoot,
    /// A certificate offered as an anchor may not issue certificates.
    #[error("the anchor {subject} is not a certification authority: {reason}")]
    NotCa {
        /// Its subject.
        subject: String,
        /// Why.
        reason: &'static str,
    },
    /// More intermediates than [`MAX_OPERATOR_INTERMEDIATES`](crate::MAX_OPERATOR_INTERMEDIATES) at once.
    #[error("{count} intermediates were given, more than the {max} accepted")]
    TooMany {
        /// Certificates given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A self-issued certificate was offered as an intermediate: roots are
    /// never added this way.
    #[error("{subject} is self-issued: a root, not an intermediate")]
    NotAnIntermediate {
        /// Its subject.
        subject: String,
    },
    /// An operator's intermediate does not chain to a root of the anchors.
    #[error("the intermediate {subject} does not chain to a root of the anchors: {reason}")]
    Unchained {
        /// Its subject.
        subject: String,
        /// The path validation failure.
        #[source]
        reason: TrustError,
    },
}

impl TrustAnchors {
    /// Apple's embedded anchors: Apple Root CA, Apple Root CA - G2 and Apple
    /// Root CA - G3 as roots; as intermediates, the Application Integration
    /// CAs (2, the older one, - G3, 5 - G1, 7 - G1) and the Worldwide
    /// Developer Relations CAs (G1 to G6). `src/apple-certs/README.md` lists
    /// each with its SHA-256.
    pub fn apple() -> Self {
        static APPLE: OnceLock<TrustAnchors> = OnceLock::new();
        APPLE
            .get_or_init(|| Self::embedded(&APPLE_ROOTS, &APPLE_INTERMEDIATES))
            .clone()
    }

    /// These anchors with the operator's intermediates added (PEM, one or
    /// more certificates): for the day Apple issues from an intermediate this
    /// crate does not embed. Each must be a CA certificate that is not
    /// self-issued and chains, with every CA constraint and signature
    /// checked, to a root of these anchors; otherwise nothing is added.
    /// Validity periods are judged at each check, not here.
    ///
    /// # Errors
    /// [`AnchorError`] names the first certificate refused and why.
    pub fn with_intermediates(&self, pem: &[u8]) -> Result<Self, AnchorError> {
        let items = input::der_items(pem, b"CERTIFICATE")
            .map_err(|e| AnchorError::Certificate(e.into()))?;
        if items.len() > MAX_OPERATOR_INTERMEDIATES {
            return Err(AnchorError::TooMany {
                count: items.len(),
                max: MAX_OPERATOR_INTERMEDIATES,
            });
        }
        let mut added = Vec::with_capacity(items.len());
        for der in &items {
            let a = Authority::from_der(der).map_err(AnchorError::Certificate)?;
            if let Some(TrustError::IssuerNotCa { subject, reason }) = a.ca_fault() {
                return Err(AnchorError::NotCa { subject, reason });
            }
            if a.is_self_issued() {
                return Err(AnchorError::NotAnIntermediate { subject: a.subject });
            }
            added.push(a);
        }
        let mut intermediates = self.0.intermediates.clone();
        intermediates.extend(added.iter().cloned());
        let anchors = Self(Arc::new(Anchors::new(self.0.roots.clone(), intermediates)));
        anchors.check_chained(&added)?;
        Ok(anchors)
    }

    /// Anchors from embedded certificates, which are known good (a unit test
    /// builds them); a failure would leave the anchors empty and every check
    /// would fail closed.
    fn embedded(roots: &[&[u8]], intermediates: &[&[u8]]) -> Self {
        Self::from_der_certificates(roots.iter().chain(intermediates).copied()).unwrap_or_else(
            |_| {
                Self(Arc::new(Anchors {
                    roots: Vec::new(),
                    intermediates: Vec::new(),
                }))
            },
        )
    }

    /// Builds anchors from a PEM text holding roots and intermediates in any
    /// order. Self-issued certificates become roots, the others intermediates.
    ///
    /// # Errors
    /// [`AnchorError`] if a certificate is unreadable or is not a CA, or if
    /// there is no root.
    pub fn from_pem(pem: &[u8]) -> Result<Self, AnchorError> {
        let items = input::der_items(pem, b"CERTIFICATE")
            .map_err(|e| AnchorError::Certificate(e.into()))?;
        Self::from_der_certificates(items.iter().map(Vec::as_slice))
    }

    /// Builds anchors from DER certificates, as [`from_pem`](Self::from_pem).
    ///
    /// # Errors
    /// As [`from_pem`](Self::from_pem).
    pub fn from_der_certificates<'a>(
        certs: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Self, AnchorError> {
        let mut roots = Vec::new();
        let mut intermediates = Vec::new();
        for der in certs {
            let a = Authority::from_der(der).map_err(AnchorError::Certificate)?;
            if let Some(TrustError::IssuerNotCa { subject, reason }) = a.ca_fault() {
                return Err(AnchorError::NotCa { subject, reason });
            }
            if a.is_self_issued() {
                roots.push(a);
            } else {
                intermediates.push(a);
            }
        }
        if roots.is_empty() {
            return Err(AnchorError::NoRoot);
        }
        // An intermediate that chains to no root given is kept: it can never
        // complete a path, and refusing the whole set for it would refuse
        // certificates that chain through the others. (The operator's
        // additions, by contrast, must chain: `with_intermediates`.)
        Ok(Self(Arc::new(Anchors::new(roots, intermediates))))
    }

    /// Every one of `intermediates` must chain to a root of these anchors by
    /// signatures and CA constraints now; validity periods are judged at
    /// each check.
    fn check_chained(&self, intermediates: &[Authority]) -> Result<(), AnchorError> {
        for a in intermediates {
            let mut search = Search::new(&self.0, &[], None, Policy::Vendor);
            search
                .path_from(&a.der, &a.parts, 1, 0)
                .map_err(|reason| AnchorError::Unchained {
                    subject: a.subject.clone(),
                    reason,
                })?;
        }
        Ok(())
    }

    /// The subjects of the roots, then of the intermediates.
    pub fn subjects(&self) -> Vec<&str> {
        self.0
            .roots
            .iter()
            .chain(self.0.intermediates.iter())
            .map(|a| a.subject.as_str())
            .collect()
    }

    /// Verifies that `cert` chains to a root through the anchors, every
    /// issuer on the path a CA valid at `now` whose signature verifies with
    /// SHA-256 or stronger. The CA certificates the upload carried beside the
    /// push certificate are tried as intermediates after the anchors' own,
    /// never trusted on their own. The certificate's own validity is not
    /// judged here.
    ///
    /// # Errors
    /// [`TrustError`] says which link failed; an issuer nobody knows is
    /// [`TrustError::UnknownIssuer`], naming it and its key identifier.
    pub fn verify(
        &self,
        cert: &crate::push_certificate::PushCertificate,
        now: OffsetDateTime,
    ) -> Result<(), TrustError> {
        self.search(cert, now, |_| ())
    }

    /// As [`verify`](Self::verify), returning the path found: the subjects
    /// of its root first, then of each intermediate downwards (RFC 4514).
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub fn path_to(
        &self,
        cert: &crate::push_certificate::PushCertificate,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, TrustError> {
        self.search(cert, now, |s| s.subjects())
    }

    /// The path search for a push certificate; `found` reads the path.
    fn search<T>(
        &self,
        cert: &crate::push_certificate::PushCertificate,
        now: OffsetDateTime,
        found: impl Fn(&Search<'_>) -> T,
    ) -> Result<T, TrustError> {
        let mut search = Search::new(&self.0, &[], Some(now), Policy::Push);
        let first = match search.path_from(cert.der(), cert.parts(), 0, 0) {
            Ok(()) => return Ok(found(&search)),
            Err(e) => e,
        };
        if cert.carried().is_empty() {
            return Err(first);
        }
        // Read only when the anchors alone do not reach a root. A carried
        // certificate the reader refuses is no candidate (the upload was
        // read already; nothing of it is trusted).
        let carried: Vec<Authority> = cert
            .carried()
            .iter()
            .filter_map(|der| Authority::from_der(der).ok())
            .collect();
        // One budget for both searches.
        let spent = search.signature_checks;
        let mut search = Search::new(&self.0, &carried, Some(now), Policy::Push);
        search.signature_checks = spent;
        match search.path_from(cert.der(), cert.parts(), 0, 0) {
            Ok(()) => Ok(found(&search)),
            Err(second) if rank(&second) >= rank(&first) => Err(second),
            Err(_) => Err(first),
        }
    }

    /// Verifies a certificate already read, trying the untrusted `extra`
    /// certificates as intermediates too; returns each issuer on the path,
    /// root first, as its DER and its subject. Without `now`, validity
    /// periods are not judged.
    pub(crate) fn verify_parts(
        &self,
        der: &[u8],
        parts: &Certificate,
        extra: &[Authority],
        now: Option<OffsetDateTime>,
        policy: Policy,
    ) -> Result<Vec<PathIssuer>, TrustError> {
        let mut search = Search::new(&self.0, extra, now, policy);
        search.path_from(der, parts, 0, 0)?;
        Ok(search
            .path
            .iter()
            .map(|a| PathIssuer {
                der: a.der.clone(),
                subject: a.subject.clone(),
                not_before: a.parts.not_before,
                not_after: a.parts.not_after,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every [`AnchorError`] message, one row each; the `match`
    /// has no wildcard arm.
    /// Every embedded certificate is the one `src/apple-certs/README.md`
    /// names, by SHA-256, and the embedded anchors build: every intermediate
    /// chains to an embedded root with every CA constraint checked.
    #[test]
    fn embedded_certificates_are_the_listed_ones_and_all_chain() {
        let table = include_str!("apple-certs/README.md");
        let all: Vec<&[u8]> = APPLE_ROOTS
            .iter()
            .chain(&APPLE_INTERMEDIATES)
            .copied()
            .collect();
        for der in &all {
            let hex = crate::display::sha256_hex(der);
            assert!(table.contains(&hex), "{hex} is not listed");
        }
        assert_eq!(table.matches(".cer |").count(), all.len());
        let anchors = TrustAnchors::from_der_certificates(all.iter().copied())
            .expect("embedded anchors build");
        assert_eq!(anchors.0.roots.len(), 3);
        assert_eq!(anchors.0.intermediates.len(), 11);
        assert_eq!(TrustAnchors::apple().subjects().len(), 14);
    }
}
