//! A PDF's first page read by type size: its largest lines are the title
//! and the lines set between the title's size and the body's, just below
//! it, the authors. `ayni import` falls back on them when the document's
//! metadata names neither.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use serde::{Deserialize, Serialize};

/// The title and authors a first page shows by its type sizes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub title: Option<String>,
    pub authors: Vec<String>,
}

/// Characters looked at: a first page has a few thousand; a page of
/// millions (a drawing made of text) costs no more than this.
const MAX_GLYPHS: usize = 20_000;

/// One line of the page as set: its text and the size of its type.
#[derive(Debug, Clone, PartialEq)]
struct SetLine {
    text: String,
    size: f64,
}

/// An output device that passes every character on to `inner` and keeps
/// the page's lines with their type size.
pub struct SizedText<'a> {
    inner: &'a mut dyn OutputDev,
    lines: Vec<SetLine>,
    glyphs: usize,
    /// Where the last character ended and its baseline, to tell a new
    /// word, a wide gap (two names set side by side) and a new line.
    last: Option<(f64, f64)>,
    new_word: bool,
}

impl<'a> SizedText<'a> {
    pub fn new(inner: &'a mut dyn OutputDev) -> SizedText<'a> {
        SizedText {
            inner,
            lines: Vec::new(),
            glyphs: 0,
            last: None,
            new_word: false,
        }
    }

    /// The title and authors the page's type sizes tell.
    pub fn lead(&self) -> Lead {
        lead(&self.lines)
    }

    fn add(&mut self, x: f64, y: f64, end: f64, size: f64, text: &str) {
        let line_break = match self.last {
            Some((_, last_y)) => (y - last_y).abs() > size * 0.5,
            None => true,
        };
        match self.lines.last_mut() {
            Some(line) if !line_break && (line.size - size).abs() < 0.5 => {
                let (last_end, _) = self.last.unwrap_or_default();
                if x > last_end + size * 2.0 {
                    // Names set apart on one line (LaTeX's `\and`).
                    line.text.push_str(" ; ");
                } else if self.new_word && x > last_end + size * 0.1 {
                    line.text.push(' ');
                }
                line.text.push_str(text);
            }
            _ => self.lines.push(SetLine {
                text: text.to_string(),
                size,
            }),
        }
        self.last = Some((end, y));
        self.new_word = false;
    }
}

impl OutputDev for SizedText<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.inner.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.inner.end_page()
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.inner
            .output_character(trm, width, spacing, font_size, char)?;
        // The size as printed: the font's size through the text matrix.
        let (vx, vy) = (
            font_size * (trm.m11 + trm.m21),
            font_size * (trm.m12 + trm.m22),
        );
        let size = (vx * vy).abs().sqrt();
        if self.glyphs < MAX_GLYPHS && size.is_finite() && size > 0.0 {
            self.glyphs += 1;
            let (x, y) = (trm.m31, trm.m32);
            self.add(x, y, x + width * size, (size * 10.0).round() / 10.0, char);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.new_word = true;
        self.inner.begin_word()
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.inner.end_word()
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.inner.end_line()
    }
}

/// Authors as an Info dictionary lists them: `A; B`, `A, B y C`, `A and B`.
pub fn split_authors(s: &str) -> Vec<String> {
    s.split([';', '\n'])
        .flat_map(|part| part.split(" y ").flat_map(|p| p.split(" and ")))
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphabetic()).count()
}

/// The title: the lines in the largest type, when it is larger than the
/// body's, from the first to the last of a run of them. The authors: the
/// lines after the title in type between the two sizes, up to the body,
/// but for dates and lines with digits.
fn lead(lines: &[SetLine]) -> Lead {
    let mut by_size: Vec<(f64, usize)> = Vec::new();
    for l in lines {
        match by_size.iter_mut().find(|(s, _)| (*s - l.size).abs() < 0.5) {
            Some((_, n)) => *n += letters(&l.text),
            None => by_size.push((l.size, letters(&l.text))),
        }
    }
    let Some(&(body, _)) = by_size.iter().max_by_key(|(_, n)| *n) else {
        return Lead::default();
    };
    let top = lines
        .iter()
        .filter(|l| letters(&l.text) >= 2)
        .map(|l| l.size)
        .fold(0.0, f64::max);
    if top < body * 1.15 {
        return Lead::default();
    }
    let in_title = |l: &SetLine| (l.size - top).abs() < 0.5;
    let Some(first) = lines
        .iter()
        .position(|l| in_title(l) && letters(&l.text) >= 2)
    else {
        return Lead::default();
    };
    let run = lines[first..].iter().take_while(|l| in_title(l)).count();
    let title = lines[first..first + run]
        .iter()
        .map(|l| l.text.replace(" ; ", " "))
        .collect::<Vec<_>>()
        .join(" ");
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let authors = lines[first + run..]
        .iter()
        .take_while(|l| l.size > body * 1.05 && l.size < top)
        .filter(|l| !l.text.chars().any(|c| c.is_ascii_digit()))
        .flat_map(|l| split_authors(&l.text.replace(" ; ", ";")))
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| letters(a) >= 2)
        .take(20)
        .collect();
    Lead {
        title: Some(crate::text::truncate(&title, 200)),
        authors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, size: f64) -> SetLine {
        SetLine {
            text: text.into(),
            size,
        }
    }

    #[test]
    fn the_largest_lines_are_the_title_and_the_next_ones_the_authors() {
        let lines = [
            line("Alianza de Aprendizaje", 9.0),
            line("Evaluación final del programa", 17.3),
            line("de riego en Ayacucho", 17.3),
            line("Ana Pérez ; Luis Soto", 12.0),
            line("Marzo de 2015", 12.0),
            line(
                "El programa de riego se evaluó en cuatro provincias con",
                10.0,
            ),
            line("participación de las comunidades y sus autoridades.", 10.0),
        ];
        let lead = lead(&lines);
        assert_eq!(
            lead.title.as_deref(),
            Some("Evaluación final del programa de riego en Ayacucho")
        );
        assert_eq!(lead.authors, ["Ana Pérez", "Luis Soto"]);
    }

    #[test]
    fn an_author_list_is_split_at_its_separators() {
        assert_eq!(
            split_authors("Ana Pérez; Luis Soto y Rosa Quispe"),
            ["Ana Pérez", "Luis Soto", "Rosa Quispe"]
        );
    }

    #[test]
    fn a_page_in_one_size_tells_nothing() {
        let lines = [line("Informe", 10.0), line("El texto del informe.", 10.0)];
        assert_eq!(lead(&lines), Lead::default());
    }
}
