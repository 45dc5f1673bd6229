//! Reminders of a certificate's end of validity, as data: which one is due
//! now, what to store once it is sent, and its text.
//!
//! The library decides and writes; the server keeps one [`SentReminder`] per
//! certificate it watches, wakes when it likes, and sends the message itself.

mod text;

use time::{Duration, OffsetDateTime};

use crate::limits::{MAX_REMINDER_THRESHOLD, MAX_REMINDER_THRESHOLDS};
use crate::push_certificate::PushCertificate;
use crate::topic::Topic;
use crate::vendor_signer::VendorSigner;

/// The thresholds of Apple's own expiry e-mails, in days before the end of
/// validity: 30, 10 and 1 day(s) before, and at the end (0). The
/// [`Default`] [`ReminderSchedule`].
pub const DEFAULT_REMINDER_DAYS: [u32; 4] = [30, 10, 1, 0];

/// When to remind: thresholds before a certificate's end of validity.
///
/// A threshold `t` is *reached* at `not_after - t` and from then on: at
/// exactly ten days before the end the 10-day reminder is reached (the
/// boundary is inclusive), one second earlier it is not. The end threshold
/// (0) is reached at `not_after` itself, the last second the certificate is
/// valid.
///
/// The default is Apple's own e-mails ([`DEFAULT_REMINDER_DAYS`]). Any other
/// set is [`new`](Self::new) (durations) or [`from_days`](Self::from_days):
/// non-negative, whole seconds, at most [`MAX_REMINDER_THRESHOLD`] (366
/// days) before the end, at most [`MAX_REMINDER_THRESHOLDS`] of them.
/// Duplicates count once.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReminderSchedule {
    /// Distinct, the earliest (the largest) first.
    thresholds: Vec<Duration>,
}

/// Why a set of thresholds is not a reminder schedule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReminderScheduleError {
    /// No threshold was given.
    #[error("a reminder schedule needs at least one threshold")]
    Empty,
    /// More thresholds than [`MAX_REMINDER_THRESHOLDS`] were given.
    #[error("a reminder schedule holds more than the {max} thresholds allowed")]
    TooMany {
        /// The limit.
        max: usize,
    },
    /// A threshold is negative: it would fall after the end of validity.
    #[error(
        "the reminder threshold of {} seconds is negative; a threshold is a time before the end of validity",
        .threshold.whole_seconds()
    )]
    Negative {
        /// The threshold.
        threshold: Duration,
    },
    /// A threshold is further before the end than [`MAX_REMINDER_THRESHOLD`].
    #[error(
        "the reminder threshold of {} seconds before the end of validity is more than the {} days allowed",
        .threshold.whole_seconds(),
        .max.whole_days()
    )]
    TooFar {
        /// The threshold.
        threshold: Duration,
        /// The limit.
        max: Duration,
    },
    /// A threshold has a fraction of a second, which a [`SentReminder`]
    /// (whole seconds) could not record.
    #[error(
        "the reminder threshold of {} seconds and {} nanoseconds is not a whole number of seconds",
        .threshold.whole_seconds(),
        .threshold.subsec_nanoseconds()
    )]
    NotWholeSeconds {
        /// The threshold.
        threshold: Duration,
    },
}

impl Default for ReminderSchedule {
    /// Apple's own e-mails: [`DEFAULT_REMINDER_DAYS`].
    fn default() -> Self {
        Self {
            thresholds: DEFAULT_REMINDER_DAYS
                .iter()
                .map(|d| Duration::days(i64::from(*d)))
                .collect(),
        }
    }
}

