//! The documentation against the real argument parser: every `ayni`
//! command line or synopsis in the README and `docs/` names a command,
//! flags and values that exist, and every command and flag the parser
//! has is documented somewhere.

use std::collections::{BTreeMap, BTreeSet};

use clap::CommandFactory;

use crate::scaffold::words;
use crate::util::repo_root;

/// The README and every Markdown file under `docs/`, as (name, text).
fn documents() -> Vec<(String, String)> {
    let mut docs = vec![("README.md".to_string(), repo_root().join("README.md"))];
    for entry in std::fs::read_dir(repo_root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let name = format!("docs/{}", path.file_name().unwrap().to_string_lossy());
            docs.push((name, path));
        }
    }
    docs.into_iter()
        .map(|(n, p)| (n, std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// Every `ayni …` command in a text: lines of code blocks and inline code
/// spans that start with `ayni `, cut at a comment or a shell operator.
fn commands(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let spans: Vec<&str> = if in_block {
            vec![line.trim()]
        } else {
            line.split('`').skip(1).step_by(2).collect()
        };
        for span in spans {
            let span = span.split(" #").next().unwrap_or("");
            for part in span.split("&&").flat_map(|p| p.split("||")) {
                let part = part.trim().trim_start_matches("| ").trim();
                if part.starts_with("ayni ") {
                    found.push(part.to_string());
                }
            }
        }
    }
    found
}

/// The flags of each subcommand, and the values of those that take a
/// fixed set.
fn parser() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let cli = ayni::cli::Cli::command();
    cli.get_subcommands()
        .map(|sub| {
            let flags = sub
                .get_arguments()
                .filter_map(|a| {
                    let values = a
                        .get_possible_values()
                        .iter()
                        .map(|v| v.get_name().to_string())
                        .collect();
                    Some((a.get_long()?.to_string(), values))
                })
                .collect();
            (sub.get_name().to_string(), flags)
        })
        .collect()
}

/// The problems of one documented command, checked against `flags`.
fn problems_of(
    cmd: &str,
    parser: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
    seen: &mut BTreeSet<(String, String)>,
) -> Vec<String> {
    // A table cell escapes its pipes.
    let tokens: Vec<String> = words(&cmd.replace("\\|", "|"))
        .into_iter()
        .map(|t| t.trim_matches(|c| c == '[' || c == ']').replace("...", ""))
        .filter(|t| !t.is_empty() && t != "|")
        .collect();
    let Some(sub) = tokens.get(1) else {
        return vec![format!("`{cmd}` names no command")];
    };
    let Some(flags) = parser.get(sub.as_str()) else {
        return vec![format!("`{cmd}`: there is no command `{sub}`")];
    };
    seen.insert((sub.clone(), String::new()));
    let mut problems = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Some(flag) = token.strip_prefix("--") else {
            continue;
        };
        let flag = flag.split('=').next().unwrap_or(flag);
        match flags.get(flag) {
            None => problems.push(format!("`{cmd}`: `{sub}` has no flag `--{flag}`")),
            Some(values) => {
                seen.insert((sub.clone(), flag.to_string()));
                let given = tokens.get(i + 1).map(String::as_str).unwrap_or("");
                let placeholder = given.chars().all(|c| !c.is_lowercase());
                if values.is_empty() || given.starts_with("--") || placeholder {
                    continue;
                }
                for v in given.split('|') {
                    if !values.iter().any(|known| known == v) {
                        problems.push(format!("`{cmd}`: `--{flag}` takes no value `{v}`"));
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn every_documented_command_and_flag_exists_and_every_flag_is_documented() {
    let parser = parser();
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    let mut count = 0;
    for (name, text) in documents() {
        for cmd in commands(&text) {
            count += 1;
            for p in problems_of(&cmd, &parser, &mut seen) {
                problems.push(format!("{name}: {p}"));
            }
        }
    }
    assert!(count > 30, "only {count} commands found in the docs");
    for (sub, flags) in &parser {
        if !seen.contains(&(sub.clone(), String::new())) {
            problems.push(format!("the command `ayni {sub}` is in no document"));
        }
        for flag in flags.keys() {
            if flag != "help" && !seen.contains(&(sub.clone(), flag.clone())) {
                problems.push(format!("`ayni {sub} --{flag}` is in no document"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_wrong_flag_or_value_in_the_docs_is_caught() {
    let parser = parser();
    let mut seen = BTreeSet::new();
    let bad = [
        "ayni build --outdir x",
        "ayni check --format gitlab",
        "ayni publish",
    ];
    for cmd in bad {
        assert!(
            !problems_of(cmd, &parser, &mut seen).is_empty(),
            "`{cmd}` passed"
        );
    }
    let good = "ayni check [--root DIR] [--format text|json|github] [--drafts]";
    assert_eq!(problems_of(good, &parser, &mut seen), Vec::<String>::new());
}
