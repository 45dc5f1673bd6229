//! A reminder's words: the subject and body in Japanese and English.

use super::{CertificateKind, Reminder, ReminderText};
use crate::display::{UtcDate, UtcDateTime};
use crate::lang::Lang;

impl Reminder {
    /// The message in `lang`: the certificate's kind and name (the topic, or
    /// the vendor certificate's subject), its expiry date, the days left or
    /// that it has expired, and what to do.
    ///
    /// The date is `YYYY-MM-DD` in UTC (and the body gives the time, to the
    /// second, in UTC): the administrator's guide does not show the format
    /// Apple Push Certificates Portal uses, and a portal showing local time
    /// may show the day before or after. Apple's own e-mail names no
    /// certificate; this one does, so the administrator can pick the right
    /// one on the portal.
    ///
    /// ```
    /// use mdm_push_cert::time::macros::datetime;
    /// use mdm_push_cert::{Lang, RemindedCertificate, ReminderSchedule, Topic};
    ///
    /// let topic = Topic::try_from("com.apple.mgmt.External.a3c2fcee-63bd-4ca2-a66c-f6e320ef42b0")?;
    /// let cert = RemindedCertificate::push(&topic, datetime!(2026-11-24 15:59:59 UTC));
    /// let now = datetime!(2026-11-14 15:59:59 UTC);
    /// let reminder = ReminderSchedule::default().due(&cert, None, now).unwrap();
    /// let en = reminder.text(Lang::En);
    /// assert_eq!(
    ///     en.subject,
    ///     "MDM push certificate expires on 2026-11-24 (10 days left): \
    ///      com.apple.mgmt.External.a3c2fcee-63bd-4ca2-a66c-f6e320ef42b0"
    /// );
    /// assert!(en.body.contains("Renew"));
    /// let ja = reminder.text(Lang::Ja);
    /// assert!(ja.subject.starts_with("MDM証明書の有効期限が近づいています（2026-11-24、残り10日）"));
    /// # Ok::<(), mdm_push_cert::TopicError>(())
    /// ```
    pub fn text(&self, lang: Lang) -> ReminderText {
        match lang {
            Lang::Ja => self.text_ja(),
            Lang::En => self.text_en(),
        }
    }

    fn text_en(&self) -> ReminderText {
        let name = &self.certificate.name;
        let date = UtcDate(self.certificate.not_after);
        let at = UtcDateTime(self.certificate.not_after);
        let days = self.days_remaining();
        let left = match days {
            0 => "less than a day left".to_owned(),
            1 => "1 day left".to_owned(),
            n => format!("{n} days left"),
        };
        let (what, name_label) = match self.certificate.kind {
            CertificateKind::Push => ("MDM push certificate", "Topic"),
            CertificateKind::Vendor => ("MDM vendor certificate", "Subject"),
        };
        let (subject, state) = if self.is_expired() {
            (
                format!("{what} expired on {date}: {name}"),
                "Expired".to_owned(),
            )
        } else {
            (
                format!("{what} expires on {date} ({left}): {name}"),
                left.clone(),
            )
        };
        let mut body = String::new();
        let opening = if self.is_expired() {
            format!("Your {what} has expired.")
        } else {
            format!("Your {what} expires on {date} ({left}).")
        };
        push_lines(
            &mut body,
            &[
                &opening,
                "",
                &format!("{name_label}: {name}"),
                &format!("Expiration date: {date} ({at})"),
                &format!("Remaining: {state}"),
                "",
            ],
        );
        match self.certificate.kind {
            CertificateKind::Push => {
                if self.is_expired() {
                    push_lines(
                        &mut body,
                        &[
                            "Devices enrolled with this certificate cannot be managed until it is renewed.",
                            "An expired certificate can still be renewed: renew it now, and management resumes once the renewed certificate is uploaded.",
                        ],
                    );
                } else {
                    push_lines(
                        &mut body,
                        &[
                            "Once it expires, devices enrolled with this certificate can no longer be managed. Renew it before then.",
                        ],
                    );
                }
                push_lines(
                    &mut body,
                    &[
                        "",
                        "To renew it:",
                        "1. Download a new vendor-signed CSR file (signedCSR) from the management console.",
                        "2. Sign in to Apple Push Certificates Portal (https://identity.apple.com/pushcert/) with the same Apple ID used when this certificate was first registered and last renewed.",
                        &format!(
                            "3. Under \"Certificates for Third-Party Servers\", find the certificate with the expiration date {date} and the topic {name}, click \"Renew\" and upload the signedCSR file."
                        ),
                        "4. On the \"Confirmation\" page, check that the expiration date moved a year later, and click \"Download\".",
                        "5. Upload the downloaded certificate to the management console.",
                        "",
                        "Do not create a new certificate instead: a new certificate has a different topic, and every enrolled device would lose its connection and need its MDM profile installed again.",
                    ],
                );
            }
            CertificateKind::Vendor => {
                push_lines(
                    &mut body,
                    &[
                        "This certificate signs customers' certificate signing requests. Once it expires, no new vendor-signed CSR file can be made, so customers cannot renew their MDM push certificates. Push certificates already issued keep working.",
                        "",
                        "To replace it:",
                        "1. Sign in to Apple Developer (Certificates, Identifiers & Profiles) with the account that has the MDM CSR capability.",
                        "2. Create a new MDM CSR certificate from a new certificate signing request and download it.",
                        "3. Install the new vendor certificate and its private key on the MDM server.",
                    ],
                );
            }
        }
        ReminderText { subject, body }
    }

