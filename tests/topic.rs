//! Topic validation on its own.

use mdm_push_cert::{MAX_TOPIC_LEN, Topic, TopicError};

#[test]
fn valid_topics() {
    for s in [
        "com.apple.mgmt.External.6c1b2f9e-3d4a-4b8e-9f10-2a3b4c5d6e7f",
        "com.apple.mgmt.XServer.abc_def",
        "com.apple.mgmt.x",
    ] {
        let t: Topic = s.parse().unwrap();
        assert_eq!(t.as_str(), s);
        assert_eq!(Topic::try_from(s).unwrap(), t);
        assert_eq!(Topic::try_from(s.to_owned()).unwrap(), t);
    }
}

#[test]
fn invalid_topics() {
    let long = format!("com.apple.mgmt.{}", "a".repeat(MAX_TOPIC_LEN));
    let cases: &[(&str, TopicError)] = &[
        ("", TopicError::Empty),
        ("com.apple.mgmt.", TopicError::WrongPrefix),
        ("com.apple.mgmt", TopicError::WrongPrefix),
        ("com.example.External.x", TopicError::WrongPrefix),
        ("COM.APPLE.MGMT.External.x", TopicError::WrongPrefix),
        (
            "com.apple.mgmt.External x",
            TopicError::InvalidCharacter { found: ' ' },
        ),
        (
            " com.apple.mgmt.External.x",
            TopicError::InvalidCharacter { found: ' ' },
        ),
        (
            "com.apple.mgmt.External.ü",
            TopicError::InvalidCharacter { found: 'ü' },
        ),
        (
            &long,
            TopicError::TooLong {
                len: long.len(),
                max: MAX_TOPIC_LEN,
            },
        ),
    ];
    for (s, want) in cases {
        assert_eq!(s.parse::<Topic>().unwrap_err(), *want, "{s:?}");
    }
}
