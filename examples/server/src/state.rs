//! What the server does, without HTTP: make the signedCSR, judge an upload,
//! report the status. Each method takes `now` from the caller (the
//! handler reads the server's clock) and blocks (key generation, key
//! encryption, SQLite): the handlers run them on blocking tasks.

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use mdm_push_cert::apns::{ApnsRoots, DeviceToken, Endpoint, MdmPush, Outcome, PushMagic};
use mdm_push_cert::time::OffsetDateTime;
use mdm_push_cert::zeroize::Zeroizing;
use mdm_push_cert::{
    CertificateSummary, CsrBuilder, DEFAULT_COMMON_NAME, PrivateKey, PushCertificate, PushCsr,
    PushIdentity, ReminderSchedule, TrustAnchors, UploadCheck, UploadError, VendorError,
    VendorSigner,
};
use mdm_push_cert_apns::ApnsClient;
use sha2::Digest as _;

use crate::auth::{Admin, Sessions};
use crate::store::{Pending, Store, StoreError};

/// The server's clock: production reads the system clock, tests pass one
/// they move.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

/// Everything the server is configured with.
pub struct ServerConfig {
    /// The database.
    pub store: Store,
    /// The MDM vendor's signer, made once at start-up.
    pub signer: VendorSigner,
    /// The password customer keys are encrypted with at rest.
    pub secret: Zeroizing<Vec<u8>>,
    /// What uploads must chain to: Apple's anchors in production.
    pub anchors: TrustAnchors,
    /// The common name of the customer CSRs the server makes.
    pub customer_name: String,
    /// Where `now` comes from.
    pub clock: Clock,
    /// Where pushes go; `None` sends none (the push endpoint answers 503
    /// `apns_not_configured`).
    pub apns: Option<ApnsConfig>,
    /// The administrator who signs in to the console and the API; `None`
    /// lets nobody in.
    pub admin: Option<Admin>,
    /// Whether the console is served over TLS (directly or behind a
    /// proxy): the session cookie is then `Secure`.
    pub secure_cookies: bool,
    /// When reminder e-mails go out (Apple's 30, 10 and 1 days before the
    /// end, and at the end, by default).
    pub reminders: ReminderSchedule,
}

/// The APNs the server pushes through.
#[derive(Clone, Debug)]
pub struct ApnsConfig {
    /// Apple's production or development server, or a staging one.
    pub endpoint: Endpoint,
    /// The roots APNs' server chains to.
    pub roots: ApnsRoots,
}

impl Default for ApnsConfig {
    /// Apple's production APNs, trusted through the embedded USERTrust root.
    fn default() -> Self {
        Self {
            endpoint: Endpoint::PRODUCTION,
            roots: ApnsRoots::embedded(),
        }
    }
}

/// The last probe of APNs with the current certificate.
#[derive(Clone, Debug)]
pub struct Probe {
    /// What APNs answered.
    pub outcome: Outcome,
    /// When, by the server's clock.
    pub at: OffsetDateTime,
    /// The certificate probed (SHA-256 fingerprint, lower-case hex).
    pub certificate_sha256: String,
}

/// The server's one APNs client and what it last learned.
#[derive(Default)]
struct Pusher {
    client: RwLock<Option<ApnsClient>>,
    last_probe: Mutex<Option<Probe>>,
}

/// An accepted upload.
#[derive(Debug)]
pub struct Accepted {
    /// The new current certificate at `now`.
    pub summary: CertificateSummary,
    /// Its push identity, when it replaced the current certificate (not
    /// for the current one uploaded again).
    pub identity: Option<PushIdentity>,
}

impl ServerConfig {
    /// A configuration with Apple's trust anchors, the system clock and the
    /// crate's default CSR common name.
    pub fn new(store: Store, signer: VendorSigner, secret: Zeroizing<Vec<u8>>) -> Self {
        Self {
            store,
            signer,
            secret,
            anchors: TrustAnchors::apple(),
            customer_name: DEFAULT_COMMON_NAME.to_owned(),
            clock: Arc::new(system_now),
            apns: Some(ApnsConfig::default()),
            admin: None,
            secure_cookies: false,
            reminders: ReminderSchedule::default(),
        }
    }
}

