//! `push` and `probe` against the stand-in APNs (the APNs client crate's
//! `testing` feature), running in this test's own runtime.

mod support;

use std::path::PathBuf;
use std::process::Output;

use mdm_push_cert::apns::DeviceToken;
use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::{Duration, OffsetDateTime};
use mdm_push_cert::{PushCertificate, PushIdentity};
use mdm_push_cert_apns::stand_in::StandInApns;
use support::{json, stderr, stdout, tempdir, tool};

const TOKEN: &str = "00fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0";
const GONE: &str = "11fc13adff785122b4ad28809a3420982341241421348097878e577c991de8f0";

struct World {
    runtime: tokio::runtime::Runtime,
    apns: Option<StandInApns>,
    apple: StandInApple,
    dir: PathBuf,
    identity: PushIdentity,
}

impl World {
    fn new() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let apple = StandInApple::new(21);
        let apns = runtime.block_on(StandInApns::start(&apple)).unwrap();
        let key = apple.customer_key(1).unwrap();
        let now = OffsetDateTime::now_utc() - Duration::hours(1);
        let cert = apple.first_registration(&key, now).unwrap();
        let identity = PushIdentity::new(cert, key).unwrap();
        apns.register(&TOKEN.parse().unwrap(), identity.topic());
        apns.unregister(&GONE.parse::<DeviceToken>().unwrap(), 1_764_579_600_000);
        let dir = tempdir();
        std::fs::write(dir.join("apns-ca.pem"), apns.server_root_pem()).unwrap();
        let w = Self {
            runtime,
            apns: Some(apns),
            apple,
            dir,
            identity,
        };
        w.write_identity("push", &w.identity.clone());
        w
    }

    fn apns(&self) -> &StandInApns {
        self.apns.as_ref().unwrap()
    }

    /// `<name>.pem` and `<name>.key`.
    fn write_identity(&self, name: &str, identity: &PushIdentity) {
        std::fs::write(
            self.path(&format!("{name}.pem")),
            identity.certificate().to_pem(),
        )
        .unwrap();
        let key = identity.key().to_pkcs8_pem().unwrap();
        std::fs::write(self.path(&format!("{name}.key")), key.as_bytes()).unwrap();
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_owned()
    }

    /// The tool with the stand-in's URL and root and the identity `name`.
    fn run(&self, command: &str, name: &str, extra: &[&str]) -> Output {
        let url = self.apns().url();
        let (cert, key, ca) = (
            self.path(&format!("{name}.pem")),
            self.path(&format!("{name}.key")),
            self.path("apns-ca.pem"),
        );
        let mut args = vec![
            command,
            "--cert",
            &cert,
            "--key",
            &key,
            "--apns-url",
            &url,
            "--apns-ca",
            &ca,
        ];
        args.extend_from_slice(extra);
        tool(&args).output().unwrap()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        // The stand-in's tasks end in its runtime.
        let apns = self.apns.take();
        self.runtime.block_on(async move { drop(apns) });
    }
}

const KEYS: [&str; 8] = [
    "outcome",
    "status",
    "reason",
    "apns_id",
    "timestamp",
    "message",
    "remedy",
    "retry_after_seconds",
];

