//! The certification authorities a certificate must chain to, and the path
//! validation that decides whether it does.
//!
//! A path runs from the certificate through zero or more intermediates to a
//! root. Every issuer on it, root included, must be a v3 CA (basicConstraints
//! cA TRUE, keyCertSign when keyUsage is present, no critical extension this
//! crate cannot process: the reader refuses those), honour the
//! pathLenConstraints above it, be valid at the instant of the check, and
//! have signed the certificate below it with an accepted algorithm. The same
//! rules hold under Apple's embedded anchors and under the caller's.
//! ([RFC 5280 §6.1](https://datatracker.ietf.org/doc/html/rfc5280#section-6.1).)

use std::sync::{Arc, OnceLock};

use time::OffsetDateTime;

use crate::asn1;
use crate::certificate::{Certificate, key_usage, part};
use crate::digest::DigestAlgorithm;
use crate::error::{ParseError, TrustError};
use crate::input;
use crate::limits::{
    MAX_CANDIDATES_PER_NAME, MAX_OPERATOR_INTERMEDIATES, MAX_PATH_INTERMEDIATES,
    MAX_SIGNATURE_CHECKS,
};
use crate::name;
use crate::signature::{SignatureAlgorithm, VerifyingKey};

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

/// Which signatures a path may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Policy {
    /// Push certificates: SHA-256 or stronger everywhere (Apple has signed
    /// push certificates and their CA with SHA-256 for years), and every
    /// issuer's extended key usage, when present, allows client authentication.
    Push,
    /// Vendor certificates in signedCSR files: SHA-1 is still accepted, for
    /// the WWDR G1 chain of files made before 2021.
    Vendor,
}

/// A certificate that may issue others, read once, with its key loaded.
#[derive(Clone, Debug)]
pub(crate) struct Authority {
    pub(crate) der: Vec<u8>,
    pub(crate) parts: Certificate,
    pub(crate) subject: String,
    key: Option<VerifyingKey>,
    /// For an intermediate of an anchor set: the anchors (roots numbered
    /// first, then intermediates) whose signature on it was verified when
    /// the set was built, so a check does not verify it again.
    signed_by: Vec<usize>,
}

impl Authority {
    /// Reads a certificate offered as an issuer; it is not yet judged as a CA.
    pub(crate) fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        let parts = Certificate::read(der)?;
        let subject = name::rfc4514_der(part(der, &parts.subject));
        let key = VerifyingKey::from_spki(part(der, &parts.spki));
        Ok(Self {
            der: der.to_vec(),
            parts,
            subject,
            key,
            signed_by: Vec::new(),
        })
    }

    pub(crate) fn subject_der(&self) -> &[u8] {
        part(&self.der, &self.parts.subject)
    }

    fn issuer_der(&self) -> &[u8] {
        part(&self.der, &self.parts.issuer)
    }

    fn is_self_issued(&self) -> bool {
        self.subject_der() == self.issuer_der()
    }

    /// Why this certificate may not issue others, if it may not: it must say
    /// cA TRUE, and allow keyCertSign when it has a key usage (RFC 5280
    /// §4.2.1.9, §4.2.1.3).
    pub(crate) fn ca_fault(&self) -> Option<TrustError> {
        let not_ca = |reason: &'static str| {
            Some(TrustError::IssuerNotCa {
                subject: self.subject.clone(),
                reason,
            })
        };
        if !self.parts.is_ca() {
            return not_ca("its basic constraints do not say it is a CA");
        }
        if self
            .parts
            .key_usage
            .is_some_and(|ku| ku & key_usage::KEY_CERT_SIGN == 0)
        {
            return not_ca("its key usage does not allow signing certificates");
        }
        None
    }

    fn check_valid_at(&self, now: OffsetDateTime) -> Result<(), TrustError> {
        let t = now.unix_timestamp();
        if t < self.parts.not_before || t > self.parts.not_after {
            let convert = |s| asn1::to_datetime(s).unwrap_or(OffsetDateTime::UNIX_EPOCH);
            return Err(TrustError::IssuerNotValid {
                subject: self.subject.clone(),
                not_before: convert(self.parts.not_before),
                not_after: convert(self.parts.not_after),
            });
        }
        Ok(())
    }

    /// The signature algorithm of `child`, if the policy allows it.
    fn algorithm_of(
        child_der: &[u8],
        child: &Certificate,
        policy: Policy,
    ) -> Result<SignatureAlgorithm, TrustError> {
        let oid = part(child_der, &child.signature_oid);
        let params = child.signature_params.as_ref().map(|r| part(child_der, r));
        let algorithm = SignatureAlgorithm::from_identifier(oid, params).ok_or_else(|| {
            TrustError::UnsupportedSignatureAlgorithm {
                oid: crate::oids::dotted(oid),
            }
        })?;
        if policy == Policy::Push && algorithm.digest() == DigestAlgorithm::Sha1 {
            return Err(TrustError::WeakSignatureAlgorithm {
                subject: name::rfc4514_der(part(child_der, &child.subject)),
            });
        }
        Ok(algorithm)
    }

    /// Checks this authority's signature on the certificate `child`.
    fn check_signed(
        &self,
        child_der: &[u8],
        child: &Certificate,
        policy: Policy,
    ) -> Result<(), TrustError> {
        let algorithm = Self::algorithm_of(child_der, child, policy)?;
        let Some(key) = self.key.as_ref() else {
            return Err(TrustError::UnsupportedIssuerKey {
                subject: self.subject.clone(),
            });
        };
        if key.verify(
            algorithm,
            part(child_der, &child.tbs),
            part(child_der, &child.signature),
        ) {
            Ok(())
        } else {
            Err(TrustError::BadSignature {
                issuer: self.subject.clone(),
            })
        }
    }
}

