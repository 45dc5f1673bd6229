//! The push certificate Apple issues, read from what the customer uploads.

use std::sync::OnceLock;

use sha2::Digest as _;
use time::OffsetDateTime;

use crate::asn1;
use crate::certificate::{Certificate, PublicKey, key_usage, part};
use crate::display;
use crate::error::ParseError;
use crate::expiry::{EXPIRY_WARNING_WINDOW, Expiry};
use crate::input::{self, InputError, InputItem};
use crate::keys::KeyError;
use crate::limits::{MAX_CERTIFICATES_PER_FILE, MIN_RSA_BITS};
use crate::name;
use crate::topic::Topic;

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
/// assert_eq!(cert.key_bits(), 2048);
/// # Ok::<(), mdm_push_cert::ParseError>(())
/// ```
#[derive(Clone)]
pub struct PushCertificate {
    der: Vec<u8>,
    /// The ranges of every part, kept so that path validation reads nothing twice.
    parts: Certificate,
    /// The CA certificates the upload carried beside it, in file order.
    carried: Vec<Vec<u8>>,
    topic: Topic,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    key_bits: usize,
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
            .field("push_marker", &self.parts.push_marker)
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
    /// [`InputError::Truncated`] (inside [`ParseError::Input`]) marks an
    /// upload that was cut off.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        Self::from_der_items(input::der_items(bytes, b"CERTIFICATE")?)
    }

    /// The push certificate among certificates already framed (DER, in file
    /// order): what [`parse`](Self::parse) does after framing, for readers
    /// that framed the items themselves (a `.p12`, a PEM bundle). Each
    /// certificate is read once.
    pub(crate) fn from_der_items(mut items: Vec<Vec<u8>>) -> Result<Self, ParseError> {
        if items.len() > MAX_CERTIFICATES_PER_FILE {
            return Err(ParseError::TooManyCertificates {
                count: items.len(),
                max: MAX_CERTIFICATES_PER_FILE,
            });
        }
        if items.len() == 1
            && let Some(der) = items.pop()
        {
            let parts = Certificate::read(&der)?;
            return Self::from_read(der, parts);
        }
        let mut leaf: Option<(Vec<u8>, Certificate)> = None;
        let mut cas: Vec<(Vec<u8>, Certificate)> = Vec::new();
        for der in items {
            // The same certificate twice (a file that repeats it) is read once.
            if leaf.as_ref().is_some_and(|(l, _)| *l == der) || cas.iter().any(|(c, _)| *c == der) {
                continue;
            }
            let parts = Certificate::read(&der)?;
            if parts.is_ca() {
                cas.push((der, parts));
            } else if leaf.is_some() {
                // A second, different push certificate: stop here, so a
                // file of many certificates costs one pass.
                return Err(ParseError::MultiplePushCertificates);
            } else {
                leaf = Some((der, parts));
            }
        }
        match leaf {
            Some((der, parts)) => {
                let mut cert = Self::from_read(der, parts)?;
                cert.carried = cas.into_iter().map(|(der, _)| der).collect();
                Ok(cert)
            }
            // Only CA certificates: the first is refused for what it is.
            None => match cas.into_iter().next() {
                Some((der, parts)) => Self::from_read(der, parts),
                None => Err(ParseError::Input(InputError::NotFound {
                    expected: InputItem::Certificate,
                })),
            },
        }
    }

    /// Reads a push certificate from exactly one DER-encoded certificate.
    ///
    /// # Errors
    /// As [`parse`](Self::parse).
    pub fn from_der(der: &[u8]) -> Result<Self, ParseError> {
        input::check_size(der)?;
        Self::from_owned_der(input::check_der_extent(der, InputItem::Certificate)?.to_vec())
    }

    fn from_owned_der(der: Vec<u8>) -> Result<Self, ParseError> {
        let parts = Certificate::read(&der)?;
        Self::from_read(der, parts)
    }

    /// The checks of a push certificate on a certificate already read.
    fn from_read(der: Vec<u8>, parts: Certificate) -> Result<Self, ParseError> {
        if parts.is_ca() {
            return Err(ParseError::CaCertificate {
                subject: name::rfc4514_der(part(&der, &parts.subject)),
            });
        }
        if parts.vendor_marker {
            return Err(ParseError::VendorCertificate {
                subject: name::rfc4514_der(part(&der, &parts.subject)),
            });
        }
        let topic = topic_of(&der, &parts)?;
        let key_bits = match &parts.public_key {
            PublicKey::Rsa { bits } => *bits,
            PublicKey::Other { algorithm } => {
                return Err(ParseError::NotRsa {
                    algorithm: crate::oids::dotted(part(&der, algorithm)),
                });
            }
        };
        if key_bits < MIN_RSA_BITS {
            return Err(ParseError::Key(KeyError::TooSmall { bits: key_bits }));
        }
        // APNs authenticates the server by this certificate in a TLS
        // handshake: a key usage, when present, must allow signing, and an
        // extended key usage, when present, client authentication. Every
        // push certificate Apple issues has both.
        if parts
            .key_usage
            .is_some_and(|ku| ku & key_usage::DIGITAL_SIGNATURE == 0)
        {
            return Err(ParseError::NoDigitalSignature);
        }
        if parts
            .ext_key_usage
            .is_some_and(|eku| !eku.allows_client_auth())
        {
            return Err(ParseError::NotClientAuth);
        }
        let not_before =
            asn1::to_datetime(parts.not_before).map_err(|e| ParseError::malformed(&e))?;
        let not_after =
            asn1::to_datetime(parts.not_after).map_err(|e| ParseError::malformed(&e))?;
        Ok(Self {
            topic,
            not_before,
            not_after,
            key_bits,
            subject: OnceLock::new(),
            issuer: OnceLock::new(),
            parts,
            carried: Vec::new(),
            der,
        })
    }

    /// The CA certificates (DER) the upload carried beside the push
    /// certificate, in file order: path validation tries them as
    /// intermediates after the anchors' own, and never trusts them alone.
    pub fn carried(&self) -> &[Vec<u8>] {
        &self.carried
    }

    /// The parts, as the reader found them.
    pub(crate) fn parts(&self) -> &Certificate {
        &self.parts
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
        let encoded = part(&self.der, &self.parts.serial);
        match encoded {
            [0, rest @ ..] if !rest.is_empty() => rest,
            _ => encoded,
        }
    }

    /// The serial number's magnitude ([`serial`](Self::serial)) as lower-case
    /// hex with no separator, the form of
    /// [`CertificateSummary::serial`] (`openssl x509 -serial` prints the same
    /// digits in upper case).
    pub fn serial_hex(&self) -> String {
        display::hex(self.serial())
    }

    /// The subject as an RFC 4514 string, as `openssl -nameopt RFC2253` prints it.
    pub fn subject(&self) -> &str {
        self.subject
            .get_or_init(|| name::rfc4514_der(self.subject_der()))
    }

    /// The issuer as an RFC 4514 string, as `openssl -nameopt RFC2253` prints it.
    pub fn issuer(&self) -> &str {
        self.issuer
            .get_or_init(|| name::rfc4514_der(self.issuer_der()))
    }

    /// The DER of the subject name.
    pub fn subject_der(&self) -> &[u8] {
        part(&self.der, &self.parts.subject)
    }

    /// The DER of the issuer name.
    pub fn issuer_der(&self) -> &[u8] {
        part(&self.der, &self.parts.issuer)
    }

    /// What a console or an API shows about the certificate at `now`: topic,
    /// dates, status and its two flags, serial and fingerprint.
    pub fn summary(&self, now: OffsetDateTime) -> CertificateSummary {
        let expiry = self.expiry(now);
        CertificateSummary {
            topic: self.topic.clone(),
            subject: self.subject().to_owned(),
            issuer: self.issuer().to_owned(),
            serial: self.serial_hex(),
            sha256_fingerprint: self.sha256_fingerprint_hex(),
            not_before: self.not_before(),
            not_after: self.not_after(),
            status: expiry.status().to_owned(),
            days_remaining: expiry.days_remaining(),
            expired: matches!(expiry, Expiry::Expired { .. }),
            expiring_soon: matches!(expiry, Expiry::ExpiringSoon { .. }),
        }
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        part(&self.der, &self.parts.spki)
    }

    /// The SHA-256 of the certificate's DER (computed on each call).
    pub fn sha256_fingerprint(&self) -> [u8; 32] {
        sha2::Sha256::digest(&self.der).into()
    }

    /// The SHA-256 fingerprint as 64 lower-case hex digits with no separator,
    /// the form of [`CertificateSummary::sha256_fingerprint`].
    pub fn sha256_fingerprint_hex(&self) -> String {
        display::hex(&self.sha256_fingerprint())
    }

    /// The RSA modulus length in bits.
    pub fn key_bits(&self) -> usize {
        self.key_bits
    }

    /// Whether the certificate carries Apple's push marker extension
    /// 1.2.840.113635.100.6.3.2.
    pub fn has_push_marker(&self) -> bool {
        self.parts.push_marker
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

/// The topic from the subject's UID attributes, wherever they sit.
fn topic_of(der: &[u8], parts: &Certificate) -> Result<Topic, ParseError> {
    let mut found: Option<String> = None;
    for range in &parts.subject_uids {
        // The reader checked every value against its string type.
        let value = asn1::single(part(der, range), "")
            .ok()
            .and_then(|t| name::decode_string(&t))
            .ok_or_else(|| ParseError::malformed_text("the UID attribute is not a valid string"))?;
        match &found {
            Some(prev) if *prev != value => return Err(ParseError::MultipleTopics),
            Some(_) => {}
            None => found = Some(value),
        }
    }
    let uid = found.ok_or(ParseError::MissingTopic)?;
    Topic::from_string(uid).map_err(|(reason, uid)| ParseError::InvalidTopic { uid, reason })
}

/// A push certificate as a console or an API shows it at one instant, from
/// [`PushCertificate::summary`]. With the `serde` feature it serializes as an
/// object with these fields, times as RFC 3339 in UTC with whole seconds
/// (the README's **JSON** section has the table).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CertificateSummary {
    /// The APNs topic.
    pub topic: Topic,
    /// The subject (RFC 4514, as `openssl -nameopt RFC2253` prints it).
    pub subject: String,
    /// The issuer (RFC 4514, as `openssl -nameopt RFC2253` prints it).
    pub issuer: String,
    /// The serial number's magnitude as lower-case hex with no separator
    /// and no sign octet (`0a1b…`; `openssl x509 -serial` prints the same
    /// digits in upper case).
    pub serial: String,
    /// SHA-256 of the certificate's DER: 64 lower-case hex digits with no
    /// separator.
    pub sha256_fingerprint: String,
    /// Start of validity (inclusive); in JSON RFC 3339 in UTC with whole
    /// seconds (`2025-11-24T16:00:00Z`).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impls::rfc3339_utc"))]
    pub not_before: OffsetDateTime,
    /// End of validity (inclusive); in JSON as `not_before`.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impls::rfc3339_utc"))]
    pub not_after: OffsetDateTime,
    /// [`Expiry::status`]: `not_yet_valid`, `valid`, `expiring_soon` or `expired`.
    pub status: String,
    /// [`Expiry::days_remaining`]: `None` (JSON `null`) before `not_before`;
    /// then whole days left until `not_after`, rounded down; once expired −n
    /// during the n-th day after `not_after`.
    pub days_remaining: Option<i64>,
    /// Expired: the console shows the certificate in red. It can still be renewed.
    pub expired: bool,
    /// Within [`EXPIRY_WARNING_WINDOW`](crate::EXPIRY_WARNING_WINDOW) of the
    /// end: the console shows its renewal pop-up.
    pub expiring_soon: bool,
}
