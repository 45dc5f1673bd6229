//! The signedCSR file: a plist of the request, the vendor chain and the signature.

mod xml;

use time::OffsetDateTime;

use crate::asn1;
use crate::backend::RsaVerifier;
use crate::certificate::{Certificate, PublicKey, part};
use crate::csr::{CsrError, PushCsr};
use crate::digest::DigestAlgorithm;
use crate::error::{ParseError, TrustError};
use crate::input::{self, InputError, InputItem};
use crate::limits::MAX_CHAIN_LEN;
use crate::path::{Authority, Policy};
use crate::trust_anchors::TrustAnchors;

const KEY_CSR: &str = "PushCertRequestCSR";
const KEY_CHAIN: &str = "PushCertCertificateChain";
const KEY_SIGNATURE: &str = "PushCertSignature";

/// What precedes the dictionary's entries in an XML property list.
const PLIST_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
<plist version=\"1.0\">\n<dict>\n";
/// What follows them.
const PLIST_TAIL: &str = "</dict>\n</plist>";

/// Why a signedCSR file could not be read or does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignedRequestError {
    /// The input is empty or larger than [`MAX_INPUT_LEN`](crate::limits::MAX_INPUT_LEN).
    #[error("the signed request could not be read: {0}")]
    Input(#[source] InputError),
    /// The outer base64 is not valid.
    #[error("the signed request is not valid base64")]
    Base64,
    /// The content is not an XML property list holding a dictionary.
    #[error("the signed request is not an XML property list dictionary")]
    NotPlist,
    /// The XML is malformed, or uses a form this reader refuses so that it
    /// reads exactly what any XML parser reads.
    #[error("the signed request's XML is not acceptable: {detail}")]
    NotXml {
        /// What is wrong.
        detail: &'static str,
    },
    /// The DOCTYPE declares an internal subset, where entities are declared.
    #[error(
        "the signed request's DOCTYPE declares an internal subset (entities); Apple's files have none"
    )]
    InternalSubset,
    /// An entity reference other than the five XML predefines.
    #[error(
        "the signed request refers to the entity &{name}; which is not one of XML's five predefined entities"
    )]
    EntityReference {
        /// The entity's name.
        name: String,
    },
    /// A CDATA section.
    #[error("the signed request holds a CDATA section")]
    CData,
    /// A processing instruction other than the XML declaration.
    #[error("the signed request holds a processing instruction")]
    ProcessingInstruction,
    /// A key appears twice in the dictionary.
    #[error("the key {key} appears more than once")]
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A key other than the three a signedCSR file holds.
    #[error(
        "the key {key} is not one of PushCertRequestCSR, PushCertCertificateChain and PushCertSignature"
    )]
    UnexpectedKey {
        /// The key (at most 64 characters of it).
        key: String,
    },
    /// A value is not a string.
    #[error("the value of {key} is not a string")]
    NotAString {
        /// The key.
        key: String,
    },
    /// A required key is missing.
    #[error("the property list has no string {key}")]
    MissingKey {
        /// The key.
        key: &'static str,
    },
    /// A value is not valid base64.
    #[error("the value of {key} is not valid base64")]
    BadBase64 {
        /// The key.
        key: &'static str,
    },
    /// The certificate chain is empty or unreadable.
    #[error("the certificate chain could not be read: {0}")]
    Chain(#[source] ParseError),
    /// The chain holds more certificates than [`MAX_CHAIN_LEN`].
    #[error("the certificate chain holds {len} certificates, more than the {max} accepted")]
    ChainTooLong {
        /// Certificates in the chain.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The request inside is unreadable or its self-signature does not verify.
    #[error("the request inside is not usable: {0}")]
    Csr(#[source] CsrError),
    /// The first certificate of the chain is not an MDM vendor certificate:
    /// it lacks the marker 1.2.840.113635.100.4.12 or is a CA.
    #[error(
        "the signing certificate {subject} is not an MDM vendor certificate (no extension 1.2.840.113635.100.4.12)"
    )]
    NotVendorCertificate {
        /// Its subject.
        subject: String,
    },
    /// The first certificate of the chain has no RSA public key.
    #[error("the vendor certificate has no usable RSA public key")]
    VendorKey,
    /// The signature does not verify over the request with SHA-256 or SHA-1.
    /// Apple's portal answers "the signature is invalid".
    #[error(
        "the signature does not verify over the request with the vendor certificate's key (Apple's portal: \"the signature is invalid\")"
    )]
    SignatureMismatch,
    /// The vendor certificate had expired at the instant of the check.
    /// Apple's portal answers "the signing certificate is expired".
    #[error(
        "the vendor certificate expired at {} (Apple's portal: \"the signing certificate is expired\"); renew it in the Apple Developer portal",
        crate::display::Rfc3339(*not_after)
    )]
    VendorExpired {
        /// Its `notAfter`.
        not_after: OffsetDateTime,
    },
    /// The vendor certificate was not yet valid at the instant of the check.
    #[error(
        "the vendor certificate is not valid until {}",
        crate::display::Rfc3339(*not_before)
    )]
    VendorNotYetValid {
        /// Its `notBefore`.
        not_before: OffsetDateTime,
    },
    /// The vendor certificate does not chain to Apple (or the caller's anchors).
    #[error("the vendor certificate is not trusted: {0}")]
    Untrusted(#[source] TrustError),
}

