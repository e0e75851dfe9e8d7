//! Helpers shared by every integration test: the built binary, temporary
//! files, runs with their exit code and output, the repository's files, and
//! small cases built in code.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rumorgraph::model::{
    At, Basis, Case, Claim, Kind, PartialDate, Report, Source, SourceIdx, Stance,
};
use tempfile::TempDir;

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `-1` when the process was killed by a signal.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// True when the process panicked (Rust's exit code 101, or a panic
    /// message on stderr).
    pub fn panicked(&self) -> bool {
        self.code == 101 || self.stderr.contains("panicked")
    }
}

/// The `rumorgraph` binary built for this test run.
pub fn bin() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("rumorgraph").expect("the rumorgraph binary is built")
}

/// Runs the binary with `args` in the current directory.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    finish(bin().args(args))
}

/// Runs the binary with `args` in `dir`, so that relative file names in
/// messages are exactly the names given.
pub fn run_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    finish(bin().current_dir(dir).args(args))
}

/// Runs the binary with `args` in `dir`, feeding `stdin` to its standard input.
pub fn run_with_stdin<I, S>(dir: &Path, args: I, stdin: impl Into<Vec<u8>>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    finish(bin().current_dir(dir).args(args).write_stdin(stdin.into()))
}

fn finish(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new()
        .prefix("rumorgraph-test-")
        .tempdir()
        .expect("a temporary directory")
}

/// Writes `contents` to a file called `name` in `dir` and returns its path.
pub fn write_file(dir: &TempDir, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("the file's directory can be created");
    }
    std::fs::write(&path, contents).expect("the temporary file can be written");
    path
}

/// A path inside the repository (the crate's root directory).
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The text of a file of the repository.
pub fn repo_text(rel: &str) -> String {
    let path = repo_path(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A small deterministic pseudo-random generator (a 64-bit LCG), so that
/// generated inputs are the same on every run and a failure can be replayed.
#[derive(Clone, Debug)]
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 17
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Runs the binary, expecting exit code 0 and no panic; returns stdout.
pub fn run_ok<I, S>(args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let r = run(&args);
    assert!(!r.panicked(), "rumorgraph {args:?} panicked: {}", r.stderr);
    assert_eq!(r.code, 0, "rumorgraph {args:?} failed: {}", r.stderr);
    r.stdout
}

/// Every case file shipped in data/, as `data/NAME`, in name order.
pub fn case_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo_path("data"))
        .expect("data/ exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json" | "csv")
            )
        })
        .map(|p| format!("data/{}", p.file_name().unwrap().to_string_lossy()))
        // Tables of sources and of claims declare, and go with a table of
        // reports: they are no case on their own.
        .filter(|f| !f.ends_with("-sources.csv") && !f.ends_with("-claims.csv"))
        .collect();
    files.sort();
    files
}

/// True when Graphviz's `dot` can be run here.
/// True when Graphviz is installed; otherwise prints "NOT CHECKED: …
/// {what}" and returns false, and fails under CI, which installs it.
pub fn graphviz_or_skip(what: &str) -> bool {
    if dot_available() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install Graphviz (apt-get install graphviz)"
    );
    eprintln!("NOT CHECKED: Graphviz's `dot` is not installed, so {what}");
    false
}

pub fn dot_available() -> bool {
    rumorgraph::export::dot::dot_available()
}

// Not every test module uses every helper.

/// A declared source, with its id.
pub fn source(id: &str, kind: Kind) -> (String, Source) {
    let source = Source {
        name: None,
        kind,
        reliability: None,
        declared: true,
        texts: None,
    };
    (id.into(), source)
}

/// A declared claim.
pub fn claim(id: &str) -> Claim {
    Claim {
        id: id.into(),
        text: format!("claim {id}"),
        declared: true,
    }
}

