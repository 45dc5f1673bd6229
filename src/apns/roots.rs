//! The roots an APNs client trusts for APNs' *server* certificates.

use der::Decode as _;

use crate::input::{InputError, InputItem};

/// USERTrust RSA Certification Authority, DER (see `src/apns-roots/README.md`).
const USERTRUST_RSA: &[u8] = include_bytes!("../apns-roots/USERTrustRSACertificationAuthority.cer");

/// Most roots one [`ApnsRoots`] holds.
const MAX_ROOTS: usize = 64;

/// The trust anchors for APNs' server certificates: by default the root
/// APNs chains to since 2025, USERTrust RSA Certification Authority,
/// embedded; the caller can add roots or replace them (a staging proxy, a
/// stand-in APNs, or the next root before this crate knows it).
///
/// These are the client's trust store, not the upload check's: they say
/// whom the client talks to, not which push certificates are Apple's.
///
/// ```
/// use mdm_push_cert::apns::ApnsRoots;
/// let roots = ApnsRoots::embedded();
/// assert_eq!(roots.len(), 1);
/// let mut more = roots.clone();
/// more.add_pem(include_bytes!("../../tests/fixtures/identity/server.pem"))?;
/// assert_eq!(more.len(), 2);
/// let replaced = ApnsRoots::from_pem(include_bytes!("../../tests/fixtures/identity/server.pem"))?;
/// assert_eq!(replaced.len(), 1);
/// # Ok::<(), mdm_push_cert::apns::RootsError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApnsRoots {
    roots: Vec<Vec<u8>>,
}

/// Why roots could not be added.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RootsError {
    /// The file's framing (PEM, DER, size) could not be read.
    #[error("the root certificates could not be read: {0}")]
    Input(#[source] InputError),
    /// An item is not an X.509 certificate.
    #[error("root certificate {index} is not an X.509 certificate: {detail}")]
    NotACertificate {
        /// Its position in the file, from 0.
        index: usize,
        /// What the decoder reported.
        detail: String,
    },
    /// More roots than [`ApnsRoots`] holds (64).
    #[error("more than {max} root certificates")]
    TooMany {
        /// The limit.
        max: usize,
    },
}

impl Default for ApnsRoots {
    /// [`ApnsRoots::embedded`].
    fn default() -> Self {
        Self::embedded()
    }
}

impl ApnsRoots {
    /// USERTrust RSA Certification Authority alone.
    pub fn embedded() -> Self {
        Self {
            roots: vec![USERTRUST_RSA.to_vec()],
        }
    }

    /// No roots: add them with [`add_pem`](Self::add_pem) or
    /// [`add_der`](Self::add_der).
    pub fn empty() -> Self {
        Self { roots: Vec::new() }
    }

    /// Only the certificates of a PEM file (or one DER certificate),
    /// instead of the embedded root.
    ///
    /// # Errors
    /// As [`add_pem`](Self::add_pem).
    pub fn from_pem(pem: &[u8]) -> Result<Self, RootsError> {
        let mut roots = Self::empty();
        roots.add_pem(pem)?;
        Ok(roots)
    }

    /// Adds every certificate of a PEM file (or one DER certificate);
    /// returns how many. Nothing is added if one fails.
    ///
    /// # Errors
    /// [`RootsError`] when the file does not read, an item is not a
    /// certificate, or there would be more than 64.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<usize, RootsError> {
        let items = crate::input::der_items(pem, b"CERTIFICATE").map_err(RootsError::Input)?;
        for (index, der) in items.iter().enumerate() {
            check_certificate(der, index)?;
        }
        if self.roots.len() + items.len() > MAX_ROOTS {
            return Err(RootsError::TooMany { max: MAX_ROOTS });
        }
        let n = items.len();
        self.roots.extend(items);
        Ok(n)
    }

    /// Adds one DER certificate.
    ///
    /// # Errors
    /// [`RootsError::NotACertificate`], or [`RootsError::TooMany`].
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), RootsError> {
        let der = crate::input::check_der_extent(der, InputItem::Certificate)
            .map_err(RootsError::Input)?;
        check_certificate(der, 0)?;
        if self.roots.len() >= MAX_ROOTS {
            return Err(RootsError::TooMany { max: MAX_ROOTS });
        }
        self.roots.push(der.to_vec());
        Ok(())
    }

    /// The roots' DER, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.roots.iter().map(Vec::as_slice)
    }

    /// How many roots.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether there are none (a client with none trusts no server).
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// The roots as a rustls root store.
    ///
    /// # Errors
    /// [`RootsError::NotACertificate`] for a root webpki cannot use as a
    /// trust anchor.
    #[cfg(feature = "rustls")]
    pub fn to_root_store(&self) -> Result<rustls::RootCertStore, RootsError> {
        let mut store = rustls::RootCertStore::empty();
        for (index, der) in self.roots.iter().enumerate() {
            store
                .add(rustls_pki_types::CertificateDer::from(der.clone()))
                .map_err(|e| RootsError::NotACertificate {
                    index,
                    detail: e.to_string(),
                })?;
        }
        Ok(store)
    }
}

fn check_certificate(der: &[u8], index: usize) -> Result<(), RootsError> {
    x509_cert::Certificate::from_der(der)
        .map(|_| ())
        .map_err(|e| RootsError::NotACertificate {
            index,
            detail: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded file is the one its README names.
    #[test]
    fn embedded_root_is_the_documented_one() {
        assert_eq!(
            crate::display::sha256_hex(USERTRUST_RSA),
            "e793c9b02fd8aa13e21c31228accb08119643b749c898964b1746d46c3d4cbd2"
        );
        let readme = include_str!("../apns-roots/README.md");
        assert!(readme.contains(&crate::display::sha256_hex(USERTRUST_RSA)));
        let cert = x509_cert::Certificate::from_der(USERTRUST_RSA).unwrap();
        assert_eq!(
            cert.tbs_certificate().subject().to_string(),
            "CN=USERTrust RSA Certification Authority,O=The USERTRUST Network,L=Jersey City,ST=New Jersey,C=US"
        );
    }

    #[test]
    fn refuses_what_is_not_a_certificate() {
        let mut roots = ApnsRoots::empty();
        assert!(matches!(
            roots.add_pem(b"not a certificate"),
            Err(RootsError::Input(_))
        ));
        assert!(roots.add_der(&[0x30, 0x03, 0x02, 0x01, 0x00]).is_err());
        assert!(roots.is_empty());
        for _ in 0..MAX_ROOTS {
            roots.add_der(USERTRUST_RSA).unwrap();
        }
        assert_eq!(
            roots.add_der(USERTRUST_RSA),
            Err(RootsError::TooMany { max: 64 })
        );
    }
}
