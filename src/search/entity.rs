//! Entity results: partners, outcomes and topics whose own page a query
//! names. Owns the list of entities kept beside the tantivy index
//! (`entities.json`, read by `ayni search`), the rule that decides which
//! entities a query names, and the browser's entity files (`e/<xy>.json`).
//!
//! The rule, the same in both engines: every query word that is not a stop
//! word must be among the terms of the entity's names (a partner's name,
//! short name and id; an outcome's title, identifier and id; a topic's
//! title), after the Spanish analysis of the rest of search. The query must
//! also cover at least a third of the terms of one of those names, so a
//! common word (`desarrollo`) does not bring up every partner that has it
//! in a long name, while a short name, an id or a number (`29337` in
//! `Ley N.° 29337`) does. Entities whose name the query covers exactly come
//! first, then by the share of the name covered, then partners, outcomes
//! and topics in site order; at most [`MAX_ENTITIES`] are shown.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;
use tantivy::tokenizer::TextAnalyzer;

use super::analysis::{self, terms};
use crate::build::write::OutputFile;
use crate::error::Error;
use crate::model::Site;

/// More entity results than this are no longer "the page you named".
pub const MAX_ENTITIES: usize = 3;
/// The file beside the tantivy index that lists the site's entities.
pub const FILE: &str = "entities.json";
/// Entity kinds, in the order they rank at equal coverage.
pub const KINDS: [&str; 3] = ["partner", "outcome", "topic"];

/// A partner, outcome or topic page, with the names a query may use.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entity {
    /// `partner`, `outcome` or `topic`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Its name, as its page's title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// The names a query may call it by: its title, short name, aliases.
    pub names: Vec<String>,
}

/// A site's entities and the labels their results are shown with, in the
/// site's interface language.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Entities {
    /// Label per entity kind (`partner` -> `Socio`).
    pub labels: BTreeMap<String, String>,
    /// Every entity, partners first.
    pub list: Vec<Entity>,
}

/// An entity a query names, with how well it names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<'a> {
    /// The entity.
    pub entity: &'a Entity,
    /// Whether the query is one of its names, whole.
    pub exact: bool,
    /// Terms of the best-covered name the query holds, and that name's size.
    pub covered: (usize, usize),
}

impl Entities {
    /// The entities of a site, in rank order of kinds then site order.
    pub fn of(site: &Site, strings: &serde_json::Map<String, serde_json::Value>) -> Entities {
        let mut list = Vec::new();
        for p in &site.partners {
            let m = &p.meta;
            let mut names = vec![m.name.clone(), m.id.clone()];
            names.extend(m.short_name.clone());
            list.push(entity("partner", &m.id, &m.name, site.href(&p.path), names));
        }
        for o in &site.outcomes {
            let m = &o.meta;
            let mut names = vec![m.title.clone(), m.id.clone()];
            names.extend(m.identifier.clone());
            list.push(entity(
                "outcome",
                &m.id,
                &m.title,
                site.href(&o.path),
                names,
            ));
        }
        for t in &site.topics {
            let names = vec![t.title.clone()];
            list.push(entity(
                "topic",
                &t.slug,
                &t.title,
                site.href(&t.path),
                names,
            ));
        }
        let ui = strings.get("ui").and_then(|v| v.as_object());
        let labels = KINDS
            .iter()
            .map(|k| {
                let label = ui
                    .and_then(|u| u.get(&format!("facet_{k}")))
                    .and_then(|v| v.as_str())
                    .unwrap_or(k);
                (k.to_string(), label.to_string())
            })
            .collect();
        Entities { labels, list }
    }

    /// The entities kept beside the index in `dir`; none for an index made
    /// before entity results existed.
    pub fn load(dir: &Path) -> Result<Entities, Error> {
        let path = dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entities::default()),
            Err(e) => return Err(Error::io(&path, e)),
        };
        serde_json::from_str(&text).map_err(|source| Error::Json { path, source })
    }

    /// Writes the list into an index folder.
    pub fn save(&self, dir: &Path) -> Result<(), Error> {
        let path = dir.join(FILE);
        let text = serde_json::to_string(self).unwrap_or_default();
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
    }

    /// The entities `text` names, best first (see the module's rule).
    pub fn find(&self, text: &str) -> Vec<Named<'_>> {
        let Some(query) = query_terms(text) else {
            return Vec::new();
        };
        let mut es = analysis::spanish();
        let mut found: Vec<(usize, Named)> = Vec::new();
        for (i, e) in self.list.iter().enumerate() {
            let names = name_terms(&mut es, &e.names);
            if let Some(named) = judge(e, &query, &names) {
                found.push((i, named));
            }
        }
        rank(&mut found);
        found
            .into_iter()
            .map(|(_, n)| n)
            .take(MAX_ENTITIES)
            .collect()
    }
}

