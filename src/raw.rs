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

/// Any signed structure of the form `SEQUENCE { toBeSigned, AlgorithmIdentifier,
/// BIT STRING }`: a certificate or a PKCS#10 request ([RFC 2986 §4.2]).
///
/// [RFC 2986 §4.2]: https://datatracker.ietf.org/doc/html/rfc2986#section-4.2
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawSigned<'a> {
    /// The whole to-be-signed TLV.
    pub(crate) tbs: &'a [u8],
    /// The outer signature algorithm.
    pub(crate) signature_algorithm: AlgorithmIdentifierRef<'a>,
    /// The signature bits.
    pub(crate) signature: &'a [u8],
}

impl<'a> RawSigned<'a> {
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
        Ok(Self {
            tbs,
            signature_algorithm,
            signature,
        })
    }

    /// The third element of the to-be-signed SEQUENCE of a PKCS#10 request:
    /// `subjectPKInfo` after `version` and `subject`.
    pub(crate) fn request_spki(&self) -> der::Result<&'a [u8]> {
        let mut reader = SliceReader::new(self.tbs)?;
        reader.sequence(|r| {
            r.tlv_bytes()?; // version
            r.tlv_bytes()?; // subject
            let spki = r.tlv_bytes()?;
            let rest = r.remaining_len();
            r.read_slice(rest)?;
            Ok(spki)
        })
    }
}

impl<'a> RawCertificate<'a> {
    pub(crate) fn from_der(der: &'a [u8]) -> der::Result<Self> {
        let RawSigned {
            tbs,
            signature_algorithm,
            signature,
        } = RawSigned::from_der(der)?;
        let mut tbs_reader = SliceReader::new(tbs)?;
        let (issuer, subject, spki) = tbs_reader.sequence(|r| {
            skip_to_issuer(r)?;
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

/// Only the `validity` TLV of a certificate, skipping everything before it
/// and reading nothing after: for sweeping many stored certificates.
pub(crate) fn validity_tlv(der: &[u8]) -> der::Result<&[u8]> {
    let mut reader = SliceReader::new(der)?;
    let outer = der::Header::decode(&mut reader)?;
    outer.tag().assert_eq(Tag::Sequence)?;
    let tbs = der::Header::decode(&mut reader)?;
    tbs.tag().assert_eq(Tag::Sequence)?;
    skip_to_issuer(&mut reader)?;
    reader.tlv_bytes()?; // issuer
    reader.tlv_bytes()
}

/// Skips the optional `version`, the `serialNumber` and the `signature`
/// algorithm at the start of a TBSCertificate's contents.
fn skip_to_issuer(r: &mut SliceReader<'_>) -> der::Result<()> {
    let version = Tag::ContextSpecific {
        constructed: true,
        number: der::TagNumber(0),
    };
    if Tag::peek(r)? == version {
        r.tlv_bytes()?;
    }
    r.tlv_bytes()?; // serialNumber
    r.tlv_bytes()?; // signature
    Ok(())
}