impl ReminderSchedule {
    /// A schedule of thresholds before the end of validity, in any order.
    ///
    /// ```
    /// use mdm_push_cert::ReminderSchedule;
    /// use mdm_push_cert::time::Duration;
    ///
    /// let s = ReminderSchedule::new([Duration::hours(12), Duration::days(7)])?;
    /// assert_eq!(s.thresholds(), [Duration::days(7), Duration::hours(12)]);
    /// assert!(ReminderSchedule::new([Duration::days(400)]).is_err());
    /// # Ok::<(), mdm_push_cert::ReminderScheduleError>(())
    /// ```
    ///
    /// # Errors
    /// [`ReminderScheduleError`]: none given, too many, a negative one, one
    /// beyond [`MAX_REMINDER_THRESHOLD`], one with a fraction of a second.
    pub fn new(
        thresholds: impl IntoIterator<Item = Duration>,
    ) -> Result<Self, ReminderScheduleError> {
        let mut all = Vec::new();
        // A hostile iterator is read no further than one past the limit.
        for threshold in thresholds.into_iter().take(MAX_REMINDER_THRESHOLDS + 1) {
            if all.len() == MAX_REMINDER_THRESHOLDS {
                return Err(ReminderScheduleError::TooMany {
                    max: MAX_REMINDER_THRESHOLDS,
                });
            }
            if threshold.is_negative() {
                return Err(ReminderScheduleError::Negative { threshold });
            }
            if threshold > MAX_REMINDER_THRESHOLD {
                return Err(ReminderScheduleError::TooFar {
                    threshold,
                    max: MAX_REMINDER_THRESHOLD,
                });
            }
            if threshold.subsec_nanoseconds() != 0 {
                return Err(ReminderScheduleError::NotWholeSeconds { threshold });
            }
            all.push(threshold);
        }
        if all.is_empty() {
            return Err(ReminderScheduleError::Empty);
        }
        all.sort_unstable_by(|a, b| b.cmp(a));
        all.dedup();
        Ok(Self { thresholds: all })
    }

    /// A schedule of whole days before the end of validity, in any order:
    /// `from_days([30, 10, 1, 0])` is the default.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn from_days(days: impl IntoIterator<Item = u32>) -> Result<Self, ReminderScheduleError> {
        Self::new(days.into_iter().map(|d| Duration::days(i64::from(d))))
    }

    /// The thresholds, distinct, the earliest (the largest) first.
    pub fn thresholds(&self) -> &[Duration] {
        &self.thresholds
    }

    /// The latest threshold reached at `now` for a certificate valid until
    /// `not_after`: the smallest `t` with `not_after - t <= now`; `None`
    /// before the earliest one.
    pub fn reached(&self, not_after: OffsetDateTime, now: OffsetDateTime) -> Option<Duration> {
        self.thresholds
            .iter()
            .rev()
            .copied()
            .find(|t| threshold_reached(not_after, *t, now))
    }

    /// The reminder due at `now`, if any, given what was last sent for this
    /// certificate (`None` if nothing ever was).
    ///
    /// The rules, which read only the arguments, so the answer survives a
    /// restart as long as the server stores what it sent:
    /// - Nothing before the earliest threshold is reached.
    /// - The due reminder is always for the latest threshold reached
    ///   ([`reached`](Self::reached)). A server that slept through several
    ///   sends only the most recent: if the 30-day and the 10-day
    ///   thresholds have both passed unsent, the 10-day reminder is due, and
    ///   the 30-day one never will be.
    /// - It is due unless `last_sent` is for the same `not_after` (compared
    ///   to the second) with the same or a later (smaller) threshold: no
    ///   threshold twice, never an earlier one after a later one.
    /// - A `last_sent` for another `not_after` (the certificate was renewed)
    ///   counts as nothing: the schedule starts over for the new end.
    /// - After the end, the end reminder (0) once; with no 0 in the
    ///   schedule, the smallest threshold once.
    ///
    /// `last_sent.sent_at` is not read. Keep one [`SentReminder`] per
    /// certificate watched (the push certificate of each topic, the vendor
    /// certificate).
    ///
    /// A server's loop:
    ///
    /// ```
    /// use mdm_push_cert::time::macros::datetime;
    /// use mdm_push_cert::{Lang, RemindedCertificate, ReminderSchedule, SentReminder, Topic};
    ///
    /// let topic = Topic::try_from("com.apple.mgmt.External.a3c2fcee-63bd-4ca2-a66c-f6e320ef42b0")?;
    /// let certificate = RemindedCertificate::push(&topic, datetime!(2026-11-24 15:59:59 UTC));
    /// let schedule = ReminderSchedule::default(); // 30, 10 and 1 day before, and at the end
    ///
    /// // What the server stored; it survives restarts (a database row, a JSON file).
    /// let mut stored: Option<SentReminder> = None;
    /// let mut sent = Vec::new();
    /// // The server wakes now and then: here on the 1st, the 20th and the 21st
    /// // of November, and twice after the end.
    /// for now in [
    ///     datetime!(2026-11-01 9:00 UTC),
    ///     datetime!(2026-11-20 9:00 UTC),
    ///     datetime!(2026-11-21 9:00 UTC),
    ///     datetime!(2026-11-25 9:00 UTC),
    ///     datetime!(2026-11-26 9:00 UTC),
    /// ] {
    ///     if let Some(reminder) = schedule.due(&certificate, stored.as_ref(), now) {
    ///         let text = reminder.text(Lang::Ja);
    ///         // The server sends `text.subject` and `text.body`, then stores:
    ///         stored = Some(reminder.sent());
    ///         sent.push((now, reminder.days_remaining(), text.subject));
    ///     }
    /// }
    /// // The 30-day reminder on the 1st (23 days left: the server was down when
    /// // it fell due), the 10-day one not until the 20th, and the end once.
    /// assert_eq!(sent.len(), 3);
    /// assert_eq!(sent[0].1, 23);
    /// assert_eq!(sent[1].1, 4);
    /// assert!(sent[2].2.contains("有効期限が切れています"));
    /// # Ok::<(), mdm_push_cert::TopicError>(())
    /// ```
    pub fn due(
        &self,
        certificate: &RemindedCertificate,
        last_sent: Option<&SentReminder>,
        now: OffsetDateTime,
    ) -> Option<Reminder> {
        let threshold = self.reached(certificate.not_after, now)?;
        let already = last_sent.is_some_and(|s| {
            same_second(s.not_after, certificate.not_after) && s.threshold <= threshold
        });
        (!already).then(|| Reminder {
            certificate: certificate.clone(),
            threshold,
            now,
        })
    }
}