impl Named<'_> {
    /// The entity as a hit of `ayni search --json`: `kind` says which
    /// kind of page it is, `label` how the site names that kind.
    pub fn hit(&self, labels: &BTreeMap<String, String>) -> serde_json::Value {
        let e = self.entity;
        json!({
            "url": e.url,
            "title": e.title,
            "kind": e.kind,
            "id": e.id,
            "label": labels.get(&e.kind).unwrap_or(&e.kind),
        })
    }
}

fn entity(kind: &str, id: &str, title: &str, url: String, names: Vec<String>) -> Entity {
    Entity {
        kind: kind.to_string(),
        id: id.to_string(),
        title: title.to_string(),
        url,
        names,
    }
}

/// The Spanish terms of each name, stop words dropped.
fn name_terms(es: &mut TextAnalyzer, names: &[String]) -> Vec<BTreeSet<String>> {
    names
        .iter()
        .map(|n| terms(es, n).into_iter().collect::<BTreeSet<_>>())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The terms of a query for entity matching: one set per word, the words
/// `text_query` skips (stop words in either language) left out. `None`
/// when no word is left.
fn query_terms(text: &str) -> Option<Vec<BTreeSet<String>>> {
    let mut es = analysis::spanish();
    let mut en = analysis::english();
    let mut out = Vec::new();
    for word in super::analysis::words(text) {
        let t = terms(&mut es, &word);
        if t.is_empty() || terms(&mut en, &word).is_empty() {
            continue;
        }
        out.push(t.into_iter().collect());
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a query (terms per word) names an entity with these name terms.
fn judge<'a>(
    entity: &'a Entity,
    query: &[BTreeSet<String>],
    names: &[BTreeSet<String>],
) -> Option<Named<'a>> {
    let all: BTreeSet<&String> = names.iter().flatten().collect();
    if !query.iter().all(|w| w.iter().all(|t| all.contains(t))) {
        return None;
    }
    let q: BTreeSet<&String> = query.iter().flatten().collect();
    let exact = names.iter().any(|n| n.iter().collect::<BTreeSet<_>>() == q);
    let covered = names
        .iter()
        .map(|n| (n.iter().filter(|t| q.contains(t)).count(), n.len()))
        .max_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)))?;
    (exact || covered.0 * 3 >= covered.1).then_some(Named {
        entity,
        exact,
        covered,
    })
}

/// Exact names first, then the larger share of a name, then site order
/// (partners, outcomes, topics).
fn rank(found: &mut [(usize, Named)]) {
    found.sort_by(|(i, a), (j, b)| {
        b.exact
            .cmp(&a.exact)
            .then((b.covered.0 * a.covered.1).cmp(&(a.covered.0 * b.covered.1)))
            .then(i.cmp(j))
    });
}

