//! Cleaning the text a PDF's pages give: ligatures and decomposed accents
//! made plain Unicode (NFC), words hyphenated across line ends joined, and
//! the running headers and footers that repeat on every page kept once.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// One page's text as a reader would type it: ligature characters spelt
/// out, accents composed, soft hyphens gone, hyphenated line ends joined.
pub fn clean_page(raw: &str) -> String {
    let mut spelt = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{FB00}' => spelt.push_str("ff"),
            '\u{FB01}' => spelt.push_str("fi"),
            '\u{FB02}' => spelt.push_str("fl"),
            '\u{FB03}' => spelt.push_str("ffi"),
            '\u{FB04}' => spelt.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => spelt.push_str("st"),
            '\u{00AD}' | '\u{0000}' => {}
            '\r' => spelt.push('\n'),
            _ => spelt.push(c),
        }
    }
    let composed: String = spelt.nfc().collect();
    join_hyphens(&composed)
}

/// Joins `pala-` at a line's end with `bra` at the next line's start. A
/// hyphen before a capital or a digit is kept with its line break undone
/// (`Huamanga-\nHuanta` stays a compound), as typesetters break words
/// only before a lowercase continuation.
fn join_hyphens(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        // A line carries the start of a word broken at the previous end.
        let mut line = lines[i].to_string();
        while let Some(head) = broken_head(&line, lines.get(i + 1)) {
            let next = lines[i + 1].trim_start();
            line = format!("{head}{next}");
            i += 1;
        }
        out.push_str(&line);
        out.push('\n');
        i += 1;
    }
    out
}

/// The line without its final hyphen, when that hyphen breaks a word that
/// `next` goes on with.
fn broken_head<'a>(line: &'a str, next: Option<&&str>) -> Option<&'a str> {
    let head = line.strip_suffix(['-', '\u{2010}'])?;
    let before = head.chars().last()?;
    let after = next?.trim_start().chars().next()?;
    (before.is_alphabetic() && after.is_lowercase()).then_some(head)
}

/// How many lines at the top and at the bottom of a page can be running
/// heads or feet.
const EDGE: usize = 3;

/// A line as running heads repeat it: digits (page numbers, dates) do not
/// count, nor spacing.
fn furniture_key(line: &str) -> String {
    line.split_whitespace()
        .flat_map(|w| w.chars().chain([' ']))
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Removes from every page but the first that has it each line that sits
/// among the first or last `EDGE` lines of at least half the pages (and
/// of two at least): a running head or foot, indexed once, not once per
/// page. Returns how many lines were removed.
pub fn drop_repeated(pages: &mut [String]) -> usize {
    if pages.len() < 2 {
        return 0;
    }
    let edges = |page: &str| -> Vec<String> {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let mut keys: Vec<String> = lines
            .iter()
            .take(EDGE)
            .chain(lines.iter().rev().take(EDGE))
            .map(|l| furniture_key(l))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        for key in edges(page) {
            *counts.entry(key).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    let mut seen: HashMap<String, bool> = counts
        .into_iter()
        .filter(|(k, n)| *n >= needed && !k.is_empty())
        .map(|(k, _)| (k, false))
        .collect();
    if seen.is_empty() {
        return 0;
    }
    let mut removed = 0;
    for page in pages.iter_mut() {
        let edge_keys = edges(page);
        let mut kept = String::with_capacity(page.len());
        for line in page.lines() {
            let key = furniture_key(line);
            let drop = match seen.get_mut(&key) {
                Some(was) if edge_keys.contains(&key) => std::mem::replace(was, true),
                _ => false,
            };
            if drop {
                removed += 1;
            } else {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        *page = kept;
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_and_decomposed_accents_become_plain_letters() {
        let page = clean_page("la e\u{FB01}cacia, el \u{FB02}ujo y la participacio\u{301}n");
        assert_eq!(page, "la eficacia, el flujo y la participación\n");
    }

    #[test]
    fn a_word_broken_at_a_line_end_is_joined() {
        let page = clean_page("las dificul-\ntades del mante-\nnimiento eran\nHuamanga-\nHuanta");
        assert!(page.contains("dificultades"), "{page}");
        assert!(page.contains("mantenimiento"), "{page}");
        assert!(page.contains("Huamanga-\nHuanta"), "{page}");
    }

    #[test]
    fn running_heads_and_page_numbers_are_kept_once() {
        let mut pages: Vec<String> = (1..=4)
            .zip(["uno", "dos", "tres", "cuatro"])
            .map(|(n, w)| format!("Alianza de Aprendizaje\nPágina {w}.\nOtra línea {w}.\nY una más {w}.\nFin {w}.\n{n}/4\n"))
            .collect();
        let removed = drop_repeated(&mut pages);
        assert_eq!(removed, 6);
        assert!(pages[0].contains("Alianza de Aprendizaje"));
        assert!(pages.iter().skip(1).all(|p| !p.contains("Alianza")));
        assert!(pages[3].contains("Página cuatro"));
    }

    #[test]
    fn a_single_page_keeps_everything() {
        let mut pages = vec!["Título\nTexto\n".to_string()];
        assert_eq!(drop_repeated(&mut pages), 0);
    }
}
