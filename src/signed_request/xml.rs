//! A strict reader for the one XML document a signedCSR file holds: an Apple
//! property list whose root is a flat dictionary of strings.
//!
//! It reads a subset of [XML 1.0] and refuses the rest with a typed error,
//! so that whatever it reads, a conforming XML parser reads the same strings:
//! no internal DTD subset (so no entity declarations), no entity references
//! but the five predefined ones and character references, no CDATA, no
//! processing instruction but the XML declaration, UTF-8 only. Text is
//! line-end normalised as XML requires (§2.11). The document's depth is
//! fixed by this code, not by the input: nothing recurses.
//!
//! ```text
//! <?xml version="1.0" encoding="UTF-8"?>
//! <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
//! <plist version="1.0">
//! <dict>
//!     <key>PushCertRequestCSR</key>
//!     <string>…</string>
//!     …
//! </dict>
//! </plist>
//! ```
//!
//! [XML 1.0]: https://www.w3.org/TR/xml/

use super::SignedRequestError as E;

/// The dictionary's entries, in document order.
pub(super) type Entries = Vec<(String, String)>;

/// Reads the document and returns the dictionary's key and string pairs.
pub(super) fn read_dict(bytes: &[u8]) -> Result<Entries, E> {
    let text = core::str::from_utf8(bytes).map_err(|_| not_xml("the document is not UTF-8"))?;
    let mut p = Parser { s: text, pos: 0 };
    p.prolog()?;
    p.open_tag("plist", true)?;
    p.misc()?;
    p.open_tag("dict", false)?;
    let entries = p.dict_body()?;
    p.misc()?;
    p.close_tag("plist")?;
    p.misc()?;
    if p.pos < p.s.len() {
        return Err(not_xml("content follows the end of the property list"));
    }
    Ok(entries)
}

