//! The message table of every error enum of the crate: each variant's text,
//! asserted in full. A `match` without a wildcard
//! makes a new variant add a row. Every text is one line, and a variant that
//! wraps another error returns it from `source()` and shows its text.

use time::OffsetDateTime;

use crate::csr::CsrError;
use crate::error::{ParseError, TrustError};
use crate::identity::IdentityError;
use crate::input::{InputError, InputItem};
use crate::keys::KeyError;
use crate::pkcs12::Pkcs12Error;
use crate::reminder::ReminderScheduleError;
use crate::signed_request::SignedRequestError;
use crate::topic::TopicError;
use crate::trust_anchors::AnchorError;
use crate::vendor_signer::VendorError;

/// Asserts one line, the expected text, and that `source()` is the wrapped
/// error (`Some`) or nothing.
fn assert_text(e: &dyn std::error::Error, text: &str, wrapped: Option<String>) {
    let shown = e.to_string();
    assert_eq!(shown, text, "{e:?}");
    assert!(!shown.contains('\n'), "{shown}");
    match wrapped {
        Some(inner) => {
            let source = e.source().expect("a wrapping variant has a source");
            assert_eq!(source.to_string(), inner);
            assert!(shown.ends_with(&inner), "{shown} does not show {inner}");
        }
        None => assert!(e.source().is_none(), "{e:?} has a source"),
    }
}

#[test]
fn csr_errors() {
    let inner = InputError::NotFound {
        expected: InputItem::CertificateRequest,
    };
    for e in [
        CsrError::Input(inner.clone()),
        CsrError::Malformed,
        CsrError::NotRsa {
            algorithm: "1.2".into(),
        },
        CsrError::BadSignature,
        CsrError::UnsupportedSignatureAlgorithm { oid: "1.3".into() },
        CsrError::InvalidSubject {
            field: "common name",
            reason: "r".into(),
        },
        CsrError::Key(KeyError::TooSmall { bits: 1024 }),
        CsrError::Build,
    ] {
        let (text, wrapped) = match &e {
            CsrError::Input(_) => (
                "the file holds no certificate signing request",
                Some(inner.to_string()),
            ),
            CsrError::Malformed => ("the certificate signing request is malformed", None),
            CsrError::NotRsa { .. } => {
                ("the request's public key is not RSA (algorithm 1.2)", None)
            }
            CsrError::BadSignature => (
                "the request's signature does not verify with its own public key",
                None,
            ),
            CsrError::UnsupportedSignatureAlgorithm { .. } => (
                "the request's signature algorithm 1.3 is not supported",
                None,
            ),
            CsrError::InvalidSubject { .. } => {
                ("the subject field common name is not acceptable: r", None)
            }
            CsrError::Key(k) => (
                "the RSA key has 1024 bits; at least 2048 are required",
                Some(k.to_string()),
            ),
            CsrError::Build => ("the request could not be built or signed", None),
        };
        assert_text(&e, text, wrapped);
    }
}

#[test]
fn key_errors() {
    for e in [
        KeyError::NoKey,
        KeyError::Encrypted,
        KeyError::WrongPassword,
        KeyError::UnsupportedEncryption { algorithm: "PBES1" },
        KeyError::TooMuchWork {
            what: "PBKDF2 iteration count",
            asked: 3,
            max: 2,
        },
        KeyError::Input(InputError::TooLarge { len: 3, max: 2 }),
        KeyError::SeveralKeys,
        KeyError::Malformed,
        KeyError::TooSmall { bits: 1024 },
        KeyError::Crypto,
    ] {
        let text = match &e {
            KeyError::NoKey => "the file holds no private key",
            KeyError::Encrypted => "the private key is encrypted; a password is needed to read it",
            KeyError::WrongPassword => "the password does not decrypt the private key",
            KeyError::UnsupportedEncryption { .. } => {
                "the private key is encrypted with PBES1, which is not supported"
            }
            KeyError::TooMuchWork { .. } => {
                "the file's PBKDF2 iteration count is 3, more than the 2 accepted"
            }
            KeyError::Input(_) => "the file is 3 bytes long, more than the 2 bytes accepted",
            KeyError::SeveralKeys => "the file holds more than one private key",
            KeyError::Malformed => "the private key is malformed or not RSA",
            KeyError::TooSmall { .. } => "the RSA key has 1024 bits; at least 2048 are required",
            KeyError::Crypto => "the key could not be generated or encoded",
        };
        let wrapped = match &e {
            KeyError::Input(inner) => Some(inner.to_string()),
            _ => None,
        };
        assert_text(&e, text, wrapped);
    }
}