/// Whether threshold `t` before `not_after` is reached at `now` (inclusive).
/// A point before the earliest representable instant is reached.
fn threshold_reached(not_after: OffsetDateTime, t: Duration, now: OffsetDateTime) -> bool {
    not_after.checked_sub(t).is_none_or(|at| now >= at)
}

/// The same instant to the second: what a [`SentReminder`] read back from
/// JSON keeps.
fn same_second(a: OffsetDateTime, b: OffsetDateTime) -> bool {
    a.unix_timestamp() == b.unix_timestamp()
}

/// `t` in UTC with whole seconds, as JSON keeps it.
fn whole_second(t: OffsetDateTime) -> OffsetDateTime {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.replace_nanosecond(0).unwrap_or(utc)
}

/// Which kind of certificate a reminder is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CertificateKind {
    /// A customer's MDM push certificate, renewed on Apple Push Certificates
    /// Portal with the Apple ID that created it.
    Push,
    /// The MDM vendor certificate that signs customers' requests, issued on
    /// Apple's developer site.
    Vendor,
}

/// The certificate a reminder is about: its kind, the name the
/// administrator finds it by, and its end of validity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RemindedCertificate {
    kind: CertificateKind,
    name: String,
    not_after: OffsetDateTime,
}

impl RemindedCertificate {
    /// A push certificate, named by its topic (what tells it apart on
    /// Apple Push Certificates Portal).
    pub fn push(topic: &Topic, not_after: OffsetDateTime) -> Self {
        Self {
            kind: CertificateKind::Push,
            name: topic.as_str().to_owned(),
            not_after,
        }
    }

    /// A vendor certificate, named by its subject (as
    /// [`VendorSigner::subject`] gives it). Control characters and invisible
    /// formatting characters are written as `\u{…}` escapes, so a subject
    /// cannot break a message's lines.
    pub fn vendor(subject: &str, not_after: OffsetDateTime) -> Self {
        let mut name = String::with_capacity(subject.len());
        for c in subject.chars() {
            if c.is_control() || is_invisible(c) {
                name.extend(c.escape_unicode());
            } else {
                name.push(c);
            }
        }
        Self {
            kind: CertificateKind::Vendor,
            name,
            not_after,
        }
    }

    /// Push or vendor.
    pub fn kind(&self) -> CertificateKind {
        self.kind
    }

    /// The topic of a push certificate, the subject of a vendor certificate.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The end of validity (inclusive).
    pub fn not_after(&self) -> OffsetDateTime {
        self.not_after
    }
}

/// Line and paragraph separators, zero-width and bidirectional controls.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

impl From<&PushCertificate> for RemindedCertificate {
    fn from(cert: &PushCertificate) -> Self {
        Self::push(cert.topic(), cert.not_after())
    }
}

impl From<&VendorSigner> for RemindedCertificate {
    fn from(signer: &VendorSigner) -> Self {
        Self::vendor(signer.subject(), signer.not_after())
    }
}

