//! The command line: parses arguments, runs a command, prints its result
//! and turns it into an exit code (0 ok, 1 content errors, 2 usage or I/O).
//! The exit code is set here alone, and so is how output that cannot be
//! written ends: a closed pipe quietly, with the command's own code; any
//! other failure (a full disk) with code 2 and a message.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, build_with_progress, check};
use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::messages::{Catalogue, Lang};
use crate::msg;
use crate::text::counted;

#[derive(Parser, Debug)]
#[command(
    name = "ayni",
    version,
    about = "Static sites for the knowledge bases of development alliances"
)]
/// The command line: a command and the language of its messages.
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Language of the messages [default: the site's `ui_language`, else
    /// the locale (LC_ALL, LC_MESSAGES, LANG), else Spanish]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
}

/// The commands, each with its own flags.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into public/ (replaced only when the build is complete)
    Build {
        /// The site's folder (with site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Include products marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// Override `base_url` from site.yaml
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time each stage took (index, search files and the
        /// products' bodies run inside render; bodies is CPU time summed
        /// over threads)
        #[arg(long)]
        timings: bool,
    },
    /// Check every file of the site and list every problem
    Check {
        /// The site's folder (with site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How problems are printed
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Include drafts in the check
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site with drafts: rebuilds what changes and reloads the browser
    Serve {
        /// The site's folder (with site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on; anything but loopback shares drafts with the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port [default: 1111, or the next free one]
        #[arg(long)]
        port: Option<u16>,
        /// Where the preview is written [default: ROOT/.ayni-cache/serve/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the time each stage of every rebuild took
        #[arg(long)]
        timings: bool,
    },
    /// Search the site's index (built by `ayni build`)
    Search(SearchArgs),
    /// Create a new site in DIR that builds at once
    Init {
        /// Folder of the new site (created if missing)
        dir: PathBuf,
        /// Add the site's files to a folder that is not empty (existing files are kept)
        #[arg(long)]
        force: bool,
    },
    /// Create a draft product for each PDF (or each PDF under a folder), the PDF beside it
    Import {
        /// PDF files, or folders whose PDFs are imported
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A partner id from content/partners/ (role author); repeat for several
        #[arg(long)]
        partner: Vec<String>,
        /// Kind of the new products [default: study]
        #[arg(long)]
        kind: Option<String>,
        /// Folder under content/ [default: the kind's usual folder]
        #[arg(long)]
        section: Option<String>,
        /// The site's folder (with site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new learning product with its front matter filled in
    New {
        /// Kind of product: case-study, study, systematization, evaluation, guide, ...
        kind: String,
        /// The product's title, in quotes; the file is named after it
        title: String,
        /// A partner id from content/partners/ (role author); repeat for several
        #[arg(long)]
        partner: Vec<String>,
        /// Folder under content/ [default: where products of this kind are]
        #[arg(long)]
        section: Option<String>,
        /// The site's folder (with site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// The query and filters of `ayni search`.
#[derive(clap::Args, Debug)]
pub struct SearchArgs {
    /// Words, all required; "quoted phrases" match in order
    pub query: Vec<String>,
    /// The site's folder (with site.yaml and content/)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Only products of this partner (id); repeat for any of several
    #[arg(long)]
    pub partner: Vec<String>,
    /// Only products on this topic (name or slug)
    #[arg(long)]
    pub topic: Vec<String>,
    /// Only products of this kind (case-study, study, ...)
    #[arg(long)]
    pub kind: Vec<String>,
    /// Only products that fed this policy outcome (id)
    #[arg(long)]
    pub outcome: Vec<String>,
    /// Only products published in this year
    #[arg(long)]
    pub year: Vec<u16>,
    /// Only products about this country (ISO code)
    #[arg(long)]
    pub country: Vec<String>,
    /// How many results to show
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print results as JSON
    #[arg(long)]
    pub json: bool,
    /// Search the words as typed: no word that finds nothing is replaced
    /// by the closest word of the site
    #[arg(long)]
    pub exact: bool,
}

/// How `ayni check` prints what it found.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Each problem with its file, line and the source under it
    Text,
    /// One JSON object with every problem, for tools
    Json,
    /// GitHub Actions workflow commands: inline annotations on pull requests
    Github,
}

/// A progress bar over the build's stages, drawn only on a terminal and
/// only once the build has taken more than a second: quick builds and
/// logs stay clean.
struct StageBar {
    bar: indicatif::ProgressBar,
    start: std::time::Instant,
    tty: bool,
}

impl StageBar {
    fn new() -> StageBar {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(crate::build::PROGRESS_STAGES.len() as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {msg:<9} [{bar:24}] {pos}/{len} {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        StageBar {
            bar,
            start: std::time::Instant::now(),
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn stage(&self, name: &'static str) {
        // The delay can be changed (in milliseconds) for tests of the bar.
        let delay = std::env::var("AYNI_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(1000);
        if self.tty
            && self.bar.is_hidden()
            && self.start.elapsed() >= std::time::Duration::from_millis(delay)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar
                .enable_steady_tick(std::time::Duration::from_millis(120));
        }
        let done = crate::build::PROGRESS_STAGES
            .iter()
            .position(|s| *s == name)
            .unwrap_or(0);
        self.bar.set_position(done as u64);
        self.bar.set_message(name);
    }

    fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// What a command prints on standard output, written when it is done so
/// that a reader that went away or a full disk is handled in one place
/// ([`write_stdout`]).
#[derive(Default)]
struct Printed(String);

impl Printed {
    fn line(&mut self, text: impl std::fmt::Display) {
        use std::fmt::Write;
        let _ = writeln!(self.0, "{text}");
    }
}

/// Exit code per the contract: 1 for content errors, 2 otherwise.
fn exit_code(e: &Error) -> i32 {
    match e {
        Error::Content(_) => 1,
        _ => 2,
    }
}

/// Writes `text` to standard output and returns the exit code: `code`, or
/// 2 when the text could not be written for any reason but a reader that
/// closed the pipe (like `head`), which wants no more and no message.
fn write_stdout(text: &str, code: i32) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            say!("error: cannot write the output: {e}");
            2
        }
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// The last line of a check: how many errors and warnings.
fn summary(errors: usize, warnings: usize, lang: Lang) -> String {
    let words = Catalogue::get(lang);
    format!(
        "{}, {}",
        words.count(errors, "errors"),
        words.count(warnings, "warnings")
    )
}

fn print_diagnostics(diags: &[Diagnostic], lang: Lang) {
    let color = color();
    for d in diags {
        say!("{}", d.render(color, lang));
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 || warnings > 0 {
        say!("{}", summary(errors, warnings, lang));
    }
}

impl Command {
    /// The site the command works on, whose `ui_language` its messages
    /// use; `init` has none yet.
    fn site(&self) -> Option<&std::path::Path> {
        match self {
            Command::Build { root, .. }
            | Command::Check { root, .. }
            | Command::Serve { root, .. }
            | Command::Import { root, .. }
            | Command::New { root, .. } => Some(root),
            Command::Search(args) => Some(&args.root),
            Command::Init { .. } => None,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    main_with(|_| {})
}

/// [`main`], first telling `before` the command about to run: the binary
/// tunes its allocator to it.
pub fn main_with(before: impl FnOnce(&Command)) -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if e.use_stderr() {
                let _ = e.print();
                return 2;
            }
            // `--help` and `--version`, on standard output.
            let text = e.render();
            let text = if std::io::stdout().is_terminal() {
                text.ansi().to_string()
            } else {
                text.to_string()
            };
            return write_stdout(&text, 0);
        }
    };
    before(&cli.command);
    let lang = crate::content::config::Config::messages_language(cli.lang, cli.command.site());
    let mut stdout = Printed::default();
    let code = match run(cli, lang, &mut stdout) {
        Ok(code) => code,
        Err(e) => {
            let said = match &e {
                Error::Content(diags) => {
                    print_diagnostics(diags, lang);
                    msg!("cli.build-stopped").say(lang)
                }
                other => other.said(lang),
            };
            say!("{}", Catalogue::get(lang).leveled("error", &said));
            exit_code(&e)
        }
    };
    write_stdout(&stdout.0, code)
}

fn run_search(args: SearchArgs, stdout: &mut Printed) -> Result<i32, Error> {
    let dir = crate::search::index::index_dir(&BuildOptions::new(&args.root).cache_dir());
    if !dir.join("meta.json").is_file() {
        return Err(Error::Refused(crate::msg!(
            "cli.no-index",
            dir = dir.display()
        )));
    }
    crate::search::index::check_output(&dir)?;
    let index = crate::search::index::open(&dir)?;
    let q = crate::search::SearchQuery {
        text: args.query.join(" "),
        partners: args.partner,
        topics: args.topic,
        kinds: args.kind,
        outcomes: args.outcome,
        countries: args.country,
        years: args.year,
        limit: args.limit,
        exact: args.exact,
    };
    let results = crate::search::search(&index, &q)?;
    // Entity results: the pages of the partners, outcomes and topics the
    // query names, above the products, unless filters narrow the products.
    let entities = crate::search::entity::Entities::load(&dir)?;
    let named = if q.filtered() {
        Vec::new()
    } else {
        entities.find(results.corrected.as_deref().unwrap_or(&q.text))
    };
    if args.json {
        let mut v = serde_json::to_value(&results).unwrap_or_default();
        let mut hits: Vec<serde_json::Value> =
            named.iter().map(|n| n.hit(&entities.labels)).collect();
        if let Some(products) = v["hits"].as_array_mut() {
            hits.append(products);
        }
        v["hits"] = serde_json::Value::Array(hits);
        stdout.line(serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(0);
    }
    print_results(&results, &named, &entities, stdout);
    Ok(0)
}

/// `ayni search`'s text output: the correction said, the named entities,
/// then the products with their snippets.
fn print_results(
    results: &crate::search::Results,
    named: &[crate::search::entity::Named<'_>],
    entities: &crate::search::entity::Entities,
    stdout: &mut Printed,
) {
    if let Some(corrected) = &results.corrected {
        stdout.line(format_args!(
            "Showing results for \"{corrected}\" · Search \"{}\" with --exact\n",
            results.query
        ));
    }
    for n in named {
        let e = n.entity;
        let label = entities.labels.get(&e.kind).unwrap_or(&e.kind);
        stdout.line(format_args!("{label}: {}", e.title));
        stdout.line(format_args!("   {}\n", e.url));
    }
    if results.hits.is_empty() {
        stdout.line(format_args!("No results for \"{}\".", results.query));
        return;
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (on, off) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    stdout.line(format_args!(
        "{}, showing {}:\n",
        counted(results.total, "result", "results"),
        results.hits.len()
    ));
    for (i, h) in results.hits.iter().enumerate() {
        let snippet = h.snippet.replace("<mark>", on).replace("</mark>", off);
        stdout.line(format_args!(
            "{}. {} ({}, {})",
            i + 1,
            h.title,
            h.kind,
            h.year
        ));
        stdout.line(format_args!("   {}", h.url));
        if let (Some(page), Some(url)) = (h.page, &h.file_url) {
            stdout.line(format_args!("   PDF, p. {page}: {url}"));
        }
        stdout.line(format_args!("   {}\n", unescape(&snippet)));
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn run_init(dir: PathBuf, force: bool, lang: Lang) -> Result<i32, Error> {
    let report = crate::scaffold::init(&dir, force)?;
    let words = Catalogue::get(lang);
    let dir = report.dir.display();
    let files = words.count(report.created.len(), "files");
    say!(
        "{}",
        msg!("cli.init-created", dir = &dir, files = files).say(lang)
    );
    for f in &report.created {
        say!("    {f}");
    }
    if !report.kept.is_empty() {
        let files = words.count(report.kept.len(), "existing");
        say!("{}", msg!("cli.init-kept", files = files).say(lang));
        for f in &report.kept {
            say!("    {f}");
        }
    }
    say!("\n{}", msg!("cli.init-next", dir = &dir).say(lang));
    Ok(0)
}

fn run_new(
    req: crate::scaffold::NewProduct,
    root: PathBuf,
    lang: Lang,
    stdout: &mut Printed,
) -> Result<i32, Error> {
    let report = crate::scaffold::new_product(&root, &req)?;
    let shown = if root == std::path::Path::new(".") {
        report.path.clone()
    } else {
        root.join(&report.path)
    };
    stdout.line(shown.display());
    for n in &report.notes {
        say!("{}", Catalogue::get(lang).leveled("note", &n.say(lang)));
    }
    Ok(0)
}

fn run_import(
    req: crate::pdf::import::ImportRequest,
    root: PathBuf,
    stdout: &mut Printed,
) -> Result<i32, Error> {
    let report = crate::pdf::import::import(&root, &req)?;
    for i in &report.imported {
        let shown = if root == std::path::Path::new(".") {
            i.product.clone()
        } else {
            root.join(&i.product)
        };
        stdout.line(format_args!(
            "{} <- {}",
            shown.display(),
            i.source.display()
        ));
        for u in &i.unknown {
            say!("note: {}: {u}", shown.display());
        }
    }
    for (source, why) in &report.skipped {
        say!("skipped {}: {why}", source.display());
    }
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}

fn run(cli: Cli, lang: Lang, stdout: &mut Printed) -> Result<i32, Error> {
    match cli.command {
        Command::Search(args) => run_search(args, stdout),
        Command::Init { dir, force } => run_init(dir, force, lang),
        Command::Serve {
            root,
            bind,
            port,
            out,
            timings,
        } => {
            let mut opts = crate::serve::ServeOptions::new(root);
            opts.timings = timings;
            (opts.bind, opts.port, opts.out, opts.lang) = (bind, port, out, cli.lang);
            crate::serve::run(opts)?;
            Ok(0)
        }
        Command::Import {
            paths,
            partner,
            kind,
            section,
            root,
        } => run_import(
            crate::pdf::import::ImportRequest {
                paths,
                partners: partner,
                kind,
                section,
            },
            root,
            stdout,
        ),
        Command::New {
            kind,
            title,
            partner,
            section,
            root,
        } => run_new(
            crate::scaffold::NewProduct {
                kind,
                title,
                partners: partner,
                section,
                date: crate::model::date::PartialDate::today(),
            },
            root,
            lang,
            stdout,
        ),
        Command::Build {
            root,
            out,
            drafts,
            base_url,
            timings,
        } => {
            let opts = BuildOptions {
                root,
                out,
                drafts,
                base_url,
                cache: None,
                lang: Some(lang),
            };
            run_build(&opts, timings, lang)
        }
        Command::Check {
            root,
            format,
            drafts,
        } => {
            let mut opts = BuildOptions::new(root);
            opts.drafts = drafts;
            run_check(&opts, format, lang, stdout)
        }
    }
}

/// `ayni build`: the build with its progress bar, then its warnings and
/// what it made.
fn run_build(opts: &BuildOptions, timings: bool, lang: Lang) -> Result<i32, Error> {
    let bar = StageBar::new();
    let result = build_with_progress(opts, &|stage| bar.stage(stage));
    bar.clear();
    let report = result?;
    print_diagnostics(&report.warnings, lang);
    for w in &report.cached_warnings {
        say!("{w}");
    }
    if timings {
        for (stage, d) in &report.timings {
            say!("{stage:>10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
    }
    say!("{}", built_line(&report, lang));
    Ok(0)
}

/// `ayni check`: every diagnostic in the format asked for; 1 when any is
/// an error.
fn run_check(
    opts: &BuildOptions,
    format: Format,
    lang: Lang,
    stdout: &mut Printed,
) -> Result<i32, Error> {
    let diags = check(opts)?;
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match format {
        Format::Json => {
            let json = serde_json::json!({
                "errors": errors,
                "warnings": diags.len() - errors,
                "diagnostics": diags.iter().map(|d| d.to_json(lang)).collect::<Vec<_>>(),
            });
            stdout.line(serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        Format::Github => {
            for d in &diags {
                stdout.line(d.to_github(lang));
            }
            say!("{}", summary(errors, diags.len() - errors, lang));
        }
        Format::Text => {
            print_diagnostics(&diags, lang);
            if errors == 0 {
                say!("{}", msg!("cli.no-errors").say(lang));
            }
        }
    }
    Ok(if errors > 0 { 1 } else { 0 })
}

/// The last line of a build: what was made, where, and how long it took.
fn built_line(report: &crate::build::BuildReport, lang: Lang) -> String {
    let words = Catalogue::get(lang);
    let mut secs = format!("{:.2}", report.elapsed.as_secs_f64());
    if lang == Lang::Es {
        secs = secs.replace('.', ",");
    }
    let line = if report.up_to_date {
        msg!("cli.up-to-date")
    } else {
        msg!("cli.built")
    };
    line.arg("pages", words.count(report.pages, "pages"))
        .arg("products", words.count(report.products, "products"))
        .arg("partners", words.count(report.partners, "partners"))
        .arg("out", report.out.display())
        .arg("secs", secs)
        .say(lang)
}
