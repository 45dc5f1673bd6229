//! A borrowed, allocation-light reading of an X.509 certificate that accepts
//! only DER: exactly the certificates that `x509-cert` decodes and re-encodes
//! to the same bytes (the `push_certificate` fuzz target checks this).
//!
//! `x509-cert` decodes into owned values and, on decoding, tolerates three
//! non-DER encodings that its encoder then rewrites: an explicit default
//! (`version` v1, `critical` FALSE), an unsorted SET OF in a name, and a
//! GeneralizedTime before 2050 (RFC 5280 §4.1.2.5 requires UTCTime). This
//! reader refuses all three and is several times faster than decoding and
//! re-encoding.
//!
//! ```text
//! TBSCertificate  ::=  SEQUENCE  {
//!      version         [0]  EXPLICIT Version DEFAULT v1,
//!      serialNumber         CertificateSerialNumber,
//!      signature            AlgorithmIdentifier,
//!      issuer               Name,
//!      validity             Validity,
//!      subject              Name,
//!      subjectPublicKeyInfo SubjectPublicKeyInfo,
//!      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
//!      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
//!      extensions      [3]  EXPLICIT Extensions OPTIONAL }
//! Extension  ::=  SEQUENCE  {
//!      extnID      OBJECT IDENTIFIER,
//!      critical    BOOLEAN DEFAULT FALSE,
//!      extnValue   OCTET STRING  }
//! ```
//!
//! [RFC 5280 §4.1](https://datatracker.ietf.org/doc/html/rfc5280#section-4.1)

use der::asn1::{AnyRef, BitStringRef, ContextSpecific, IntRef, ObjectIdentifier, OctetStringRef};
use der::{
    Decode as _, Encode as _, ErrorKind, Reader as _, SliceReader, Tag, TagNumber, Tagged as _,
};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::certificate::{Rfc5280, Version};
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::time::{Time, Validity};

use crate::push_certificate::{PUSH_MARKER_OID, UID_OID, VENDOR_MARKER_OID};
use crate::raw::{RawCertificate, RawSigned};

/// Longest serial number `x509-cert` accepts (20 octets, plus a sign octet).
const MAX_SERIAL_LEN: usize = 21;

/// An extension, borrowed.
#[derive(der::Sequence)]
pub(crate) struct ExtensionRef<'a> {
    pub(crate) extn_id: ObjectIdentifier,
    #[asn1(optional = "true")]
    pub(crate) critical: Option<bool>,
    pub(crate) extn_value: &'a OctetStringRef,
}

/// An attribute of a name, borrowed.
#[derive(der::Sequence)]
pub(crate) struct AttributeRef<'a> {
    pub(crate) oid: ObjectIdentifier,
    pub(crate) value: AnyRef<'a>,
}

/// The parts of a certificate this crate reads.
pub(crate) struct CertificateView<'a> {
    pub(crate) raw: RawCertificate<'a>,
    pub(crate) serial: &'a [u8],
    pub(crate) validity: Validity<Rfc5280>,
    pub(crate) spki: SubjectPublicKeyInfoRef<'a>,
    /// The values of the subject's UID attributes, in encoding order.
    pub(crate) subject_uids: Uids<'a>,
    /// What the extensions say.
    pub(crate) marks: Marks,
}

/// The values of a name's UID attributes: almost always exactly one, kept
/// without allocating.
#[derive(Clone, Debug, Default)]
pub(crate) struct Uids<'a> {
    pub(crate) first: Option<AnyRef<'a>>,
    pub(crate) more: Vec<AnyRef<'a>>,
}

impl<'a> Uids<'a> {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &AnyRef<'a>> {
        self.first.iter().chain(self.more.iter())
    }
}

/// The extensions this crate acts on.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Marks {
    /// basicConstraints with cA TRUE.
    pub(crate) is_ca: bool,
    /// Apple's push marker 1.2.840.113635.100.6.3.2.
    pub(crate) push_marker: bool,
    /// Apple's MDM vendor marker 1.2.840.113635.100.4.12.
    pub(crate) vendor_marker: bool,
}

/// basicConstraints ([RFC 5280 §4.2.1.9](https://datatracker.ietf.org/doc/html/rfc5280#section-4.2.1.9)).
const BASIC_CONSTRAINTS_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");

fn non_canonical(tag: Tag) -> der::Error {
    ErrorKind::Noncanonical { tag }.into()
}

