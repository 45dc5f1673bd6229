//! The one certificate reader: every certificate this crate reads (push
//! certificates, Apple's CAs, anchors, vendor certificates, chains) is walked
//! once here, strictly, and comes out as the byte ranges of its parts and the
//! facts its extensions state.
//!
//! Contract: what this reader accepts is DER that `x509-cert` decodes and
//! re-encodes byte for byte (the `push_certificate` fuzz target checks it),
//! with one deliberate exception: extension identifiers are compared as
//! bytes, so an unknown extension whose identifier `const-oid` cannot hold
//! (an arc of 2^32 or more, or over 39 octets) is read here although
//! `x509-cert` cannot decode it.
//!
//! Each line that refuses or tolerates something says so. The checks are
//! those Go's `crypto/x509` and OpenSSL make, and the ones RFC 5280 states
//! that they do not (DER-only lengths, named-bit encodings), since a
//! validator is judged by what it wrongly accepts.
//!
//! ```text
//! Certificate  ::=  SEQUENCE  {
//!      tbsCertificate       TBSCertificate,
//!      signatureAlgorithm   AlgorithmIdentifier,
//!      signatureValue       BIT STRING  }
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

use core::ops::Range;

use crate::asn1::{self, DerError, DerResult, Reader, Tlv, tag};
use crate::error::ParseError;
use crate::limits::{MAX_EXTENSIONS, MAX_SERIAL_LEN};
use crate::name;
use crate::oids;

/// One extension's place in the certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Extension {
    /// The identifier's contents octets.
    pub(crate) oid: Range<usize>,
    /// Whether it is marked critical.
    pub(crate) critical: bool,
    /// The contents of `extnValue`.
    pub(crate) value: Range<usize>,
}

/// basicConstraints ([RFC 5280 §4.2.1.9](https://datatracker.ietf.org/doc/html/rfc5280#section-4.2.1.9)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BasicConstraints {
    pub(crate) ca: bool,
    pub(crate) path_len: Option<u32>,
}

/// The key usage bits this crate acts on ([RFC 5280 §4.2.1.3]).
///
/// [RFC 5280 §4.2.1.3]: https://datatracker.ietf.org/doc/html/rfc5280#section-4.2.1.3
pub(crate) mod key_usage {
    /// digitalSignature, bit 0.
    pub(crate) const DIGITAL_SIGNATURE: u16 = 0x8000;
    /// keyCertSign, bit 5.
    pub(crate) const KEY_CERT_SIGN: u16 = 0x0400;
}

/// What extKeyUsage allows ([RFC 5280 §4.2.1.12]).
///
/// [RFC 5280 §4.2.1.12]: https://datatracker.ietf.org/doc/html/rfc5280#section-4.2.1.12
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ExtKeyUsage {
    pub(crate) client_auth: bool,
    pub(crate) any: bool,
}

impl ExtKeyUsage {
    /// Whether TLS client authentication is allowed.
    pub(crate) fn allows_client_auth(self) -> bool {
        self.client_auth || self.any
    }
}

/// The subject public key, as far as the reader looks into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// rsaEncryption with NULL parameters and a valid `RSAPublicKey`.
    Rsa {
        /// The modulus length in bits.
        bits: usize,
    },
    /// Any other algorithm: its identifier's contents octets.
    Other { algorithm: Range<usize> },
}

