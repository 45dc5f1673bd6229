//! The push certificate Apple issues, read from what the customer uploads.

use der::asn1::{Ia5StringRef, ObjectIdentifier, PrintableStringRef, Utf8StringRef};
use der::{Decode as _, Encode as _, Tag, Tagged as _};
use sha2::Digest as _;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::BasicConstraints;

use crate::error::ParseError;
use crate::expiry::{EXPIRY_WARNING_WINDOW, Expiry};
use crate::input;
use crate::raw::RawCertificate;
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushCertificate {
    der: Vec<u8>,
    topic: Topic,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    serial: Vec<u8>,
    subject: String,
    issuer: String,
    spki: core::ops::Range<usize>,
    fingerprint: [u8; 32],
    key_bits: usize,
    push_marker: bool,
}

/// One certificate found in an input, decoded, not yet judged.
struct Candidate {
    der: Vec<u8>,
    cert: Certificate,
    is_ca: bool,
}

impl PushCertificate {
    /// Reads a push certificate from PEM or DER, told apart by content.
    ///
    /// PEM may carry a UTF-8 byte order mark, CRLF line ends, and text before
    /// or after the block. A file holding the push certificate together with
    /// CA certificates yields the push certificate; two different push
    /// certificates in one file are refused.
    ///
    /// # Errors
    /// [`ParseError`] says why the input is not an MDM push certificate;
    /// [`ParseError::Truncated`] marks an upload that was cut off.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let items = input::der_items(bytes, b"CERTIFICATE")?;
        let mut leaves: Vec<Candidate> = Vec::with_capacity(1);
        let mut first_ca: Option<Candidate> = None;
        for der in items {
            let cert = Certificate::from_der(&der).map_err(|e| ParseError::malformed(&e))?;
            let is_ca = is_ca(&cert)?;
            let candidate = Candidate { der, cert, is_ca };
            if candidate.is_ca {
                first_ca.get_or_insert(candidate);
            } else if !leaves.iter().any(|l| l.der == candidate.der) {
                if !leaves.is_empty() {
                    // A second, different push certificate: stop here, so a
                    // file of many certificates costs one pass.
                    return Err(ParseError::MultiplePushCertificates);
                }
                leaves.push(candidate);
            }
        }
        match leaves.pop().or(first_ca) {
            Some(c) => Self::from_candidate(c),
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
        let cert = Certificate::from_der(der).map_err(|e| ParseError::malformed(&e))?;
        let is_ca = is_ca(&cert)?;
        Self::from_candidate(Candidate {
            der: der.to_vec(),
            cert,
            is_ca,
        })
    }

    fn from_candidate(c: Candidate) -> Result<Self, ParseError> {
        // The decoder accepts some non-canonical BER (an explicit default
        // version, for one); a certificate must be DER, which re-encodes to
        // itself.
        if c.cert.to_der().map_err(|e| ParseError::malformed(&e))? != c.der {
            return Err(ParseError::malformed_text(
                "the certificate is not DER: it does not re-encode to itself",
            ));
        }
        let tbs = c.cert.tbs_certificate();
        let subject = tbs.subject().to_string();
        if c.is_ca {
            return Err(ParseError::CaCertificate { subject });
        }
        let mut push_marker = false;
        for ext in tbs.extensions().into_iter().flatten() {
            if ext.extn_id == VENDOR_MARKER_OID {
                return Err(ParseError::VendorCertificate { subject });
            }
            push_marker |= ext.extn_id == PUSH_MARKER_OID;
        }
        let topic = topic_of(tbs.subject())?;
        let raw = RawCertificate::from_der(&c.der).map_err(|e| ParseError::malformed(&e))?;
        let key_bits = rsa_modulus_bits(tbs.subject_public_key_info())?;
        if key_bits < MIN_RSA_BITS {
            return Err(ParseError::KeyTooSmall { bits: key_bits });
        }
        let spki = subrange(&c.der, raw.spki);
        let validity = tbs.validity();
        Ok(Self {
            topic,
            not_before: to_offset(validity.not_before)?,
            not_after: to_offset(validity.not_after)?,
            serial: tbs.serial_number().as_bytes().to_vec(),
            subject,
            issuer: tbs.issuer().to_string(),
            spki,
            fingerprint: sha2::Sha256::digest(&c.der).into(),
            key_bits,
            push_marker,
            der: c.der,
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

    /// The serial number's bytes, big-endian as encoded.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// The serial number as upper-case hex separated by colons, as OpenSSL prints it.
    pub fn serial_hex(&self) -> String {
        colon_hex(&self.serial)
    }

    /// The subject as an RFC 4514 string.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        self.der.get(self.spki.clone()).unwrap_or_default()
    }

    /// The SHA-256 of the certificate's DER.
    pub fn sha256_fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// The SHA-256 fingerprint as upper-case hex separated by colons.
    pub fn sha256_fingerprint_hex(&self) -> String {
        colon_hex(&self.fingerprint)
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

fn subrange(outer: &[u8], inner: &[u8]) -> core::ops::Range<usize> {
    let start = (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize);
    start..start + inner.len()
}

fn is_ca(cert: &Certificate) -> Result<bool, ParseError> {
    let bc = cert
        .tbs_certificate()
        .get_extension::<BasicConstraints>()
        .map_err(|e| ParseError::malformed(&e))?;
    Ok(bc.is_some_and(|(_, bc)| bc.ca))
}

/// The topic from the subject's UID attributes, wherever they sit.
pub(crate) fn topic_of(subject: &x509_cert::name::Name) -> Result<Topic, ParseError> {
    let mut found: Option<String> = None;
    for atv in subject.iter().filter(|a| a.oid == UID_OID) {
        let value = directory_string(&atv.value)?;
        match &found {
            Some(prev) if *prev != value => return Err(ParseError::MultipleTopics),
            Some(_) => {}
            None => found = Some(value),
        }
    }
    let uid = found.ok_or(ParseError::MissingTopic)?;
    Topic::try_from(uid.as_str()).map_err(|reason| ParseError::InvalidTopic { uid, reason })
}

fn directory_string(value: &der::Any) -> Result<String, ParseError> {
    let bytes = value.value();
    let s = match value.tag() {
        Tag::Utf8String => Utf8StringRef::new(bytes).map(|s| s.as_str().to_owned()),
        Tag::PrintableString => PrintableStringRef::new(bytes).map(|s| s.as_str().to_owned()),
        Tag::Ia5String => Ia5StringRef::new(bytes).map(|s| s.as_str().to_owned()),
        _ => {
            return Err(ParseError::InvalidTopic {
                uid: String::from_utf8_lossy(bytes).into_owned(),
                reason: crate::topic::TopicError::WrongPrefix,
            });
        }
    };
    s.map_err(|e| ParseError::malformed(&e))
}

fn rsa_modulus_bits(spki: &spki::SubjectPublicKeyInfoOwned) -> Result<usize, ParseError> {
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
    let raw = RawCertificate::from_der(der).map_err(|e| ParseError::malformed(&e))?;
    let validity =
        x509_cert::time::Validity::<x509_cert::certificate::Rfc5280>::from_der(raw.validity)
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
