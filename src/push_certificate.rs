//! The push certificate Apple issues, read from what the customer uploads.

use core::ops::Range;
use std::sync::OnceLock;

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Decode as _, Tag, Tagged as _};
use sha2::Digest as _;
use spki::SubjectPublicKeyInfoRef;
use time::OffsetDateTime;

use crate::certificate_view::{CertificateView, Uids};

use crate::error::ParseError;
use crate::expiry::{EXPIRY_WARNING_WINDOW, Expiry};
use crate::input;
use crate::name;
use crate::signature::RSA_ENCRYPTION;
use crate::topic::Topic;

/// The subject attribute that carries the APNs topic: `UID`
/// ([RFC 4519 §2.39], OID 0.9.2342.19200300.100.1.1).
///
/// [RFC 4519 §2.39]: https://datatracker.ietf.org/doc/html/rfc4519#section-2.39
pub const UID_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1");

/// The extension Apple puts in MDM push certificates (value NULL).
pub const PUSH_MARKER_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.6.3.2");

/// The extension Apple puts in MDM vendor certificates.
pub const VENDOR_MARKER_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113635.100.4.12");

/// Most certificates a push certificate upload may hold: the push
/// certificate with its chain is three or four; more is refused before any
/// of them is read, which bounds the work per file.
pub const MAX_CERTIFICATES_PER_FILE: usize = 16;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// An Apple MDM push certificate, parsed once and then queried.
///
/// ```
/// use mdm_push_cert::PushCertificate;
///
/// let pem = include_bytes!("../tests/fixtures/pki/push_b.pem");
/// let cert = PushCertificate::parse(pem)?;
/// assert_eq!(
///     cert.topic().as_str(),
///     "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f"
/// );
/// assert_eq!(cert.rsa_key_bits(), 2048);
/// # Ok::<(), mdm_push_cert::ParseError>(())
/// ```
#[derive(Clone)]
pub struct PushCertificate {
    der: Vec<u8>,
    topic: Topic,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    serial: Range<usize>,
    subject_der: Range<usize>,
    issuer_der: Range<usize>,
    spki: Range<usize>,
    key_bits: usize,
    push_marker: bool,
    // Formatting a name costs more than parsing the certificate: done on
    // first request.
    subject: OnceLock<String>,
    issuer: OnceLock<String>,
}

/// Two certificates are equal when their DER is: everything else is read from it.
impl PartialEq for PushCertificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for PushCertificate {}

impl core::fmt::Debug for PushCertificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PushCertificate")
            .field("topic", &self.topic)
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("serial", &self.serial_hex())
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("key_bits", &self.key_bits)
            .field("push_marker", &self.push_marker)
            .finish()
    }
}

