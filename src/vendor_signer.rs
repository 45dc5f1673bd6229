//! Signing a customer's request as the MDM vendor.

use der::Decode as _;
use rand_core::CryptoRng;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::AuthorityKeyIdentifier;

use crate::csr::PushCsr;
use crate::error::ParseError;
use crate::input;
use crate::keys::PrivateKey;
use crate::push_certificate::{MIN_RSA_BITS, VENDOR_MARKER_OID, to_offset};
use crate::raw::RawCertificate;
use crate::signed_request::SignedRequest;
use crate::trust_anchors::{APPLE_ROOT_CA, Authority};

/// Apple Worldwide Developer Relations Certification Authority (G1, expired 2023-02-07).
const APPLE_WWDR_CA: &[u8] = include_bytes!("apple-certs/AppleWWDRCA.cer");
/// Apple Worldwide Developer Relations Certification Authority G3 (valid to 2030-02-20).
const APPLE_WWDR_CA_G3: &[u8] = include_bytes!("apple-certs/AppleWWDRCAG3.cer");
/// Apple Worldwide Developer Relations Certification Authority G4 (valid to 2030-12-10).
const APPLE_WWDR_CA_G4: &[u8] = include_bytes!("apple-certs/AppleWWDRCAG4.cer");

/// Why a vendor signer could not be made or could not sign.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VendorError {
    /// The vendor certificate could not be read.
    #[error("the vendor certificate could not be read: {0}")]
    Certificate(ParseError),
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
        "the vendor certificate expired at {not_after}; renew it in the Apple Developer portal"
    )]
    Expired {
        /// Its `notAfter`.
        not_after: OffsetDateTime,
    },
    /// The vendor certificate is not valid yet.
    #[error("the vendor certificate is not valid until {not_before}")]
    NotYetValid {
        /// Its `notBefore`.
        not_before: OffsetDateTime,
    },
    /// No embedded Apple WWDR intermediate issued the vendor certificate.
    #[error(
        "no known Apple WWDR certification authority issued the vendor certificate (issuer {issuer}); pass the chain explicitly"
    )]
    UnknownIssuer {
        /// The vendor certificate's issuer.
        issuer: String,
    },
    /// The chain the caller passed could not be read.
    #[error("the certificate chain could not be read: {0}")]
    Chain(ParseError),
    /// The customer's request key is shorter than 2048 bits.
    #[error("the request's RSA key has {bits} bits; at least 2048 are required")]
    CsrKeyTooSmall {
        /// The modulus length in bits.
        bits: usize,
    },
    /// The request could not be read or its self-signature does not verify.
    #[error("the request is not usable: {0}")]
    Csr(crate::csr::CsrError),
    /// The signature operation failed (for example, the RNG failed).
    #[error("the signature could not be computed")]
    Signing,
}

/// The MDM vendor's signing identity: its certificate, key and chain.
///
/// Made once, then [`sign`](Self::sign) any number of customer requests.
pub struct VendorSigner {
    key: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    /// DER of the vendor certificate, then the intermediate(s), then the root.
    chain: Vec<Vec<u8>>,
    subject: String,
    not_after: OffsetDateTime,
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
    /// A signer for `vendor_certificate` (PEM or DER) and its key, judged at
    /// `now`. The chain is completed with the embedded Apple WWDR intermediate
    /// (G1, G3 or G4, picked by issuer name and key identifier) and Apple Root CA.
    ///
    /// # Errors
    /// [`VendorError`] for a certificate that is not an MDM vendor
    /// certificate, a key that does not belong to it, a certificate outside
    /// its validity at `now`, or an issuer that is not a known WWDR CA.
    pub fn new(
        vendor_certificate: &[u8],
        vendor_key: &PrivateKey,
        now: OffsetDateTime,
    ) -> Result<Self, VendorError> {
        let (vendor_der, cert) = Self::read_vendor(vendor_certificate)?;
        let chain = Self::apple_chain(&vendor_der, &cert)?;
        Self::finish(&cert, &vendor_der, vendor_key, chain, now)
    }

    /// As [`new`](Self::new), with the chain after the vendor certificate
    /// (intermediates, then root) given as PEM by the caller, for staging and tests.
    ///
    /// # Errors
    /// As [`new`](Self::new), and [`VendorError::Chain`] for an unreadable chain.
    pub fn with_chain(
        vendor_certificate: &[u8],
        vendor_key: &PrivateKey,
        chain_pem: &[u8],
        now: OffsetDateTime,
    ) -> Result<Self, VendorError> {
        let (vendor_der, cert) = Self::read_vendor(vendor_certificate)?;
        let mut chain = vec![vendor_der.clone()];
        for der in input::der_items(chain_pem, b"CERTIFICATE").map_err(VendorError::Chain)? {
            if der != vendor_der {
                chain.push(der);
            }
        }
        Self::finish(&cert, &vendor_der, vendor_key, chain, now)
    }