impl<'a> CertificateView<'a> {
    pub(crate) fn from_der(der: &'a [u8]) -> der::Result<Self> {
        let outer = RawSigned::from_der(der)?;
        let mut reader = SliceReader::new(outer.tbs)?;
        let view = reader.sequence(|r| {
            if let Some(v) = ContextSpecific::<Version>::decode_explicit(r, TagNumber(0))?
                && v.value == Version::V1
            {
                return Err(non_canonical(Tag::Integer));
            }
            let serial = IntRef::decode(r)?;
            if serial.as_bytes().len() > MAX_SERIAL_LEN {
                return Err(Tag::Integer.value_error().into());
            }
            AlgorithmIdentifierRef::decode(r)?;
            let issuer = r.tlv_bytes()?;
            for_each_attribute(issuer, |_| Ok(()))?;
            let validity_tlv = r.tlv_bytes()?;
            let validity = Validity::<Rfc5280>::from_der(validity_tlv)?;
            for t in [validity.not_before, validity.not_after] {
                if let Time::GeneralTime(g) = t
                    && g.to_date_time().year() <= 2049
                {
                    return Err(non_canonical(Tag::GeneralizedTime));
                }
            }
            let subject = r.tlv_bytes()?;
            let mut uids = Uids::default();
            for_each_attribute(subject, |atv| {
                if atv.oid == UID_OID {
                    match uids.first {
                        None => uids.first = Some(atv.value),
                        Some(_) => uids.more.push(atv.value),
                    }
                }
                Ok(())
            })?;
            let spki_tlv = r.tlv_bytes()?;
            let spki = SubjectPublicKeyInfoRef::from_der(spki_tlv)?;
            ContextSpecific::<BitStringRef<'_>>::decode_implicit(r, TagNumber(1))?;
            ContextSpecific::<BitStringRef<'_>>::decode_implicit(r, TagNumber(2))?;
            let mut marks = Marks::default();
            if let Some(exts) = ContextSpecific::<AnyRef<'_>>::decode_explicit(r, TagNumber(3))? {
                exts.value.tag().assert_eq(Tag::Sequence)?;
                let mut er = SliceReader::new(exts.value.value())?;
                while !er.is_finished() {
                    let ext = ExtensionRef::decode(&mut er)?;
                    if ext.critical == Some(false) {
                        return Err(non_canonical(Tag::Boolean));
                    }
                    match ext.extn_id {
                        BASIC_CONSTRAINTS_OID => {
                            marks.is_ca |=
                                BasicConstraints::from_der(ext.extn_value.as_bytes())?.ca;
                        }
                        PUSH_MARKER_OID => marks.push_marker = true,
                        VENDOR_MARKER_OID => marks.vendor_marker = true,
                        _ => {}
                    }
                }
            }
            Ok(Self {
                raw: RawCertificate {
                    tbs: outer.tbs,
                    issuer,
                    subject,
                    spki: spki_tlv,
                    signature_algorithm: outer.signature_algorithm,
                    signature: outer.signature,
                },
                serial: serial.as_bytes(),
                validity,
                spki,
                subject_uids: uids,
                marks,
            })
        })?;
        reader.finish()?;
        Ok(view)
    }
}

/// Calls `f` on every attribute of a `Name` TLV, in encoding order, checking
/// the encoding on the way.
pub(crate) fn for_each_attribute<'a>(
    tlv: &'a [u8],
    mut f: impl FnMut(AttributeRef<'a>) -> der::Result<()>,
) -> der::Result<()> {
    let mut reader = SliceReader::new(tlv)?;
    reader.sequence(|seq| {
        while !seq.is_finished() {
            let set = AnyRef::decode(seq)?;
            set.tag().assert_eq(Tag::Set)?;
            let mut sr = SliceReader::new(set.value())?;
            let mut count = 0usize;
            while !sr.is_finished() {
                f(AttributeRef::decode(&mut sr)?)?;
                count += 1;
            }
            if count > 1 {
                // A multi-valued RDN (rare): its order must be the one DER
                // gives, which is what re-encoding the sorted set produces.
                let sorted =
                    der::asn1::SetOfVec::<AttributeTypeAndValue>::from_der(&set.to_der()?)?;
                if sorted.to_der()? != set.to_der()? {
                    return Err(der::Error::from(ErrorKind::SetOrdering));
                }
            }
        }
        Ok::<(), der::Error>(())
    })?;
    reader.finish()
}
