//! The server on 127.0.0.1, driven over HTTP by a real client, with the
//! crate's stand-in Apple issuing the certificates and the server's clock
//! moved by the test.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::OffsetDateTime;
use mdm_push_cert::time::format_description::well_known::Rfc3339;
use mdm_push_cert::zeroize::Zeroizing;
use mdm_push_cert::{
    CertificateSummary, ErrorResponse, KeyError, PrivateKey, PushCertificate, PushCsr,
    SignedRequest,
};
use mdm_push_cert_example_server::{
    Admin, ApnsConfig, AppState, ServerConfig, Store, hash_password, router,
};

// The crate's own reading of the README tables (no copy of it here).
#[path = "../../../tests/support/json_contract.rs"]
mod json_contract;

use json_contract::{Field, check_fields, json_tables};

/// The field tables of the crate README's **JSON** section and of this
/// package's README, by object.
fn tables() -> &'static std::collections::BTreeMap<String, Vec<Field>> {
    static TABLES: std::sync::OnceLock<std::collections::BTreeMap<String, Vec<Field>>> =
        std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let read =
            |path: &str| std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut tables = json_tables(&read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../README.md"
        )));
        for (name, fields) in json_tables(&read(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")))
        {
            assert!(
                tables.insert(name.clone(), fields).is_none(),
                "{name} documented twice"
            );
        }
        tables
    })
}

fn table(name: &str) -> Vec<Field> {
    tables()
        .get(name)
        .unwrap_or_else(|| panic!("no README documents `{name}`"))
        .clone()
}

/// The key-at-rest secret of the test servers.
const SECRET: &[u8] = b"test server secret";

/// 2026-01-10T09:00:00Z, the first registration.
fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_768_035_600).unwrap()
}

fn apple() -> StandInApple {
    StandInApple::new(12)
}

// The four messages of the administrator's guide, and their English.
const INVALID_JA: &str =
    "MDM証明書の読み取り中にエラーが発生しました。\n無効な MDM証明書である可能性があります。";
const INVALID_EN: &str =
    "An error occurred while reading the MDM certificate.\nThe MDM certificate may be invalid.";
const KEY_EN: &str = "An error occurred while reading the MDM certificate.\nThe certificate's public key is different.\nCheck that the certificate was created with the CSR file you downloaded.";
const KEY_JA: &str = "MDM証明書の読み取り中にエラーが発生しました。\n証明書の公開キーが違います。\nダウンロードした CSRファイルで作成した証明書か確認してください。";
const RETRY_JA: &str =
    "MDM証明書の読み取り中にエラーが発生しました。\n時間をおいて再度実行してください。";
const RETRY_EN: &str =
    "An error occurred while reading the MDM certificate.\nWait a while and try again.";
const TOPIC_JA: &str =
    "前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。";

const JA: &str = "ja-JP,ja;q=0.9,en;q=0.8";

/// A running server, its clock and its state.
struct Server {
    base: String,
    /// The signed-in session's `Cookie` header and its CSRF token.
    cookie: String,
    csrf: String,
    clock: Arc<Mutex<OffsetDateTime>>,
    state: AppState,
    agent: ureq::Agent,
    // Dropped last: stops the server.
    _runtime: tokio::runtime::Runtime,
}