#[derive(Debug)]
struct Inner {
    roots: Vec<Authority>,
    intermediates: Vec<Authority>,
}

impl Inner {
    /// The anchors, with each intermediate's verified issuers recorded.
    fn new(roots: Vec<Authority>, mut intermediates: Vec<Authority>) -> Self {
        let signers: Vec<Vec<usize>> = intermediates
            .iter()
            .map(|child| {
                roots
                    .iter()
                    .chain(intermediates.iter())
                    .enumerate()
                    .filter(|(_, parent)| {
                        parent.subject_der() == child.issuer_der()
                            && parent.der != child.der
                            && parent
                                .check_signed(&child.der, &child.parts, Policy::Vendor)
                                .is_ok()
                    })
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        for (child, signed_by) in intermediates.iter_mut().zip(signers) {
            child.signed_by = signed_by;
        }
        Self {
            roots,
            intermediates,
        }
    }
}

/// The roots and intermediates a certificate must chain to.
///
/// [`TrustAnchors::apple()`] embeds Apple's three roots, the Application
/// Integration CAs that issue MDM push certificates and the WWDR CAs that
/// issue MDM vendor certificates; [`with_intermediates`](Self::with_intermediates)
/// adds the operator's. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct TrustAnchors(Arc<Inner>);

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
        let items = input::der_items(pem, b"CERTIFICATE").map_err(AnchorError::Certificate)?;
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
        let anchors = Self(Arc::new(Inner::new(self.0.roots.clone(), intermediates)));
        anchors.check_chained(&added)?;
        Ok(anchors)
    }

