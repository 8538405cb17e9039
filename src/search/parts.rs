//! The index in parts: the products, in site order, in runs of [`PART`],
//! each run one segment of its own, made in memory as soon as its last
//! product's text comes. A part whose documents are those of a part of the
//! previous index (same products at the same numbers, same text and
//! fields) is not made again: its segment's files are linked from the
//! previous index folder. An edit to one product then indexes one part,
//! not the site.
//!
//! The index a build ends with is the same whichever parts were kept:
//! the same segments with the same documents, in part order, and no
//! deleted document in any of them, so that tantivy's statistics (and
//! with them every score the browser's files hold) are a clean build's.
//! Beside the segments, `parts.json` records each part's fingerprint and
//! segments, and `<segment>.words.json` the words its documents hold.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::index::SegmentComponent;
use tantivy::{Directory, Index, TantivyDocument};

use super::analysis;
use crate::error::Error;

/// Products a part holds. Larger parts make fewer segments (each term's
/// postings are read once per segment for the browser's files); smaller
/// ones make an edit's part quicker to index again.
pub(crate) const PART: usize = 1024;

/// The files of a committed segment.
const COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::FastFields,
    SegmentComponent::FieldNorms,
    SegmentComponent::Terms,
    SegmentComponent::Store,
];

/// The file of an index folder that records its parts.
const PARTS_FILE: &str = "parts.json";

/// One part as the index folder records it.
#[derive(Serialize, Deserialize, Clone)]
struct PartRecord {
    /// The fingerprint of its documents, in order.
    print: u64,
    /// Its segments' metadata, as tantivy's `meta.json` lists them.
    segments: Vec<serde_json::Value>,
    /// The files of its segments, and its words' file.
    files: Vec<String>,
}

/// The words of a part's documents: those of their own fields and those
/// of their attached PDFs (see [`analysis::Recorded`]).
#[derive(Serialize, Deserialize, Default)]
struct PartWords {
    own: Vec<String>,
    pdf: Vec<String>,
}

/// A part waiting for its products' documents.
struct Waiting {
    docs: Vec<Option<TantivyDocument>>,
    /// The fingerprint of its documents.
    print: u64,
    missing: usize,
}

/// An index being made part by part in a staging folder.
pub(crate) struct Parts {
    schema: tantivy::schema::Schema,
    waiting: Vec<Waiting>,
    made: Vec<Option<PartRecord>>,
    /// Which parts were linked from the previous index: their words are
    /// read from its files once the index is finished.
    linked: Vec<bool>,
    products: usize,
    previous_dir: PathBuf,
    staging: PathBuf,
    words: (SeenWords, SeenWords),
}

/// Lowercase words of documents (see [`analysis::Seen`]).
type SeenWords = rustc_hash::FxHashSet<String>;

fn tantivy_err(e: impl Into<tantivy::TantivyError>) -> Error {
    Error::index("search index")(e.into())
}

impl Parts {
    /// Parts for products whose documents have the fingerprints `prints`
    /// (see [`doc_print`]), made in `staging`; the parts of the index in
    /// `previous_dir` with the same documents are linked now.
    pub(crate) fn new(
        schema: tantivy::schema::Schema,
        prints: &[u64],
        staging: &Path,
        previous_dir: &Path,
    ) -> Parts {
        let previous: HashMap<u64, PartRecord> = std::fs::read(previous_dir.join(PARTS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Vec<PartRecord>>(&b).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.print, r))
            .collect();
        let mut parts = Parts {
            schema,
            waiting: Vec::new(),
            made: Vec::new(),
            linked: Vec::new(),
            products: prints.len(),
            previous_dir: previous_dir.to_path_buf(),
            staging: staging.to_path_buf(),
            words: Default::default(),
        };
        for (p, docs) in prints.chunks(PART).enumerate() {
            let print = crate::text::fingerprint(&(p, docs));
            let linked = previous.get(&print).filter(|r| parts.link(r)).cloned();
            let missing = if linked.is_some() { 0 } else { docs.len() };
            parts.linked.push(linked.is_some());
            parts.made.push(linked);
            parts.waiting.push(Waiting {
                docs: (0..missing).map(|_| None).collect(),
                print,
                missing,
            });
        }
        parts
    }

