//! Framing: finding the DER items (certificates, requests) in what a
//! customer uploads, PEM or DER, detected by content; and why a file's
//! framing could not be read, naming what it was expected to hold.

use std::sync::LazyLock;

use der::{Decode as _, Header, Tag};
use memchr::memmem::Finder;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";
const END: &[u8] = b"-----END ";

/// Searchers built once: building one costs as much as a search.
static FIND_BEGIN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(BEGIN));
static FIND_DASHES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(DASHES));
static FIND_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(END));

/// What an input was expected to hold, as its framing errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputItem {
    /// An X.509 certificate (`CERTIFICATE`).
    Certificate,
    /// A PKCS#10 certificate signing request (`CERTIFICATE REQUEST`).
    CertificateRequest,
}

impl InputItem {
    /// What a block with this PEM label holds; any label but a request's
    /// is read as a certificate's.
    fn of_label(label: &[u8]) -> Self {
        match label {
            b"CERTIFICATE REQUEST" | b"NEW CERTIFICATE REQUEST" => Self::CertificateRequest,
            _ => Self::Certificate,
        }
    }
}

impl core::fmt::Display for InputItem {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Certificate => "certificate",
            Self::CertificateRequest => "certificate signing request",
        })
    }
}

/// Why a file's framing (its size, PEM, DER length or base64) could not be
/// read, before anything of its content is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The input is empty or only white space.
    #[error("the file is empty")]
    Empty,
    /// The input is larger than [`MAX_INPUT_LEN`](crate::limits::MAX_INPUT_LEN).
    #[error("the file is {len} bytes long, more than the {max} bytes accepted")]
    TooLarge {
        /// Length of the input.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The upload was cut off: a PEM block with no end line, or DER shorter
    /// than its length says.
    #[error("the file is truncated")]
    Truncated,
    /// The input is neither DER nor PEM holding what was expected.
    #[error("the file holds no {expected}")]
    NotFound {
        /// What was looked for.
        expected: InputItem,
    },
    /// DER data follows the end of the item.
    #[error("data follows the end of the {item}")]
    TrailingData {
        /// What the data follows.
        item: InputItem,
    },
    /// The PEM or base64 text, or a DER length, is not valid.
    #[error("the file's encoding is not valid: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
    },
}

impl InputError {
    fn malformed(detail: &dyn core::fmt::Display) -> Self {
        Self::Malformed {
            detail: detail.to_string(),
        }
    }

    fn malformed_text(detail: &str) -> Self {
        Self::Malformed {
            detail: detail.to_owned(),
        }
    }
}

/// One PEM block: its label and its base64 body (not yet decoded).
pub(crate) struct PemBlock<'a> {
    pub(crate) label: &'a [u8],
    pub(crate) body: &'a [u8],
}

/// Refuses empty and oversized inputs.
pub(crate) fn check_size(bytes: &[u8]) -> Result<(), InputError> {
    if bytes.len() > crate::limits::MAX_INPUT_LEN {
        return Err(InputError::TooLarge {
            len: bytes.len(),
            max: crate::limits::MAX_INPUT_LEN,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes == BOM {
        return Err(InputError::Empty);
    }
    Ok(())
}

/// Skips a UTF-8 byte order mark and leading ASCII white space.
fn trim_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Whether the input looks like DER: a SEQUENCE at its first byte.
pub(crate) fn looks_like_der(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30)
}

/// Checks that a DER input is one complete SEQUENCE: shorter than its length
/// says is truncated, longer carries trailing data unless what follows is
/// white space or NUL padding (a `.cer` saved with a final newline), which is
/// cut off: the DER alone is returned. Errors name `item`.
pub(crate) fn check_der_extent(bytes: &[u8], item: InputItem) -> Result<&[u8], InputError> {
    let header = match header_of(bytes) {
        Ok(h) => h,
        Err(_) if bytes.len() < 6 => return Err(InputError::Truncated),
        Err(e) => return Err(InputError::malformed(&e)),
    };
    if header.tag() != Tag::Sequence {
        return Err(InputError::NotFound { expected: item });
    }
    let total = der::Encode::encoded_len(&header)
        .and_then(|h| h + header.length())
        .map_err(|e| InputError::malformed(&e))?;
    let total = usize::try_from(total).map_err(|e| InputError::malformed(&e))?;
    let (der, rest) = bytes.split_at_checked(total).ok_or(InputError::Truncated)?;
    if rest.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        Ok(der)
    } else {
        Err(InputError::TrailingData { item })
    }
}

/// Reads the header of a DER value without requiring the whole value.
fn header_of(bytes: &[u8]) -> der::Result<Header> {
    let mut reader = der::SliceReader::new(bytes)?;
    Header::decode(&mut reader)
}

/// Splits a PEM text into its blocks, tolerating a byte order mark, CRLF line
/// ends and text before, between and after the blocks. A block with no end
/// line is a truncated upload.
pub(crate) fn pem_blocks(bytes: &[u8]) -> Result<Vec<PemBlock<'_>>, InputError> {
    let mut blocks = Vec::new();
    let mut rest = bytes;
    while let Some(begin) = FIND_BEGIN.find(rest) {
        let after_begin = rest.get(begin + BEGIN.len()..).unwrap_or_default();
        let label_end = FIND_DASHES.find(after_begin).ok_or(InputError::Truncated)?;
        let label = after_begin.get(..label_end).unwrap_or_default();
        if label.len() > 64 || label.iter().any(|b| *b == b'\n' || *b == b'\r') {
            return Err(InputError::malformed_text(
                "a PEM begin line is not terminated",
            ));
        }
        let body_and_rest = after_begin
            .get(label_end + DASHES.len()..)
            .unwrap_or_default();
        // The first end line for this label; end lines of other labels are
        // skipped (and a begin line before it means this block was cut off).
        let mut search_from = 0;
        let (body, after_end) = loop {
            let tail = body_and_rest.get(search_from..).unwrap_or_default();
            let end = FIND_END.find(tail).ok_or(InputError::Truncated)?;
            let after_end = tail.get(end + END.len()..).unwrap_or_default();
            if after_end.starts_with(label)
                && after_end
                    .get(label.len()..)
                    .is_some_and(|r| r.starts_with(DASHES))
            {
                let body = body_and_rest.get(..search_from + end).unwrap_or_default();
                let rest = after_end
                    .get(label.len() + DASHES.len()..)
                    .unwrap_or_default();
                break (body, rest);
            }
            search_from += end + END.len();
        };
        if FIND_BEGIN.find(body).is_some() {
            // A new block starts before this one ended: the first was cut off.
            return Err(InputError::Truncated);
        }
        blocks.push(PemBlock { label, body });
        rest = after_end;
    }
    Ok(blocks)
}

