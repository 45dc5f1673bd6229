//! The one JSON shape APNs answers with, `{"reason": "...", "timestamp": n}`
//! (in a response body or a GOAWAY frame's debug data), read by a small
//! strict reader ([RFC 8259]); and the push body, written.
//!
//! A hand-written reader, not a JSON crate, because the input is two
//! fields of a tiny object and the crate has no JSON dependency: it walks
//! any JSON text once, bounded in depth, keeps the two fields and skips the
//! rest. A text that is not JSON (truncated, invalid UTF-8, a lone
//! surrogate, trailing data) yields nothing: the answer is then classified
//! by its status alone. A property test checks it against `serde_json`.
//!
//! [RFC 8259]: https://www.rfc-editor.org/rfc/rfc8259

/// Nesting deeper than this is refused (APNs sends a flat object).
const MAX_DEPTH: usize = 32;

/// The fields of an APNs error object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    /// `reason`, when it is a string.
    pub(crate) reason: Option<String>,
    /// `timestamp`, when it is an integer that fits in an `i64`.
    pub(crate) timestamp: Option<i64>,
    /// `mdm`, when it is a string (the field of a push body).
    pub(crate) mdm: Option<String>,
}

/// Reads `bytes` as one JSON object; `None` when they are not JSON text
/// whose top value is an object. Of duplicate keys the last counts, as in
/// Go's `encoding/json` and JavaScript's `JSON.parse`.
pub(crate) fn read_fields(bytes: &[u8]) -> Option<Fields> {
    let text = core::str::from_utf8(bytes).ok()?;
    let mut r = Reader {
        s: text.as_bytes(),
        at: 0,
    };
    r.ws();
    let mut out = Fields::default();
    if r.peek() != Some(b'{') {
        return None;
    }
    r.object(0, Some(&mut out))?;
    r.ws();
    (r.at == r.s.len()).then_some(out)
}

/// The `mdm` string of a push body, when the body is a JSON object.
pub(crate) fn read_push_magic_field(bytes: &[u8]) -> Option<String> {
    read_fields(bytes)?.mdm
}

/// What a value read at the top level of the object was.
enum Value {
    String(String),
    Integer(Option<i64>),
    Other,
}

struct Reader<'a> {
    s: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.bump()? == b).then_some(())
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.s.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// An object; with `fields`, its `reason` and `timestamp` are kept.
    fn object(&mut self, depth: usize, mut fields: Option<&mut Fields>) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let value = self.value(depth + 1)?;
            if let Some(f) = fields.as_deref_mut() {
                match key.as_str() {
                    "reason" => {
                        f.reason = match value {
                            Value::String(s) => Some(s),
                            _ => None,
                        }
                    }
                    "mdm" => {
                        f.mdm = match value {
                            Value::String(s) => Some(s),
                            _ => None,
                        }
                    }
                    "timestamp" => {
                        f.timestamp = match value {
                            Value::Integer(n) => n,
                            _ => None,
                        }
                    }
                    _ => {}
                }
            }
            self.ws();
            match self.bump()? {
                b',' => continue,
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Some(());
        }
        loop {
            self.ws();
            self.value(depth + 1)?;
            self.ws();
            match self.bump()? {
                b',' => continue,
                b']' => return Some(()),
                _ => return None,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        match self.peek()? {
            b'{' => self.object(depth, None).map(|()| Value::Other),
            b'[' => self.array(depth).map(|()| Value::Other),
            b'"' => self.string().map(Value::String),
            b't' => self.literal(b"true").map(|()| Value::Other),
            b'f' => self.literal(b"false").map(|()| Value::Other),
            b'n' => self.literal(b"null").map(|()| Value::Other),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// A number; an integer (no fraction, no exponent) in `i64` range is
    /// kept, as `serde_json` and Go's `int64` read it.
    fn number(&mut self) -> Option<Value> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at > from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                digits(self);
            }
            _ => return None,
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return None;
            }
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return None;
            }
            integer = false;
        }
        let text = core::str::from_utf8(self.s.get(start..self.at)?).ok()?;
        // `-0` is an integer zero in Go and a float in serde_json: neither
        // is a timestamp, so it is not kept.
        let value = (integer && text != "-0")
            .then(|| text.parse::<i64>().ok())
            .flatten();
        Some(Value::Integer(value))
    }

    /// A string, its escapes decoded; `None` for a control character, a bad
    /// escape or a lone surrogate.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is UTF-8 and the run stops only at ASCII bytes, so
            // the run is whole characters.
            out.push_str(core::str::from_utf8(self.s.get(start..self.at)?).ok()?);
            match self.bump()? {
                b'"' => return Some(out),
                b'\\' => {}
                _ => return None,
            }
            let c = match self.bump()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.unicode_escape()?,
                _ => return None,
            };
            out.push(c);
        }
    }

    /// After `\u`: four hex digits, and a second `\uXXXX` for a surrogate pair.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        match first {
            0xD800..=0xDBFF => {
                self.eat(b'\\')?;
                self.eat(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            }
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(first),
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.at.checked_add(4)?;
        let digits = self.s.get(self.at..end)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.at = end;
        u32::from_str_radix(core::str::from_utf8(digits).ok()?, 16).ok()
    }
}

