//! The push identity: the accepted push certificate with the customer's
//! private key, the pair an APNs client authenticates with.

use core::fmt;

use zeroize::Zeroizing;

use crate::error::ParseError;
use crate::input;
use crate::keys::{KeyError, PrivateKey};
use crate::pkcs12::Pkcs12Error;
use crate::push_certificate::PushCertificate;
use crate::topic::Topic;

/// Why a push identity could not be made, read or written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentityError {
    /// The private key is not the key of the push certificate. Uploads map
    /// this to the documented "public key differs" message.
    #[error(
        "the private key (public key SHA-256 {key_sha256}) does not belong to the push certificate (public key SHA-256 {certificate_sha256})"
    )]
    KeyMismatch {
        /// SHA-256 of the private key's SubjectPublicKeyInfo, hex.
        key_sha256: String,
        /// SHA-256 of the certificate's SubjectPublicKeyInfo, hex.
        certificate_sha256: String,
    },
    /// The certificate could not be read as a push certificate.
    #[error("the push certificate could not be read: {0}")]
    Certificate(#[source] ParseError),
    /// The private key could not be read or written.
    #[error("the private key could not be read or written: {0}")]
    Key(#[source] KeyError),
    /// The PKCS#12 file could not be read or written.
    #[error("the PKCS#12 file could not be used: {0}")]
    Pkcs12(#[source] Pkcs12Error),
}

/// How [`PushIdentity::to_pem_bundle`] writes the key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyFormat {
    /// PKCS#8, `BEGIN PRIVATE KEY` (what most tools expect).
    #[default]
    Pkcs8,
    /// PKCS#1, `BEGIN RSA PRIVATE KEY` (older Go and Ruby servers).
    Pkcs1,
}

/// A push certificate and the customer's private key, checked to be a pair
/// when made: what an APNs client needs for its TLS client authentication.
///
/// ```
/// use mdm_push_cert::{KeyFormat, PrivateKey, PushCertificate, PushIdentity};
///
/// let cert = PushCertificate::parse(include_bytes!("../tests/fixtures/pki/push_b.pem"))?;
/// let key = PrivateKey::parse(include_bytes!("../tests/fixtures/pki/customer_b.key"))?;
/// let identity = PushIdentity::new(cert, key)?;
/// let bundle = identity.to_pem_bundle(KeyFormat::Pkcs8)?;
/// assert!(bundle.starts_with("-----BEGIN CERTIFICATE-----"));
/// assert_eq!(PushIdentity::from_pem_bundle(bundle.as_bytes())?.topic(), identity.topic());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PushIdentity {
    certificate: PushCertificate,
    key: PrivateKey,
}

impl fmt::Debug for PushIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushIdentity")
            .field("topic", self.certificate.topic())
            .field("not_after", &self.certificate.not_after())
            .field("key", &self.key)
            .finish()
    }
}

impl PushIdentity {
    /// Pairs a push certificate with its private key.
    ///
    /// # Errors
    /// [`IdentityError::KeyMismatch`] when the key is not the certificate's.
    pub fn new(certificate: PushCertificate, key: PrivateKey) -> Result<Self, IdentityError> {
        if !crate::keys::same_public_key(certificate.spki_der(), key.spki_der()) {
            return Err(IdentityError::KeyMismatch {
                key_sha256: crate::display::sha256_hex(key.spki_der()),
                certificate_sha256: crate::display::sha256_hex(certificate.spki_der()),
            });
        }
        Ok(Self { certificate, key })
    }

    /// The APNs topic.
    pub fn topic(&self) -> &Topic {
        self.certificate.topic()
    }

    /// The push certificate.
    pub fn certificate(&self) -> &PushCertificate {
        &self.certificate
    }

