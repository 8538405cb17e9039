//! How much a PDF's compressed streams unpack to, measured before the
//! parser reads it: the parser inflates each stream it needs whole, so a
//! small file whose streams unpack to gigabytes (a "zip bomb" among PDFs)
//! would take the build's memory. A file over [`MAX_UNPACKED`] is not
//! read.
//!
//! The measure reads the file's bytes as they are, not as the parser
//! does: each `stream` whose dictionary names `/FlateDecode`, images
//! left out (text extraction does not decode them), is inflated into a
//! counter and dropped, and counting stops at the bound.

use std::io::Read;

/// Bytes the compressed streams of one PDF may unpack to, together: far
/// more than the page content of a long report (a dense page is tens of
/// kilobytes, a page of vector maps a few megabytes), and little enough
/// that a build on a small machine keeps its memory.
pub const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// How far back from a `stream` keyword its dictionary is looked for.
const DICT_BYTES: usize = 4096;

/// The bytes the flate streams of `pdf` (images left out) unpack to, up
/// to `limit`: `Err` with the count reached when over it.
pub fn check(pdf: &[u8], limit: u64) -> Result<u64, u64> {
    let mut total = 0u64;
    let mut at = 0usize;
    while let Some(found) = find(&pdf[at..], b"stream") {
        let start = at + found;
        at = start + b"stream".len();
        // `endstream` contains `stream`: only the keyword after a
        // dictionary opens one.
        if start >= 3 && &pdf[start - 3..start] == b"end" {
            continue;
        }
        let dict = &pdf[start.saturating_sub(DICT_BYTES)..start];
        let dict = match rfind(dict, b"obj") {
            Some(i) => &dict[i..],
            None => dict,
        };
        if find(dict, b"/FlateDecode").is_none() || find(dict, b"/Image").is_some() {
            continue;
        }
        let data = skip_eol(&pdf[at..]);
        let end = find(data, b"endstream").unwrap_or(data.len());
        total += inflated(&data[..end], limit - total + 1);
        if total > limit {
            return Err(total);
        }
    }
    Ok(total)
}

/// The bytes `data` inflates to, counted up to `cap` (a damaged stream
/// counts what came out of it before the damage).
fn inflated(data: &[u8], cap: u64) -> u64 {
    let mut z = flate2::read::ZlibDecoder::new(data).take(cap);
    std::io::copy(&mut z, &mut std::io::sink()).unwrap_or(0)
}

/// `data` after the end of line that follows a `stream` keyword.
fn skip_eol(data: &[u8]) -> &[u8] {
    match data {
        [b'\r', b'\n', rest @ ..] | [b'\n', rest @ ..] | [b'\r', rest @ ..] => rest,
        _ => data,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflated(n: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&vec![b' '; n]).unwrap();
        z.finish().unwrap()
    }

    /// A PDF-like file with one stream of each dictionary given.
    fn with_streams(streams: &[(&str, usize)]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        for (i, (dict, n)) in streams.iter().enumerate() {
            let data = deflated(*n);
            pdf.extend(
                format!(
                    "{} 0 obj\n<< {dict} /Length {} >>\nstream\r\n",
                    i + 1,
                    data.len()
                )
                .bytes(),
            );
            pdf.extend(&data);
            pdf.extend(b"\nendstream\nendobj\n");
        }
        pdf.extend(b"%%EOF\n");
        pdf
    }

    #[test]
    fn counts_what_flate_streams_unpack_to() {
        let pdf = with_streams(&[
            ("/Filter /FlateDecode", 3000),
            ("/Filter /FlateDecode", 5000),
        ]);
        assert_eq!(check(&pdf, 1 << 20), Ok(8000));
    }

    #[test]
    fn a_stream_that_unpacks_past_the_bound_is_caught_small() {
        // 64 MB of spaces deflate to about 64 KB.
        let pdf = with_streams(&[("/Filter /FlateDecode", 64 << 20)]);
        assert!(pdf.len() < 1 << 20);
        assert_eq!(check(&pdf, 1 << 20), Err((1 << 20) + 1));
    }

    #[test]
    fn images_and_other_filters_are_not_counted() {
        let pdf = with_streams(&[
            ("/Type /XObject /Subtype /Image /Filter /FlateDecode", 5000),
            ("/Filter /DCTDecode", 5000),
            ("/Filter /FlateDecode", 100),
        ]);
        assert_eq!(check(&pdf, 1 << 20), Ok(100));
    }

    #[test]
    fn garbage_and_cut_streams_count_what_they_give() {
        assert_eq!(check(b"stream stream endstream", 10), Ok(0));
        let pdf = with_streams(&[("/Filter /FlateDecode", 4000)]);
        let cut = &pdf[..pdf.len() / 2];
        assert!(check(cut, 1 << 20).is_ok());
    }
}
