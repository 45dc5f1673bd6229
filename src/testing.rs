//! A stand-in Apple for test suites (feature `testing`): a deterministic test
//! PKI shaped like Apple's, and a push certificate issuer that behaves like
//! Apple Push Certificates Portal.
//!
//! Everything is derived from a seed: the same seed gives the same keys and
//! the same certificate bytes, in any process, so a downstream test can
//! commit what it expects. The stand-in has
//!
//! - a root CA (the stand-in for Apple Root CA);
//! - a push CA under it, shaped like Apple Application Integration 2
//!   Certification Authority, which issues push certificates;
//! - a WWDR-like CA under it, which issues MDM vendor certificates (valid,
//!   expired, not yet valid, and one without the vendor marker);
//! - an issuer that, given a CSR, a private key or a public key, makes the
//!   push certificate for a first registration (new topic), a renewal (same
//!   topic), the "Create instead of Renew" mistake (new topic), or an expired
//!   or not-yet-valid one;
//! - the matching [`TrustAnchors`].
//!
//! Its CA signatures are made with the pure-Rust `rsa` crate under every
//! backend (PKCS#1 v1.5 is deterministic: the bytes are the same); the
//! library's own operations on what it makes use the selected backend.
//!
//! Its names say "Stand-in" so that nothing it makes is mistaken for Apple's,
//! and none of it chains to Apple's real roots: use it with
//! [`UploadCheck::trust_anchors`](crate::UploadCheck::trust_anchors) and
//! [`VendorSigner::with_anchors`].
//!
//! A downstream server's unit test of its upload endpoint (`upload` stands
//! for the server's handler):
//!
//! ```
//! # use mdm_push_cert::{Lang, PrivateKey, PushCertificate, TrustAnchors, UploadCheck};
//! # use mdm_push_cert::time::{Duration, OffsetDateTime};
//! # fn upload(current: &PushCertificate, key: &PrivateKey, anchors: TrustAnchors,
//! #           body: &[u8], accept_language: &str, now: OffsetDateTime) -> (u16, String) {
//! #     let check = UploadCheck::new(now).trust_anchors(anchors)
//! #         .expected_public_key(key.spki_der()).previous_certificate(current);
//! #     match check.check(body) {
//! #         Ok(cert) => (200, cert.topic().to_string()),
//! #         Err(e) => (if e.is_retryable() { 503 } else { 409 },
//! #                    e.to_response(Lang::from_accept_language(accept_language)).message),
//! #     }
//! # }
//! use mdm_push_cert::testing::StandInApple;
//!
//! let apple = StandInApple::new(7);
//! let key = apple.customer_key(1)?; // the key of the renewal's CSR
//! let current = apple.first_registration(&key, OffsetDateTime::UNIX_EPOCH + Duration::days(20_000))?;
//! let now = current.not_after() - Duration::days(20);
//!
//! let renewed = apple.renewal(&current, &key, now)?;
//! let (status, topic) = upload(&current, &key, apple.anchors(), renewed.der(), "en", now);
//! assert_eq!((status, topic.as_str()), (200, current.topic().as_str()));
//!
//! let created = apple.created_instead_of_renewed(&current, &key, now)?; // "Create", not "Renew"
//! let (status, message) = upload(&current, &key, apple.anchors(), created.der(), "ja-JP,ja;q=0.9", now);
//! assert_eq!(status, 409);
//! assert!(message.starts_with("前回アップロードした MDM証明書と異なる"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode as _, Encode as _, Tag};
use rand_core::SeedableRng as _;
use sha2::Digest as _;
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use time::{Duration, OffsetDateTime};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder as _, CertificateBuilder, profile::BuilderProfile};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::csr::PushCsr;
use crate::error::ParseError;
use crate::keys::{KeyError, PrivateKey};
use crate::push_certificate::PushCertificate;
use crate::topic::Topic;
use crate::trust_anchors::TrustAnchors;
use crate::vendor_signer::{VendorError, VendorSigner};

