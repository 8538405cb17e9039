//! Outside tools that some tests drive: Chromium with chromedriver, Java,
//! Node, npm packages and Python packages. A newcomer's machine may have
//! none of them, and `cargo test --release` must still pass there: a test
//! whose tool is missing prints one line naming what it skipped and how to
//! get the tool, and returns. `.ci/run` installs every tool and sets
//! [`STRICT`], under which a missing tool fails the test instead, so CI
//! never passes on a skip.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The variable under which a skip is a failure.
pub const STRICT: &str = "AYNI_TEST_REQUIRE_TOOLS";

/// Says that the running test is skipped for want of `what`, or fails it
/// under [`STRICT`]. Always returns `None`, for `let … else` at call sites.
pub fn skip<T>(what: &str, how: &str) -> Option<T> {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let line = format!("skipped {test}: {what} is missing ({how})");
    if std::env::var_os(STRICT).is_some_and(|v| !v.is_empty() && v != "0") {
        panic!("{line}, and {STRICT} is set");
    }
    // Past the test harness's capture, which keeps a passing test's
    // output: the skip must be seen.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
    None
}

/// The first file called `name` on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// A program the test needs, or a skip naming the package that has it.
pub fn program(name: &str, how: &str) -> Option<PathBuf> {
    which(name).or_else(|| skip(&format!("`{name}`"), how))
}

/// Chromium and chromedriver, both needed for a browser test.
pub fn chromium() -> Option<(PathBuf, PathBuf)> {
    const HOW: &str = "apt-get install chromium chromium-driver";
    let driver = program("chromedriver", HOW)?;
    let browser = which("chromium")
        .or_else(|| which("chromium-browser"))
        .or_else(|| skip("`chromium`", HOW))?;
    Some((driver, browser))
}

/// Whether `python3` can import every module in `modules`.
pub fn python_modules(modules: &[&str], how: &str) -> bool {
    let Some(python) = program("python3", "apt-get install python3") else {
        return false;
    };
    let imports = format!("import {}", modules.join(", "));
    let ok = Command::new(python)
        .args(["-c", &imports])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok || skip::<()>(&format!("the Python packages {}", modules.join(", ")), how).is_some()
}

/// Node, for the tests that run the browser's search engine.
pub fn node() -> Option<PathBuf> {
    program("node", "apt-get install nodejs")
}

/// Runs `tests/js/<script>` in `node` with `args` and reads the JSON list it
/// prints; a failed run fails the test with what the script said.
pub fn run_js<I, S>(node: &std::path::Path, script: &str, args: I) -> Vec<serde_json::Value>
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new(node)
        .arg(crate::util::repo_root().join("tests/js").join(script))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
