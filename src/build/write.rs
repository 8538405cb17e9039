//! Write: puts a complete output tree in place atomically. Files are written
//! into a fresh folder beside the output, and only when every file is there
//! does that folder replace the old output; a failure at any point leaves
//! the previous site untouched and removes the partial one. A build killed
//! in the middle of the swap leaves the old site beside the output, and the
//! next build puts it back before it removes anything.
//!
//! Every output carries [`MARKER`], so that a later build knows the folder
//! is ayni's to replace (see [`crate::build::output`]).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;

/// The bytes of an output file, or where to copy them from.
#[derive(Debug, Clone)]
pub enum Content {
    /// Bytes made by the build.
    Bytes(Vec<u8>),
    /// A file to copy as is.
    File(PathBuf),
    /// A file built into the tool (the default theme's CSS and scripts).
    Static(&'static str),
}

/// A file of the site to write, at its path in the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// What the file holds.
    pub content: Content,
}

impl OutputFile {
    /// A file made of `text`.
    pub fn text(path: String, text: String) -> OutputFile {
        OutputFile {
            path,
            content: Content::Bytes(text.into_bytes()),
        }
    }
}

/// Refuses output paths that would escape the output folder.
fn safe_rel(rel: &str) -> Option<PathBuf> {
    let mut p = PathBuf::new();
    for part in rel.split('/') {
        match part {
            "" | "." => continue,
            ".." => return None,
            s if s.contains('\\') || s.contains(':') => return None,
            s => p.push(s),
        }
    }
    (!p.as_os_str().is_empty()).then_some(p)
}

/// A hidden working folder in `parent` whose name starts with `prefix` and
/// this process's id. Folders of the same prefix left by a process that no
/// longer runs (a build killed halfway) are removed first: nothing else
/// would ever remove them, and a large site's can be gigabytes.
pub fn work_dir(parent: &Path, prefix: &str) -> std::io::Result<tempfile::TempDir> {
    remove_leftovers(parent, prefix);
    tempfile::Builder::new()
        .prefix(&format!("{prefix}{}-", std::process::id()))
        .tempdir_in(parent)
}

/// Removes the folders in `parent` named `<prefix><pid>-…` whose process is
/// gone; see [`work_dir`].
fn remove_leftovers(parent: &Path, prefix: &str) {
    for dir in leftovers(parent, prefix) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The folders in `parent` named `<prefix><pid>-…` whose process is gone.
fn leftovers(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            name.to_str()
                .and_then(|n| n.strip_prefix(prefix))
                .and_then(|rest| rest.split('-').next())
                .and_then(|p| p.parse::<u32>().ok())
                .is_some_and(|pid| pid != std::process::id() && !alive(pid))
        })
        .map(|entry| entry.path())
        .collect()
}

/// Puts back the site a build killed halfway through the swap had moved
/// aside (`.<name>.old-<pid>-…/site`), when nothing is at `out`: it must be
/// back before `remove_leftovers` removes its folder. Of several, the
/// latest moved aside is the last complete site.
pub fn recover(out: &Path) -> Result<(), Error> {
    if std::fs::symlink_metadata(out).is_ok() {
        return Ok(());
    }
    let (parent, name) = parent_and_name(out);
    let latest = leftovers(&parent, &format!(".{name}.old-"))
        .into_iter()
        .map(|d| d.join("site"))
        .filter(|site| site.is_dir())
        .max_by_key(|site| {
            std::fs::symlink_metadata(site)
                .and_then(|m| m.modified())
                .ok()
        });
    match latest {
        Some(site) => std::fs::rename(&site, out).map_err(|e| Error::io(out, e)),
        None => Ok(()),
    }
}

/// The folder an output lives in (made if missing) and the output's name.
fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    (parent, name)
}

/// The file at the root of every output that marks the folder as ayni's
/// (see [`crate::build::output`]). Hidden, so the build cache does not count it.
pub const MARKER: &str = ".ayni-output";

/// What [`MARKER`] says to someone who finds it.
const MARKER_TEXT: &str =
    "This folder is the output of `ayni build`: the next build replaces it whole.\n";

