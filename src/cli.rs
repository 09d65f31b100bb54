//! Command line (SPEC §2): clap definitions and dispatch to one module per command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::commands::build::{self, Options, Plan};
use crate::commands::{init, serve, sign, verify};
use crate::error::{Error, Result};
use crate::synth;

#[derive(Debug, Parser)]
#[command(
    name = "transparency-report",
    version,
    // A fixed width keeps help texts identical in every terminal (and in the golden tests).
    term_width = 100,
    about = "Turn a Code of Conduct committee's anonymised case export into a publishable transparency report.",
    long_about = "Turn a Code of Conduct committee's anonymised case export (CSV) into a reproducible,\n\
publishable transparency report: HTML and Markdown with charts, data files and a manifest of hashes.\n\n\
Exit codes: 0 success; 1 the data is invalid or `verify` found a difference;\n\
2 usage, configuration or file error; 3 `verify` found no difference but could not check\n\
everything (no export given, or a report built by another version).",
    after_help = "Examples:\n  \
transparency-report build                # here: the sample report → output/2025/\n  \
transparency-report init my-report       # start your own report\n  \
transparency-report verify --report output/2025   # here: check the sample report"
)]
pub struct Cli {
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the report: validate the export, compute every figure, write output/<label>/.
    #[command(after_help = "Examples:\n  transparency-report build\n  \
transparency-report build --input cases-2025.csv --config report.toml --year 2025\n  \
transparency-report build --from 2024-09-01 --to 2025-08-31 --out public/FY2025")]
    Build(BuildArgs),
    /// Preview while editing: build into memory, serve on 127.0.0.1, rebuild on every change.
    #[command(
        after_help = "Serves the report on http://127.0.0.1:PORT/ (this computer only) and builds it again when
the export, report.toml, the narrative, a template or a history file changes; open pages
reload themselves. Nothing is written: output/ is left as it is. A failed build is shown
as a page until the next build succeeds. Ctrl-C stops the server.

Examples:
  transparency-report serve
  transparency-report serve --input cases-2025.csv --config report.toml --port 8000"
    )]
    Serve(ServeArgs),
    /// Check every row of the export against the format and the config; writes nothing.
    #[command(
        after_help = "Every row is checked, whatever its date; no period is needed. With one (--year,\n\
--from/--to, or [period] in report.toml) validate also says how many valid rows fall inside it.\n\n\
Example:\n  transparency-report validate --input cases-2025.csv --config report.toml"
    )]
    Validate(CommonArgs),
    /// Rebuild a published report from its export and compare every file byte for byte.
    #[command(
        after_help = "Without --input (and no report.toml here), the report is checked alone: the hashes in\n\
manifest.json, the sums and tables of its data, and with --signers its signature.\n\n\
Examples:\n  transparency-report verify --report output/2025 --input cases.csv --config report.toml\n  \
transparency-report verify --report 2025 --signers allowed_signers"
    )]
    Verify(VerifyArgs),
    /// Sign a report's manifest.json with the committee's SSH key (writes manifest.json.sig).
    #[command(
        after_help = "The signature is OpenSSH's (namespace transparency-report), so readers check it with\n\
ssh-keygen -Y verify, or with verify --signers. Ed25519 keys without a passphrase; for\n\
any other key, ssh-keygen -Y sign -f KEY -n transparency-report DIR/manifest.json\n\
writes the same file.\n\n\
Example:\n  transparency-report sign --report output/2025 --key ~/.ssh/coc_committee_ed25519"
    )]
    Sign(SignArgs),
    /// Write a deterministic synthetic export, for trying the tool or benchmarking it.
    #[command(
        after_help = "Examples:\n  transparency-report sample --rows 300 --year 2025 --seed 7 --out cases.csv\n  \
transparency-report sample --rows 20 --out -      # last year's cases, on standard output"
    )]
    Sample(SampleArgs),
    /// Create a folder with a commented report.toml, a narrative, an example export and templates.
    #[command(
        after_help = "Examples:\n  transparency-report init my-report && cd my-report && transparency-report build\n  \
transparency-report init psf-report --preset psf\n\n\
Presets: ala (default), psf, django, contributor-covenant."
    )]
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  transparency-report completions bash > ~/.local/share/bash-completion/completions/transparency-report"
    )]
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Case export: CSV, or a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods; its first visible
    /// worksheet, or the config's `sheet`). Repeat for several files. Default: the config's
    /// `inputs`, or every *.csv beside the config.
    #[arg(long = "input", short = 'i', value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Settings file. Default: ./report.toml, else (only without --input)
    /// sample_data/report.toml, else the ALA defaults.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report on this calendar year.
    #[arg(long, value_name = "YYYY", conflicts_with_all = ["from", "to", "period"])]
    pub year: Option<i32>,
    /// Report on this half-year (2025H1), quarter (2025Q3), year (2025) or fiscal year of the
    /// config's [period] (FY2025); the report is labelled with it.
    #[arg(long, value_name = "PERIOD", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day of the period (with --to), e.g. 2024-09-01.
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day of the period (with --from), e.g. 2025-08-31.
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<NaiveDate>,
    /// IANA time zone for local dates, e.g. America/Chicago (overrides the config).
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Leave out invalid rows instead of stopping; the report says how many.
    #[arg(long)]
    pub skip_invalid: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Report folder to write. Default: output/<label>.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Hide counts below N ("< N"), N at most 1000000; 0 turns suppression off (overrides the
    /// config).
    #[arg(long, value_name = "N")]
    pub min_cell: Option<u64>,
    /// Folder of templates that override the embedded ones (see `init`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Build a site of several periods from one read of the export: a report per period in
    /// DIR/<label>/ and an index of the series (DIR: --out, default output/). SPEC is a comma
    /// list of years (2025), half-years (2025H1), quarters (2025Q3), fiscal years of the
    /// config's [period] (FY2025), or ranges of one kind (2019..2025).
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["year", "from", "to", "period"])]
    pub periods: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Hide counts below N ("< N"), N at most 1000000; 0 turns suppression off (overrides the
    /// config).
    #[arg(long, value_name = "N")]
    pub min_cell: Option<u64>,
    /// Folder of templates that override the embedded ones (see `init`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Serve a whole site, as `build --periods SPEC` writes it: its index, every period and
    /// the imported files, from memory.
    #[arg(long, value_name = "SPEC", conflicts_with_all = ["year", "from", "to"])]
    pub periods: Option<String>,
    /// Port on 127.0.0.1 to serve on; 0 takes any free port.
    #[arg(long, short = 'p', value_name = "N", default_value_t = serve::DEFAULT_PORT)]
    pub port: u16,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The published report folder (holds manifest.json).
    #[arg(long, value_name = "DIR")]
    pub report: PathBuf,
    /// The export(s) the report was built from.
    #[arg(long = "input", short = 'i', value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// The settings file the report was built with (default as for build).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Template folder the report was built with, if any.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// OpenSSH allowed-signers file: check the signature manifest.json.sig against it.
    #[arg(long, value_name = "FILE")]
    pub signers: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The report folder (holds manifest.json).
    #[arg(long, value_name = "DIR")]
    pub report: PathBuf,
    /// The committee's private SSH key (Ed25519, OpenSSH format, no passphrase).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Number of cases.
    #[arg(long, value_name = "N")]
    pub rows: u64,
    /// Year the cases are reported in. Default: the year before the current one.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// Seed: the same seed gives the same file, byte for byte.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// File to write; `-` writes to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: PathBuf,
    /// Settings whose taxonomy and time zone to use (default: the ALA defaults).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (or fill).
    pub dir: PathBuf,
    /// Year of the report and of the example export. Default: last year.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Community whose taxonomy (categories, levels, actions) report.toml starts from.
    #[arg(long, value_name = "NAME", default_value = "ala",
          value_parser = crate::config::PRESET_NAMES)]
    pub preset: String,
}

