//! PDF attachments: the text of each page, the page count and the
//! document's own metadata, read at build time without any outside
//! program; the cover drawn from the first page (see [`cover`]); what is
//! wrong with a PDF that cannot be read; and the cache that keeps each
//! extraction (see [`store`]).
//!
//! A PDF is read on a worker thread with a deadline and a size cap, and
//! the parser's panics are caught there: one broken or hostile file costs
//! a warning, never the build.

pub mod cover;
pub(crate) mod engine;
pub(crate) mod import;
pub(crate) mod lead;
pub(crate) mod site;
pub mod store;
pub mod text;
pub(crate) mod unpacked;
pub(crate) mod xmp;

use std::sync::{Arc, mpsc};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Files larger than this are not read (a warning says so): a report is
/// seldom over 50 MB, and a parse holds several times the file in memory.
pub const MAX_BYTES: u64 = 200 * 1024 * 1024;

/// How long one file may take to read before it is given up.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// What reading a PDF gave: its pages' clean text (empty when it could
/// not be read), its page count and metadata, and what went wrong.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// Each page's text, cleaned; empty when it could not be read.
    pub pages: Vec<String>,
    /// How many pages it has.
    pub page_count: usize,
    /// What the document says about itself.
    pub meta: Meta,
    /// The title and authors the first page shows in its largest type.
    #[serde(default)]
    pub lead: lead::Lead,
    /// Why its text is not indexed, if it is not.
    pub problem: Option<Problem>,
}

/// The document's own description of itself, from its Info dictionary,
/// or from its XMP packet where the Info dictionary is silent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Its title.
    pub title: Option<String>,
    /// Its authors, in order.
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as far as the PDF tells.
    pub date: Option<String>,
    /// The catalogue's `/Lang` or XMP's `dc:language`, as written.
    pub language: Option<String>,
}

/// Why a PDF's text is not indexed, in the words a warning uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// Pages without a text layer: a scan, whose text needs OCR.
    NoText,
    /// Encrypted with a password the build does not have.
    Encrypted,
    /// Not a PDF, or one cut short or damaged; the parser's words.
    Damaged(String),
    /// Larger than the build reads, in bytes.
    TooLarge(u64),
    /// Its compressed streams unpack to more than 512 MiB (`unpacked::MAX_UNPACKED`)
    /// bytes.
    Unpacks(u64),
    /// It took longer than [`DEADLINE`] to read.
    TimedOut,
}

impl Problem {
    /// The warning's message about the file `name`, in English.
    pub fn message(&self, name: &str) -> String {
        self.said(name).say(crate::messages::Lang::En)
    }

    /// The warning's message about the file `name`, to be said in the
    /// language of the run.
    pub fn said(&self, name: &str) -> crate::messages::Msg {
        use crate::msg;
        match self {
            Problem::NoText => msg!("diag.pdf-no-text", name = name),
            Problem::Encrypted => msg!("diag.pdf-encrypted", name = name),
            Problem::Damaged(why) => msg!("diag.pdf-damaged", name = name, why = why),
            Problem::TooLarge(bytes) => msg!(
                "diag.pdf-skipped.large",
                name = name,
                mb = bytes / 1_000_000,
                max = MAX_BYTES / 1_000_000
            ),
            Problem::Unpacks(_) => msg!(
                "diag.pdf-skipped.unpacks",
                name = name,
                max = unpacked::MAX_UNPACKED / 1_000_000
            ),
            Problem::TimedOut => msg!(
                "diag.pdf-skipped.slow",
                name = name,
                secs = DEADLINE.as_secs()
            ),
        }
    }
}

/// Reads a PDF's bytes into clean pages, on a worker thread that is given
/// up after `deadline`.
pub fn extract(bytes: Vec<u8>, deadline: Duration) -> Extraction {
    extract_shared(Arc::new(bytes), deadline)
}

/// [`extract`] of bytes that are used again after it (for the cover).
pub fn extract_shared(bytes: Arc<Vec<u8>>, deadline: Duration) -> Extraction {
    if bytes.len() as u64 > MAX_BYTES {
        return failed(Problem::TooLarge(bytes.len() as u64));
    }
    let read = move || {
        unpacked::check(&bytes, unpacked::MAX_UNPACKED).map_err(Problem::Unpacks)?;
        engine::read(&bytes)
    };
    match on_worker(read, deadline) {
        Ok(raw) => finish(raw),
        Err(problem) => failed(problem),
    }
}

/// Runs `work` on a PDF thread, its panics caught as a damaged file, and
/// gives it up after `deadline`. The worker of a file that hangs is left
/// to finish on its own: a thread cannot be stopped, and the build does
/// not wait.
pub fn on_worker<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Problem> + Send + 'static,
    deadline: Duration,
) -> Result<T, Problem> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(engine::THREAD.into())
        .spawn(move || {
            let _ = tx.send(engine::caught(work));
        })
        .map_err(|e| Problem::Damaged(format!("no thread to read it: {e}")))?;
    rx.recv_timeout(deadline).unwrap_or(Err(Problem::TimedOut))
}

