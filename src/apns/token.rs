//! What addresses one MDM push: the device token, the device's PushMagic,
//! and the optional `apns-id` of the request.

use core::fmt;
use core::str::FromStr;

/// Fewest bytes accepted in a device token.
///
/// Tokens have been 32 bytes since APNs began; Apple says to treat them as
/// opaque data of variable length. Eight bytes refuses what is surely a
/// mistake (an empty, truncated or placeholder value) without guessing at a
/// future length.
pub const MIN_DEVICE_TOKEN_LEN: usize = 8;

/// Most bytes accepted in a device token (200 hex digits).
///
/// Three times today's 32 bytes leaves room for the longer tokens Apple
/// reserves the right to issue, while bounding the request path and what a
/// server stores per device.
pub const MAX_DEVICE_TOKEN_LEN: usize = 100;

/// Most bytes accepted in a PushMagic. Devices send a UUID (36 characters);
/// the bound keeps a corrupt value from growing the push's body.
pub const MAX_PUSH_MAGIC_LEN: usize = 256;

/// A device's APNs token, from its MDM `TokenUpdate` check-in: the address
/// of a push (`POST /3/device/<token>`).
///
/// Read from hex of either case, with no separators, of
/// [`MIN_DEVICE_TOKEN_LEN`] to [`MAX_DEVICE_TOKEN_LEN`] bytes; written as
/// lower-case hex, the form the request path carries and Go's and Python's
/// MDM servers store. A server that keeps the raw `Token` data of the
/// check-in uses [`from_bytes`](Self::from_bytes).
///
/// ```
/// use mdm_push_cert::apns::DeviceToken;
/// let t: DeviceToken = "7E6C0AE1C64B1E9B4E3F5E2BBA0E8C6A1C06D6A9A1B0E5D83E7F9F1D0C2B4A6E".parse()?;
/// assert_eq!(t.to_string(), "7e6c0ae1c64b1e9b4e3f5e2bba0e8c6a1c06d6a9a1b0e5d83e7f9f1d0c2b4a6e");
/// assert_eq!(t.as_bytes().len(), 32);
/// assert!("7e6c 0ae1".parse::<DeviceToken>().is_err());
/// # Ok::<(), mdm_push_cert::apns::DeviceTokenError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeviceToken {
    bytes: Vec<u8>,
    hex: String,
}

/// Why a string or bytes are not a device token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceTokenError {
    /// The string is empty.
    #[error("the device token is empty")]
    Empty,
    /// The string holds a character that is not a hex digit (spaces, `<`
    /// and `>` of a printed `NSData` included).
    #[error("the device token holds {found:?} at byte {position}; a token is hex digits only")]
    NotHex {
        /// The first character that is not a hex digit.
        found: char,
        /// Its byte offset.
        position: usize,
    },
    /// The string has an odd number of hex digits.
    #[error("the device token has {digits} hex digits, an odd number")]
    OddLength {
        /// Number of digits.
        digits: usize,
    },
    /// The token is shorter than [`MIN_DEVICE_TOKEN_LEN`] bytes.
    #[error("the device token is {len} bytes long, fewer than the {min} accepted")]
    TooShort {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        min: usize,
    },
    /// The token is longer than [`MAX_DEVICE_TOKEN_LEN`] bytes.
    #[error("the device token is {len} bytes long, more than the {max} accepted")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
}

impl DeviceToken {
    /// The token from its raw bytes (the `Token` data of a `TokenUpdate`).
    ///
    /// # Errors
    /// [`DeviceTokenError::TooShort`] or [`DeviceTokenError::TooLong`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DeviceTokenError> {
        check_len(bytes.len())?;
        Ok(Self {
            bytes: bytes.to_vec(),
            hex: crate::display::hex(bytes),
        })
    }

    /// The token's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The token as lower-case hex, as the request path carries it.
    pub fn as_hex(&self) -> &str {
        &self.hex
    }
}

fn check_len(len: usize) -> Result<(), DeviceTokenError> {
    if len < MIN_DEVICE_TOKEN_LEN {
        Err(DeviceTokenError::TooShort {
            len,
            min: MIN_DEVICE_TOKEN_LEN,
        })
    } else if len > MAX_DEVICE_TOKEN_LEN {
        Err(DeviceTokenError::TooLong {
            len,
            max: MAX_DEVICE_TOKEN_LEN,
        })
    } else {
        Ok(())
    }
}