fn keys_of(value: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

fn sorted_keys() -> Vec<String> {
    let mut keys: Vec<String> = KEYS.iter().map(|k| (*k).to_owned()).collect();
    keys.sort();
    keys
}

#[test]
fn a_push_is_delivered_and_a_gone_device_says_so() {
    let w = World::new();
    let out = w.run(
        "push",
        "push",
        &["--token", TOKEN, "--push-magic", "MAGIC-1"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).starts_with("delivered: HTTP 200"),
        "{}",
        stdout(&out)
    );
    let received = w.apns().received();
    let push = received[0].push.as_ref().unwrap();
    assert_eq!(push.body(), br#"{"mdm":"MAGIC-1"}"#);
    assert_eq!(push.topic(), w.identity.topic().as_str());

    let out = w.run(
        "push",
        "push",
        &["--token", TOKEN, "--push-magic", "MAGIC-1", "--json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(keys_of(&v), sorted_keys());
    assert_eq!(v["outcome"], "delivered");
    assert_eq!(v["status"], 200);
    assert!(v["apns_id"].is_string());
    assert!(
        v["reason"].is_null() && v["timestamp"].is_null() && v["retry_after_seconds"].is_null()
    );

    let out = w.run(
        "push",
        "push",
        &["--token", GONE, "--push-magic", "M", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(keys_of(&v), sorted_keys());
    assert_eq!(v["outcome"], "device_gone");
    assert_eq!(v["status"], 410);
    assert_eq!(v["reason"], "Unregistered");
    assert_eq!(v["timestamp"], "2025-12-01T09:00:00Z");
}

#[test]
fn probe_accepts_a_good_certificate_and_names_a_revoked_one() {
    let w = World::new();
    let out = w.run("probe", "push", &["--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let v = json(&out);
    assert_eq!(v["outcome"], "bad_device_token");
    assert_eq!(v["reason"], "BadDeviceToken");

    w.apns().revoke(w.identity.certificate());
    let out = w.run("probe", "push", &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("certificate_revoked: TLS alert certificate_revoked"),
        "{text}"
    );
    assert!(
        text.contains("The MDM certificate has been revoked."),
        "{text}"
    );
    let out = w.run("probe", "push", &["--json", "--lang", "ja"]);
    let v = json(&out);
    assert_eq!(v["outcome"], "certificate_revoked");
    assert!(v["message"].as_str().unwrap().contains("失効"), "{v}");
}

#[test]
fn an_expired_certificate_and_an_untrusted_server_are_refusals() {
    let w = World::new();
    let key = w.apple.customer_key(2).unwrap();
    let expired: PushCertificate = w.apple.expired(&key, OffsetDateTime::now_utc()).unwrap();
    w.write_identity("expired", &PushIdentity::new(expired, key).unwrap());
    let out = w.run("probe", "expired", &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["outcome"], "certificate_expired");

    // Without --apns-ca the embedded USERTrust root does not trust the stand-in.
    let url = w.apns().url();
    let (cert, key) = (w.path("push.pem"), w.path("push.key"));
    let out = tool(&[
        "probe",
        "--cert",
        &cert,
        "--key",
        &key,
        "--apns-url",
        &url,
        "--json",
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["outcome"], "server_not_trusted");
}

#[test]
fn a_p12_identity_with_its_password() {
    let w = World::new();
    let p12 = w
        .identity
        .to_pkcs12(
            "secret",
            mdm_push_cert::Pkcs12Profile::Modern,
            &mut rand::rng(),
        )
        .unwrap();
    std::fs::write(w.path("push.p12"), p12).unwrap();
    std::fs::write(w.path("pass"), "secret\n").unwrap();
    let (p12, pass, url, ca) = (
        w.path("push.p12"),
        w.path("pass"),
        w.apns().url(),
        w.path("apns-ca.pem"),
    );
    let out = tool(&[
        "push",
        "--p12",
        &p12,
        "--password-file",
        &pass,
        "--apns-url",
        &url,
        "--apns-ca",
        &ca,
        "--token",
        TOKEN,
        "--push-magic",
        "M",
    ])
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // Without the password: a usage error naming the options.
    let out = tool(&["probe", "--p12", &p12, "--apns-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--password-file"), "{}", stderr(&out));
}

#[test]
fn bad_arguments_are_usage_errors() {
    let w = World::new();
    for (extra, needle) in [
        (&["--token", "xyz", "--push-magic", "M"][..], "--token"),
        (
            &["--token", TOKEN, "--push-magic", "a\"b"][..],
            "--push-magic",
        ),
    ] {
        let out = w.run("push", "push", extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&out).contains(needle), "{}", stderr(&out));
    }
    let out = tool(&["probe", "--cert", "x.pem"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = w.run("probe", "push", &["--apns-url", "ftp://example"]);
    assert_eq!(out.status.code(), Some(2));
    // Nothing reached the stand-in.
    assert!(w.apns().received().is_empty());
}
