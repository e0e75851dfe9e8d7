//! Case files in: TOML, JSON and CSV (by extension), or standard input (`-`,
//! TOML or JSON, sniffed). Several files given together are one case with one
//! id namespace. Every problem becomes a [`Diagnostic`] naming the file, line
//! and column; errors stop the run, warnings are returned with the case, and
//! `strict` turns warnings into errors. Input files are only ever read.
//!
//! ```
//! use rumorgraph::load::{load_str, Format, LoadOptions};
//! let text = r#"
//! [[reports]]
//! source = "blog"
//! claim = "in-libya"
//! cites = ["alalam"]
//! "#;
//! let loaded = load_str("case.toml", text, Format::Toml, &LoadOptions::default()).unwrap();
//! assert_eq!(loaded.case.sources.len(), 2);
//! assert!(loaded.warnings.is_empty());
//! ```

mod build;
mod records;
mod table;
mod tree;
mod workbook;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::model::{Case, Location};
use tree::FileText;

/// One input: a file, or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// `-` is standard input; anything else is a path.
    pub fn from_arg(arg: &str) -> Input {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }

    fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".to_owned(),
        }
    }
}

/// The encodings of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
    /// A table: comma-, semicolon- or tab-separated.
    Csv,
    /// A workbook: `.xlsx`, `.xlsm`, `.xls` or `.ods`.
    Workbook,
}

impl Format {
    /// The format a file name says, by its extension (any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "xlsx" | "xlsm" | "xls" | "ods" => Some(Format::Workbook),
            _ => None,
        }
    }

    /// The format of a text without a telling name: JSON starts with `{`, a
    /// CSV table starts with a header of known column names, anything else is
    /// read as TOML.
    pub fn sniff(text: &str) -> Format {
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with('{') {
            return Format::Json;
        }
        let first = t.lines().next().unwrap_or("");
        let delim = table::sniff_delimiter(first) as char;
        let cols: Vec<String> = first
            .split(delim)
            .map(|c| c.trim().trim_matches('"').to_lowercase())
            .collect();
        let known = |c: &String| {
            table::REPORT_COLUMNS.contains(&c.as_str())
                || records::SOURCE_KEYS.contains(&c.as_str())
                || records::CLAIM_KEYS.contains(&c.as_str())
        };
        if cols.len() >= 2
            && (cols.iter().any(|c| c == "source" || c == "id"))
            && cols.iter().all(known)
        {
            return Format::Csv;
        }
        Format::Toml
    }
}

/// Every column name a table can have (reports, sources, claims), each once:
/// what `--columns` may map a foreign column onto.
pub fn table_columns() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = table::REPORT_COLUMNS.to_vec();
    for c in records::SOURCE_KEYS.iter().chain(&records::CLAIM_KEYS) {
        if !all.contains(c) {
            all.push(c);
        }
    }
    all
}

/// How to load.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Make every warning an error.
    pub strict: bool,
    /// The largest input read, in bytes; a larger file is refused before it
    /// is read, and standard input or a device is read no further.
    pub max_input_bytes: u64,
    /// How tables (CSV and workbook sheets) are read.
    pub table: TableOptions,
}

/// How the columns of tables are read: another tool's column names mapped
/// onto the format's, and the separator of several cited ids in one cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// (the format's column, the table's column), as `--columns
    /// source=to_user` gives them. Header cells match ignoring case.
    pub columns: Vec<(String, String)>,
    /// The separator of cited ids in one cell; `;` by default.
    pub cites_sep: Option<char>,
}

/// The default of [`LoadOptions::max_input_bytes`]: 1 GiB, about sixteen
/// million reports as CSV.
pub const DEFAULT_MAX_INPUT: u64 = 1 << 30;

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            strict: false,
            max_input_bytes: DEFAULT_MAX_INPUT,
            table: TableOptions::default(),
        }
    }
}

/// A loaded case and the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub case: Case,
    pub warnings: Vec<Diagnostic>,
}