/// A report of claim `claim` by `source` citing `cites`.
pub fn report(
    source: SourceIdx,
    claim: u32,
    cites: Vec<SourceIdx>,
    stance: Stance,
    date: Option<PartialDate>,
) -> Report {
    Report {
        source,
        claim,
        cites: cites.into(),
        stance,
        basis: Basis::FirstHand,
        date,
        texts: None,
        at: At::default(),
    }
}

/// A one-claim case from a compact description, sources created in the
/// order first named:
///
/// - `u>v`: a support report by `v` citing `u`; `u,w>v` cites both;
/// - `v`: a first-hand support report by `v`;
/// - a leading `!` makes the report a denial, a leading `?` a query;
/// - `@v` declares `v` anonymous (no report).
pub fn case_from_edges(spec: &str) -> Case {
    let mut sources: Vec<(String, Source)> = Vec::new();
    let mut reports = Vec::new();
    fn idx(sources: &mut Vec<(String, Source)>, id: &str) -> SourceIdx {
        match sources.iter().position(|(s, _)| s == id) {
            Some(i) => i as SourceIdx,
            None => {
                sources.push(source(id, Kind::Outlet));
                (sources.len() - 1) as SourceIdx
            }
        }
    }
    for tok in spec.split_whitespace() {
        if let Some(id) = tok.strip_prefix('@') {
            let i = idx(&mut sources, id);
            sources[i as usize].1.kind = Kind::Anonymous;
            continue;
        }
        let (stance, tok) = match tok.as_bytes()[0] {
            b'!' => (Stance::Deny, &tok[1..]),
            b'?' => (Stance::Query, &tok[1..]),
            _ => (Stance::Support, tok),
        };
        let (cited, by) = tok.split_once('>').unwrap_or(("", tok));
        let by = idx(&mut sources, by);
        let cites = cited
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| idx(&mut sources, c))
            .collect();
        reports.push(report(by, 0, cites, stance, None));
    }
    Case::from_parts(None, sources, vec![claim("c")], reports)
}

/// The indices of every report of a case.
pub fn all_reports(case: &Case) -> Vec<u32> {
    (0..case.reports.len() as u32).collect()
}

/// The ids of some sources.
pub fn ids(case: &Case, sources: &[SourceIdx]) -> Vec<String> {
    sources
        .iter()
        .map(|&s| case.source_id(s).to_owned())
        .collect()
}

/// A cell of a workbook built in a test.
#[derive(Clone, Copy, Debug)]
pub enum Cell<'a> {
    /// Text.
    T(&'a str),
    /// A number.
    N(f64),
    /// A date, typed as a spreadsheet date (year, month, day).
    D(u16, u8, u8),
    /// Nothing.
    E,
}

/// One sheet: its name and its rows.
pub type Sheet<'a> = (&'a str, Vec<Vec<Cell<'a>>>);

/// The bytes of an .xlsx workbook with these sheets, made by rust_xlsxwriter.
pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match *cell {
                    Cell::T(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Cell::N(n) => {
                        ws.write_number(r, c, n).unwrap();
                    }
                    Cell::D(y, m, d) => {
                        let dt = ExcelDateTime::from_ymd(y, m, d).unwrap();
                        ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                    }
                    Cell::E => {}
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The bytes of an OpenDocument spreadsheet (.ods) with these sheets:
/// the zip archive and the content.xml that the format defines.
pub fn ods(sheets: &[Sheet]) -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut body = String::new();
    for (name, rows) in sheets {
        body.push_str(&format!("<table:table table:name=\"{}\">", esc(name)));
        for row in rows {
            body.push_str("<table:table-row>");
            for cell in row {
                body.push_str(&match *cell {
                    Cell::T(s) => format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        esc(s)
                    ),
                    Cell::N(n) => format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    ),
                    Cell::D(y, m, d) => format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y:04}-{m:02}-{d:02}</text:p></table:table-cell>"
                    ),
                    Cell::E => "<table:table-cell/>".to_owned(),
                });
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default();
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", deflated).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", deflated).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}