impl FromStr for DeviceToken {
    type Err = DeviceTokenError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(DeviceTokenError::Empty);
        }
        if let Some((position, found)) = s.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
            return Err(DeviceTokenError::NotHex { found, position });
        }
        if !s.len().is_multiple_of(2) {
            return Err(DeviceTokenError::OddLength { digits: s.len() });
        }
        check_len(s.len() / 2)?;
        let bytes =
            crate::display::hex_decode(s).ok_or(DeviceTokenError::OddLength { digits: s.len() })?;
        Ok(Self {
            bytes,
            hex: s.to_ascii_lowercase(),
        })
    }
}

impl TryFrom<&str> for DeviceToken {
    type Error = DeviceTokenError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl fmt::Display for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex)
    }
}

impl fmt::Debug for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceToken({})", self.hex)
    }
}

/// The `PushMagic` string a device sends in its `TokenUpdate` check-in: the
/// device ignores an MDM push whose body does not carry it, so the body is
/// exactly `{"mdm":"<PushMagic>"}`.
///
/// Devices send a UUID. Accepted: 1 to [`MAX_PUSH_MAGIC_LEN`] bytes of
/// printable ASCII (space to `~`), neither starting nor ending with a
/// space, without `"` or `\`. The value goes into the JSON body verbatim,
/// so what JSON would have to escape is refused rather than escaped: a
/// PushMagic holding it is corrupt, and a push carrying an altered one
/// would be accepted by APNs and silently ignored by the device. Kept as
/// given (its case included): the device compares it byte for byte.
///
/// ```
/// use mdm_push_cert::apns::PushMagic;
/// let m: PushMagic = "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F".parse()?;
/// assert_eq!(m.as_str(), "5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F");
/// assert!("a\"b".parse::<PushMagic>().is_err());
/// assert!("5D0B0B4D\n".parse::<PushMagic>().is_err());
/// # Ok::<(), mdm_push_cert::apns::PushMagicError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PushMagic(String);

/// Why a string is not a PushMagic.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PushMagicError {
    /// The string is empty.
    #[error("the PushMagic is empty")]
    Empty,
    /// The string is longer than [`MAX_PUSH_MAGIC_LEN`] bytes.
    #[error("the PushMagic is {len} bytes long, more than the {max} accepted")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The string holds a control character, a non-ASCII character, `"`
    /// or `\`.
    #[error(
        "the PushMagic holds {found:?} at byte {position}, which the push body cannot carry verbatim"
    )]
    InvalidCharacter {
        /// The first character refused.
        found: char,
        /// Its byte offset.
        position: usize,
    },
    /// The string starts or ends with a space (a value copied with its
    /// padding).
    #[error("the PushMagic starts or ends with a space")]
    SurroundingSpace,
}

impl PushMagic {
    /// The PushMagic as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn validate(s: &str) -> Result<(), PushMagicError> {
        if s.is_empty() {
            return Err(PushMagicError::Empty);
        }
        if s.len() > MAX_PUSH_MAGIC_LEN {
            return Err(PushMagicError::TooLong {
                len: s.len(),
                max: MAX_PUSH_MAGIC_LEN,
            });
        }
        let allowed = |c: char| matches!(c, ' '..='~') && c != '"' && c != '\\';
        if let Some((position, found)) = s.char_indices().find(|(_, c)| !allowed(*c)) {
            return Err(PushMagicError::InvalidCharacter { found, position });
        }
        if s.starts_with(' ') || s.ends_with(' ') {
            return Err(PushMagicError::SurroundingSpace);
        }
        Ok(())
    }
}

impl FromStr for PushMagic {
    type Err = PushMagicError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::validate(s)?;
        Ok(Self(s.to_owned()))
    }
}

impl TryFrom<&str> for PushMagic {
    type Error = PushMagicError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl TryFrom<String> for PushMagic {
    type Error = PushMagicError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::validate(&s)?;
        Ok(Self(s))
    }
}

