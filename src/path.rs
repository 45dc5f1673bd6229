//! The path search: whether a certificate chains through the anchors'
//! intermediates (and any the upload carried) to a root.
//!
//! A path runs from the certificate through zero or more intermediates to a
//! root. Every issuer on it, root included, must be a v3 CA (basicConstraints
//! cA TRUE, keyCertSign when keyUsage is present, no critical extension this
//! crate cannot process: the reader refuses those), honour the
//! pathLenConstraints above it, be valid at the instant of the check, and
//! have signed the certificate below it with an accepted algorithm. The same
//! rules hold under Apple's embedded anchors and under the caller's.
//! ([RFC 5280 §6.1](https://datatracker.ietf.org/doc/html/rfc5280#section-6.1).)

use time::OffsetDateTime;

use crate::asn1;
use crate::certificate::{Certificate, key_usage, part};
use crate::digest::DigestAlgorithm;
use crate::error::{ParseError, TrustError};
use crate::limits::{MAX_CANDIDATES_PER_NAME, MAX_PATH_INTERMEDIATES, MAX_SIGNATURE_CHECKS};
use crate::name;
use crate::signature::{SignatureAlgorithm, VerifyingKey};

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

/// An issuer on a path found, as the search read it: its DER, its subject
/// and its validity (Unix seconds), so no caller reads it again.
#[derive(Clone, Debug)]
pub(crate) struct PathIssuer {
    pub(crate) der: Vec<u8>,
    pub(crate) subject: String,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
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

    pub(crate) fn is_self_issued(&self) -> bool {
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
/// The anchors of a [`TrustAnchors`](crate::trust_anchors::TrustAnchors): roots and
/// intermediates, each read once.
pub(crate) struct Anchors {
    pub(crate) roots: Vec<Authority>,
    pub(crate) intermediates: Vec<Authority>,
}

impl Anchors {
    /// The anchors, with each intermediate's verified issuers recorded.
    pub(crate) fn new(roots: Vec<Authority>, mut intermediates: Vec<Authority>) -> Self {
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

/// One bounded depth-first search for a path.
pub(crate) struct Search<'a> {
    anchors: &'a Anchors,
    extra: &'a [Authority],
    now: Option<OffsetDateTime>,
    policy: Policy,
    pub(crate) signature_checks: usize,
    /// The path found: the root first, then the intermediates downwards.
    pub(crate) path: Vec<&'a Authority>,
}

/// How far a failed candidate got, to report the most telling failure.
pub(crate) fn rank(e: &TrustError) -> u8 {
    match e {
        TrustError::UnknownIssuer { .. } => 0,
        TrustError::BadSignature { .. } => 1,
        _ => 2,
    }
}

impl<'a> Search<'a> {
    pub(crate) fn new(
        anchors: &'a Anchors,
        extra: &'a [Authority],
        now: Option<OffsetDateTime>,
        policy: Policy,
    ) -> Self {
        Self {
            anchors,
            extra,
            now,
            policy,
            signature_checks: 0,
            path: Vec::new(),
        }
    }

    /// The subjects of the path found, root first.
    pub(crate) fn subjects(&self) -> Vec<String> {
        self.path.iter().map(|a| a.subject.clone()).collect()
    }

    /// Finds a path from `cert` up to a root. `intermediates_below` counts
    /// the CA certificates between `cert`'s issuer and the end entity (0 for
    /// the end entity itself), for pathLenConstraint; `depth` bounds the search.
    pub(crate) fn path_from(
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
