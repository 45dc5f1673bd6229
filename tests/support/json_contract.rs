//! The README tables of the JSON contract as a checker, shared by the
//! crate's `tests/json.rs` and the example server's integration test (which
//! includes this file by path), so both read the tables one way.

#![allow(dead_code)] // each includer uses its part

// README tables as a checker. A table is `| field | JSON type | format |
// holds |` under a `###` heading that names its object in a code span. JSON
// types: `string`, `string or null`, `integer`, `integer or null`, `boolean`. Formats: `—`
// (none), `text` and `RFC 4514` (a non-empty string), `topic`, `RFC 3339
// UTC` (`2026-12-04T01:00:00Z`), `hex, N digits`, `hex, N to M digits`
// (lower case, whole octets), `one of `a`, `b``, `≥ 0`.

/// One documented field: a row of a README table.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Field {
    pub(crate) name: String,
    pub(crate) json_type: String,
    pub(crate) format: String,
}

/// Every field table of a Markdown text, by the object its heading names.
pub(crate) fn json_tables(markdown: &str) -> std::collections::BTreeMap<String, Vec<Field>> {
    let mut tables = std::collections::BTreeMap::new();
    let mut heading: Option<String> = None;
    let mut open: Option<(String, Vec<Field>)> = None;
    for line in markdown.lines().chain([""]) {
        let line = line.trim();
        if let Some(h) = line.strip_prefix("### ") {
            heading = h.split('`').nth(1).map(str::to_owned);
        }
        if line == "| field | JSON type | format | holds |" {
            let name = heading
                .clone()
                .expect("a field table under a ### `Name` heading");
            open = Some((name, Vec::new()));
        } else if let Some((_, fields)) = open.as_mut().filter(|_| line.starts_with('|')) {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            if cells.iter().all(|c| c.chars().all(|ch| ch == '-')) {
                continue;
            }
            assert_eq!(cells.len(), 4, "a row of four cells: {line}");
            fields.push(Field {
                name: cells[0].trim_matches('`').to_owned(),
                json_type: cells[1].to_owned(),
                format: cells[2].to_owned(),
            });
        } else if let Some((name, fields)) = open.take() {
            assert!(!fields.is_empty(), "the table of {name} has no rows");
            assert!(
                tables.insert(name.clone(), fields).is_none(),
                "{name} is documented twice"
            );
        }
    }
    tables
}

/// `value` is an object with exactly the keys of `fields`, each of its
/// field's JSON type and format.
pub(crate) fn check_fields(value: &serde_json::Value, fields: &[Field]) -> Result<(), String> {
    let object = value
        .as_object()
        .ok_or_else(|| format!("not an object: {value}"))?;
    let written: std::collections::BTreeSet<&str> = object.keys().map(String::as_str).collect();
    let documented: std::collections::BTreeSet<&str> =
        fields.iter().map(|f| f.name.as_str()).collect();
    if written != documented || documented.len() != fields.len() {
        return Err(format!(
            "keys {written:?}, documented {documented:?}: {value}"
        ));
    }
    fields
        .iter()
        .try_for_each(|f| check_field(f, &object[&f.name]))
}

pub(crate) fn check_field(f: &Field, v: &serde_json::Value) -> Result<(), String> {
    let typed = match f.json_type.as_str() {
        "string" => v.is_string(),
        "string or null" => v.is_null() || v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "integer or null" => v.is_null() || v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        other => return Err(format!("`{}`: unknown JSON type {other:?}", f.name)),
    };
    let s = v.as_str().unwrap_or_default();
    let hex = |min: usize, max: usize| {
        (min..=max).contains(&s.len())
            && s.len().is_multiple_of(2)
            && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let fits = v.is_null()
        || match f.format.as_str() {
            "—" => true,
            "text" | "RFC 4514" => !s.trim().is_empty(),
            "≥ 0" => v.as_u64().is_some(),
            "topic" => s.strip_prefix("com.apple.mgmt.").is_some_and(|rest| {
                !rest.is_empty()
                    && s.len() <= 255
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            }),
            "RFC 3339 UTC" => {
                s.len() == 20
                    && s.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        10 => b == b'T',
                        13 | 16 => b == b':',
                        19 => b == b'Z',
                        _ => b.is_ascii_digit(),
                    })
                    && mdm_push_cert::time::OffsetDateTime::parse(
                        s,
                        &mdm_push_cert::time::format_description::well_known::Rfc3339,
                    )
                    .is_ok()
            }
            other => {
                if let Some(values) = other.strip_prefix("one of ") {
                    values.split(", ").any(|a| a.trim_matches('`') == s) && v.is_string()
                } else if let Some(n) = other
                    .strip_prefix("hex, ")
                    .and_then(|d| d.strip_suffix(" digits"))
                {
                    let (min, max) = n.split_once(" to ").unwrap_or((n, n));
                    match (min.parse(), max.parse()) {
                        (Ok(min), Ok(max)) => hex(min, max),
                        _ => return Err(format!("`{}`: unknown format {other:?}", f.name)),
                    }
                } else {
                    return Err(format!("`{}`: unknown format {other:?}", f.name));
                }
            }
        };
    if typed && fits {
        Ok(())
    } else {
        Err(format!(
            "`{}` = {v}: not {} in the format {:?}",
            f.name, f.json_type, f.format
        ))
    }
}