    /// The private key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// The certificate then the key, PEM: what nanomdm's push-certificate
    /// endpoint and Go's `tls.X509KeyPair` take. Zeroized when dropped: the
    /// text is written into a buffer of its final length, reserved first, so
    /// it never reallocates and leaves no copy of the key behind (the key's
    /// own PEM is zeroized too).
    ///
    /// # Errors
    /// [`IdentityError::Key`] if the key cannot be encoded.
    pub fn to_pem_bundle(&self, format: KeyFormat) -> Result<Zeroizing<String>, IdentityError> {
        let key = match format {
            KeyFormat::Pkcs8 => self.key.to_pkcs8_pem(),
            KeyFormat::Pkcs1 => self.key.to_pkcs1_pem(),
        }
        .map_err(IdentityError::Key)?;
        let certificate = self.certificate.to_pem();
        let mut out = Zeroizing::new(String::with_capacity(certificate.len() + key.len()));
        out.push_str(&certificate);
        out.push_str(&key);
        Ok(out)
    }

    /// Reads a PEM bundle: the push certificate (with any CA certificates)
    /// and one unencrypted private key, in any order.
    ///
    /// # Errors
    /// As [`from_pem_bundle_with_password`](Self::from_pem_bundle_with_password).
    pub fn from_pem_bundle(bytes: &[u8]) -> Result<Self, IdentityError> {
        Self::read_bundle(bytes, None)
    }

    /// Reads a PEM bundle whose key may be encrypted with `password`.
    ///
    /// # Errors
    /// [`IdentityError::Certificate`] when no push certificate reads,
    /// [`IdentityError::Key`] with [`KeyError::NoKey`] or
    /// [`KeyError::SeveralKeys`] for the
    /// keys, [`IdentityError::Key`] for one that does not read (a wrong
    /// password is [`KeyError::WrongPassword`]), and
    /// [`IdentityError::KeyMismatch`].
    pub fn from_pem_bundle_with_password(
        bytes: &[u8],
        password: &[u8],
    ) -> Result<Self, IdentityError> {
        Self::read_bundle(bytes, Some(password))
    }

    fn read_bundle(bytes: &[u8], password: Option<&[u8]>) -> Result<Self, IdentityError> {
        // Framed once: the certificates and the key are read from the same
        // blocks.
        let framing = |e: input::InputError| IdentityError::Certificate(e.into());
        input::check_size(bytes).map_err(framing)?;
        let blocks = input::pem_blocks(bytes).map_err(framing)?;
        if blocks.is_empty() {
            // Not PEM: a DER certificate alone has no key beside it.
            PushCertificate::parse(bytes).map_err(IdentityError::Certificate)?;
            return Err(IdentityError::Key(KeyError::NoKey));
        }
        let certificates = input::der_items_of_blocks(&blocks, b"CERTIFICATE").map_err(framing)?;
        let certificate =
            PushCertificate::from_der_items(certificates).map_err(IdentityError::Certificate)?;
        let mut key_blocks = blocks.iter().filter(|b| {
            matches!(
                b.label,
                b"PRIVATE KEY" | b"RSA PRIVATE KEY" | b"ENCRYPTED PRIVATE KEY"
            )
        });
        let block = key_blocks
            .next()
            .ok_or(IdentityError::Key(KeyError::NoKey))?;
        if key_blocks.next().is_some() {
            return Err(IdentityError::Key(KeyError::SeveralKeys));
        }
        // The block as framed, read by the key reader (which decodes it into
        // a zeroizing buffer); it is a key block, so there is an answer.
        let key = PrivateKey::from_pem_block(block, password)
            .unwrap_or(Err(KeyError::NoKey))
            .map_err(IdentityError::Key)?;
        Self::new(certificate, key)
    }

    /// Whether `bytes` are a PKCS#12 file (DER, or bare base64 of it), which
    /// only its password opens.
    pub fn is_pkcs12(bytes: &[u8]) -> bool {
        crate::pkcs12::pfx_der(bytes).is_some()
    }