    /// The chain Apple expects for a vendor certificate (PEM or DER): the
    /// certificate, the embedded WWDR intermediate that issued it (picked by
    /// issuer name and key identifier, its signature verified) and Apple Root CA.
    ///
    /// # Errors
    /// [`VendorError::UnknownIssuer`] when no embedded WWDR CA issued it.
    pub fn apple_chain_for(vendor_certificate: &[u8]) -> Result<Vec<Vec<u8>>, VendorError> {
        let (vendor_der, cert) = Self::read_vendor(vendor_certificate)?;
        Self::apple_chain(&vendor_der, &cert)
    }

    fn apple_chain(vendor_der: &[u8], cert: &Certificate) -> Result<Vec<Vec<u8>>, VendorError> {
        let raw = RawCertificate::from_der(vendor_der)
            .map_err(|e| VendorError::Certificate(ParseError::malformed(&e)))?;
        let aki = cert
            .tbs_certificate()
            .get_extension::<AuthorityKeyIdentifier>()
            .ok()
            .flatten()
            .and_then(|(_, a)| a.key_identifier)
            .map(|k| k.as_bytes().to_vec());
        let mut found = None;
        for wwdr in [APPLE_WWDR_CA_G3, APPLE_WWDR_CA_G4, APPLE_WWDR_CA] {
            // Compare names before loading the intermediate's key.
            let named = RawCertificate::from_der(wwdr).is_ok_and(|w| w.subject == raw.issuer);
            if !named {
                continue;
            }
            let a = Authority::from_der(wwdr).map_err(VendorError::Chain)?;
            let ids_agree = match (&aki, &a.subject_key_id) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            };
            if ids_agree && a.signed(&raw).unwrap_or(false) {
                found = Some(wwdr);
                break;
            }
        }
        let wwdr = found.ok_or_else(|| VendorError::UnknownIssuer {
            issuer: crate::name::rfc4514(cert.tbs_certificate().issuer()),
        })?;
        Ok(vec![
            vendor_der.to_vec(),
            wwdr.to_vec(),
            APPLE_ROOT_CA.to_vec(),
        ])
    }

    fn read_vendor(bytes: &[u8]) -> Result<(Vec<u8>, Certificate), VendorError> {
        let items = input::der_items(bytes, b"CERTIFICATE").map_err(VendorError::Certificate)?;
        let mut first = None;
        for der in items {
            let cert = Certificate::from_der(&der)
                .map_err(|e| VendorError::Certificate(ParseError::malformed(&e)))?;
            let is_vendor = cert
                .tbs_certificate()
                .extensions()
                .into_iter()
                .flatten()
                .any(|e| e.extn_id == VENDOR_MARKER_OID);
            if is_vendor {
                return Ok((der, cert));
            }
            first.get_or_insert(cert);
        }
        Err(VendorError::NotVendorCertificate {
            subject: first
                .map(|c| crate::name::rfc4514(c.tbs_certificate().subject()))
                .unwrap_or_default(),
        })
    }

    fn finish(
        cert: &Certificate,
        vendor_der: &[u8],
        vendor_key: &PrivateKey,
        chain: Vec<Vec<u8>>,
        now: OffsetDateTime,
    ) -> Result<Self, VendorError> {
        let raw = RawCertificate::from_der(vendor_der)
            .map_err(|e| VendorError::Certificate(ParseError::malformed(&e)))?;
        if raw.spki != vendor_key.public_key_der() {
            return Err(VendorError::KeyMismatch);
        }
        let validity = cert.tbs_certificate().validity();
        let not_before = to_offset(validity.not_before).map_err(VendorError::Certificate)?;
        let not_after = to_offset(validity.not_after).map_err(VendorError::Certificate)?;
        if now < not_before {
            return Err(VendorError::NotYetValid { not_before });
        }
        if now > not_after {
            return Err(VendorError::Expired { not_after });
        }
        Ok(Self {
            key: rsa::pkcs1v15::SigningKey::new(vendor_key.as_rsa().clone()),
            chain,
            subject: crate::name::rfc4514(cert.tbs_certificate().subject()),
            not_after,
        })
    }

    /// The vendor certificate's subject.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The end of the vendor certificate's validity.
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// The chain that goes into signed requests: vendor certificate first.
    pub fn chain_der(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// Signs the request's DER with RSA PKCS#1 v1.5 / SHA-256, blinded with
    /// `rng`, and returns the signedCSR.
    ///
    /// The request's self-signature was verified when it was read or built.
    ///
    /// # Errors
    /// [`VendorError::CsrKeyTooSmall`] for a key under 2048 bits,
    /// [`VendorError::Signing`] if the signature operation fails.
    pub fn sign<R: CryptoRng + ?Sized>(
        &self,
        csr: &PushCsr,
        rng: &mut R,
    ) -> Result<SignedRequest, VendorError> {
        if csr.key_bits() < MIN_RSA_BITS {
            return Err(VendorError::CsrKeyTooSmall {
                bits: csr.key_bits(),
            });
        }
        use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
        let signature = self
            .key
            .try_sign_with_rng(rng, csr.der())
            .map_err(|_| VendorError::Signing)?
            .to_vec();
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
        rng: &mut R,
    ) -> Result<SignedRequest, VendorError> {
        let csr = PushCsr::from_pem(csr).map_err(VendorError::Csr)?;
        self.sign(&csr, rng)
    }
}
