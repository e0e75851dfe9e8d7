//! CSV tables of reports: a header row naming the columns (`source`, `claim`,
//! `cites`, `stance`, `date`, `url`, `quote`, `notes`; `source` and `claim`
//! required),
//! one report a row, several cited ids in one cell separated by `;`. Empty
//! cells are absent values. Messages point at the row's line and the cell's
//! column.

use crate::diag::{did_you_mean, nearest, Code, Diagnostic};
use crate::load::records::{Checker, RawFile, RawReport, REPORT_KEYS};
use crate::load::tree::{FileText, Pos};
use crate::model::{IdIndex, PartialDate, Stance};

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

    // A quoted cell that is never closed swallows the rest of the table, and
    // the reader says nothing about it.
    let unclosed = unclosed_quote(&file.text);
    if let Some(q) = unclosed {
        let d = file
            .error(
                Code::Syntax,
                file.pos(q, q + 1),
                "a quoted cell starts here and is never closed",
            )
            .with_help(
                "everything after it was read as one cell: close the quote, and write a quote \
                 inside a quoted cell as `\"\"`",
            );
        ck.diags.push(d);
    }

    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            ck.diags.push(csv_error(file, &e));
            return out;
        }
    };
    if header.iter().all(str::is_empty) {
        let d = file
            .error(
                Code::MissingField,
                cell_pos(file, 0, 0),
                "the table has no header row",
            )
            .with_help(format!(
                "the first row names the columns, for example: {}",
                REPORT_KEYS.join(",")
            ));
        ck.diags.push(d);
        return out;
    }
    let mut cols: Columns = [None; REPORT_KEYS.len()];
    let mut header_ok = true;
    // Known columns that an unknown column was taken for ("Source" for
    // `source`): their absence is already said.
    let mut suggested: Vec<&str> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let pos = cell_pos(file, 0, i);
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
                suggested.extend(nearest(name, REPORT_KEYS));
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
        if cols[k].is_none() && !suggested.contains(name) {
            let d = file
                .error(Code::MissingField, cell_pos(file, 0, 0), format!("the header has no `{name}` column"))
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
                let unequal = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                // The row that holds an unclosed quote is already reported.
                let start = e.position().map_or(0, |p| p.byte() as usize);
                let start = row_start(file, start);
                let swallowed = unclosed.is_some_and(|q| {
                    start <= q && file.pos(start, start).line == file.pos(q, q).line
                });
                if !(unequal && swallowed) {
                    ck.diags.push(csv_error(file, &e));
                }
                // An unequal row is recoverable: carry on with the next one.
                if unequal {
                    continue;
                }
                break;
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let at = |c: Option<usize>| cell_pos(file, start, c.unwrap_or(0));

        let required =
            |ck: &mut Checker, ids: &mut IdIndex, c: Option<usize>, name: &str| match cell(c) {
                Some(s) => ck.report_id(ids, name, s, at(c)),
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
        let source = required(&mut ck, &mut out.ids, c_source, "source");
        let claim = required(&mut ck, &mut out.ids, c_claim, "claim");
        let cites = match cell(c_cites) {
            Some(s) => {
                let cites_pos = at(c_cites);
                let items = s
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| (s, cites_pos));
                ck.cites(&mut out.ids, source.as_ref().map(|s| s.v), items)
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
            let pos = file.pos(row_start(file, start), row_start(file, start) + 1);
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
    let start = e.position().map_or(0, |p| p.byte() as usize);
    let start = row_start(file, start);
    let rest = file.text.get(start..).unwrap_or("");
    let end = start + rest.find(['\r', '\n']).unwrap_or(rest.len());
    let pos = file.pos(start, end);
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            let cells = |n: u64| format!("{n} cell{}", if n == 1 { "" } else { "s" });
            let help =
                "put cells that contain commas in double quotes, and separate cited ids with `;`";
            file.error(
                Code::Syntax,
                pos,
                format!(
                    "this row has {}, the header has {}",
                    cells(*len),
                    cells(*expected_len)
                ),
            )
            .with_help(help)
        }
        csv::ErrorKind::Utf8 { .. } => file
            .error(Code::Syntax, pos, "this row is not UTF-8 text")
            .with_help("save the table as UTF-8"),
        _ => file.error(Code::Syntax, pos, format!("not valid CSV: {e}")),
    }
}

/// The byte offset of the opening quote of a quoted cell that is still open
/// at the end of the text, read as the CSV reader reads it: a quote opens a
/// cell only as its first character, `""` inside is a quote, a lone `"` closes.
fn unclosed_quote(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut open: Option<usize> = None;
    let mut at_cell_start = true;
    let mut i = 0;
    while i < b.len() {
        match (open, b[i]) {
            (Some(_), b'"') if b.get(i + 1) == Some(&b'"') => i += 1,
            (Some(_), b'"') => open = None,
            (Some(_), _) => {}
            (None, b'"') if at_cell_start => open = Some(i),
            (None, _) => {}
        }
        at_cell_start = open.is_none() && matches!(b[i], b',' | b'\n' | b'\r');
        i += 1;
    }
    open
}

/// Where a row really starts, given the byte offset the CSV reader gives for
/// it. After a `\r\n` line break the reader's offset is that of the `\n` (and
/// blank lines before a row are skipped), so line breaks are skipped here;
/// counting lines from the reader's own line numbers would put every row of a
/// Windows-style table one line too high.
fn row_start(file: &FileText, byte: usize) -> usize {
    let text = file.text.as_bytes();
    let mut i = byte.min(text.len());
    while i < text.len() && matches!(text[i], b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// The position of cell `index` (0-based) of the row starting at byte
/// `start`, found by reading the row's text, quoted cells and line breaks
/// inside them included; the row's first line when the row has no such cell.
fn cell_pos(file: &FileText, start: usize, index: usize) -> Pos {
    let start = row_start(file, start);
    let text = file.text.get(start..).unwrap_or("");
    let mut cell = 0;
    let mut cell_start = 0;
    let mut quoted = false;
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                if cell == index {
                    return file.pos(start + cell_start, start + i);
                }
                cell += 1;
                cell_start = i + 1;
            }
            '\r' | '\n' if !quoted => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if cell == index {
        file.pos(start + cell_start, start + end)
    } else {
        let first_line = text.find(['\r', '\n']).unwrap_or(text.len());
        file.pos(start, start + first_line)
    }
}
