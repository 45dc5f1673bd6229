//! Every upload message in both languages, every remedy and every code.

use mdm_push_cert::{InputError, InvalidReason, Lang, ParseError, RetryReason, UploadError};

fn all_variants() -> Vec<UploadError> {
    vec![
        UploadError::InvalidCertificate {
            reason: InvalidReason::Parse(ParseError::Input(InputError::Empty)),
        },
        UploadError::PublicKeyMismatch {
            expected_sha256: "00".into(),
            found_sha256: "11".into(),
        },
        UploadError::RetryLater {
            reason: RetryReason::Truncated,
        },
        UploadError::TopicMismatch {
            previous: "com.apple.mgmt.External.a".parse().unwrap(),
            uploaded: "com.apple.mgmt.External.b".parse().unwrap(),
        },
    ]
}

/// (code, Japanese message as the guide prints it, English message)
fn expected(e: &UploadError) -> (&'static str, &'static str, &'static str) {
    // `UploadError` is #[non_exhaustive], so outside the crate a wildcard arm
    // is required. Inside the crate `code`, `message` and `remedy` match
    // without one, so a new variant does not compile until it has texts; it
    // then belongs in `all_variants` and here.
    match e {
        UploadError::InvalidCertificate { .. } => (
            "invalid_certificate",
            "MDM証明書の読み取り中にエラーが発生しました。\n無効な MDM証明書である可能性があります。",
            "An error occurred while reading the MDM certificate.\nThe MDM certificate may be invalid.",
        ),
        UploadError::PublicKeyMismatch { .. } => (
            "public_key_mismatch",
            "MDM証明書の読み取り中にエラーが発生しました。\n証明書の公開キーが違います。\nダウンロードした CSRファイルで作成した証明書か確認してください。",
            "An error occurred while reading the MDM certificate.\nThe certificate's public key is different.\nCheck that the certificate was created with the CSR file you downloaded.",
        ),
        UploadError::RetryLater { .. } => (
            "retry_later",
            "MDM証明書の読み取り中にエラーが発生しました。\n時間をおいて再度実行してください。",
            "An error occurred while reading the MDM certificate.\nWait a while and try again.",
        ),
        UploadError::TopicMismatch { .. } => (
            "topic_mismatch",
            "前回アップロードした MDM証明書と異なるMDM証明書をアップロードすることはできません。",
            "You cannot upload an MDM certificate that differs from the MDM certificate you uploaded last time.",
        ),
        _ => unreachable!("UploadError has exactly four variants"),
    }
}

#[test]
fn messages_codes_and_display() {
    let variants = all_variants();
    assert_eq!(variants.len(), 4);
    for e in &variants {
        let (code, ja, en) = expected(e);
        assert_eq!(e.code(), code);
        assert_eq!(e.message(Lang::Ja), ja, "{code}");
        assert_eq!(e.message(Lang::En), en, "{code}");
        // Display is the one-line log form: the code and the detail.
        assert_eq!(e.to_string(), format!("{code}: {}", e.detail()), "{code}");
        assert!(!e.to_string().contains('\n'), "{code}");
        assert_eq!(Lang::default(), Lang::En);
    }
}

#[test]
fn remedies_are_generic_and_distinct_per_language() {
    for e in all_variants() {
        for lang in [Lang::Ja, Lang::En] {
            let r = e.remedy(lang);
            assert!(!r.is_empty());
            for banned in ["LanScope", "p.1", "p.2", "(p.", "サポートセンター"] {
                assert!(!r.contains(banned), "{}: {r}", e.code());
            }
        }
        assert_ne!(e.remedy(Lang::Ja), e.remedy(Lang::En));
        assert!(!e.detail().is_empty());
    }
    // The retry remedy is the guide's own text.
    let retry = &all_variants()[2];
    assert_eq!(
        retry.remedy(Lang::Ja),
        "ネットワークへの接続が不安定になっている可能性があります。\nしばらく待ってから再度MDM証明書をアップロードしてください。"
    );
}

#[test]
fn codes_are_unique() {
    let mut codes: Vec<_> = all_variants().iter().map(UploadError::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 4);
}
