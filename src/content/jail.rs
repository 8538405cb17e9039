//! Containment: the one gate through which the site's files are found and
//! read. A pull request can add a symbolic link to `/proc/self/environ`, a
//! private key or `/dev/zero`; nothing outside the site's folder may reach
//! the output or the search index, and nothing that never ends may be read.
//! Every walk of the site's folders goes through [`Jail::walk`] and every
//! other read of a site file through [`Jail::read`].

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

/// The site's folder, resolved: what every file read must stay inside.
#[derive(Debug, Clone)]
pub struct Jail {
    root: PathBuf,
    /// The folder as the caller named it, for site-relative paths.
    given: PathBuf,
}

/// Why a path of the site is not read.
#[derive(Debug, thiserror::Error)]
pub enum Breach {
    #[error("is a symbolic link to `{}`, outside the site", .0.display())]
    Outside(PathBuf),
    #[error("is not a regular file or folder (a device, a pipe or a socket)")]
    Special,
    #[error("cannot be resolved: {0}")]
    Unresolved(#[from] std::io::Error),
}

impl Breach {
    /// The reason as a message, about `what` (a path, "attachment `x`").
    pub fn said(&self, what: crate::messages::Msg) -> crate::messages::Msg {
        use crate::msg;
        let said = match self {
            Breach::Outside(target) => msg!("diag.outside-site.link", target = target.display()),
            Breach::Special => msg!("diag.outside-site.special"),
            Breach::Unresolved(e) => msg!("diag.outside-site.unresolved", error = e),
        };
        said.nested("what", what)
    }
}

/// A path the walk refused, site-relative, with the reason.
#[derive(Debug)]
pub struct Refused {
    pub rel: String,
    pub why: Breach,
}

/// What a walk found: files (relative to the walked folder, and where they
/// are), links it refused, and folders it could not enter.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<(String, PathBuf)>,
    pub refused: Vec<Refused>,
    /// Site-relative path and whether it loops back to its own folder.
    pub unreadable: Vec<(String, Option<String>)>,
}

impl Jail {
    /// The jail of the site at `root`. A root that cannot be resolved (it
    /// does not exist yet) confines to its absolute path.
    pub fn new(root: &Path) -> Jail {
        let root_abs = std::fs::canonicalize(root)
            .or_else(|_| std::path::absolute(root))
            .unwrap_or_else(|_| root.to_path_buf());
        Jail {
            root: root_abs,
            given: root.to_path_buf(),
        }
    }

    /// `path` relative to the site, `/`-separated, for messages.
    pub fn rel(&self, path: &Path) -> String {
        path.strip_prefix(&self.given)
            .map(rel_string)
            .unwrap_or_else(|_| path.display().to_string())
    }

    /// Resolves every link of `path` and says whether what it names is a
    /// regular file or folder inside the site. Only this decides.
    pub fn admit(&self, path: &Path) -> Result<PathBuf, Breach> {
        self.resolve(path).map(|(real, _)| real)
    }

    /// [`Jail::admit`], with whether the path names a folder.
    fn resolve(&self, path: &Path) -> Result<(PathBuf, bool), Breach> {
        let real = std::fs::canonicalize(path)?;
        if !real.starts_with(&self.root) {
            return Err(Breach::Outside(real));
        }
        let kind = std::fs::metadata(&real)?.file_type();
        if !kind.is_file() && !kind.is_dir() {
            return Err(Breach::Special);
        }
        Ok((real, kind.is_dir()))
    }

