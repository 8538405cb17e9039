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
    let mut cli = ayni::cli::Cli::command();
    // Built, the subcommands have the options of every command (`--lang`).
    cli.build();
    cli.get_subcommands()
        .filter(|sub| sub.get_name() != "help")
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
    let globals: BTreeSet<String> = ayni::cli::Cli::command()
        .get_arguments()
        .filter(|a| a.is_global_set())
        .filter_map(|a| a.get_long().map(String::from))
        .collect();
    for (sub, flags) in &parser {
        if !seen.contains(&(sub.clone(), String::new())) {
            problems.push(format!("the command `ayni {sub}` is in no document"));
        }
        for flag in flags.keys() {
            // An option of every command is documented once for all.
            let global = globals.contains(flag) && seen.iter().any(|(_, f)| f == flag);
            if flag != "help" && !global && !seen.contains(&(sub.clone(), flag.clone())) {
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

/// The lines of the blocks fenced as `ayni-check`: output of the tool that
/// a guide quotes.
fn quoted_output(text: &str) -> Vec<Vec<&str>> {
    let mut blocks = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut block, line.trim()) {
            (None, "```ayni-check") => block = Some(Vec::new()),
            (Some(_), "```") => blocks.extend(block.take()),
            (Some(b), _) => b.push(line),
            (None, _) => {}
        }
    }
    blocks
}

/// The messages of quoted output that are not in the catalogue of `lang`:
/// every title (`error[code]: ...`), label (after the carets) and help line
/// must be a message the tool prints, word for word.
fn unsaid(block: &[&str], lang: ayni::messages::Lang) -> (usize, Vec<String>) {
    let words = ayni::messages::Catalogue::get(lang);
    let level = |name: &str| words.template(&format!("levels.{name}"));
    let mut messages = Vec::new();
    for line in block {
        for name in ["error", "warning"] {
            let title = line
                .strip_prefix(&format!("{}[", level(name)))
                .and_then(|rest| rest.split_once("]: "));
            if let Some((_, message)) = title {
                messages.push(message.to_string());
            }
        }
        if let Some(help) = line.strip_prefix(&format!("{}: ", level("help"))) {
            // A suggestion comes first, then the advice.
            match help.split_once("? ") {
                Some((guess, advice)) if words.says(&format!("{guess}?")) => {
                    messages.push(format!("{guess}?"));
                    messages.push(advice.to_string());
                }
                _ => messages.push(help.to_string()),
            }
        }
        if let Some((_, label)) = line.trim_start_matches([' ', '|']).split_once("^ ") {
            messages.push(label.to_string());
        }
    }
    let wrong = messages
        .iter()
        .filter(|m| !words.says(m))
        .cloned()
        .collect();
    (messages.len(), wrong)
}

#[test]
fn guide_quotes_only_messages_the_tool_prints() {
    use ayni::messages::Lang;
    let guides = [
        ("docs/guide.md", Lang::En),
        ("scaffold/guide.en.md", Lang::En),
        ("scaffold/guide.es.md", Lang::Es),
        ("content/pages/how-to-publish.md", Lang::En),
        ("content/pages/como-publicar.md", Lang::Es),
    ];
    let mut problems = Vec::new();
    for (file, lang) in guides {
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        let blocks = quoted_output(&text);
        assert!(!blocks.is_empty(), "{file} quotes no output of ayni");
        for block in blocks {
            let (found, wrong) = unsaid(&block, lang);
            assert!(
                found >= 3,
                "{file}: a quoted block with no message:\n{block:#?}"
            );
            problems.extend(wrong.into_iter().map(|m| format!("{file}: `{m}`")));
        }
    }
    assert!(
        problems.is_empty(),
        "quoted messages the tool does not print:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_message_the_tool_does_not_print_is_caught() {
    use ayni::messages::Lang;
    let english = "error[unknown-partner]: unknown partner `care-peu`\n  |     ^^^^^^^^ expected an id from content/partners/\nhelp: did you mean `care-peru`? each partner is a file content/partners/<id>.md";
    let lines: Vec<&str> = english.lines().collect();
    assert_eq!(unsaid(&lines, Lang::En), (4, Vec::new()));
    // English quoted in a Spanish guide: the title and the label are
    // caught (`help:` is not even read as a help line in Spanish).
    assert_eq!(
        unsaid(&lines, Lang::Es).1,
        [
            "unknown partner `care-peu`",
            "expected an id from content/partners/"
        ]
    );
    // A message reworded by hand.
    let spanish = ["ayuda: revise el id del socio"];
    assert_eq!(unsaid(&spanish, Lang::Es).1, ["revise el id del socio"]);
}