/// The browser's entity files, under `dir`: for each vocabulary shard with
/// words that can name an entity, `e/<xy>.json` holding those words with
/// their Spanish terms (`w`, stop words with none) and the entities they
/// can name (`n`: kind, title, URL, terms of each name). `surfaces` are
/// the site's folded words with their Spanish terms, so an inflection found
/// in the text ("políticas") names what its stem names. Returns the files
/// and the names of their shards.
pub fn browser_files(
    entities: &Entities,
    surfaces: &BTreeMap<String, Vec<String>>,
    dir: &str,
) -> (Vec<OutputFile>, Vec<String>) {
    let mut es = analysis::spanish();
    let mut en = analysis::english();
    let named: Vec<Vec<BTreeSet<String>>> = entities
        .list
        .iter()
        .map(|e| name_terms(&mut es, &e.names))
        .collect();
    // Which entities hold each term.
    let mut holders: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (i, names) in named.iter().enumerate() {
        for t in names.iter().flatten() {
            holders.entry(t.as_str()).or_default().insert(i);
        }
    }
    // The entities' own words, folded, join the site's words; their stop
    // words are kept with no terms, so the browser skips them as `ayni
    // search` does even where no product has them.
    let mut words: BTreeMap<String, Vec<String>> = surfaces.clone();
    for e in &entities.list {
        for name in &e.names {
            for w in super::analysis::words(name) {
                let surface = analysis::fold(&w.to_lowercase());
                let stop = terms(&mut en, &w).is_empty();
                let t = if stop { Vec::new() } else { terms(&mut es, &w) };
                words.entry(surface).or_insert(t);
            }
        }
    }
    type EntityShard = (BTreeMap<String, Vec<String>>, BTreeSet<usize>);
    let mut shards: BTreeMap<String, EntityShard> = BTreeMap::new();
    for (surface, ts) in words {
        let shard = super::analysis::shard_of(&surface);
        if ts.is_empty() {
            shards.entry(shard).or_default().0.insert(surface, ts);
            continue;
        }
        // Entities holding every term of the word.
        let mut hit: Option<BTreeSet<usize>> = None;
        for t in &ts {
            let h = holders.get(t.as_str()).cloned().unwrap_or_default();
            hit = Some(match hit {
                None => h,
                Some(prev) => prev.intersection(&h).copied().collect(),
            });
        }
        let hit = hit.unwrap_or_default();
        if hit.is_empty() {
            continue;
        }
        let entry = shards.entry(shard).or_default();
        entry.0.insert(surface, ts);
        entry.1.extend(hit);
    }
    let mut files = Vec::new();
    let mut names = Vec::new();
    for (shard, (w, hit)) in shards {
        let n: serde_json::Map<String, serde_json::Value> = hit
            .iter()
            .map(|&i| {
                let e = &entities.list[i];
                (i.to_string(), json!([e.kind, e.title, e.url, named[i]]))
            })
            .collect();
        files.push(OutputFile::text(
            format!("{dir}e/{shard}.json"),
            serde_json::to_string(&json!({"w": w, "n": n})).unwrap_or_default(),
        ));
        names.push(shard);
    }
    (files, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entities {
        let e = |kind: &str, id: &str, names: &[&str]| {
            entity(
                kind,
                id,
                names[0],
                format!("/{kind}/{id}/"),
                names.iter().map(|s| s.to_string()).collect(),
            )
        };
        Entities {
            labels: BTreeMap::new(),
            list: vec![
                e(
                    "partner",
                    "cedep",
                    &[
                        "Centro de Estudios para el Desarrollo y la Participación",
                        "cedep",
                        "CEDEP",
                    ],
                ),
                e("partner", "oxfam", &["Oxfam", "oxfam"]),
                e(
                    "outcome",
                    "ley-29337",
                    &[
                        "Ley N.° 29337, Ley de PROCOMPITE",
                        "ley-29337",
                        "Ley N.° 29337",
                    ],
                ),
                e("topic", "incidencia-politica", &["Incidencia política"]),
                e("outcome", "ley-1", &["Ley de cooperativas"]),
            ],
        }
    }

    fn ids(e: &Entities, q: &str) -> Vec<String> {
        e.find(q).iter().map(|n| n.entity.id.clone()).collect()
    }

    #[test]
    fn names_short_names_ids_and_numbers_name_their_entity() {
        let e = sample();
        assert_eq!(ids(&e, "Oxfam"), ["oxfam"]);
        assert_eq!(ids(&e, "cedep"), ["cedep"]);
        assert_eq!(ids(&e, "29337"), ["ley-29337"]);
        assert_eq!(ids(&e, "ley 29337"), ["ley-29337"]);
        assert_eq!(ids(&e, "incidencia politica"), ["incidencia-politica"]);
        assert_eq!(ids(&e, "políticas"), ["incidencia-politica"]);
        assert!(e.find("oxfam").iter().all(|n| n.exact));
    }

    #[test]
    fn a_word_outside_every_name_or_a_small_share_of_a_long_one_names_nothing() {
        let e = sample();
        assert!(ids(&e, "riego").is_empty());
        assert!(ids(&e, "oxfam riego").is_empty());
        assert!(
            ids(&e, "desarrollo").is_empty(),
            "a quarter of CEDEP's name"
        );
        assert!(ids(&e, "de la").is_empty(), "stop words alone");
        assert!(ids(&e, "").is_empty());
    }

    #[test]
    fn exact_names_rank_first_and_results_are_capped() {
        let e = sample();
        // "ley" is half of both ids ("ley-29337", "ley-1"): site order.
        assert_eq!(ids(&e, "ley"), ["ley-29337", "ley-1"]);
        // An exact name before a larger share of another.
        assert_eq!(ids(&e, "ley 29337"), ["ley-29337"]);
        assert_eq!(ids(&e, "ley cooperativas"), ["ley-1"]);
        let mut many = sample();
        for i in 0..5 {
            many.list.push(entity(
                "topic",
                &format!("t{i}"),
                "Ley",
                String::new(),
                vec!["Ley".into()],
            ));
        }
        let found = many.find("ley");
        assert_eq!(found.len(), MAX_ENTITIES);
        assert!(found.iter().all(|n| n.exact));
    }

    #[test]
    fn browser_files_list_words_that_name_entities() {
        let e = sample();
        let mut surfaces = BTreeMap::new();
        surfaces.insert("politicas".to_string(), vec!["polit".to_string()]);
        surfaces.insert("riego".to_string(), vec!["rieg".to_string()]);
        let (files, shards) = browser_files(&e, &surfaces, "search/");
        assert!(shards.contains(&"po".to_string()));
        assert!(!shards.contains(&"ri".to_string()), "no entity has riego");
        let po = files.iter().find(|f| f.path == "search/e/po.json").unwrap();
        let crate::build::write::Content::Bytes(bytes) = &po.content else {
            panic!("a text file")
        };
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(v["w"]["politicas"], json!(["polit"]));
        assert_eq!(v["n"]["3"][0], "topic");
    }
}