/// Loads one case from several inputs.
///
/// Fails with [`Error::Invalid`] listing every error (and, with `strict`,
/// every warning as an error) found in all the inputs; [`Error::NoInput`]
/// when `inputs` is empty.
pub fn load(inputs: &[Input], opts: &LoadOptions) -> Result<Loaded> {
    if inputs.is_empty() {
        return Err(Error::NoInput);
    }
    let mut diags = Vec::new();
    let mut files = Vec::with_capacity(inputs.len());
    let mut formats = Vec::with_capacity(inputs.len());
    for input in inputs {
        let name = input.name();
        let by_name = match input {
            Input::Path(p) => Format::from_path(p),
            Input::Stdin => None,
        };
        match read(input, opts.max_input_bytes) {
            Ok(bytes) if by_name == Some(Format::Workbook) => {
                for sheet in workbook::sheets(&name, bytes, &mut diags) {
                    files.push(sheet);
                    formats.push(Format::Csv);
                }
            }
            Ok(bytes) => match decode(&name, bytes) {
                Ok(text) if *input == Input::Stdin && text.trim().is_empty() => {
                    let at = Location {
                        file: name.as_str().into(),
                        line: None,
                        column: None,
                    };
                    diags.push(
                        Diagnostic::error(Code::Read, at, "standard input is empty")
                            .with_help("`-` reads a case from standard input: pipe or redirect a TOML or JSON case into it, e.g. `rumorgraph validate - < case.toml`"),
                    );
                }
                Ok(text) => {
                    let format = by_name.unwrap_or_else(|| Format::sniff(&text));
                    files.push(file_text(name, text, format));
                    formats.push(format);
                }
                Err(d) => diags.push(*d),
            },
            Err(e) => {
                let at = Location {
                    file: name.as_str().into(),
                    line: None,
                    column: None,
                };
                let help = match e.kind() {
                    std::io::ErrorKind::FileTooLarge => {
                        "raise the limit with --max-input (e.g. --max-input 4G) if this is really a case"
                    }
                    std::io::ErrorKind::NotFound => {
                        "check the path; paths are relative to the current directory"
                    }
                    std::io::ErrorKind::PermissionDenied => "check the file's permissions",
                    _ => "check that the path names a readable file",
                };
                diags.push(
                    Diagnostic::error(Code::Read, at, format!("cannot read {name}: {e}"))
                        .with_help(help),
                );
            }
        }
    }
    finish(files, formats, diags, opts)
}

/// Loads one case from a text already in memory, named `name` in messages.
pub fn load_str(name: &str, text: &str, format: Format, opts: &LoadOptions) -> Result<Loaded> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
    let files = vec![file_text(name.to_owned(), text, format)];
    finish(files, vec![format], Vec::new(), opts)
}

/// The columns of a table of reports (besides the optional `source_*` and
/// `claim_text`), of sources and of claims, in the format's order.
pub const REPORT_COLUMNS: [&str; 9] = records::REPORT_KEYS;
pub const SOURCE_COLUMNS: [&str; 7] = records::SOURCE_KEYS;
pub const CLAIM_COLUMNS: [&str; 2] = records::CLAIM_KEYS;

/// Loads one case from tables already in memory: `(name, text)` pairs, each
/// a comma-separated table with a header (reports, sources or claims, told
/// apart by their headers as for CSV files), named `name` in messages. This
/// is how the Python package hands over a DataFrame.
pub fn load_tables(tables: Vec<(String, String)>, opts: &LoadOptions) -> Result<Loaded> {
    let formats = vec![Format::Csv; tables.len()];
    let files = tables
        .into_iter()
        .map(|(name, text)| FileText::table(name, text, b',', None))
        .collect();
    finish(files, formats, Vec::new(), opts)
}