/// Why the stand-in could not make what was asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StandInError {
    /// The public key given is not a DER SubjectPublicKeyInfo.
    #[error("the public key is not a DER SubjectPublicKeyInfo")]
    InvalidPublicKey,
    /// A validity period ends before it starts, or falls outside the years
    /// X.509 can encode.
    #[error("the validity period is not encodable or ends before it starts")]
    InvalidValidity,
    /// A key could not be generated.
    #[error("a key could not be generated: {0}")]
    Key(#[source] KeyError),
    /// The certificate could not be built or signed.
    #[error("the certificate could not be built: {detail}")]
    Build {
        /// What the builder reported.
        detail: String,
    },
    /// What was built is not read back as a push certificate (for example,
    /// the key is not RSA-2048 or larger).
    #[error("the issued certificate is not a usable push certificate: {0}")]
    Parse(#[source] ParseError),
    /// The vendor signer could not be made.
    #[error("the vendor signer could not be made: {0}")]
    Vendor(#[source] VendorError),
}

/// Something that carries the public key a push certificate is issued for:
/// a [`PushCsr`], a [`PrivateKey`], a [`PushCertificate`] (its key), or the
/// DER of a SubjectPublicKeyInfo as `[u8]`.
pub trait PublicKeySource {
    /// The SubjectPublicKeyInfo DER.
    fn spki_der(&self) -> &[u8];
}

impl PublicKeySource for PushCsr {
    fn spki_der(&self) -> &[u8] {
        PushCsr::spki_der(self)
    }
}

impl PublicKeySource for PrivateKey {
    fn spki_der(&self) -> &[u8] {
        PrivateKey::spki_der(self)
    }
}

impl PublicKeySource for PushCertificate {
    fn spki_der(&self) -> &[u8] {
        PushCertificate::spki_der(self)
    }
}

impl PublicKeySource for [u8] {
    fn spki_der(&self) -> &[u8] {
        self
    }
}

/// Which MDM vendor certificate [`StandInApple::vendor_certificate`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VendorCertificateKind {
    /// Valid from 30 days before `now` to 365 days after.
    Valid,
    /// Ended one day before `now` (Apple: "the signing certificate is expired").
    Expired,
    /// Starts one day after `now`.
    NotYetValid,
    /// Valid, but without the MDM vendor marker 1.2.840.113635.100.4.12:
    /// an ordinary developer certificate.
    WithoutMarker,
}

/// The validity of the stand-in's certification authorities: wide enough
/// for any `now` a test picks.
const CA_NOT_BEFORE: i64 = 946_684_800; // 2000-01-01T00:00:00Z
const CA_NOT_AFTER: i64 = 4_102_444_799; // 2099-12-31T23:59:59Z

/// One year less one second, the validity Apple gives a push certificate.
const PUSH_VALIDITY: Duration = Duration::seconds(365 * 86_400 - 1);

/// A deterministic stand-in for Apple's push PKI and portal. Cheap to clone
/// and to share between threads; see the [module documentation](self).
#[derive(Clone)]
pub struct StandInApple(Arc<Inner>);

struct Ca {
    name: Name,
    key: PrivateKey,
    der: Vec<u8>,
    key_id: [u8; 20],
}

struct Inner {
    seed: u64,
    root: Ca,
    push_ca: Ca,
    wwdr: Ca,
    vendor_key: PrivateKey,
    anchors: TrustAnchors,
}

impl core::fmt::Debug for StandInApple {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StandInApple")
            .field("seed", &self.0.seed)
            .finish_non_exhaustive()
    }
}

/// A ChaCha20 stream for one purpose, from the seed and a label.
fn stream(seed: u64, label: &str) -> chacha20::ChaCha20Rng {
    let mut h = sha2::Sha256::new();
    h.update(b"mdm-push-cert stand-in Apple\0");
    h.update(seed.to_be_bytes());
    h.update(label.as_bytes());
    chacha20::ChaCha20Rng::from_seed(h.finalize().into())
}

/// 32 bytes derived from the seed, a label and some data.
fn derive(seed: u64, label: &str, parts: &[&[u8]]) -> [u8; 32] {
    let mut h = sha2::Sha256::new();
    h.update(b"mdm-push-cert stand-in Apple\0");
    h.update(seed.to_be_bytes());
    h.update(label.as_bytes());
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    h.finalize().into()
}

fn build_error(e: impl core::fmt::Display) -> StandInError {
    StandInError::Build {
        detail: e.to_string(),
    }
}

