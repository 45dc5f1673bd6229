//! Signing a customer's request as the MDM vendor.

use rand_core::CryptoRng;
use time::OffsetDateTime;

use crate::asn1;
use crate::certificate::{Certificate, part};
use crate::csr::{CsrError, PushCsr};
use crate::error::{ParseError, TrustError};
use crate::input;
use crate::keys::{KeyError, PrivateKey};
use crate::limits::MIN_RSA_BITS;
use crate::path::{PathIssuer, Policy};
use crate::signed_request::SignedRequest;
use crate::trust_anchors::TrustAnchors;

/// Why a vendor signer could not be made or could not sign.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VendorError {
    /// The vendor certificate could not be read.
    #[error("the vendor certificate could not be read: {0}")]
    Certificate(#[source] ParseError),
    /// The certificate lacks the MDM vendor marker 1.2.840.113635.100.4.12.
    #[error("{subject} is not an MDM vendor certificate (no extension 1.2.840.113635.100.4.12)")]
    NotVendorCertificate {
        /// The certificate's subject.
        subject: String,
    },
    /// The private key does not belong to the vendor certificate.
    #[error("the private key does not belong to the vendor certificate")]
    KeyMismatch,
    /// The vendor certificate has expired: Apple would answer "the signing certificate is expired".
    #[error(
        "the vendor certificate expired at {}; renew it in the Apple Developer portal",
        crate::display::Rfc3339(*not_after)
    )]
    Expired {
        /// Its `notAfter`.
        not_after: OffsetDateTime,
    },
    /// The vendor certificate is not valid yet.
    #[error(
        "the vendor certificate is not valid until {}",
        crate::display::Rfc3339(*not_before)
    )]
    NotYetValid {
        /// Its `notBefore`.
        not_before: OffsetDateTime,
    },
    /// No known Apple WWDR intermediate issued the vendor certificate.
    #[error(
        "no known Apple WWDR certification authority issued the vendor certificate (issuer {issuer}{}); add Apple's certificate for that WWDR CA (from Apple's certificate authority page) with VendorSigner::with_anchors and TrustAnchors::with_intermediates, or the command line's --intermediates",
        key_id.as_ref().map(|k| format!(", key identifier {k}")).unwrap_or_default()
    )]
    UnknownIssuer {
        /// The vendor certificate's issuer.
        issuer: String,
        /// The vendor certificate's authority key identifier, lower-case hex with no separator.
        key_id: Option<String>,
    },
    /// The chain the caller passed could not be read or used as anchors.
    #[error("the certificate chain could not be used: {0}")]
    Chain(#[source] crate::trust_anchors::AnchorError),
    /// The vendor certificate does not chain to Apple's WWDR CAs and root
    /// (or the chain the caller passed).
    #[error("the vendor certificate is not trusted: {0}")]
    Untrusted(#[source] TrustError),
    /// The request could not be read or its self-signature does not verify.
    #[error("the request is not usable: {0}")]
    Csr(#[source] crate::csr::CsrError),
    /// The signature operation failed (for example, the RNG failed).
    #[error("the signature could not be computed")]
    Signing,
}

/// The MDM vendor's signing identity: its certificate, key and chain.
///
/// Made once, then [`sign`](Self::sign) any number of customer requests.
pub struct VendorSigner {
    /// The vendor's key, prepared for signing when it was loaded.
    key: PrivateKey,
    /// DER of the vendor certificate, then the intermediate(s), then the root.
    chain: Vec<Vec<u8>>,
    subject: String,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    /// Each certification authority above the vendor certificate: its
    /// subject and validity, judged at every signature.
    authorities: Vec<(String, OffsetDateTime, OffsetDateTime)>,
}

impl core::fmt::Debug for VendorSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VendorSigner")
            .field("subject", &self.subject)
            .field("not_after", &self.not_after)
            .field("chain_len", &self.chain.len())
            .finish_non_exhaustive()
    }
}

impl VendorSigner {
    /// A signer for `vendor_certificate` (PEM or DER) and its key. The chain
    /// is completed by path validation under Apple's embedded anchors: the
    /// WWDR CA that issued the certificate (G1 to G6, RSA or ECDSA) and its
    /// root, every signature and CA constraint checked.
    ///
    /// Validity is not judged here but at each [`sign`](Self::sign), which
    /// takes the time: a signer made once stays correct for as long as the
    /// server runs, and refuses to sign once the vendor certificate (or a CA
    /// above it) has expired.
    ///
    /// # Errors
    /// [`VendorError`] for a certificate that is not an MDM vendor
    /// certificate, a key that does not belong to it, or an issuer that is
    /// not a known WWDR CA.
    pub fn new(vendor_certificate: &[u8], vendor_key: &PrivateKey) -> Result<Self, VendorError> {
        Self::build(vendor_certificate, vendor_key, &TrustAnchors::apple())
    }

