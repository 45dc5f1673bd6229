//! A stand-in for Apple Push Certificates Portal, for the demo only: issues a
//! push certificate for a request with the demo AAI2 key, the way Apple does
//! (UID topic, client-auth, push marker, one year less one second).

use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode as _, Encode as _, Tag};
use mdm_push_cert::{PUSH_MARKER_OID, PrivateKey, PushCsr, UID_OID};
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use time::{Duration, OffsetDateTime};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::{Builder as _, CertificateBuilder, profile::BuilderProfile};
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

const CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const C: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.6");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");

/// The demo portal: the issuing CA's name and key.
pub(crate) struct Portal {
    issuer: Name,
    key: PrivateKey,
    serial: u32,
}

struct PushProfile {
    issuer: Name,
    subject: Name,
}

fn name(attrs: &[(ObjectIdentifier, Tag, &str)]) -> Result<Name, String> {
    let mut rdns = Vec::new();
    for (oid, tag, value) in attrs {
        let value = Any::new(*tag, value.as_bytes()).map_err(|e| e.to_string())?;
        let set = SetOfVec::try_from(vec![AttributeTypeAndValue { oid: *oid, value }])
            .map_err(|e| e.to_string())?;
        rdns.push(RelativeDistinguishedName::from(set));
    }
    let der = RdnSequence::from(rdns)
        .to_der()
        .map_err(|e| e.to_string())?;
    Name::from_der(&der).map_err(|e| e.to_string())
}

fn ext(
    oid: ObjectIdentifier,
    critical: bool,
    value_der: &[u8],
) -> x509_cert::builder::Result<Extension> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value_der)?,
    })
}

impl BuilderProfile for PushProfile {
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
        Ok(vec![
            // BasicConstraints: SEQUENCE {} (not a CA)
            ext(BASIC_CONSTRAINTS, false, &[0x30, 0x00])?,
            // KeyUsage: digitalSignature
            ext(KEY_USAGE, true, &[0x03, 0x02, 0x07, 0x80])?,
            // ExtKeyUsage: id-kp-clientAuth
            ext(
                EXT_KEY_USAGE,
                false,
                &[
                    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02,
                ],
            )?,
            // Apple's push marker, value NULL
            ext(PUSH_MARKER_OID, false, &[0x05, 0x00])?,
        ])
    }
}

impl Portal {
    pub(crate) fn new(issuer_pem: &[u8], key: PrivateKey) -> Result<Self, String> {
        let text = std::str::from_utf8(issuer_pem).map_err(|e| e.to_string())?;
        let (_, der) = der::pem::decode_vec(text.trim().as_bytes()).map_err(|e| e.to_string())?;
        let cert = x509_cert::Certificate::from_der(&der).map_err(|e| e.to_string())?;
        Ok(Self {
            issuer: cert.tbs_certificate().subject().clone(),
            key,
            serial: 1,
        })
    }

    /// Issues a push certificate for `csr` with `topic`, valid from `from` for
    /// one year less one second.
    pub(crate) fn issue(
        &mut self,
        csr: &PushCsr,
        topic: &str,
        from: OffsetDateTime,
    ) -> Result<Vec<u8>, String> {
        let to = from + Duration::days(365) - Duration::SECOND;
        self.issue_with_validity(csr, topic, from, to)
    }

    /// Issues a push certificate valid from `not_before` to `not_after`.
    pub(crate) fn issue_with_validity(
        &mut self,
        csr: &PushCsr,
        topic: &str,
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
    ) -> Result<Vec<u8>, String> {
        let uuid = topic.rsplit('.').next().unwrap_or(topic);
        let subject = name(&[
            (UID_OID, Tag::Utf8String, topic),
            (CN, Tag::Utf8String, &format!("APSP:{uuid}")),
            (C, Tag::PrintableString, "US"),
        ])?;
        let to_time = |t: OffsetDateTime| -> Result<Time, String> {
            let secs = u64::try_from(t.unix_timestamp()).map_err(|e| e.to_string())?;
            let dt = der::DateTime::from_unix_duration(std::time::Duration::from_secs(secs))
                .map_err(|e| e.to_string())?;
            Ok(Time::from(dt))
        };
        let validity = Validity::new(to_time(not_before)?, to_time(not_after)?);
        self.serial += 1;
        let spki =
            SubjectPublicKeyInfoOwned::from_der(csr.spki_der()).map_err(|e| e.to_string())?;
        let builder = CertificateBuilder::new(
            PushProfile {
                issuer: self.issuer.clone(),
                subject,
            },
            SerialNumber::from(self.serial),
            validity,
            spki,
        )
        .map_err(|e| e.to_string())?;
        let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(self.key.as_rsa().clone());
        let cert = builder
            .build_with_rng::<_, rsa::pkcs1v15::Signature, _>(&signer, &mut rand::rng())
            .map_err(|e| e.to_string())?;
        cert.to_der().map_err(|e| e.to_string())
    }
}