fn name(attrs: &[(ObjectIdentifier, Tag, &str)]) -> Result<Name, StandInError> {
    let mut rdns = Vec::with_capacity(attrs.len());
    for (oid, tag, value) in attrs {
        let value = Any::new(*tag, value.as_bytes()).map_err(build_error)?;
        let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid: *oid, value }])
            .map_err(build_error)?;
        rdns.push(RelativeDistinguishedName::from(set));
    }
    let der = RdnSequence::from(rdns).to_der().map_err(build_error)?;
    Name::from_der(&der).map_err(build_error)
}

/// The organization of every stand-in CA.
const STAND_IN_ORG: &str = "Stand-in Apple Inc.";

/// An intermediate CA's name, in the order Apple's intermediates use:
/// CN, OU, O, C.
fn intermediate_name(cn: &str, ou: &str) -> Result<Name, StandInError> {
    name(&[
        (CN, Tag::PrintableString, cn),
        (OU, Tag::PrintableString, ou),
        (O, Tag::PrintableString, STAND_IN_ORG),
        (C, Tag::PrintableString, "US"),
    ])
}

const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const OU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");
const C: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const SUBJECT_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const AUTHORITY_KEY_ID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");

/// DER values of the extensions the stand-in writes.
mod ext_der {
    /// BasicConstraints { cA TRUE }
    pub(super) const CA: &[u8] = &[0x30, 0x03, 0x01, 0x01, 0xFF];
    /// BasicConstraints { cA TRUE, pathLenConstraint 0 }
    pub(super) const CA_PATHLEN_0: &[u8] = &[0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x00];
    /// BasicConstraints {} (not a CA)
    pub(super) const END_ENTITY: &[u8] = &[0x30, 0x00];
    /// KeyUsage: keyCertSign, cRLSign
    pub(super) const KU_CA: &[u8] = &[0x03, 0x02, 0x01, 0x06];
    /// KeyUsage: digitalSignature
    pub(super) const KU_SIGN: &[u8] = &[0x03, 0x02, 0x07, 0x80];
    /// ExtKeyUsage: id-kp-clientAuth
    pub(super) const EKU_CLIENT_AUTH: &[u8] = &[
        0x30, 0x0A, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02,
    ];
    /// The value of Apple's marker extensions: NULL.
    pub(super) const NULL: &[u8] = &[0x05, 0x00];
}

/// The builder profile: fixed names and a fixed list of extensions.
struct Profile {
    issuer: Name,
    subject: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

fn extension(
    oid: ObjectIdentifier,
    critical: bool,
    value: &[u8],
) -> Result<Extension, StandInError> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value).map_err(build_error)?,
    })
}

/// The key identifier of RFC 5280 §4.2.1.2 method 1: SHA-1 of the key bits.
fn key_id(spki_der: &[u8]) -> Result<[u8; 20], StandInError> {
    let spki =
        SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|_| StandInError::InvalidPublicKey)?;
    Ok(sha1::Sha1::digest(spki.subject_public_key.raw_bytes()).into())
}

/// `OCTET STRING` holding the identifier, for the SKI extension.
fn ski_value(id: &[u8; 20]) -> Result<Vec<u8>, StandInError> {
    OctetString::new(id.as_slice())
        .and_then(|o| o.to_der())
        .map_err(build_error)
}

/// `SEQUENCE { [0] keyIdentifier }`, for the AKI extension.
fn aki_value(id: &[u8; 20]) -> Vec<u8> {
    let mut v = vec![0x30, 22, 0x80, 20];
    v.extend_from_slice(id);
    v
}

fn to_time(t: OffsetDateTime) -> Result<Time, StandInError> {
    let secs = u64::try_from(t.unix_timestamp()).map_err(|_| StandInError::InvalidValidity)?;
    let dt = der::DateTime::from_unix_duration(core::time::Duration::from_secs(secs))
        .map_err(|_| StandInError::InvalidValidity)?;
    Ok(Time::from(dt))
}

fn at(unix: i64) -> Result<OffsetDateTime, StandInError> {
    OffsetDateTime::from_unix_timestamp(unix).map_err(|_| StandInError::InvalidValidity)
}

/// Who signs a certificate: a CA of the stand-in, or a root itself.
struct Signer<'a> {
    name: &'a Name,
    key: &'a PrivateKey,
    /// The signer's key identifier, for the authority key identifier;
    /// `None` for a self-signed root, which carries none.
    key_id: Option<&'a [u8; 20]>,
}