/// The build that wrote the output at `out`, known by its marker's file
/// (its inode and modification time, which the swap's renames keep): the
/// search index records it, so that the two are known to match. Not in
/// the marker's bytes, so that two builds of a site stay byte for byte
/// the same.
pub fn build_id(out: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(out.join(MARKER)).ok()?;
    let time = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    #[cfg(unix)]
    let file = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let file = 0;
    Some(format!("{file}-{time}"))
}

/// Aborts the process at `step` when `AYNI_FAULT` names it (`swap:<step>`):
/// tests kill a build at each step of the swap and check that the site
/// survives. Unset, it costs one look-up of the environment per step.
pub fn fault(step: &str) {
    if std::env::var("AYNI_FAULT").is_ok_and(|f| f == step) {
        std::process::abort();
    }
}

/// Whether process `pid` runs. Where that cannot be told (no `/proc`), it
/// is taken to run, so that nothing is removed on a guess.
fn alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Writes `files` into `out`, replacing its previous contents only when the
/// whole new tree has been written.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> Result<(), Error> {
    let staging = Staging::new(out)?;
    staging.put_all(files)?;
    staging.finish().map(drop)
}

/// An output tree being written: files go into a fresh folder beside the
/// output as soon as they are made, so a large site need not sit in memory
/// whole; [`Staging::finish`] swaps the folder in. Dropped unfinished (a
/// failed build), the folder is removed and the old output stays as it was.
///
/// Made with [`Staging::update`], it holds only the files whose bytes
/// differ from the previous build's, and [`Staging::finish`] moves those
/// into the output and removes the files no longer made: a rebuild where
/// one product changed writes a few files, not the whole site.
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: tempfile::TempDir,
    /// This build's name in [`MARKER`] (see [`build_id`]).
    id: String,
    /// Folders already made, so each costs one system call in all.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Every file of the new output by path, as written or kept: the build
    /// cache's fingerprint of the output without walking it again, and the
    /// next rebuild's record.
    present: std::sync::Mutex<std::collections::HashMap<String, Written>>,
    /// In an update, the files of the output being updated; `None` when the
    /// whole tree is written.
    previous: Option<std::collections::HashMap<String, Written>>,
    /// In an update, the paths written to the folder (not kept as they
    /// were).
    staged: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// A file of an output as its build left it: a fingerprint of its bytes
/// (see [`fingerprint`]), its size, and its modification time as seconds
/// and nanoseconds since 1970.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Written(pub u64, pub u64, pub Option<(u64, u32)>);

impl Written {
    fn of(print: u64, meta: &std::fs::Metadata) -> Written {
        let time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| (d.as_secs(), d.subsec_nanos()));
        Written(print, meta.len(), time)
    }

    /// The file's stamp, as the build cache knows an output file by.
    pub fn stamp(&self) -> FileStamp {
        let time = self
            .2
            .map(|(s, n)| std::time::UNIX_EPOCH + std::time::Duration::new(s, n));
        (self.1, time)
    }
}

/// A file's size and modification time, as the build cache knows an output
/// file by.
pub type FileStamp = (u64, Option<std::time::SystemTime>);

/// Whether the build cache counts a file at `rel`: walks of the output skip
/// hidden files and folders, and so do the stamps taken while writing.
pub fn counted(rel: &str) -> bool {
    !rel.split('/').any(crate::render::theme::hidden)
}

