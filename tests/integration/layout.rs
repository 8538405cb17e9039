//! The shape of the source itself, read with `syn`: functions short enough
//! to read at once, one meaning per type name across the crate, and modules
//! that depend on each other in one direction only, so the folders can be
//! read in the order the data flows (see docs/architecture.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// The longest function body outside tests, in lines from `fn` to its
/// closing brace.
const MAX_FN_LINES: usize = 80;

struct Module {
    /// The module's path inside the crate, as `content::load`.
    name: String,
    file: PathBuf,
    syntax: syn::File,
}

fn modules() -> Vec<Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .filter_map(|file| {
            let name = module_name(&file.strip_prefix(&src).unwrap().with_extension(""))?;
            let text = std::fs::read_to_string(&file).unwrap();
            let syntax =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            Some(Module { name, file, syntax })
        })
        .collect()
}

/// `content/load` is `content::load`, `render/mod` is `render`; the crate
/// root and the binary are not modules of their own here.
fn module_name(rel: &Path) -> Option<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [one] if one == "lib" || one == "main" => None,
        _ => Some(parts.join("::")),
    }
}

/// `#[cfg(test)]`, or `#[cfg(all(test, ...))]`: code compiled for tests only.
fn is_test_module(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && match a.parse_args::<syn::Meta>() {
                Ok(syn::Meta::Path(p)) => p.is_ident("test"),
                Ok(syn::Meta::List(list)) => {
                    list.path.is_ident("all")
                        && list
                            .tokens
                            .to_string()
                            .split(|c: char| !c.is_alphanumeric() && c != '_')
                            .any(|w| w == "test")
                }
                _ => false,
            }
    })
}

/// Everything one file says about itself: its long functions, the types it
/// declares and the modules of the crate it names.
#[derive(Default)]
struct Survey {
    long: Vec<(String, usize, usize)>,
    types: Vec<String>,
    paths: Vec<Vec<String>>,
}

impl Survey {
    fn function(&mut self, name: &syn::Ident, block: &syn::Block) {
        let start = name.span().start().line;
        let end = block.brace_token.span.close().start().line;
        let lines = end + 1 - start;
        if lines > MAX_FN_LINES {
            self.long.push((name.to_string(), start, lines));
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.path(prefix, Some(n.ident.to_string())),
            syn::UseTree::Rename(r) => self.path(prefix, Some(r.ident.to_string())),
            syn::UseTree::Glob(_) => self.path(prefix, None),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(prefix, t)),
        }
    }

    fn path(&mut self, prefix: &[String], last: Option<String>) {
        let mut segments = prefix.to_vec();
        segments.extend(last);
        if matches!(
            segments.first().map(String::as_str),
            Some("crate" | "super")
        ) {
            self.paths.push(segments);
        }
    }
}

impl<'ast> Visit<'ast> for Survey {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_module(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.function(&f.sig.ident, &f.block);
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.function(&f.sig.ident, &f.block);
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        self.types.push(s.ident.to_string());
    }
    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        self.types.push(e.ident.to_string());
    }
    fn visit_item_trait(&mut self, t: &'ast syn::ItemTrait) {
        self.types.push(t.ident.to_string());
        syn::visit::visit_item_trait(self, t);
    }
    fn visit_item_type(&mut self, t: &'ast syn::ItemType) {
        self.types.push(t.ident.to_string());
    }
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }
    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.path(&segments, None);
        syn::visit::visit_path(self, p);
    }
}

fn surveys() -> Vec<(Module, Survey)> {
    modules()
        .into_iter()
        .map(|m| {
            let mut survey = Survey::default();
            survey.visit_file(&m.syntax);
            (m, survey)
        })
        .collect()
}

#[test]
fn functions_fit_on_a_screen() {
    let mut long = Vec::new();
    for (m, survey) in surveys() {
        for (name, line, lines) in survey.long {
            if lines > MAX_FN_LINES {
                long.push(format!(
                    "{}:{line}: `{name}` has {lines} lines",
                    m.file.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn each_type_name_means_one_thing() {
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (m, survey) in surveys() {
        for name in survey.types {
            owners.entry(name).or_default().push(m.name.clone());
        }
    }
    let twice: Vec<String> = owners
        .into_iter()
        .filter(|(_, mods)| mods.len() > 1)
        .map(|(name, mods)| format!("{name}: {}", mods.join(", ")))
        .collect();
    assert!(
        twice.is_empty(),
        "type names declared more than once:\n{}",
        twice.join("\n")
    );
}

/// The deepest module of the crate that `segments` (after `crate`) names.
fn resolve(known: &BTreeSet<String>, segments: &[String]) -> Option<String> {
    (1..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .find(|candidate| known.contains(candidate))
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let all = surveys();
    let known: BTreeSet<String> = all.iter().map(|(m, _)| m.name.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, survey) in &all {
        let here: Vec<String> = m.name.split("::").map(String::from).collect();
        let targets = graph.entry(m.name.clone()).or_default();
        for path in &survey.paths {
            let absolute: Vec<String> = match path[0].as_str() {
                "crate" => path[1..].to_vec(),
                // `super` in a file module is its parent's scope.
                _ => here[..here.len() - 1]
                    .iter()
                    .chain(&path[1..])
                    .cloned()
                    .collect(),
            };
            if let Some(target) = resolve(&known, &absolute) {
                // A module naming its own submodule or parent is not a
                // dependency between two modules.
                let related = target.starts_with(&format!("{}::", m.name))
                    || m.name.starts_with(&format!("{target}::"));
                if target != m.name && !related {
                    targets.insert(target);
                }
            }
        }
    }
    graph
}

/// One cycle of `graph`, if it has any, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, BTreeSet<String>>,
        node: &str,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if !done.insert(node.to_string()) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(graph, node, &mut done, &mut Vec::new()))
}

#[test]
fn modules_depend_in_one_direction() {
    let graph = module_graph();
    assert!(graph.contains_key("content::load") && graph["render"].contains("model"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("modules that import each other: {}", cycle.join(" -> "));
    }
}

#[test]
fn a_cycle_is_found() {
    let edge = |a: &str, b: &str| (a.to_string(), BTreeSet::from([b.to_string()]));
    let graph = BTreeMap::from([edge("a", "b"), edge("b", "c"), edge("c", "a")]);
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
    let chain = BTreeMap::from([edge("a", "b"), edge("b", "c")]);
    assert_eq!(find_cycle(&chain), None);
}
