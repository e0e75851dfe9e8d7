//! The command line: one clap derive struct per command. The `///` comments
//! are the help text users read with `rumorgraph help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Trace how a claim travels through the media: where it started, how many
/// genuinely independent origins stand behind it, whether it is single-sourced
/// or circular, and the diagram.
///
/// A case is one or more files (.toml, .json, .csv, .xlsx, .ods, or - for
/// standard input)
/// that say who reported which claim and whom each report attributed it to.
/// Exit codes: 0 ok, 1 a check failed, 2 bad input.
#[derive(Debug, Parser)]
#[command(
    name = "rumorgraph",
    version = env!("RUMORGRAPH_VERSION"),
    max_term_width = 100,
    after_help = "EXAMPLES:
  rumorgraph analyze case.toml                    the figures of every claim
  rumorgraph check case.toml --min-independent 2  PASS or FAIL per claim
  rumorgraph trace case.toml --claim C --source S every chain to one source
  rumorgraph dot case.toml -o case.svg            the diagram (needs Graphviz)
  rumorgraph validate case.toml sheet.xlsx        every error and warning

The format of a case, the figures and every message are explained in the
repository's docs/format.md and docs/method.md."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The figures of every claim: origins, circular groups, independent,
    /// anonymous and named origins, and for every source its roots and chains.
    #[command(after_help = "EXAMPLES:
  rumorgraph analyze data/baghdadi-libya.toml
  rumorgraph analyze data/baghdadi-libya.toml --claim in-libya --format json
  rumorgraph analyze sources.csv claims.csv reports.csv --count anonymous
  rumorgraph analyze hoaxy.csv --columns source=to_user,cites=from_user,claim=title")]
    Analyze(AnalyzeArgs),
    /// One PASS or FAIL line per claim: does it have at least N independent
    /// named origins? Exit code 1 when any claim fails, 2 when the case has
    /// no claims; made for scripts and CI.
    #[command(after_help = "EXAMPLES:
  rumorgraph check data/baghdadi-libya.toml
  rumorgraph check data/baghdadi-libya.toml --claim in-libya --min-independent 3
  rumorgraph check case.xlsx --count anonymous,undisclosed -q || echo single-sourced")]
    Check(CheckArgs),
    /// Every citation chain from an origin to one source, one per line.
    #[command(after_help = "EXAMPLES:
  rumorgraph trace data/baghdadi-libya.toml --claim in-libya --source missing-peace
  rumorgraph trace case.csv --claim c --source '@blogger' --max-paths 20")]
    Trace(TraceArgs),
    /// A Graphviz diagram of the claims' citation graphs (DOT text, or a
    /// picture with --render, or when -o names a .svg, .png or .pdf file).
    #[command(after_help = "EXAMPLES:
  rumorgraph dot data/baghdadi-libya.toml -o case.dot
  rumorgraph dot data/baghdadi-libya.toml --claim in-libya -o in-libya.svg
  rumorgraph dot case.toml --render pdf > case.pdf")]
    Dot(DotArgs),
    /// One self-contained HTML page that works offline: every claim with its
    /// verdict badges, timeline and diagram; click a source to light up its
    /// chains to the origins and read its reports. Needs Graphviz.
    #[command(after_help = "EXAMPLES:
  rumorgraph html data/baghdadi-libya.toml -o case.html
  rumorgraph html case.toml --claim in-libya --as-of 2016-01-31 -o early.html")]
    Html(HtmlArgs),
    /// What changed between two versions of a case: per claim, the verdict
    /// and figures before and after, root groups gained and lost, reports
    /// added, removed or changed; and the sources. Exit code 0 when no
    /// verdict changed, 1 when one did.
    #[command(after_help = "EXAMPLES:
  rumorgraph diff old/case.toml -- case.toml
  git show HEAD~1:case.toml > /tmp/old.toml && rumorgraph diff /tmp/old.toml -- case.toml
  rumorgraph diff --format json v1/sources.csv v1/reports.csv -- v2/sources.csv v2/reports.csv")]
    Diff(DiffArgs),
    /// Every error and warning the case has. Exit code 0 when it is clean or
    /// has warnings only, 2 when it has errors.
    #[command(after_help = "EXAMPLES:
  rumorgraph validate data/baghdadi-libya.toml --strict
  rumorgraph validate data/example-sources.csv data/example-claims.csv data/example.csv")]
    Validate(ValidateArgs),
    /// The days on which each claim's figures changed: first report, first
    /// support, each new independent origin, two named origins, first denial.
    #[command(after_help = "EXAMPLES:
  rumorgraph timeline data/baghdadi-libya.toml --claim in-libya
  rumorgraph timeline data/baghdadi-libya.toml --format json")]
    Timeline(TimelineArgs),
    /// The claims' graphs and figures for other tools: GEXF (Gephi),
    /// GraphML (networkx, igraph), CSV tables (pandas, R) or W3C PROV.
    #[command(after_help = "EXAMPLES:
  rumorgraph export data/baghdadi-libya.toml --to gexf -o case.gexf
  rumorgraph export data/baghdadi-libya.toml --to csv -o tables/
  rumorgraph export data/baghdadi-libya.toml --claim in-libya --to prov-json -o in-libya.json")]
    Export(ExportArgs),
    /// Shell completions for bash, zsh, fish or PowerShell, on standard output.
    #[command(after_help = "EXAMPLES:
  rumorgraph completions bash > ~/.local/share/bash-completion/completions/rumorgraph
  rumorgraph completions zsh > ~/.zfunc/_rumorgraph")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// The manual page (roff), on standard output.
    #[command(after_help = "EXAMPLES:
  rumorgraph man > rumorgraph.1 && man ./rumorgraph.1")]
    Man,
}

