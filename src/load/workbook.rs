//! Workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`), read with calamine: each
//! sheet named `sources`, `claims` or `reports` (any case), or the only
//! sheet of a workbook, becomes a table, written as CSV text and read by
//! [`super::table`] like a CSV file. Messages name the file, the sheet and
//! the cell (`case.xlsx: reports!C7`).
//!
//! Cells become text as a researcher typed them: a number without a
//! fraction as an integer (a year typed as a number is `2016`), a cell
//! formatted as a date as `YYYY-MM-DD`, a boolean as `true` or `false`.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::diag::{shown, Code, Diagnostic};
use crate::load::tree::FileText;
use crate::model::Location;

/// The sheets a workbook contributes, as tables; a message for a file that is
/// no workbook, or whose sheets have other names.
pub(crate) fn sheets(name: &str, bytes: Vec<u8>, diags: &mut Vec<Diagnostic>) -> Vec<FileText> {
    let at = Location {
        file: name.into(),
        line: None,
        column: None,
    };
    let mut book = match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    Code::Syntax,
                    at,
                    format!("not a workbook that can be read: {}", shown(&e.to_string())),
                )
                .with_help("save it as .xlsx or .ods (or export its sheets as CSV)"),
            );
            return Vec::new();
        }
    };
    let names = book.sheet_names();
    let wanted: Vec<String> = if names.len() == 1 {
        names.clone()
    } else {
        names
            .iter()
            .filter(|n| {
                matches!(
                    n.trim().to_lowercase().as_str(),
                    "sources" | "claims" | "reports"
                )
            })
            .cloned()
            .collect()
    };
    let skipped: Vec<&String> = names.iter().filter(|n| !wanted.contains(n)).collect();
    if !skipped.is_empty() {
        let list: Vec<String> = skipped.iter().map(|n| format!("`{}`", shown(n))).collect();
        diags.push(
            Diagnostic::warning(
                Code::IgnoredSheet,
                at.clone(),
                format!("sheets not read: {}", list.join(", ")),
            )
            .with_help(
                "a workbook's sheets named sources, claims and reports are read (a workbook \
                 with one sheet is read whatever its name): rename the sheets to read",
            ),
        );
    }
    if wanted.is_empty() {
        diags.push(
            Diagnostic::error(Code::MissingField, at, "the workbook has no sheet to read")
                .with_help("name its sheets sources, claims and reports"),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for sheet in wanted {
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Code::Syntax,
                    Location {
                        file: format!("{name}: {sheet}").into(),
                        line: None,
                        column: None,
                    },
                    format!("the sheet cannot be read: {}", shown(&e.to_string())),
                ));
                continue;
            }
        };
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        // Rows above the first used one stay as empty lines, so that line
        // numbers are the sheet's row numbers.
        let mut text = "\n".repeat(row0 as usize).into_bytes();
        for (r, row) in range.rows().enumerate() {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, d)| {
                    cell_text(d, &mut |msg| {
                        let cell = format!(
                            "{}{}",
                            column_letters(col0 as usize + c),
                            row0 as usize + r + 1
                        );
                        diags.push(Diagnostic::error(
                            Code::WrongType,
                            Location {
                                file: format!("{name}: {sheet}!{cell}").into(),
                                line: None,
                                column: None,
                            },
                            msg,
                        ));
                    })
                })
                .collect();
            // An empty row is an empty line, which the reader skips.
            if cells.iter().all(String::is_empty) {
                w.write_record(std::iter::empty::<&str>()).ok();
            } else {
                w.write_record(&cells).ok();
            }
        }
        text.extend(w.into_inner().unwrap_or_default());
        let text = String::from_utf8(text).unwrap_or_default();
        let mut file = FileText::table(name.to_owned(), text, b',', Some(sheet));
        file.sheet_col = col0 as usize;
        out.push(file);
    }
    out
}

/// A cell as text; `bad` is told of a cell holding a spreadsheet error.
fn cell_text(d: &Data, bad: &mut dyn FnMut(String)) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) => s
            .get(..10)
            .filter(|d| d.len() == 10)
            .unwrap_or(s)
            .to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            bad(format!("the cell holds the spreadsheet error {e}"));
            String::new()
        }
    }
}

/// `A`, `B`, … `Z`, `AA` for a 0-based column index.
pub(crate) fn column_letters(index: usize) -> String {
    let mut letters = String::new();
    let mut n = index + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    letters
}