/// A certificate, read: the ranges of its parts in its DER and what its
/// extensions say. It borrows nothing, so owners keep it beside the DER.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Certificate {
    /// The whole `tbsCertificate` TLV: the signed bytes.
    pub(crate) tbs: Range<usize>,
    /// The `signatureAlgorithm` TLV (byte-equal to the TBS `signature`).
    pub(crate) signature_algorithm: Range<usize>,
    /// The signature algorithm identifier's contents octets.
    pub(crate) signature_oid: Range<usize>,
    /// The signature algorithm's parameters TLV, when present.
    pub(crate) signature_params: Option<Range<usize>>,
    /// The signature bits.
    pub(crate) signature: Range<usize>,
    /// The serial number INTEGER's contents.
    pub(crate) serial: Range<usize>,
    /// The issuer `Name` TLV.
    pub(crate) issuer: Range<usize>,
    /// The `validity` TLV.
    pub(crate) validity: Range<usize>,
    /// `notBefore`, seconds since the Unix epoch.
    pub(crate) not_before: i64,
    /// `notAfter`, seconds since the Unix epoch.
    pub(crate) not_after: i64,
    /// The subject `Name` TLV.
    pub(crate) subject: Range<usize>,
    /// The `subjectPublicKeyInfo` TLV.
    pub(crate) spki: Range<usize>,
    /// The subject public key's bits (the BIT STRING's octets).
    pub(crate) public_key_bits: Range<usize>,
    /// What the key is.
    pub(crate) public_key: PublicKey,
    /// Every extension, in encoding order.
    pub(crate) extensions: Vec<Extension>,
    /// The values of the subject's UID attributes, in encoding order.
    pub(crate) subject_uids: Vec<Range<usize>>,
    /// basicConstraints, when present.
    pub(crate) basic_constraints: Option<BasicConstraints>,
    /// keyUsage bits, when present.
    pub(crate) key_usage: Option<u16>,
    /// extKeyUsage, when present.
    pub(crate) ext_key_usage: Option<ExtKeyUsage>,
    /// subjectKeyIdentifier's octets, when present.
    pub(crate) subject_key_id: Option<Range<usize>>,
    /// authorityKeyIdentifier's keyIdentifier octets, when present.
    pub(crate) authority_key_id: Option<Range<usize>>,
    /// Apple's push marker 1.2.840.113635.100.6.3.2 is present.
    pub(crate) push_marker: bool,
    /// Apple's MDM vendor marker 1.2.840.113635.100.4.12 is present.
    pub(crate) vendor_marker: bool,
}

/// The bytes of `range` in `der`; empty when out of bounds (never, for ranges
/// this reader made from the same `der`).
pub(crate) fn part<'a>(der: &'a [u8], range: &Range<usize>) -> &'a [u8] {
    der.get(range.clone()).unwrap_or_default()
}

impl Certificate {
    /// Whether basicConstraints says cA TRUE.
    pub(crate) fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|b| b.ca)
    }

    /// Reads a DER certificate: exactly one, nothing after it.
    ///
    /// # Errors
    /// [`ParseError`] names the first thing that is not DER, not X.509 v3, or
    /// not acceptable in an extension or a name.
    pub(crate) fn read(der: &[u8]) -> Result<Self, ParseError> {
        read(der)
    }
}

fn malformed(e: DerError) -> ParseError {
    ParseError::malformed(&e)
}

/// The outer layer of any signed structure, `SEQUENCE { toBeSigned,
/// AlgorithmIdentifier, BIT STRING }`: a certificate, or a PKCS#10 request
/// ([RFC 2986 §4.2](https://datatracker.ietf.org/doc/html/rfc2986#section-4.2)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Signed {
    /// The whole to-be-signed TLV.
    pub(crate) tbs: Range<usize>,
    /// The AlgorithmIdentifier TLV.
    pub(crate) algorithm: Range<usize>,
    /// The algorithm identifier's contents octets.
    pub(crate) algorithm_oid: Range<usize>,
    /// The algorithm's parameters TLV, when present.
    pub(crate) algorithm_params: Option<Range<usize>>,
    /// The signature bits.
    pub(crate) signature: Range<usize>,
}

/// Reads the outer layer of a signed structure that fills `der`.
pub(crate) fn signed(der: &[u8]) -> DerResult<(Signed, Tlv<'_>)> {
    let outer = asn1::single(der, "data follows the signed structure")?
        .expect(tag::SEQUENCE, "a signed structure is not a SEQUENCE")?;
    let mut top = outer.reader();
    let tbs = top.read_tag(tag::SEQUENCE, "the signed part is not a SEQUENCE")?;
    let alg = top.read_tag(tag::SEQUENCE, "the signature algorithm is not a SEQUENCE")?;
    let signature = top.read()?;
    asn1::bit_string_octets(&signature)?;
    top.finish("data follows the signature")?;
    let (algorithm_oid, algorithm_params) = algorithm(&alg)?;
    Ok((
        Signed {
            tbs: tbs.range(),
            algorithm: alg.range(),
            algorithm_oid,
            algorithm_params,
            signature: signature.value_start + 1..signature.value_start + signature.value.len(),
        },
        tbs,
    ))
}

