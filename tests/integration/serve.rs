//! The preview's incremental rebuild: after every kind of edit, the output
//! folder is the same, file for file, as a clean `build --drafts`.

use std::collections::BTreeMap;
use std::path::Path;

use ayni::build::{BuildOptions, Session, build};

use crate::util::Site;

/// Every file under `dir` with its bytes, by `/`-separated relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Panics with the first difference between two output folders.
pub fn assert_same_tree(step: &str, got: &Path, want: &Path) {
    let (got, want) = (tree(got), tree(want));
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    for (path, bytes) in &want {
        let g = &got[path];
        if g != bytes {
            let (g, w) = (String::from_utf8_lossy(g), String::from_utf8_lossy(bytes));
            let line = g
                .lines()
                .zip(w.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{step}: {path} differs at line {}:\n  incremental: {}\n  clean:       {}",
                line + 1,
                g.lines().nth(line).unwrap_or(""),
                w.lines().nth(line).unwrap_or("")
            );
        }
    }
}

struct Preview {
    site: Site,
    session: Session,
}

impl Preview {
    fn new() -> Preview {
        let site = Site::fixture("basic");
        let mut opts = BuildOptions::new(site.root());
        opts.drafts = true;
        opts.out = Some(site.root().join("preview"));
        opts.cache = Some(site.root().join(".cache-preview"));
        let session = Session::new(opts);
        Preview { site, session }
    }

    /// Rebuilds incrementally, builds from scratch, and compares.
    fn step(&mut self, name: &str) -> ayni::build::Changes {
        let changes = self
            .session
            .rebuild_pages()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        self.session.rebuild_index().unwrap();
        let clean_dir = tempfile::tempdir().unwrap();
        let mut opts = BuildOptions::new(self.site.root());
        opts.drafts = true;
        opts.out = Some(clean_dir.path().join("public"));
        opts.cache = Some(clean_dir.path().join("cache"));
        build(&opts).unwrap_or_else(|e| panic!("{name}: clean build: {e}"));
        assert_same_tree(
            name,
            &self.site.root().join("preview"),
            &clean_dir.path().join("public"),
        );
        changes
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.site.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn rename(&self, from: &str, to: &str) {
        let to = self.site.root().join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(self.site.root().join(from), to).unwrap();
    }
}

#[test]
fn incremental_rebuilds_match_clean_builds_after_every_kind_of_edit() {
    let mut p = Preview::new();
    let first = p.step("first build");
    assert_eq!(first.kept, 0);

    let c = p.step("nothing changed");
    assert_eq!(c.rendered, 6, "only home, the three indexes, search and 404: {:?}", c.written);
    assert!(c.written.is_empty(), "{:?}", c.written);

    p.edit(
        "content/estudios/dos.md",
        "## Resultados clave",
        "## Resultados clave\n\nUn párrafo nuevo.",
    );
    let c = p.step("body edit");
    assert!(c.kept > 10, "a body edit re-rendered {} pages", c.rendered);
    assert!(
        c.written.contains(&"estudios/dos/index.html".to_string()),
        "{:?}",
        c.written
    );

    p.edit("content/estudios/dos.md", "title: Estudio dos", "title: Estudio 2");
    p.step("title edit");
    p.edit("content/estudios/dos.md", "date: 2015", "date: 2031-02");
    p.step("date edit reorders lists");
    p.edit("content/estudios/dos.md", "[gestion del conocimiento]", "[agua]");
    p.step("topic change");
    p.edit(
        "content/estudios/dos.md",
        "{ id: donante, role: sponsor }",
        "red",
    );
    p.step("partner change");

    p.site.write(
        "content/estudios/nuevo.md",
        "---\ntitle: Nuevo\nkind: study\ndate: 2020-05\npartners: [ong-a]\ntopics: [agua]\n---\nTexto sobre [el caso](../casos/uno.md).\n",
    );
    p.step("product added");
    p.rename("content/estudios/nuevo.md", "content/estudios/renombrado.md");
    p.step("product renamed");
    p.rename("content/estudios", "content/estudios-2");
    p.edit("content/casos/uno.md", "../estudios/", "../estudios-2/");
    p.step("folder renamed");
    p.rename("content/casos/bundle", "content/casos/paquete");
    p.edit("content/casos/uno.md", "bundle/", "paquete/");
    p.step("bundle folder with attachments renamed");
    std::fs::remove_file(p.site.root().join("content/estudios-2/renombrado.md")).unwrap();
    p.step("product deleted");

    p.edit("content/partners/ong-a.md", "name:", "name: Nueva");
    p.step("partner renamed");
    p.edit("content/outcomes/ley-1.md", "title:", "title: Reformada");
    p.step("outcome edit");
    p.site.write(
        "content/pages/acerca.md",
        "---\ntitle: Acerca de la red\n---\nQuiénes somos.\n",
    );
    p.step("standalone page added: every footer changes");
    p.site.write("static/extra.txt", "hola");
    p.step("static file added");
    std::fs::remove_file(p.site.root().join("static/extra.txt")).unwrap();
    p.step("static file removed");
    p.edit("templates/404.html", "<", "<!-- edited -->\n<");
    p.step("template edit");
    p.edit("site.yaml", "title: Red de prueba", "title: Red renombrada");
    p.step("site.yaml edit");

    // A content error leaves the output as it was; fixing it resumes.
    let before = tree(&p.site.root().join("preview"));
    p.edit("content/casos/uno.md", "title:", "title: [unclosed");
    assert!(matches!(
        p.session.rebuild_pages(),
        Err(ayni::Error::Content(_))
    ));
    assert!(before == tree(&p.site.root().join("preview")));
    p.edit("content/casos/uno.md", "title: [unclosed", "title:");
    p.step("error fixed");
}
