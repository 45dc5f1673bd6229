#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Library code must not panic on any input: these are denied here, for the
// library only (tests, examples and benches may use them).
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

#[cfg(feature = "apns")]
pub mod apns;
mod asn1;
mod backend;
mod certificate;
mod csr;
mod digest;
mod display;
mod error;
#[cfg(test)]
mod error_texts;
mod expiry;
mod identity;
mod input;
mod key_encryption;
mod keys;
mod lang;
mod limits;
mod name;
mod oids;
mod path;
mod pkcs12;
mod push_certificate;
mod reminder;
#[cfg(feature = "serde")]
mod serde_impls;
mod signature;
mod signed_request;
#[cfg(feature = "testing")]
pub mod testing;
mod topic;
mod trust_anchors;
mod upload_check;
mod upload_error;
mod vendor_signer;

// The foreign crates whose types appear in the public API, so a caller
// names exactly the versions this crate was built with.
pub use der::asn1::ObjectIdentifier;
#[cfg(feature = "apns")]
pub use http;
pub use rand_core;
#[cfg(feature = "rustls")]
pub use rustls;
#[cfg(feature = "rustls")]
pub use rustls_pki_types;
pub use time;
pub use zeroize;

pub use csr::{CsrBuilder, CsrError, DEFAULT_COMMON_NAME, PushCsr};
pub use digest::DigestAlgorithm;
pub use error::{ParseError, TrustError};
pub use expiry::{EXPIRY_WARNING_WINDOW, Expiry};
pub use identity::{IdentityError, KeyFormat, PushIdentity};
pub use input::{InputError, InputItem};
pub use key_encryption::PBKDF2_ITERATIONS;
pub use keys::{KeyError, PrivateKey};
pub use lang::Lang;
pub use limits::{
    MAX_CERTIFICATES_PER_FILE, MAX_CHAIN_LEN, MAX_COMMON_NAME_CHARS, MAX_EMAIL_ADDRESS_CHARS,
    MAX_INPUT_LEN, MAX_OPERATOR_INTERMEDIATES, MAX_ORGANIZATION_CHARS, MAX_PBKDF2_ITERATIONS,
    MAX_PKCS12_ITERATIONS, MAX_REMINDER_THRESHOLD, MAX_REMINDER_THRESHOLDS, MAX_SCRYPT_COST,
    MAX_TOPIC_LEN, MIN_RSA_BITS,
};
pub use oids::{PUSH_MARKER_OID, UID_OID, VENDOR_MARKER_OID};
pub use pkcs12::{Pkcs12Error, Pkcs12Profile};
pub use push_certificate::{CertificateSummary, PushCertificate};
pub use reminder::{
    CertificateKind, DEFAULT_REMINDER_DAYS, RemindedCertificate, Reminder, ReminderSchedule,
    ReminderScheduleError, ReminderText, SentReminder,
};
pub use signed_request::{RequestVerification, SignaturesOnly, SignedRequest, SignedRequestError};
pub use topic::{TOPIC_PREFIX, Topic, TopicError};
pub use trust_anchors::{AnchorError, TrustAnchors};
pub use upload_check::UploadCheck;
pub use upload_error::{ErrorResponse, InvalidReason, RetryReason, UploadError};
pub use vendor_signer::{VendorError, VendorSigner};

// Every public error type can cross threads and live in
// `Box<dyn Error + Send + Sync>` (anyhow, tokio tasks, axum handlers): a
// field that breaks this fails the build here, not in an embedder's.
const _: () = {
    fn assert<T: std::error::Error + Send + Sync + 'static>() {}
    let _ = [
        assert::<crate::csr::CsrError>,
        assert::<crate::error::ParseError>,
        assert::<crate::error::TrustError>,
        assert::<crate::input::InputError>,
        assert::<crate::upload_error::InvalidReason>,
        assert::<crate::upload_error::RetryReason>,
        assert::<crate::upload_error::UploadError>,
        assert::<crate::identity::IdentityError>,
        assert::<crate::keys::KeyError>,
        assert::<crate::pkcs12::Pkcs12Error>,
        assert::<crate::reminder::ReminderScheduleError>,
        assert::<crate::signed_request::SignedRequestError>,
        assert::<crate::topic::TopicError>,
        assert::<crate::trust_anchors::AnchorError>,
        assert::<crate::vendor_signer::VendorError>,
        #[cfg(feature = "testing")]
        assert::<crate::testing::StandInError>,
        #[cfg(feature = "apns")]
        assert::<crate::apns::EndpointError>,
        #[cfg(feature = "apns")]
        assert::<crate::apns::DeviceTokenError>,
        #[cfg(feature = "apns")]
        assert::<crate::apns::PushMagicError>,
        #[cfg(feature = "apns")]
        assert::<crate::apns::ApnsIdError>,
        #[cfg(feature = "apns")]
        assert::<crate::apns::RootsError>,
        #[cfg(all(feature = "apns", feature = "rustls"))]
        assert::<crate::apns::ApnsTlsError>,
    ];
};