impl Staging {
    /// A staging folder for a whole new output, swapped in by
    /// [`Staging::finish`].
    pub fn new(out: &Path) -> Result<Staging, Error> {
        let staging = Staging::beside(out, None)?;
        let marker = staging.dir.path().join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| Error::io(&marker, e))?;
        Ok(Staging {
            id: build_id(staging.dir.path()).unwrap_or_default(),
            ..staging
        })
    }

    /// A staging folder for the changes to `out`, whose files are
    /// `previous` (as the build that made it left them, and still are):
    /// a file whose bytes are the same is not written again.
    pub fn update(
        out: &Path,
        previous: std::collections::HashMap<String, Written>,
    ) -> Result<Staging, Error> {
        let staging = Staging::beside(out, Some(previous))?;
        Ok(Staging {
            id: build_id(out).unwrap_or_default(),
            ..staging
        })
    }

    fn beside(
        out: &Path,
        previous: Option<std::collections::HashMap<String, Written>>,
    ) -> Result<Staging, Error> {
        let (parent, name) = parent_and_name(out);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        recover(out)?;
        remove_leftovers(&parent, &format!(".{name}.old-"));
        let dir = work_dir(&parent, &format!(".{name}.new-")).map_err(|e| Error::io(&parent, e))?;
        Ok(Staging {
            id: String::new(),
            out: out.to_path_buf(),
            parent,
            name,
            dir,
            made: Default::default(),
            present: Default::default(),
            previous,
            staged: Default::default(),
        })
    }

    /// This build's name, written in its output's marker.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Keeps the file at output path `rel` as the output has it; false
    /// when the output has no such file, which must then be made.
    pub fn keep(&self, rel: &str) -> bool {
        let Some(rel) = safe_rel(rel).map(|p| crate::content::jail::rel_string(&p)) else {
            return false;
        };
        let Some(before) = self.previous.as_ref().and_then(|p| p.get(&rel)) else {
            return false;
        };
        self.as_it_was(rel, *before);
        true
    }

    /// Whether the output this build updates has a file at `rel`.
    pub fn had(&self, rel: &str) -> bool {
        self.previous.as_ref().is_some_and(|p| p.contains_key(rel))
    }

    /// The output's file at `rel` stays as it was: one written earlier in
    /// this build at that path is forgotten.
    fn as_it_was(&self, rel: String, before: Written) {
        if lock(&self.staged).remove(&rel) {
            let _ = std::fs::remove_file(self.dir.path().join(&rel));
        }
        lock(&self.present).insert(rel, before);
    }

    /// Writes one file now. A later file for the same path replaces it.
    pub fn put(&self, file: &OutputFile) -> Result<(), Error> {
        let target = targets(self.dir.path(), &[file])?.remove(0);
        let rel = target
            .strip_prefix(self.dir.path())
            .map(crate::content::jail::rel_string)
            .unwrap_or_default();
        let print = fingerprint(&file.content);
        let same = self.previous.as_ref().and_then(|p| p.get(&rel));
        if let Some(before) = same.filter(|w| w.0 == print) {
            self.as_it_was(rel, *before);
            return Ok(());
        }
        self.folder_of(&target)?;
        // The stamp comes from the open file: no second lookup of its path.
        let meta = match &file.content {
            Content::Bytes(b) => write_bytes(&target, b),
            Content::Static(s) => write_bytes(&target, s.as_bytes()),
            Content::File(_) => write_one(file, &target)
                .and_then(|()| std::fs::metadata(&target).map_err(|e| Error::io(&target, e))),
        }?;
        if self.previous.is_some() {
            lock(&self.staged).insert(rel.clone());
        }
        lock(&self.present).insert(rel, Written::of(print, &meta));
        Ok(())
    }

    /// Makes the folder a file goes into, once per folder.
    fn folder_of(&self, target: &Path) -> Result<(), Error> {
        let Some(d) = target.parent() else {
            return Ok(());
        };
        if !lock(&self.made).contains(d) {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
            lock(&self.made).insert(d.to_path_buf());
        }
        Ok(())
    }

    /// Writes many files at once, on the I/O threads.
    pub fn put_all(&self, files: &[OutputFile]) -> Result<(), Error> {
        let files = last_wins(files);
        io_pool().install(|| files.par_iter().try_for_each(|f| self.put(f)))
    }

    /// Puts the new output in place: the written tree instead of the
    /// output folder, or, in an update, the changed files into it. Returns
    /// every file of the output as it now is, sorted by path.
    pub fn finish(self) -> Result<Vec<(String, Written)>, Error> {
        let mut files: Vec<(String, Written)> = self
            .present
            .lock()
            .map(|mut p| p.drain().collect())
            .unwrap_or_default();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        match &self.previous {
            Some(previous) => self.commit(previous, &files)?,
            None => self.swap()?,
        }
        Ok(files)
    }

    /// Swaps the staged tree in for the output folder.
    fn swap(self) -> Result<(), Error> {
        let Staging {
            out,
            parent,
            name,
            dir,
            ..
        } = self;
        let out = out.as_path();
        fault("swap:staged");
        let old = if out.exists() {
            let holder =
                work_dir(&parent, &format!(".{name}.old-")).map_err(|e| Error::io(&parent, e))?;
            fault("swap:holder");
            let old = holder.path().join("site");
            std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
            Some((holder, old))
        } else {
            None
        };
        fault("swap:moved-aside");
        let staged = dir.keep();
        if let Err(e) = std::fs::rename(&staged, out) {
            // Put the old site back before reporting.
            if let Some((_, old)) = &old {
                let _ = std::fs::rename(old, out);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(Error::io(out, e));
        }
        fault("swap:renamed");
        // The old site is removed by several threads: unlinking tens of
        // thousands of files waits on the file system more than on the CPU.
        if let Some((holder, old)) = old {
            io_pool().install(|| remove_tree(&old));
            fault("swap:removing");
            drop(holder);
        }
        Ok(())
    }

    /// Updates the output in place: removes the files no longer made, then
    /// renames each changed file over its old one, so that a reader sees
    /// the old bytes or the new ones, never a partial file. The build is
    /// known to have succeeded before this starts. A build killed halfway
    /// leaves an output that no longer matches its record, and the next
    /// build writes it whole (see [`crate::build::record`]).
    fn commit(
        &self,
        previous: &std::collections::HashMap<String, Written>,
        files: &[(String, Written)],
    ) -> Result<(), Error> {
        let now: std::collections::HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        let removed: Vec<String> = previous
            .keys()
            .filter(|p| !now.contains(p.as_str()))
            .cloned()
            .collect();
        fault("update:staged");
        remove_files(&self.out, &removed)?;
        let staged: Vec<String> = lock(&self.staged).iter().cloned().collect();
        io_pool().install(|| {
            staged.par_iter().try_for_each(|rel| {
                let (from, to) = (self.dir.path().join(rel), self.out.join(rel));
                if let Some(d) = to.parent() {
                    std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
                }
                fault("update:moving");
                std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))
            })
        })
    }
}

