//! Replays the differential corpora under `tests/differential/`: cases made
//! and judged by independent implementations (Go's `crypto/x509`, the OpenSSL
//! command line, Python's `plistlib`), with their verdicts committed, so this
//! runs without any of them installed. Each folder's `generate.py` remakes
//! its cases; each README says what the classes are.
//!
//! A validator is judged by what it wrongly accepts, so the rules are:
//! - the crate never accepts what the oracles refuse;
//! - it never refuses what they accept when the case fits Apple's real profile;
//! - any other disagreement (the crate stricter on input Apple never issues)
//!   is listed, with its reason, in the folder's `disagreements.tsv`, and a
//!   listed case that no longer disagrees fails the test too, so the list
//!   stays true.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use mdm_push_cert::{SignedRequest, TrustAnchors, UploadCheck};
use sha2::Digest as _;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn folder(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/differential")
        .join(name)
}

/// The rows of a TSV file as maps from column name to value.
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{}: {l:.80}", path.display());
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| ((*h).to_owned(), c.to_owned()))
                .collect()
        })
        .collect()
}

/// `disagreements.tsv`: case id, then the reason the crate differs.
fn listed(dir: &Path) -> BTreeMap<String, String> {
    let path = dir.join("disagreements.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (id, reason) = l.split_once('\t').expect("id<TAB>reason");
            (id.to_owned(), reason.to_owned())
        })
        .collect()
}

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .unwrap_or_else(|e| panic!("{e}: {s:.40}"))
}