/// Writes `s` as a JSON string, quotes included, escaping `"`, `\` and
/// control characters (what RFC 8259 §7 requires, nothing more).
pub(crate) fn write_string(out: &mut String, s: &str) {
    use core::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Option<(Option<String>, Option<i64>)> {
        read_fields(s.as_bytes()).map(|o| (o.reason, o.timestamp))
    }

    #[test]
    fn apns_bodies() {
        assert_eq!(
            read(r#"{"reason":"Unregistered","timestamp":1730000000000}"#),
            Some((Some("Unregistered".to_owned()), Some(1_730_000_000_000)))
        );
        assert_eq!(
            read(" {\"reason\" : \"BadDeviceToken\"}\r\n"),
            Some((Some("BadDeviceToken".to_owned()), None))
        );
        assert_eq!(read("{}"), Some((None, None)));
        assert_eq!(
            read(r#"{"reason":"A","reason":"B","x":[1,{"y":null}],"timestamp":1.5}"#),
            Some((Some("B".to_owned()), None))
        );
        assert_eq!(
            read(r#"{"reason":"\u0042ad\uD83D\uDE00\n"}"#),
            Some((Some("Bad\u{1F600}\n".to_owned()), None))
        );
        assert_eq!(read(r#"{"reason":5,"timestamp":"5"}"#), Some((None, None)));
        assert_eq!(read(r#"{"timestamp":-0}"#), Some((None, None)));
        assert_eq!(
            read(r#"{"timestamp":99999999999999999999}"#),
            Some((None, None))
        );
    }

    #[test]
    fn not_json() {
        for s in [
            "",
            "[]",
            "\"x\"",
            "{",
            "{\"reason\":\"x\"",
            "{\"reason\":\"x\"} x",
            "{\"reason\":\"\\uD800\"}",
            "{\"reason\":\"\\uDC00\"}",
            "{\"reason\":\"\\x\"}",
            "{\"reason\":\"a\tb\"}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":1e}",
            "{\"a\":-}",
            "{\"a\":tru}",
            "{\"a\":1,}",
            "{,}",
            "{'a':1}",
        ] {
            assert_eq!(read(s), None, "{s:?}");
        }
        assert_eq!(read_fields(b"{\"reason\":\"\xff\"}"), None);
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(40), "]".repeat(40));
        assert_eq!(read(&deep), None);
    }

    #[test]
    fn strings_are_escaped() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\u{1}\u{7f}é");
        assert_eq!(out, "\"a\\\"b\\\\c\\u0001\u{7f}é\"");
        assert_eq!(
            read(&format!("{{\"reason\":{out}}}")),
            Some((Some("a\"b\\c\u{1}\u{7f}é".to_owned()), None))
        );
    }
}