/// A signed push certificate request, as uploaded to Apple Push Certificates Portal.
///
/// [`to_xml`](Self::to_xml) writes the property list with the string keys
/// `PushCertRequestCSR` (base64 of the CSR DER), `PushCertCertificateChain`
/// (PEM: vendor certificate, WWDR intermediate, root) and `PushCertSignature`
/// (base64 of the signature); [`to_base64`](Self::to_base64) the upload form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedRequest {
    csr_der: Vec<u8>,
    chain: Vec<Vec<u8>>,
    signature: Vec<u8>,
}

/// What [`SignedRequest::verify`] established: every signature and the
/// vendor certificate's chain to Apple.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestVerification {
    /// The digest the vendor signature uses: SHA-256 today, SHA-1 in files made before 2021.
    pub digest: DigestAlgorithm,
    /// The request, its self-signature verified.
    pub csr: PushCsr,
    /// The subjects of the chain as the file holds it, vendor certificate first (RFC 4514).
    pub chain_subjects: Vec<String>,
    /// The end of the vendor certificate's validity.
    pub vendor_not_after: OffsetDateTime,
    /// The certification path found for the vendor certificate: the subjects
    /// of its root first, then of each intermediate downwards (RFC 4514).
    pub path: Vec<String>,
}

/// What [`SignedRequest::verify_signatures_only`] established: the two
/// signatures, and nothing about who made the vendor certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignaturesOnly {
    /// The digest the vendor signature uses.
    pub digest: DigestAlgorithm,
    /// The request, its self-signature verified.
    pub csr: PushCsr,
    /// The subjects of the chain as the file holds it, vendor certificate first (RFC 4514).
    pub chain_subjects: Vec<String>,
    /// The start of the vendor certificate's validity.
    pub vendor_not_before: OffsetDateTime,
    /// The end of the vendor certificate's validity.
    pub vendor_not_after: OffsetDateTime,
}

impl SignedRequest {
    /// Assembles a signed request from its parts: the request's DER, the
    /// chain's DER certificates (vendor certificate first) and the signature,
    /// for a signature computed elsewhere (an HSM). Nothing is checked until
    /// [`verify`](Self::verify).
    pub fn from_parts(csr_der: Vec<u8>, chain: Vec<Vec<u8>>, signature: Vec<u8>) -> Self {
        Self {
            csr_der,
            chain,
            signature,
        }
    }

    /// The request's DER.
    pub fn csr_der(&self) -> &[u8] {
        &self.csr_der
    }