#[test]
fn vendor_errors() {
    let t = OffsetDateTime::UNIX_EPOCH;
    let parse = ParseError::Input(InputError::Empty);
    let anchor = AnchorError::NoRoot;
    let trust = TrustError::TooManyCandidates;
    let csr = CsrError::BadSignature;
    for e in [
        VendorError::Certificate(parse.clone()),
        VendorError::NotVendorCertificate {
            subject: "CN=S".into(),
        },
        VendorError::KeyMismatch,
        VendorError::Expired { not_after: t },
        VendorError::NotYetValid { not_before: t },
        VendorError::UnknownIssuer {
            issuer: "CN=W".into(),
            key_id: None,
        },
        VendorError::Chain(anchor.clone()),
        VendorError::Untrusted(trust.clone()),
        VendorError::Csr(csr.clone()),
        VendorError::Signing,
    ] {
        let (text, wrapped) = match &e {
            VendorError::Certificate(_) => (
                "the vendor certificate could not be read: the file is empty".to_owned(),
                Some(parse.to_string()),
            ),
            VendorError::NotVendorCertificate { .. } => (
                "CN=S is not an MDM vendor certificate (no extension 1.2.840.113635.100.4.12)"
                    .to_owned(),
                None,
            ),
            VendorError::KeyMismatch => (
                "the private key does not belong to the vendor certificate".to_owned(),
                None,
            ),
            VendorError::Expired { .. } => (
                "the vendor certificate expired at 1970-01-01T00:00:00Z; renew it in the Apple Developer portal"
                    .to_owned(),
                None,
            ),
            VendorError::NotYetValid { .. } => (
                "the vendor certificate is not valid until 1970-01-01T00:00:00Z".to_owned(),
                None,
            ),
            VendorError::UnknownIssuer { .. } => (
                "no known Apple WWDR certification authority issued the vendor certificate (issuer CN=W); add Apple's certificate for that WWDR CA (from Apple's certificate authority page) with VendorSigner::with_anchors and TrustAnchors::with_intermediates, or the command line's --intermediates"
                    .to_owned(),
                None,
            ),
            VendorError::Chain(_) => (
                format!("the certificate chain could not be used: {anchor}"),
                Some(anchor.to_string()),
            ),
            VendorError::Untrusted(_) => (
                format!("the vendor certificate is not trusted: {trust}"),
                Some(trust.to_string()),
            ),
            VendorError::Csr(_) => (
                format!("the request is not usable: {csr}"),
                Some(csr.to_string()),
            ),
            VendorError::Signing => ("the signature could not be computed".to_owned(), None),
        };
        assert_text(&e, &text, wrapped);
    }
}

#[test]
fn pkcs12_and_identity_errors() {
    for e in [
        Pkcs12Error::Malformed,
        Pkcs12Error::NoMac,
        Pkcs12Error::WrongPassword,
        Pkcs12Error::Unsupported {
            what: "cipher",
            oid: "1.2".into(),
        },
        Pkcs12Error::TooManyIterations { asked: 3, max: 2 },
        Pkcs12Error::BadContent,
        Pkcs12Error::Write,
        Pkcs12Error::PasswordRequired,
    ] {
        let text = match &e {
            Pkcs12Error::Malformed => "the file is not a PKCS#12 file",
            Pkcs12Error::NoMac => "the PKCS#12 file has no MAC; its integrity cannot be checked",
            Pkcs12Error::WrongPassword => "the password is wrong (the PKCS#12 MAC does not verify)",
            Pkcs12Error::Unsupported { .. } => {
                "the PKCS#12 file uses cipher 1.2, which is not supported"
            }
            Pkcs12Error::TooManyIterations { .. } => {
                "the PKCS#12 file asks for 3 iterations, more than the 2 accepted"
            }
            Pkcs12Error::BadContent => {
                "a part of the PKCS#12 file does not decrypt to valid content"
            }
            Pkcs12Error::Write => "the PKCS#12 file could not be written",
            Pkcs12Error::PasswordRequired => {
                "the file is a PKCS#12 (.p12) file; its password is needed to read it"
            }
        };
        assert_text(&e, text, None);
    }
    let parse = ParseError::Input(InputError::Empty);
    let key = KeyError::NoKey;
    let p12 = Pkcs12Error::NoMac;
    for e in [
        IdentityError::KeyMismatch {
            key_sha256: "aa".into(),
            certificate_sha256: "bb".into(),
        },
        IdentityError::Certificate(parse.clone()),
        IdentityError::Key(key.clone()),
        IdentityError::Pkcs12(p12.clone()),
    ] {
        let (text, wrapped) = match &e {
            IdentityError::KeyMismatch { .. } => (
                "the private key (public key SHA-256 aa) does not belong to the push certificate (public key SHA-256 bb)".to_owned(),
                None,
            ),
            IdentityError::Certificate(_) => (
                format!("the push certificate could not be read: {parse}"),
                Some(parse.to_string()),
            ),
            IdentityError::Key(_) => (
                format!("the private key could not be read or written: {key}"),
                Some(key.to_string()),
            ),
            IdentityError::Pkcs12(_) => (
                format!("the PKCS#12 file could not be used: {p12}"),
                Some(p12.to_string()),
            ),
        };
        assert_text(&e, &text, wrapped);
    }
}

