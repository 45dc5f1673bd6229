//! Every bound on the work one input may cause, in one place: the readers,
//! the path search and the signedCSR reader all take theirs from here.

use time::Duration;

/// Largest input any entry point of this crate reads, in bytes (256 KiB).
///
/// A push certificate is about 2 KiB, a chain file with Apple's CA
/// certificates about 6 KiB and a signedCSR file about 8 KiB; anything larger
/// is refused before it is parsed.
pub const MAX_INPUT_LEN: usize = 256 * 1024;

/// Most certificates a push certificate upload may hold: the push
/// certificate with its chain is three or four; more is refused before any
/// of them is read, which bounds the work per file.
pub const MAX_CERTIFICATES_PER_FILE: usize = 16;

/// Longest topic accepted, in bytes; real topics are about 60 characters
/// (`com.apple.mgmt.External.` and a UUID).
pub const MAX_TOPIC_LEN: usize = 255;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// Most characters (not bytes) of a request's common name: RFC 5280's
/// `ub-common-name`. A 23-character Japanese school name is 69 bytes of
/// UTF-8 and fits.
pub const MAX_COMMON_NAME_CHARS: usize = 64;

/// Most characters of a request's organization name: RFC 5280's
/// `ub-organization-name`.
pub const MAX_ORGANIZATION_CHARS: usize = 64;

/// Most characters of a request's e-mail address: RFC 5280's
/// `ub-emailaddress-length`.
pub const MAX_EMAIL_ADDRESS_CHARS: usize = 255;

/// Most certificates a signedCSR chain may hold. Apple's chain has three
/// (vendor, WWDR intermediate, root); a longer one is refused before any
/// signature is checked, which bounds the work per file.
pub const MAX_CHAIN_LEN: usize = 8;

/// Most intermediates between a certificate and its root: Apple's paths have one.
pub(crate) const MAX_PATH_INTERMEDIATES: usize = 4;

/// Most signatures one check verifies while it searches for a path: an RSA
/// signature costs about 40 µs and a P-384 one about 1 ms, so a hostile
/// upload of look-alike issuers cannot make a check slow. Apple's paths need
/// two or three.
pub(crate) const MAX_SIGNATURE_CHECKS: usize = 16;

/// Most candidates with the issuer's name tried at each level of the path:
/// Apple gives each CA its own name, so more than one is already unusual.
pub(crate) const MAX_CANDIDATES_PER_NAME: usize = 4;

/// Longest serial number accepted: 20 octets (RFC 5280 §4.1.2.2), plus the
/// sign octet DER adds when the first bit is set.
pub(crate) const MAX_SERIAL_LEN: usize = 21;

/// Most extensions one certificate may carry; Apple's carry up to ten.
pub(crate) const MAX_EXTENSIONS: usize = 64;

/// Most intermediates an operator may add at once with
/// [`TrustAnchors::with_intermediates`](crate::TrustAnchors::with_intermediates):
/// Apple has a dozen CAs, so this is room for every one of them twice.
pub const MAX_OPERATOR_INTERMEDIATES: usize = 32;

/// Most PBKDF2 iterations accepted in a file read (about a second of work
/// here); this crate writes
/// [`PBKDF2_ITERATIONS`](crate::key_encryption::PBKDF2_ITERATIONS).
pub const MAX_PBKDF2_ITERATIONS: u32 = 2_000_000;

/// Largest scrypt cost accepted in a file read: N × r at most 2^20, so the
/// memory scrypt needs (128 × N × r bytes) stays within 128 MiB, and p at most 4.
/// OpenSSL 3 writes N = 2^14, r = 8, p = 1.
pub const MAX_SCRYPT_COST: u64 = 1 << 20;

/// Most key-derivation iterations a PKCS#12 file may ask for (its MAC and
/// each encrypted part): OpenSSL writes 2,048; a hostile file must not pin a
/// CPU for minutes.
pub const MAX_PKCS12_ITERATIONS: u32 = 1_000_000;

/// Most thresholds a reminder schedule may hold: Apple's own e-mails are four
/// (30, 10 and 1 day before the end, and at it), so this is room for a
/// reminder every other day of the last month.
pub const MAX_REMINDER_THRESHOLDS: usize = 16;

/// Furthest before the end of validity a reminder may be scheduled: 366 days.
/// A push certificate is valid for a year, so an earlier reminder would fall
/// before the certificate existed.
pub const MAX_REMINDER_THRESHOLD: Duration = Duration::days(366);
