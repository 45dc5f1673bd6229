//! The messages and remedies for people of every [`OutcomeKind`], in
//! Japanese and English, in the voice of the administrator's guide's four
//! upload messages.

use crate::apns::outcome::OutcomeKind;
use crate::lang::Lang;

impl OutcomeKind {
    /// The message to show the administrator; sentences are separated by `\n`.
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Delivered, Lang::Ja) => "APNsがプッシュ通知を受け付けました。",
            (Self::Delivered, Lang::En) => "APNs accepted the push notification.",
            (Self::DeviceGone, Lang::Ja) => {
                "端末のプッシュトークンが無効になっています。\n端末の管理が解除されたか、初期化された可能性があります。"
            }
            (Self::DeviceGone, Lang::En) => {
                "The device's push token is no longer valid.\nThe device may have been unenrolled or erased."
            }
            (Self::BadDeviceToken, Lang::Ja) => {
                "APNsが端末のプッシュトークンを受け付けませんでした。\n接続先のAPNsサーバー(本番用または開発用)が端末と異なるか、トークンが正しくない可能性があります。"
            }
            (Self::BadDeviceToken, Lang::En) => {
                "APNs did not accept the device's push token.\nThe MDM server may be using a different APNs server (production or development) from the device's, or the token may be wrong."
            }
            (Self::TopicMismatch, Lang::Ja) => {
                "端末を登録したときのMDM証明書と、現在のMDM証明書が異なります。\n端末にプッシュ通知を送信できません。"
            }
            (Self::TopicMismatch, Lang::En) => {
                "The MDM certificate differs from the one the device was enrolled with.\nPush notifications cannot be sent to the device."
            }
            (Self::CertificateExpired, Lang::Ja) => {
                "MDM証明書の有効期限が切れています。\n端末にプッシュ通知を送信できないため、端末を管理できません。"
            }
            (Self::CertificateExpired, Lang::En) => {
                "The MDM certificate has expired.\nPush notifications cannot be sent, so devices cannot be managed."
            }
            (Self::CertificateRevoked, Lang::Ja) => {
                "MDM証明書が失効しています。\n端末にプッシュ通知を送信できないため、端末を管理できません。"
            }
            (Self::CertificateRevoked, Lang::En) => {
                "The MDM certificate has been revoked.\nPush notifications cannot be sent, so devices cannot be managed."
            }
            (Self::CertificateNotTrusted, Lang::Ja) => {
                "APNsがMDM証明書を受け付けませんでした。\n端末にプッシュ通知を送信できません。"
            }
            (Self::CertificateNotTrusted, Lang::En) => {
                "APNs did not accept the MDM certificate.\nPush notifications cannot be sent to devices."
            }
            (Self::WrongEnvironment, Lang::Ja) => {
                "MDM証明書と接続先のAPNsサーバー(本番用または開発用)が一致していません。\n端末にプッシュ通知を送信できません。"
            }
            (Self::WrongEnvironment, Lang::En) => {
                "The MDM certificate is not for the APNs server (production or development) the MDM server connects to.\nPush notifications cannot be sent to devices."
            }
            (Self::RateLimited, Lang::Ja) => {
                "この端末へのプッシュ通知が多すぎるため、APNsが一時的に受け付けていません。"
            }
            (Self::RateLimited, Lang::En) => {
                "APNs is refusing push notifications to this device for a while: too many were sent."
            }
            (Self::ApnsUnavailable, Lang::Ja) => "APNsに一時的に接続できません。",
            (Self::ApnsUnavailable, Lang::En) => "APNs cannot be reached for now.",
            (Self::RequestRejected, Lang::Ja) => {
                "MDMサーバーの不具合により、APNsがプッシュ通知の要求を拒否しました。"
            }
            (Self::RequestRejected, Lang::En) => {
                "APNs refused the push request because of a fault in the MDM server."
            }
            (Self::ServerNotTrusted, Lang::Ja) => {
                "APNsサーバーの証明書を確認できませんでした。\n端末にプッシュ通知を送信できません。"
            }
            (Self::ServerNotTrusted, Lang::En) => {
                "The APNs server's certificate could not be verified.\nPush notifications cannot be sent to devices."
            }
        }
    }

    /// What the administrator should do next; sentences are separated by `\n`.
    pub fn remedy(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Delivered, Lang::Ja) => "対応は不要です。",
            (Self::Delivered, Lang::En) => "No action is needed.",
            (Self::DeviceGone, Lang::Ja) => {
                "MDM証明書の対応は不要です。\n端末を再度登録すると、プッシュ通知を送信できるようになります。"
            }
            (Self::DeviceGone, Lang::En) => {
                "Nothing needs to be done about the MDM certificate.\nPush notifications can be sent again once the device is enrolled again."
            }
            (Self::BadDeviceToken, Lang::Ja) => {
                "MDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。\n解決しない場合は、端末を再度登録してください。"
            }
            (Self::BadDeviceToken, Lang::En) => {
                "Check that the MDM server sends push notifications to the production APNs server.\nIf the problem persists, enroll the device again."
            }
            (Self::TopicMismatch, Lang::Ja) => {
                "MDM証明書は、前回発行した同じ証明書を更新し、アップロードする必要があります。\n証明書を新規作成せず、前回発行したMDM証明書を更新してダウンロードし、アップロードしてください。"
            }
            (Self::TopicMismatch, Lang::En) => {
                "The MDM certificate must be a renewal of the certificate issued last time.\nDo not create a new certificate: renew the certificate issued last time, download it and upload it."
            }
            (Self::CertificateExpired, Lang::Ja) => {
                "すぐにMDM証明書を更新してください。\nMDM証明書は有効期限後も更新できます。前回発行したMDM証明書を更新してアップロードすると、端末の管理を再開できます。"
            }
            (Self::CertificateExpired, Lang::En) => {
                "Renew the MDM certificate now.\nAn MDM certificate can be renewed after it has expired: renew the certificate issued last time and upload it to resume managing devices."
            }
            (Self::CertificateRevoked, Lang::Ja) => {
                "MDM証明書を更新した場合は、更新したMDM証明書をアップロードしてください。\n更新していない場合は、MDM証明書を作成したApple IDでApple Push Certificates Portalにサインインし、証明書の状態を確認してください。"
            }
            (Self::CertificateRevoked, Lang::En) => {
                "If you renewed the MDM certificate, upload the renewed certificate.\nOtherwise, sign in to Apple Push Certificates Portal with the Apple ID that created the certificate and check its status."
            }
            (Self::CertificateNotTrusted, Lang::Ja) => {
                "Apple Push Certificates Portalで発行されたMDM証明書がアップロードされているか確認してください。\n解決しない場合は、前回発行したMDM証明書を更新し、アップロードしてください。"
            }
            (Self::CertificateNotTrusted, Lang::En) => {
                "Check that the uploaded MDM certificate was issued by Apple Push Certificates Portal.\nIf the problem persists, renew the certificate issued last time and upload it."
            }
            (Self::WrongEnvironment, Lang::Ja) => {
                "Apple Push Certificates Portalで発行されたMDM証明書は本番用です。\nMDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。"
            }
            (Self::WrongEnvironment, Lang::En) => {
                "MDM certificates issued by Apple Push Certificates Portal are for production.\nCheck that the MDM server sends push notifications to the production APNs server."
            }
            (Self::RateLimited, Lang::Ja) => "しばらく待ってから再度実行してください。",
            (Self::RateLimited, Lang::En) => "Wait a while and try again.",
            (Self::ApnsUnavailable, Lang::Ja) => {
                "ネットワークへの接続が不安定になっている可能性があります。\n時間をおいて再度実行してください。"
            }
            (Self::ApnsUnavailable, Lang::En) => {
                "The network connection may be unstable.\nWait a while and try again."
            }
            (Self::RequestRejected, Lang::Ja) => {
                "MDM証明書の問題ではありません。\n詳細を添えて、MDMサーバーの提供元にお問い合わせください。"
            }
            (Self::RequestRejected, Lang::En) => {
                "This is not a problem with the MDM certificate.\nContact the MDM server's provider with the details."
            }
            (Self::ServerNotTrusted, Lang::Ja) => {
                "MDM証明書の問題ではありません。\nMDMサーバーのAPNsサーバー用ルート証明書が最新か、通信を中継する機器が証明書を差し替えていないか、MDMサーバーの提供元にお問い合わせください。"
            }
            (Self::ServerNotTrusted, Lang::En) => {
                "This is not a problem with the MDM certificate.\nAsk the MDM server's provider whether its root certificates for APNs are up to date and whether a proxy replaces certificates on the connection."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message and remedy, both languages: a new kind adds a row
    /// (the match has no wildcard).
    #[test]
    fn every_text() {
        fn expected(kind: OutcomeKind) -> [&'static str; 4] {
            // [message ja, remedy ja, message en, remedy en]
            match kind {
                OutcomeKind::Delivered => [
                    "APNsがプッシュ通知を受け付けました。",
                    "対応は不要です。",
                    "APNs accepted the push notification.",
                    "No action is needed.",
                ],
                OutcomeKind::DeviceGone => [
                    "端末のプッシュトークンが無効になっています。\n端末の管理が解除されたか、初期化された可能性があります。",
                    "MDM証明書の対応は不要です。\n端末を再度登録すると、プッシュ通知を送信できるようになります。",
                    "The device's push token is no longer valid.\nThe device may have been unenrolled or erased.",
                    "Nothing needs to be done about the MDM certificate.\nPush notifications can be sent again once the device is enrolled again.",
                ],
                OutcomeKind::BadDeviceToken => [
                    "APNsが端末のプッシュトークンを受け付けませんでした。\n接続先のAPNsサーバー(本番用または開発用)が端末と異なるか、トークンが正しくない可能性があります。",
                    "MDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。\n解決しない場合は、端末を再度登録してください。",
                    "APNs did not accept the device's push token.\nThe MDM server may be using a different APNs server (production or development) from the device's, or the token may be wrong.",
                    "Check that the MDM server sends push notifications to the production APNs server.\nIf the problem persists, enroll the device again.",
                ],
                OutcomeKind::TopicMismatch => [
                    "端末を登録したときのMDM証明書と、現在のMDM証明書が異なります。\n端末にプッシュ通知を送信できません。",
                    "MDM証明書は、前回発行した同じ証明書を更新し、アップロードする必要があります。\n証明書を新規作成せず、前回発行したMDM証明書を更新してダウンロードし、アップロードしてください。",
                    "The MDM certificate differs from the one the device was enrolled with.\nPush notifications cannot be sent to the device.",
                    "The MDM certificate must be a renewal of the certificate issued last time.\nDo not create a new certificate: renew the certificate issued last time, download it and upload it.",
                ],
                OutcomeKind::CertificateExpired => [
                    "MDM証明書の有効期限が切れています。\n端末にプッシュ通知を送信できないため、端末を管理できません。",
                    "すぐにMDM証明書を更新してください。\nMDM証明書は有効期限後も更新できます。前回発行したMDM証明書を更新してアップロードすると、端末の管理を再開できます。",
                    "The MDM certificate has expired.\nPush notifications cannot be sent, so devices cannot be managed.",
                    "Renew the MDM certificate now.\nAn MDM certificate can be renewed after it has expired: renew the certificate issued last time and upload it to resume managing devices.",
                ],
                OutcomeKind::CertificateRevoked => [
                    "MDM証明書が失効しています。\n端末にプッシュ通知を送信できないため、端末を管理できません。",
                    "MDM証明書を更新した場合は、更新したMDM証明書をアップロードしてください。\n更新していない場合は、MDM証明書を作成したApple IDでApple Push Certificates Portalにサインインし、証明書の状態を確認してください。",
                    "The MDM certificate has been revoked.\nPush notifications cannot be sent, so devices cannot be managed.",
                    "If you renewed the MDM certificate, upload the renewed certificate.\nOtherwise, sign in to Apple Push Certificates Portal with the Apple ID that created the certificate and check its status.",
                ],
                OutcomeKind::CertificateNotTrusted => [
                    "APNsがMDM証明書を受け付けませんでした。\n端末にプッシュ通知を送信できません。",
                    "Apple Push Certificates Portalで発行されたMDM証明書がアップロードされているか確認してください。\n解決しない場合は、前回発行したMDM証明書を更新し、アップロードしてください。",
                    "APNs did not accept the MDM certificate.\nPush notifications cannot be sent to devices.",
                    "Check that the uploaded MDM certificate was issued by Apple Push Certificates Portal.\nIf the problem persists, renew the certificate issued last time and upload it.",
                ],
                OutcomeKind::WrongEnvironment => [
                    "MDM証明書と接続先のAPNsサーバー(本番用または開発用)が一致していません。\n端末にプッシュ通知を送信できません。",
                    "Apple Push Certificates Portalで発行されたMDM証明書は本番用です。\nMDMサーバーの接続先が本番用のAPNsサーバーになっているか確認してください。",
                    "The MDM certificate is not for the APNs server (production or development) the MDM server connects to.\nPush notifications cannot be sent to devices.",
                    "MDM certificates issued by Apple Push Certificates Portal are for production.\nCheck that the MDM server sends push notifications to the production APNs server.",
                ],
                OutcomeKind::RateLimited => [
                    "この端末へのプッシュ通知が多すぎるため、APNsが一時的に受け付けていません。",
                    "しばらく待ってから再度実行してください。",
                    "APNs is refusing push notifications to this device for a while: too many were sent.",
                    "Wait a while and try again.",
                ],
                OutcomeKind::ApnsUnavailable => [
                    "APNsに一時的に接続できません。",
                    "ネットワークへの接続が不安定になっている可能性があります。\n時間をおいて再度実行してください。",
                    "APNs cannot be reached for now.",
                    "The network connection may be unstable.\nWait a while and try again.",
                ],
                OutcomeKind::RequestRejected => [
                    "MDMサーバーの不具合により、APNsがプッシュ通知の要求を拒否しました。",
                    "MDM証明書の問題ではありません。\n詳細を添えて、MDMサーバーの提供元にお問い合わせください。",
                    "APNs refused the push request because of a fault in the MDM server.",
                    "This is not a problem with the MDM certificate.\nContact the MDM server's provider with the details.",
                ],
                OutcomeKind::ServerNotTrusted => [
                    "APNsサーバーの証明書を確認できませんでした。\n端末にプッシュ通知を送信できません。",
                    "MDM証明書の問題ではありません。\nMDMサーバーのAPNsサーバー用ルート証明書が最新か、通信を中継する機器が証明書を差し替えていないか、MDMサーバーの提供元にお問い合わせください。",
                    "The APNs server's certificate could not be verified.\nPush notifications cannot be sent to devices.",
                    "This is not a problem with the MDM certificate.\nAsk the MDM server's provider whether its root certificates for APNs are up to date and whether a proxy replaces certificates on the connection.",
                ],
            }
        }
        for &kind in OutcomeKind::ALL {
            let [mja, rja, men, ren] = expected(kind);
            assert_eq!(kind.message(Lang::Ja), mja, "{kind}");
            assert_eq!(kind.remedy(Lang::Ja), rja, "{kind}");
            assert_eq!(kind.message(Lang::En), men, "{kind}");
            assert_eq!(kind.remedy(Lang::En), ren, "{kind}");
            assert_eq!(OutcomeKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(OutcomeKind::ALL.len(), 12);
    }
}
