//! Reminder e-mails: the library decides which reminder is due (its
//! `ReminderSchedule`, from what was last sent, stored in the database),
//! this module sends it over SMTP to the addresses the console keeps, and
//! records it so that no reminder goes out twice, across restarts too.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use mdm_push_cert::zeroize::Zeroizing;
use mdm_push_cert::{Lang, PushCertificate, RemindedCertificate, Reminder, SentReminder};

use crate::console::{ADDRESSES_SETTING, REMINDER_LANG_SETTING, parse_addresses};
use crate::state::AppState;
use crate::store::StoreError;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain SMTP upgraded with STARTTLS, required (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS: only for a relay on this machine (127.0.0.1).
    None,
}

/// The SMTP relay reminders go through.
#[derive(Clone, Debug)]
pub struct SmtpConfig {
    /// The relay's host name.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// STARTTLS, TLS or none.
    pub security: SmtpSecurity,
    /// The user name and password, if the relay asks for them.
    pub credentials: Option<(String, Zeroizing<String>)>,
    /// The sender, `MDM console <mdm@example.com>`.
    pub from: String,
}

/// A connection factory for the relay.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// Why a reminder could not be sent (it is tried again at the next tick).
#[derive(Debug)]
pub enum MailError {
    /// The configuration is not usable.
    Config(String),
    /// The relay refused, or could not be reached.
    Send(String),
    /// The database failed.
    Store(StoreError),
}

impl std::fmt::Display for MailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Config(e) => write!(f, "mail configuration: {e}"),
            Self::Send(e) => write!(f, "sending mail: {e}"),
            Self::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for MailError {}

impl From<StoreError> for MailError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl Mailer {
    /// A mailer for `config`.
    ///
    /// # Errors
    /// [`MailError::Config`] for a sender that is not an address or a relay
    /// the transport refuses.
    pub fn new(config: &SmtpConfig) -> Result<Self, MailError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| MailError::Config(format!("the sender {:?}: {e}", config.from)))?;
        let builder = match config.security {
            SmtpSecurity::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                    .map_err(|e| MailError::Config(e.to_string()))?
            }
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|e| MailError::Config(e.to_string()))?,
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            }
        };
        let mut builder = builder
            .port(config.port)
            .timeout(Some(Duration::from_secs(30)));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.to_string()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    async fn send(
        &self,
        to: &[lettre::Address],
        reminder: &Reminder,
        lang: Lang,
    ) -> Result<(), MailError> {
        let text = reminder.text(lang);
        let mut message = Message::builder()
            .from(self.from.clone())
            .subject(text.subject);
        for address in to {
            message = message.to(Mailbox::new(None, address.clone()));
        }
        let message = message
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(text.body)
            .map_err(|e| MailError::Send(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Send(e.to_string()))
    }
}

/// Where the last reminder of each certificate is kept.
const LAST_PUSH_REMINDER: &str = "last_reminder_push";
const LAST_VENDOR_REMINDER: &str = "last_reminder_vendor";

impl AppState {
    /// The reminders due at the server's `now` for the push certificate and
    /// the vendor certificate, sent to the console's addresses in its
    /// reminder language and recorded; what was sent. Nothing is sent (or
    /// recorded) while no address is set.
    ///
    /// # Errors
    /// [`MailError`]: nothing is recorded for a reminder that was not
    /// sent, so the next tick tries again.
    pub async fn send_due_reminders(&self, mailer: &Mailer) -> Result<Vec<Reminder>, MailError> {
        let addresses = self.store().setting(ADDRESSES_SETTING)?.unwrap_or_default();
        let to = parse_addresses(&addresses)
            .map_err(|bad| MailError::Config(format!("a stored address is not one: {bad}")))?;
        if to.is_empty() {
            return Ok(Vec::new());
        }
        let lang = match self.store().setting(REMINDER_LANG_SETTING)?.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Ja,
        };
        let now = self.now();
        let mut certificates = vec![(
            LAST_VENDOR_REMINDER,
            RemindedCertificate::from(self.signer()),
        )];
        if let Some(current) = self.store().current()? {
            let cert = PushCertificate::from_der(&current.certificate_der)
                .map_err(|e| StoreError::corrupt(format!("the stored certificate: {e}")))?;
            certificates.insert(0, (LAST_PUSH_REMINDER, RemindedCertificate::from(&cert)));
        }
        let mut sent = Vec::new();
        for (setting, certificate) in certificates {
            let last: Option<SentReminder> = match self.store().setting(setting)? {
                Some(json) => serde_json::from_str(&json).ok(),
                None => None,
            };
            let Some(reminder) = self
                .reminder_schedule()
                .due(&certificate, last.as_ref(), now)
            else {
                continue;
            };
            mailer.send(&to, &reminder, lang).await?;
            let record = serde_json::to_string(&reminder.sent())
                .map_err(|e| StoreError::corrupt(format!("the reminder record: {e}")))?;
            self.store().set_setting(setting, &record)?;
            tracing::info!(
                certificate = certificate.name(),
                days_remaining = reminder.days_remaining(),
                recipients = to.len(),
                "reminder sent"
            );
            sent.push(reminder);
        }
        Ok(sent)
    }
}

/// Sends due reminders every `every` (by the real clock; which reminder is
/// due is decided by the server's clock) until the task is dropped.
pub fn spawn_reminders(
    app: AppState,
    mailer: Arc<Mailer>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = app.send_due_reminders(&mailer).await {
                tracing::warn!(error = %e, "reminders: will try again at the next tick");
            }
        }
    })
}