fn failed(problem: Problem) -> Extraction {
    Extraction {
        problem: Some(problem),
        ..Extraction::default()
    }
}

/// Cleans the engine's pages; a document with pages and no words is a scan.
fn finish(raw: engine::Raw) -> Extraction {
    let mut pages: Vec<String> = raw.pages.iter().map(|p| text::clean_page(p)).collect();
    text::drop_repeated(&mut pages);
    let words = pages
        .iter()
        .map(|p| {
            p.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count()
        })
        .sum::<usize>();
    let problem = (words == 0 && raw.page_count > 0).then_some(Problem::NoText);
    Extraction {
        pages,
        page_count: raw.page_count,
        meta: raw.meta,
        lead: raw.lead,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A one-page PDF showing `words` in Helvetica, with a correct
    /// cross-reference table, as the smallest producers write it.
    pub(crate) fn tiny_pdf(words: &str) -> Vec<u8> {
        let stream = format!("BT /F1 12 Tf 72 720 Td ({words}) Tj ET");
        pdf_with_contents("", stream.as_bytes())
    }

    /// [`tiny_pdf`] with its page's content deflated, followed by `spaces`
    /// spaces: a small file that unpacks to as much as asked.
    fn deflated_pdf(words: &str, spaces: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(format!("BT /F1 12 Tf 72 720 Td ({words}) Tj ET\n").as_bytes())
            .unwrap();
        let block = vec![b' '; 1 << 20];
        for chunk in 0..spaces.div_ceil(block.len()) {
            let n = block.len().min(spaces - chunk * block.len());
            z.write_all(&block[..n]).unwrap();
        }
        pdf_with_contents("/Filter /FlateDecode ", &z.finish().unwrap())
    }

    fn pdf_with_contents(filter: &str, stream: &[u8]) -> Vec<u8> {
        let objects: [Vec<u8>; 5] = [
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
            [
                format!("<< {filter}/Length {} >>\nstream\n", stream.len()).as_bytes(),
                stream,
                b"\nendstream",
            ]
            .concat(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", i + 1).bytes());
            out.extend(o);
            out.extend(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        out
    }

    #[test]
    fn a_small_pdf_gives_its_words_and_page_count() {
        let e = extract(tiny_pdf("Informe de la mesa"), DEADLINE);
        assert_eq!(e.problem, None);
        assert_eq!(e.page_count, 1);
        assert!(e.pages[0].contains("Informe de la mesa"), "{:?}", e.pages);
    }

    /// A file of a few megabytes whose page unpacks to more than
    /// the bound is not given to the parser, which would hold all of it;
    /// a deflated page under the bound reads as any other.
    #[test]
    fn a_pdf_that_unpacks_past_the_bound_is_not_read() {
        let e = extract(deflated_pdf("Informe de la mesa", 2000), DEADLINE);
        assert_eq!(e.problem, None);
        assert!(e.pages[0].contains("Informe de la mesa"), "{:?}", e.pages);
        let bomb = deflated_pdf("Informe", unpacked::MAX_UNPACKED as usize + (1 << 20));
        assert!(
            bomb.len() < (unpacked::MAX_UNPACKED / 50) as usize,
            "{}",
            bomb.len()
        );
        let e = extract(bomb, DEADLINE);
        assert_eq!(
            e.problem,
            Some(Problem::Unpacks(unpacked::MAX_UNPACKED + 1))
        );
        assert!(
            e.problem
                .unwrap()
                .message("bomba.pdf")
                .contains("bomba.pdf")
        );
    }

    #[test]
    fn a_file_over_the_cap_is_not_read() {
        let e = extract(vec![b' '; MAX_BYTES as usize + 1], DEADLINE);
        assert!(matches!(e.problem, Some(Problem::TooLarge(_))));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Cut short anywhere, or with bytes changed anywhere, a PDF gives
        /// an extraction or a problem, and a cover or a reason: never a
        /// panic, never a hang (the deadline is the test's bound).
        #[test]
        fn cut_or_mutated_pdfs_never_panic_or_hang(
            cut in 0usize..1000,
            flips in proptest::collection::vec((0usize..1000, any::<u8>()), 0..8),
        ) {
            let mut bytes = tiny_pdf("Evaluación final del programa");
            for (at, b) in flips {
                let n = bytes.len();
                bytes[at % n] = b;
            }
            bytes.truncate(cut.max(1).min(bytes.len()));
            // The cover is drawn by another parser: fed the same bytes.
            let dir = tempfile::tempdir().unwrap();
            let shared = Arc::new(bytes.clone());
            let drawn = cover::make(dir.path(), "k", shared, Duration::from_secs(20));
            let hung = drawn.problem.as_deref().is_some_and(|p| p.starts_with("drawing it took"));
            prop_assert!(!hung);
            let e = extract(bytes, Duration::from_secs(20));
            prop_assert!(e.problem != Some(Problem::TimedOut));
        }
    }
}