fn not_xml(detail: &'static str) -> E {
    E::NotXml { detail }
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// A character XML allows in a document (XML 1.0 §2.2).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) -> bool {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches(is_space);
        self.pos += rest.len() - trimmed.len();
        trimmed.len() != rest.len()
    }

    /// The XML declaration, then comments and white space, then an optional
    /// DOCTYPE without an internal subset, then comments and white space.
    fn prolog(&mut self) -> Result<(), E> {
        if self.rest().starts_with("<?xml") {
            // `<?xml-stylesheet …?>` and the like are instructions, not the declaration.
            if !self
                .rest()
                .get(5..)
                .is_some_and(|r| r.starts_with(is_space))
            {
                return Err(E::ProcessingInstruction);
            }
            self.xml_declaration()?;
        }
        self.misc()?;
        if self.eat("<!DOCTYPE") {
            self.doctype()?;
            self.misc()?;
        }
        Ok(())
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`, only at the
    /// very start, version 1.0, encoding UTF-8 if named (XML 1.0 §2.8, §4.3.3).
    fn xml_declaration(&mut self) -> Result<(), E> {
        let bad = || not_xml("the XML declaration is malformed");
        self.pos += "<?xml".len();
        for (name, required) in [
            ("version", true),
            ("encoding", false),
            ("standalone", false),
        ] {
            let mark = self.pos;
            let spaced = self.skip_space();
            if !(spaced && self.rest().starts_with(name)) {
                self.pos = mark;
                if required {
                    return Err(bad());
                }
                continue;
            }
            self.pos += name.len();
            let value = self.attribute_value()?;
            let ok = match name {
                "version" => value == "1.0",
                "encoding" => value.eq_ignore_ascii_case("UTF-8"),
                _ => value == "yes" || value == "no",
            };
            if !ok {
                return Err(match name {
                    "encoding" => not_xml("the XML declaration names an encoding other than UTF-8"),
                    _ => bad(),
                });
            }
        }
        self.skip_space();
        if self.eat("?>") { Ok(()) } else { Err(bad()) }
    }

    /// `= "value"` or `= 'value'`, white space allowed around `=`; the value
    /// may not hold `<` or `&` (this reader needs no references there).
    fn attribute_value(&mut self) -> Result<&'a str, E> {
        self.skip_space();
        if !self.eat("=") {
            return Err(not_xml("an attribute has no value"));
        }
        self.skip_space();
        let quote = match self.rest().chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => return Err(not_xml("an attribute value is not quoted")),
        };
        self.pos += 1;
        let rest = self.rest();
        let end = rest
            .find(quote)
            .ok_or_else(|| not_xml("an attribute value is not closed"))?;
        let value = rest.get(..end).unwrap_or_default();
        if value.contains(['<', '&']) {
            return Err(not_xml("an attribute value holds '<' or '&'"));
        }
        self.pos += end + 1;
        Ok(value)
    }

    /// `<!DOCTYPE plist PUBLIC "…" "…">` or `SYSTEM "…"`, never with `[`.
    fn doctype(&mut self) -> Result<(), E> {
        let bad = || not_xml("the DOCTYPE declaration is malformed");
        if !self.skip_space() || !self.eat("plist") {
            return Err(bad());
        }
        let literals = if self.skip_space() {
            if self.eat("PUBLIC") {
                2
            } else if self.eat("SYSTEM") {
                1
            } else {
                0
            }
        } else {
            0
        };
        for _ in 0..literals {
            if !self.skip_space() {
                return Err(bad());
            }
            let quote = match self.rest().chars().next() {
                Some(q @ ('"' | '\'')) => q,
                _ => return Err(bad()),
            };
            self.pos += 1;
            let end = self.rest().find(quote).ok_or_else(bad)?;
            self.pos += end + 1;
        }
        self.skip_space();
        if self.rest().starts_with('[') {
            return Err(E::InternalSubset);
        }
        if self.eat(">") { Ok(()) } else { Err(bad()) }
    }

    /// White space and comments; a processing instruction is refused.
    fn misc(&mut self) -> Result<(), E> {
        loop {
            self.skip_space();
            if self.rest().starts_with("<!--") {
                self.comment()?;
            } else if self.rest().starts_with("<?") {
                return Err(E::ProcessingInstruction);
            } else {
                return Ok(());
            }
        }
    }

    /// `<!-- … -->` with no `--` inside (XML 1.0 §2.5).
    fn comment(&mut self) -> Result<(), E> {
        self.pos += "<!--".len();
        let rest = self.rest();
        let end = rest
            .find("--")
            .ok_or_else(|| not_xml("a comment is not closed"))?;
        if !rest.get(end..).unwrap_or_default().starts_with("-->") {
            return Err(not_xml("a comment holds \"--\""));
        }
        if !rest.get(..end).unwrap_or_default().chars().all(is_xml_char) {
            return Err(not_xml("a comment holds a character XML does not allow"));
        }
        self.pos += end + 3;
        Ok(())
    }

    /// `<name>`, with `version="…"` allowed on `plist` only.
    fn open_tag(&mut self, name: &str, version_allowed: bool) -> Result<(), E> {
        if !(self.eat("<") && self.eat(name)) {
            return Err(E::NotPlist);
        }
        let spaced = self.skip_space();
        if version_allowed && spaced && self.eat("version") {
            self.attribute_value()?;
            self.skip_space();
        }
        if self.eat(">") {
            Ok(())
        } else {
            Err(not_xml(
                "an element has an unexpected attribute or is malformed",
            ))
        }
    }

    /// `</name>`.
    fn close_tag(&mut self, name: &str) -> Result<(), E> {
        if self.eat("</") && self.eat(name) {
            self.skip_space();
            if self.eat(">") {
                return Ok(());
            }
        }
        Err(not_xml("an element is not closed where expected"))
    }

    /// The dictionary's entries up to and including `</dict>`.
    fn dict_body(&mut self) -> Result<Entries, E> {
        let mut entries = Entries::new();
        loop {
            self.misc()?;
            if self.rest().starts_with("</dict") {
                self.close_tag("dict")?;
                return Ok(entries);
            }
            self.open_tag("key", false)
                .map_err(|_| not_xml("the dictionary holds something other than a key"))?;
            let key = self.text()?;
            self.close_tag("key")?;
            self.misc()?;
            let value = if self.eat("<string/>") {
                String::new()
            } else if self.rest().starts_with("<string>") || self.rest().starts_with("<string ") {
                self.open_tag("string", false)?;
                let v = self.text()?;
                self.close_tag("string")?;
                v
            } else if self.rest().starts_with('<') && !self.rest().starts_with("</") {
                return Err(E::NotAString { key });
            } else {
                return Err(not_xml("a key has no value"));
            };
            entries.push((key, value));
            // A flat dictionary of three strings: more entries than that is
            // refused by the caller, but stop reading early on a flood.
            if entries.len() > 16 {
                return Err(not_xml("the dictionary holds too many entries"));
            }
        }
    }

    /// Character data up to the next `<`, references resolved, line ends
    /// normalised; CDATA, comments and elements inside text are refused.
    fn text(&mut self) -> Result<String, E> {
        let rest = self.rest();
        let end = rest.find('<').unwrap_or(rest.len());
        let raw = rest.get(..end).unwrap_or_default();
        let after = rest.get(end..).unwrap_or_default();
        if after.starts_with("<![CDATA[") {
            return Err(E::CData);
        }
        if after.starts_with("<?") {
            return Err(E::ProcessingInstruction);
        }
        if !after.starts_with("</") {
            return Err(not_xml("text holds markup"));
        }
        if raw.contains("]]>") {
            return Err(not_xml("text holds \"]]>\""));
        }
        // The common case, text with no reference and no CR: checked as
        // bytes and copied whole.
        if !raw.contains(['&', '\r']) {
            let ascii_ok = |b: u8| b >= 0x20 || b == b'\t' || b == b'\n';
            let valid = if raw.is_ascii() {
                raw.bytes().all(ascii_ok)
            } else {
                raw.chars().all(is_xml_char)
            };
            if !valid {
                return Err(not_xml("text holds a character XML does not allow"));
            }
            self.pos += end;
            return Ok(raw.to_owned());
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '&' => {
                    let tail = raw.get(i + 1..).unwrap_or_default();
                    let semi = tail
                        .find(';')
                        .ok_or_else(|| not_xml("a reference is not closed by ';'"))?;
                    let name = tail.get(..semi).unwrap_or_default();
                    out.push(reference(name)?);
                    for _ in 0..=semi {
                        chars.next();
                    }
                }
                // CR LF and a lone CR both become LF (XML 1.0 §2.11).
                '\r' => {
                    if chars.peek().is_some_and(|(_, n)| *n == '\n') {
                        chars.next();
                    }
                    out.push('\n');
                }
                c if is_xml_char(c) => out.push(c),
                _ => return Err(not_xml("text holds a character XML does not allow")),
            }
        }
        self.pos += end;
        Ok(out)
    }
}

/// A reference's replacement: the five predefined entities and character
/// references (XML 1.0 §4.1, §4.6); any other entity is refused.
fn reference(name: &str) -> Result<char, E> {
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16)
            .ok()
            .filter(|_| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse::<u32>()
            .ok()
            .filter(|_| !dec.is_empty() && dec.bytes().all(|b| b.is_ascii_digit()))
    } else {
        return match name {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            _ => Err(E::EntityReference {
                name: name.chars().take(64).collect(),
            }),
        };
    };
    code.and_then(char::from_u32)
        .filter(|c| is_xml_char(*c))
        .ok_or_else(|| not_xml("a character reference names a character XML does not allow"))
}