fn hex_sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn instant(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Anchors by name: `apple` is the crate's embedded set; others are files.
fn anchors(dir: &Path, name: &str, apple: fn() -> TrustAnchors) -> Result<TrustAnchors, String> {
    if name == "apple" {
        return Ok(apple());
    }
    let pem = std::fs::read(dir.join("anchors").join(format!("{name}.pem")))
        .unwrap_or_else(|e| panic!("anchors {name}: {e}"));
    TrustAnchors::from_pem(&pem).map_err(|e| e.to_string())
}

/// Checks the verdicts; returns (cases, disagreements) for the report.
fn judge(
    dir: &Path,
    results: Vec<(String, bool, bool, bool, String)>, // id, crate, oracles, must_match, crate_error
) -> (usize, usize) {
    let listed = listed(dir);
    let mut failures = Vec::new();
    let mut disagreements = 0;
    let ids: std::collections::BTreeSet<&String> = results.iter().map(|r| &r.0).collect();
    for (id, crate_ok, oracle_ok, must_match, error) in &results {
        let disagrees = crate_ok != oracle_ok;
        disagreements += usize::from(disagrees);
        match (disagrees, listed.get(id)) {
            (true, _) if *crate_ok => failures.push(format!(
                "{id}: the crate accepts what the oracles refuse"
            )),
            (true, _) if *must_match => failures.push(format!(
                "{id}: the crate refuses a case that fits Apple's profile and the oracles accept ({error})"
            )),
            (true, None) => failures.push(format!(
                "{id}: unlisted disagreement: the crate refuses ({error}), the oracles accept"
            )),
            (false, Some(_)) => failures.push(format!(
                "{id}: listed in disagreements.tsv but the crate now agrees"
            )),
            _ => {}
        }
    }
    for id in listed.keys() {
        if !ids.contains(id) {
            failures.push(format!("{id}: listed in disagreements.tsv but not a case"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail in {}:\n{}",
        failures.len(),
        results.len(),
        dir.display(),
        failures.join("\n")
    );
    (results.len(), disagreements)
}

#[test]
fn signed_requests_agree_with_plistlib_openssl_and_go() {
    let dir = folder("requests");
    let cases = rows(&dir.join("cases.tsv"));
    assert!(cases.len() >= 200, "{} cases", cases.len());
    let mut anchor_sets = BTreeMap::new();
    let mut results = Vec::new();
    let mut split = 0;
    for c in &cases {
        let id = c["id"].clone();
        let data = b64(&c["data_b64"]);
        let set = anchor_sets
            .entry(c["anchors"].clone())
            .or_insert_with(|| anchors(&dir, &c["anchors"], TrustAnchors::apple))
            .clone()
            .unwrap_or_else(|e| panic!("{id}: anchors {}: {e}", c["anchors"]));
        let parsed = SignedRequest::parse(&data);
        // Whatever the crate reads, plistlib read the same three strings.
        // (Python's strict base64 refuses an upload that only lacks its
        // final padding, which the crate's forgiving decoder reads: that is
        // the outer wrapping, not the XML, and is not compared.)
        if let Ok(req) = &parsed
            && !c["plist_reason"].starts_with("outer base64")
        {
            assert_eq!(
                c["plist"], "ok",
                "{id}: the crate reads what plistlib refuses"
            );
            // `-`: Python's strict base64 could not decode a value the
            // crate's forgiving decoder reads (padding left off).
            for (field, bytes) in [
                ("csr_sha256", req.csr_der().to_vec()),
                ("sig_sha256", req.signature().to_vec()),
                ("chain_sha256", req.chain_der().concat()),
            ] {
                if c[field] != "-" {
                    assert_eq!(hex_sha256(&bytes), c[field], "{id}: {field}");
                }
            }
        }
        let verdict = parsed.and_then(|r| r.verify_with_anchors(&set, instant(&c["now"])));
        let error = verdict
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default();
        if c["chain_openssl"] != c["chain_go"] {
            // OpenSSL and Go split on the vendor's chain (SHA-1 links, a
            // missing key identifier, the instant of notAfter): either
            // verdict is defensible.
            split += 1;
            continue;
        }
        // The oracles' verdict. Where the generator's own rules (its reading
        // of the crate's policy) alone made a case `refuse`, the oracles
        // accepted it: the crate's stricter refusal must then be listed.
        let oracles = c["verdict"] == "accept" || c["note"].contains("(formula alone: accept)");
        // Only the canonical files Apple's portal accepts must match exactly.
        let must_match = c["class"] == "valid";
        results.push((id, verdict.is_ok(), oracles, must_match, error));
    }
    let (n, d) = judge(&dir, results);
    eprintln!(
        "signedCSR differential: {n} cases with one verdict, {split} where OpenSSL and Go split, {d} listed disagreements"
    );
}

#[test]
fn push_certificates_agree_with_go_and_openssl() {
    let dir = folder("certificates");
    let cases = rows(&dir.join("cases.tsv"));
    assert!(cases.len() >= 1000, "{} cases", cases.len());
    let mut anchor_sets = BTreeMap::new();
    let mut results = Vec::new();
    let mut split = 0;
    for c in &cases {
        let id = c["id"].clone();
        let data = b64(&c["der_b64"]);
        let go = c["go"] == "accept";
        let openssl = c["openssl"] == "accept";
        if c["class"] == "encoding_pem_text" {
            // PEM text handed to the oracles as if it were DER: they cannot
            // load it, while the crate reads PEM uploads by design. The case
            // says nothing about the certificate, which is valid.
            continue;
        }
        let set = anchor_sets
            .entry(c["anchors"].clone())
            .or_insert_with(|| anchors(&dir, &c["anchors"], TrustAnchors::apple))
            .clone();
        let verdict = set.and_then(|a| {
            UploadCheck::new(instant(&c["now"]))
                .trust_anchors(a)
                .check(&data)
                .map(|_| ())
                .map_err(|e| e.detail())
        });
        let crate_ok = verdict.is_ok();
        if go != openssl {
            // The oracles disagree: either verdict is defensible, but the
            // crate never accepts what Go and OpenSSL both refuse.
            split += 1;
            continue;
        }
        let must_match = c["profile"] == "apple";
        results.push((
            id,
            crate_ok,
            go,
            must_match,
            verdict.err().unwrap_or_default(),
        ));
    }
    let (n, d) = judge(&dir, results);
    eprintln!(
        "certificate differential: {n} cases with one oracle verdict, {split} where Go and OpenSSL split, {d} listed disagreements"
    );
}