fn read(der: &[u8]) -> Result<Certificate, ParseError> {
    let (outer, tbs) = signed(der).map_err(malformed)?;
    let mut r = tbs.reader();
    // version [0] EXPLICIT: only v3 (value 2) is read. v1 and v2 carry no
    // extensions, so nothing could mark a CA or a push certificate; an
    // explicit v1 would also be a DEFAULT written out, which DER forbids.
    let version = r
        .read_optional(tag::explicit(0))
        .map_err(malformed)?
        .ok_or(ParseError::NotVersion3)?;
    let v = version
        .inner("data follows the version")
        .and_then(|t| t.expect(tag::INTEGER, "the version is not an INTEGER"))
        .map_err(malformed)?;
    asn1::integer(&v).map_err(malformed)?;
    if v.value != [2] {
        return Err(ParseError::NotVersion3);
    }
    // serialNumber: a positive INTEGER of at most 20 octets (RFC 5280 §4.1.2.2).
    let serial = r
        .read_tag(tag::INTEGER, "the serial number is not an INTEGER")
        .map_err(malformed)?;
    asn1::integer(&serial).map_err(malformed)?;
    if asn1::is_negative(serial.value) || serial.value.iter().all(|b| *b == 0) {
        return Err(ParseError::malformed_text(
            "the serial number is not positive",
        ));
    }
    if serial.value.len() > MAX_SERIAL_LEN {
        return Err(ParseError::malformed_text(
            "the serial number is longer than 20 octets",
        ));
    }
    // signature: must be the same AlgorithmIdentifier as the outer one, byte
    // for byte (RFC 5280 §4.1.1.2), or the signed algorithm is not the one used.
    let inner_alg = r
        .read_tag(
            tag::SEQUENCE,
            "the TBS signature algorithm is not a SEQUENCE",
        )
        .map_err(malformed)?;
    if inner_alg.bytes != part(der, &outer.algorithm) {
        return Err(ParseError::SignatureAlgorithmMismatch);
    }
    let issuer = r
        .read_tag(tag::SEQUENCE, "the issuer is not a SEQUENCE")
        .map_err(malformed)?;
    // The issuer must name someone (RFC 5280 §4.1.2.4).
    if issuer.value.is_empty() {
        return Err(ParseError::malformed_text("the issuer name is empty"));
    }
    name::walk(&issuer, |_, _| Ok(())).map_err(|e| name_error("issuer", e))?;
    let validity = r
        .read_tag(tag::SEQUENCE, "the validity is not a SEQUENCE")
        .map_err(malformed)?;
    let (not_before, not_after) = {
        let mut vr = validity.reader();
        let nb = vr.read().and_then(|t| asn1::time(&t)).map_err(malformed)?;
        let na = vr.read().and_then(|t| asn1::time(&t)).map_err(malformed)?;
        vr.finish("the validity holds more than two times")
            .map_err(malformed)?;
        (nb, na)
    };
    let subject = r
        .read_tag(tag::SEQUENCE, "the subject is not a SEQUENCE")
        .map_err(malformed)?;
    let mut subject_uids = Vec::new();
    name::walk(&subject, |_, atv| {
        if atv.oid == oids::UID {
            subject_uids.push(atv.value.range());
        }
        Ok(())
    })
    .map_err(|e| name_error("subject", e))?;
    let spki = r
        .read_tag(tag::SEQUENCE, "the public key info is not a SEQUENCE")
        .map_err(malformed)?;
    let (public_key, public_key_bits) = public_key_info(&spki)?;
    // issuerUniqueID and subjectUniqueID: tolerated, as RFC 5280 §4.1.2.8
    // allows them in v3, as BIT STRINGs.
    for n in [1, 2] {
        if let Some(uid) = r.read_optional(tag::implicit(n)).map_err(malformed)?
            && uid.value.first().is_none_or(|u| *u > 7)
        {
            return Err(ParseError::malformed_text(
                "a unique identifier is not a BIT STRING",
            ));
        }
    }
    let mut cert = Certificate {
        tbs: outer.tbs,
        signature_algorithm: outer.algorithm,
        signature_oid: outer.algorithm_oid,
        signature_params: outer.algorithm_params,
        signature: outer.signature,
        serial: serial.value_range(),
        issuer: issuer.range(),
        validity: validity.range(),
        not_before,
        not_after,
        subject: subject.range(),
        spki: spki.range(),
        public_key_bits,
        public_key,
        extensions: Vec::new(),
        subject_uids,
        basic_constraints: None,
        key_usage: None,
        ext_key_usage: None,
        subject_key_id: None,
        authority_key_id: None,
        push_marker: false,
        vendor_marker: false,
    };
    if let Some(exts) = r.read_optional(tag::explicit(3)).map_err(malformed)? {
        let seq = exts
            .inner("data follows the extensions")
            .and_then(|t| t.expect(tag::SEQUENCE, "the extensions are not a SEQUENCE"))
            .map_err(malformed)?;
        // Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension.
        if seq.value.is_empty() {
            return Err(ParseError::malformed_text(
                "the extensions field is present but empty",
            ));
        }
        let mut er = seq.reader();
        while !er.is_empty() {
            let ext = er
                .read_tag(tag::SEQUENCE, "an extension is not a SEQUENCE")
                .map_err(malformed)?;
            extension(der, &ext, &mut cert)?;
        }
    }
    r.finish("data follows the extensions").map_err(malformed)?;
    Ok(cert)
}