    /// Whether product `n`'s document is needed: its part is not linked.
    pub(crate) fn wants(&self, n: usize) -> bool {
        self.linked.get(n / PART) == Some(&false)
    }

    /// [`Parts::wants`] of every product.
    pub(crate) fn wanted(&self) -> Vec<bool> {
        (0..self.products).map(|n| self.wants(n)).collect()
    }

    /// Takes product `n`'s document; its part is made once it has all of
    /// its products'.
    pub(crate) fn add(&mut self, n: usize, doc: TantivyDocument) -> Result<(), Error> {
        let p = n / PART;
        let Some(w) = self.waiting.get_mut(p).filter(|w| w.missing > 0) else {
            return Ok(());
        };
        if w.docs[n % PART].replace(doc).is_none() {
            w.missing -= 1;
        }
        if w.missing == 0 {
            self.finish_part(p)?;
        }
        Ok(())
    }

    /// Makes part `p` and frees its documents.
    fn finish_part(&mut self, p: usize) -> Result<(), Error> {
        let docs: Vec<TantivyDocument> = std::mem::take(&mut self.waiting[p].docs)
            .into_iter()
            .flatten()
            .collect();
        let (record, words) = self.make(self.waiting[p].print, docs)?;
        self.words.0.extend(words.own);
        self.words.1.extend(words.pdf);
        self.made[p] = Some(record);
        Ok(())
    }

    /// Links the files of a previous part into the staging folder; false
    /// when one is missing, or is not a plain file of the index folder
    /// itself, and the part must be made. The cache folder is not the
    /// site's, but a record there names files: none outside it is read.
    fn link(&self, r: &PartRecord) -> bool {
        r.files.iter().all(|f| {
            let (from, to) = (self.previous_dir.join(f), self.staging.join(f));
            plain_name(f)
                && std::fs::symlink_metadata(&from).is_ok_and(|m| m.file_type().is_file())
                && (std::fs::hard_link(&from, &to).is_ok() || std::fs::copy(&from, &to).is_ok())
        })
    }

    /// Indexes a part's documents in memory and writes its segments'
    /// files, and its words, to the staging folder; returns its record and
    /// its words.
    fn make(
        &self,
        print: u64,
        docs: Vec<TantivyDocument>,
    ) -> Result<(PartRecord, PartWords), Error> {
        // The segments' files are read from the memory directory itself:
        // through the index's, tantivy strips the footer each file ends with.
        let ram = tantivy::directory::RamDirectory::create();
        let index = Index::create(ram.clone(), self.schema.clone(), Default::default())
            .map_err(tantivy_err)?;
        let seen = analysis::register_recording(&index);
        let mut writer = index
            .writer_with_num_threads(1, 100_000_000)
            .map_err(tantivy_err)?;
        for doc in docs {
            writer.add_document(doc).map_err(tantivy_err)?;
        }
        writer.commit().map_err(tantivy_err)?;
        writer.wait_merging_threads().map_err(tantivy_err)?;
        let mut record = PartRecord {
            print,
            segments: Vec::new(),
            files: Vec::new(),
        };
        let dir = &ram;
        for meta in index.searchable_segment_metas().map_err(tantivy_err)? {
            record
                .segments
                .push(serde_json::to_value(&meta).unwrap_or_default());
            for component in COMPONENTS {
                let rel = meta.relative_path(component);
                let Ok(bytes) = dir.open_read(&rel).and_then(|f| {
                    f.read_bytes()
                        .map_err(|e| tantivy::directory::error::OpenReadError::IoError {
                            io_error: std::sync::Arc::new(e),
                            filepath: rel.clone(),
                        })
                }) else {
                    continue;
                };
                let to = self.staging.join(&rel);
                std::fs::write(&to, bytes.as_slice()).map_err(|e| Error::io(&to, e))?;
                record.files.push(rel.to_string_lossy().into_owned());
            }
        }
        let words = PartWords {
            own: sorted(&seen.words),
            pdf: sorted(&seen.pdf),
        };
        let name = format!("{print:016x}.words.json");
        let to = self.staging.join(&name);
        let text = serde_json::to_vec(&words).unwrap_or_default();
        std::fs::write(&to, text).map_err(|e| Error::io(&to, e))?;
        record.files.push(name);
        Ok((record, words))
    }

