//! Reminder e-mails through a real SMTP exchange on 127.0.0.1: an SMTP
//! listener of the test's own (it speaks just enough of RFC 5321 for a
//! client: greeting, EHLO, MAIL, RCPT, DATA, QUIT) receives what the
//! server's lettre transport sends. The server's clock is moved across a
//! certificate's last month, a restart and a renewal.

use std::sync::{Arc, Mutex};

use mdm_push_cert::testing::StandInApple;
use mdm_push_cert::time::{Duration, OffsetDateTime};
use mdm_push_cert::zeroize::Zeroizing;
use mdm_push_cert::{CertificateKind, PushCertificate, PushCsr};
use mdm_push_cert_example_server::{
    AppState, Mailer, ServerConfig, SmtpConfig, SmtpSecurity, Store,
};
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};

/// One message as the SMTP listener received it.
#[derive(Clone, Debug)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: String,
}

impl Mail {
    /// The decoded `Subject:` header (lettre encodes non-ASCII as RFC 2047
    /// base64 words).
    fn subject(&self) -> String {
        let raw: String = self
            .data
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .replace("\r\n ", " ")
            .lines()
            .find_map(|l| l.strip_prefix("Subject: "))
            .unwrap()
            .to_owned();
        raw.split(' ').map(decode_word).collect::<Vec<_>>().join("")
    }
}

fn decode_word(word: &str) -> String {
    use base64::Engine as _;
    match word
        .strip_prefix("=?utf-8?b?")
        .and_then(|w| w.strip_suffix("?="))
    {
        Some(b64) => String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap(),
        )
        .unwrap(),
        None => format!("{word} "),
    }
}

/// A minimal SMTP server on 127.0.0.1 that keeps every message.
async fn smtp_listener() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&inbox);
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let keep = Arc::clone(&keep);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                write
                    .write_all(b"220 127.0.0.1 ESMTP test\r\n")
                    .await
                    .unwrap();
                let (mut from, mut to) = (String::new(), Vec::new());
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap() == 0 {
                        return;
                    }
                    let command = line.trim_end().to_owned();
                    let upper = command.to_ascii_uppercase();
                    if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        write
                            .write_all(b"250-127.0.0.1\r\n250 8BITMIME\r\n")
                            .await
                            .unwrap();
                    } else if upper.starts_with("MAIL FROM:") {
                        from = command[10..].trim().to_owned();
                        to.clear();
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(command[8..].trim().to_owned());
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    } else if upper == "DATA" {
                        write.write_all(b"354 end with .\r\n").await.unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            lines.read_line(&mut line).await.unwrap();
                            if line == ".\r\n" {
                                break;
                            }
                            data.push_str(&line);
                        }
                        keep.lock().unwrap().push(Mail {
                            from: from.clone(),
                            to: to.clone(),
                            data,
                        });
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else if upper == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, inbox)
}

/// A server over the database at `db`, its clock set by the test.
fn server(
    apple: &StandInApple,
    db: &std::path::Path,
    clock: &Arc<Mutex<OffsetDateTime>>,
) -> AppState {
    let now = *clock.lock().unwrap();
    let mut config = ServerConfig::new(
        Store::open(db).unwrap(),
        apple.vendor_signer(now).unwrap(),
        Zeroizing::new(b"reminder test secret".to_vec()),
    );
    config.anchors = apple.anchors();
    config.apns = None;
    let read = Arc::clone(clock);
    config.clock = Arc::new(move || *read.lock().unwrap());
    AppState::new(config)
}