/// The system clock. The one place the server reads it.
#[allow(clippy::disallowed_methods)]
fn system_now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The server's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<ServerConfig>, Arc<Pusher>, Arc<Sessions>);

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("signer", &self.0.signer)
            .finish_non_exhaustive()
    }
}

/// Why the signedCSR could not be made.
#[derive(Debug)]
pub enum RequestError {
    /// The database failed.
    Store(StoreError),
    /// The vendor signer refused (its certificate expired, for example),
    /// or the customer key or CSR could not be made.
    Vendor(String),
}

impl From<StoreError> for RequestError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<VendorError> for RequestError {
    fn from(e: VendorError) -> Self {
        Self::Vendor(e.to_string())
    }
}

/// What the status endpoint reports (README `Status`): the library's
/// [`CertificateSummary`], its keys at the top level as the library writes
/// them, and two keys of the server's.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Status {
    /// The current certificate at `now`.
    #[serde(flatten)]
    pub certificate: CertificateSummary,
    /// When it was uploaded.
    #[serde(with = "mdm_push_cert::time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
    /// Whether a signedCSR was downloaded and no certificate for it has
    /// been accepted yet (a renewal in progress).
    pub renewal_pending: bool,
    /// The outcome code of the last probe of APNs with this certificate
    /// (`bad_device_token` means APNs accepted it); `None` before one.
    pub apns_probe: Option<String>,
    /// When that probe was made.
    #[serde(with = "mdm_push_cert::time::serde::rfc3339::option")]
    pub apns_probed_at: Option<OffsetDateTime>,
}

fn storage(e: StoreError) -> UploadError {
    UploadError::retry_later(e.to_string())
}

impl AppState {
    /// The state for `config`.
    pub fn new(config: ServerConfig) -> Self {
        Self(Arc::new(config), Arc::default(), Arc::default())
    }

    /// The time now, by the configured clock.
    pub fn now(&self) -> OffsetDateTime {
        (self.0.clock)()
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The vendor signer (its certificate is reminded of too).
    pub fn signer(&self) -> &VendorSigner {
        &self.0.signer
    }

    /// When reminders go out.
    pub fn reminder_schedule(&self) -> &ReminderSchedule {
        &self.0.reminders
    }

    /// The signed-in sessions.
    pub fn sessions(&self) -> &Sessions {
        &self.2
    }

    /// The administrator, if one is configured.
    pub fn admin(&self) -> Option<&Admin> {
        self.0.admin.as_ref()
    }

    /// Whether session cookies are `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.0.secure_cookies
    }

    /// An uploaded PKCS#12 (`.p12`) push identity: its certificate is judged
    /// as any upload (the key in the file is not used: the server's own key
    /// for the request is).
    ///
    /// # Errors
    /// One of the four [`UploadError`]s: a wrong password or a damaged file
    /// is [`UploadError::InvalidCertificate`].
    pub fn upload_pkcs12(
        &self,
        bytes: &[u8],
        password: &str,
        now: OffsetDateTime,
    ) -> Result<Accepted, UploadError> {
        let identity = PushIdentity::from_pkcs12(bytes, password)?;
        self.upload(identity.certificate().der(), now)
    }

