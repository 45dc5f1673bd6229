//! The signedCSR file: a plist of the request, the vendor chain and the signature.

use crate::csr::{CsrError, PushCsr};
use crate::error::ParseError;
use crate::input;
use crate::raw::RawCertificate;
use crate::signature::{DigestAlgorithm, rsa_public_key};
use crate::trust_anchors::Authority;

const KEY_CSR: &str = "PushCertRequestCSR";
const KEY_CHAIN: &str = "PushCertCertificateChain";
const KEY_SIGNATURE: &str = "PushCertSignature";

/// Most certificates a signedCSR chain may hold. Apple's chain has three
/// (vendor, WWDR intermediate, root); a longer one is refused before any
/// signature is checked, which bounds the work per file.
pub const MAX_CHAIN_LEN: usize = 8;

/// Why a signedCSR file could not be read or does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignedRequestError {
    /// The input is empty or larger than [`MAX_INPUT_LEN`](crate::MAX_INPUT_LEN).
    #[error("the signed request could not be read: {0}")]
    Input(ParseError),
    /// The outer base64 is not valid.
    #[error("the signed request is not valid base64")]
    Base64,
    /// The content is not an XML property list holding a dictionary.
    #[error("the signed request is not an XML property list dictionary")]
    NotPlist,
    /// A required key is missing or is not a string.
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
    Chain(ParseError),
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
    Csr(CsrError),
    /// The first certificate of the chain has no RSA public key.
    #[error("the vendor certificate has no usable RSA public key")]
    VendorKey,
    /// The signature does not verify over the request with SHA-256 or SHA-1.
    #[error("the signature does not verify over the request with the vendor certificate's key")]
    SignatureMismatch,
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

/// What [`SignedRequest::verify`] established.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestVerification {
    /// The digest the vendor signature uses: SHA-256 today, SHA-1 in files made before 2021.
    pub digest: DigestAlgorithm,
    /// The request, its self-signature verified.
    pub csr: PushCsr,
    /// The subjects of the chain, vendor certificate first (RFC 4514).
    pub chain_subjects: Vec<String>,
    /// Whether each certificate of the chain was issued and signed by the next.
    pub chain_links: bool,
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

    /// The XML property list, with Apple's header and DOCTYPE.
    pub fn to_xml(&self) -> String {
        let mut dict = plist::Dictionary::new();
        dict.insert(
            KEY_CSR.into(),
            plist::Value::String(input::encode_base64(&self.csr_der)),
        );
        dict.insert(KEY_CHAIN.into(), plist::Value::String(self.chain_pem()));
        dict.insert(
            KEY_SIGNATURE.into(),
            plist::Value::String(input::encode_base64(&self.signature)),
        );
        let mut out = Vec::new();
        // Writing a dictionary of strings to memory cannot fail.
        let _ = plist::Value::Dictionary(dict).to_writer_xml(&mut out);
        String::from_utf8(out).unwrap_or_default()
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
        let value = plist::Value::from_reader_xml(std::io::Cursor::new(xml))
            .map_err(|_| SignedRequestError::NotPlist)?;
        let dict = value.as_dictionary().ok_or(SignedRequestError::NotPlist)?;
        let get = |key: &'static str| {
            dict.get(key)
                .and_then(plist::Value::as_string)
                .ok_or(SignedRequestError::MissingKey { key })
        };
        let b64 = |key: &'static str| {
            input::decode_base64_lenient(get(key)?.as_bytes())
                .map_err(|_| SignedRequestError::BadBase64 { key })
        };
        let csr_der = b64(KEY_CSR)?;
        let signature = b64(KEY_SIGNATURE)?;
        let chain = input::der_items(get(KEY_CHAIN)?.as_bytes(), b"CERTIFICATE")
            .map_err(SignedRequestError::Chain)?;
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

    /// Verifies the request's self-signature and the vendor signature over the
    /// request's DER with the first certificate's key (SHA-256, or SHA-1 for
    /// files made before 2021), and reports the chain.
    ///
    /// # Errors
    /// [`SignedRequestError::Csr`] for a request that does not verify,
    /// [`SignedRequestError::SignatureMismatch`] for a vendor signature that does not.
    pub fn verify(&self) -> Result<RequestVerification, SignedRequestError> {
        if self.chain.len() > MAX_CHAIN_LEN {
            return Err(SignedRequestError::ChainTooLong {
                len: self.chain.len(),
                max: MAX_CHAIN_LEN,
            });
        }
        let csr = PushCsr::from_der(&self.csr_der).map_err(SignedRequestError::Csr)?;
        let vendor = self
            .chain
            .first()
            .ok_or(SignedRequestError::Chain(ParseError::NoCertificate))?;
        let raw = RawCertificate::from_der(vendor)
            .map_err(|e| SignedRequestError::Chain(ParseError::malformed(&e)))?;
        let key = rsa_public_key(raw.spki).ok_or(SignedRequestError::VendorKey)?;
        let digest = [DigestAlgorithm::Sha256, DigestAlgorithm::Sha1]
            .into_iter()
            .find(|d| d.verify(&key, &self.csr_der, &self.signature))
            .ok_or(SignedRequestError::SignatureMismatch)?;
        let authorities: Vec<Authority> = self
            .chain
            .iter()
            .map(|der| Authority::from_der(der))
            .collect::<Result<_, _>>()
            .map_err(SignedRequestError::Chain)?;
        // Each certificate names the next as issuer and its key verifies the
        // signature; the last is self-issued.
        let chain_links = authorities.last().is_some_and(Authority::is_self_issued)
            && self
                .chain
                .iter()
                .zip(authorities.iter().skip(1))
                .all(|(der, issuer)| {
                    RawCertificate::from_der(der).is_ok_and(|raw| {
                        raw.issuer == issuer.subject_der.as_slice()
                            && issuer.signed(&raw).unwrap_or(false)
                    })
                });
        Ok(RequestVerification {
            digest,
            csr,
            chain_subjects: authorities.into_iter().map(|a| a.subject).collect(),
            chain_links,
        })
    }
}
