//! The APNs topic of a push certificate.

use core::fmt;
use core::str::FromStr;

use crate::limits::MAX_TOPIC_LEN;

/// The prefix every MDM push topic carries.
pub const TOPIC_PREFIX: &str = "com.apple.mgmt.";

/// The APNs topic an MDM push certificate is issued for, such as
/// `com.apple.mgmt.External.<uuid>`.
///
/// Apple puts it in the certificate subject's UID attribute
/// (OID 0.9.2342.19200300.100.1.1). Devices enrolled under a topic receive
/// pushes only for that topic, so a renewal must keep it.
///
/// A topic starts with `com.apple.mgmt.`, has at least one character after
/// that prefix, is at most [`MAX_TOPIC_LEN`] bytes long and holds only ASCII
/// letters, digits, `.`, `-` and `_`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Topic(String);

/// Why a string is not an MDM push topic.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TopicError {
    /// The string is empty.
    #[error("the topic is empty")]
    Empty,
    /// The string does not start with `com.apple.mgmt.` or has nothing after it.
    #[error("the topic does not start with \"com.apple.mgmt.\" followed by an identifier")]
    WrongPrefix,
    /// The string is longer than [`MAX_TOPIC_LEN`].
    #[error("the topic is {len} bytes long, more than the {max} allowed")]
    TooLong {
        /// Length of the string in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The string holds a character other than ASCII letters, digits, `.`, `-` and `_`.
    #[error("the topic holds the character {found:?}, which a topic may not contain")]
    InvalidCharacter {
        /// The first character that is not allowed.
        found: char,
    },
}

impl Topic {
    /// The topic as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `com.apple.mgmt.`, such as `External.<uuid>`.
    pub fn suffix(&self) -> &str {
        self.0.get(TOPIC_PREFIX.len()..).unwrap_or_default()
    }

    fn validate(s: &str) -> Result<(), TopicError> {
        if s.is_empty() {
            return Err(TopicError::Empty);
        }
        if s.len() > MAX_TOPIC_LEN {
            return Err(TopicError::TooLong {
                len: s.len(),
                max: MAX_TOPIC_LEN,
            });
        }
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
        if !s.bytes().all(allowed)
            && let Some(found) = s.chars().find(|c| !(c.is_ascii() && allowed(*c as u8)))
        {
            return Err(TopicError::InvalidCharacter { found });
        }
        match s.strip_prefix(TOPIC_PREFIX) {
            Some(rest) if !rest.is_empty() => Ok(()),
            _ => Err(TopicError::WrongPrefix),
        }
    }
}

impl Topic {
    /// Validates an owned string without copying it; gives it back on failure.
    pub(crate) fn from_string(s: String) -> Result<Self, (TopicError, String)> {
        match Self::validate(&s) {
            Ok(()) => Ok(Self(s)),
            Err(e) => Err((e, s)),
        }
    }
}

impl FromStr for Topic {
    type Err = TopicError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::validate(s)?;
        Ok(Self(s.to_owned()))
    }
}

impl TryFrom<&str> for Topic {
    type Error = TopicError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl TryFrom<String> for Topic {
    type Error = TopicError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::validate(&s)?;
        Ok(Self(s))
    }
}

impl AsRef<str> for Topic {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Topic> for String {
    fn from(topic: Topic) -> Self {
        topic.0
    }
}