    /// The bytes of a site file, if it stays inside the site and is a
    /// regular file. A refusal is an I/O error of kind `PermissionDenied`
    /// whose message says why.
    pub fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let (real, dir) = self.resolve(path).map_err(|b| match b {
            Breach::Unresolved(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::PermissionDenied, other),
        })?;
        if dir {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "is a folder, not a file",
            ));
        }
        std::fs::read(real)
    }

    /// [`Jail::read`] for a file a walk of the site found. A plain entry
    /// of an admitted folder is inside the site: it is opened without
    /// following a link, and read only when it is still a regular file,
    /// which spares resolving every part of its path. A link (admitted by
    /// the walk, or one put there since) is resolved as [`Jail::read`]
    /// does.
    pub fn read_walked(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        #[cfg(target_os = "linux")]
        {
            use std::io::Read;
            use std::os::unix::fs::OpenOptionsExt;
            // Not following a link, and not waiting on a pipe put in the
            // file's place: whatever it is, it is looked at before a read.
            let opened = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(path);
            let mut file = match opened {
                Ok(f) => f,
                Err(e) if e.raw_os_error() == Some(libc::ELOOP) => return self.read(path),
                Err(e) => return Err(e),
            };
            let meta = file.metadata()?;
            if !meta.is_file() {
                return self.read(path);
            }
            let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
            file.read_to_end(&mut bytes)?;
            Ok(bytes)
        }
        #[cfg(not(target_os = "linux"))]
        self.read(path)
    }

    /// Every regular file under `dir` (none if it is not a folder), with
    /// names that `skip` says are no part of the site left out, following
    /// links that stay inside the site. A link that leaves it, or names a
    /// device or pipe, is refused and not followed; `dir` itself is checked
    /// the same way.
    pub fn walk(&self, dir: &Path, skip: fn(&str) -> bool) -> Walked {
        let mut walked = Walked::default();
        if std::fs::symlink_metadata(dir).is_err() {
            return walked;
        }
        if let Err(why) = self.admit(dir) {
            walked.refused.push(Refused {
                rel: self.rel(dir),
                why,
            });
            return walked;
        }
        if !dir.is_dir() {
            return walked;
        }
        let mut refused = Vec::new();
        let walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && skip(&e.file_name().to_string_lossy()) {
                    return false;
                }
                // A link is resolved before it is followed; a plain entry
                // of an admitted folder is inside it.
                if e.depth() == 0 || !e.path_is_symlink() {
                    return true;
                }
                match self.admit(e.path()) {
                    Ok(_) => true,
                    Err(why) => {
                        refused.push(Refused {
                            rel: self.rel(e.path()),
                            why,
                        });
                        false
                    }
                }
            });
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if let Ok(rel) = e.path().strip_prefix(dir) {
                        let rel = rel_string(rel);
                        walked.files.push((rel, e.path().to_path_buf()));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let rel = e.path().map(|p| self.rel(p)).unwrap_or_default();
                    let why = (e.loop_ancestor().is_none()).then(|| e.to_string());
                    walked.unreadable.push((rel, why));
                }
            }
        }
        walked.refused = refused;
        walked
    }
}

/// A relative path with `/` between its parts, on every system.
pub(crate) fn rel_string(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_out_and_devices_and_admits_links_within() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("static/sub")).unwrap();
        std::fs::write(root.join("static/a.txt"), "a").unwrap();
        let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at));
        link(&outside.path().join("secret"), "static/out.txt").unwrap();
        link(outside.path(), "static/outdir").unwrap();
        link(Path::new("/dev/zero"), "static/zero").unwrap();
        link(Path::new("a.txt"), "static/sub/in.txt").unwrap();
        link(Path::new("../a.txt"), "static/sub/up.txt").unwrap();
        let jail = Jail::new(root);
        let walked = jail.walk(&root.join("static"), crate::content::sources::is_scratch);
        let files: Vec<&str> = walked.files.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(files, ["a.txt", "sub/up.txt"]);
        let mut refused: Vec<&str> = walked.refused.iter().map(|r| r.rel.as_str()).collect();
        refused.sort();
        assert_eq!(refused, ["static/out.txt", "static/outdir", "static/zero"]);
        // A link to nothing is a folder the walk cannot read, not a breach.
        assert_eq!(walked.unreadable.len(), 1, "{:?}", walked.unreadable);
        assert!(jail.read(&root.join("static/out.txt")).is_err());
        assert!(jail.read(&root.join("static/zero")).is_err());
        assert_eq!(jail.read(&root.join("static/sub/up.txt")).unwrap(), b"a");
    }

    #[test]
    fn a_walked_file_is_read_only_while_it_is_a_regular_file_inside() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        let jail = Jail::new(root);
        let walked = jail.walk(&root.join("content"), crate::content::sources::is_scratch);
        let (_, a) = &walked.files[0];
        assert_eq!(jail.read_walked(a).unwrap(), b"a");
        // Put in the file's place after the walk: a link out, a link
        // within, a device, a folder.
        let swap = |target: &Path| {
            let _ = std::fs::remove_file(a);
            std::os::unix::fs::symlink(target, a).unwrap();
        };
        swap(&outside.path().join("secret"));
        let e = jail.read_walked(a).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
        std::fs::write(root.join("b.md"), "b").unwrap();
        swap(&root.join("b.md"));
        assert_eq!(jail.read_walked(a).unwrap(), b"b");
        swap(Path::new("/dev/zero"));
        assert!(jail.read_walked(a).is_err());
        std::fs::remove_file(a).unwrap();
        // A pipe in its place is refused at once, not waited on.
        #[cfg(target_os = "linux")]
        {
            let c = std::ffi::CString::new(a.as_os_str().as_encoded_bytes()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            assert!(jail.read_walked(a).is_err());
            std::fs::remove_file(a).unwrap();
        }
        std::fs::create_dir(a).unwrap();
        assert!(jail.read_walked(a).is_err());
    }
}
