//! History: when each content file last changed and who changed it, read
//! from the site's git repository with one `git log` over the whole
//! `content/` folder. A site outside git, or a machine without git, simply
//! has no history; the build does not depend on it.
//!
//! Decisions, so that identical inputs give identical output:
//! - The date is the author date of the newest commit that touched the
//!   file (author dates survive rebases; committer dates do not).
//! - A file that is new and not yet committed has no date: file times
//!   change with every checkout, so they would make builds differ.
//! - A rename that keeps the content (similarity 100%) is not a change;
//!   the file's history continues under its old name. An edited move is.
//!
//! It also owns the other questions put to git: the commit the site is at
//! ([`git_head`]), and whether that moved, told without running git
//! ([`head_state`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The last change of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Author date as git prints it in strict ISO 8601, with the author's
    /// offset: `2026-03-03T10:00:00+01:00`.
    pub datetime: String,
    pub author: String,
}

impl Change {
    /// The calendar date of the change, in the author's time zone.
    pub fn date(&self) -> Option<crate::model::date::PartialDate> {
        crate::model::date::PartialDate::parse(self.datetime.get(..10)?).ok()
    }
}

/// Last changes by path relative to `content/`.
#[derive(Debug, Clone, Default)]
pub struct History {
    changes: HashMap<String, Change>,
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("git log failed: {0}")]
    Git(String),
    #[error("unexpected line in git log output: `{0}`")]
    Parse(String),
}

const COMMIT: char = '\x1e';
const FIELD: char = '\x1f';

impl History {
    /// The history of `root/content/`. No repository or no git binary is
    /// an empty history, not an error; errors are for a git that runs and
    /// fails or prints what we cannot read.
    pub fn read(root: &Path) -> Result<History, HistoryError> {
        Self::read_with(root, "git".as_ref())
    }

    /// [`History::read`] with a given git program.
    pub fn read_with(root: &Path, git: &std::ffi::OsStr) -> Result<History, HistoryError> {
        let output = git_in(git, root)
            .args([
                "-c",
                "core.quotePath=false",
                "-c",
                "log.showSignature=false",
                "log",
                "--format=%x1e%aI%x1f%an",
                "--name-status",
                "-M",
                "--no-merges",
                "--no-color",
                "--relative",
                "--",
                "content",
            ])
            .output();
        let output = match output {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
            Err(e) => return Err(HistoryError::Spawn(e)),
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            // Not a repository, or one without commits yet.
            if stderr.contains("not a git repository")
                || stderr.contains("does not have any commits")
                || stderr.contains("bad default revision")
            {
                return Ok(History::default());
            }
            return Err(HistoryError::Git(stderr.trim().to_string()));
        }
        Self::parse(&String::from_utf8_lossy(&output.stdout))
    }

    /// Reads `git log --format=%x1e%aI%x1f%an --name-status -M` output,
    /// newest commit first.
    pub fn parse(log: &str) -> Result<History, HistoryError> {
        let mut changes: HashMap<String, Change> = HashMap::new();
        // Older names of files, mapped to the name they have now.
        let mut renamed: HashMap<String, String> = HashMap::new();
        let mut current: Option<Change> = None;
        for line in log.lines() {
            if let Some(head) = line.strip_prefix(COMMIT) {
                let (datetime, author) = head
                    .split_once(FIELD)
                    .ok_or_else(|| HistoryError::Parse(line.to_string()))?;
                current = Some(Change {
                    datetime: datetime.to_string(),
                    author: author.to_string(),
                });
                continue;
            }
            if line.is_empty() {
                continue;
            }
            let change = current
                .as_ref()
                .ok_or_else(|| HistoryError::Parse(line.to_string()))?;
            let mut parts = line.split('\t');
            let status = parts.next().unwrap_or("");
            let now = |path: &str, renamed: &HashMap<String, String>| {
                renamed
                    .get(path)
                    .cloned()
                    .unwrap_or_else(|| path.to_string())
            };
            match status.chars().next() {
                Some('R') => {
                    let (Some(old), Some(new)) = (parts.next(), parts.next()) else {
                        return Err(HistoryError::Parse(line.to_string()));
                    };
                    let name = now(new, &renamed);
                    if status != "R100" {
                        changes
                            .entry(name.clone())
                            .or_insert_with(|| change.clone());
                    }
                    renamed.insert(old.to_string(), name);
                }
                Some('A' | 'M' | 'T' | 'C') => {
                    // A copy's last field is the new file.
                    let Some(path) = parts.next_back() else {
                        return Err(HistoryError::Parse(line.to_string()));
                    };
                    let name = now(path, &renamed);
                    changes.entry(name).or_insert_with(|| change.clone());
                }
                // Deleted files, and anything git adds later, date nothing.
                _ => {}
            }
        }
        let changes = changes
            .into_iter()
            .filter_map(|(path, c)| {
                path.strip_prefix("content/")
                    .map(|rel| (rel.to_string(), c))
            })
            .collect();
        Ok(History { changes })
    }