fn name_error(which: &'static str, e: DerError) -> ParseError {
    ParseError::InvalidName {
        which,
        detail: e.0.to_owned(),
    }
}

/// An AlgorithmIdentifier: its identifier's range and its parameters' range.
/// Parameters, when present, are one value.
fn algorithm(alg: &Tlv<'_>) -> DerResult<(Range<usize>, Option<Range<usize>>)> {
    let mut r = alg.reader();
    let oid_tlv = r.read()?;
    asn1::oid(&oid_tlv)?;
    let params = if r.is_empty() {
        None
    } else {
        Some(r.read()?.range())
    };
    r.finish("an algorithm identifier holds more than an OID and parameters")?;
    Ok((oid_tlv.value_range(), params))
}

/// SubjectPublicKeyInfo: RSA keys are read through to the modulus.
fn public_key_info(spki: &Tlv<'_>) -> Result<(PublicKey, Range<usize>), ParseError> {
    let mut r = spki.reader();
    let alg = r
        .read_tag(tag::SEQUENCE, "the public key algorithm is not a SEQUENCE")
        .map_err(malformed)?;
    let key = r.read().map_err(malformed)?;
    let bits = asn1::bit_string_octets(&key).map_err(malformed)?;
    r.finish("data follows the public key").map_err(malformed)?;
    let mut ar = alg.reader();
    let oid_tlv = ar.read().map_err(malformed)?;
    let oid = asn1::oid(&oid_tlv).map_err(malformed)?;
    let bits_range = key.value_start + 1..key.value_start + key.value.len();
    if oid != oids::RSA_ENCRYPTION {
        return Ok((
            PublicKey::Other {
                algorithm: oid_tlv.value_range(),
            },
            bits_range,
        ));
    }
    // rsaEncryption parameters are NULL (RFC 3279 §2.3.1); Go refuses them absent.
    ar.read()
        .and_then(|t| asn1::null(&t))
        .and_then(|()| ar.finish("RSA key parameters are not NULL"))
        .map_err(|_| ParseError::malformed_text("the RSA key parameters are not NULL"))?;
    Ok((
        PublicKey::Rsa {
            bits: rsa_modulus_bits(bits).map_err(malformed)?,
        },
        bits_range,
    ))
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`
/// ([RFC 8017 A.1.1]): a positive odd modulus, an odd exponent from 3 up.
///
/// [RFC 8017 A.1.1]: https://datatracker.ietf.org/doc/html/rfc8017#appendix-A.1.1
fn rsa_modulus_bits(bits: &[u8]) -> DerResult<usize> {
    let seq = asn1::single(bits, "data follows the RSA public key")?
        .expect(tag::SEQUENCE, "the RSA public key is not a SEQUENCE")?;
    let mut r = seq.reader();
    let n = r.read_tag(tag::INTEGER, "the RSA modulus is not an INTEGER")?;
    let e = r.read_tag(tag::INTEGER, "the RSA exponent is not an INTEGER")?;
    r.finish("data follows the RSA exponent")?;
    asn1::integer(&n)?;
    asn1::integer(&e)?;
    if asn1::is_negative(n.value) || asn1::is_negative(e.value) {
        return Err(DerError("an RSA key number is negative"));
    }
    let modulus = match n.value {
        [0, rest @ ..] => rest,
        all => all,
    };
    let exponent = match e.value {
        [0, rest @ ..] => rest,
        all => all,
    };
    if modulus.last().is_none_or(|b| b & 1 == 0) {
        return Err(DerError("the RSA modulus is even"));
    }
    let e_small = exponent.len() == 1 && exponent.first().is_some_and(|b| *b < 3);
    if exponent.last().is_none_or(|b| b & 1 == 0) || e_small || exponent.len() > modulus.len() {
        return Err(DerError("the RSA exponent is not an odd number from 3 up"));
    }
    let leading = modulus.first().copied().unwrap_or(0);
    Ok(modulus
        .len()
        .saturating_mul(8)
        .saturating_sub(leading.leading_zeros() as usize))
}

/// Reads one extension into `cert`: refuses duplicates, an explicit
/// `critical FALSE`, a malformed value of any extension this crate knows, and
/// any critical extension it does not know (RFC 5280 §4.2).
fn extension(der: &[u8], ext: &Tlv<'_>, cert: &mut Certificate) -> Result<(), ParseError> {
    let mut r = ext.reader();
    let oid_tlv = r.read().map_err(malformed)?;
    let oid = asn1::oid(&oid_tlv).map_err(malformed)?;
    let critical = match r.read_optional(tag::BOOLEAN).map_err(malformed)? {
        Some(b) => {
            // DEFAULT FALSE written out is not DER (X.690 §11.5).
            if !asn1::boolean(&b).map_err(malformed)? {
                return Err(ParseError::malformed_text(
                    "an extension says critical FALSE explicitly (not DER)",
                ));
            }
            true
        }
        None => false,
    };
    let value = r
        .read_tag(
            tag::OCTET_STRING,
            "an extension value is not an OCTET STRING",
        )
        .map_err(malformed)?;
    r.finish("an extension holds more than an OID, a flag and a value")
        .map_err(malformed)?;
    if cert.extensions.len() >= MAX_EXTENSIONS {
        return Err(ParseError::malformed_text(
            "the certificate has too many extensions",
        ));
    }
    // Each extension at most once (RFC 5280 §4.2).
    if cert.extensions.iter().any(|e| part(der, &e.oid) == oid) {
        return Err(ParseError::DuplicateExtension {
            oid: oids::dotted(oid),
        });
    }
    cert.extensions.push(Extension {
        oid: oid_tlv.value_range(),
        critical,
        value: value.value_range(),
    });
    let v = value.value;
    let bad = |name: &'static str| {
        move |e: DerError| ParseError::InvalidExtension {
            name,
            detail: e.0.to_owned(),
        }
    };
    match oid {
        oids::BASIC_CONSTRAINTS => {
            cert.basic_constraints = Some(basic_constraints(v).map_err(bad("basicConstraints"))?);
        }
        oids::KEY_USAGE => {
            let bits = asn1::single(v, "data follows the key usage")
                .and_then(|t| t.expect(tag::BIT_STRING, "the key usage is not a BIT STRING"))
                .and_then(|t| asn1::named_bits(&t))
                .map_err(bad("keyUsage"))?;
            // At least one bit is set (RFC 5280 §4.2.1.3).
            if bits == 0 {
                return Err(bad("keyUsage")(DerError("no key usage bit is set")));
            }
            cert.key_usage = Some(bits);
        }
        oids::EXT_KEY_USAGE => {
            cert.ext_key_usage = Some(ext_key_usage(v).map_err(bad("extKeyUsage"))?);
        }
        oids::SUBJECT_KEY_ID => {
            let id = value
                .inner("data follows the key identifier")
                .and_then(|t| {
                    t.expect(
                        tag::OCTET_STRING,
                        "the key identifier is not an OCTET STRING",
                    )
                })
                .map_err(bad("subjectKeyIdentifier"))?;
            cert.subject_key_id = Some(id.value_range());
        }
        oids::AUTHORITY_KEY_ID => {
            cert.authority_key_id =
                authority_key_id(&value).map_err(bad("authorityKeyIdentifier"))?;
        }
        oids::SUBJECT_ALT_NAME => {
            let seq = asn1::single(v, "data follows the names")
                .and_then(|t| t.expect(tag::SEQUENCE, "the names are not a SEQUENCE"))
                .map_err(bad("subjectAltName"))?;
            general_names(&seq).map_err(bad("subjectAltName"))?;
        }
        oids::CERTIFICATE_POLICIES => {
            certificate_policies(v).map_err(bad("certificatePolicies"))?
        }
        oids::CRL_DISTRIBUTION_POINTS => {
            crl_distribution_points(v).map_err(bad("cRLDistributionPoints"))?;
        }
        oids::AUTHORITY_INFO_ACCESS => {
            authority_info_access(v).map_err(bad("authorityInfoAccess"))?;
        }
        // Apple's two markers are NULL.
        oids::PUSH_MARKER => {
            null_value(v).map_err(bad("MDM push marker"))?;
            cert.push_marker = true;
        }
        oids::VENDOR_MARKER => {
            null_value(v).map_err(bad("MDM vendor marker"))?;
            cert.vendor_marker = true;
        }
        // An extension this crate does not know: fine unless critical, which
        // says "refuse me if you cannot process me" (RFC 5280 §4.2).
        _ if critical => {
            return Err(ParseError::UnknownCriticalExtension {
                oid: oids::dotted(oid),
            });
        }
        _ => {}
    }
    // The markers mean nothing to others, so they are never critical in
    // Apple's certificates; a critical one is refused as other readers would.
    if critical && (oid == oids::PUSH_MARKER || oid == oids::VENDOR_MARKER) {
        return Err(ParseError::UnknownCriticalExtension {
            oid: oids::dotted(oid),
        });
    }
    Ok(())
}

fn null_value(v: &[u8]) -> DerResult<()> {
    asn1::null(&asn1::single(v, "data follows the NULL")?)
}

/// `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
/// pathLenConstraint INTEGER (0..MAX) OPTIONAL }`.
fn basic_constraints(v: &[u8]) -> DerResult<BasicConstraints> {
    let seq = asn1::single(v, "data follows the basic constraints")?
        .expect(tag::SEQUENCE, "the basic constraints are not a SEQUENCE")?;
    let mut r = seq.reader();
    let ca = match r.read_optional(tag::BOOLEAN)? {
        // DEFAULT FALSE written out is not DER.
        Some(b) if !asn1::boolean(&b)? => {
            return Err(DerError("cA FALSE is written out (not DER)"));
        }
        Some(_) => true,
        None => false,
    };
    let path_len = match r.read_optional(tag::INTEGER)? {
        Some(n) => Some(asn1::small_unsigned(&n)?),
        None => None,
    };
    r.finish("data follows the path length")?;
    Ok(BasicConstraints { ca, path_len })
}

/// `ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId`.
fn ext_key_usage(v: &[u8]) -> DerResult<ExtKeyUsage> {
    let seq = asn1::single(v, "data follows the key purposes")?
        .expect(tag::SEQUENCE, "the key purposes are not a SEQUENCE")?;
    let mut r = seq.reader();
    if r.is_empty() {
        return Err(DerError("no key purpose is listed"));
    }
    let mut eku = ExtKeyUsage::default();
    while !r.is_empty() {
        match asn1::oid(&r.read()?)? {
            oids::CLIENT_AUTH => eku.client_auth = true,
            oids::ANY_EXTENDED_KEY_USAGE => eku.any = true,
            _ => {}
        }
    }
    Ok(eku)
}

/// `AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] OPTIONAL,
/// authorityCertIssuer [1] GeneralNames OPTIONAL,
/// authorityCertSerialNumber [2] INTEGER OPTIONAL }`, the last two together.
fn authority_key_id(value: &Tlv<'_>) -> DerResult<Option<Range<usize>>> {
    let seq = value
        .inner("data follows the authority key identifier")?
        .expect(
            tag::SEQUENCE,
            "the authority key identifier is not a SEQUENCE",
        )?;
    let mut r = seq.reader();
    let key_id = r.read_optional(tag::implicit(0))?.map(|t| t.value_range());
    let issuer = r.read_optional(tag::explicit(1))?;
    if let Some(names) = &issuer {
        general_names(names)?;
    }
    let serial = r.read_optional(tag::implicit(2))?;
    if let Some(s) = &serial {
        asn1::integer(s)?;
    }
    if issuer.is_some() != serial.is_some() {
        return Err(DerError(
            "an issuer is given without a serial number, or the reverse",
        ));
    }
    r.finish("the authority key identifier holds an unexpected field")?;
    Ok(key_id)
}

/// `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`, the contents
/// of `names` (a SEQUENCE or an implicitly tagged one).
fn general_names(names: &Tlv<'_>) -> DerResult<()> {
    let mut r = names.reader();
    if r.is_empty() {
        return Err(DerError("a list of names is empty"));
    }
    while !r.is_empty() {
        general_name(&r.read()?)?;
    }
    Ok(())
}

/// One `GeneralName` (RFC 5280 §4.2.1.6).
fn general_name(n: &Tlv<'_>) -> DerResult<()> {
    match n.tag {
        // otherName: a type and an [0] EXPLICIT value.
        0xA0 => {
            let mut r = n.reader();
            asn1::oid(&r.read()?)?;
            r.read_tag(tag::explicit(0), "an otherName value is not tagged [0]")?;
            r.finish("an otherName holds more than a type and a value")
        }
        // rfc822Name, dNSName, uniformResourceIdentifier: IA5String.
        0x81 | 0x82 | 0x86 => {
            if n.value.is_ascii() {
                Ok(())
            } else {
                Err(DerError("a name that must be ASCII is not"))
            }
        }
        // x400Address, ediPartyName: read as opaque.
        0xA3 | 0xA5 => Ok(()),
        // directoryName: [4] EXPLICIT Name.
        0xA4 => {
            let name = asn1::single(n.value, "data follows a directory name")?;
            name::walk(&name, |_, _| Ok(()))
        }
        // iPAddress: four or sixteen octets.
        0x87 => match n.value.len() {
            4 | 16 => Ok(()),
            _ => Err(DerError("an IP address is not 4 or 16 octets")),
        },
        // registeredID.
        0x88 => {
            let as_oid = Tlv {
                tag: tag::OID,
                ..*n
            };
            asn1::oid(&as_oid).map(|_| ())
        }
        _ => Err(DerError("a name is of an unknown kind")),
    }
}

/// `certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation`,
/// `PolicyInformation ::= SEQUENCE { policyIdentifier, policyQualifiers
/// SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }`.
fn certificate_policies(v: &[u8]) -> DerResult<()> {
    let seq = asn1::single(v, "data follows the policies")?
        .expect(tag::SEQUENCE, "the policies are not a SEQUENCE")?;
    let mut r = seq.reader();
    if r.is_empty() {
        return Err(DerError("no policy is listed"));
    }
    while !r.is_empty() {
        let info = r.read_tag(tag::SEQUENCE, "a policy is not a SEQUENCE")?;
        let mut ir = info.reader();
        asn1::oid(&ir.read()?)?;
        if let Some(qualifiers) = ir.read_optional(tag::SEQUENCE)? {
            let mut qr = qualifiers.reader();
            if qr.is_empty() {
                return Err(DerError("a policy's qualifier list is empty"));
            }
            while !qr.is_empty() {
                let q = qr.read_tag(tag::SEQUENCE, "a policy qualifier is not a SEQUENCE")?;
                let mut q = q.reader();
                asn1::oid(&q.read()?)?;
                q.read()?;
                q.finish("a policy qualifier holds more than a type and a value")?;
            }
        }
        ir.finish("a policy holds more than an OID and qualifiers")?;
    }
    Ok(())
}

/// `CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint`,
/// `DistributionPoint ::= SEQUENCE { distributionPoint [0] OPTIONAL,
/// reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }`.
fn crl_distribution_points(v: &[u8]) -> DerResult<()> {
    let seq = asn1::single(v, "data follows the distribution points")?
        .expect(tag::SEQUENCE, "the distribution points are not a SEQUENCE")?;
    let mut r = seq.reader();
    if r.is_empty() {
        return Err(DerError("no distribution point is listed"));
    }
    while !r.is_empty() {
        let point = r.read_tag(tag::SEQUENCE, "a distribution point is not a SEQUENCE")?;
        let mut pr = point.reader();
        let name = pr.read_optional(tag::explicit(0))?;
        if let Some(name) = &name {
            let choice = asn1::single(name.value, "data follows a distribution point name")?;
            match choice.tag {
                // fullName [0] GeneralNames.
                0xA0 => general_names(&choice)?,
                // nameRelativeToCRLIssuer [1] RelativeDistinguishedName.
                // nameRelativeToCRLIssuer [1] RelativeDistinguishedName.
                0xA1 => name::walk_rdn(&choice, |_| Ok(()))?,
                _ => return Err(DerError("a distribution point name is of an unknown kind")),
            }
        }
        let reasons = pr.read_optional(tag::implicit(1))?;
        if let Some(reasons) = &reasons {
            asn1::named_bits(&Tlv {
                tag: tag::BIT_STRING,
                ..*reasons
            })?;
        }
        let issuer = pr.read_optional(tag::explicit(2))?;
        if let Some(issuer) = &issuer {
            general_names(issuer)?;
        }
        pr.finish("a distribution point holds an unexpected field")?;
        // At least one of the point's name and the CRL issuer (RFC 5280 §4.2.1.13).
        if name.is_none() && issuer.is_none() {
            return Err(DerError(
                "a distribution point has neither a name nor an issuer",
            ));
        }
    }
    Ok(())
}

/// `AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription`,
/// `AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER,
/// accessLocation GeneralName }`.
fn authority_info_access(v: &[u8]) -> DerResult<()> {
    let seq = asn1::single(v, "data follows the access descriptions")?
        .expect(tag::SEQUENCE, "the access descriptions are not a SEQUENCE")?;
    let mut r = seq.reader();
    if r.is_empty() {
        return Err(DerError("no access description is listed"));
    }
    while !r.is_empty() {
        let desc = r.read_tag(tag::SEQUENCE, "an access description is not a SEQUENCE")?;
        let mut dr = desc.reader();
        asn1::oid(&dr.read()?)?;
        general_name(&dr.read()?)?;
        dr.finish("an access description holds more than a method and a location")?;
    }
    Ok(())
}

/// The validity bounds of a stored DER certificate, reading nothing else:
/// for sweeping many stored certificates.
pub(crate) fn validity_of_der(
    der: &[u8],
) -> Result<(time::OffsetDateTime, time::OffsetDateTime), ParseError> {
    crate::input::check_size(der)?;
    let der = crate::input::check_der_extent(der, crate::input::InputItem::Certificate)?;
    let (nb, na) = validity_only(der)?;
    let convert = |t| asn1::to_datetime(t).map_err(malformed);
    Ok((convert(nb)?, convert(na)?))
}

/// Reads only the `validity` of a DER certificate, checking nothing else.
fn validity_only(der: &[u8]) -> Result<(i64, i64), ParseError> {
    let walk = || -> DerResult<(i64, i64)> {
        let outer = asn1::single(der, "data follows the certificate")?
            .expect(tag::SEQUENCE, "a certificate is not a SEQUENCE")?;
        let tbs = outer
            .reader()
            .read_tag(tag::SEQUENCE, "the TBSCertificate is not a SEQUENCE")?;
        let mut r: Reader<'_> = tbs.reader();
        r.read_optional(tag::explicit(0))?;
        r.read_tag(tag::INTEGER, "the serial number is not an INTEGER")?;
        r.read_tag(tag::SEQUENCE, "the signature algorithm is not a SEQUENCE")?;
        r.read_tag(tag::SEQUENCE, "the issuer is not a SEQUENCE")?;
        let validity = r.read_tag(tag::SEQUENCE, "the validity is not a SEQUENCE")?;
        let mut vr = validity.reader();
        let nb = asn1::time(&vr.read()?)?;
        let na = asn1::time(&vr.read()?)?;
        vr.finish("the validity holds more than two times")?;
        Ok((nb, na))
    };
    walk().map_err(malformed)
}

#[cfg(test)]
mod tests {
    //! Every range the reader records, against x509-cert's decoding of the
    //! same certificates.

    use der::{Decode as _, Encode as _};

    use super::*;

    fn der_of(pem: &[u8]) -> Vec<u8> {
        crate::input::der_items(pem, b"CERTIFICATE")
            .expect("pem")
            .remove(0)
    }

    #[test]
    fn ranges_match_x509_cert() {
        let certs = [
            der_of(include_bytes!("../tests/fixtures/pki/push_b.pem")),
            der_of(include_bytes!("../tests/fixtures/pki/aai2.pem")),
            der_of(include_bytes!("../tests/fixtures/pki/vendor.pem")),
            crate::trust_anchors::APPLE_AAI2_CA.to_vec(),
            crate::trust_anchors::APPLE_WWDR_CA_G3.to_vec(),
            crate::trust_anchors::APPLE_ROOT_CA.to_vec(),
        ];
        for der in &certs {
            let c = Certificate::read(der).expect("reads");
            let x = x509_cert::Certificate::from_der(der).expect("decodes");
            let tbs = x.tbs_certificate();
            assert_eq!(part(der, &c.tbs), tbs.to_der().expect("tbs"));
            assert_eq!(part(der, &c.issuer), tbs.issuer().to_der().expect("issuer"));
            assert_eq!(
                part(der, &c.subject),
                tbs.subject().to_der().expect("subject")
            );
            assert_eq!(
                part(der, &c.validity),
                tbs.validity().to_der().expect("validity")
            );
            assert_eq!(
                part(der, &c.spki),
                tbs.subject_public_key_info().to_der().expect("spki")
            );
            assert_eq!(part(der, &c.serial), tbs.serial_number().as_bytes());
            assert_eq!(
                part(der, &c.signature_algorithm),
                x.signature_algorithm().to_der().expect("alg")
            );
            assert_eq!(Some(part(der, &c.signature)), x.signature().as_bytes());
            let exts = tbs.extensions().expect("v3 extensions");
            assert_eq!(c.extensions.len(), exts.len());
            for (mine, theirs) in c.extensions.iter().zip(exts) {
                assert_eq!(part(der, &mine.oid), theirs.extn_id.as_bytes());
                assert_eq!(part(der, &mine.value), theirs.extn_value.as_bytes());
                assert_eq!(mine.critical, theirs.critical);
            }
            let ski = tbs
                .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
                .expect("decodes")
                .map(|(_, s)| s.0.as_bytes().to_vec());
            assert_eq!(c.subject_key_id.map(|r| part(der, &r).to_vec()), ski);
            let aki = tbs
                .get_extension::<x509_cert::ext::pkix::AuthorityKeyIdentifier>()
                .expect("decodes")
                .and_then(|(_, a)| a.key_identifier)
                .map(|k| k.as_bytes().to_vec());
            assert_eq!(c.authority_key_id.map(|r| part(der, &r).to_vec()), aki);
        }
    }
}