/// Decodes a PEM body or any wrapped base64: ASCII white space anywhere,
/// lines of any width, padding required (as Go's and Python's standard
/// decoders require it, so all three read the same bytes).
pub(crate) fn decode_base64_lenient(body: &[u8]) -> Result<Vec<u8>, InputError> {
    // Joining the lines first keeps the decoder on its vectorised path; white
    // space inside a line (rare) is removed before the length is judged.
    // The decoded bytes are written over the joined text: one allocation.
    let mut buf = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut inner_space = false;
    while !rest.is_empty() {
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let (line, tail) = rest.split_at(end);
        let line = line.trim_ascii();
        inner_space |= memchr::memchr3(b' ', b'\t', b'\r', line).is_some()
            || memchr::memchr2(b'\x0b', b'\x0c', line).is_some();
        buf.extend_from_slice(line);
        rest = tail.get(1..).unwrap_or_default();
    }
    if inner_space {
        buf.retain(|b| !b.is_ascii_whitespace());
    }
    // Padding left off leaves a length that is not a multiple of four.
    if !buf.len().is_multiple_of(4) {
        return Err(InputError::malformed_text(
            "base64 text is not padded to a multiple of four characters",
        ));
    }
    let len = base64_simd::forgiving_decode_inplace(&mut buf)
        .map_err(|_| InputError::malformed_text("a PEM block is not valid base64"))?
        .len();
    buf.truncate(len);
    Ok(buf)
}

/// Standard base64 with padding, on one line.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// The DER of every block labelled `label` in the input, or the input itself
/// when it is DER. Inputs that are neither give [`InputError::NotFound`];
/// errors name the item the label stands for.
pub(crate) fn der_items(bytes: &[u8], label: &[u8]) -> Result<Vec<Vec<u8>>, InputError> {
    let item = InputItem::of_label(label);
    check_size(bytes)?;
    let trimmed = trim_start(bytes);
    // DER when the first byte opens a SEQUENCE whose length matches the
    // input; PEM when there is a begin line (text before it may start with
    // the character '0', which is 0x30); otherwise report why the DER is not.
    if looks_like_der(trimmed) {
        match check_der_extent(trimmed, item) {
            Ok(der) => return Ok(vec![der.to_vec()]),
            Err(e) if FIND_BEGIN.find(trimmed).is_none() => return Err(e),
            Err(_) => {}
        }
    }
    let blocks = pem_blocks(trimmed)?;
    if blocks.is_empty()
        && let Some(der) = bare_base64_der(trimmed)
    {
        return Ok(vec![der]);
    }
    der_items_of_blocks(&blocks, label)
}

/// The DER of every block labelled `label` among blocks already framed by
/// [`pem_blocks`]; none is [`InputError::NotFound`].
pub(crate) fn der_items_of_blocks(
    blocks: &[PemBlock<'_>],
    label: &[u8],
) -> Result<Vec<Vec<u8>>, InputError> {
    let item = InputItem::of_label(label);
    let mut out = Vec::new();
    for block in blocks.iter().filter(|b| b.label == label) {
        let der = decode_base64_lenient(block.body)?;
        // Inside PEM the base64 holds exactly the DER: padding after it is
        // not a saved file's final newline but data, and is refused.
        if check_der_extent(&der, item)?.len() != der.len() {
            return Err(InputError::TrailingData { item });
        }
        out.push(der);
    }
    if out.is_empty() {
        return Err(InputError::NotFound { expected: item });
    }
    Ok(out)
}

/// A bare base64 body without PEM lines (as some portals and web forms hand
/// it over): the DER it holds, when the whole input is base64 of exactly one
/// DER SEQUENCE.
pub(crate) fn bare_base64_der(text: &[u8]) -> Option<Vec<u8>> {
    let is_base64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    if !text.iter().all(|b| is_base64(b) || b.is_ascii_whitespace()) {
        return None;
    }
    let der = decode_base64_lenient(text).ok()?;
    (looks_like_der(&der)
        && check_der_extent(&der, InputItem::Certificate).ok()?.len() == der.len())
    .then_some(der)
}

/// Encodes DER as PEM with 64-character lines and `\n` line ends.
pub(crate) fn to_pem(label: &str, der: &[u8]) -> String {
    // Encoding fails only when the output length overflows, which the input
    // limits rule out; an empty string is the safe answer if it ever did.
    der::pem::encode_string(label, der::pem::LineEnding::LF, der).unwrap_or_default()
}