#[test]
fn topic_errors() {
    for e in [
        TopicError::Empty,
        TopicError::WrongPrefix,
        TopicError::TooLong { len: 300, max: 255 },
        TopicError::InvalidCharacter { found: ' ' },
    ] {
        let text = match &e {
            TopicError::Empty => "the topic is empty",
            TopicError::WrongPrefix => {
                "the topic does not start with \"com.apple.mgmt.\" followed by an identifier"
            }
            TopicError::TooLong { .. } => "the topic is 300 bytes long, more than the 255 allowed",
            TopicError::InvalidCharacter { .. } => {
                "the topic holds the character ' ', which a topic may not contain"
            }
        };
        assert_text(&e, text, None);
    }
}

#[test]
fn reminder_schedule_errors() {
    use time::Duration;
    for e in [
        ReminderScheduleError::Empty,
        ReminderScheduleError::TooMany { max: 16 },
        ReminderScheduleError::Negative {
            threshold: Duration::seconds(-5),
        },
        ReminderScheduleError::TooFar {
            threshold: Duration::days(400),
            max: Duration::days(366),
        },
        ReminderScheduleError::NotWholeSeconds {
            threshold: Duration::milliseconds(1500),
        },
    ] {
        let text = match &e {
            ReminderScheduleError::Empty => "a reminder schedule needs at least one threshold",
            ReminderScheduleError::TooMany { .. } => {
                "a reminder schedule holds more than the 16 thresholds allowed"
            }
            ReminderScheduleError::Negative { .. } => {
                "the reminder threshold of -5 seconds is negative; \
                 a threshold is a time before the end of validity"
            }
            ReminderScheduleError::TooFar { .. } => {
                "the reminder threshold of 34560000 seconds before the end of validity \
                 is more than the 366 days allowed"
            }
            ReminderScheduleError::NotWholeSeconds { .. } => {
                "the reminder threshold of 1 seconds and 500000000 nanoseconds \
                 is not a whole number of seconds"
            }
        };
        assert_text(&e, text, None);
    }
}

#[test]
fn every_anchor_error_message() {
    let text = |e: &AnchorError| match e {
        AnchorError::Certificate(_) => "an anchor certificate could not be read: the file is empty",
        AnchorError::NoRoot => "no root certificate (a self-issued certificate) was given",
        AnchorError::NotCa { .. } => "the anchor CN=A is not a certification authority: r",
        AnchorError::TooMany { .. } => "33 intermediates were given, more than the 32 accepted",
        AnchorError::NotAnIntermediate { .. } => "CN=A is self-issued: a root, not an intermediate",
        AnchorError::Unchained { .. } => {
            "the intermediate CN=A does not chain to a root of the anchors: too many candidate issuers share the issuer's name"
        }
    };
    for e in [
        AnchorError::Certificate(ParseError::Input(InputError::Empty)),
        AnchorError::NoRoot,
        AnchorError::NotCa {
            subject: "CN=A".into(),
            reason: "r",
        },
        AnchorError::TooMany { count: 33, max: 32 },
        AnchorError::NotAnIntermediate {
            subject: "CN=A".into(),
        },
        AnchorError::Unchained {
            subject: "CN=A".into(),
            reason: TrustError::TooManyCandidates,
        },
    ] {
        let wrapped = match &e {
            AnchorError::Certificate(inner) => Some(inner.to_string()),
            AnchorError::Unchained { reason, .. } => Some(reason.to_string()),
            _ => None,
        };
        assert_text(&e, text(&e), wrapped);
    }
}

#[cfg(feature = "testing")]
#[test]
fn stand_in_errors() {
    use crate::testing::StandInError;
    let key = KeyError::Malformed;
    let parse = ParseError::MissingTopic;
    let vendor = VendorError::KeyMismatch;
    for e in [
        StandInError::InvalidPublicKey,
        StandInError::InvalidValidity,
        StandInError::Key(key.clone()),
        StandInError::Build { detail: "d".into() },
        StandInError::Parse(parse.clone()),
        StandInError::Vendor(vendor.clone()),
    ] {
        let (text, wrapped) = match &e {
            StandInError::InvalidPublicKey => (
                "the public key is not a DER SubjectPublicKeyInfo".to_owned(),
                None,
            ),
            StandInError::InvalidValidity => (
                "the validity period is not encodable or ends before it starts".to_owned(),
                None,
            ),
            StandInError::Key(k) => (
                format!("a key could not be generated: {k}"),
                Some(k.to_string()),
            ),
            StandInError::Build { .. } => {
                ("the certificate could not be built: d".to_owned(), None)
            }
            StandInError::Parse(p) => (
                format!("the issued certificate is not a usable push certificate: {p}"),
                Some(p.to_string()),
            ),
            StandInError::Vendor(v) => (
                format!("the vendor signer could not be made: {v}"),
                Some(v.to_string()),
            ),
        };
        assert_text(&e, &text, wrapped);
    }
}

