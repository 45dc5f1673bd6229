//! The ASN.1 structures of a PKCS#12 file ([RFC 7292]) and the three of CMS
//! ([RFC 5652]) it is built from, as `der` derives them: what [`super`]
//! reads and writes.
//!
//! The file, its parts and its bags are borrowed from the buffer they were
//! decoded from (or are written from), so neither a key bag in a decrypted
//! safe nor an unencrypted one is copied out of the buffer that holds it:
//! the decrypted safe is zeroized, the file is the caller's.
//!
//! [RFC 7292]: https://datatracker.ietf.org/doc/html/rfc7292
//! [RFC 5652]: https://datatracker.ietf.org/doc/html/rfc5652

use der::asn1::{AnyRef, ObjectIdentifier, OctetString};
use der::{Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attributes;

/// The PFX version: 3, the only one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[asn1(type = "INTEGER")]
#[repr(u8)]
pub(crate) enum Version {
    /// v3.
    V3 = 3,
}

/// A PKCS#12 file ([RFC 7292 Section 4]).
///
/// ```text
/// PFX ::= SEQUENCE {
///     version     INTEGER {v3(3)}(v3,...),
///     authSafe    ContentInfo,
///     macData     MacData OPTIONAL
/// }
/// ```
///
/// [RFC 7292 Section 4]: https://datatracker.ietf.org/doc/html/rfc7292#section-4
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct Pfx<'a> {
    pub(crate) version: Version,
    pub(crate) auth_safe: ContentInfo<'a>,
    pub(crate) mac_data: Option<MacData>,
}

/// The MAC over the authenticated safe ([RFC 7292 Section 4]).
///
/// ```text
/// MacData ::= SEQUENCE {
///     mac         DigestInfo,
///     macSalt     OCTET STRING,
///     iterations  INTEGER DEFAULT 1
///     -- Note: The default is for historical reasons and its
///     --       use is deprecated.
/// }
/// ```
///
/// [RFC 7292 Section 4]: https://datatracker.ietf.org/doc/html/rfc7292#section-4
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct MacData {
    pub(crate) mac: DigestInfo,
    pub(crate) mac_salt: OctetString,
    #[asn1(default = "default_iterations")]
    pub(crate) iterations: i32,
}

fn default_iterations() -> i32 {
    1
}

/// A MAC value and its digest ([RFC 7292 Section 4], from PKCS #7).
///
/// ```text
/// DigestInfo ::= SEQUENCE {
///     digestAlgorithm DigestAlgorithmIdentifier,
///     digest          Digest
/// }
/// ```
///
/// [RFC 7292 Section 4]: https://datatracker.ietf.org/doc/html/rfc7292#section-4
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct DigestInfo {
    pub(crate) algorithm: AlgorithmIdentifierOwned,
    pub(crate) digest: OctetString,
}

/// The authenticated safe and each of its parts ([RFC 5652 Section 3]):
/// `data` or `encryptedData` in a PKCS#12 file.
///
/// ```text
/// ContentInfo ::= SEQUENCE {
///     contentType ContentType,
///     content     [0] EXPLICIT ANY DEFINED BY contentType
/// }
/// ```
///
/// [RFC 5652 Section 3]: https://datatracker.ietf.org/doc/html/rfc5652#section-3
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct ContentInfo<'a> {
    pub(crate) content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub(crate) content: AnyRef<'a>,
}

/// The CMS syntax version ([RFC 5652 Section 10.2.5]); an encrypted part
/// is written as v0.
///
/// ```text
/// CMSVersion ::= INTEGER { v0(0), v1(1), v2(2), v3(3), v4(4), v5(5) }
/// ```
///
/// [RFC 5652 Section 10.2.5]: https://datatracker.ietf.org/doc/html/rfc5652#section-10.2.5
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[asn1(type = "INTEGER")]
#[repr(u8)]
pub(crate) enum CmsVersion {
    V0 = 0,
    V1 = 1,
    V2 = 2,
    V3 = 3,
    V4 = 4,
    V5 = 5,
}