impl PushCertificate {
    /// Reads a push certificate from PEM or DER, told apart by content.
    ///
    /// PEM may carry a UTF-8 byte order mark, CRLF line ends, and text before
    /// or after the block. A file holding the push certificate together with
    /// CA certificates yields the push certificate; two different push
    /// certificates in one file are refused. The certificate must be DER.
    ///
    /// # Errors
    /// [`ParseError`] says why the input is not an MDM push certificate;
    /// [`ParseError::Truncated`] marks an upload that was cut off.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let mut items = input::der_items(bytes, b"CERTIFICATE")?;
        if items.len() > MAX_CERTIFICATES_PER_FILE {
            return Err(ParseError::TooManyCertificates {
                count: items.len(),
                max: MAX_CERTIFICATES_PER_FILE,
            });
        }
        if items.len() == 1
            && let Some(der) = items.pop()
        {
            return Self::from_owned_der(der);
        }
        let mut leaf: Option<Vec<u8>> = None;
        let mut first_ca: Option<Vec<u8>> = None;
        for der in items {
            let view = CertificateView::from_der(&der).map_err(|e| ParseError::malformed(&e))?;
            let ca = view.marks.is_ca;
            drop(view);
            if ca {
                first_ca.get_or_insert(der);
            } else {
                match &leaf {
                    // A second, different push certificate: stop here, so a
                    // file of many certificates costs one pass.
                    Some(l) if *l != der => return Err(ParseError::MultiplePushCertificates),
                    Some(_) => {}
                    None => leaf = Some(der),
                }
            }
        }
        match leaf.or(first_ca) {
            Some(der) => Self::from_owned_der(der),
            None => Err(ParseError::NoCertificate),
        }
    }

    /// Reads a push certificate from exactly one DER-encoded certificate.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        input::check_size(der)?;
        input::check_der_extent(der)?;
        Self::from_owned_der(der.to_vec())
    }

    fn from_owned_der(der: Vec<u8>) -> Result<Self, ParseError> {
        let view = CertificateView::from_der(&der).map_err(|e| ParseError::malformed(&e))?;
        if view.marks.is_ca {
            return Err(ParseError::CaCertificate {
                subject: name::rfc4514_der(view.raw.subject),
            });
        }
        if view.marks.vendor_marker {
            return Err(ParseError::VendorCertificate {
                subject: name::rfc4514_der(view.raw.subject),
            });
        }
        let push_marker = view.marks.push_marker;
        let topic = topic_of(&view.subject_uids)?;
        let key_bits = rsa_modulus_bits(&view.spki)?;
        if key_bits < MIN_RSA_BITS {
            return Err(ParseError::KeyTooSmall { bits: key_bits });
        }
        let not_before = to_offset(view.validity.not_before)?;
        let not_after = to_offset(view.validity.not_after)?;
        let serial = subrange(&der, view.serial);
        let subject_der = subrange(&der, view.raw.subject);
        let issuer_der = subrange(&der, view.raw.issuer);
        let spki = subrange(&der, view.raw.spki);
        drop(view);
        Ok(Self {
            topic,
            not_before,
            not_after,
            serial,
            subject_der,
            issuer_der,
            spki,
            key_bits,
            push_marker,
            subject: OnceLock::new(),
            issuer: OnceLock::new(),
            der,
        })
    }

    /// The APNs topic from the subject's UID attribute.
    pub fn topic(&self) -> &Topic {
        &self.topic
    }

    /// Start of the validity period (inclusive).
    pub fn not_before(&self) -> OffsetDateTime {
        self.not_before
    }

    /// End of the validity period (inclusive).
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }

    /// Where `now` falls in the validity period, with the 30-day
    /// [`EXPIRY_WARNING_WINDOW`].
    pub fn expiry(&self, now: OffsetDateTime) -> Expiry {
        Expiry::classify(self.not_before, self.not_after, now, EXPIRY_WARNING_WINDOW)
    }

    /// The serial number's magnitude, big-endian, without the sign octet DER
    /// adds when the first bit is set (the digits `openssl x509 -serial` prints).
    pub fn serial(&self) -> &[u8] {
        let encoded = self.der.get(self.serial.clone()).unwrap_or_default();
        match encoded {
            [0, rest @ ..] if !rest.is_empty() => rest,
            _ => encoded,
        }
    }

    /// The serial number as upper-case hex separated by colons, as OpenSSL prints it.
    pub fn serial_hex(&self) -> String {
        colon_hex(self.serial())
    }

    /// The subject as an RFC 4514 string, as `openssl -nameopt RFC2253` prints it.
    pub fn subject(&self) -> &str {
        self.subject.get_or_init(|| {
            name::rfc4514_der(self.der.get(self.subject_der.clone()).unwrap_or_default())
        })
    }

    /// The issuer as an RFC 4514 string, as `openssl -nameopt RFC2253` prints it.
    pub fn issuer(&self) -> &str {
        self.issuer.get_or_init(|| {
            name::rfc4514_der(self.der.get(self.issuer_der.clone()).unwrap_or_default())
        })
    }

    /// The DER of the subject name.
    pub fn subject_der(&self) -> &[u8] {
        self.der.get(self.subject_der.clone()).unwrap_or_default()
    }

    /// The DER of the issuer name.
    pub fn issuer_der(&self) -> &[u8] {
        self.der.get(self.issuer_der.clone()).unwrap_or_default()
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        self.der.get(self.spki.clone()).unwrap_or_default()
    }

    /// The SHA-256 of the certificate's DER (computed on each call).
    pub fn sha256_fingerprint(&self) -> [u8; 32] {
        sha2::Sha256::digest(&self.der).into()
    }

    /// The SHA-256 fingerprint as upper-case hex separated by colons.
    pub fn sha256_fingerprint_hex(&self) -> String {
        colon_hex(&self.sha256_fingerprint())
    }

    /// The RSA modulus length in bits.
    pub fn rsa_key_bits(&self) -> usize {
        self.key_bits
    }

    /// Whether the certificate carries Apple's push marker extension
    /// 1.2.840.113635.100.6.3.2.
    pub fn has_push_marker(&self) -> bool {
        self.push_marker
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate as PEM with 64-character lines.
    pub fn to_pem(&self) -> String {
        input::to_pem("CERTIFICATE", &self.der)
    }
}