/// What a server stores once it has sent a reminder, and passes back to
/// [`ReminderSchedule::due`]: the certificate's end, the threshold, when.
///
/// With the `serde` feature it is an object with `not_after`,
/// `threshold_seconds` and `sent_at`, times RFC 3339 in UTC with whole
/// seconds (the README's **JSON** section has the table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SentReminder {
    /// The end of validity the reminder was about.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impls::rfc3339_utc"))]
    pub not_after: OffsetDateTime,
    /// The threshold sent, before `not_after` (zero for the end); in JSON
    /// `threshold_seconds`, whole seconds.
    #[cfg_attr(
        feature = "serde",
        serde(
            rename = "threshold_seconds",
            with = "crate::serde_impls::whole_seconds"
        )
    )]
    pub threshold: Duration,
    /// When it was sent; for the server's records, the decision does not read it.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_impls::rfc3339_utc"))]
    pub sent_at: OffsetDateTime,
}

impl SentReminder {
    /// A record of a reminder sent; times are kept in UTC with whole seconds
    /// and a negative threshold as zero, as JSON would keep them.
    pub fn new(not_after: OffsetDateTime, threshold: Duration, sent_at: OffsetDateTime) -> Self {
        Self {
            not_after: whole_second(not_after),
            threshold: Duration::seconds(threshold.whole_seconds().max(0)),
            sent_at: whole_second(sent_at),
        }
    }
}

/// A reminder due now, from [`ReminderSchedule::due`]: send its
/// [`text`](Self::text), then store [`sent`](Self::sent).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    certificate: RemindedCertificate,
    threshold: Duration,
    now: OffsetDateTime,
}

/// A reminder's message: a one-line subject and a body of lines separated
/// by `\n`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReminderText {
    /// The subject: one line.
    pub subject: String,
    /// The body, lines separated by `\n`, ending with one.
    pub body: String,
}

impl Reminder {
    /// The certificate it is about.
    pub fn certificate(&self) -> &RemindedCertificate {
        &self.certificate
    }

    /// Push or vendor: the text differs.
    pub fn kind(&self) -> CertificateKind {
        self.certificate.kind
    }

    /// The threshold reached (zero for the end reminder).
    pub fn threshold(&self) -> Duration {
        self.threshold
    }

    /// The instant it was decided at, the `now` given to
    /// [`ReminderSchedule::due`].
    pub fn decided_at(&self) -> OffsetDateTime {
        self.now
    }

    /// Whether the certificate has expired at [`decided_at`](Self::decided_at):
    /// after `not_after`, which is still valid.
    pub fn is_expired(&self) -> bool {
        self.now > self.certificate.not_after
    }

    /// Whole days left until `not_after` at [`decided_at`](Self::decided_at),
    /// rounded down (0 in the last day); negative once expired, −n during
    /// the n-th day after the end, as [`Expiry::days_remaining`](crate::Expiry::days_remaining).
    pub fn days_remaining(&self) -> i64 {
        if self.is_expired() {
            -((self.now - self.certificate.not_after).whole_days() + 1)
        } else {
            (self.certificate.not_after - self.now).whole_days()
        }
    }