/// A password-encrypted part of the authenticated safe ([RFC 5652 Section 8]).
///
/// ```text
/// EncryptedData ::= SEQUENCE {
///     version              CMSVersion,
///     encryptedContentInfo EncryptedContentInfo,
///     unprotectedAttrs     [1] IMPLICIT UnprotectedAttributes OPTIONAL
/// }
/// ```
///
/// [RFC 5652 Section 8]: https://datatracker.ietf.org/doc/html/rfc5652#section-8
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct EncryptedData {
    pub(crate) version: CmsVersion,
    pub(crate) enc_content_info: EncryptedContentInfo,
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub(crate) unprotected_attrs: Option<Attributes>,
}

/// The ciphertext of an encrypted part and how it was encrypted
/// ([RFC 5652 Section 6.1]).
///
/// ```text
/// EncryptedContentInfo ::= SEQUENCE {
///     contentType                ContentType,
///     contentEncryptionAlgorithm ContentEncryptionAlgorithmIdentifier,
///     encryptedContent           [0] IMPLICIT EncryptedContent OPTIONAL
/// }
/// EncryptedContent ::= OCTET STRING
/// ```
///
/// [RFC 5652 Section 6.1]: https://datatracker.ietf.org/doc/html/rfc5652#section-6.1
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct EncryptedContentInfo {
    pub(crate) content_type: ObjectIdentifier,
    pub(crate) content_enc_alg: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub(crate) encrypted_content: Option<OctetString>,
}

/// One item of a safe ([RFC 7292 Section 4.2]): a certificate, a key, a
/// shrouded key, or a bag this crate skips. `SafeContents ::= SEQUENCE OF
/// SafeBag`.
///
/// ```text
/// SafeBag ::= SEQUENCE {
///     bagId          BAG-TYPE.&id ({PKCS12BagSet}),
///     bagValue       [0] EXPLICIT BAG-TYPE.&Type({PKCS12BagSet}{@bagId}),
///     bagAttributes  SET OF PKCS12Attribute OPTIONAL
/// }
/// ```
///
/// [RFC 7292 Section 4.2]: https://datatracker.ietf.org/doc/html/rfc7292#section-4.2
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct SafeBag<'a> {
    pub(crate) bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub(crate) bag_value: AnyRef<'a>,
    pub(crate) bag_attributes: Option<Attributes>,
}

/// A certificate bag's value ([RFC 7292 Section 4.2.3]); an X.509
/// certificate's value is its DER in an OCTET STRING.
///
/// ```text
/// CertBag ::= SEQUENCE {
///     certId      BAG-TYPE.&id   ({CertTypes}),
///     certValue   [0] EXPLICIT BAG-TYPE.&Type ({CertTypes}{@certId})
/// }
/// ```
///
/// [RFC 7292 Section 4.2.3]: https://datatracker.ietf.org/doc/html/rfc7292#section-4.2.3
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct CertBag {
    pub(crate) cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub(crate) cert_value: OctetString,
}

/// A shrouded key bag's value ([RFC 7292 Section 4.2.2], from
/// [RFC 5208 Section 6]): the key's PKCS#8 DER, encrypted. Its own type
/// rather than `pkcs8`'s, whose algorithm must be PBES1 or PBES2 while a
/// PKCS#12 file may use the PKCS#12 PBE schemes.
///
/// ```text
/// EncryptedPrivateKeyInfo ::= SEQUENCE {
///     encryptionAlgorithm  EncryptionAlgorithmIdentifier,
///     encryptedData        EncryptedData
/// }
/// EncryptedData ::= OCTET STRING
/// ```
///
/// [RFC 7292 Section 4.2.2]: https://datatracker.ietf.org/doc/html/rfc7292#section-4.2.2
/// [RFC 5208 Section 6]: https://datatracker.ietf.org/doc/html/rfc5208#section-6
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct EncryptedPrivateKeyInfo {
    pub(crate) encryption_algorithm: AlgorithmIdentifierOwned,
    pub(crate) encrypted_data: OctetString,
}

/// The parameters of the PKCS#12 PBE schemes ([RFC 7292 Appendix C]).
///
/// ```text
/// pkcs-12PbeParams ::= SEQUENCE {
///     salt        OCTET STRING,
///     iterations  INTEGER
/// }
/// ```
///
/// [RFC 7292 Appendix C]: https://datatracker.ietf.org/doc/html/rfc7292#appendix-C
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub(crate) struct Pkcs12PbeParams {
    pub(crate) salt: OctetString,
    pub(crate) iterations: i32,
}