#[test]
fn input_errors() {
    let c = InputItem::Certificate;
    let r = InputItem::CertificateRequest;
    for e in [
        InputError::Empty,
        InputError::TooLarge { len: 5, max: 4 },
        InputError::Truncated,
        InputError::NotFound { expected: c },
        InputError::NotFound { expected: r },
        InputError::TrailingData { item: c },
        InputError::TrailingData { item: r },
        InputError::Malformed {
            detail: "a PEM block is not valid base64".into(),
        },
    ] {
        let text = match &e {
            InputError::Empty => "the file is empty",
            InputError::TooLarge { .. } => {
                "the file is 5 bytes long, more than the 4 bytes accepted"
            }
            InputError::Truncated => "the file is truncated",
            InputError::NotFound { expected } if *expected == c => "the file holds no certificate",
            InputError::NotFound { .. } => "the file holds no certificate signing request",
            InputError::TrailingData { item } if *item == c => {
                "data follows the end of the certificate"
            }
            InputError::TrailingData { .. } => {
                "data follows the end of the certificate signing request"
            }
            InputError::Malformed { .. } => {
                "the file's encoding is not valid: a PEM block is not valid base64"
            }
        };
        assert_text(&e, text, None);
        // Wrapped, the text is the same: the wrapper adds nothing to it.
        let wrapped = ParseError::from(e.clone());
        assert_text(&wrapped, text, Some(text.to_owned()));
    }
}

/// Every [`SignedRequestError`] by its text.
fn signed_request_text(e: &SignedRequestError) -> &'static str {
    use SignedRequestError as E;
    match e {
        E::Input(_) => "the signed request could not be read: the file is empty",
        E::Base64 => "the signed request is not valid base64",
        E::NotPlist => "the signed request is not an XML property list dictionary",
        E::NotXml { .. } => "the signed request's XML is not acceptable: d",
        E::InternalSubset => {
            "the signed request's DOCTYPE declares an internal subset (entities); Apple's files have none"
        }
        E::EntityReference { .. } => {
            "the signed request refers to the entity &e; which is not one of XML's five predefined entities"
        }
        E::CData => "the signed request holds a CDATA section",
        E::ProcessingInstruction => "the signed request holds a processing instruction",
        E::DuplicateKey { .. } => "the key K appears more than once",
        E::UnexpectedKey { .. } => {
            "the key K is not one of PushCertRequestCSR, PushCertCertificateChain and PushCertSignature"
        }
        E::NotAString { .. } => "the value of K is not a string",
        E::MissingKey { .. } => "the property list has no string PushCertSignature",
        E::BadBase64 { .. } => "the value of PushCertSignature is not valid base64",
        E::Chain(_) => "the certificate chain could not be read: the file holds no certificate",
        E::ChainTooLong { .. } => {
            "the certificate chain holds 9 certificates, more than the 8 accepted"
        }
        E::Csr(_) => {
            "the request inside is not usable: the request's signature does not verify with its own public key"
        }
        E::NotVendorCertificate { .. } => {
            "the signing certificate CN=V is not an MDM vendor certificate (no extension 1.2.840.113635.100.4.12)"
        }
        E::VendorKey => "the vendor certificate has no usable RSA public key",
        E::SignatureMismatch => {
            "the signature does not verify over the request with the vendor certificate's key (Apple's portal: \"the signature is invalid\")"
        }
        E::VendorExpired { .. } => {
            "the vendor certificate expired at 1970-01-01T00:00:00Z (Apple's portal: \"the signing certificate is expired\"); renew it in the Apple Developer portal"
        }
        E::VendorNotYetValid { .. } => {
            "the vendor certificate is not valid until 1970-01-01T00:00:00Z"
        }
        E::Untrusted(_) => {
            "the vendor certificate is not trusted: too many candidate issuers share the issuer's name"
        }
    }
}

