//! The customer's PKCS#10 certificate signing request.

use core::ops::Range;

use der::asn1::BitString;
use der::asn1::{Any, ObjectIdentifier, SetOfVec};
use der::{Decode as _, Encode as _, Tag};
use rand_core::CryptoRng;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::attr::Attribute;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::request::{CertReq, CertReqInfo, ExtensionReq, Version};

use crate::asn1::{self, tag};
use crate::backend::RsaVerifier;
use crate::certificate::{part, signed};
use crate::digest::DigestAlgorithm;
use crate::input::{self, InputError, InputItem};
use crate::keys::{KeyError, PrivateKey};
use crate::limits::{MAX_COMMON_NAME_CHARS, MAX_EMAIL_ADDRESS_CHARS, MAX_ORGANIZATION_CHARS};

const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const C: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const EMAIL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");

/// The common name used when the caller gives none. Apple's portal replaces
/// the whole subject, so it only labels the request.
pub const DEFAULT_COMMON_NAME: &str = "MDM Push Certificate";

/// Why a certificate signing request could not be built or read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CsrError {
    /// The input is empty, too large, cut off or holds no request.
    #[error("{0}")]
    Input(#[source] InputError),
    /// The request's encoding is not valid.
    #[error("the certificate signing request is malformed")]
    Malformed,
    /// The request's public key is not RSA.
    #[error("the request's public key is not RSA (algorithm {algorithm})")]
    NotRsa {
        /// The key's algorithm OID.
        algorithm: String,
    },
    /// The request's self-signature does not verify with its own key.
    #[error("the request's signature does not verify with its own public key")]
    BadSignature,
    /// The signature algorithm is not RSA PKCS#1 v1.5 with SHA-1 or SHA-2.
    #[error("the request's signature algorithm {oid} is not supported")]
    UnsupportedSignatureAlgorithm {
        /// The algorithm OID.
        oid: String,
    },
    /// A subject field is not acceptable.
    #[error("the subject field {field} is not acceptable: {reason}")]
    InvalidSubject {
        /// Which field.
        field: &'static str,
        /// Why, with the bound it breaks.
        reason: String,
    },
    /// The request's RSA key is not usable: shorter than
    /// [`MIN_RSA_BITS`](crate::limits::MIN_RSA_BITS)
    /// ([`KeyError::TooSmall`]).
    #[error("{0}")]
    Key(#[source] KeyError),
    /// Building or signing the request failed.
    #[error("the request could not be built or signed")]
    Build,
}

/// A PKCS#10 request ([RFC 2986]) whose self-signature has been verified.
///
/// [RFC 2986]: https://datatracker.ietf.org/doc/html/rfc2986
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushCsr {
    der: Vec<u8>,
    spki: Range<usize>,
    subject: String,
    key_bits: usize,
    digest: DigestAlgorithm,
}

impl PushCsr {
    /// Reads a request from exactly one DER encoding (nothing may follow it)
    /// and verifies its self-signature.
    ///
    /// # Errors
    /// [`CsrError`] says why the request is not usable.
    pub fn from_der(der: &[u8]) -> Result<Self, CsrError> {
        input::check_size(der).map_err(CsrError::Input)?;
        // Exactly the DER: in a signedCSR file these bytes are what the
        // vendor signed, so nothing may follow them.
        let item = InputItem::CertificateRequest;
        if input::check_der_extent(der, item)
            .map_err(CsrError::Input)?
            .len()
            != der.len()
        {
            return Err(CsrError::Input(InputError::TrailingData { item }));
        }
        // The structure, decoded by x509-cert; then the parts this crate
        // signs and compares, located by the crate's own reader.
        CertReq::from_der(der).map_err(|_| CsrError::Malformed)?;
        let (outer, info) = signed(der).map_err(|_| CsrError::Malformed)?;
        // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, attributes }
        let mut r = info.reader();
        let fields = (|| {
            r.read_tag(tag::INTEGER, "")?;
            let subject = r.read_tag(tag::SEQUENCE, "")?;
            let spki = r.read_tag(tag::SEQUENCE, "")?;
            let mut s = spki.reader();
            let alg = s.read_tag(tag::SEQUENCE, "")?;
            let alg_oid = asn1::oid(&alg.reader().read()?)?;
            Ok::<_, asn1::DerError>((subject, spki, alg_oid))
        })();
        let (subject, spki, alg_oid) = fields.map_err(|_| CsrError::Malformed)?;
        if alg_oid != crate::oids::RSA_ENCRYPTION {
            return Err(CsrError::NotRsa {
                algorithm: crate::oids::dotted(alg_oid),
            });
        }
        let key = RsaVerifier::from_spki(spki.bytes).ok_or(CsrError::Malformed)?;
        let oid = part(der, &outer.algorithm_oid);
        let params = outer.algorithm_params.as_ref().map(|p| part(der, p));
        let digest = DigestAlgorithm::from_rsa_algorithm(oid, params).ok_or_else(|| {
            CsrError::UnsupportedSignatureAlgorithm {
                oid: crate::oids::dotted(oid),
            }
        })?;
        if !key.verify(digest, part(der, &outer.tbs), part(der, &outer.signature)) {
            return Err(CsrError::BadSignature);
        }
        Ok(Self {
            der: der.to_vec(),
            spki: spki.range(),
            subject: crate::name::rfc4514_der(subject.bytes),
            key_bits: key.bits(),
            digest,
        })
    }

    /// Reads a request from PEM (`CERTIFICATE REQUEST` or `NEW CERTIFICATE
    /// REQUEST`) or DER, told apart by content, and verifies its
    /// self-signature; like every other `parse` of the crate.
    ///
    /// # Errors
    /// As [`from_der`](Self::from_der).
    pub fn parse(bytes: &[u8]) -> Result<Self, CsrError> {
        let mut items = input::der_items(bytes, b"CERTIFICATE REQUEST").or_else(|e| match e {
            InputError::NotFound { .. } => input::der_items(bytes, b"NEW CERTIFICATE REQUEST"),
            other => Err(other),
        });
        match items.as_mut().map(Vec::pop) {
            Ok(Some(der)) => Self::from_der(&der),
            Ok(None) => Err(CsrError::Input(InputError::NotFound {
                expected: InputItem::CertificateRequest,
            })),
            Err(e) => Err(CsrError::Input(e.clone())),
        }
    }

    /// The request's DER: the bytes the vendor signs.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The request as PEM (`CERTIFICATE REQUEST`), 64-character lines.
    pub fn to_pem(&self) -> String {
        input::to_pem("CERTIFICATE REQUEST", &self.der)
    }

    /// The SubjectPublicKeyInfo DER: what the push certificate must carry.
    pub fn spki_der(&self) -> &[u8] {
        self.der.get(self.spki.clone()).unwrap_or_default()
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The RSA modulus length in bits.
    pub fn key_bits(&self) -> usize {
        self.key_bits
    }

    /// The digest of the request's self-signature.
    pub fn signature_digest(&self) -> DigestAlgorithm {
        self.digest
    }
}

/// Builds the customer's request: RSA, 2048 bits or more, SHA-256.
///
/// ```
/// use mdm_push_cert::{CsrBuilder, PrivateKey};
/// # use rand::SeedableRng as _;
/// # let mut rng = rand::rngs::StdRng::seed_from_u64(1);
/// let key = PrivateKey::parse(include_bytes!("../tests/fixtures/pki/customer_b.key"))?;
/// let csr = CsrBuilder::new()
///     .common_name("Example School")
///     .organization("Example School")
///     .country("JP")
///     .email_address("admin@example.org")
///     .build(&key, &mut rng)?;
/// assert_eq!(csr.spki_der(), key.spki_der());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct CsrBuilder {
    common_name: String,
    organization: Option<String>,
    country: Option<String>,
    email_address: Option<String>,
}

impl Default for CsrBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl CsrBuilder {
    /// A builder with common name [`DEFAULT_COMMON_NAME`] and country `US`.
    pub fn new() -> Self {
        Self {
            common_name: DEFAULT_COMMON_NAME.to_owned(),
            organization: None,
            country: Some("US".to_owned()),
            email_address: None,
        }
    }

    /// The subject's common name.
    #[must_use]
    pub fn common_name(mut self, cn: impl Into<String>) -> Self {
        self.common_name = cn.into();
        self
    }

    /// The subject's organisation.
    #[must_use]
    pub fn organization(mut self, o: impl Into<String>) -> Self {
        self.organization = Some(o.into());
        self
    }

    /// The subject's country: two upper-case letters (ISO 3166).
    #[must_use]
    pub fn country(mut self, c: impl Into<String>) -> Self {
        self.country = Some(c.into());
        self
    }

    /// The subject's e-mail address (the Apple ID's, as the peers do).
    #[must_use]
    pub fn email_address(mut self, email: impl Into<String>) -> Self {
        self.email_address = Some(email.into());
        self
    }

    /// Checks every field without building anything: what
    /// [`build`](Self::build) would refuse for the subject, it refuses here,
    /// so a caller can validate input before creating a key.
    ///
    /// # Errors
    /// [`CsrError::InvalidSubject`] for a field out of bounds.
    pub fn check(&self) -> Result<(), CsrError> {
        self.subject().map(|_| ())
    }

    fn subject(&self) -> Result<Name, CsrError> {
        // RFC 5280's upper bounds count characters, not UTF-8 bytes.
        let text = |field: &'static str, v: &str, max: usize| {
            let chars = v.chars().count();
            if chars == 0 || chars > max {
                return Err(CsrError::InvalidSubject {
                    field,
                    reason: format!("must hold 1 to {max} characters, not {chars}"),
                });
            }
            if v.chars().any(char::is_control) {
                return Err(CsrError::InvalidSubject {
                    field,
                    reason: "must not hold control characters".to_owned(),
                });
            }
            Ok(())
        };
        let mut rdns = Vec::new();
        if let Some(c) = &self.country {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(CsrError::InvalidSubject {
                    field: "country",
                    reason: "must be two upper-case letters".to_owned(),
                });
            }
            rdns.push((C, Tag::PrintableString, c.as_str()));
        }
        if let Some(o) = &self.organization {
            text("organization", o, MAX_ORGANIZATION_CHARS)?;
            rdns.push((O, Tag::Utf8String, o.as_str()));
        }
        text("common name", &self.common_name, MAX_COMMON_NAME_CHARS)?;
        rdns.push((CN, Tag::Utf8String, self.common_name.as_str()));
        if let Some(e) = &self.email_address {
            if e.len() > MAX_EMAIL_ADDRESS_CHARS
                || !e.is_ascii()
                || !e.contains('@')
                || e.chars().any(|c| c.is_ascii_control())
            {
                return Err(CsrError::InvalidSubject {
                    field: "email address",
                    reason: format!(
                        "must be an ASCII address with an @, at most {MAX_EMAIL_ADDRESS_CHARS} characters"
                    ),
                });
            }
            rdns.push((EMAIL, Tag::Ia5String, e.as_str()));
        }
        let mut seq = Vec::with_capacity(rdns.len());
        for (oid, tag, value) in rdns {
            let value = Any::new(tag, value.as_bytes()).map_err(|_| CsrError::InvalidSubject {
                field: "subject",
                reason: "not encodable".to_owned(),
            })?;
            let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid, value }])
                .map_err(|_| CsrError::Build)?;
            seq.push(RelativeDistinguishedName::from(set));
        }
        let der = RdnSequence::from(seq)
            .to_der()
            .map_err(|_| CsrError::Build)?;
        Name::from_der(&der).map_err(|_| CsrError::Build)
    }

    /// Signs the request with `key` (RSA PKCS#1 v1.5 with SHA-256) and
    /// returns it verified. The request is the same byte for byte under
    /// either backend; `rng` blinds the default backend's private-key
    /// operation and is unused with `aws-lc-rs` (see
    /// [`VendorSigner::sign`](crate::VendorSigner::sign)).
    ///
    /// Its attributes hold one empty extension request, as x509-cert's
    /// `RequestBuilder` writes, so requests built before and after this
    /// crate signed them itself are identical.
    ///
    /// # Errors
    /// [`CsrError::InvalidSubject`] for a field out of bounds,
    /// [`CsrError::Key`] under 2048 bits, [`CsrError::Build`] if signing fails.
    pub fn build<R: CryptoRng + ?Sized>(
        &self,
        key: &PrivateKey,
        rng: &mut R,
    ) -> Result<PushCsr, CsrError> {
        if key.key_bits() < crate::limits::MIN_RSA_BITS {
            return Err(CsrError::Key(KeyError::TooSmall {
                bits: key.key_bits(),
            }));
        }
        let mut attributes = SetOfVec::new();
        attributes
            .insert(Attribute::try_from(ExtensionReq::default()).map_err(|_| CsrError::Build)?)
            .map_err(|_| CsrError::Build)?;
        let info = CertReqInfo {
            version: Version::V1,
            subject: self.subject()?,
            public_key: SubjectPublicKeyInfoOwned::from_der(key.spki_der())
                .map_err(|_| CsrError::Build)?,
            attributes,
        };
        let tbs = info.to_der().map_err(|_| CsrError::Build)?;
        let signature = key.sign_sha256(&tbs, rng).ok_or(CsrError::Build)?;
        let req = CertReq {
            info,
            // sha256WithRSAEncryption, parameters NULL (RFC 4055 §5).
            algorithm: AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(Any::null()),
            },
            signature: BitString::from_bytes(&signature).map_err(|_| CsrError::Build)?,
        };
        let der = req.to_der().map_err(|_| CsrError::Build)?;
        PushCsr::from_der(&der)
    }
}