    /// Anchors from embedded certificates, which are known good (a unit test
    /// builds them); a failure would leave the anchors empty and every check
    /// would fail closed.
    fn embedded(roots: &[&[u8]], intermediates: &[&[u8]]) -> Self {
        Self::from_der_certificates(roots.iter().chain(intermediates).copied()).unwrap_or_else(
            |_| {
                Self(Arc::new(Inner {
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
        let items = input::der_items(pem, b"CERTIFICATE").map_err(AnchorError::Certificate)?;
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
        Ok(Self(Arc::new(Inner::new(roots, intermediates))))
    }

    /// Every one of `intermediates` must chain to a root of these anchors by
    /// signatures and CA constraints now; validity periods are judged at
    /// each check.
    fn check_chained(&self, intermediates: &[Authority]) -> Result<(), AnchorError> {
        for a in intermediates {
            let mut search = Search::new(self, &[], None, Policy::Vendor);
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
        cert: &crate::PushCertificate,
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
        cert: &crate::PushCertificate,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, TrustError> {
        self.search(cert, now, |s| s.subjects())
    }

    /// The path search for a push certificate; `found` reads the path.
    fn search<T>(
        &self,
        cert: &crate::PushCertificate,
        now: OffsetDateTime,
        found: impl Fn(&Search<'_>) -> T,
    ) -> Result<T, TrustError> {
        let mut search = Search::new(self, &[], Some(now), Policy::Push);
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
        let mut search = Search::new(self, &carried, Some(now), Policy::Push);
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
    ) -> Result<Vec<(Vec<u8>, String)>, TrustError> {
        let mut search = Search::new(self, extra, now, policy);
        search.path_from(der, parts, 0, 0)?;
        Ok(search
            .path
            .iter()
            .map(|a| (a.der.clone(), a.subject.clone()))
            .collect())
    }
}

/// One bounded depth-first search for a path.
struct Search<'a> {
    anchors: &'a Inner,
    extra: &'a [Authority],
    now: Option<OffsetDateTime>,
    policy: Policy,
    signature_checks: usize,
    /// The path found: the root first, then the intermediates downwards.
    path: Vec<&'a Authority>,
}

/// How far a failed candidate got, to report the most telling failure.
fn rank(e: &TrustError) -> u8 {
    match e {
        TrustError::UnknownIssuer { .. } => 0,
        TrustError::BadSignature { .. } => 1,
        _ => 2,
    }
}

impl<'a> Search<'a> {
    fn new(
        anchors: &'a TrustAnchors,
        extra: &'a [Authority],
        now: Option<OffsetDateTime>,
        policy: Policy,
    ) -> Self {
        Self {
            anchors: &anchors.0,
            extra,
            now,
            policy,
            signature_checks: 0,
            path: Vec::new(),
        }
    }

    /// The subjects of the path found, root first.
    fn subjects(&self) -> Vec<String> {
        self.path.iter().map(|a| a.subject.clone()).collect()
    }

    /// Finds a path from `cert` up to a root. `intermediates_below` counts
    /// the CA certificates between `cert`'s issuer and the end entity (0 for
    /// the end entity itself), for pathLenConstraint; `depth` bounds the search.
    fn path_from(
        &mut self,
        der: &[u8],
        cert: &Certificate,
        intermediates_below: usize,
        depth: usize,
    ) -> Result<(), TrustError> {
        self.path_from_anchor(der, cert, &[], intermediates_below, depth)
    }

    /// As [`path_from`](Self::path_from), for a certificate whose signature
    /// by the anchors numbered in `verified` was checked when the anchors
    /// were built.
    fn path_from_anchor(
        &mut self,
        der: &[u8],
        cert: &Certificate,
        verified: &[usize],
        intermediates_below: usize,
        depth: usize,
    ) -> Result<(), TrustError> {
        let issuer_name = part(der, &cert.issuer);
        let mut best: Option<TrustError> = None;
        let keep = |e: TrustError, best: &mut Option<TrustError>| {
            if best.as_ref().is_none_or(|b| rank(&e) >= rank(b)) {
                *best = Some(e);
            }
        };
        let anchors = self.anchors;
        for (i, root) in anchors
            .roots
            .iter()
            .enumerate()
            .filter(|(_, r)| r.subject_der() == issuer_name)
        {
            match self.link(root, verified.contains(&i), der, cert, intermediates_below) {
                Ok(()) => {
                    self.path.push(root);
                    return Ok(());
                }
                Err(e) => keep(e, &mut best),
            }
        }
        if depth < MAX_PATH_INTERMEDIATES {
            let extra = self.extra;
            // The anchors' own intermediates first, then the carried ones;
            // at most a few with this name.
            let roots = anchors.roots.len();
            let candidates = anchors.intermediates.iter().chain(extra.iter());
            for (i, ca) in candidates
                .enumerate()
                .filter(|(_, a)| a.subject_der() == issuer_name)
                .take(MAX_CANDIDATES_PER_NAME)
            {
                // A certificate never issues itself on a path.
                if ca.der == der {
                    continue;
                }
                // Anchors are numbered roots first; carried certificates
                // (past the anchors' intermediates) have no verified issuers.
                let id = roots + i;
                let linked = self
                    .link(ca, verified.contains(&id), der, cert, intermediates_below)
                    .and_then(|()| {
                        self.path_from_anchor(
                            &ca.der,
                            &ca.parts,
                            &ca.signed_by,
                            intermediates_below + 1,
                            depth + 1,
                        )
                    });
                match linked {
                    Ok(()) => {
                        self.path.push(ca);
                        return Ok(());
                    }
                    Err(e) => keep(e, &mut best),
                }
            }
        }
        Err(best.unwrap_or_else(|| TrustError::UnknownIssuer {
            issuer: name::rfc4514_der(issuer_name),
            key_id: cert
                .authority_key_id
                .as_ref()
                .map(|r| crate::display::hex(part(der, r))),
        }))
    }

    /// Checks that `ca` may have issued `cert` and did.
    fn link(
        &mut self,
        ca: &Authority,
        verified: bool,
        der: &[u8],
        cert: &Certificate,
        intermediates_below: usize,
    ) -> Result<(), TrustError> {
        // The signature first: a forgery is reported as one, whatever the
        // state of the authority it names. Between anchors it was verified
        // when they were built; the policy still applies to its algorithm.
        if verified {
            Authority::algorithm_of(der, cert, self.policy)?;
        } else {
            if self.signature_checks >= MAX_SIGNATURE_CHECKS {
                return Err(TrustError::TooManyCandidates);
            }
            self.signature_checks += 1;
            ca.check_signed(der, cert, self.policy)?;
        }
        if let Some(fault) = ca.ca_fault() {
            return Err(fault);
        }
        if let Some(limit) = ca.parts.basic_constraints.and_then(|b| b.path_len)
            && usize::try_from(limit).is_ok_and(|l| intermediates_below > l)
        {
            return Err(TrustError::PathLenExceeded {
                subject: ca.subject.clone(),
            });
        }
        if self.policy == Policy::Push
            && ca
                .parts
                .ext_key_usage
                .is_some_and(|eku| !eku.allows_client_auth())
        {
            return Err(TrustError::IssuerNotForClientAuth {
                subject: ca.subject.clone(),
            });
        }
        match self.now {
            Some(now) => ca.check_valid_at(now),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every [`AnchorError`] message, one row each; the `match`
    /// has no wildcard arm.
    #[test]
    fn every_anchor_error_message() {
        let text = |e: &AnchorError| match e {
            AnchorError::Certificate(_) => {
                "an anchor certificate could not be read: the file is empty"
            }
            AnchorError::NoRoot => "no root certificate (a self-issued certificate) was given",
            AnchorError::NotCa { .. } => "the anchor CN=A is not a certification authority: r",
            AnchorError::TooMany { .. } => "33 intermediates were given, more than the 32 accepted",
            AnchorError::NotAnIntermediate { .. } => {
                "CN=A is self-issued: a root, not an intermediate"
            }
            AnchorError::Unchained { .. } => {
                "the intermediate CN=A does not chain to a root of the anchors: too many candidate issuers share the issuer's name"
            }
        };
        for e in [
            AnchorError::Certificate(ParseError::Empty),
            AnchorError::NoRoot,
            AnchorError::NotCa {
                subject: "CN=A".into(),
                reason: "r",
            },
            AnchorError::TooMany { count: 33, max: 32 },
            AnchorError::NotAnIntermediate {
                subject: "CN=A".into(),
            },
            AnchorError::Unchained {
                subject: "CN=A".into(),
                reason: TrustError::TooManyCandidates,
            },
        ] {
            assert_eq!(e.to_string(), text(&e), "{e:?}");
        }
    }

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
