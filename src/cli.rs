//! The command line: parses arguments, runs a command, prints its result
//! and turns it into an exit code (0 ok, 1 content errors, 2 usage or I/O).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::build::{BuildOptions, build, check};
use crate::diagnostics::Diagnostic;
use crate::error::Error;

#[derive(Parser, Debug)]
#[command(
    name = "ayni",
    version,
    about = "Static sites for the knowledge bases of development alliances"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

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
        /// Print the time each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Check every file of the site and list every problem
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Include drafts in the check
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// GitHub Actions workflow commands: inline annotations on pull requests
    Github,
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let color = color();
    for d in diags {
        eprintln!("{}", d.render(color));
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 || warnings > 0 {
        eprintln!("{errors} error(s), {warnings} warning(s)");
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Error::Content(diags) = &e {
                print_diagnostics(diags);
                eprintln!("error: build stopped; the previous output was left as it was");
            } else {
                eprintln!("error: {e:#}");
            }
            e.exit_code()
        }
    }
}

fn run(cli: Cli) -> Result<i32, Error> {
    match cli.command {
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
            };
            let report = build(&opts)?;
            print_diagnostics(&report.warnings);
            if timings {
                for (stage, d) in &report.timings {
                    eprintln!("{stage:>10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                }
            }
            eprintln!(
                "Built {} pages ({} products, {} partners) into {} in {:.2} s",
                report.pages,
                report.products,
                report.partners,
                report.out.display(),
                report.elapsed.as_secs_f64()
            );
            Ok(0)
        }
        Command::Check {
            root,
            format,
            drafts,
        } => {
            let mut opts = BuildOptions::new(root);
            opts.drafts = drafts;
            let diags = check(&opts)?;
            let errors = diags.iter().filter(|d| d.is_error()).count();
            match format {
                Format::Json => {
                    let json = serde_json::json!({
                        "errors": errors,
                        "warnings": diags.len() - errors,
                        "diagnostics": diags.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
                    });
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&json).unwrap_or_default()
                    );
                }
                Format::Github => {
                    for d in &diags {
                        println!("{}", d.to_github());
                    }
                    eprintln!("{errors} error(s), {} warning(s)", diags.len() - errors);
                }
                Format::Text => {
                    print_diagnostics(&diags);
                    if errors == 0 {
                        eprintln!("No errors found.");
                    }
                }
            }
            Ok(if errors > 0 { 1 } else { 0 })
        }
    }
}