impl Ca {
    fn signer(&self) -> Signer<'_> {
        Signer {
            name: &self.name,
            key: &self.key,
            key_id: Some(&self.key_id),
        }
    }
}

/// What a certificate is built from.
struct Request<'a> {
    issuer: Signer<'a>,
    subject: Name,
    spki_der: &'a [u8],
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    /// The serial's bytes, derived from what the certificate holds.
    serial_seed: [u8; 32],
    /// Extensions other than the key identifiers.
    extensions: Vec<Extension>,
}

fn issue(req: Request<'_>) -> Result<Vec<u8>, StandInError> {
    if req.not_after < req.not_before {
        return Err(StandInError::InvalidValidity);
    }
    let validity = Validity::new(to_time(req.not_before)?, to_time(req.not_after)?);
    let spki = SubjectPublicKeyInfoOwned::from_der(req.spki_der)
        .map_err(|_| StandInError::InvalidPublicKey)?;
    let mut extensions = req.extensions;
    extensions.push(extension(
        SUBJECT_KEY_ID,
        false,
        &ski_value(&key_id(req.spki_der)?)?,
    )?);
    if let Some(id) = req.issuer.key_id {
        extensions.push(extension(AUTHORITY_KEY_ID, false, &aki_value(id))?);
    }
    // A positive 16-byte serial: the top bit cleared, never zero.
    let mut serial = [0u8; 16];
    serial.copy_from_slice(req.serial_seed.get(..16).unwrap_or(&[1; 16]));
    serial[0] = (serial[0] & 0x7F) | 0x10;
    let serial = SerialNumber::new(&serial).map_err(build_error)?;
    let builder = CertificateBuilder::new(
        Profile {
            issuer: req.issuer.name.clone(),
            subject: req.subject,
            extensions,
        },
        serial,
        validity,
        spki,
    )
    .map_err(build_error)?;
    // PKCS#1 v1.5 is deterministic: the same inputs give the same bytes.
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(req.issuer.key.as_rsa().clone());
    let cert = builder
        .build::<_, rsa::pkcs1v15::Signature>(&signer)
        .map_err(build_error)?;
    cert.to_der().map_err(build_error)
}

fn ca(
    seed: u64,
    label: &str,
    subject: Name,
    issuer: Option<&Ca>,
    path_len_0: bool,
) -> Result<Ca, StandInError> {
    let key = PrivateKey::generate(&mut stream(seed, label), 2048).map_err(StandInError::Key)?;
    let id = key_id(key.spki_der())?;
    let basic = if path_len_0 {
        ext_der::CA_PATHLEN_0
    } else {
        ext_der::CA
    };
    let der = issue(Request {
        issuer: match issuer {
            Some(ca) => ca.signer(),
            None => Signer {
                name: &subject,
                key: &key,
                key_id: None,
            },
        },
        subject: subject.clone(),
        spki_der: key.spki_der(),
        not_before: at(CA_NOT_BEFORE)?,
        not_after: at(CA_NOT_AFTER)?,
        serial_seed: derive(seed, label, &[b"serial"]),
        extensions: vec![
            extension(BASIC_CONSTRAINTS, true, basic)?,
            extension(KEY_USAGE, true, ext_der::KU_CA)?,
        ],
    })?;
    Ok(Ca {
        name: subject,
        key,
        der,
        key_id: id,
    })
}