/// A shell that `completions` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// The case files, shared by every command.
#[derive(Clone, Debug, Args)]
pub struct CaseArgs {
    /// Case files: .toml, .json, .csv (or .tsv), .xlsx or .ods, several files
    /// forming one case; `-` reads TOML, JSON or CSV from standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,

    /// Treat every warning as an error (exit code 2).
    #[arg(long)]
    pub strict: bool,

    /// Do not print warnings.
    #[arg(long, short)]
    pub quiet: bool,

    /// The record as it stood on this day (YYYY-MM-DD, or YYYY-MM / YYYY for
    /// the end of that month or year): only reports whose date's whole
    /// period ends on or before it are kept; undated reports are left out,
    /// and how many were left out is said.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<(u16, u8, u8)>,

    /// Read another tool's table: map its column names onto the format's,
    /// OURS=THEIRS, comma-separated (e.g. --columns
    /// source=to_user,claim=topic,cites=from_user,date=created_at). Header
    /// cells match ignoring case; columns not mapped are left out with one
    /// warning.
    #[arg(long, value_name = "MAP", value_delimiter = ',', value_parser = parse_mapping)]
    pub columns: Vec<(String, String)>,

    /// The separator of several cited ids in one cell of a table (default `;`).
    #[arg(long, value_name = "CHAR")]
    pub cites_sep: Option<char>,

    /// The largest input read, in bytes, or with K, M or G (binary units):
    /// a larger file is refused before it is read.
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_input: u64,
}

/// A day for `--as-of`: a date, or the last day of a month or year.
fn parse_day(s: &str) -> Result<(u16, u8, u8), String> {
    crate::model::PartialDate::parse(s.trim())
        .map(|d| d.last_day())
        .ok_or_else(|| format!("{s:?} is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)"))
}

/// One `OURS=THEIRS` of `--columns`: OURS must be a column of the format.
fn parse_mapping(s: &str) -> Result<(String, String), String> {
    let ours_all = crate::load::table_columns();
    let (ours, theirs) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not OURS=THEIRS (e.g. source=to_user)"))?;
    let ours = ours.trim().to_lowercase();
    if !ours_all.contains(&ours.as_str()) {
        return Err(format!(
            "`{ours}` is not a column of the format; the columns are {}",
            ours_all.join(", ")
        ));
    }
    if theirs.trim().is_empty() {
        return Err(format!("{s:?} names no column of the table after `=`"));
    }
    Ok((ours, theirs.trim().to_owned()))
}

