//! The record of the last build: every file of its output as it left it
//! ([`Written`]) and every page's key. With it the next build renders only
//! the pages whose inputs changed and writes only the files whose bytes
//! did ([`crate::build::write::Staging::update`]). It holds only while
//! the output is exactly as that build left it (every file's size and
//! modification time) and the same binary builds into the same folder;
//! otherwise the build writes the whole output, as without it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::build::BuildOptions;
use crate::build::write::{FileStamp, Written, counted};
use crate::markdown::KnownBodies;
use crate::model::ModelCache;
use crate::render::PageKeys;

/// Bumped when the record's meaning changes.
const FORMAT: u32 = 3;

/// What `.ayni-cache/last-build.bin` holds.
#[derive(Serialize, Deserialize)]
pub(crate) struct Record {
    format: u32,
    /// The binary that made it (see [`crate::build::cache::tool`]): page
    /// keys and file fingerprints are not compared across versions.
    tool: u64,
    out: PathBuf,
    /// The theme and configuration the pages were keyed with.
    pub(crate) frame: u64,
    /// The fingerprint of the output it made (see
    /// [`crate::build::cache::output`]).
    output: u64,
    pub(crate) keys: PageKeys,
    pub(crate) files: HashMap<String, Written>,
    /// What the build knew of each product's body.
    pub(crate) known: KnownBodies,
    /// What the model kept (related products, scored from every product's
    /// outcomes, partners and topics).
    pub(crate) model: ModelCache,
}

fn record_path(opts: &BuildOptions) -> PathBuf {
    opts.cache_dir().join("last-build.bin")
}

fn absolute(out: &Path) -> PathBuf {
    std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf())
}

/// The record of the last build into the output folder of `opts`, if this
/// binary made it. It holds for the output only as that build left it
/// (see [`Record::holds`]).
pub(crate) fn read(opts: &BuildOptions) -> Option<Record> {
    let bytes = std::fs::read(record_path(opts)).ok()?;
    let r: Record = postcard::from_bytes(&bytes).ok()?;
    (r.format == FORMAT
        && r.tool == crate::build::cache::tool()
        && r.out == absolute(&opts.out_dir()))
    .then_some(r)
}

impl Record {
    /// Whether it describes the output whose fingerprint is `output`.
    pub(crate) fn holds(&self, output: Option<u64>) -> bool {
        Some(self.output) == output
    }
}

/// Records a finished build's output, keys, bodies and model cache. A
/// failure only costs the next build its shortcut, so it is not an error.
pub(crate) fn save(
    opts: &BuildOptions,
    frame: u64,
    keys: PageKeys,
    files: &[(String, Written)],
    (known, model): (KnownBodies, ModelCache),
) {
    let record = Record {
        format: FORMAT,
        tool: crate::build::cache::tool(),
        out: absolute(&opts.out_dir()),
        frame,
        output: print(files),
        keys,
        files: files.iter().cloned().collect(),
        known,
        model,
    };
    let path = record_path(opts);
    let Some(dir) = path.parent() else { return };
    let _ = std::fs::create_dir_all(dir);
    // Written beside and renamed: a record is whole or absent.
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
        && let Ok(bytes) = postcard::to_stdvec(&record)
        && std::io::Write::write_all(&mut tmp, &bytes).is_ok()
    {
        let _ = tmp.persist(&path);
    }
}

/// Forgets the record, when the output it describes is about to change
/// in a way it does not follow.
pub(crate) fn forget(opts: &BuildOptions) {
    let _ = std::fs::remove_file(record_path(opts));
}

/// The fingerprint [`crate::build::cache::output`] gives a folder holding
/// exactly `files` (sorted by path).
pub(crate) fn print(files: &[(String, Written)]) -> u64 {
    let stamps: Vec<(String, FileStamp)> = files
        .iter()
        .filter(|(p, _)| counted(p))
        .map(|(p, w)| (p.clone(), w.stamp()))
        .collect();
    crate::build::cache::stamps_print(&stamps)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of the build that made the output as it now is, as a
    /// build takes it.
    fn load(opts: &BuildOptions, output: Option<u64>) -> Option<Record> {
        read(opts).filter(|r| r.holds(output))
    }

    fn written(print: u64) -> Written {
        Written(print, 10, Some((1_700_000_000, 5)))
    }

    /// A record holds only for the output it describes, in the folder it
    /// was made for.
    #[test]
    fn a_record_holds_only_for_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let opts = BuildOptions::new(dir.path());
        let files = vec![
            ("index.html".to_string(), written(1)),
            ("a/index.html".to_string(), written(2)),
        ];
        let mut keys = PageKeys::new();
        keys.insert("/".into(), 7);
        save(&opts, 42, keys, &files, Default::default());
        let output = Some(print(&files));
        let r = load(&opts, output).expect("the record of this output");
        assert_eq!(
            (r.frame, r.keys["/"], r.files["a/index.html"]),
            (42, 7, written(2))
        );
        // Another output, none, or another folder: no record.
        assert!(load(&opts, Some(print(&files[..1]))).is_none());
        assert!(load(&opts, None).is_none());
        let mut elsewhere = opts.clone();
        elsewhere.out = Some(dir.path().join("other"));
        assert!(load(&elsewhere, output).is_none());
        forget(&opts);
        assert!(load(&opts, output).is_none());
    }

    /// Hidden files are in the record but not in the output's fingerprint,
    /// which the build cache's walk of the output gives without them.
    #[test]
    fn hidden_files_do_not_count_in_the_fingerprint() {
        let visible = vec![("index.html".to_string(), written(1))];
        let mut with_hidden = visible.clone();
        with_hidden.push((".well-known/x.txt".to_string(), written(3)));
        assert_eq!(print(&visible), print(&with_hidden));
        // The fingerprint is of sizes and times, as a walk of the output sees.
        let touched = Written(1, 10, Some((1_700_000_001, 5)));
        assert_ne!(
            print(&visible),
            print(&[("index.html".to_string(), touched)])
        );
    }
}