    /// As [`new`](Self::new), under the caller's anchors: Apple's with an
    /// added intermediate (`TrustAnchors::apple().with_intermediates(..)`)
    /// for a WWDR generation this crate does not embed, or a test PKI's.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_anchors(
        vendor_certificate: &[u8],
        vendor_key: &PrivateKey,
        anchors: &TrustAnchors,
    ) -> Result<Self, VendorError> {
        Self::build(vendor_certificate, vendor_key, anchors)
    }

    /// As [`new`](Self::new), with the chain after the vendor certificate
    /// (intermediates, then root) given as PEM by the caller, for staging and
    /// tests; the vendor certificate must chain to it.
    ///
    /// # Errors
    /// As [`new`](Self::new), and [`VendorError::Chain`] for a chain that
    /// cannot serve as anchors.
    pub fn with_chain(
        vendor_certificate: &[u8],
        vendor_key: &PrivateKey,
        chain_pem: &[u8],
    ) -> Result<Self, VendorError> {
        let (vendor_der, _) = Self::read_vendor(vendor_certificate)?;
        // The vendor certificate itself may sit in the chain file; it is no anchor.
        let items = input::der_items(chain_pem, b"CERTIFICATE").map_err(|e| {
            VendorError::Chain(crate::trust_anchors::AnchorError::Certificate(e.into()))
        })?;
        let anchors = TrustAnchors::from_der_certificates(
            items
                .iter()
                .filter(|d| **d != vendor_der)
                .map(Vec::as_slice),
        )
        .map_err(VendorError::Chain)?;
        Self::build(vendor_certificate, vendor_key, &anchors)
    }

    /// The chain Apple expects for a vendor certificate (PEM or DER): the
    /// certificate, the embedded WWDR CA that issued it and Apple Root CA,
    /// every signature and CA constraint checked; validity is not judged.
    ///
    /// # Errors
    /// [`VendorError::UnknownIssuer`] when no embedded WWDR CA issued it,
    /// [`VendorError::Untrusted`] when the path fails otherwise.
    pub fn apple_chain_for(vendor_certificate: &[u8]) -> Result<Vec<Vec<u8>>, VendorError> {
        let (der, parts) = Self::read_vendor(vendor_certificate)?;
        let path = Self::path(&der, &parts, &TrustAnchors::apple())?;
        Ok(std::iter::once(der)
            .chain(path.into_iter().map(|ca| ca.der))
            .collect())
    }

    /// The CAs above the vendor certificate, upwards to the root, with their
    /// subjects; every signature and CA constraint checked, validity not
    /// judged (that is [`check_validity`](Self::check_validity)'s, at each
    /// signature).
    fn path(
        der: &[u8],
        parts: &Certificate,
        anchors: &TrustAnchors,
    ) -> Result<Vec<PathIssuer>, VendorError> {
        let mut path = anchors
            .verify_parts(der, parts, &[], None, Policy::Vendor)
            .map_err(|e| match e {
                TrustError::UnknownIssuer { issuer, key_id } => {
                    VendorError::UnknownIssuer { issuer, key_id }
                }
                other => VendorError::Untrusted(other),
            })?;
        // The search gives the root first; the file's order is upwards.
        path.reverse();
        Ok(path)
    }

    /// The first certificate of the input that carries the vendor marker.
    fn read_vendor(bytes: &[u8]) -> Result<(Vec<u8>, Certificate), VendorError> {
        let items = input::der_items(bytes, b"CERTIFICATE")
            .map_err(|e| VendorError::Certificate(e.into()))?;
        let mut first_subject = None;
        for der in items {
            let parts = Certificate::read(&der).map_err(VendorError::Certificate)?;
            if parts.vendor_marker && !parts.is_ca() {
                return Ok((der, parts));
            }
            first_subject
                .get_or_insert_with(|| crate::name::rfc4514_der(part(&der, &parts.subject)));
        }
        Err(VendorError::NotVendorCertificate {
            subject: first_subject.unwrap_or_default(),
        })
    }

    fn build(
        vendor_certificate: &[u8],
        vendor_key: &PrivateKey,
        anchors: &TrustAnchors,
    ) -> Result<Self, VendorError> {
        let (der, parts) = Self::read_vendor(vendor_certificate)?;
        if part(&der, &parts.spki) != vendor_key.spki_der() {
            return Err(VendorError::KeyMismatch);
        }
        let convert = |t| {
            asn1::to_datetime(t).map_err(|e| VendorError::Certificate(ParseError::malformed(&e)))
        };
        let not_before = convert(parts.not_before)?;
        let not_after = convert(parts.not_after)?;
        let path = Self::path(&der, &parts, anchors)?;
        let mut chain = Vec::with_capacity(path.len() + 1);
        let mut authorities = Vec::with_capacity(path.len());
        chain.push(der.clone());
        for ca in path {
            // The validity as the path search read it: no second read.
            authorities.push((ca.subject, convert(ca.not_before)?, convert(ca.not_after)?));
            chain.push(ca.der);
        }
        Ok(Self {
            key: vendor_key.clone(),
            chain,
            subject: crate::name::rfc4514_der(part(&der, &parts.subject)),
            not_before,
            not_after,
            authorities,
        })
    }

    /// The vendor certificate's subject.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The start of the vendor certificate's validity.
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// The end of the vendor certificate's validity.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// Whether the signer may sign at `now`: the vendor certificate and every
    /// CA above it are inside their validity (both ends inclusive).
    ///
    /// # Errors
    /// [`VendorError::NotYetValid`], [`VendorError::Expired`], or
    /// [`VendorError::Untrusted`] with [`TrustError::IssuerNotValid`] for a CA.
    pub fn check_validity(&self, now: OffsetDateTime) -> Result<(), VendorError> {
        if now < self.not_before {
            return Err(VendorError::NotYetValid {
                not_before: self.not_before,
            });
        }
        if now > self.not_after {
            return Err(VendorError::Expired {
                not_after: self.not_after,
            });
        }
        for (subject, not_before, not_after) in &self.authorities {
            if now < *not_before || now > *not_after {
                return Err(VendorError::Untrusted(TrustError::IssuerNotValid {
                    subject: subject.clone(),
                    not_before: *not_before,
                    not_after: *not_after,
                }));
            }
        }
        Ok(())
    }

    /// The chain that goes into signed requests: vendor certificate first.
    pub fn chain_der(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// Signs the request's DER with RSA PKCS#1 v1.5 / SHA-256 and returns the
    /// signedCSR, if the vendor certificate and its CAs are valid at `now`
    /// (Apple refuses a request signed with an expired vendor certificate).
    /// The signature is deterministic: the same bytes under either backend.
    /// The default backend blinds the private-key operation with `rng`; with
    /// the `aws-lc-rs` feature AWS-LC blinds it with its own DRBG and `rng`
    /// is unused.
    ///
    /// The request's self-signature was verified when it was read or built.
    ///
    /// # Errors
    /// As [`check_validity`](Self::check_validity);
    /// [`VendorError::Csr`] with [`CsrError::Key`] for a request key under
    /// [`MIN_RSA_BITS`](crate::MIN_RSA_BITS), [`VendorError::Signing`] if
    /// the signature operation fails.
    pub fn sign<R: CryptoRng + ?Sized>(
        &self,
        csr: &PushCsr,
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<SignedRequest, VendorError> {
        self.check_validity(now)?;
        if csr.key_bits() < MIN_RSA_BITS {
            return Err(VendorError::Csr(CsrError::Key(KeyError::TooSmall {
                bits: csr.key_bits(),
            })));
        }
        let signature = self
            .key
            .sign_sha256(csr.der(), rng)
            .ok_or(VendorError::Signing)?;
        Ok(SignedRequest::from_parts(
            csr.der().to_vec(),
            self.chain.clone(),
            signature,
        ))
    }

    /// Reads a request (PEM or DER), verifies its self-signature and signs it.
    ///
    /// # Errors
    /// [`VendorError::Csr`] for an unreadable or forged request, otherwise as [`sign`](Self::sign).
    pub fn sign_csr_bytes<R: CryptoRng + ?Sized>(
        &self,
        csr: &[u8],
        now: OffsetDateTime,
        rng: &mut R,
    ) -> Result<SignedRequest, VendorError> {
        let csr = PushCsr::parse(csr).map_err(VendorError::Csr)?;
        self.sign(&csr, now, rng)
    }
}
