//! Covers: page 1 of an attached PDF drawn small at build time (by
//! `hayro`, in pure Rust), kept as a JPEG in the cache under the PDF's
//! content key like its text, and published beside the PDF. Drawing runs
//! on a worker thread with the extraction's deadline and size cap, its
//! panics caught: a page that cannot be drawn costs a warning, not the
//! build.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{RenderCache, RenderSettings, render_into};
use serde::{Deserialize, Serialize};

use super::Problem;

/// A cover's width in pixels: a card shows it at half that on a phone, so
/// that it stays sharp on a screen of two pixels per point.
pub const WIDTH: u32 = 240;

/// A page taller than this many times its width (a poster, a scroll) is
/// cut to it, so that no cover makes a card a column.
const MAX_RATIO: f64 = 1.6;

/// JPEG quality: a page of text and a photograph both stay legible at it,
/// and a cover weighs a few kilobytes (see docs/performance.md).
const QUALITY: u8 = 70;

/// Bumped when covers are drawn differently, so that older ones are
/// drawn again.
const FORMAT: u32 = 1;

/// A drawn cover's size in pixels, for the `<img>`'s `width` and `height`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CoverSize {
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// A PDF's cover as the site publishes it: the image in the cache, copied
/// to `url` beside the PDF, and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    pub(crate) image: PathBuf,
    /// Site-relative URL path of the published image.
    pub url: String,
    pub(crate) size: CoverSize,
}

/// Where the cover of the PDF published at `pdf_url` is published: beside
/// it, under the PDF's own name, so that no two PDFs share one.
pub fn url_for(pdf_url: &str) -> String {
    format!("{pdf_url}.cover.jpg")
}

/// What drawing a PDF's first page gave, as the cache keeps it: its size,
/// or why there is no cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverRecord {
    pub(crate) size: Option<CoverSize>,
    pub(crate) problem: Option<String>,
}

/// The cover image of the PDF whose cache key is `key`, in `dir`.
pub fn image_path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}-cover{FORMAT}.jpg"))
}

fn record_path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}-cover{FORMAT}.json"))
}

/// The cover record kept for `key`, if there is a readable one whose
/// image (when it has one) is there too.
pub fn cached(dir: &Path, key: &str) -> Option<CoverRecord> {
    let text = std::fs::read(record_path(dir, key)).ok()?;
    let record: CoverRecord = serde_json::from_slice(&text).ok()?;
    (record.size.is_none() || image_path(dir, key).is_file()).then_some(record)
}

/// Draws the cover of the PDF `bytes` into the cache under `key`, and
/// records what came of it; the image is in place before its record, so
/// that a record always has its image.
pub fn make(dir: &Path, key: &str, bytes: Arc<Vec<u8>>, deadline: Duration) -> CoverRecord {
    let record = match super::on_worker(move || draw(&bytes), deadline) {
        Ok((jpeg, size)) => {
            if put(&image_path(dir, key), &jpeg) {
                CoverRecord {
                    size: Some(size),
                    problem: None,
                }
            } else {
                // Not kept, so not published: the next build tries again.
                return CoverRecord {
                    size: None,
                    problem: None,
                };
            }
        }
        Err(Problem::TimedOut) => {
            // A less busy machine may draw it: not recorded.
            return CoverRecord {
                size: None,
                problem: Some(format!("drawing it took over {} s", deadline.as_secs())),
            };
        }
        Err(problem) => CoverRecord {
            size: None,
            problem: Some(describe(&problem)),
        },
    };
    if let Ok(text) = serde_json::to_vec(&record) {
        put(&record_path(dir, key), &text);
    }
    record
}

fn describe(problem: &Problem) -> String {
    match problem {
        Problem::Damaged(why) => why.clone(),
        Problem::Encrypted => "it is encrypted".into(),
        _ => "it could not be drawn".into(),
    }
}

/// Writes beside and renames, so that no reader sees half a file.
fn put(path: &Path, bytes: &[u8]) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir) else {
        return false;
    };
    // The image is copied to the output with its mode: readable by the
    // web server, not only by the builder as a temporary file is made.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    std::io::Write::write_all(&mut tmp, bytes).is_ok() && tmp.persist(path).is_ok()
}

/// Page 1 drawn [`WIDTH`] pixels wide on white, as a JPEG.
fn draw(bytes: &Arc<Vec<u8>>) -> Result<(Vec<u8>, CoverSize), Problem> {
    let pdf = Pdf::new(bytes.clone()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => Problem::Encrypted,
        LoadPdfError::Invalid => Problem::Damaged("not a PDF the renderer can read".into()),
    })?;
    let page = pdf
        .pages()
        .first()
        .ok_or_else(|| Problem::Damaged("it has no pages".into()))?;
    let (w, h) = page.render_dimensions();
    if !(w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0) {
        return Err(Problem::Damaged("its first page has no size".into()));
    }
    let scale = f64::from(WIDTH) / f64::from(w);
    let height = (f64::from(h) * scale)
        .min(f64::from(WIDTH) * MAX_RATIO)
        .round()
        .max(1.0) as u32;
    let (pw, ph) = (WIDTH as u16, height as u16);
    let mut ctx = RenderContext::new(pw, ph);
    let transform = Affine::scale(scale) * page.initial_transform(true).to_kurbo();
    let cache = RenderCache::new();
    let settings = InterpreterSettings::default();
    render_into(
        page,
        &cache,
        &settings,
        &RenderSettings::default(),
        &mut ctx,
        transform,
    );
    ctx.flush();
    let mut pixmap = Pixmap::new(pw, ph);
    ctx.render_with(
        &mut pixmap,
        &mut Resources::default(),
        RasterizerSettings {
            target_init: TargetInit::Clear(WHITE),
            ..Default::default()
        },
    );
    // On an opaque white ground the premultiplied pixels are the plain ones.
    let rgb: Vec<u8> = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode(&rgb, WIDTH, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| Problem::Damaged(e.to_string()))?;
    Ok((
        jpeg,
        CoverSize {
            width: WIDTH,
            height,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_drawn_at_the_cover_width_and_kept_by_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = Arc::new(crate::pdf::tests::tiny_pdf("Informe de la mesa"));
        let record = make(dir.path(), "k", bytes, super::super::DEADLINE);
        let size = record.size.expect("a cover");
        assert_eq!(size.width, WIDTH);
        // A US letter page: 792 / 612 of the width.
        assert_eq!(size.height, 311);
        let jpeg = std::fs::read(image_path(dir.path(), "k")).unwrap();
        assert!(jpeg.starts_with(&[0xFF, 0xD8]), "a JPEG");
        assert_eq!(cached(dir.path(), "k"), Some(record));
    }

    #[test]
    fn garbage_gives_a_reason_and_no_cover() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = Arc::new(b"not a pdf".to_vec());
        let record = make(dir.path(), "k", bytes, super::super::DEADLINE);
        assert_eq!(record.size, None);
        assert!(record.problem.is_some());
        assert!(!image_path(dir.path(), "k").exists());
    }
}