impl CommonArgs {
    fn options(&self, quiet: bool) -> Options {
        Options {
            inputs: self.inputs.clone(),
            config: self.config.clone(),
            year: self.year,
            from: self.from,
            to: self.to,
            period: self.period.clone(),
            timezone: self.timezone.clone(),
            skip_invalid: self.skip_invalid,
            progress: !quiet && std::io::stderr().is_terminal(),
            ..Options::default()
        }
    }
}

/// The default year of `init` and `sample`: the last complete calendar year.
fn last_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year() - 1
}

/// Writes a line to stdout (a command's output). A closed pipe (`… | head`) comes back as
/// an I/O error of kind `BrokenPipe`, which `main` turns into a quiet exit 0, as ripgrep does.
pub fn out_line(text: &str) -> Result<()> {
    out_bytes(format!("{text}\n").as_bytes())
}

fn out_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("cannot write to stdout", e))
}

/// Writes a line to stderr (messages for the user). A closed pipe is returned as for
/// [`out_line`]; any other failure is ignored, as there is nowhere left to report it.
pub fn err_line(text: &str) -> Result<()> {
    // One write of the whole message: stderr is unbuffered, and a message written in pieces
    // could meet a reader that has gone between two of them.
    match std::io::stderr()
        .lock()
        .write_all(format!("{text}\n").as_bytes())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to stderr", e))
        }
        _ => Ok(()),
    }
}