    /// The vendor's signature over the request's DER.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The chain's DER certificates, vendor certificate first.
    pub fn chain_der(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The chain as PEM with 64-character lines, vendor certificate first.
    pub fn chain_pem(&self) -> String {
        self.chain
            .iter()
            .map(|der| input::to_pem("CERTIFICATE", der))
            .collect()
    }

    /// The XML property list, with Apple's header and DOCTYPE: the three
    /// strings in a dictionary, one tab of indent, `\n` line ends and no
    /// final newline, as Apple's tools and the `plist` crate lay it out; the
    /// bytes are pinned by `tests/fixtures/pki/built_by_crate.signedcsr.plist`.
    pub fn to_xml(&self) -> String {
        let csr = input::encode_base64(&self.csr_der);
        let chain = self.chain_pem();
        let signature = input::encode_base64(&self.signature);
        let entries = [
            (KEY_CSR, csr.as_str()),
            (KEY_CHAIN, chain.as_str()),
            (KEY_SIGNATURE, signature.as_str()),
        ];
        let mut out = String::with_capacity(
            PLIST_HEAD.len()
                + PLIST_TAIL.len()
                + entries
                    .iter()
                    .map(|(k, v)| k.len() + v.len() + 40)
                    .sum::<usize>(),
        );
        out.push_str(PLIST_HEAD);
        for (key, value) in entries {
            out.push_str("\t<key>");
            out.push_str(key);
            out.push_str("</key>\n\t<string>");
            // Base64 and PEM hold none of XML's special characters; escaped
            // all the same, so the writer is right for any string.
            for c in value.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    _ => out.push(c),
                }
            }
            out.push_str("</string>\n");
        }
        out.push_str(PLIST_TAIL);
        out
    }

    /// The upload form: the XML property list, base64-encoded on one line.
    pub fn to_base64(&self) -> String {
        input::encode_base64(self.to_xml().as_bytes())
    }

    /// Reads a signedCSR file: the base64 upload form (line wrapping, CRLF and
    /// white space tolerated) or the XML property list itself.
    ///
    /// # Errors
    /// [`SignedRequestError`] says which part is unreadable. The signature is
    /// not checked here: call [`verify`](Self::verify).
    pub fn parse(bytes: &[u8]) -> Result<Self, SignedRequestError> {
        input::check_size(bytes).map_err(SignedRequestError::Input)?;
        let trimmed = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = trimmed.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'<') {
            return Self::from_xml(trimmed);
        }
        let xml = input::decode_base64_lenient(trimmed).map_err(|_| SignedRequestError::Base64)?;
        Self::from_xml(&xml)
    }

    /// Reads the XML property list.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn from_xml(xml: &[u8]) -> Result<Self, SignedRequestError> {
        input::check_size(xml).map_err(SignedRequestError::Input)?;
        let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
        let entries = xml::read_dict(xml)?;
        let mut values: [Option<String>; 3] = [None, None, None];
        for (key, value) in entries {
            let slot = match key.as_str() {
                KEY_CSR => 0,
                KEY_CHAIN => 1,
                KEY_SIGNATURE => 2,
                _ => {
                    return Err(SignedRequestError::UnexpectedKey {
                        key: key.chars().take(64).collect(),
                    });
                }
            };
            match values.get_mut(slot) {
                Some(Some(_)) => return Err(SignedRequestError::DuplicateKey { key }),
                Some(v) => *v = Some(value),
                None => {}
            }
        }
        let [csr, chain, signature] = values;
        let get =
            |v: Option<String>, key: &'static str| v.ok_or(SignedRequestError::MissingKey { key });
        let b64 = |v: String, key: &'static str| {
            input::decode_base64_lenient(v.as_bytes())
                .map_err(|_| SignedRequestError::BadBase64 { key })
        };
        let csr_der = b64(get(csr, KEY_CSR)?, KEY_CSR)?;
        let chain = get(chain, KEY_CHAIN)?;
        let signature = b64(get(signature, KEY_SIGNATURE)?, KEY_SIGNATURE)?;
        // Counted before any certificate is decoded.
        let blocks = input::pem_blocks(chain.as_bytes())
            .map_err(|e| SignedRequestError::Chain(e.into()))?
            .iter()
            .filter(|b| b.label == b"CERTIFICATE")
            .count();
        if blocks > MAX_CHAIN_LEN {
            return Err(SignedRequestError::ChainTooLong {
                len: blocks,
                max: MAX_CHAIN_LEN,
            });
        }
        let chain = input::der_items(chain.as_bytes(), b"CERTIFICATE")
            .map_err(|e| SignedRequestError::Chain(e.into()))?;
        if chain.len() > MAX_CHAIN_LEN {
            return Err(SignedRequestError::ChainTooLong {
                len: chain.len(),
                max: MAX_CHAIN_LEN,
            });
        }
        Ok(Self {
            csr_der,
            chain,
            signature,
        })
    }

    /// Verifies the file as Apple's portal would at `now`: the request's
    /// self-signature, the vendor signature over the request's DER (SHA-256,
    /// or SHA-1 in files made before 2021) and the vendor certificate: the MDM
    /// vendor marker, valid at `now`, and a path to an Apple root through an
    /// embedded Apple WWDR CA (G1 to G6), every signature and CA
    /// constraint checked. The file's other chain certificates may serve as
    /// intermediates but are never trusted on their own.
    ///
    /// # Errors
    /// The first failure, each its own [`SignedRequestError`] variant.
    pub fn verify(&self, now: OffsetDateTime) -> Result<RequestVerification, SignedRequestError> {
        self.verify_with_anchors(&TrustAnchors::apple(), now)
    }

    /// As [`verify`](Self::verify), with the caller's anchors (a test PKI's
    /// root and WWDR-like intermediate) instead of Apple's.
    ///
    /// # Errors
    /// As [`verify`](Self::verify).
    pub fn verify_with_anchors(
        &self,
        anchors: &TrustAnchors,
        now: OffsetDateTime,
    ) -> Result<RequestVerification, SignedRequestError> {
        let checked = self.check_signatures()?;
        let vendor = &checked.vendor;
        let (not_before, not_after) = (checked.not_before, checked.not_after);
        if now > not_after {
            return Err(SignedRequestError::VendorExpired { not_after });
        }
        if now < not_before {
            return Err(SignedRequestError::VendorNotYetValid { not_before });
        }
        // The file's other certificates, as untrusted candidate intermediates.
        let path = anchors
            .verify_parts(
                &vendor.der,
                &vendor.parts,
                &checked.others,
                Some(now),
                Policy::Vendor,
            )
            .map_err(SignedRequestError::Untrusted)?;
        Ok(RequestVerification {
            digest: checked.digest,
            csr: checked.csr,
            chain_subjects: checked.chain_subjects,
            vendor_not_after: not_after,
            path: path.into_iter().map(|issuer| issuer.subject).collect(),
        })
    }

    /// Checks only the two signatures: the request's self-signature and the
    /// vendor signature with the first chain certificate's key. Nothing says
    /// who made that certificate or whether it was valid: for forensics, never
    /// for deciding that a file is good.
    ///
    /// # Errors
    /// [`SignedRequestError::Csr`] for a request that does not verify,
    /// [`SignedRequestError::SignatureMismatch`] for a vendor signature that
    /// does not, [`SignedRequestError::Chain`] for an unreadable certificate.
    pub fn verify_signatures_only(&self) -> Result<SignaturesOnly, SignedRequestError> {
        let checked = self.check_signatures()?;
        Ok(SignaturesOnly {
            digest: checked.digest,
            csr: checked.csr,
            chain_subjects: checked.chain_subjects,
            vendor_not_before: checked.not_before,
            vendor_not_after: checked.not_after,
        })
    }

    fn check_signatures(&self) -> Result<Checked, SignedRequestError> {
        if self.chain.len() > MAX_CHAIN_LEN {
            return Err(SignedRequestError::ChainTooLong {
                len: self.chain.len(),
                max: MAX_CHAIN_LEN,
            });
        }
        let csr = PushCsr::from_der(&self.csr_der).map_err(SignedRequestError::Csr)?;
        let vendor_der = self
            .chain
            .first()
            .ok_or(SignedRequestError::Chain(ParseError::Input(
                InputError::NotFound {
                    expected: InputItem::Certificate,
                },
            )))?;
        let parts = Certificate::read(vendor_der).map_err(SignedRequestError::Chain)?;
        let subject = || crate::name::rfc4514_der(part(vendor_der, &parts.subject));
        if !parts.vendor_marker || parts.is_ca() {
            return Err(SignedRequestError::NotVendorCertificate { subject: subject() });
        }
        if !matches!(parts.public_key, PublicKey::Rsa { .. }) {
            return Err(SignedRequestError::VendorKey);
        }
        let key = RsaVerifier::from_spki(part(vendor_der, &parts.spki))
            .ok_or(SignedRequestError::VendorKey)?;
        let digest = [DigestAlgorithm::Sha256, DigestAlgorithm::Sha1]
            .into_iter()
            .find(|d| key.verify(*d, &self.csr_der, &self.signature))
            .ok_or(SignedRequestError::SignatureMismatch)?;
        // Every other certificate of the chain, read once: for its subject
        // here, as a candidate intermediate in a full verification.
        let others = self
            .chain
            .iter()
            .skip(1)
            .map(|der| Authority::from_der(der))
            .collect::<Result<Vec<_>, _>>()
            .map_err(SignedRequestError::Chain)?;
        let chain_subjects = core::iter::once(subject())
            .chain(others.iter().map(|a| a.subject.clone()))
            .collect();
        let convert = |t| {
            asn1::to_datetime(t).map_err(|e| SignedRequestError::Chain(ParseError::malformed(&e)))
        };
        Ok(Checked {
            not_before: convert(parts.not_before)?,
            not_after: convert(parts.not_after)?,
            digest,
            csr,
            chain_subjects,
            others,
            vendor: Vendor {
                der: vendor_der.clone(),
                parts,
            },
        })
    }
}

struct Vendor {
    der: Vec<u8>,
    parts: Certificate,
}

struct Checked {
    /// The chain's certificates after the vendor's.
    others: Vec<Authority>,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    digest: DigestAlgorithm,
    csr: PushCsr,
    chain_subjects: Vec<String>,
    vendor: Vendor,
}