impl AsRef<[u8]> for PushCertificate {
    fn as_ref(&self) -> &[u8] {
        &self.der
    }
}

fn subrange(outer: &[u8], inner: &[u8]) -> Range<usize> {
    let start = (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize);
    start..start + inner.len()
}

/// The topic from the subject's UID attributes, wherever they sit.
fn topic_of(uids: &Uids<'_>) -> Result<Topic, ParseError> {
    let mut found: Option<String> = None;
    for value in uids.iter() {
        let value = directory_string(value)?;
        match &found {
            Some(prev) if *prev != value => return Err(ParseError::MultipleTopics),
            Some(_) => {}
            None => found = Some(value),
        }
    }
    let uid = found.ok_or(ParseError::MissingTopic)?;
    Topic::from_string(uid).map_err(|(reason, uid)| ParseError::InvalidTopic { uid, reason })
}

fn directory_string(value: &AnyRef<'_>) -> Result<String, ParseError> {
    let bytes = value.value();
    match value.tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
            name::directory_str(value.tag(), bytes)
                .map(str::to_owned)
                .ok_or_else(|| {
                    ParseError::malformed_text("the UID attribute is not a valid string")
                })
        }
        _ => Err(ParseError::InvalidTopic {
            uid: String::from_utf8_lossy(bytes).into_owned(),
            reason: crate::topic::TopicError::WrongPrefix,
        }),
    }
}

fn rsa_modulus_bits(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<usize, ParseError> {
    if spki.algorithm.oid != RSA_ENCRYPTION {
        return Err(ParseError::NotRsa {
            algorithm: spki.algorithm.oid.to_string(),
        });
    }
    let key_bytes = spki.subject_public_key.as_bytes().ok_or_else(|| {
        ParseError::malformed_text("the public key is not a whole number of bytes")
    })?;
    let key = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(key_bytes)
        .map_err(|e| ParseError::malformed(&e))?;
    let modulus = key.modulus.as_bytes();
    let leading = modulus.first().copied().unwrap_or(0);
    Ok(modulus
        .len()
        .saturating_mul(8)
        .saturating_sub(leading.leading_zeros() as usize))
}

/// The validity bounds of a DER certificate, reading nothing else.
pub(crate) fn validity_of_der(der: &[u8]) -> Result<(OffsetDateTime, OffsetDateTime), ParseError> {
    input::check_size(der)?;
    input::check_der_extent(der)?;
    let tlv = crate::raw::validity_tlv(der).map_err(|e| ParseError::malformed(&e))?;
    let validity = x509_cert::time::Validity::<x509_cert::certificate::Rfc5280>::from_der(tlv)
        .map_err(|e| ParseError::malformed(&e))?;
    Ok((
        to_offset(validity.not_before)?,
        to_offset(validity.not_after)?,
    ))
}

/// Converts an X.509 time to `OffsetDateTime` in UTC.
pub(crate) fn to_offset(t: x509_cert::time::Time) -> Result<OffsetDateTime, ParseError> {
    let secs = i64::try_from(t.to_unix_duration().as_secs())
        .map_err(|_| ParseError::malformed_text("a validity date is out of range"))?;
    OffsetDateTime::from_unix_timestamp(secs).map_err(|e| ParseError::malformed(&e))
}

/// Upper-case hex separated by colons.
pub(crate) fn colon_hex(bytes: &[u8]) -> String {
    use core::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{b:02X}");
    }
    out
}