/// Prints what `serve` has to say: the address on stdout (the command's output, also with
/// `--quiet`), builds and warnings on stderr, errors also with `--quiet`.
fn serve_event(event: &serve::Event, quiet: bool) -> Result<()> {
    let say = |msg: &str| if quiet { Ok(()) } else { err_line(msg) };
    let because = |changed: &[PathBuf]| {
        if changed.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = changed.iter().map(|p| p.display().to_string()).collect();
            format!("{} changed: ", names.join(", "))
        }
    };
    match event {
        serve::Event::Listening { url } => {
            out_line(&format!(
                "Serving the report on {url} — press Ctrl-C to stop"
            ))?;
        }
        serve::Event::Built {
            changed,
            seconds,
            warnings,
        } => {
            for w in *warnings {
                say(&format!("warning: {w}"))?;
            }
            let verb = if changed.is_empty() {
                "built"
            } else {
                "rebuilt"
            };
            say(&format!("{}{verb} in {seconds:.1} s", because(changed)))?;
        }
        serve::Event::Failed { changed, error } => {
            if !changed.is_empty() {
                say(&format!("{}rebuild failed", because(changed)))?;
            }
            err_line(&format!("error: {error}"))?;
        }
    }
    Ok(())
}

/// Exit code of `verify` when it found no difference but could not check everything.
pub const PARTLY_VERIFIED: i32 = 3;

