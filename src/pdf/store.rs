//! The cache of extractions in `.ayni-cache/pdf/`: one file per PDF
//! content, named by a hash of its bytes, so that a PDF already read is
//! never parsed again, whatever its name or place in the site, and an
//! edited one is. Within one process (the preview), a file whose size and
//! modification time did not change is not even read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::Extraction;

/// Bumped when extraction or cleaning changes, so that older results are
/// made again rather than trusted.
const FORMAT: u32 = 1;

/// The folder of the extraction cache inside a site's cache folder.
pub fn dir(cache: &Path) -> PathBuf {
    cache.join("pdf")
}

/// The cache file of a PDF with these bytes: its hash and its length, so
/// that two files colliding on the hash must also have the same size.
pub fn key(bytes: &[u8]) -> String {
    format!(
        "{:016x}-{}-v{FORMAT}",
        crate::text::fingerprint_bytes(bytes),
        bytes.len()
    )
}

/// The extraction stored under `key`, if there is a readable one.
pub fn get(dir: &Path, key: &str) -> Option<Extraction> {
    let text = std::fs::read(dir.join(format!("{key}.json"))).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Stores an extraction. A failure only costs the next build a parse, so
/// it is not an error; the file is written beside and renamed, so that a
/// build stopped halfway never leaves half a record.
pub fn put(dir: &Path, key: &str, extraction: &Extraction) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let Ok(text) = serde_json::to_vec(extraction) else {
        return;
    };
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if std::io::Write::write_all(&mut tmp, &text).is_ok() {
        let _ = tmp.persist(dir.join(format!("{key}.json")));
    }
}

/// A PDF's size and modification time when it was read, its bytes' key,
/// and what it gave.
type Sighting = (u64, Option<SystemTime>, String, Arc<Extraction>);

/// What the preview remembers between rebuilds: each PDF's size and
/// modification time with its key and extraction.
#[derive(Default)]
pub struct Memo {
    seen: Mutex<HashMap<PathBuf, Sighting>>,
    /// PDFs parsed since [`Memo::take_parsed`] was last asked, which the
    /// preview reports after each rebuild.
    parsed: AtomicUsize,
}

impl Memo {
    /// The key and extraction remembered for `path`, if the file looks
    /// unchanged.
    pub fn get(&self, path: &Path) -> Option<(String, Arc<Extraction>)> {
        let m = std::fs::metadata(path).ok()?;
        let seen = self.seen.lock().ok()?;
        let (len, modified, key, e) = seen.get(path)?;
        (*len == m.len() && *modified == m.modified().ok()).then(|| (key.clone(), e.clone()))
    }

    /// Counts PDFs parsed now, not found in a cache.
    pub fn add_parsed(&self, n: usize) {
        self.parsed.fetch_add(n, Ordering::Relaxed);
    }

    /// How many PDFs were parsed since the last call.
    pub fn take_parsed(&self) -> usize {
        self.parsed.swap(0, Ordering::Relaxed)
    }

    pub(crate) fn put(&self, path: &Path, key: &str, e: &Arc<Extraction>) {
        let Ok(m) = std::fs::metadata(path) else {
            return;
        };
        if let Ok(mut seen) = self.seen.lock() {
            let sighting = (m.len(), m.modified().ok(), key.to_string(), e.clone());
            seen.insert(path.to_path_buf(), sighting);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_extraction_is_found_by_the_bytes_key() {
        let dir = tempfile::tempdir().unwrap();
        let e = Extraction {
            pages: vec!["uno\n".into(), "dos\n".into()],
            ..Extraction::default()
        };
        let k = key(b"%PDF-1.4 uno");
        put(dir.path(), &k, &e);
        assert_eq!(get(dir.path(), &k), Some(e));
        assert_eq!(get(dir.path(), &key(b"%PDF-1.4 dos")), None);
    }

    #[test]
    fn the_memo_forgets_a_file_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, b"%PDF-1.4 uno").unwrap();
        let memo = Memo::default();
        let e = Arc::new(Extraction::default());
        memo.put(&pdf, "k", &e);
        assert!(memo.get(&pdf).is_some());
        std::fs::write(&pdf, b"%PDF-1.4 uno y dos").unwrap();
        assert!(memo.get(&pdf).is_none());
    }
}