#[test]
fn signed_request_errors() {
    use SignedRequestError as E;
    let t = OffsetDateTime::UNIX_EPOCH;
    let samples = [
        E::Input(InputError::Empty),
        E::Base64,
        E::NotPlist,
        E::NotXml { detail: "d" },
        E::InternalSubset,
        E::EntityReference { name: "e".into() },
        E::CData,
        E::ProcessingInstruction,
        E::DuplicateKey { key: "K".into() },
        E::UnexpectedKey { key: "K".into() },
        E::NotAString { key: "K".into() },
        E::MissingKey {
            key: "PushCertSignature",
        },
        E::BadBase64 {
            key: "PushCertSignature",
        },
        E::Chain(ParseError::Input(InputError::NotFound {
            expected: InputItem::Certificate,
        })),
        E::ChainTooLong { len: 9, max: 8 },
        E::Csr(CsrError::BadSignature),
        E::NotVendorCertificate {
            subject: "CN=V".into(),
        },
        E::VendorKey,
        E::SignatureMismatch,
        E::VendorExpired { not_after: t },
        E::VendorNotYetValid { not_before: t },
        E::Untrusted(TrustError::TooManyCandidates),
    ];
    for e in &samples {
        let shown = e.to_string();
        assert_eq!(shown, signed_request_text(e), "{e:?}");
        assert!(!shown.contains('\n'));
    }
}

/// The `apns` module's errors: addresses, tokens, roots and the TLS set-up.
#[cfg(feature = "apns")]
#[test]
fn apns_errors() {
    use crate::apns::{ApnsIdError, DeviceTokenError, EndpointError, PushMagicError, RootsError};
    for e in [
        EndpointError::NotAUrl { detail: "d".into() },
        EndpointError::UnsupportedScheme {
            scheme: "ftp".into(),
        },
        EndpointError::HasPath,
        EndpointError::HasUserInfo,
        EndpointError::NoHost,
        EndpointError::InvalidHost { host: "a b".into() },
        EndpointError::InvalidPort { port: "0".into() },
    ] {
        let text = match &e {
            EndpointError::NotAUrl { .. } => "the APNs base URL is not an absolute URL: d",
            EndpointError::UnsupportedScheme { .. } => {
                "the APNs base URL's scheme is \"ftp\"; only https (or http, for a plaintext test server) is used"
            }
            EndpointError::HasPath => {
                "the APNs base URL has a path or query; give the scheme and authority only, e.g. https://host:port"
            }
            EndpointError::HasUserInfo => "the APNs base URL carries user information (user@host)",
            EndpointError::NoHost => "the APNs base URL names no host",
            EndpointError::InvalidHost { .. } => {
                "the APNs base URL's host \"a b\" is not a DNS name or an IP address"
            }
            EndpointError::InvalidPort { .. } => {
                "the APNs base URL's port \"0\" is not a number from 1 to 65535"
            }
        };
        assert_text(&e, text, None);
    }
    for e in [
        DeviceTokenError::Empty,
        DeviceTokenError::NotHex {
            found: 'g',
            position: 3,
        },
        DeviceTokenError::OddLength { digits: 63 },
        DeviceTokenError::TooShort { len: 4, min: 8 },
        DeviceTokenError::TooLong { len: 101, max: 100 },
    ] {
        let text = match &e {
            DeviceTokenError::Empty => "the device token is empty",
            DeviceTokenError::NotHex { .. } => {
                "the device token holds 'g' at byte 3; a token is hex digits only"
            }
            DeviceTokenError::OddLength { .. } => {
                "the device token has 63 hex digits, an odd number"
            }
            DeviceTokenError::TooShort { .. } => {
                "the device token is 4 bytes long, fewer than the 8 accepted"
            }
            DeviceTokenError::TooLong { .. } => {
                "the device token is 101 bytes long, more than the 100 accepted"
            }
        };
        assert_text(&e, text, None);
    }
    for e in [
        PushMagicError::Empty,
        PushMagicError::TooLong { len: 300, max: 256 },
        PushMagicError::InvalidCharacter {
            found: '"',
            position: 2,
        },
        PushMagicError::SurroundingSpace,
    ] {
        let text = match &e {
            PushMagicError::Empty => "the PushMagic is empty",
            PushMagicError::TooLong { .. } => {
                "the PushMagic is 300 bytes long, more than the 256 accepted"
            }
            PushMagicError::InvalidCharacter { .. } => {
                "the PushMagic holds '\"' at byte 2, which the push body cannot carry verbatim"
            }
            PushMagicError::SurroundingSpace => "the PushMagic starts or ends with a space",
        };
        assert_text(&e, text, None);
    }
    let e = ApnsIdError::NotUuid;
    match &e {
        ApnsIdError::NotUuid => assert_text(
            &e,
            "the apns-id is not a canonical UUID (8-4-4-4-12 hex digits)",
            None,
        ),
    }
    let inner = InputError::Empty;
    for e in [
        RootsError::Input(inner.clone()),
        RootsError::NotACertificate {
            index: 1,
            detail: "d".into(),
        },
        RootsError::TooMany { max: 64 },
    ] {
        let (text, wrapped) = match &e {
            RootsError::Input(_) => (
                "the root certificates could not be read: the file is empty",
                Some(inner.to_string()),
            ),
            RootsError::NotACertificate { .. } => {
                ("root certificate 1 is not an X.509 certificate: d", None)
            }
            RootsError::TooMany { .. } => ("more than 64 root certificates", None),
        };
        assert_text(&e, text, wrapped);
    }
}