/// The suffix of a topic: a version 4 UUID (RFC 9562 §5.4) from 16 derived
/// bytes, lower case, as Apple writes them.
fn uuid(bytes: &[u8; 32]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(bytes.get(..16).unwrap_or(&[0; 16]));
    b[6] = (b[6] & 0x0F) | 0x40; // version 4
    b[8] = (b[8] & 0x3F) | 0x80; // variant 10
    let hex: String = b.iter().map(|b| format!("{b:02x}")).collect();
    let part = |a: usize, b: usize| hex.get(a..b).unwrap_or_default();
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

impl StandInApple {
    /// The stand-in for `seed`. Its four RSA-2048 keys are generated from the
    /// seed the first time a process asks for it (about a second in a debug
    /// build) and shared afterwards, so every test can call this freely.
    ///
    /// # Panics
    /// If [`try_new`](Self::try_new), which this calls, fails: it makes
    /// RSA keys and certificates from the seed's stream and fails only when
    /// one of them does, which none of the seeds this crate's tests use has
    /// done. Test code that wants the error calls `try_new`.
    #[allow(clippy::expect_used)] // test support: the panic is documented
    pub fn new(seed: u64) -> Self {
        Self::try_new(seed).expect("the stand-in Apple PKI is built from any seed")
    }

    /// As [`new`](Self::new), returning an error instead of panicking.
    ///
    /// # Errors
    /// [`StandInError`] if a key or certificate cannot be made.
    pub fn try_new(seed: u64) -> Result<Self, StandInError> {
        static CACHE: OnceLock<Mutex<HashMap<u64, StandInApple>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        // Generation happens under the lock, so a seed is generated once even
        // when many test threads ask for it together.
        let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = map.get(&seed) {
            return Ok(found.clone());
        }
        let built = Self::generate(seed)?;
        map.insert(seed, built.clone());
        Ok(built)
    }

    fn generate(seed: u64) -> Result<Self, StandInError> {
        let ou = "Stand-in Certification Authority";
        let root = ca(
            seed,
            "root",
            name(&[
                (C, Tag::PrintableString, "US"),
                (O, Tag::PrintableString, STAND_IN_ORG),
                (OU, Tag::PrintableString, ou),
                (CN, Tag::PrintableString, "Stand-in Apple Root CA"),
            ])?,
            None,
            false,
        )?;
        let push_ca = ca(
            seed,
            "push ca",
            intermediate_name(
                "Stand-in Apple Application Integration 2 Certification Authority",
                ou,
            )?,
            Some(&root),
            true,
        )?;
        let wwdr = ca(
            seed,
            "wwdr ca",
            intermediate_name(
                "Stand-in Apple Worldwide Developer Relations Certification Authority",
                "G3",
            )?,
            Some(&root),
            true,
        )?;
        let vendor_key = PrivateKey::generate(&mut stream(seed, "vendor key"), 2048)
            .map_err(StandInError::Key)?;
        let anchors = TrustAnchors::from_der_certificates([
            root.der.as_slice(),
            push_ca.der.as_slice(),
            wwdr.der.as_slice(),
        ])
        .map_err(build_error)?;
        Ok(Self(Arc::new(Inner {
            seed,
            root,
            push_ca,
            wwdr,
            vendor_key,
            anchors,
        })))
    }

    /// The seed this stand-in was built from.
    pub fn seed(&self) -> u64 {
        self.0.seed
    }

    /// The anchors that trust everything this stand-in issues: its root, its
    /// push CA and its WWDR-like CA. For
    /// [`UploadCheck::trust_anchors`](crate::UploadCheck::trust_anchors),
    /// [`SignedRequest::verify_with_anchors`](crate::SignedRequest::verify_with_anchors)
    /// and [`VendorSigner::with_anchors`].
    pub fn anchors(&self) -> TrustAnchors {
        self.0.anchors.clone()
    }

    /// The root CA certificate's DER.
    pub fn root_der(&self) -> &[u8] {
        &self.0.root.der
    }

    /// The push CA certificate's DER (the stand-in for AAI2).
    pub fn push_ca_der(&self) -> &[u8] {
        &self.0.push_ca.der
    }

    /// The WWDR-like CA certificate's DER, the vendor certificates' issuer.
    pub fn wwdr_der(&self) -> &[u8] {
        &self.0.wwdr.der
    }

    /// The three CA certificates as PEM, root last: a file to hand to
    /// `TrustAnchors::from_pem`, `VendorSigner::with_chain` or the command
    /// line's `--anchors`.
    pub fn anchors_pem(&self) -> String {
        [self.wwdr_der(), self.push_ca_der(), self.root_der()]
            .iter()
            .map(|d| crate::input::to_pem("CERTIFICATE", d))
            .collect()
    }

    /// The MDM vendor's private key (the same for every vendor certificate).
    pub fn vendor_key(&self) -> &PrivateKey {
        &self.0.vendor_key
    }

    /// A customer key, the `n`th for this seed: for tests that need several
    /// distinct keys without generating them in the test. Generated on each
    /// call (about half a second in a debug build); keep it if you need it twice.
    ///
    /// # Errors
    /// [`StandInError::Key`] if generation fails.
    pub fn customer_key(&self, n: u32) -> Result<PrivateKey, StandInError> {
        PrivateKey::generate(&mut stream(self.0.seed, &format!("customer key {n}")), 2048)
            .map_err(StandInError::Key)
    }

    /// An MDM vendor certificate (DER) for [`vendor_key`](Self::vendor_key),
    /// issued by the WWDR-like CA, of the given kind, relative to `now`.
    ///
    /// # Errors
    /// [`StandInError`] if `now` is outside what X.509 can encode.
    pub fn vendor_certificate(
        &self,
        kind: VendorCertificateKind,
        now: OffsetDateTime,
    ) -> Result<Vec<u8>, StandInError> {
        let (not_before, not_after) = match kind {
            VendorCertificateKind::Valid | VendorCertificateKind::WithoutMarker => {
                (now - Duration::days(30), now + Duration::days(365))
            }
            VendorCertificateKind::Expired => (now - Duration::days(366), now - Duration::days(1)),
            VendorCertificateKind::NotYetValid => {
                (now + Duration::days(1), now + Duration::days(366))
            }
        };
        let label = format!("{kind:?}");
        let subject = name(&[
            (
                ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"),
                Tag::Utf8String,
                "STANDIN1234",
            ),
            (
                CN,
                Tag::Utf8String,
                "Stand-in MDM Vendor: Example Vendor Inc. (STANDIN1234)",
            ),
            (OU, Tag::Utf8String, "STANDIN1234"),
            (O, Tag::Utf8String, "Example Vendor Inc."),
            (C, Tag::PrintableString, "US"),
        ])?;
        let mut extensions = vec![
            extension(BASIC_CONSTRAINTS, true, ext_der::END_ENTITY)?,
            extension(KEY_USAGE, true, ext_der::KU_SIGN)?,
            extension(EXT_KEY_USAGE, false, ext_der::EKU_CLIENT_AUTH)?,
        ];
        if kind != VendorCertificateKind::WithoutMarker {
            extensions.push(extension(
                crate::oids::VENDOR_MARKER_OID,
                false,
                ext_der::NULL,
            )?);
        }
        issue(Request {
            issuer: self.0.wwdr.signer(),
            subject,
            spki_der: self.0.vendor_key.spki_der(),
            not_before,
            not_after,
            serial_seed: derive(
                self.0.seed,
                "vendor",
                &[label.as_bytes(), &now.unix_timestamp().to_be_bytes()],
            ),
            extensions,
        })
    }

    /// A vendor signer with a [valid](VendorCertificateKind::Valid) vendor
    /// certificate at `now` and the stand-in's chain.
    ///
    /// # Errors
    /// [`StandInError`] as [`vendor_certificate`](Self::vendor_certificate).
    pub fn vendor_signer(&self, now: OffsetDateTime) -> Result<VendorSigner, StandInError> {
        let cert = self.vendor_certificate(VendorCertificateKind::Valid, now)?;
        VendorSigner::with_anchors(&cert, &self.0.vendor_key, &self.0.anchors)
            .map_err(StandInError::Vendor)
    }

    /// The topic Apple would assign to a first registration of this key:
    /// `com.apple.mgmt.External.<uuid>`, the UUID derived from the seed and
    /// the key.
    ///
    /// # Errors
    /// [`StandInError::InvalidPublicKey`] for a key that is not DER.
    pub fn new_topic(&self, key: &(impl PublicKeySource + ?Sized)) -> Result<Topic, StandInError> {
        self.topic_from(&[b"first", key.spki_der()])
    }

    fn topic_from(&self, parts: &[&[u8]]) -> Result<Topic, StandInError> {
        let t = format!(
            "com.apple.mgmt.External.{}",
            uuid(&derive(self.0.seed, "topic", parts))
        );
        Topic::try_from(t).map_err(build_error)
    }

    /// A push certificate for `key` with `topic`, valid from `not_before` to
    /// `not_after` (inclusive), issued by the push CA with Apple's profile:
    /// the UID topic, `APSP:<uuid>` common name, digitalSignature,
    /// clientAuth and the push marker 1.2.840.113635.100.6.3.2.
    ///
    /// # Errors
    /// [`StandInError`] for a key that is not DER, a period that cannot be
    /// encoded, or a key the crate does not accept in a push certificate.
    pub fn issue(
        &self,
        key: &(impl PublicKeySource + ?Sized),
        topic: &Topic,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Result<PushCertificate, StandInError> {
        let spki = key.spki_der();
        let subject = name(&[
            (crate::oids::UID_OID, Tag::Utf8String, topic.as_str()),
            (
                CN,
                Tag::Utf8String,
                &format!(
                    "APSP:{}",
                    topic.as_str().rsplit('.').next().unwrap_or_default()
                ),
            ),
            (C, Tag::PrintableString, "US"),
        ])?;
        let extensions = vec![
            extension(BASIC_CONSTRAINTS, false, ext_der::END_ENTITY)?,
            extension(KEY_USAGE, true, ext_der::KU_SIGN)?,
            extension(EXT_KEY_USAGE, false, ext_der::EKU_CLIENT_AUTH)?,
            extension(crate::oids::PUSH_MARKER_OID, false, ext_der::NULL)?,
        ];
        let der = issue(Request {
            issuer: self.0.push_ca.signer(),
            subject,
            spki_der: spki,
            not_before,
            not_after,
            serial_seed: derive(
                self.0.seed,
                "push",
                &[
                    spki,
                    topic.as_str().as_bytes(),
                    &not_before.unix_timestamp().to_be_bytes(),
                    &not_after.unix_timestamp().to_be_bytes(),
                ],
            ),
            extensions,
        })?;
        PushCertificate::from_der(&der).map_err(StandInError::Parse)
    }

    /// The first registration: a new topic ([`new_topic`](Self::new_topic)),
    /// valid from `now` for one year less one second.
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn first_registration(
        &self,
        key: &(impl PublicKeySource + ?Sized),
        now: OffsetDateTime,
    ) -> Result<PushCertificate, StandInError> {
        self.issue(key, &self.new_topic(key)?, now, now + PUSH_VALIDITY)
    }

    /// A renewal of `previous` ("Renew" on the portal): the same topic, the
    /// new key, valid from `now` for one year less one second.
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn renewal(
        &self,
        previous: &PushCertificate,
        key: &(impl PublicKeySource + ?Sized),
        now: OffsetDateTime,
    ) -> Result<PushCertificate, StandInError> {
        self.issue(key, previous.topic(), now, now + PUSH_VALIDITY)
    }

    /// The most common real outage: the customer clicked "Create" instead of
    /// "Renew" for `previous`, so the certificate has a new topic (derived
    /// from the previous one and the key) and would cut every enrolled device
    /// off. The upload check refuses it with
    /// [`UploadError::TopicMismatch`](crate::UploadError::TopicMismatch).
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn created_instead_of_renewed(
        &self,
        previous: &PushCertificate,
        key: &(impl PublicKeySource + ?Sized),
        now: OffsetDateTime,
    ) -> Result<PushCertificate, StandInError> {
        let topic = self.topic_from(&[
            b"created",
            previous.topic().as_str().as_bytes(),
            key.spki_der(),
        ])?;
        self.issue(key, &topic, now, now + PUSH_VALIDITY)
    }

    /// A push certificate with a new topic that ended one day before `now`
    /// (valid for the year before that).
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn expired(
        &self,
        key: &(impl PublicKeySource + ?Sized),
        now: OffsetDateTime,
    ) -> Result<PushCertificate, StandInError> {
        let not_after = now - Duration::days(1);
        self.issue(
            key,
            &self.new_topic(key)?,
            not_after - PUSH_VALIDITY,
            not_after,
        )
    }

    /// A push certificate with a new topic whose validity starts one day
    /// after `now` (a clock running behind: the upload check says retry).
    ///
    /// # Errors
    /// As [`issue`](Self::issue).
    pub fn not_yet_valid(
        &self,
        key: &(impl PublicKeySource + ?Sized),
        now: OffsetDateTime,
    ) -> Result<PushCertificate, StandInError> {
        let not_before = now + Duration::days(1);
        self.issue(
            key,
            &self.new_topic(key)?,
            not_before,
            not_before + PUSH_VALIDITY,
        )
    }
}
