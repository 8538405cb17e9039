//! Search on real Spanish text nobody in the project wrote: Debian's
//! Spanish man pages, made into a site by bench/manpages.py. The 300 most
//! frequent accented words must find the same pages typed with and without
//! their accents, in the CLI's search and in the browser's engine alike.
//! Skips on a machine without manpages-es, `man`, Python or Node.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use ayni::build::{BuildOptions, build};
use ayni::search::analysis::fold;
use ayni::search::{SearchQuery, index, search};

use crate::tools::{program, skip};
use crate::util::repo_root;

/// A page of manpages-es itself: other packages bring a few Spanish pages
/// of their own, too few for the test.
const MARK: &str = "/usr/share/man/es/man1/ls.1.gz";
/// Enough pages for a real vocabulary (well over 300 accented words), few
/// enough to render in half a minute.
const PAGES: &str = "250";
const WORDS: usize = 300;

/// The programs the test runs: python3, node; `man` is run by the script.
fn tools() -> Option<(PathBuf, PathBuf)> {
    if !Path::new(MARK).is_file() {
        return skip("manpages-es", "apt-get install manpages-es");
    }
    program("man", "apt-get install man-db")?;
    program("col", "apt-get install bsdextrautils")?;
    let python = program("python3", "apt-get install python3")?;
    let node = crate::tools::node()?;
    Some((python, node))
}

/// Writes the man-page site into `dir`/site and builds it into `dir`/public.
fn build_corpus(python: &Path, dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let status = Command::new(python)
        .arg(repo_root().join("bench/manpages.py"))
        .args(["--limit-pages", PAGES, "--out"])
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success(), "bench/manpages.py failed");
    let mut opts = BuildOptions::new(&site);
    opts.out = Some(dir.join("public"));
    opts.cache = Some(dir.join("cache"));
    build(&opts).expect("the man-page site builds");
    site
}

/// The `n` most frequent words of the site's Markdown that carry an
/// accent, most frequent first (ties by word, for a fixed list).
fn accented_words(site: &Path, n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for entry in walkdir::WalkDir::new(site.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let word = word.to_lowercase();
            if fold(&word) != word {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(usize, String)> = counts.into_iter().map(|(w, c)| (c, w)).collect();
    words.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    words.into_iter().take(n).map(|(_, w)| w).collect()
}

/// Every result URL of each query in the browser's engine, run in Node.
fn browser_urls(node: &Path, dir: &Path, queries: &[String]) -> Vec<Vec<String>> {
    let file = dir.join("queries.json");
    let list: Vec<_> = queries
        .iter()
        .map(|q| serde_json::json!({ "q": q }))
        .collect();
    std::fs::write(&file, serde_json::json!({ "queries": list }).to_string()).unwrap();
    let v = crate::tools::run_js(node, "search-urls.js", [dir.join("public/search"), file]);
    v.iter()
        .map(|r| {
            let urls = r["urls"].as_array().unwrap();
            urls.iter()
                .map(|u| u.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn as_set(urls: &[String]) -> BTreeSet<&str> {
    urls.iter().map(String::as_str).collect()
}

#[test]
fn frequent_accented_words_find_the_same_pages_with_and_without_accents() {
    let Some((python, node)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = build_corpus(&python, dir.path());
    let words = accented_words(&site, WORDS);
    assert_eq!(words.len(), WORDS, "too few accented words in the corpus");
    let idx = index::open(&index::index_dir(&dir.path().join("cache"))).unwrap();
    let cli = |text: &str| -> Vec<String> {
        let query = SearchQuery {
            text: text.to_string(),
            limit: 10_000,
            ..SearchQuery::default()
        };
        let hits = search(&idx, &query).unwrap().hits;
        hits.into_iter().map(|h| h.url).collect()
    };
    let queries: Vec<String> = words.iter().flat_map(|w| [w.clone(), fold(w)]).collect();
    let browser = browser_urls(&node, dir.path(), &queries);
    let mut differ = Vec::new();
    for (word, pair) in words.iter().zip(browser.chunks(2)) {
        let bare = fold(word);
        let (c_acc, c_bare) = (cli(word), cli(&bare));
        let (b_acc, b_bare) = (&pair[0], &pair[1]);
        // Both spellings give the same ranked list in each engine, and the
        // two engines find the same pages (their scores may order ties
        // differently).
        let same = c_acc == c_bare
            && b_acc == b_bare
            && as_set(&c_acc) == as_set(b_acc)
            && as_set(&c_bare) == as_set(b_bare);
        if !same {
            differ.push(format!(
                "{word}/{bare}: CLI {}/{}, browser {}/{}",
                c_acc.len(),
                c_bare.len(),
                b_acc.len(),
                b_bare.len()
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} words differ: {differ:#?}",
        differ.len()
    );
}

/// On the same pages, the browser's snippet of the first result for each
/// of the frequent accented words, typed without accents, shows the word
/// marked, from whatever depth of its text, fetching at most the result
/// file and one block.
#[test]
fn browser_snippets_show_the_words_searched_on_real_text() {
    let Some((python, node)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let site = build_corpus(&python, dir.path());
    let words = accented_words(&site, WORDS);
    let file = dir.path().join("snippet-queries.json");
    let list: Vec<_> = words
        .iter()
        .map(|w| serde_json::json!({ "q": fold(w) }))
        .collect();
    std::fs::write(&file, serde_json::json!({ "queries": list }).to_string()).unwrap();
    let got = crate::tools::run_js(
        &node,
        "snippets.js",
        [dir.path().join("public/search"), file],
    );
    let mut unmarked = Vec::new();
    let block = ayni::search::passages::BLOCK_BYTES as u64;
    // A result file and one file of blocks.
    let per_file = ayni::search::passages::BLOCKS_PER_FILE as u64;
    for g in got.iter().filter(|g| !g["url"].is_null()) {
        let marks: BTreeSet<String> = serde_json::from_value(g["marks"].clone()).unwrap();
        let snippet = g["snippet"].as_str().unwrap();
        let marked = snippet
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| marks.contains(&fold(&t.to_lowercase())));
        if !marked {
            unmarked.push(format!("{}: {snippet}", g["q"]));
        }
        assert!(g["bytes"].as_u64().unwrap() < (2 + per_file) * block, "{g}");
    }
    // A word found only in a title or a name has no passage to show.
    assert!(
        unmarked.len() * 50 <= got.len(),
        "{} of {} snippets without the word: {unmarked:#?}",
        unmarked.len(),
        got.len()
    );
}