/// The TLS set-up's errors (features `apns` and `rustls`).
#[cfg(all(feature = "apns", feature = "rustls"))]
#[test]
fn apns_tls_errors() {
    use crate::apns::{ApnsTlsError, RootsError};
    let identity = IdentityError::Key(KeyError::NoKey);
    let roots = RootsError::TooMany { max: 64 };
    for e in [
        ApnsTlsError::Identity(identity.clone()),
        ApnsTlsError::UnusableKey { detail: "d".into() },
        ApnsTlsError::Roots(roots.clone()),
        ApnsTlsError::Provider { detail: "d".into() },
    ] {
        let (text, wrapped) = match &e {
            ApnsTlsError::Identity(_) => (
                format!("the push identity could not be exported: {identity}"),
                Some(identity.to_string()),
            ),
            ApnsTlsError::UnusableKey { .. } => (
                "the crypto provider cannot use the push identity's key: d".to_owned(),
                None,
            ),
            ApnsTlsError::Roots(_) => (roots.to_string(), Some(roots.to_string())),
            ApnsTlsError::Provider { .. } => (
                "the crypto provider cannot make a TLS client configuration: d".to_owned(),
                None,
            ),
        };
        assert_text(&e, &text, wrapped);
    }
}

/// The certificate-reading, trust and upload errors.
mod certificate_and_upload {

    use super::*;
    use crate::lang::Lang;
    use crate::topic::Topic;
    use crate::upload_error::{InvalidReason, RetryReason, UploadError};

    fn parse_samples() -> Vec<ParseError> {
        vec![
            ParseError::Input(InputError::Truncated),
            ParseError::Malformed { detail: "x".into() },
            ParseError::TooManyCertificates { count: 17, max: 16 },
            ParseError::MultiplePushCertificates,
            ParseError::CaCertificate {
                subject: "CN=CA".into(),
            },
            ParseError::VendorCertificate {
                subject: "CN=V".into(),
            },
            ParseError::MissingTopic,
            ParseError::MultipleTopics,
            ParseError::InvalidTopic {
                uid: "u".into(),
                reason: TopicError::Empty,
            },
            ParseError::NotVersion3,
            ParseError::SignatureAlgorithmMismatch,
            ParseError::InvalidName {
                which: "subject",
                detail: "d".into(),
            },
            ParseError::DuplicateExtension {
                oid: "2.5.29.19".into(),
            },
            ParseError::UnknownCriticalExtension {
                oid: "1.2.3".into(),
            },
            ParseError::InvalidExtension {
                name: "keyUsage",
                detail: "d".into(),
            },
            ParseError::NotClientAuth,
            ParseError::NoDigitalSignature,
            ParseError::NotRsa {
                algorithm: "1.2".into(),
            },
            ParseError::Key(KeyError::TooSmall { bits: 1024 }),
        ]
    }