    /// The signedCSR file (base64) for the pending request, made first if
    /// none is pending: a new customer key (RSA-2048, stored encrypted) and
    /// its CSR. The vendor signs it at each call, at `now`, so a download
    /// always carries a signature valid now; the key and CSR stay the same
    /// until a certificate for them is accepted.
    ///
    /// # Errors
    /// [`RequestError`] when the database fails or the vendor cannot sign.
    pub fn signed_request(&self, now: OffsetDateTime) -> Result<String, RequestError> {
        let mut rng = rand::rng();
        let pending = match self.0.store.pending()? {
            Some(p) => p,
            None => {
                let key = PrivateKey::generate(&mut rng, 2048)
                    .map_err(|e| RequestError::Vendor(format!("key generation: {e}")))?;
                let csr = CsrBuilder::new()
                    .common_name(self.0.customer_name.clone())
                    .build(&key, &mut rng)
                    .map_err(|e| RequestError::Vendor(format!("the CSR: {e}")))?;
                let encrypted_key = key
                    .to_encrypted_pkcs8_der(&self.0.secret, &mut rng)
                    .map_err(|e| RequestError::Vendor(format!("key encryption: {e}")))?;
                self.0.store.insert_pending_if_absent(&Pending {
                    encrypted_key,
                    csr_der: csr.der().to_vec(),
                    created_at: now,
                })?
            }
        };
        let csr = PushCsr::from_der(&pending.csr_der).map_err(|e| {
            RequestError::Store(StoreError::corrupt(format!("the stored CSR: {e}")))
        })?;
        Ok(self.0.signer.sign(&csr, now, &mut rng)?.to_base64())
    }

    /// Judges an uploaded certificate (PEM or DER) at `now` and, if it is
    /// accepted, makes it the current one with the pending key.
    ///
    /// - With a pending request: the certificate must carry its public key,
    ///   keep the current topic and end later than the current certificate.
    /// - With none: the current certificate uploaded again is accepted
    ///   again (a repeated click changes nothing); any other certificate
    ///   that passes the checks that need no request is refused as
    ///   [`UploadError::PublicKeyMismatch`]: the server made no CSR it
    ///   could have been issued for.
    /// - A database failure, or a stored key the server secret does not
    ///   open, is [`UploadError::RetryLater`]; nothing is changed.
    ///
    /// # Errors
    /// One of the four [`UploadError`]s.
    pub fn upload(&self, bytes: &[u8], now: OffsetDateTime) -> Result<Accepted, UploadError> {
        let current = self
            .0
            .store
            .current()
            .map_err(storage)?
            .map(|c| PushCertificate::from_der(&c.certificate_der))
            .transpose()
            .map_err(|e| {
                UploadError::retry_later(format!("the stored certificate cannot be read: {e}"))
            })?;
        let mut check = UploadCheck::new(now).trust_anchors(self.0.anchors.clone());
        let Some(pending) = self.0.store.pending().map_err(storage)? else {
            return self
                .upload_without_request(&check, current.as_ref(), bytes, now)
                .map(|summary| Accepted {
                    summary,
                    identity: None,
                });
        };
        let csr = PushCsr::from_der(&pending.csr_der).map_err(|e| {
            UploadError::retry_later(format!("the stored request cannot be read: {e}"))
        })?;
        check = check.expected_csr(&csr);
        if let Some(c) = &current {
            check = check.previous_certificate(c);
        }
        let cert = check.check(bytes)?;
        // Open the key before anything changes: a certificate whose key the
        // server cannot use must not replace a working one.
        let key = PrivateKey::parse_with_password(&pending.encrypted_key, &self.0.secret).map_err(
            |e| UploadError::retry_later(format!("the stored key cannot be opened: {e}")),
        )?;
        let identity = PushIdentity::new(cert, key).map_err(|e| {
            UploadError::retry_later(format!("the stored key does not pair with it: {e}"))
        })?;
        self.0
            .store
            .accept(&pending, identity.certificate().der(), now)
            .map_err(storage)?;
        Ok(Accepted {
            summary: identity.certificate().summary(now),
            identity: Some(identity),
        })
    }

    fn upload_without_request(
        &self,
        check: &UploadCheck,
        current: Option<&PushCertificate>,
        bytes: &[u8],
        now: OffsetDateTime,
    ) -> Result<CertificateSummary, UploadError> {
        if let (Some(current), Ok(uploaded)) = (current, PushCertificate::parse(bytes))
            && uploaded.der() == current.der()
        {
            return Ok(current.summary(now));
        }
        let cert = check.check(bytes)?;
        Err(UploadError::PublicKeyMismatch {
            expected_sha256: "none: no signedCSR file was downloaded for this upload".into(),
            found_sha256: hex(&sha2::Sha256::digest(cert.spki_der())),
        })
    }

