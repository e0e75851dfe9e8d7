//! CSV tables of reports: a header row naming the columns (`source`, `claim`,
//! `cites`, `stance`, `date`, `url`, `quote`, `notes`, `basis`; `source` and
//! `claim` required),
//! one report a row, several cited ids in one cell separated by `;`. Empty
//! cells are absent values. Messages point at the row's line and the cell's
//! column.

use std::io::Read;

use rayon::prelude::*;

use crate::diag::{did_you_mean, nearest, shown, Code, Diagnostic};
use crate::load::records::{Checker, RawFile, RawReport, Val, REPORT_KEYS};
use crate::load::tree::{FileText, Pos};
use crate::model::{Basis, IdIndex, PartialDate, Stance};

/// Column numbers of the known fields, in `REPORT_KEYS` order.
type Columns = [Option<usize>; REPORT_KEYS.len()];

/// Tables at least this long have their rows read in parallel.
const PARALLEL_BYTES: usize = 4 << 20;

/// Reads the reports of a CSV table, in one or more pieces of consecutive
/// rows.
pub(crate) fn from_csv(file: &FileText, diags: &mut Vec<Diagnostic>) -> Vec<RawFile> {
    from_csv_in(file, diags, PARALLEL_BYTES)
}

/// Reads the reports of a CSV table, splitting a table of `parallel_bytes`
/// or more into pieces read on rayon's threads.
///
/// A piece starts at a line break outside any quoted cell and is read with
/// the header row in front of it, so its rows are checked against the same
/// header. The pieces, in order, hold the same reports as one reading of the
/// whole table, and their messages, in order, are the same messages.
fn from_csv_in(
    file: &FileText,
    diags: &mut Vec<Diagnostic>,
    parallel_bytes: usize,
) -> Vec<RawFile> {
    let mut out = RawFile::default();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        // Cells are trimmed where they are read: the reader's own trimming
        // builds a new record for every row.
        .trim(csv::Trim::Headers)
        .from_reader(file.text.as_bytes());
    let ck = Checker { file, diags };

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
            let start = e.position().map_or(0, |p| p.byte() as usize);
            ck.diags.push(csv_error(file, start, &e));
            return vec![out];
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
        return vec![out];
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
                    .error(
                        Code::Syntax,
                        pos,
                        format!("column `{}` appears twice", shown(name)),
                    )
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
                    format!("unknown column `{}`", shown(name))
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
        return vec![out];
    }
    let header_len = rdr.position().byte() as usize;
    let text = file.text.as_bytes();
    let threads = rayon::current_num_threads();
    let pieces = if unclosed.is_none() && threads > 1 && text.len() >= parallel_bytes {
        let body = text.len() - header_len;
        let targets: Vec<usize> = (1..threads)
            .map(|k| header_len + body * k / threads)
            .collect();
        row_breaks(&file.text, &targets)
    } else {
        Vec::new()
    };
    if pieces.is_empty() {
        out.reports.reserve(file.line_count());
        read_rows(file, &mut rdr, |b| b, &cols, unclosed, &mut out, ck.diags);
        return vec![out];
    }

    let mut bounds = vec![header_len];
    bounds.extend(pieces);
    bounds.push(text.len());
    let header_row = &text[..header_len];
    let parts: Vec<(RawFile, Vec<Diagnostic>, bool)> = bounds
        .windows(2)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|w| {
            let (from, to) = (w[0], w[1]);
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(true)
                .trim(csv::Trim::Headers)
                .from_reader(header_row.chain(&text[from..to]));
            let mut part = RawFile::default();
            let rows = text[from..to].iter().filter(|&&c| c == b'\n').count() + 1;
            part.reports.reserve(rows);
            let mut diags = Vec::new();
            // The reader counts from the start of the header row in front.
            let at = |b: usize| from + b - header_len;
            let whole = read_rows(file, &mut rdr, at, &cols, None, &mut part, &mut diags);
            (part, diags, whole)
        })
        .collect();
    if parts.iter().any(|(_, _, whole)| !whole) {
        // A piece stopped at an error: read the table in one go, which
        // stops where that error is.
        read_rows(file, &mut rdr, |b| b, &cols, unclosed, &mut out, ck.diags);
        return vec![out];
    }
    parts
        .into_iter()
        .map(|(part, mut part_diags, _)| {
            ck.diags.append(&mut part_diags);
            part
        })
        .collect()
}

/// Reads the rows of `rdr` into `out` until the end of its input, or until
/// an error other than a row of the wrong length; false in that case.
/// `at` turns the reader's byte offsets into offsets in the file.
fn read_rows<R: Read>(
    file: &FileText,
    rdr: &mut csv::Reader<R>,
    at: impl Fn(usize) -> usize,
    cols: &Columns,
    unclosed: Option<usize>,
    out: &mut RawFile,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut ck = Checker { file, diags };

    let [c_source, c_claim, c_cites, c_stance, c_date, c_url, c_quote, c_notes, c_basis] =
        [0, 1, 2, 3, 4, 5, 6, 7, 8].map(|k| cols[k]);

    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => return true,
            Ok(true) => {}
            Err(e) => {
                let unequal = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                // The row that holds an unclosed quote is already reported.
                let start = at(e.position().map_or(0, |p| p.byte() as usize));
                let start = row_start(file, start);
                let swallowed = unclosed.is_some_and(|q| {
                    start <= q && file.pos(start, start).line == file.pos(q, q).line
                });
                if !(unequal && swallowed) {
                    ck.diags.push(csv_error(file, start, &e));
                }
                // An unequal row is recoverable: carry on with the next one.
                if unequal {
                    continue;
                }
                return false;
            }
        }
        let start = at(record.position().map_or(0, |p| p.byte() as usize));
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
        let mut text = |c: Option<usize>, name: &str| {
            cell(c)
                .filter(|s| ck.text(name, s, at(c)))
                .map(str::to_owned)
        };
        let url = text(c_url, "url");
        let quote = text(c_quote, "quote");
        let notes = text(c_notes, "notes");
        let basis = cell(c_basis).and_then(|s| {
            Basis::parse(s)
                .or_else(|| ck.basis(s, at(c_basis)))
                .map(|v| Val {
                    v,
                    pos: at(c_basis),
                })
        });
        if let (Some(source), Some(claim)) = (source, claim) {
            let pos = file.pos(row_start(file, start), row_start(file, start) + 1);
            out.reports.push(RawReport {
                pos,
                source,
                claim,
                cites,
                stance,
                basis,
                date,
                url,
                quote,
                notes,
            });
        }
    }
}