/// One HTTP answer.
struct Answer {
    status: u16,
    retry_after: Option<String>,
    content_disposition: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The body, checked against the tables of `objects` together (exactly
    /// their keys, each in its documented type and format).
    fn documented(&self, objects: &[&str]) -> serde_json::Value {
        let json = self.json();
        let fields: Vec<Field> = objects.iter().flat_map(|o| table(o)).collect();
        check_fields(&json, &fields).unwrap_or_else(|e| panic!("{objects:?}: {e}"));
        json
    }

    /// An upload's refusal: the library's `ErrorResponse`.
    fn error(&self) -> ErrorResponse {
        serde_json::from_value(self.documented(&["ErrorResponse"])).unwrap()
    }

    /// An accepted upload: the library's `CertificateSummary`, nothing more.
    fn summary(&self) -> CertificateSummary {
        serde_json::from_value(self.documented(&["CertificateSummary"])).unwrap()
    }

    /// The status: the summary's keys and the server's two.
    fn status_body(&self) -> serde_json::Value {
        self.documented(&["CertificateSummary", "Status"])
    }

    fn status_summary(&self) -> CertificateSummary {
        serde_json::from_value(self.status_body()).unwrap()
    }

    /// A failure of the server itself.
    fn server_error(&self) -> serde_json::Value {
        self.documented(&["ServerError"])
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A server that sends no push (no APNs configured).
fn start(apple: &StandInApple, store: Store, now: OffsetDateTime) -> Server {
    start_in(runtime(), apple, store, now, None)
}

fn start_in(
    runtime: tokio::runtime::Runtime,
    apple: &StandInApple,
    store: Store,
    now: OffsetDateTime,
    apns: Option<ApnsConfig>,
) -> Server {
    let clock = Arc::new(Mutex::new(now));
    let mut config = ServerConfig::new(
        store,
        apple.vendor_signer(now).unwrap(),
        Zeroizing::new(SECRET.to_vec()),
    );
    config.anchors = apple.anchors();
    config.apns = apns;
    config.admin = Some(admin());
    let read = Arc::clone(&clock);
    config.clock = Arc::new(move || *read.lock().unwrap());
    let state = AppState::new(config);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(state.clone());
    runtime.spawn(async move { axum::serve(listener, app).await });
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build(),
    );
    let (cookie, csrf) =
        sign_in(&agent, &base, ADMIN_PASSWORD).expect("the administrator signs in");
    Server {
        base,
        cookie,
        csrf,
        clock,
        state,
        agent,
        _runtime: runtime,
    }
}

/// The administrator's password in the tests.
const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// The administrator, with the hash of [`ADMIN_PASSWORD`] (made once).
fn admin() -> Admin {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    Admin {
        user: "admin".into(),
        password_hash: HASH
            .get_or_init(|| hash_password(ADMIN_PASSWORD).unwrap())
            .clone(),
    }
}

/// Signs in as the console's form does: the session cookie from the
/// redirect, then the CSRF token from `GET /session`. `None` when refused.
fn sign_in(agent: &ureq::Agent, base: &str, password: &str) -> Option<(String, String)> {
    let r = agent
        .post(format!("{base}/login"))
        .config()
        .max_redirects(0)
        .build()
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!(
            "user=admin&password={}",
            password.replace(' ', "+")
        ))
        .unwrap();
    if r.status() != 303 {
        return None;
    }
    let set = r.headers().get("set-cookie")?.to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_owned();
    let mut r = agent
        .get(format!("{base}/session"))
        .header("Cookie", &cookie)
        .call()
        .unwrap();
    let body: serde_json::Value =
        serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    Some((cookie, body["csrf_token"].as_str().unwrap().to_owned()))
}

impl Server {
    fn set_now(&self, now: OffsetDateTime) {
        *self.clock.lock().unwrap() = now;
    }

    fn now(&self) -> OffsetDateTime {
        *self.clock.lock().unwrap()
    }

    fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
        let header = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let retry_after = header("retry-after");
        let content_disposition = header("content-disposition");
        Answer {
            status: r.status().as_u16(),
            retry_after,
            content_disposition,
            body: r.body_mut().read_to_string().unwrap(),
        }
    }

    fn get(&self, path: &str, lang: Option<&str>) -> Answer {
        let mut req = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", &self.cookie);
        if let Some(lang) = lang {
            req = req.header("Accept-Language", lang);
        }
        Self::answer(req.call().unwrap())
    }

    /// Downloads the signedCSR, checks it as Apple's portal would, and
    /// returns the customer CSR inside.
    fn download(&self, apple: &StandInApple) -> PushCsr {
        let a = self.get("/mdm/push-certificate/request", None);
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(
            a.content_disposition.as_deref(),
            Some("attachment; filename=\"signedCSR\"")
        );
        let req = SignedRequest::parse(a.body.as_bytes()).unwrap();
        req.verify_with_anchors(&apple.anchors(), self.now())
            .unwrap();
        PushCsr::from_der(req.csr_der()).unwrap()
    }

    fn upload(&self, body: &[u8], lang: Option<&str>) -> Answer {
        let mut req = self
            .agent
            .post(format!("{}/mdm/push-certificate", self.base))
            .header("Cookie", &self.cookie)
            .header("X-CSRF-Token", &self.csrf);
        if let Some(lang) = lang {
            req = req.header("Accept-Language", lang);
        }
        Self::answer(req.send(body).unwrap())
    }