    /// The current certificate at `now`, or `None` before the first
    /// registration.
    ///
    /// # Errors
    /// When the database fails or the stored certificate cannot be read.
    pub fn status(&self, now: OffsetDateTime) -> Result<Option<Status>, StoreError> {
        let Some(current) = self.0.store.current()? else {
            return Ok(None);
        };
        let cert = PushCertificate::from_der(&current.certificate_der)
            .map_err(|e| StoreError::corrupt(format!("the stored certificate: {e}")))?;
        let probe = self
            .last_probe()
            .filter(|p| p.certificate_sha256 == cert.sha256_fingerprint_hex());
        Ok(Some(Status {
            certificate: cert.summary(now),
            uploaded_at: current.uploaded_at,
            renewal_pending: self.0.store.pending()?.is_some(),
            apns_probe: probe.as_ref().map(|p| p.outcome.code().to_owned()),
            apns_probed_at: probe.map(|p| p.at),
        }))
    }

    /// The push identity (certificate and decrypted key) an APNs client
    /// authenticates with, or `None` before the first registration.
    ///
    /// # Errors
    /// When the database fails or the stored key or certificate cannot be
    /// opened.
    pub fn push_identity(&self) -> Result<Option<PushIdentity>, StoreError> {
        let Some(current) = self.0.store.current()? else {
            return Ok(None);
        };
        let cert = PushCertificate::from_der(&current.certificate_der)
            .map_err(|e| StoreError::corrupt(format!("the stored certificate: {e}")))?;
        let key = PrivateKey::parse_with_password(&current.encrypted_key, &self.0.secret)
            .map_err(|e| StoreError::corrupt(format!("the stored key: {e}")))?;
        PushIdentity::new(cert, key)
            .map(Some)
            .map_err(|e| StoreError::corrupt(format!("the stored identity: {e}")))
    }
}

impl AppState {
    /// The APNs client, once a certificate is registered and APNs is
    /// configured.
    pub fn apns_client(&self) -> Option<ApnsClient> {
        self.1
            .client
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Makes `identity` the one the APNs client pushes with: swapped into
    /// the running client (pushes in flight finish on the old connection,
    /// the next ones use the new certificate), or a client made for it.
    /// Nothing happens when APNs is not configured.
    ///
    /// # Errors
    /// A key the TLS provider cannot use, or an unusable APNs
    /// configuration: the previous identity stays.
    pub fn use_identity(&self, identity: &PushIdentity) -> Result<(), String> {
        let Some(apns) = &self.0.apns else {
            return Ok(());
        };
        let mut slot = self
            .1
            .client
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        match slot.as_ref() {
            Some(client) => {
                client.swap_identity(identity).map_err(|e| e.to_string())?;
            }
            None => {
                let client = ApnsClient::builder(identity)
                    .endpoint(apns.endpoint.clone())
                    .roots(apns.roots.clone())
                    .build()
                    .map_err(|e| e.to_string())?;
                *slot = Some(client);
            }
        }
        Ok(())
    }

    /// Probes APNs with the current identity and keeps the outcome for the
    /// status; `None` when there is no client.
    pub async fn probe(&self) -> Option<Probe> {
        let client = self.apns_client()?;
        let certificate_sha256 = client.identity().stamp().sha256_fingerprint_hex();
        let outcome = client.probe().await;
        let at = self.now();
        let probe = Probe {
            outcome,
            at: at.replace_nanosecond(0).unwrap_or(at),
            certificate_sha256,
        };
        *self
            .1
            .last_probe
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(probe.clone());
        Some(probe)
    }

    /// The last probe, if any.
    pub fn last_probe(&self) -> Option<Probe> {
        self.1
            .last_probe
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sends an MDM push made at the server's `now`; `None` when there is
    /// no client (no certificate yet, or APNs not configured).
    pub async fn push(&self, token: DeviceToken, push_magic: PushMagic) -> Option<Outcome> {
        let client = self.apns_client()?;
        Some(
            client
                .push(&MdmPush::new(token, push_magic, self.now()))
                .await,
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