impl fmt::Display for PushMagic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `apns-id` of a push: a canonical UUID (8-4-4-4-12 hex digits) that
/// APNs echoes in its answer. Without one APNs makes its own.
///
/// The library has no randomness: a caller that wants its own ids passes 16
/// random bytes to [`from_random_bytes`](Self::from_random_bytes).
///
/// ```
/// use mdm_push_cert::apns::ApnsId;
/// let id = ApnsId::from_random_bytes([0xab; 16]);
/// assert_eq!(id.as_str(), "abababab-abab-4bab-abab-abababababab");
/// let read: ApnsId = "EABEAE54-14A8-11E5-B60B-1697F925EC7B".parse()?;
/// assert_eq!(read.as_str(), "eabeae54-14a8-11e5-b60b-1697f925ec7b");
/// # Ok::<(), mdm_push_cert::apns::ApnsIdError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApnsId(String);

/// Why a string is not an `apns-id`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApnsIdError {
    /// The string is not a UUID of 32 hex digits in groups of 8-4-4-4-12.
    #[error("the apns-id is not a canonical UUID (8-4-4-4-12 hex digits)")]
    NotUuid,
}

impl ApnsId {
    /// A version 4 (random) UUID from 16 random bytes: the version and
    /// variant bits are set as RFC 9562 §5.4 says, the other 122 bits are
    /// the caller's.
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> Self {
        if let Some(b) = bytes.get_mut(6) {
            *b = (*b & 0x0f) | 0x40;
        }
        if let Some(b) = bytes.get_mut(8) {
            *b = (*b & 0x3f) | 0x80;
        }
        let hex = crate::display::hex(&bytes);
        let part = |a: usize, b: usize| hex.get(a..b).unwrap_or_default();
        Self(format!(
            "{}-{}-{}-{}-{}",
            part(0, 8),
            part(8, 12),
            part(12, 16),
            part(16, 20),
            part(20, 32)
        ))
    }

    /// The id as lower-case canonical UUID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ApnsId {
    type Err = ApnsIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let groups: Vec<&str> = s.split('-').collect();
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        if lens != [8, 4, 4, 4, 12]
            || !groups
                .iter()
                .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(ApnsIdError::NotUuid);
        }
        Ok(Self(s.to_ascii_lowercase()))
    }
}

impl fmt::Display for ApnsId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lengths_at_the_bounds() {
        let hex = |n: usize| "ab".repeat(n);
        assert!(hex(MIN_DEVICE_TOKEN_LEN).parse::<DeviceToken>().is_ok());
        assert!(hex(MAX_DEVICE_TOKEN_LEN).parse::<DeviceToken>().is_ok());
        assert_eq!(
            hex(MIN_DEVICE_TOKEN_LEN - 1).parse::<DeviceToken>(),
            Err(DeviceTokenError::TooShort { len: 7, min: 8 })
        );
        assert_eq!(
            hex(MAX_DEVICE_TOKEN_LEN + 1).parse::<DeviceToken>(),
            Err(DeviceTokenError::TooLong { len: 101, max: 100 })
        );
        assert_eq!(
            "abc".parse::<DeviceToken>(),
            Err(DeviceTokenError::OddLength { digits: 3 })
        );
        assert_eq!(
            "+abcdefabcdefabcdef".parse::<DeviceToken>(),
            Err(DeviceTokenError::NotHex {
                found: '+',
                position: 0
            })
        );
    }

    #[test]
    fn apns_id_groups() {
        for bad in [
            "",
            "eabeae54-14a8-11e5-b60b-1697f925ec7",
            "eabeae5414a811e5b60b1697f925ec7b",
            "eabeae54-14a8-11e5-b60b-1697f925ec7g",
            "eabeae54-14a8-11e5-b60b1-697f925ec7b",
            "+abeae54-14a8-11e5-b60b-1697f925ec7b",
        ] {
            assert_eq!(bad.parse::<ApnsId>(), Err(ApnsIdError::NotUuid), "{bad}");
        }
        let id = ApnsId::from_random_bytes([0; 16]);
        assert_eq!(id.as_str(), "00000000-0000-4000-8000-000000000000");
        assert_eq!(id.as_str().parse::<ApnsId>(), Ok(id));
    }
}