/// A message for a reader's error in the row that starts at byte `start`.
fn csv_error(file: &FileText, start: usize, e: &csv::Error) -> Diagnostic {
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

/// Where rows can start near each of `targets` (ascending byte offsets):
/// for each, the first offset at or after it that follows a line break
/// outside any quoted cell, read as [`unclosed_quote`] reads the table.
/// Ascending, without repeats, and short of the end of the text.
fn row_breaks(text: &str, targets: &[usize]) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out: Vec<usize> = Vec::with_capacity(targets.len());
    let mut push = |at: usize| {
        if at < b.len() && out.last() != Some(&at) {
            out.push(at);
        }
    };
    if !text.contains('"') {
        for &t in targets {
            if let Some(k) = b
                .get(t..)
                .and_then(|rest| rest.iter().position(|&c| c == b'\n'))
            {
                push(t + k + 1);
            }
        }
        return out;
    }
    let mut targets = targets.iter().copied().peekable();
    let mut open = false;
    let mut at_cell_start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if open {
            if c == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = false;
                }
            }
        } else if c == b'"' && at_cell_start {
            open = true;
        } else if c == b'\n' {
            while targets.next_if(|&t| t <= i + 1).is_some() {
                push(i + 1);
            }
        }
        at_cell_start = !open && matches!(c, b',' | b'\n' | b'\r');
        i += 1;
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::records::{RawId, Val};

    /// What a reading gives, with ids spelled out (piece by piece, the
    /// file-local id numbers differ).
    fn reading(
        file: &FileText,
        parallel_bytes: usize,
        threads: usize,
    ) -> (Vec<String>, Vec<String>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut diags = Vec::new();
        let pieces = pool.install(|| from_csv_in(file, &mut diags, parallel_bytes));
        let reports = pieces
            .iter()
            .flat_map(|raw| raw.reports.iter().map(move |r| (raw, r)))
            .map(|(raw, r)| {
                let id = |v: &Val<RawId>| format!("{}@{:?}", raw.ids.id(v.v), v.pos);
                let cites: Vec<String> = r.cites.iter().map(id).collect();
                format!(
                    "{:?} {} {} {cites:?} {:?} {:?} {:?} {:?} {:?}",
                    r.pos,
                    id(&r.source),
                    id(&r.claim),
                    r.stance,
                    r.date,
                    r.url,
                    r.quote,
                    r.notes
                )
            })
            .collect();
        let diags = diags.iter().map(|d| format!("{d:?}")).collect();
        (reports, diags)
    }

    fn same_in_pieces(text: &str) {
        let file = FileText::new("t.csv".to_owned(), text.to_owned(), false);
        let whole = reading(&file, usize::MAX, 1);
        for threads in 2..=7 {
            assert_eq!(
                reading(&file, 0, threads),
                whole,
                "{threads} pieces of {text:?}"
            );
        }
    }

    /// A small deterministic generator.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn rows_read_in_pieces_are_rows_read_in_order() {
        for text in [
            "source,claim,cites\n",
            "source,claim,cites\na,c1,b\n",
            "source,claim,cites\na,c1,b",
            "source,claim,cites\r\na,c1,b\r\nb,c1,\r\nc,c1,a;b\r\n",
            include_str!("../../data/example.csv"),
        ] {
            same_in_pieces(text);
        }
        // Rows good and bad, quoted cells with commas, quotes and line
        // breaks, blank lines, Windows line breaks, rows of the wrong length.
        let rows = [
            "a,c1,b,,2015\n",
            "b,c1,a;c;a,deny,2015-12\n",
            "c,c2,,query,\n",
            "\"d\",c2,\"a;b\",,2016-02-29\n",
            "e,c1,\"a,\nb\",,\n",
            "f,c1,a,\"sup\"\"port\",\n",
            "g,c3,g,,\n",
            "Bad Id,c1,a,,\n",
            "h,,a,,\n",
            "i,c1,a,,2015-13\n",
            "j,c1\n",
            "k,c1,a,,,extra\n",
            "\n",
            "l,c4,m\r\n",
            "m,c4,,comment,2020-01-01\r\n",
            " n , c4 , l ; m ,, \n",
            "o,c5,\"p\",\"\",\"\"\n",
            "é,c1,a,,\n",
        ];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let mut text = String::from("source,claim,cites,stance,date\n");
            for _ in 0..rng.below(60) {
                text.push_str(rows[rng.below(rows.len())]);
            }
            if round % 7 == 0 {
                text.pop();
            }
            same_in_pieces(&text);
        }
    }

    #[test]
    fn row_breaks_skip_line_breaks_in_quoted_cells() {
        let text = "h\na\n\"b\nc\"\nd\n";
        assert_eq!(row_breaks(text, &[0, 2, 3, 5, 9, 11]), vec![2, 4, 10]);
        assert_eq!(row_breaks("h\na\nb\n", &[1, 3, 5]), vec![2, 4]);
    }
}