    /// Makes the parts still waiting (a render that failed sends no more
    /// texts), writes tantivy's `meta.json` listing every part's segments
    /// in part order, and the record of the parts. Returns the words of
    /// the products' own fields and of their PDFs.
    pub(crate) fn finish(mut self) -> Result<(SeenWords, SeenWords), Error> {
        for p in 0..self.waiting.len() {
            match &self.made[p] {
                None => self.finish_part(p)?,
                // A linked part's words are read from its file; a made
                // part's were at hand.
                Some(r) if self.linked[p] => {
                    let words = read_words(&self.staging, r);
                    self.words.0.extend(words.own);
                    self.words.1.extend(words.pdf);
                }
                Some(_) => {}
            }
        }
        let parts: Vec<PartRecord> = self.made.into_iter().flatten().collect();
        let segments: Vec<&serde_json::Value> = parts.iter().flat_map(|r| &r.segments).collect();
        let meta = serde_json::json!({
            "index_settings": tantivy::IndexSettings::default(),
            "segments": segments,
            "schema": self.schema,
            "opstamp": 0,
        });
        let write = |name: &str, bytes: Vec<u8>| {
            let to = self.staging.join(name);
            std::fs::write(&to, bytes).map_err(|e| Error::io(&to, e))
        };
        write("meta.json", meta.to_string().into_bytes())?;
        write(PARTS_FILE, serde_json::to_vec(&parts).unwrap_or_default())?;
        Ok(self.words)
    }
}

/// A fingerprint of a document: each field's number and value, in order.
pub(crate) fn doc_print(doc: &TantivyDocument) -> u64 {
    use std::hash::{Hash, Hasher};
    use tantivy::schema::Value;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (field, value) in doc.field_values() {
        field.field_id().hash(&mut h);
        value.as_str().hash(&mut h);
        value.as_u64().hash(&mut h);
    }
    h.finish()
}

fn sorted(seen: &analysis::Seen) -> Vec<String> {
    let mut words: Vec<String> = seen
        .lock()
        .map(|w| w.iter().cloned().collect())
        .unwrap_or_default();
    words.sort_unstable();
    words
}

/// Whether `name` is one file name, not a path that could lead out of
/// the folder it is joined to.
fn plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    )
}

/// The words of a part, from its file in `dir`.
fn read_words(dir: &Path, r: &PartRecord) -> PartWords {
    r.files
        .iter()
        .find(|f| f.ends_with(".words.json") && plain_name(f))
        .and_then(|f| std::fs::read(dir.join(f)).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_file_names_are_taken_from_a_record() {
        assert!(plain_name("b9921011abc242fa966468bfaa3ecb6a.idx"));
        assert!(plain_name("eaa2df5627ad0194.words.json"));
        for bad in ["../x.idx", "/etc/passwd", "a/b.idx", "..", ".", ""] {
            assert!(!plain_name(bad), "{bad}");
        }
    }

    /// A part whose record names a file outside the index folder, or a
    /// link, is made again rather than linked.
    #[cfg(unix)]
    #[test]
    fn a_record_cannot_bring_in_a_file_from_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let (previous, staging) = (tmp.path().join("search"), tmp.path().join("new"));
        std::fs::create_dir_all(&previous).unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(tmp.path().join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), previous.join("a.idx")).unwrap();
        let schema = crate::search::index::IndexFields::new().schema;
        let parts = Parts::new(schema, &[1], &staging, &previous);
        for files in [vec!["../secret".to_string()], vec!["a.idx".to_string()]] {
            let record = PartRecord {
                print: 1,
                segments: Vec::new(),
                files,
            };
            assert!(!parts.link(&record));
        }
        assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0);
    }
}