    fn status(&self) -> Answer {
        self.get("/mdm/push-certificate", None)
    }

    /// `POST /mdm/devices/{token}/push` with the PushMagic.
    fn push(&self, token: &str, magic: &str) -> Answer {
        let req = self
            .agent
            .post(format!("{}/mdm/devices/{token}/push", self.base))
            .header("Cookie", &self.cookie)
            .header("X-CSRF-Token", &self.csrf);
        Self::answer(req.send(magic.as_bytes()).unwrap())
    }

    /// The status once its probe of APNs is in (it runs after the upload).
    fn probed_status(&self, certificate: &PushCertificate) -> serde_json::Value {
        for _ in 0..200 {
            let status = self.status().status_body();
            if status["apns_probe"].is_string()
                && status["sha256_fingerprint"] == certificate.sha256_fingerprint_hex()
            {
                return status;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("no probe: {}", self.status().body);
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

/// A database file of its own for a test, removed when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "mdm-push-cert-example-server-{}-{name}.sqlite3",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        Self(path)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn registration_renewal_expiry_and_the_four_errors() {
    let apple = apple();
    let t0 = t0();
    let server = start(&apple, Store::open(":memory:").unwrap(), t0);

    // Nothing registered yet.
    let a = server.status();
    assert_eq!(a.status, 404);
    assert_eq!(a.server_error()["code"], "not_registered");
    let a = server.get("/mdm/push-certificate", Some(JA));
    assert_eq!(
        a.server_error()["message"],
        "MDM証明書が登録されていません。"
    );

    // The signedCSR: a second download is the same request (same key).
    let csr1 = server.download(&apple);
    assert_eq!(server.download(&apple), csr1);

    // Mistakes at the first registration.
    let a = server.upload(b"this is not a certificate", None);
    assert_eq!(a.status, 422);
    assert_eq!(a.error().code, "invalid_certificate");
    assert_eq!(a.error().message, INVALID_EN);
    assert_eq!(a.retry_after, None);

    let expired = apple.expired(&csr1, t0).unwrap();
    let a = server.upload(expired.to_pem().as_bytes(), Some(JA));
    assert_eq!(a.status, 422);
    assert_eq!(a.error().code, "invalid_certificate");
    assert_eq!(a.error().message, INVALID_JA);
    assert!(a.error().detail.contains("expired"), "{}", a.body);

    // A certificate that starts tomorrow (the server's clock is behind):
    // retry when it starts.
    let early = apple.not_yet_valid(&csr1, t0).unwrap();
    let a = server.upload(early.der(), Some(JA));
    assert_eq!(a.status, 503);
    assert_eq!(a.error().code, "retry_later");
    assert_eq!(a.error().message, RETRY_JA);
    assert_eq!(a.retry_after.as_deref(), Some("86400"));

    // The portal's certificate for the downloaded request: accepted.
    let first = apple.first_registration(&csr1, t0).unwrap();
    let a = server.upload(first.to_pem().as_bytes(), None);
    assert_eq!(a.status, 200, "{}", a.body);
    let s = a.summary();
    assert_eq!(&s.topic, first.topic());
    assert_eq!(s.not_after, first.not_after());
    assert_eq!(
        (s.status.as_str(), s.expired, s.expiring_soon),
        ("valid", false, false)
    );

    // Uploaded again (a second click): the same answer, nothing changes.
    let a = server.upload(first.der(), None);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.summary().serial, first.serial_hex());

    let a = server.status();
    assert_eq!(a.status, 200);
    let s = a.status_summary();
    assert_eq!(&s.topic, first.topic());
    assert_eq!(s.serial, first.serial_hex());
    assert_eq!(s.sha256_fingerprint, first.sha256_fingerprint_hex());
    assert_eq!(s.days_remaining, Some(364));
    assert_eq!((s.expired, s.expiring_soon), (false, false));
    let j = a.status_body();
    assert_eq!(j["not_after"], rfc3339(first.not_after()));
    assert_eq!(j["uploaded_at"], rfc3339(t0));
    assert_eq!(j["renewal_pending"], false);

    // A certificate for a key the server never made a request for, while
    // none is pending: it cannot be for a CSR of this server.
    let stranger = apple.customer_key(1).unwrap();
    let a = server.upload(
        apple.renewal(&first, &stranger, t0).unwrap().der(),
        Some(JA),
    );
    assert_eq!(a.status, 422);
    assert_eq!(a.error().code, "public_key_mismatch");
    assert_eq!(a.error().message, KEY_JA);
    assert!(a.error().detail.contains("no signedCSR"), "{}", a.body);

    // 20 days before expiry: the console's pop-up.
    let t1 = first.not_after() - mdm_push_cert::time::Duration::days(20);
    server.set_now(t1);
    let s = server.status().status_summary();
    assert_eq!(
        (s.status.as_str(), s.expired, s.expiring_soon),
        ("expiring_soon", false, true)
    );
    assert_eq!(s.days_remaining, Some(20));

    // Renewal: a new request, with a new key.
    let csr2 = server.download(&apple);
    assert_ne!(csr2.spki_der(), csr1.spki_der());
    assert_eq!(server.status().status_body()["renewal_pending"], true);

    // "Create" clicked instead of "Renew".
    let created = apple.created_instead_of_renewed(&first, &csr2, t1).unwrap();
    let a = server.upload(created.der(), Some(JA));
    assert_eq!(a.status, 409);
    assert_eq!(a.error().code, "topic_mismatch");
    assert_eq!(a.error().message, TOPIC_JA);

    // Renewed with last year's signedCSR (its key).
    let a = server.upload(apple.renewal(&first, &csr1, t1).unwrap().der(), None);
    assert_eq!(a.status, 422);
    assert_eq!(a.error().code, "public_key_mismatch");
    assert_eq!(a.error().message, KEY_EN);

    // An expired certificate with the right topic and key.
    let old = apple
        .issue(
            &csr2,
            first.topic(),
            t1 - mdm_push_cert::time::Duration::days(400),
            t1 - mdm_push_cert::time::Duration::days(35),
        )
        .unwrap();
    let a = server.upload(old.der(), None);
    assert_eq!(a.status, 422);
    assert_eq!(a.error().code, "invalid_certificate");

    // Every refusal left the current certificate in place.
    assert_eq!(server.status().status_summary().serial, first.serial_hex());

    // The renewal: accepted, same topic, a year more.
    let renewed = apple.renewal(&first, &csr2, t1).unwrap();
    let a = server.upload(renewed.to_pem().as_bytes(), None);
    assert_eq!(a.status, 200, "{}", a.body);
    let s = server.status().status_summary();
    assert_eq!(&s.topic, first.topic());
    assert_eq!(s.serial, renewed.serial_hex());
    assert_eq!((s.expired, s.expiring_soon), (false, false));
    assert_eq!(server.status().status_body()["renewal_pending"], false);

    // The APNs client's identity is the renewed certificate with the key
    // made for csr2.
    let identity = server.state.push_identity().unwrap().unwrap();
    assert_eq!(identity.certificate().der(), renewed.der());
    assert_eq!(identity.key().spki_der(), csr2.spki_der());

    // A day after the renewed certificate ends: red.
    let t2 = renewed.not_after() + mdm_push_cert::time::Duration::days(1);
    server.set_now(t2);
    let s = server.status().status_summary();
    assert_eq!(
        (s.status.as_str(), s.expired, s.expiring_soon),
        ("expired", true, false)
    );
    assert_eq!(s.days_remaining, Some(-2));

    // By then the vendor certificate (valid for a year from t0) has
    // expired too: the server cannot sign a request, and says so.
    let a = server.get("/mdm/push-certificate/request", None);
    assert_eq!(a.status, 500);
    assert_eq!(a.server_error()["code"], "vendor_signing_failed");
    assert!(
        a.server_error()["detail"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{}",
        a.body
    );
}

#[test]
fn the_key_is_encrypted_at_rest_survives_a_restart_and_a_locked_database_means_retry() {
    let apple = apple();
    let t0 = t0();
    let db = TempDb::new("restart");
    let open = || Store::open_with_busy_timeout(&db.0, Duration::from_millis(200)).unwrap();

    let server = start(&apple, open(), t0);
    let csr1 = server.download(&apple);
    let raw = rusqlite::Connection::open(&db.0).unwrap();
    let stored: Vec<u8> = raw
        .query_row("SELECT encrypted_key FROM pending_request", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(PrivateKey::parse(&stored).unwrap_err(), KeyError::Encrypted);
    let key = PrivateKey::parse_with_password(&stored, SECRET).unwrap();
    assert_eq!(key.spki_der(), csr1.spki_der());

    let first = apple.first_registration(&csr1, t0).unwrap();
    assert_eq!(server.upload(first.der(), None).status, 200);
    drop(server);

    // A new process on the same database.
    let server = start(&apple, open(), t0);
    let s = server.status().status_summary();
    assert_eq!(&s.topic, first.topic());
    let identity = server.state.push_identity().unwrap().unwrap();
    assert_eq!(identity.key().spki_der(), csr1.spki_der());

    // Another process holds the database: the upload is refused with
    // "retry later", and the retry succeeds once it lets go.
    let t1 = t0 + mdm_push_cert::time::Duration::days(10);
    server.set_now(t1);
    let csr2 = server.download(&apple);
    let renewed = apple.renewal(&first, &csr2, t1).unwrap();
    raw.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let a = server.upload(renewed.der(), None);
    assert_eq!(a.status, 503, "{}", a.body);
    assert_eq!(a.error().code, "retry_later");
    assert_eq!(a.error().message, RETRY_EN);
    assert!(a.error().detail.contains("locked"), "{}", a.body);
    assert_eq!(a.retry_after.as_deref(), Some("30"));
    let a = server.get("/mdm/push-certificate", Some(JA));
    assert_eq!(a.status, 503);
    assert_eq!(a.server_error()["code"], "storage_unavailable");
    raw.execute_batch("ROLLBACK").unwrap();

    let a = server.upload(renewed.der(), None);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        server.status().status_summary().serial,
        renewed.serial_hex()
    );
    let parsed = PushCertificate::parse(renewed.to_pem().as_bytes()).unwrap();
    assert_eq!(
        server.state.push_identity().unwrap().unwrap().topic(),
        parsed.topic()
    );
}

#[test]
fn the_language_follows_accept_language() {
    let apple = apple();
    let server = start(&apple, Store::open(":memory:").unwrap(), t0());
    for (header, message) in [
        (None, INVALID_EN),
        (Some(JA), INVALID_JA),
        (Some("ja"), INVALID_JA),
        (Some("fr-FR, en;q=0.5, ja;q=0.4"), INVALID_EN),
        (Some("en;q=0.1, ja"), INVALID_JA),
        (Some("de"), INVALID_EN),
    ] {
        let a = server.upload(b"MDM_Example_Certificate.pem", header);
        assert_eq!(a.error().message, message, "Accept-Language: {header:?}");
    }
}

#[test]
fn an_upload_over_the_size_limit_is_refused_as_invalid() {
    let apple = apple();
    let server = start(&apple, Store::open(":memory:").unwrap(), t0());
    let a = server.upload(&vec![b'A'; mdm_push_cert::MAX_INPUT_LEN + 1], Some(JA));
    assert_eq!(a.status, 413);
    assert_eq!(a.error().code, "invalid_certificate");
    assert_eq!(a.error().message, INVALID_JA);
    assert!(a.error().detail.contains("bytes"), "{}", a.body);
}

#[test]
fn the_servers_objects_are_documented_beside_the_librarys() {
    // Its own failures have the keys and types of ErrorResponse; only the
    // codes differ, and none is an upload's.
    let (own, upload) = (table("ServerError"), table("ErrorResponse"));
    let shape = |t: &[Field]| -> Vec<(String, String)> {
        t.iter()
            .map(|f| (f.name.clone(), f.json_type.clone()))
            .collect()
    };
    assert_eq!(shape(&own), shape(&upload));
    let codes = |t: &[Field]| -> std::collections::BTreeSet<String> {
        t[0].format
            .strip_prefix("one of ")
            .unwrap()
            .split(", ")
            .map(|c| c.trim_matches('`').to_owned())
            .collect()
    };
    assert!(codes(&own).is_disjoint(&codes(&upload)));
    // The status's own keys sit beside the summary's without hiding one.
    for f in table("Status") {
        assert!(
            table("CertificateSummary").iter().all(|s| s.name != f.name),
            "{}",
            f.name
        );
    }
}

/// The way from an accepted upload to a delivered push, on the stand-in
/// APNs: the upload gives the running client its identity and a probe;
/// pushes keep being delivered while a renewal swaps the certificate; the
/// old connection drains; a revoked certificate's push is
/// `certificate_revoked`. The clock is the real one (the stand-in APNs
/// checks validity by it).
#[test]
#[allow(clippy::disallowed_methods)] // the real clock, which the stand-in APNs checks by
fn pushes_survive_a_renewal_and_a_revocation_is_typed() {
    use mdm_push_cert::apns::DeviceToken;
    use mdm_push_cert_apns::stand_in::StandInApns;

    let apple = apple();
    let runtime = runtime();
    let apns = runtime.block_on(StandInApns::start(&apple)).unwrap();
    let db = TempDb::new("push");
    // Whole seconds: the status writes times so.
    let now =
        OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp()).unwrap();
    let config = ApnsConfig {
        endpoint: apns.endpoint(),
        roots: apns.client_roots(),
    };
    let server = start_in(
        runtime,
        &apple,
        Store::open(&db.0).unwrap(),
        now,
        Some(config),
    );

    // Before any certificate: nothing to push with.
    const TOKEN: &str = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0";
    let a = server.push(TOKEN, "MAGIC");
    assert_eq!(a.status, 503);
    assert_eq!(a.server_error()["code"], "apns_not_configured");

    let csr = server.download(&apple);
    // Issued two hours and one hour ago, so that the renewal ends later.
    let first = apple
        .first_registration(&csr, now - mdm_push_cert::time::Duration::hours(2))
        .unwrap();
    assert_eq!(server.upload(first.der(), None).status, 200);
    let status = server.probed_status(&first);
    assert_eq!(status["apns_probe"], "bad_device_token");
    apns.register(&TOKEN.parse::<DeviceToken>().unwrap(), first.topic());

    let a = server.push(TOKEN, "MAGIC-1");
    assert_eq!(a.status, 200, "{}", a.body);
    let outcome = a.documented(&["OutcomeResponse"]);
    assert_eq!(outcome["outcome"], "delivered");

    // Pushes from another thread all through the renewal.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let pusher = {
        let stop = Arc::clone(&stop);
        let base = server.base.clone();
        let agent = server.agent.clone();
        let (cookie, csrf) = (server.cookie.clone(), server.csrf.clone());
        std::thread::spawn(move || {
            let mut codes = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || codes.len() < 20 {
                let mut r = agent
                    .post(format!("{base}/mdm/devices/{TOKEN}/push"))
                    .header("Cookie", &cookie)
                    .header("X-CSRF-Token", &csrf)
                    .send(&b"MAGIC-2"[..])
                    .unwrap();
                let body: serde_json::Value =
                    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                codes.push((
                    r.status().as_u16(),
                    body["outcome"].as_str().unwrap().to_owned(),
                ));
            }
            codes
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let csr2 = server.download(&apple);
    let renewed = apple
        .renewal(&first, &csr2, now - mdm_push_cert::time::Duration::hours(1))
        .unwrap();
    let a = server.upload(renewed.der(), None);
    assert_eq!(a.status, 200, "{}", a.body);
    let status = server.probed_status(&renewed);
    assert_eq!(status["apns_probe"], "bad_device_token");
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let codes = pusher.join().unwrap();
    assert!(
        codes.iter().all(|(s, c)| *s == 200 && c == "delivered"),
        "{codes:?}"
    );

    // Both certificates pushed; after the upload, only the renewed one.
    let received = apns.received();
    let old_fp = first.sha256_fingerprint_hex();
    let new_fp = renewed.sha256_fingerprint_hex();
    assert!(received.iter().any(|r| r.certificate_sha256 == old_fp));
    let a = server.push(TOKEN, "MAGIC-3");
    assert_eq!(a.status, 200);
    assert_eq!(apns.received().last().unwrap().certificate_sha256, new_fp);
    // The old connection drained: one connection is open.
    let client = server.state.apns_client().unwrap();
    for _ in 0..100 {
        if client.open_connections() == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(client.open_connections(), 1);

    // APNs revokes the certificate; the next connection is refused.
    apns.revoke(&renewed);
    apns.drop_connections();
    let a = server.push(TOKEN, "MAGIC-4");
    assert_eq!(a.status, 502, "{}", a.body);
    let outcome = a.documented(&["OutcomeResponse"]);
    assert_eq!(outcome["outcome"], "certificate_revoked");
    assert!(outcome["status"].is_null());

    // A token that is not hex: the server's own refusal.
    let a = server.push("not-hex", "MAGIC");
    assert_eq!(a.status, 400);
    assert_eq!(a.server_error()["code"], "bad_push_request");
    drop(apns);
}

/// The API is behind the console's sign-in: no session, no answer; an
/// unsafe call without the session's CSRF token is refused; a wrong
/// password signs nobody in.
#[test]
fn the_api_needs_a_session_and_its_csrf_token() {
    let apple = apple();
    let db = TempDb::new("auth");
    let server = start(&apple, Store::open(&db.0).unwrap(), t0());
    let a = Server::answer(
        server
            .agent
            .get(format!("{}/mdm/push-certificate/request", server.base))
            .call()
            .unwrap(),
    );
    assert_eq!(a.status, 401);
    assert_eq!(a.server_error()["code"], "not_signed_in");
    let a = Server::answer(
        server
            .agent
            .post(format!("{}/mdm/push-certificate", server.base))
            .header("Cookie", &server.cookie)
            .send(&b"x"[..])
            .unwrap(),
    );
    assert_eq!(a.status, 403);
    assert_eq!(a.server_error()["code"], "csrf_token_missing");
    assert!(sign_in(&server.agent, &server.base, "wrong password").is_none());
    // Five failures in a row, then every attempt waits, the right one too.
    for _ in 1..5 {
        assert!(sign_in(&server.agent, &server.base, "wrong password").is_none());
    }
    let r = server
        .agent
        .post(format!("{}/login", server.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!(
            "user=admin&password={}",
            ADMIN_PASSWORD.replace(' ', "+")
        ))
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    std::thread::sleep(Duration::from_millis(1100));
    assert!(sign_in(&server.agent, &server.base, ADMIN_PASSWORD).is_some());
    // The session works.
    assert_eq!(
        server.get("/mdm/push-certificate/request", None).status,
        200
    );
}

/// The binary as a service manager runs it: configured from the
/// environment, serving, and stopping cleanly (exit 0) on SIGTERM.
#[cfg(unix)]
#[test]
fn the_binary_serves_and_stops_on_sigterm() {
    let apple = apple();
    let dir = std::env::temp_dir().join(format!("mdm-push-cert-sigterm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    #[allow(clippy::disallowed_methods)] // the vendor certificate must be valid now
    let now = OffsetDateTime::now_utc();
    let vendor = apple
        .vendor_certificate(mdm_push_cert::testing::VendorCertificateKind::Valid, now)
        .unwrap();
    std::fs::write(dir.join("vendor.der"), vendor).unwrap();
    std::fs::write(
        dir.join("vendor.key"),
        apple.vendor_key().to_pkcs8_pem().unwrap().as_bytes(),
    )
    .unwrap();
    std::fs::write(dir.join("anchors.pem"), apple.anchors_pem()).unwrap();
    std::fs::write(dir.join("admin.hash"), admin().password_hash).unwrap();
    // A free port, released for the server.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mdm-push-cert-example-server"))
        .env_clear()
        .env("MDM_SERVER_LISTEN", format!("127.0.0.1:{port}"))
        .env("MDM_SERVER_DB", dir.join("db.sqlite3"))
        .env("MDM_VENDOR_CERT", dir.join("vendor.der"))
        .env("MDM_VENDOR_KEY", dir.join("vendor.key"))
        .env("MDM_TRUST_ANCHORS", dir.join("anchors.pem"))
        .env("MDM_SERVER_SECRET", "sigterm test secret")
        .env("MDM_ADMIN_PASSWORD_HASH_FILE", dir.join("admin.hash"))
        .env("MDM_APNS", "off")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let agent = ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build(),
    );
    let mut up = false;
    for _ in 0..100 {
        if agent
            .get(format!("{base}/login"))
            .call()
            .is_ok_and(|r| r.status() == 200)
        {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(up, "the server did not come up");
    assert!(sign_in(&agent, &base, ADMIN_PASSWORD).is_some());
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut status = None;
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("the server did not stop within 5 s of SIGTERM");
    };
    let mut log = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert!(status.success(), "{status}: {log}");
    assert!(log.contains("stopping"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