    /// The last change of a file, by its path relative to `content/`.
    pub fn get(&self, rel: &str) -> Option<&Change> {
        self.changes.get(rel)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// `git` run on the repository `root` is in: the site's own folder
/// decides which repository this is, not one the caller happens to be
/// working in.
fn git_in(program: &std::ffi::OsStr, root: &Path) -> Command {
    let mut git = Command::new(program);
    git.arg("-C")
        .arg(root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    git
}

/// What the repository's HEAD points at, read from the files git keeps it
/// in (`HEAD`, the ref it names, `packed-refs`) without running git: a
/// commit, checkout or reset changes it. `None` when it cannot be told
/// this way; "no repository" when the site is in none.
pub(crate) fn head_state(root: &Path) -> Option<String> {
    let root = std::path::absolute(root).ok()?;
    let Some(dot_git) = root
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|g| g.exists())
    else {
        return Some("no repository".into());
    };
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        // A linked worktree or submodule: `.git` names the real folder.
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let target = PathBuf::from(text.strip_prefix("gitdir:")?.trim());
        dot_git.parent()?.join(target)
    };
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(c) => git_dir.join(c.trim()),
        Err(_) => git_dir.clone(),
    };
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let mut state = head.clone();
    if let Some(name) = head.strip_prefix("ref:") {
        let name = name.trim();
        for dir in [&git_dir, &common] {
            state.push('\0');
            state.push_str(&std::fs::read_to_string(dir.join(name)).unwrap_or_default());
        }
        state.push('\0');
        state.push_str(&std::fs::read_to_string(common.join("packed-refs")).unwrap_or_default());
    }
    Some(state)
}

/// [`git_head`], asking git only when [`head_state`] changed since the
/// answer in `cache`.
pub(crate) fn git_head_cached(
    root: &Path,
    cache: &mut Option<(Option<String>, Option<String>)>,
) -> Option<String> {
    let state = head_state(root);
    if let Some((seen, head)) = cache
        && state.is_some()
        && *seen == state
    {
        return head.clone();
    }
    let head = git_head(root);
    *cache = Some((state, head.clone()));
    head
}

/// The commit the site's repository is at, if it is in one.
pub(crate) fn git_head(root: &Path) -> Option<String> {
    let out = git_in("git".as_ref(), root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_git_program_there_is_no_history_and_no_error() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("content")).unwrap();
        std::fs::create_dir_all(site.path().join(".git")).unwrap();
        let history = History::read_with(site.path(), "/nonexistent/git".as_ref());
        assert!(history.unwrap().is_empty());
    }

    #[test]
    fn newest_commit_wins_and_pure_renames_keep_history() {
        let log = "\x1e2026-05-01T09:00:00+02:00\x1fB\n\nR100\tcontent/a/old.md\tcontent/a/new.md\n\
                   \x1e2026-03-03T10:00:00-05:00\x1fRosa Quispe\n\nM\tcontent/a/old.md\nA\tcontent/b.md\n\
                   \x1e2026-01-01T00:00:00+00:00\x1fC\n\nA\tcontent/a/old.md\nD\tcontent/gone.md\n";
        let h = History::parse(log).unwrap();
        let c = h.get("a/new.md").unwrap();
        assert_eq!(c.author, "Rosa Quispe");
        assert_eq!(c.datetime, "2026-03-03T10:00:00-05:00");
        assert_eq!(c.date().unwrap().display("es"), "3 de marzo de 2026");
        assert_eq!(h.get("b.md").unwrap().author, "Rosa Quispe");
        assert!(h.get("a/old.md").is_none(), "old names are not pages");
        assert!(h.get("gone.md").is_none());
    }

    #[test]
    fn edited_move_is_a_change() {
        let log = "\x1e2026-05-01T09:00:00+02:00\x1fB\n\nR087\tcontent/x.md\tcontent/y.md\n\
                   \x1e2026-01-01T00:00:00+00:00\x1fC\n\nA\tcontent/x.md\n";
        let h = History::parse(log).unwrap();
        assert_eq!(h.get("y.md").unwrap().author, "B");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(History::parse("M\tcontent/x.md\n").is_err());
        assert!(History::parse("\x1eno-separator\n").is_err());
        assert!(History::parse("").unwrap().is_empty());
    }

    #[test]
    fn outside_git_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(History::read(dir.path()).unwrap().is_empty());
    }
}