/// Runs a parsed command. Messages for the user go to stderr; errors are returned. Returns
/// the exit code of a run without error (0, or `PARTLY_VERIFIED`).
pub fn run(cli: Cli) -> Result<i32> {
    let quiet = cli.quiet;
    let say = |msg: &str| if quiet { Ok(()) } else { err_line(msg) };
    match cli.command {
        Command::Build(a) => {
            let mut opts = a.common.options(quiet);
            opts.out = a.out;
            opts.min_cell = a.min_cell;
            opts.templates = a.templates;
            if let Some(spec) = &a.periods {
                opts.periods = Some(spec.clone());
                let outcome =
                    build::site::run_site(&opts, spec, &mut build::Phases::new(opts.progress))?;
                let site = &outcome.site;
                for w in &site.warnings {
                    say(&format!("warning: {w}"))?;
                }
                for (sp, b) in &site.periods {
                    let total = b.summary.cases.total.unwrap_or(0);
                    say(&format!(
                        "{}: {} case{} → {}/",
                        sp.period.label,
                        total,
                        if total == 1 { "" } else { "s" },
                        outcome.out_dir.join(&sp.period.label).display()
                    ))?;
                }
                let rejected = site
                    .periods
                    .first()
                    .map(|(_, b)| b.summary.rows.rejected)
                    .unwrap_or(0);
                say(&format!(
                    "{} periods, {} row{} rejected → {}/ (settings: {})",
                    site.periods.len(),
                    rejected,
                    if rejected == 1 { "" } else { "s" },
                    outcome.out_dir.display(),
                    outcome.settings
                ))?;
                return Ok(0);
            }
            let outcome = build::run(&opts)?;
            let b = &outcome.built;
            for w in &b.warnings {
                say(&format!("warning: {w}"))?;
            }
            let total = b.summary.cases.total.unwrap_or(0);
            say(&format!(
                "{} {} in {}, {} row{} rejected → {}/ (settings: {})",
                total,
                if total == 1 {
                    &outcome.case_words.0
                } else {
                    &outcome.case_words.1
                },
                b.summary.period.label,
                b.summary.rows.rejected,
                if b.summary.rows.rejected == 1 {
                    ""
                } else {
                    "s"
                },
                outcome.out_dir.display(),
                outcome.settings
            ))?;
        }
        Command::Serve(a) => {
            let mut opts = a.common.options(quiet);
            opts.min_cell = a.min_cell;
            opts.templates = a.templates;
            opts.periods = a.periods;
            serve::run(
                &serve::ServeOptions {
                    build: opts,
                    port: a.port,
                },
                &mut |event| serve_event(&event, quiet),
            )?;
        }
        Command::Validate(a) => {
            // Checking rows needs no period; with one, the rows inside it are counted too.
            let plan = Plan::resolve_for_validate(&a.options(quiet))?;
            let loaded = build::load_valid(&plan)?;
            for w in build::example_warnings(&plan, &loaded.inputs) {
                say(&format!("warning: {w}"))?;
            }
            // The summaries file is checked too: its format (an error, exit 2), what looks
            // identifying and what is not confirmed. Which counts a build withholds needs
            // the period's figures: `build` says that.
            if let Some((name, entries, _)) = plan.summaries()? {
                let tokens = entries
                    .iter()
                    .flat_map(|e| crate::summaries::tokens(&e.text))
                    .collect();
                let cfg = &plan.config.config;
                let ids = crate::summaries::ids_in_exports(&plan.inputs, cfg, &tokens)?;
                for e in &entries {
                    for w in crate::summaries::check(&name, e, cfg, &ids) {
                        say(&format!("warning: {w}"))?;
                    }
                }
            }
            let read = loaded.rows_read();
            if loaded.errors.total > 0 {
                say(&format!("{}", loaded.errors))?;
            }
            let mut verdict = format!(
                "valid: {} row{} read from {} file{}, {} rejected",
                read,
                if read == 1 { "" } else { "s" },
                loaded.inputs.len(),
                if loaded.inputs.len() == 1 { "" } else { "s" },
                loaded.errors.rejected_rows
            );
            if let Some(p) = &plan.period {
                let n = build::rows_in_period(&loaded.table, p);
                verdict.push_str(&format!(
                    "; {n} of the valid rows {} reported in the period {} to {}",
                    if n == 1 { "was" } else { "were" },
                    p.start,
                    p.end
                ));
            }
            say(&verdict)?;
        }
        Command::Verify(a) => {
            let verdict = verify::run(&verify::VerifyOptions {
                report: a.report,
                inputs: a.inputs,
                config: a.config,
                templates: a.templates,
                signers: a.signers,
            })?;
            // The verdict is the command's output: printed even with --quiet, on stdout.
            match verdict {
                verify::Verdict::Verified { files, notes } => {
                    for n in notes {
                        out_line(&n)?;
                    }
                    out_line(&format!("verified: {files} files match"))?;
                }
                verify::Verdict::Partial {
                    notes,
                    unchecked,
                    hint,
                } => {
                    for n in notes {
                        out_line(&n)?;
                    }
                    for u in &unchecked {
                        out_line(&format!("not checked: {u}"))?;
                    }
                    if let Some(h) = hint {
                        out_line(&h)?;
                    }
                    out_line(&format!(
                        "partly verified: no difference found in what was checked; {} thing{} not checked (exit code {PARTLY_VERIFIED})",
                        unchecked.len(),
                        if unchecked.len() == 1 { "" } else { "s" }
                    ))?;
                    return Ok(PARTLY_VERIFIED);
                }
            }
        }
        Command::Sign(a) => {
            let s = sign::run(&a.report, &a.key)?;
            say(&format!(
                "signed {} → {} (key {}, namespace {})",
                s.manifest.display(),
                s.signature.display(),
                s.signed.fingerprint,
                crate::publish::manifest::SIGNATURE_NAMESPACE
            ))?;
            for line in s.instructions() {
                say(&line)?;
            }
        }
        Command::Sample(a) => {
            let config = match &a.config {
                Some(p) => crate::config::LoadedConfig::load(p)?.config,
                None => crate::config::Config::default(),
            };
            let year = a.year.unwrap_or_else(last_year);
            let to_stdout = a.out.as_os_str() == "-";
            let (sink, name): (Box<dyn Write>, String) = if to_stdout {
                (Box::new(std::io::stdout().lock()), "standard output".into())
            } else {
                let file = std::fs::File::create(&a.out)
                    .map_err(|e| Error::io(format!("cannot create {}", a.out.display()), e))?;
                (Box::new(file), a.out.display().to_string())
            };
            let mut w = std::io::BufWriter::with_capacity(1 << 20, sink);
            synth::generate(
                &synth::SampleOptions {
                    rows: a.rows,
                    year,
                    seed: a.seed,
                },
                &config,
                &mut w,
            )?;
            w.flush()
                .map_err(|e| Error::io(format!("cannot write {name}"), e))?;
            say(&format!("{} cases for {} → {}", a.rows, year, name))?;
        }
        Command::Init(a) => {
            let year = a.year.unwrap_or_else(last_year);
            let files = init::run(&init::InitOptions {
                dir: a.dir.clone(),
                year,
                force: a.force,
                preset: a.preset.clone(),
            })?;
            say(&format!(
                "wrote {} files to {}/; next: cd {} && transparency-report build",
                files.len(),
                a.dir.display(),
                a.dir.display()
            ))?;
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "transparency-report", &mut script);
            out_bytes(&script)?;
        }
    }
    Ok(0)
}