/// A size: a number of bytes, or a number followed by K, M or G (powers of 1024).
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 10),
        Some((i, 'm' | 'M')) => (&t[..i], 20),
        Some((i, 'g' | 'G')) => (&t[..i], 30),
        _ => (t, 0),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1u64 << shift))
        .ok_or_else(|| {
            format!("{s:?} is not a size: write bytes, or a number with K, M or G (e.g. 4G)")
        })
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// Analyse only this claim (repeatable); all claims by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    #[command(flatten)]
    pub count: CountArgs,

    /// Compute every origin's cascade shape (depth, breadth, virality) even
    /// when a claim's origins reach more than 16 million sources in all,
    /// which is left out by default because it takes longer than the rest.
    #[arg(long)]
    pub cascades: bool,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Which root groups a verdict counts besides the named ones.
#[derive(Debug, Args)]
pub struct CountArgs {
    /// Count these kinds of origin too, besides `named` (comma-separated):
    /// anonymous, undisclosed (asserted without saying where it came from),
    /// unknown (kind never declared). Retracted origins never count.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub count: Vec<CountKind>,

    /// Short for --count anonymous.
    #[arg(long)]
    pub count_anonymous: bool,
}

/// The credibility hint `check --require` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Require {
    /// Eligible for grade 1 of the Admiralty scale.
    #[value(name = "eligible-1")]
    Eligible1,
}

/// A kind of root group that `--count` can add to the named ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CountKind {
    /// Every member is of kind anonymous.
    Anonymous,
    /// A named source whose every report has basis = "undisclosed".
    Undisclosed,
    /// No member of a named kind, one of kind unknown.
    Unknown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// Check only this claim (repeatable); all claims by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// How many independent named origins a claim needs to pass (a claim
    /// with no support report never passes).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_independent: u32,

    #[command(flatten)]
    pub count: CountArgs,

    /// Pass a claim on its credibility hint instead of a count: with
    /// `eligible-1`, a claim passes when it has two named independent
    /// origins and no named denial (docs/method.md).
    #[arg(long, value_enum, value_name = "HINT", conflicts_with_all = ["min_independent", "count", "count_anonymous"])]
    pub require: Option<Require>,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// The claim whose chains to trace.
    #[arg(long, value_name = "ID")]
    pub claim: String,

    /// The source the chains lead to.
    #[arg(long, value_name = "ID")]
    pub source: String,

    /// Stop after this many chains (their number can grow exponentially).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_paths: usize,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DotArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// Draw only this claim (repeatable); all claims by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Render a picture with Graphviz's `dot` instead of writing DOT text.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub render: Option<Render>,

    /// How long Graphviz may take to render, in seconds, before it is stopped.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub render_timeout: u64,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version's files come first (FILE...), then `--` and the new
    /// version's files; options go before `--` and apply to both.
    #[command(flatten)]
    pub case: CaseArgs,

    /// The new version's files, after `--`.
    #[arg(last = true, required = true, value_name = "NEW")]
    pub new: Vec<String>,

    /// Compare only this claim (repeatable); all claims of either version
    /// by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// The verdict compared: how many independent named origins a claim
    /// needs to pass, as for `check`.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_independent: u32,

    #[command(flatten)]
    pub count: CountArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HtmlArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// Only this claim (repeatable); all claims by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// How long Graphviz may take to draw each claim, in seconds, before it is stopped.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub render_timeout: u64,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// Only this claim (repeatable); all claims by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write to this file instead of standard output (written whole or not at all).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub case: CaseArgs,

    /// Export only this claim (repeatable); all claims by default.
    #[arg(long, value_name = "ID")]
    pub claim: Vec<String>,

    /// The format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ExportFormat,

    /// Where to write: a file, or for `csv` a folder (created if needed);
    /// standard output when absent (not for `csv`).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// The formats of `export`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// GEXF 1.3, for Gephi.
    Gexf,
    /// GraphML, for networkx, igraph, yEd.
    Graphml,
    /// A folder of CSV tables: claims, sources, roots, edges, reports.
    Csv,
    /// W3C PROV as PROV-JSON.
    ProvJson,
    /// W3C PROV as PROV-N.
    ProvN,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub case: CaseArgs,
}

/// How `analyze` writes its figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A report to read.
    Text,
    /// One JSON object, as documented in docs/method.md.
    Json,
}

/// The picture formats Graphviz renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Render {
    Svg,
    Png,
    Pdf,
}