    /// What to store once the reminder has been sent, with
    /// [`decided_at`](Self::decided_at) as `sent_at`.
    pub fn sent(&self) -> SentReminder {
        SentReminder::new(self.certificate.not_after, self.threshold, self.now)
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use time::macros::datetime;

    use super::*;

    const NA: OffsetDateTime = datetime!(2026-12-19 23:59:59 UTC);
    const S: Duration = Duration::SECOND;

    fn topic() -> Topic {
        Topic::try_from("com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e").unwrap()
    }

    fn cert() -> RemindedCertificate {
        RemindedCertificate::push(&topic(), NA)
    }

    fn due_at(now: OffsetDateTime, last: Option<SentReminder>) -> Option<Duration> {
        ReminderSchedule::default()
            .due(&cert(), last.as_ref(), now)
            .map(|r| r.threshold())
    }

    fn sent(threshold_days: i64) -> SentReminder {
        SentReminder::new(NA, Duration::days(threshold_days), NA)
    }

    #[test]
    fn the_default_is_apples_e_mails() {
        let d = ReminderSchedule::default();
        assert_eq!(
            d.thresholds(),
            [
                Duration::days(30),
                Duration::days(10),
                Duration::days(1),
                Duration::ZERO
            ]
        );
        assert_eq!(ReminderSchedule::from_days(DEFAULT_REMINDER_DAYS), Ok(d));
    }

    #[test]
    fn schedules_are_sorted_and_bounded() {
        let s = ReminderSchedule::from_days([0, 10, 30, 10]).unwrap();
        assert_eq!(
            s.thresholds(),
            [Duration::days(30), Duration::days(10), Duration::ZERO]
        );
        assert_eq!(ReminderSchedule::new([]), Err(ReminderScheduleError::Empty));
        assert_eq!(
            ReminderSchedule::new([-S]),
            Err(ReminderScheduleError::Negative { threshold: -S })
        );
        // 366 days is allowed, a second more is not.
        assert!(ReminderSchedule::new([MAX_REMINDER_THRESHOLD]).is_ok());
        assert_eq!(
            ReminderSchedule::new([MAX_REMINDER_THRESHOLD + S]),
            Err(ReminderScheduleError::TooFar {
                threshold: MAX_REMINDER_THRESHOLD + S,
                max: MAX_REMINDER_THRESHOLD
            })
        );
        assert_eq!(
            ReminderSchedule::from_days([367]),
            Err(ReminderScheduleError::TooFar {
                threshold: Duration::days(367),
                max: MAX_REMINDER_THRESHOLD
            })
        );
        assert_eq!(
            ReminderSchedule::from_days([u32::MAX]),
            Err(ReminderScheduleError::TooFar {
                threshold: Duration::days(i64::from(u32::MAX)),
                max: MAX_REMINDER_THRESHOLD
            })
        );
        assert_eq!(
            ReminderSchedule::new([Duration::milliseconds(1)]),
            Err(ReminderScheduleError::NotWholeSeconds {
                threshold: Duration::milliseconds(1)
            })
        );
        // The limit counts what was given, and an endless iterator is cut off.
        assert!(ReminderSchedule::from_days(0..16).is_ok());
        assert_eq!(
            ReminderSchedule::from_days(0..17),
            Err(ReminderScheduleError::TooMany { max: 16 })
        );
        assert_eq!(
            ReminderSchedule::from_days(std::iter::repeat(1)),
            Err(ReminderScheduleError::TooMany { max: 16 })
        );
    }

    #[test]
    fn nothing_before_the_first_threshold() {
        assert_eq!(due_at(NA - Duration::days(30) - S, None), None);
        assert_eq!(due_at(NA - Duration::days(300), None), None);
        assert_eq!(due_at(OffsetDateTime::UNIX_EPOCH, None), None);
    }

    #[test]
    fn a_threshold_is_reached_at_exactly_its_instant() {
        let s = ReminderSchedule::default();
        for days in [30, 10, 1] {
            let at = NA - Duration::days(days);
            assert_eq!(due_at(at, None), Some(Duration::days(days)), "{days}");
            // One second earlier, the previous threshold (or none).
            assert_ne!(due_at(at - S, None), Some(Duration::days(days)), "{days}");
            assert_eq!(s.reached(NA, at), Some(Duration::days(days)));
        }
        assert_eq!(s.reached(NA, NA - Duration::days(30) - S), None);
        assert_eq!(
            s.reached(NA, NA - Duration::days(10) - S),
            Some(Duration::days(30))
        );
        // The end reminder at `not_after` itself, the last valid second.
        assert_eq!(due_at(NA - S, None), Some(Duration::days(1)));
        assert_eq!(due_at(NA, None), Some(Duration::ZERO));
        assert_eq!(due_at(NA + Duration::days(400), None), Some(Duration::ZERO));
    }

    #[test]
    fn no_threshold_twice() {
        let at = NA - Duration::days(10);
        assert_eq!(due_at(at, Some(sent(10))), None);
        assert_eq!(due_at(at + Duration::days(5), Some(sent(10))), None);
        assert_eq!(
            due_at(NA - Duration::days(1), Some(sent(10))),
            Some(Duration::days(1))
        );
        assert_eq!(due_at(NA + Duration::days(1), Some(sent(0))), None);
        assert_eq!(due_at(NA, Some(sent(0))), None);
    }

    #[test]
    fn only_the_latest_missed_one_and_never_an_earlier_one() {
        // Down from before the 30-day threshold until after the 10-day one.
        assert_eq!(
            due_at(NA - Duration::days(5), None),
            Some(Duration::days(10))
        );
        // After the 10-day one was sent, the 30-day one is never due.
        for now in [NA - Duration::days(5), NA - Duration::days(2)] {
            assert_eq!(due_at(now, Some(sent(10))), None);
        }
        // A later reminder stored (a clock that went back) silences earlier ones.
        assert_eq!(due_at(NA - Duration::days(20), Some(sent(1))), None);
        // Down through the whole end: the end reminder alone.
        assert_eq!(due_at(NA + S, Some(sent(30))), Some(Duration::ZERO));
    }

    #[test]
    fn a_renewal_starts_over() {
        let renewed = NA + Duration::days(365);
        let cert = RemindedCertificate::push(&topic(), renewed);
        let s = ReminderSchedule::default();
        // What was sent for the old end counts for nothing.
        let old = SentReminder::new(NA, Duration::ZERO, NA + Duration::days(3));
        assert_eq!(s.due(&cert, Some(&old), NA + Duration::days(3)), None);
        let at = renewed - Duration::days(30);
        assert_eq!(
            s.due(&cert, Some(&old), at).map(|r| r.threshold()),
            Some(Duration::days(30))
        );
        // An old end later than the new one is another end too.
        let later = SentReminder::new(renewed + S, Duration::ZERO, renewed);
        assert_eq!(
            s.due(&cert, Some(&later), at).map(|r| r.threshold()),
            Some(Duration::days(30))
        );
    }

    #[test]
    fn the_stored_end_is_compared_to_the_second() {
        let s = ReminderSchedule::default();
        let cert = RemindedCertificate::push(&topic(), NA + Duration::milliseconds(700));
        let at = NA - Duration::days(10) + S;
        let reminder = s.due(&cert, None, at).unwrap();
        let stored = reminder.sent();
        assert_eq!(stored.not_after, NA);
        assert_eq!(s.due(&cert, Some(&stored), at), None);
        // Another offset is the same instant.
        let tokyo = time::UtcOffset::from_hms(9, 0, 0).unwrap();
        let stored =
            SentReminder::new(NA.to_offset(tokyo), Duration::days(10), at.to_offset(tokyo));
        assert_eq!(stored.not_after.offset(), time::UtcOffset::UTC);
        assert_eq!(s.due(&cert, Some(&stored), at), None);
    }

    #[test]
    fn a_schedule_without_an_end_reminder_sends_its_last_once() {
        let s = ReminderSchedule::from_days([7]).unwrap();
        let c = cert();
        let r = s.due(&c, None, NA + Duration::days(2)).unwrap();
        assert_eq!(r.threshold(), Duration::days(7));
        assert!(r.is_expired());
        assert_eq!(s.due(&c, Some(&r.sent()), NA + Duration::days(3)), None);
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        let s = ReminderSchedule::new([MAX_REMINDER_THRESHOLD, Duration::ZERO]).unwrap();
        for na in [
            time::PrimitiveDateTime::MIN.assume_utc(),
            time::PrimitiveDateTime::MAX.assume_utc(),
        ] {
            let c = RemindedCertificate::push(&topic(), na);
            for now in [
                time::PrimitiveDateTime::MIN.assume_utc(),
                time::PrimitiveDateTime::MAX.assume_utc(),
            ] {
                if let Some(r) = s.due(&c, None, now) {
                    let _ = r.days_remaining();
                    let _ = r.sent();
                    let _ = r.text(Lang::En);
                    let _ = r.text(Lang::Ja);
                }
            }
        }
        assert_eq!(
            SentReminder::new(NA, -Duration::days(3), NA).threshold,
            Duration::ZERO
        );
    }

    #[test]
    fn days_remaining_and_expired() {
        let s = ReminderSchedule::default();
        let c = cert();
        let days = |now| {
            s.due(&c, None, now)
                .map(|r| (r.days_remaining(), r.is_expired()))
        };
        assert_eq!(days(NA - Duration::days(10)), Some((10, false)));
        assert_eq!(days(NA - Duration::days(10) + S), Some((9, false)));
        assert_eq!(days(NA - Duration::hours(3)), Some((0, false)));
        assert_eq!(days(NA), Some((0, false)));
        assert_eq!(days(NA + S), Some((-1, true)));
        assert_eq!(days(NA + Duration::days(1)), Some((-2, true)));
    }

    #[test]
    fn a_vendor_subject_cannot_break_lines() {
        let c = RemindedCertificate::vendor("CN=A\nB\r\u{2028}C\u{202e}D\u{85}", NA);
        assert_eq!(c.kind(), CertificateKind::Vendor);
        assert_eq!(c.name(), "CN=A\\u{a}B\\u{d}\\u{2028}C\\u{202e}D\\u{85}");
        let r = ReminderSchedule::default().due(&c, None, NA).unwrap();
        for lang in [Lang::En, Lang::Ja] {
            let t = r.text(lang);
            assert!(!t.subject.contains(['\n', '\r']), "{}", t.subject);
            assert!(t.subject.ends_with(c.name()));
        }
    }
}