    fn parse_text(e: &ParseError) -> &'static str {
        match e {
            ParseError::Input(_) => "the file is truncated",
            ParseError::Malformed { .. } => "the certificate is malformed: x",
            ParseError::TooManyCertificates { .. } => {
                "the file holds 17 certificates, more than the 16 accepted"
            }
            ParseError::MultiplePushCertificates => "the file holds more than one push certificate",
            ParseError::CaCertificate { .. } => {
                "the certificate is a certification authority (CN=CA), not a push certificate"
            }
            ParseError::VendorCertificate { .. } => {
                "the certificate is an MDM vendor certificate (CN=V), not a push certificate"
            }
            ParseError::MissingTopic => {
                "the certificate subject has no UID attribute (the push topic)"
            }
            ParseError::MultipleTopics => "the certificate subject has more than one UID attribute",
            ParseError::InvalidTopic { .. } => {
                "the certificate's UID attribute \"u\" is not an MDM push topic: the topic is empty"
            }
            ParseError::NotVersion3 => "the certificate is not X.509 version 3",
            ParseError::SignatureAlgorithmMismatch => {
                "the certificate's signed and outer signature algorithms differ"
            }
            ParseError::InvalidName { .. } => "the certificate's subject name is not valid: d",
            ParseError::DuplicateExtension { .. } => {
                "the extension 2.5.29.19 appears more than once"
            }
            ParseError::UnknownCriticalExtension { .. } => {
                "the critical extension 1.2.3 is not one this crate can process"
            }
            ParseError::InvalidExtension { .. } => "the keyUsage extension is malformed: d",
            ParseError::NotClientAuth => {
                "the certificate's extended key usage does not allow TLS client authentication"
            }
            ParseError::NoDigitalSignature => {
                "the certificate's key usage does not include digitalSignature"
            }
            ParseError::NotRsa { .. } => "the public key is not RSA (algorithm 1.2)",
            ParseError::Key(_) => "the RSA key has 1024 bits; at least 2048 are required",
        }
    }

    fn trust_samples() -> Vec<TrustError> {
        let t = time::OffsetDateTime::UNIX_EPOCH;
        vec![
            TrustError::UnknownIssuer {
                issuer: "CN=I".into(),
                key_id: Some("0102".into()),
            },
            TrustError::BadSignature {
                issuer: "CN=I".into(),
            },
            TrustError::UnsupportedSignatureAlgorithm { oid: "1.2".into() },
            TrustError::IssuerNotCa {
                subject: "CN=I".into(),
                reason: "r",
            },
            TrustError::PathLenExceeded {
                subject: "CN=I".into(),
            },
            TrustError::IssuerNotForClientAuth {
                subject: "CN=I".into(),
            },
            TrustError::WeakSignatureAlgorithm {
                subject: "CN=S".into(),
            },
            TrustError::TooManyCandidates,
            TrustError::UnsupportedIssuerKey {
                subject: "CN=I".into(),
            },
            TrustError::IssuerNotValid {
                subject: "CN=I".into(),
                not_before: t,
                not_after: t,
            },
        ]
    }

    fn trust_text(e: &TrustError) -> &'static str {
        match e {
            TrustError::UnknownIssuer { .. } => {
                "the issuer CN=I (key identifier 0102) is not a known certification authority; if it is a new Apple intermediate, add Apple's certificate for it (from Apple's certificate authority page) with TrustAnchors::with_intermediates or the command line's --intermediates, or upload it in the same file as the push certificate"
            }
            TrustError::BadSignature { .. } => "the signature does not verify with the key of CN=I",
            TrustError::UnsupportedSignatureAlgorithm { .. } => {
                "the signature algorithm 1.2 is not supported"
            }
            TrustError::IssuerNotCa { .. } => "CN=I is not a certification authority: r",
            TrustError::PathLenExceeded { .. } => {
                "the path is longer than CN=I allows (pathLenConstraint)"
            }
            TrustError::IssuerNotForClientAuth { .. } => {
                "the certification authority CN=I may not issue client certificates (extended key usage)"
            }
            TrustError::WeakSignatureAlgorithm { .. } => {
                "the signature on CN=S uses SHA-1, which is not accepted for push certificates"
            }
            TrustError::TooManyCandidates => "too many candidate issuers share the issuer's name",
            TrustError::UnsupportedIssuerKey { .. } => {
                "the public key of CN=I is not RSA, P-256 or P-384, so its signatures cannot be verified"
            }
            TrustError::IssuerNotValid { .. } => {
                "the certification authority CN=I is valid from 1970-01-01T00:00:00Z to 1970-01-01T00:00:00Z, not at the time of the check"
            }
        }
    }

    #[test]
    fn every_message() {
        for e in parse_samples() {
            assert_eq!(e.to_string(), parse_text(&e), "{e:?}");
        }
        for e in trust_samples() {
            assert_eq!(e.to_string(), trust_text(&e), "{e:?}");
        }
        // Every message is one line, for logs.
        for text in parse_samples()
            .iter()
            .map(ToString::to_string)
            .chain(trust_samples().iter().map(ToString::to_string))
        {
            assert!(!text.contains('\n'), "{text}");
        }
    }

    #[test]
    fn upload_errors_log_in_one_line_and_chain_their_sources() {
        use std::error::Error as _;
        let e = UploadError::from(ParseError::InvalidTopic {
            uid: "u".into(),
            reason: TopicError::Empty,
        });
        assert_eq!(
            e.to_string(),
            "invalid_certificate: the certificate's UID attribute \"u\" is not an MDM push topic: the topic is empty"
        );
        // UploadError -> InvalidReason -> ParseError -> TopicError, each a
        // source, each displayed with its own cause for one-line logs.
        let reason = e.source().expect("the reason");
        let parse = reason.source().expect("the parse error");
        assert_eq!(parse.to_string(), reason.to_string());
        let topic = parse.source().expect("the topic error");
        assert_eq!(topic.to_string(), "the topic is empty");
        assert!(topic.source().is_none());
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let all = [
            e.clone(),
            UploadError::PublicKeyMismatch {
                expected_sha256: "aa".into(),
                found_sha256: "bb".into(),
            },
            UploadError::RetryLater {
                reason: RetryReason::NotYetValid { not_before: t },
            },
            UploadError::TopicMismatch {
                previous: Topic::try_from("com.apple.mgmt.External.a").expect("topic"),
                uploaded: Topic::try_from("com.apple.mgmt.External.b").expect("topic"),
            },
        ];
        let expected = [
            "invalid_certificate: the certificate's UID attribute \"u\" is not an MDM push topic: the topic is empty",
            "public_key_mismatch: the certificate's public key (SHA-256 bb) is not the requested one (SHA-256 aa)",
            "retry_later: the certificate is not valid until 1970-01-01T00:00:00Z",
            "topic_mismatch: the certificate's topic com.apple.mgmt.External.b differs from the current topic com.apple.mgmt.External.a",
        ];
        for (e, text) in all.iter().zip(expected) {
            assert_eq!(e.to_string(), text);
            assert!(!e.to_string().contains('\n'));
            // A source exactly when the variant wraps a reason.
            assert_eq!(
                e.source().is_some(),
                matches!(
                    e,
                    UploadError::InvalidCertificate { .. } | UploadError::RetryLater { .. }
                )
            );
        }
    }

    /// Every reason an upload is refused or deferred, by its text; the
    /// `match` without a wildcard makes a new reason add a row.
    #[test]
    fn every_upload_reason() {
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let later = t + time::Duration::days(365);
        let identity = crate::identity::IdentityError::Key(KeyError::SeveralKeys);
        let invalid = [
            InvalidReason::Parse(ParseError::MissingTopic),
            InvalidReason::MissingPushMarker,
            InvalidReason::Untrusted(TrustError::TooManyCandidates),
            InvalidReason::Identity(identity.clone()),
            InvalidReason::Expired { not_after: t },
            InvalidReason::NotARenewal {
                not_after: t,
                previous_not_after: later,
            },
        ];
        for reason in invalid {
            let (text, wrapped) = match &reason {
                InvalidReason::Parse(e) => (e.to_string(), Some(e.to_string())),
                InvalidReason::MissingPushMarker => (
                    "the certificate lacks the MDM push marker extension 1.2.840.113635.100.6.3.2"
                        .to_owned(),
                    None,
                ),
                InvalidReason::Untrusted(e) => (e.to_string(), Some(e.to_string())),
                InvalidReason::Identity(e) => (e.to_string(), Some(e.to_string())),
                InvalidReason::Expired { .. } => (
                    "the certificate expired at 1970-01-01T00:00:00Z".to_owned(),
                    None,
                ),
                InvalidReason::NotARenewal { .. } => (
                    "the certificate ends at 1970-01-01T00:00:00Z, not later than the current one (1971-01-01T00:00:00Z)"
                        .to_owned(),
                    None,
                ),
            };
            super::assert_text(&reason, &text, wrapped);
            let e = UploadError::InvalidCertificate {
                reason: reason.clone(),
            };
            assert_eq!(e.to_string(), format!("invalid_certificate: {text}"));
        }
        let retry = [
            RetryReason::Truncated,
            RetryReason::NotYetValid { not_before: later },
            RetryReason::Transient {
                detail: "the database is locked".into(),
            },
        ];
        for reason in retry {
            let text = match &reason {
                RetryReason::Truncated => "the upload is truncated",
                RetryReason::NotYetValid { .. } => {
                    "the certificate is not valid until 1971-01-01T00:00:00Z"
                }
                RetryReason::Transient { .. } => "the database is locked",
            };
            super::assert_text(&reason, text, None);
            let e = UploadError::RetryLater {
                reason: reason.clone(),
            };
            assert_eq!(e.to_string(), format!("retry_later: {text}"));
            assert!(e.is_retryable());
        }
        // A truncated upload is worth retrying; any other parse failure is
        // an invalid certificate.
        assert_eq!(
            UploadError::from(ParseError::Input(InputError::Truncated)),
            UploadError::RetryLater {
                reason: RetryReason::Truncated
            }
        );
    }

    /// The four messages and remedies in both languages: the guide's words
    /// (Japanese) and their English, never empty, each language distinct.
    #[test]
    fn every_upload_message_in_both_languages() {
        let t = time::OffsetDateTime::UNIX_EPOCH;
        let topic = |s: &str| Topic::try_from(s).expect("topic");
        let all = [
            UploadError::from(ParseError::MissingTopic),
            UploadError::PublicKeyMismatch {
                expected_sha256: "aa".into(),
                found_sha256: "bb".into(),
            },
            UploadError::RetryLater {
                reason: RetryReason::NotYetValid { not_before: t },
            },
            UploadError::TopicMismatch {
                previous: topic("com.apple.mgmt.External.a"),
                uploaded: topic("com.apple.mgmt.External.b"),
            },
        ];
        let mut seen = Vec::new();
        for e in &all {
            for lang in [Lang::Ja, Lang::En] {
                let (m, r) = (e.message(lang), e.remedy(lang));
                assert!(!m.is_empty() && !r.is_empty());
                assert_eq!(
                    m.starts_with("MDM証明書") || m.starts_with("前回"),
                    lang == Lang::Ja
                );
                let body = e.to_response(lang);
                assert_eq!((body.code.as_str(), body.message.as_str()), (e.code(), m));
                seen.push(m);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 8, "eight distinct messages");
    }
}