/// A lock's value, even if a thread panicked holding it: the sets it
/// guards are whole after every insert.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn write_bytes(target: &Path, bytes: &[u8]) -> Result<std::fs::Metadata, Error> {
    use std::io::Write;
    let mut f = std::fs::File::create(target).map_err(|e| Error::io(target, e))?;
    f.write_all(bytes).map_err(|e| Error::io(target, e))?;
    f.metadata().map_err(|e| Error::io(target, e))
}

fn write_one(f: &OutputFile, target: &Path) -> Result<(), Error> {
    let r = match &f.content {
        Content::Bytes(b) => std::fs::write(target, b),
        Content::Static(s) => std::fs::write(target, s.as_bytes()),
        Content::File(src) => std::fs::copy(src, target).map(|_| ()),
    };
    r.map_err(|e| Error::io(target, e))
}

/// A fingerprint of what a file will contain, without reading copies:
/// a copied file is known by its source's path, size and modification time.
pub fn fingerprint(content: &Content) -> u64 {
    match content {
        Content::Bytes(b) => crate::text::fingerprint_bytes(b),
        Content::Static(s) => crate::text::fingerprint_bytes(s.as_bytes()),
        Content::File(p) => {
            let meta = std::fs::metadata(p).ok();
            crate::text::fingerprint(&(
                p,
                meta.as_ref().map(|m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            ))
        }
    }
}

/// Where each file goes under `root`; a path that would leave it is an error.
fn targets(root: &Path, files: &[&OutputFile]) -> Result<Vec<PathBuf>, Error> {
    files
        .iter()
        .map(|f| {
            let rel = safe_rel(&f.path).ok_or_else(|| {
                Error::Output(format!(
                    "refusing to write `{}` outside the output folder",
                    f.path
                ))
            })?;
            Ok(root.join(rel))
        })
        .collect()
}

/// A later file for the same path replaces an earlier one (the site's
/// `static/` over the theme's and over generated files).
pub fn last_wins(files: &[OutputFile]) -> Vec<&OutputFile> {
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, f) in files.iter().enumerate() {
        last.insert(f.path.trim_start_matches('/'), i);
    }
    files
        .iter()
        .enumerate()
        .filter(|(i, f)| last.get(f.path.trim_start_matches('/')) == Some(i))
        .map(|(_, f)| f)
        .collect()
}

