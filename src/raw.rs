//! Borrowed views of the parts of a certificate that are signed or compared
//! byte for byte, located with the `der` reader.

use der::{Decode as _, Reader as _, SliceReader, Tag, asn1::BitStringRef};
use spki::AlgorithmIdentifierRef;

/// The byte ranges of an X.509 certificate ([RFC 5280 §4.1]) that this crate
/// hashes, verifies or compares.
///
/// ```text
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      ... }
/// ```
///
/// [RFC 5280 §4.1]: https://datatracker.ietf.org/doc/html/rfc5280#section-4.1
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawCertificate<'a> {
    /// The whole `tbsCertificate` TLV: the signed bytes.
    pub(crate) tbs: &'a [u8],
    /// The issuer `Name` TLV.
    pub(crate) issuer: &'a [u8],
    /// The subject `Name` TLV.
    pub(crate) subject: &'a [u8],
    /// The `subjectPublicKeyInfo` TLV.
    pub(crate) spki: &'a [u8],
    /// The outer `signatureAlgorithm`.
    pub(crate) signature_algorithm: AlgorithmIdentifierRef<'a>,
    /// The signature bits.
    pub(crate) signature: &'a [u8],
}

impl<'a> RawCertificate<'a> {
    pub(crate) fn from_der(der: &'a [u8]) -> der::Result<Self> {
        let mut reader = SliceReader::new(der)?;
        let (tbs, signature_algorithm, signature) = reader.sequence(|r| {
            let tbs = r.tlv_bytes()?;
            let alg = AlgorithmIdentifierRef::decode(r)?;
            let sig = BitStringRef::decode(r)?;
            Ok::<_, der::Error>((tbs, alg, sig))
        })?;
        reader.finish()?;
        let signature = signature.as_bytes().ok_or_else(|| {
            der::Error::from(der::ErrorKind::Noncanonical {
                tag: Tag::BitString,
            })
        })?;
        let mut tbs_reader = SliceReader::new(tbs)?;
        let (issuer, subject, spki) = tbs_reader.sequence(|r| {
            if Tag::peek(r)?
                == (Tag::ContextSpecific {
                    constructed: true,
                    number: der::TagNumber(0),
                })
            {
                r.tlv_bytes()?;
            }
            r.tlv_bytes()?; // serialNumber
            r.tlv_bytes()?; // signature
            let issuer = r.tlv_bytes()?;
            r.tlv_bytes()?; // validity
            let subject = r.tlv_bytes()?;
            let spki = r.tlv_bytes()?;
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok::<_, der::Error>((issuer, subject, spki))
        })?;
        Ok(Self {
            tbs,
            issuer,
            subject,
            spki,
            signature_algorithm,
            signature,
        })
    }
}
