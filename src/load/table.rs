//! CSV tables of reports: a header row naming the columns (`source`, `claim`,
//! `cites`, `stance`, `date`, `url`, `quote`, `notes`; `source` and `claim`
//! required),
//! one report a row, several cited ids in one cell separated by `;`. Empty
//! cells are absent values. Messages point at the row's line and the cell's
//! column.

use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::load::records::{Checker, RawFile, RawReport, REPORT_KEYS};
use crate::load::tree::{FileText, Pos};
use crate::model::{PartialDate, Stance};

/// Column numbers of the known fields, in `REPORT_KEYS` order.
type Columns = [Option<usize>; REPORT_KEYS.len()];

/// Reads the reports of a CSV table.
pub(crate) fn from_csv(file: &FileText, diags: &mut Vec<Diagnostic>) -> RawFile {
    let mut out = RawFile::default();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        // Cells are trimmed where they are read: the reader's own trimming
        // builds a new record for every row.
        .trim(csv::Trim::Headers)
        .from_reader(file.text.as_bytes());
    let mut ck = Checker { file, diags };

    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            ck.diags.push(csv_error(file, &e));
            return out;
        }
    };
    let mut cols: Columns = [None; REPORT_KEYS.len()];
    let mut header_ok = true;
    for (i, name) in header.iter().enumerate() {
        let pos = cell_pos(file, 1, i);
        match REPORT_KEYS.iter().position(|k| *k == name) {
            Some(k) if cols[k].is_some() => {
                let d = file
                    .error(Code::Syntax, pos, format!("column `{name}` appears twice"))
                    .with_help("keep one of them");
                ck.diags.push(d);
                header_ok = false;
            }
            Some(k) => cols[k] = Some(i),
            None => {
                let help = did_you_mean(name, REPORT_KEYS).unwrap_or_else(|| {
                    format!(
                        "the columns of a table of reports are {}",
                        REPORT_KEYS.join(", ")
                    )
                });
                let msg = if name.is_empty() {
                    "a column has no name".to_owned()
                } else {
                    format!("unknown column `{name}`")
                };
                ck.diags
                    .push(file.error(Code::UnknownKey, pos, msg).with_help(help));
                header_ok = false;
            }
        }
    }
    for (k, name) in REPORT_KEYS.iter().enumerate().take(2) {
        if cols[k].is_none() {
            let d = file
                .error(Code::MissingField, cell_pos(file, 1, 0), format!("the header has no `{name}` column"))
                .with_help(format!("a table of reports needs at least the columns source and claim; its header is {:?}", header.iter().collect::<Vec<_>>().join(",")));
            ck.diags.push(d);
            header_ok = false;
        }
    }
    if !header_ok {
        return out;
    }
    let col = |k: usize| cols[k];
    let [c_source, c_claim, c_cites, c_stance, c_date, c_url, c_quote, c_notes] =
        [0, 1, 2, 3, 4, 5, 6, 7].map(col);

    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                ck.diags.push(csv_error(file, &e));
                // An unequal row is recoverable: carry on with the next one.
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line()) as u32;
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let at = |c: Option<usize>| cell_pos(file, line, c.unwrap_or(0));

        let required = |ck: &mut Checker, c: Option<usize>, name: &str| match cell(c) {
            Some(s) => ck.id(name, s, at(c)),
            None => {
                let d = file
                    .error(
                        Code::MissingField,
                        at(c),
                        format!("the `{name}` cell is empty"),
                    )
                    .with_help(format!("every report needs its {name}"));
                ck.diags.push(d);
                None
            }
        };
        let source = required(&mut ck, c_source, "source");
        let claim = required(&mut ck, c_claim, "claim");
        let cites = match cell(c_cites) {
            Some(s) => {
                let cites_pos = at(c_cites);
                let items = s
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| (s, cites_pos));
                ck.cites(source.as_ref().map(|s| s.v.as_str()), items)
            }
            None => Vec::new(),
        };
        // Positions are worked out only for a message.
        let stance = cell(c_stance)
            .and_then(|s| Stance::parse(s).or_else(|| ck.stance(s, at(c_stance))))
            .unwrap_or(Stance::Support);
        let date =
            cell(c_date).and_then(|s| PartialDate::parse(s).or_else(|| ck.date(s, at(c_date))));
        let url = cell(c_url).map(str::to_owned);
        let quote = cell(c_quote).map(str::to_owned);
        let notes = cell(c_notes).map(str::to_owned);
        if let (Some(source), Some(claim)) = (source, claim) {
            let pos = Pos {
                line,
                col: 1,
                width: 1,
            };
            out.reports.push(RawReport {
                pos,
                source,
                claim,
                cites,
                stance,
                date,
                url,
                quote,
                notes,
            });
        }
    }
    out
}

fn csv_error(file: &FileText, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(0, |p| p.line()) as u32;
    let pos = Pos {
        line,
        col: 1,
        width: file.line_text(line).map_or(1, |t| t.chars().count() as u32),
    };
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => file
            .error(
                Code::Syntax,
                pos,
                format!("this row has {len} cells, the header has {expected_len}"),
            )
            .with_help(
                "put cells that contain commas in double quotes, and separate cited ids with `;`",
            ),
        csv::ErrorKind::Utf8 { .. } => file
            .error(Code::Syntax, pos, "this row is not UTF-8 text")
            .with_help("save the table as UTF-8"),
        _ => file.error(Code::Syntax, pos, format!("not valid CSV: {e}")),
    }
}

/// The position of cell `index` (0-based) on a 1-based line, found by reading
/// the line's text; the whole line when the cell cannot be found there.
///
/// Called for several cells of every row, so it scans bytes and allocates
/// nothing: `"` and `,` are ASCII, so the byte offsets where cells start and
/// end are character boundaries, and only the spans are counted in characters.
fn cell_pos(file: &FileText, line: u32, index: usize) -> Pos {
    let Some(text) = file.line_text(line) else {
        return Pos {
            line,
            col: 1,
            width: 1,
        };
    };
    let chars = |r: std::ops::Range<usize>| text[r].chars().count() as u32;
    let at = |start: usize, end: usize| Pos {
        line,
        col: chars(0..start) + 1,
        width: chars(start..end).max(1),
    };
    let mut cell = 0;
    let mut start = 0;
    let mut quoted = false;
    for (i, &c) in text.as_bytes().iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                if cell == index {
                    return at(start, i);
                }
                cell += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if cell == index {
        at(start, text.len())
    } else {
        Pos {
            line,
            col: 1,
            width: chars(0..text.len()).max(1),
        }
    }
}