    /// Reads a PKCS#12 file (`.p12`, as Keychain Access exports it) with its
    /// password: the MAC is verified before anything is decrypted; the file
    /// must hold exactly one private key and, among its certificates, the
    /// push certificate for it (CA certificates beside it are kept as the
    /// push certificate's carried chain).
    ///
    /// # Errors
    /// [`IdentityError::Pkcs12`] for the container (a wrong password is
    /// [`Pkcs12Error::WrongPassword`](crate::pkcs12::Pkcs12Error::WrongPassword)),
    /// [`IdentityError::Certificate`] when no push certificate reads,
    /// [`IdentityError::KeyMismatch`] when the key is not its key.
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<Self, IdentityError> {
        crate::input::check_size(bytes).map_err(|e| IdentityError::Certificate(e.into()))?;
        let contents = crate::pkcs12::read(bytes, password).map_err(IdentityError::Pkcs12)?;
        let mut keys = contents.keys.into_iter();
        let key_der = keys.next().ok_or(IdentityError::Key(KeyError::NoKey))?;
        if keys.next().is_some() {
            return Err(IdentityError::Key(KeyError::SeveralKeys));
        }
        let key = PrivateKey::from_der(&key_der).map_err(IdentityError::Key)?;
        let spki = key.spki_der().to_vec();
        // The push certificate is picked from the container's certificates
        // as from any upload (none is "the file holds no certificate"), the
        // CA certificates carried; each is read once.
        let found = PushCertificate::from_der_items(contents.certificates.clone())
            .map_err(IdentityError::Certificate)
            .and_then(|certificate| Self::new(certificate, key));
        match found {
            Ok(identity) => Ok(identity),
            // A failure is explained by the key's own certificate when it
            // has no topic: a key's certificate without a topic is no push
            // identity, whatever else the file holds.
            Err(e) => {
                let topicless = contents.certificates.iter().any(|der| {
                    crate::certificate::Certificate::read(der).is_ok_and(|parts| {
                        parts.subject_uids.is_empty()
                            && crate::keys::same_public_key(
                                crate::certificate::part(der, &parts.spki),
                                &spki,
                            )
                    })
                });
                Err(if topicless {
                    IdentityError::Certificate(ParseError::MissingTopic)
                } else {
                    e
                })
            }
        }
    }

    /// Writes the identity as a PKCS#12 file protected by `password`, in the
    /// given profile, with `friendlyName` (the topic) and `localKeyId` on both
    /// bags so that Keychain pairs key and certificate; salts and IVs come
    /// from the caller's `rng`.
    ///
    /// # Errors
    /// [`IdentityError::Pkcs12`] if writing fails, [`IdentityError::Key`] if
    /// the key cannot be encoded.
    pub fn to_pkcs12<R: rand_core::CryptoRng + ?Sized>(
        &self,
        password: &str,
        profile: crate::pkcs12::Pkcs12Profile,
        rng: &mut R,
    ) -> Result<Vec<u8>, IdentityError> {
        let key = self.key.to_pkcs8_der().map_err(IdentityError::Key)?;
        crate::pkcs12::write(
            self.certificate.der(),
            &key,
            self.topic().as_str(),
            password,
            profile,
            rng,
        )
        .map_err(IdentityError::Pkcs12)
    }

    /// The identity for rustls and the HTTP clients built on it (reqwest,
    /// hyper-rustls): the certificate chain (the push certificate alone) and
    /// the key as PKCS#8.
    ///
    /// # Errors
    /// [`IdentityError::Key`] if the key cannot be encoded.
    #[cfg(feature = "rustls")]
    pub fn to_rustls(
        &self,
    ) -> Result<
        (
            Vec<rustls_pki_types::CertificateDer<'static>>,
            rustls_pki_types::PrivateKeyDer<'static>,
        ),
        IdentityError,
    > {
        let cert = rustls_pki_types::CertificateDer::from(self.certificate.der().to_vec());
        let key = self.key.to_pkcs8_der().map_err(IdentityError::Key)?;
        let key = rustls_pki_types::PrivatePkcs8KeyDer::from(key.to_vec());
        Ok((vec![cert], rustls_pki_types::PrivateKeyDer::Pkcs8(key)))
    }
}
