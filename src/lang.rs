//! The language of messages for people, and its negotiation from
//! `Accept-Language`.

/// The language of a user-facing message.
///
/// With the `serde` feature it is written as its tag, `"en"` or `"ja"`, and
/// read from any BCP 47 tag [`from_tag`](Self::from_tag) knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese, the text of the administrator's guide.
    Ja,
}

impl Lang {
    /// The language's BCP 47 primary tag: `en` or `ja`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ja => "ja",
        }
    }

    /// The language of a BCP 47 tag (`ja`, `ja-JP`, `en-US`, `EN`), by its
    /// primary subtag, case-insensitively; `None` for any other language.
    ///
    /// ```
    /// use mdm_push_cert::Lang;
    /// assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
    /// assert_eq!(Lang::from_tag("en_GB"), Some(Lang::En));
    /// assert_eq!(Lang::from_tag("fr"), None);
    /// ```
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ja") {
            Some(Self::Ja)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The preferred language of an HTTP `Accept-Language` header
    /// ([RFC 9110 §12.5.4]): the known language with the highest quality
    /// value, the first listed among equals; English when none is known
    /// (`*` included) or the header is malformed.
    ///
    /// ```
    /// use mdm_push_cert::Lang;
    /// assert_eq!(Lang::from_accept_language("ja-JP,ja;q=0.9,en;q=0.8"), Lang::Ja);
    /// assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, ja;q=0.4"), Lang::En);
    /// assert_eq!(Lang::from_accept_language("en;q=0.1, ja"), Lang::Ja);
    /// assert_eq!(Lang::from_accept_language(""), Lang::En);
    /// ```
    ///
    /// [RFC 9110 §12.5.4]: https://www.rfc-editor.org/rfc/rfc9110#section-12.5.4
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(u16, Self)> = None;
        // A header is short; a hostile one is cut off rather than walked whole.
        for item in header.split(',').take(64) {
            let mut parts = item.split(';');
            let Some(lang) = Self::from_tag(parts.next().unwrap_or_default()) else {
                continue;
            };
            let mut quality = 1000;
            for param in parts {
                let param = param.trim();
                if let Some(q) = param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                {
                    quality = parse_quality(q).unwrap_or(0);
                }
            }
            if quality > 0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Self::En, |(_, lang)| lang)
    }
}

/// A quality value (`0`, `0.5`, `1.000`) in thousandths; `None` if malformed.
fn parse_quality(q: &str) -> Option<u16> {
    let (int, frac) = q.trim().split_once('.').unwrap_or((q.trim(), ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac_value = frac
        .bytes()
        .chain(core::iter::repeat(b'0'))
        .take(3)
        .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
    match int {
        "0" => Some(frac_value),
        "1" if frac_value == 0 => Some(1000),
        _ => None,
    }
}