    fn text_ja(&self) -> ReminderText {
        let name = &self.certificate.name;
        let date = UtcDate(self.certificate.not_after);
        let at = UtcDateTime(self.certificate.not_after);
        let days = self.days_remaining();
        let left = match days {
            0 => "残り1日未満".to_owned(),
            n => format!("残り{n}日"),
        };
        let (what, name_label) = match self.certificate.kind {
            CertificateKind::Push => ("MDM証明書", "トピック"),
            CertificateKind::Vendor => ("MDMベンダー証明書", "サブジェクト"),
        };
        let (subject, opening, state) = if self.is_expired() {
            (
                format!("{what}の有効期限が切れています（{date}）: {name}"),
                format!("{what}の有効期限が切れています。"),
                "期限切れ".to_owned(),
            )
        } else {
            (
                format!("{what}の有効期限が近づいています（{date}、{left}）: {name}"),
                format!("{what}の有効期限が近づいています（{date}、{left}）。"),
                left,
            )
        };
        let mut body = String::new();
        push_lines(
            &mut body,
            &[
                &opening,
                "",
                &format!("{name_label}: {name}"),
                &format!("有効期限: {date}（{at}）"),
                &format!("残り日数: {state}"),
                "",
            ],
        );
        match self.certificate.kind {
            CertificateKind::Push => {
                if self.is_expired() {
                    push_lines(
                        &mut body,
                        &[
                            "有効期限が切れているため、この証明書で登録した端末を管理できません。",
                            "MDM証明書は有効期限後も更新できます。すぐに更新してください。更新した証明書をアップロードすると、端末の管理を再開できます。",
                        ],
                    );
                } else {
                    push_lines(
                        &mut body,
                        &[
                            "有効期限が切れると、この証明書で登録した端末を管理できなくなります。必ず期限内に更新してください。",
                        ],
                    );
                }
                push_lines(
                    &mut body,
                    &[
                        "",
                        "更新の手順:",
                        "1. 管理コンソールからベンダー署名付きCSRファイル（signedCSR）をダウンロードします。",
                        "2. Apple Push Certificates Portal（https://identity.apple.com/pushcert/）に、この証明書の初回登録時および前回更新時に利用したものと同じApple IDでサインインします。",
                        &format!(
                            "3. 「Certificates for Third-Party Servers」の一覧で、有効期限が{date}でトピックが{name}の証明書の「Renew」をクリックし、signedCSRファイルをアップロードします。"
                        ),
                        "4. 「Confirmation」画面で有効期限（Expiration Date）が1年間延長されていることを確認し、「Download」をクリックします。",
                        "5. ダウンロードした証明書を管理コンソールにアップロードします。",
                        "",
                        "新しい証明書を作成しないでください。新しい証明書はトピックが変わるため、登録済みのすべての端末との接続が切れ、端末にMDM構成プロファイルをインストールし直す必要があります。",
                    ],
                );
            }
            CertificateKind::Vendor => {
                push_lines(
                    &mut body,
                    &[
                        "この証明書は、お客様のCSRファイルにベンダー署名を付けるための証明書です。有効期限が切れると、ベンダー署名付きCSRファイルを作成できず、お客様がMDM証明書を更新できなくなります。発行済みのMDM証明書はそのまま使えます。",
                        "",
                        "更新の手順:",
                        "1. Apple Developer（Certificates, Identifiers & Profiles）に、MDM CSRの権限があるアカウントでサインインします。",
                        "2. 新しい証明書署名要求から「MDM CSR」証明書を作成し、ダウンロードします。",
                        "3. 新しいベンダー証明書と秘密鍵をMDMサーバーに設定します。",
                    ],
                );
            }
        }
        ReminderText { subject, body }
    }
}

/// Appends each line and a `\n`.
fn push_lines(body: &mut String, lines: &[&str]) {
    for line in lines {
        body.push_str(line);
        body.push('\n');
    }
}
