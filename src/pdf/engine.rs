//! The one place that calls the PDF parser (`pdf-extract`, on `lopdf`):
//! pages' raw text, page count, Info dictionary and XMP metadata. The
//! parser can panic on malformed files; [`caught`] turns a panic into
//! a [`Problem`], and its message is kept off the terminal.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use pdf_extract::{Document, Object, PlainTextOutput};

use super::lead::{Lead, SizedText, split_authors};
use super::{Meta, Problem};

/// The name of the threads that read PDFs, by which the panic hook knows
/// their panics are caught and reported as warnings.
pub const THREAD: &str = "ayni-pdf";

/// A PDF as the parser gives it, before cleaning.
#[derive(Debug, Default)]
pub struct Raw {
    pub pages: Vec<String>,
    pub page_count: usize,
    pub meta: Meta,
    pub lead: Lead,
}

/// Runs `work` with the panics of the parser or renderer caught as a
/// damaged file.
pub fn caught<T>(work: impl FnOnce() -> Result<T, Problem>) -> Result<T, Problem> {
    quiet_panics();
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the parser failed".into());
        Err(Problem::Damaged(why))
    })
}

/// Keeps the panics of the PDF threads off the terminal (they become a
/// warning that names the file), and prints every other as before.
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(THREAD) {
                before(info);
            }
        }));
    });
}

/// Parses a PDF: every page's text (a page that fails to read gives no
/// text, the others still do), its page count and metadata.
pub fn read(bytes: &[u8]) -> Result<Raw, Problem> {
    let mut doc = Document::load_mem(bytes).map_err(|e| damaged(&e))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(Problem::Encrypted);
    }
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut lead = Lead::default();
    let pages = numbers
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let mut text = String::new();
            let mut plain = PlainTextOutput::new(&mut text);
            // The first page is also read by type size, for its title.
            let done = if i == 0 {
                let mut sized = SizedText::new(&mut plain);
                let done = pdf_extract::output_doc_page(&doc, &mut sized, n);
                lead = sized.lead();
                done
            } else {
                pdf_extract::output_doc_page(&doc, &mut plain, n)
            };
            match done {
                Ok(()) => text,
                Err(_) => String::new(),
            }
        })
        .collect();
    Ok(Raw {
        page_count: numbers.len(),
        pages,
        meta: meta(&doc),
        lead,
    })
}

fn damaged(e: &pdf_extract::Error) -> Problem {
    // The parser's own error kinds are private; its messages are not.
    let said = e.to_string();
    let why = if matches!(e, pdf_extract::Error::Xref(_))
        || ["trailer", "cross reference", "end of input"]
            .iter()
            .any(|w| said.contains(w))
    {
        format!("{said}: the file may be cut short")
    } else if said.contains("header") {
        "it does not start as a PDF does".into()
    } else {
        said
    };
    Problem::Damaged(why)
}

/// The Info dictionary's title, author and creation date, and the
/// catalogue's language; the XMP packet fills what they leave out.
fn meta(doc: &Document) -> Meta {
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| match o {
            Object::Reference(id) => doc.get_dictionary(*id),
            Object::Dictionary(d) => Ok(d),
            _ => Err(pdf_extract::Error::DictKey("Info".into())),
        })
        .ok();
    let text = |key: &[u8]| -> Option<String> {
        let o = info?.get(key).ok()?;
        let s = pdf_extract::decode_text_string(o).ok()?;
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    };
    let catalog = doc.catalog().ok();
    let lang = catalog
        .and_then(|c| c.get(b"Lang").ok())
        .and_then(|o| pdf_extract::decode_text_string(o).ok());
    let xmp = catalog
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| o.as_reference().ok())
        .and_then(|id| doc.get_object(id).ok())
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| {
            s.decompressed_content()
                .or_else(|_| Ok::<_, ()>(s.content.clone()))
                .ok()
        })
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let xmp = super::xmp::Xmp::parse(&xmp);
    Meta {
        title: text(b"Title").or(xmp.title),
        authors: text(b"Author")
            .map(|a| split_authors(&a))
            .unwrap_or(xmp.creators),
        date: text(b"CreationDate")
            .and_then(|d| pdf_date(&d))
            .or(xmp.date),
        language: lang.filter(|l| !l.trim().is_empty()).or(xmp.language),
    }
}

/// A PDF date (`D:20150312093000-05'00'`) as `2015-03-12`, as far as it goes.
fn pdf_date(s: &str) -> Option<String> {
    let digits: String = s
        .trim_start_matches("D:")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let year = digits.get(0..4)?;
    let ok = |p: &str, hi: u32| p.parse::<u32>().is_ok_and(|n| (1..=hi).contains(&n));
    match (digits.get(4..6), digits.get(6..8)) {
        (Some(m), Some(d)) if ok(m, 12) && ok(d, 31) => Some(format!("{year}-{m}-{d}")),
        (Some(m), _) if ok(m, 12) => Some(format!("{year}-{m}")),
        _ => Some(year.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_keep_what_they_give() {
        assert_eq!(
            pdf_date("D:20150312093000-05'00'").as_deref(),
            Some("2015-03-12")
        );
        assert_eq!(pdf_date("D:201503").as_deref(), Some("2015-03"));
        assert_eq!(pdf_date("D:2015").as_deref(), Some("2015"));
        assert_eq!(pdf_date("D:20151399").as_deref(), Some("2015"));
        assert_eq!(pdf_date("hoy"), None);
    }

    #[test]
    fn garbage_is_damaged_not_a_panic() {
        assert!(matches!(
            caught(|| read(b"not a pdf at all")),
            Err(Problem::Damaged(_))
        ));
    }
}