/// Registers (or renews) through the server's own steps: the signedCSR,
/// the stand-in portal, the upload.
fn register(app: &AppState, apple: &StandInApple) -> PushCertificate {
    let now = app.now();
    app.signed_request(now).unwrap();
    let csr = PushCsr::from_der(&app.store().pending().unwrap().unwrap().csr_der).unwrap();
    let cert = match app.store().current().unwrap() {
        Some(c) => apple
            .renewal(
                &PushCertificate::from_der(&c.certificate_der).unwrap(),
                &csr,
                now,
            )
            .unwrap(),
        None => apple.first_registration(&csr, now).unwrap(),
    };
    app.upload(cert.der(), now).unwrap();
    cert
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_at_30_10_and_1_days_once_each_across_a_restart_and_a_renewal() {
    let (port, inbox) = smtp_listener().await;
    let mailer = Mailer::new(&SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        credentials: None,
        from: "MDM console <mdm@example.com>".into(),
    })
    .unwrap();
    let apple = StandInApple::new(51);
    let db = std::env::temp_dir().join(format!(
        "mdm-push-cert-reminders-{}.sqlite3",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&db);
    let t0 = OffsetDateTime::from_unix_timestamp(1_768_035_600).unwrap(); // 2026-01-10T09:00Z
    let clock = Arc::new(Mutex::new(t0));
    let set = |t: OffsetDateTime| *clock.lock().unwrap() = t;

    let app = server(&apple, &db, &clock);
    let cert = tokio::task::block_in_place(|| register(&app, &apple));
    let end = cert.not_after();
    // No address yet: nothing is sent, nothing is recorded.
    set(end - Duration::days(30));
    assert!(app.send_due_reminders(&mailer).await.unwrap().is_empty());
    app.store()
        .set_setting(
            "reminder_addresses",
            "ops@example.com\nmdm-admin@example.com",
        )
        .unwrap();
    app.store().set_setting("reminder_lang", "ja").unwrap();

    // A day before the first threshold: nothing.
    set(end - Duration::days(31));
    assert!(app.send_due_reminders(&mailer).await.unwrap().is_empty());
    // 30 days: one, to both addresses, in Japanese, naming the topic.
    set(end - Duration::days(30));
    assert_eq!(app.send_due_reminders(&mailer).await.unwrap().len(), 1);
    assert!(app.send_due_reminders(&mailer).await.unwrap().is_empty());
    {
        let mail = inbox.lock().unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].from, "<mdm@example.com>");
        assert_eq!(mail[0].to, ["<ops@example.com>", "<mdm-admin@example.com>"]);
        let subject = mail[0].subject();
        assert!(
            subject.contains("有効期限") && subject.contains(cert.topic().as_str()),
            "{subject}"
        );
        assert!(mail[0].data.contains("Content-Type: text/plain"));
    }

    // A restart: the record is in the database, so nothing again.
    drop(app);
    let app = server(&apple, &db, &clock);
    set(end - Duration::days(29));
    assert!(app.send_due_reminders(&mailer).await.unwrap().is_empty());
    // 10 days and 1 day: one each.
    set(end - Duration::days(10));
    assert_eq!(app.send_due_reminders(&mailer).await.unwrap().len(), 1);
    set(end - Duration::days(1) + Duration::hours(3));
    assert_eq!(app.send_due_reminders(&mailer).await.unwrap().len(), 1);
    assert!(app.send_due_reminders(&mailer).await.unwrap().is_empty());
    // The end passes: the last one, once.
    set(end + Duration::hours(1));
    let sent = app.send_due_reminders(&mailer).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].is_expired());
    set(end + Duration::days(3));
    assert!(app.send_due_reminders(&mailer).await.unwrap().is_empty());
    assert_eq!(inbox.lock().unwrap().len(), 4);

    // A renewal (a later end) starts over, and a server that was down for
    // the 30-day reminder sends only the 10-day one: in English now.
    app.store().set_setting("reminder_lang", "en").unwrap();
    let renewed = tokio::task::block_in_place(|| register(&app, &apple));
    let end = renewed.not_after();
    set(end - Duration::days(5));
    let sent = app.send_due_reminders(&mailer).await.unwrap();
    // (By then the stand-in's vendor certificate nears its own end: its
    // reminder comes too, as a vendor one.)
    let push: Vec<_> = sent
        .iter()
        .filter(|r| r.kind() == CertificateKind::Push)
        .collect();
    assert_eq!(push.len(), 1);
    assert_eq!(push[0].threshold(), Duration::days(10));
    let mail = inbox.lock().unwrap();
    assert_eq!(mail.len(), 4 + sent.len());
    let subject = mail[4].subject();
    assert!(subject.contains(renewed.topic().as_str()), "{subject}");
    assert!(
        subject.starts_with("MDM push certificate expires on"),
        "{subject}"
    );
    drop(mail);
    let _ = std::fs::remove_file(&db);
}