/// Updates a live output folder file by file, for the preview server: each
/// file is written beside its target and renamed over it, so a reader sees
/// the old bytes or the new ones, never a partial file. `removed` paths are
/// deleted, and folders they leave empty with them.
pub fn write_in_place(root: &Path, files: &[OutputFile], removed: &[String]) -> Result<(), Error> {
    let files = last_wins(files);
    let targets = targets(root, &files)?;
    files
        .par_iter()
        .zip(targets.par_iter())
        .try_for_each(|(f, target)| {
            let dir = target.parent().unwrap_or(root);
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            let mut builder = tempfile::Builder::new();
            builder.prefix(".ayni-");
            // Readable by the web server like files of a clean build.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
            let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
            let r = match &f.content {
                Content::Bytes(b) => std::fs::write(tmp.path(), b),
                Content::Static(s) => std::fs::write(tmp.path(), s.as_bytes()),
                Content::File(src) => std::fs::copy(src, tmp.path()).map(|_| ()),
            };
            r.map_err(|e| Error::io(target, e))?;
            tmp.persist(target)
                .map_err(|e| Error::io(target, e.error))?;
            Ok::<(), Error>(())
        })?;
    remove_files(root, removed)
}

/// Deletes the files at `removed` under `root`, and the folders they
/// leave empty with them.
fn remove_files(root: &Path, removed: &[String]) -> Result<(), Error> {
    for rel in removed {
        let Some(rel) = safe_rel(rel) else { continue };
        let target = root.join(&rel);
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&target, e)),
        }
        let mut dir = target.parent();
        while let Some(d) = dir {
            if d == root || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// A pool for file-system work: creating and removing files blocks in the
/// kernel, so more threads than cores keep the disk busy.
fn io_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(8)
            .thread_name(|i| format!("ayni-io-{i}"))
            .build()
            .unwrap_or_else(|_| {
                rayon::ThreadPoolBuilder::new()
                    .build()
                    .expect("a thread pool")
            })
    })
}

/// Removes a folder tree, files in parallel; what cannot be removed is left
/// for the temporary folder's own cleanup.
fn remove_tree(dir: &Path) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    for d in dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        assert!(safe_rel("../x").is_none());
        assert!(safe_rel("a/../../x").is_none());
        assert_eq!(safe_rel("/a/b.html").unwrap(), PathBuf::from("a/b.html"));
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // No process has this id (Linux ids stop at 2^22); pid 1 always runs.
        let dead = dir.path().join(".public.new-999999999-abc");
        let dead_old = dir.path().join(".public.old-999999999-abc");
        let live = dir.path().join(".public.new-1-abc");
        let other = dir.path().join(".public.new-x");
        for d in [&dead, &dead_old, &live, &other] {
            std::fs::create_dir_all(d.join("casos")).unwrap();
            std::fs::write(d.join("casos/index.html"), "x").unwrap();
        }
        let files = [OutputFile {
            path: "index.html".into(),
            content: Content::Bytes(b"new".to_vec()),
        }];
        write_atomic(&out, &files).unwrap();
        assert!(!dead.exists(), "a killed build's staging folder stays");
        assert!(!dead_old.exists());
        if Path::new("/proc/self").exists() {
            assert!(live.exists(), "a running build's folder was removed");
        }
        assert!(
            other.exists(),
            "a folder not named by a process id was removed"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn a_site_moved_aside_by_a_killed_build_is_put_back_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let aside = dir.path().join(".public.old-999999999-abc/site");
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join("index.html"), "old").unwrap();
        let staging = Staging::new(&out).unwrap();
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        assert!(!aside.exists());
        // A build that then fails leaves the site put back.
        drop(staging);
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
    }

    #[test]
    fn failed_write_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let ok = [OutputFile {
            path: "index.html".into(),
            content: Content::Bytes(b"old".to_vec()),
        }];
        write_atomic(&out, &ok).unwrap();
        let bad = [
            OutputFile {
                path: "index.html".into(),
                content: Content::Bytes(b"new".to_vec()),
            },
            OutputFile {
                path: "missing.pdf".into(),
                content: Content::File(dir.path().join("nope.pdf")),
            },
        ];
        assert!(write_atomic(&out, &bad).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folder left behind");
    }
}
