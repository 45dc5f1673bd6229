//! Runs every committed fuzz corpus file through the same bodies the fuzz
//! targets run, so the stable toolchain covers the corpus without libFuzzer.

#[path = "support/fuzz_bodies.rs"]
mod bodies;

#[test]
fn replay_every_corpus_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    // The corpus lives beside the fuzz workspace, in the repository only:
    // the published package tests itself without it.
    if !root.is_dir() {
        eprintln!(
            "{}: no fuzz corpus here (an unpacked package): skipped",
            root.display()
        );
        return;
    }
    let mut total = 0;
    for (name, body) in bodies::TARGETS {
        let dir = root.join(name);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut n = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| body(&data));
            assert!(result.is_ok(), "{name}: {} panicked", path.display());
            n += 1;
        }
        assert!(n > 0, "{name}: empty corpus");
        total += n;
    }
    eprintln!("replayed {total} corpus files");
}