/// Loads one case from a workbook's bytes, named `name` in messages.
pub fn load_workbook(name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> Result<Loaded> {
    let mut diags = Vec::new();
    let files = workbook::sheets(name, bytes, &mut diags);
    let formats = vec![Format::Csv; files.len()];
    finish(files, formats, diags, opts)
}

/// The text of one input as the loader reads it: a table with the separator
/// its header uses.
fn file_text(name: String, text: String, format: Format) -> FileText {
    match format {
        Format::Csv => {
            let delim = table::sniff_delimiter(&text);
            FileText::table(name, text, delim, None)
        }
        _ => FileText::new(name, text, format == Format::Json),
    }
}

fn finish(
    files: Vec<FileText>,
    formats: Vec<Format>,
    mut diags: Vec<Diagnostic>,
    opts: &LoadOptions,
) -> Result<Loaded> {
    // The records of each file, in one or more pieces, with the file's index.
    let mut raws: Vec<(usize, records::RawFile)> = Vec::with_capacity(files.len());
    for (fi, (file, format)) in files.iter().zip(&formats).enumerate() {
        let mut file_diags = Vec::new();
        let pieces = match format {
            Format::Toml => tree::parse_toml(file)
                .map(|root| vec![records::from_tree(file, root, &mut file_diags)]),
            Format::Json => tree::parse_json(file)
                .map(|root| vec![records::from_tree(file, root, &mut file_diags)]),
            Format::Csv | Format::Workbook => {
                Ok(table::from_csv(file, &opts.table, &mut file_diags))
            }
        };
        match pieces {
            Ok(pieces) => raws.extend(pieces.into_iter().map(|raw| (fi, raw))),
            Err(d) => {
                file_diags.push(*d);
                raws.push((fi, records::RawFile::default()));
            }
        }
        // Messages of a file in the order of its lines.
        file_diags.sort_by_key(|d| (d.at.line, d.at.column));
        diags.append(&mut file_diags);
    }
    let mut build_diags = Vec::new();
    let case = build::build(&files, raws, &mut build_diags);
    diags.append(&mut build_diags);

    if opts.strict {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid { diagnostics: diags });
    }
    Ok(Loaded {
        case,
        warnings: diags,
    })
}

/// Reads an input whole, refusing one larger than `limit` bytes: a regular
/// file by its size before reading it, anything else (standard input, a
/// pipe, `/dev/zero`) by reading no further than the limit.
fn read(input: &Input, limit: u64) -> std::io::Result<Vec<u8>> {
    let too_big = |size: Option<u64>| {
        let size = size.map_or_else(|| "larger".to_owned(), |s| format!("{}, larger", bytes(s)));
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("it is {size} than the limit of {}", bytes(limit)),
        )
    };
    let mut buf = Vec::new();
    match input {
        Input::Path(p) => {
            let f = std::fs::File::open(p)?;
            let meta = f.metadata()?;
            if meta.is_dir() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::IsADirectory,
                    "it is a directory",
                ));
            }
            if meta.is_file() {
                if meta.len() > limit {
                    return Err(too_big(Some(meta.len())));
                }
                // Room for the whole file and the read that finds its end:
                // growing by doubling kept up to twice the file in memory.
                buf.reserve_exact(meta.len() as usize + 1);
            }
            f.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
        }
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(limit.saturating_add(1))
                .read_to_end(&mut buf)?;
        }
    }
    if buf.len() as u64 > limit {
        return Err(too_big(None));
    }
    Ok(buf)
}

/// A size in bytes as people read it: `512 MiB`, `1.5 GiB`.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < 3 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else if v.fract() == 0.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// UTF-8 text without a byte-order mark, or a message saying where the file
/// stops being UTF-8.
fn decode(name: &str, bytes: Vec<u8>) -> std::result::Result<String, Box<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = bytes[..valid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            // Everything before `valid` is UTF-8, so this cannot fail.
            let column = std::str::from_utf8(&bytes[line_start..valid])
                .map_or(0, |s| s.chars().count()) as u32
                + 1;
            let at = Location {
                file: name.into(),
                line: Some(line),
                column: Some(column),
            };
            Err(Box::new(
                Diagnostic::error(
                    Code::Syntax,
                    at,
                    format!("the file is not UTF-8 text (byte {valid})"),
                )
                .with_help("save the file as UTF-8"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(Format::sniff("  {\"reports\": []}"), Format::Json);
        assert_eq!(Format::sniff("title = \"x\""), Format::Toml);
        assert_eq!(Format::sniff("[[reports]]\nsource='a'"), Format::Toml);
        assert_eq!(Format::sniff("[sources]"), Format::Toml);
        assert_eq!(Format::sniff("\u{feff}{}"), Format::Json);
        assert_eq!(Format::sniff("source,claim,cites\na,b,c"), Format::Csv);
    }

    #[test]
    fn csv_tables_load_with_and_without_notes() {
        let opts = LoadOptions::default();
        let plain = load_str("t.csv", "source,claim,cites\na,c1,b\n", Format::Csv, &opts).unwrap();
        assert_eq!(plain.case.reports.len(), 1);
        let text = "source,claim,cites,notes\na,c1,b,inferred date\n";
        let noted = load_str("t.csv", text, Format::Csv, &opts).unwrap();
        assert_eq!(noted.case.reports[0].notes(), Some("inferred date"));
    }
}
