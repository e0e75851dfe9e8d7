//! The same case in TOML, JSON and CSV loads to the same thing, and several
//! files given together are one case with one id namespace.

use rumorgraph::load::{self, Format, Input, LoadOptions, Loaded};
use rumorgraph::model::{At, Case};

use crate::util;

fn load_example(path: &str, format: Format) -> Loaded {
    let text = util::repo_text(path);
    load::load_str(
        path,
        &text,
        format,
        &LoadOptions {
            strict: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{path} does not load cleanly: {e:?}"))
}

/// The case with every report's location cleared: the one thing that
/// differs, by design, between encodings.
fn without_locations(mut case: Case) -> Case {
    for r in &mut case.reports {
        r.at = At::default();
    }
    case.files.clear();
    case
}

/// A report as ids and values, independent of how sources were numbered.
type ReportIds = (
    String,
    String,
    Vec<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn report_ids(case: &Case) -> Vec<ReportIds> {
    case.reports
        .iter()
        .map(|r| {
            (
                case.source_id(r.source).to_owned(),
                case.claim(r.claim).id.clone(),
                r.cites
                    .iter()
                    .map(|&c| case.source_id(c).to_owned())
                    .collect(),
                r.stance.as_str().to_owned(),
                r.date.map(|d| d.to_string()),
                r.url().map(str::to_owned),
                r.quote().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn the_example_is_complete() {
    let case = load_example("data/example.toml", Format::Toml).case;
    assert_eq!(
        case.title.as_deref(),
        Some("Example: a port-closure rumour")
    );
    assert!(case.sources.len() >= 8, "{} sources", case.sources.len());
    assert!((2..=3).contains(&case.claims.len()));
    assert!(case.reports.len() >= 12);
    let kinds: std::collections::BTreeSet<_> =
        case.sources.iter().map(|s| s.kind.as_str()).collect();
    for k in [
        "outlet",
        "person",
        "agency",
        "document",
        "social",
        "anonymous",
    ] {
        assert!(kinds.contains(k), "no source of kind {k}");
    }
    let stances: Vec<_> = case.reports.iter().map(|r| r.stance.as_str()).collect();
    for s in ["support", "deny", "query"] {
        assert!(stances.contains(&s), "no {s} report");
    }
    let precisions: std::collections::BTreeSet<_> = case
        .reports
        .iter()
        .filter_map(|r| r.date)
        .map(|d| d.precision())
        .collect();
    assert_eq!(precisions.into_iter().collect::<Vec<_>>(), [1, 2, 3]);
    assert!(case.reports.iter().any(|r| r.url().is_some()));
    assert!(case.reports.iter().any(|r| r.quote().is_some()));
    assert!(case.reports.iter().any(|r| r.cites.len() >= 3));
    assert!(case.sources.iter().all(|s| s.declared));
    assert!(case.claims.iter().all(|c| c.declared && !c.text.is_empty()));
}

#[test]
fn toml_and_json_examples_are_the_same_case() {
    let toml = load_example("data/example.toml", Format::Toml);
    let json = load_example("data/example.json", Format::Json);
    assert!(toml.warnings.is_empty() && json.warnings.is_empty());
    // Locations name each file's own lines.
    let at = |case: &Case, i: usize| case.location(case.reports[i].at);
    assert_eq!(&*at(&toml.case, 0).file, "data/example.toml");
    assert_eq!(&*at(&json.case, 0).file, "data/example.json");
    assert!(toml
        .case
        .reports
        .iter()
        .all(|r| toml.case.location(r.at).line.is_some()));
    assert_eq!(without_locations(toml.case), without_locations(json.case));
}

#[test]
fn csv_example_holds_the_same_reports_in_the_same_order() {
    let toml = load_example("data/example.toml", Format::Toml);
    let csv = load_example("data/example.csv", Format::Csv);
    assert!(csv.warnings.is_empty());
    assert_eq!(report_ids(&toml.case), report_ids(&csv.case));
    // CSV rows are located by their line: the header is line 1.
    let lines: Vec<_> = csv
        .case
        .reports
        .iter()
        .map(|r| csv.case.location(r.at).line)
        .collect();
    let expected: Vec<_> = (2..2 + lines.len() as u32).map(Some).collect();
    assert_eq!(lines, expected);
}

#[test]
fn declarations_in_one_file_and_reports_in_another_are_one_case() {
    // The TOML example without its reports, and the CSV with them.
    let toml = util::repo_text("data/example.toml");
    let cut = toml.find("\n[[reports]]").expect("the example has reports");
    let dir = util::temp_dir();
    let decl = util::write_file(&dir, "declarations.toml", &toml[..cut]);
    let table = util::repo_path("data/example.csv");
    let both = load::load(
        &[Input::Path(decl), Input::Path(table)],
        &LoadOptions {
            strict: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(both.warnings.is_empty());
    let whole = load_example("data/example.toml", Format::Toml);
    assert_eq!(without_locations(both.case), without_locations(whole.case));
}

#[test]
fn several_files_share_one_id_namespace() {
    let dir = util::temp_dir();
    util::write_file(
        &dir,
        "sources.toml",
        "title = \"two files\"\n\n[[sources]]\nid = \"alalam\"\nkind = \"outlet\"\n",
    );
    util::write_file(
        &dir,
        "reports.json",
        r#"{"claims": [{"id": "c", "text": "t"}],
 "reports": [
  {"source": "alalam", "claim": "c"},
  {"source": "blog", "claim": "c", "cites": ["alalam-tv"]}
 ]}"#,
    );
    let run = util::run_in(dir.path(), ["validate", "sources.toml", "reports.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `alalam` is declared in the other file: no warning for it; `blog` and
    // `alalam-tv` are undeclared in the one case.
    assert!(!run.stderr.contains("source `alalam`"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("reports.json:4:14: source `blog` is used but not declared"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("reports.json:4:46: source `alalam-tv` is used but not declared"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `alalam`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("3 sources, 1 claim, 2 reports; no errors, 2 warnings"),
        "{}",
        run.stdout
    );

    let loaded = load::load(
        &[
            Input::Path(dir.path().join("sources.toml")),
            Input::Path(dir.path().join("reports.json")),
        ],
        &LoadOptions::default(),
    )
    .unwrap();
    let case = &loaded.case;
    assert_eq!(case.title.as_deref(), Some("two files"));
    let alalam = case.source_index("alalam").unwrap();
    assert_eq!(case.reports[0].source, alalam);
    assert_eq!(case.source(alalam).kind.as_str(), "outlet");
    assert_eq!(
        &*case.location(case.reports[0].at).file,
        dir.path()
            .join("reports.json")
            .display()
            .to_string()
            .as_str()
    );
    assert_eq!(case.location(case.reports[1].at).line, Some(4));
}

#[test]
fn the_examples_validate_cleanly_with_the_binary() {
    for path in ["data/example.toml", "data/example.json", "data/example.csv"] {
        let run = util::run([
            "validate",
            "--strict",
            &util::repo_path(path).display().to_string(),
        ]);
        assert_eq!(run.code, 0, "{path}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{path}");
        assert!(
            run.stdout
                .contains("9 sources, 3 claims, 12 reports; no errors, 0 warnings"),
            "{path}: {}",
            run.stdout
        );
    }
}

#[test]
fn standard_input_reads_toml_and_json() {
    let dir = util::temp_dir();
    for path in ["data/example.toml", "data/example.json"] {
        let run = util::run_with_stdin(
            dir.path(),
            ["validate", "--strict", "-"],
            util::repo_text(path),
        );
        assert_eq!(run.code, 0, "{path}: {}", run.stderr);
        assert!(
            run.stdout
                .contains("9 sources, 3 claims, 12 reports; no errors, 0 warnings"),
            "{path}: {}",
            run.stdout
        );
    }
}

#[test]
fn the_format_doc_shows_the_examples_as_they_are() {
    let doc = util::repo_text("docs/format.md");
    for (path, lang) in [
        ("data/example.toml", "toml"),
        ("data/example.json", "json"),
        ("data/example.csv", "csv"),
    ] {
        let block = format!("```{lang}\n{}```", util::repo_text(path));
        assert!(
            doc.contains(&block),
            "docs/format.md does not show {path} as it is"
        );
    }
}

/// The rows of one of the example's CSV tables, as workbook cells: dates
/// typed as spreadsheet dates (a full date) or numbers (a year), the rest
/// as text, empty cells left empty.
fn sheet_rows(path: &str) -> Vec<Vec<String>> {
    let text = util::repo_text(path);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn cells(rows: &[Vec<String>]) -> Vec<Vec<util::Cell<'_>>> {
    let date_col = rows[0].iter().position(|h| h == "date");
    rows.iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, v)| {
                    if v.is_empty() {
                        util::Cell::E
                    } else if r > 0 && Some(c) == date_col && v.len() == 10 {
                        let p: Vec<u16> = v.split('-').map(|x| x.parse().unwrap()).collect();
                        util::Cell::D(p[0], p[1] as u8, p[2] as u8)
                    } else if r > 0 && Some(c) == date_col && v.len() == 4 {
                        util::Cell::N(v.parse().unwrap())
                    } else {
                        util::Cell::T(v)
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_example_is_the_same_case_in_every_encoding() {
    let strict = LoadOptions {
        strict: true,
        ..Default::default()
    };
    let mut toml = without_locations(load_example("data/example.toml", Format::Toml).case);
    toml.title = None;
    let mut json = without_locations(load_example("data/example.json", Format::Json).case);
    json.title = None;
    assert_eq!(json, toml, "JSON");

    let tables = [
        "data/example-sources.csv",
        "data/example-claims.csv",
        "data/example.csv",
    ];
    let inputs: Vec<Input> = tables
        .iter()
        .map(|t| Input::Path(util::repo_path(t)))
        .collect();
    let csv = load::load(&inputs, &strict).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(without_locations(csv.case), toml, "CSV tables");

    let rows: Vec<Vec<Vec<String>>> = tables.iter().map(|t| sheet_rows(t)).collect();
    let sheets: Vec<util::Sheet> = ["Sources", "claims", "REPORTS"]
        .into_iter()
        .zip(&rows)
        .map(|(name, r)| (name, cells(r)))
        .collect();
    for (what, bytes) in [("xlsx", util::xlsx(&sheets)), ("ods", util::ods(&sheets))] {
        let name = format!("example.{what}");
        // `RUMORGRAPH_FUZZ_SEEDS=DIR` keeps the workbooks as seeds for the
        // `load_workbook` fuzz target.
        if let Some(seeds) = std::env::var_os("RUMORGRAPH_FUZZ_SEEDS") {
            std::fs::write(std::path::Path::new(&seeds).join(&name), &bytes).unwrap();
        }
        let book = load::load_workbook(&name, bytes.clone(), &strict)
            .unwrap_or_else(|e| panic!("{what}: {e:?}"));
        // Each report is placed at its row's first cell of the sheet.
        let places: Vec<String> = book
            .case
            .reports
            .iter()
            .map(|r| book.case.location(r.at).to_string())
            .collect();
        let expected: Vec<String> = (2..2 + places.len())
            .map(|row| format!("{name}: REPORTS!A{row}"))
            .collect();
        assert_eq!(places, expected, "{what}");
        assert_eq!(without_locations(book.case), toml, "{what}");
        // And through the command line, from a file.
        let dir = util::temp_dir();
        util::write_file(&dir, &name, &bytes);
        let run = util::run_in(dir.path(), ["check", &name]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert!(
            run.stdout
                .starts_with("PASS port-closing named=2 anonymous=1 "),
            "{what}: {}",
            run.stdout
        );
    }
}
