//! Tables: CSV files, and the sheets of workbooks written as CSV. A header
//! row names the columns, and says what the table holds:
//!
//! - **reports** (`source` and `claim` required; `cites`, `stance`,
//!   `date`, `url`, `quote`, `notes`, `basis`; and, for a case kept in one
//!   sheet, `source_name`, `source_kind`, `source_country`,
//!   `source_reliability` and `claim_text`, which declare the row's source
//!   and claim), one report a row, several cited ids in one cell separated
//!   by `;` (or `--cites-sep`);
//! - **sources** (`id`, and `name`, `kind`, `country`, `reliability`, `url`,
//!   `notes`);
//! - **claims** (`id` and `text`).
//!
//! Column names match ignoring case, surrounding spaces and `-` for `_`;
//! `--columns` maps another tool's names onto these. The cell separator is
//! `,`, `;` or a tab, whichever the header uses. Empty cells are absent
//! values. Ids may be any text without control characters. Messages point
//! at the row's line and the cell's column (for a sheet, at the cell).

use std::io::Read;

use rayon::prelude::*;

use crate::diag::{did_you_mean, nearest, shown, Code, Diagnostic};
use crate::load::records::{
    Checker, RawClaim, RawFile, RawReport, RawSource, Val, CLAIM_KEYS, REPORT_KEYS, SOURCE_KEYS,
};
use crate::load::tree::{FileText, Pos};
use crate::load::TableOptions;
use crate::model::{Basis, IdIndex, PartialDate, ReportTexts, Stance};

/// The columns of a table of reports: the keys of a report, then the
/// columns that declare the row's source and claim.
pub(crate) const REPORT_COLUMNS: [&str; 14] = [
    "source",
    "claim",
    "cites",
    "stance",
    "date",
    "url",
    "quote",
    "notes",
    "basis",
    "source_name",
    "source_kind",
    "source_country",
    "source_reliability",
    "claim_text",
];

/// Column numbers of the known fields, in `REPORT_COLUMNS` order.
type Columns = [Option<usize>; REPORT_COLUMNS.len()];

/// What a table holds, by its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TableKind {
    Reports,
    Sources,
    Claims,
}

impl TableKind {
    fn columns(self) -> &'static [&'static str] {
        match self {
            TableKind::Reports => &REPORT_COLUMNS,
            TableKind::Sources => &SOURCE_KEYS,
            TableKind::Claims => &CLAIM_KEYS,
        }
    }

    fn word(self) -> &'static str {
        match self {
            TableKind::Reports => "reports",
            TableKind::Sources => "sources",
            TableKind::Claims => "claims",
        }
    }
}

/// A header cell as the format names columns: trimmed, lowercase, `-` and
/// spaces as `_`; or, when `--columns` maps it, the name it is mapped to.
fn column_name(header: &str, opts: &TableOptions) -> String {
    let norm = |s: &str| {
        s.trim()
            .trim_start_matches('\u{feff}')
            .to_lowercase()
            .replace([' ', '-'], "_")
    };
    let h = norm(header);
    for (ours, theirs) in &opts.columns {
        if norm(theirs) == h {
            return ours.clone();
        }
    }
    h
}

/// What a header says the table holds.
fn classify(names: &[String]) -> Option<TableKind> {
    let has = |k: &str| names.iter().any(|n| n == k);
    if has("source") && has("claim") {
        Some(TableKind::Reports)
    } else if has("id") && has("text") && !SOURCE_KEYS[1..].iter().any(|k| has(k)) {
        Some(TableKind::Claims)
    } else if has("id") {
        Some(TableKind::Sources)
    } else if has("source") || has("claim") {
        Some(TableKind::Reports)
    } else {
        None
    }
}

/// The separator a header row uses: the most frequent of `,`, `;` and tab
/// outside quotes, `,` when there is none.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let (mut comma, mut semi, mut tab, mut quoted) = (0, 0, 0, false);
    for b in first.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => comma += 1,
            b';' if !quoted => semi += 1,
            b'\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// How a separator is called in messages.
fn delimiter_word(d: u8) -> &'static str {
    match d {
        b';' => "semicolons",
        b'\t' => "tabs",
        _ => "commas",
    }
}

/// Tables at least this long have their rows read in parallel. With the
/// pieces' tables of ids joined rather than entered again
/// ([`crate::model::IdIndex::absorb`]), a table of 2.8 MB (100,000 reports
/// with 300,000 citations) is read in 0.05-0.07 s in two pieces, against
/// 0.07-0.08 s in one.
const PARALLEL_BYTES: usize = 1 << 20;

/// Reads the reports of a CSV table, in one or more pieces of consecutive
/// rows.
pub(crate) fn from_csv(
    file: &FileText,
    opts: &TableOptions,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RawFile> {
    from_csv_in(file, opts, diags, PARALLEL_BYTES)
}

/// Reads the reports of a CSV table, splitting a table of `parallel_bytes`
/// or more into pieces read on rayon's threads.
///
/// A piece starts at a line break outside any quoted cell and is read with
/// the header row in front of it, so its rows are checked against the same
/// header. The pieces, in order, hold the same reports as one reading of the
/// whole table, and their messages, in order, are the same messages.
pub(crate) fn from_csv_in(
    file: &FileText,
    opts: &TableOptions,
    diags: &mut Vec<Diagnostic>,
    parallel_bytes: usize,
) -> Vec<RawFile> {
    let mut out = RawFile::default();
    let mut rdr = reader(file, file.text.as_bytes());
    let mut ck = Checker::new(file, diags);

    // A quoted cell that is never closed swallows the rest of the table, and
    // the reader says nothing about it.
    let unclosed = unclosed_quote(&file.text, file.delim);
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
    let names: Vec<String> = header.iter().map(|h| column_name(h, opts)).collect();
    let Some(kind) = classify(&names) else {
        let seen = header
            .iter()
            .collect::<Vec<_>>()
            .join(&(file.delim as char).to_string());
        let other = [b',', b';', b'\t']
            .into_iter()
            .find(|&d| d != file.delim && header.iter().any(|h| h.as_bytes().contains(&d)));
        let help = match other {
            Some(d) => format!(
                "the header was read as separated by {}, but its cells hold {}: save the table with one separator",
                delimiter_word(file.delim),
                delimiter_word(d)
            ),
            None if !opts.columns.is_empty() => "--columns maps no header cell to `source` and `claim` (reports), or `id` (sources, claims): check the names it maps".to_owned(),
            None => format!(
                "a table of reports has the columns source and claim ({}); of sources, id (and name, kind, …); of claims, id and text; another tool's table can be read with --columns (e.g. --columns source=to_user,claim=topic,cites=from_user)",
                REPORT_KEYS.join(", ")
            ),
        };
        let d = file
            .error(
                Code::MissingField,
                cell_pos(file, 0, 0),
                format!(
                    "the header \"{}\" names no table the format has",
                    shown(&seen)
                ),
            )
            .with_help(help);
        ck.diags.push(d);
        return vec![out];
    };
    let known = kind.columns();
    let mut cols: Vec<Option<usize>> = vec![None; known.len()];
    let mut header_ok = true;
    let mut ignored: Vec<String> = Vec::new();
    // Known columns that an unknown column was taken for ("Sorce" for
    // `source`): their absence is already said.
    let mut suggested: Vec<&str> = Vec::new();
    for (i, (name, raw)) in names.iter().zip(header.iter()).enumerate() {
        let pos = cell_pos(file, 0, i);
        match known.iter().position(|k| k == name) {
            Some(k) if cols[k].is_some() => {
                let d = file
                    .error(
                        Code::Syntax,
                        pos,
                        format!("column `{}` appears twice", shown(raw)),
                    )
                    .with_help("keep one of them");
                ck.diags.push(d);
                header_ok = false;
            }
            Some(k) => cols[k] = Some(i),
            None if !opts.columns.is_empty() => ignored.push(raw.to_owned()),
            None => {
                suggested.extend(nearest(name, known.iter().copied()));
                let help = did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "the columns of a table of {} are {}; another tool's columns can be mapped with --columns",
                        kind.word(),
                        known.join(", ")
                    )
                });
                let msg = if raw.trim().is_empty() {
                    "a column has no name".to_owned()
                } else {
                    format!("unknown column `{}`", shown(raw))
                };
                ck.diags
                    .push(file.error(Code::UnknownKey, pos, msg).with_help(help));
                header_ok = false;
            }
        }
    }
    if !ignored.is_empty() {
        let d = file
            .warning(
                Code::IgnoredColumns,
                cell_pos(file, 0, 0),
                format!(
                    "{} not mapped by --columns and left out: {}",
                    if ignored.len() == 1 {
                        "this column is"
                    } else {
                        "these columns are"
                    },
                    ignored
                        .iter()
                        .map(|c| format!("`{}`", shown(c)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_help("map a column with --columns OURS=THEIRS to read it");
        ck.diags.push(d);
    }
    let required: &[&str] = match kind {
        TableKind::Reports => &["source", "claim"],
        TableKind::Sources => &["id"],
        TableKind::Claims => &["id", "text"],
    };
    for name in required {
        let k = known
            .iter()
            .position(|c| c == name)
            .expect("a known column");
        if cols[k].is_none() && !suggested.contains(name) {
            let d = file
                .error(
                    Code::MissingField,
                    cell_pos(file, 0, 0),
                    format!("the header has no `{name}` column"),
                )
                .with_help(format!(
                    "a table of {} needs the columns {}; its header is {:?}",
                    kind.word(),
                    required.join(" and "),
                    header
                        .iter()
                        .collect::<Vec<_>>()
                        .join(&(file.delim as char).to_string())
                ));
            ck.diags.push(d);
            header_ok = false;
        }
    }
    if !header_ok {
        return vec![out];
    }
    if kind != TableKind::Reports {
        read_declarations(file, &mut rdr, kind, &cols, &mut out, &mut ck);
        ck.warn_free_ids();
        return vec![out];
    }
    let cols: Columns = cols.try_into().expect("one slot per report column");
    let sep = opts.cites_sep.unwrap_or(';');
    // A table that declares sources or claims in its rows is read in one go:
    // a declaration is checked against the first one anywhere in the table.
    let declares = cols[9..].iter().any(Option::is_some);
    let header_len = rdr.position().byte() as usize;
    let text = file.text.as_bytes();
    let threads = rayon::current_num_threads();
    let pieces = if unclosed.is_none() && !declares && threads > 1 && text.len() >= parallel_bytes {
        let body = text.len() - header_len;
        let targets: Vec<usize> = (1..threads)
            .map(|k| header_len + body * k / threads)
            .collect();
        row_breaks(file, &targets)
    } else {
        Vec::new()
    };
    if pieces.is_empty() {
        let mut sheet = OneSheet::default();
        read_rows(
            file,
            &mut rdr,
            |b| b,
            &cols,
            unclosed,
            sep,
            &mut out,
            &mut ck,
            declares.then_some(&mut sheet),
        );
        sheet.declare(&mut out, &mut ck);
        ck.warn_free_ids();
        return vec![out];
    }

    let mut bounds = vec![header_len];
    bounds.extend(pieces);
    bounds.push(text.len());
    let header_row = &text[..header_len];
    let parts: Vec<Piece> = bounds
        .windows(2)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|w| {
            let (from, to) = (w[0], w[1]);
            let mut rdr = reader(file, header_row.chain(&text[from..to]));
            let mut part = RawFile::default();
            let mut diags = Vec::new();
            let mut ck = Checker::new(file, &mut diags);
            // The reader counts from the start of the header row in front.
            let at = |b: usize| from + b - header_len;
            let whole = read_rows(
                file, &mut rdr, at, &cols, None, sep, &mut part, &mut ck, None,
            );
            // Turned around here, on this piece's thread, not by the builder.
            part.reports.ready();
            let (free, first) = (ck.free_ids, ck.first_free_id.take());
            (part, diags, whole, free, first)
        })
        .collect();
    if parts.iter().any(|p| !p.2) {
        // A piece stopped at an error: read the table in one go, which
        // stops where that error is.
        read_rows(
            file,
            &mut rdr,
            |b| b,
            &cols,
            unclosed,
            sep,
            &mut out,
            &mut ck,
            None,
        );
        ck.warn_free_ids();
        return vec![out];
    }
    let mut raws = Vec::with_capacity(parts.len());
    for (part, mut part_diags, _, free, first) in parts {
        ck.diags.append(&mut part_diags);
        ck.free_ids += free;
        if ck.first_free_id.is_none() {
            ck.first_free_id = first;
        }
        raws.push(part);
    }
    ck.warn_free_ids();
    raws
}

/// One piece of a table read on its own: its records, messages, whether it
/// was read to its end, and its ids outside the TOML rule (how many, the first).
type Piece = (RawFile, Vec<Diagnostic>, bool, usize, Option<(String, Pos)>);

/// A declared value and the cell it came from.
type Declared = Option<(String, Pos)>;

/// A CSV reader of a table's text with the table's separator.
fn reader<R: Read>(file: &FileText, input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(file.delim)
        // Cells are trimmed where they are read: the reader's own trimming
        // builds a new record for every row.
        .trim(csv::Trim::Headers)
        .from_reader(input)
}

/// The declarations of a table of reports kept in one sheet: each source's
/// and claim's first non-empty `source_*` and `claim_text` cells, with where
/// they are.
#[derive(Default)]
struct OneSheet {
    sources: Vec<(String, Pos, [Declared; 4])>,
    source_at: std::collections::HashMap<String, usize>,
    claims: Vec<(String, Pos, Declared)>,
    claim_at: std::collections::HashMap<String, usize>,
}

/// The `source_*` columns, in `REPORT_COLUMNS` order from index 9.
const SOURCE_COLUMNS: [&str; 4] = ["name", "kind", "country", "reliability"];

impl OneSheet {
    /// Records one cell; a later cell that says something else than the first
    /// is an error naming both.
    fn cell(slot: &mut Declared, value: &str, pos: Pos, what: String, ck: &mut Checker) {
        match slot {
            None => *slot = Some((value.to_owned(), pos)),
            Some((first, at)) if first != value => {
                let file = ck.file;
                let d = file
                    .error(
                        Code::Conflict,
                        pos,
                        format!(
                            "{what} is \"{}\" here but \"{}\" at {}",
                            shown(value),
                            shown(first),
                            crate::model::Location::to_string(&file.location(*at))
                        ),
                    )
                    .with_help("the first non-empty cell declares it: give every row the same value, or leave the later cells empty");
                ck.diags.push(d);
            }
            Some(_) => {}
        }
    }

    fn source(&mut self, id: &str, pos: Pos) -> &mut (String, Pos, [Declared; 4]) {
        let i = *self.source_at.entry(id.to_owned()).or_insert_with(|| {
            self.sources
                .push((id.to_owned(), pos, [None, None, None, None]));
            self.sources.len() - 1
        });
        &mut self.sources[i]
    }

    fn claim(&mut self, id: &str, pos: Pos) -> &mut (String, Pos, Declared) {
        let i = *self.claim_at.entry(id.to_owned()).or_insert_with(|| {
            self.claims.push((id.to_owned(), pos, None));
            self.claims.len() - 1
        });
        &mut self.claims[i]
    }

    /// The sources and claims the table declares, in the order first met.
    fn declare(self, out: &mut RawFile, ck: &mut Checker) {
        for (id, pos, [name, kind, country, reliability]) in self.sources {
            if name.is_none() && kind.is_none() && country.is_none() && reliability.is_none() {
                continue;
            }
            out.sources.push(RawSource {
                id: Val { v: id, pos },
                name: name.map(|n| n.0),
                kind: kind
                    .and_then(|(k, at)| ck.kind(&k, at))
                    .unwrap_or(crate::model::Kind::Unknown),
                country: country.map(|c| c.0),
                reliability: reliability.and_then(|(r, at)| ck.reliability(&r, at)),
                url: None,
                notes: None,
            });
        }
        for (id, pos, text) in self.claims {
            if let Some((text, _)) = text {
                out.claims.push(RawClaim {
                    id: Val { v: id, pos },
                    text,
                });
            }
        }
    }
}

/// Reads a table of sources or of claims.
fn read_declarations<R: Read>(
    file: &FileText,
    rdr: &mut csv::Reader<R>,
    kind: TableKind,
    cols: &[Option<usize>],
    out: &mut RawFile,
    ck: &mut Checker,
) {
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => return,
            Ok(true) => {}
            Err(e) => {
                let start = e.position().map_or(0, |p| p.byte() as usize);
                ck.diags.push(csv_error(file, start, &e));
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                return;
            }
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let cells = RowCells::new(file, start, &record);
        let at = |k: usize| cells.pos(cols[k].unwrap_or(0));
        let cell = |k: usize| {
            cols[k]
                .and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let Some(id) = cell(0) else {
            let d = file
                .error(Code::MissingField, at(0), "the `id` cell is empty")
                .with_help(format!(
                    "every row of a table of {} needs its id",
                    kind.word()
                ));
            ck.diags.push(d);
            continue;
        };
        let what = if kind == TableKind::Sources {
            "source id"
        } else {
            "claim id"
        };
        let Some(id) = ck.id(what, id, at(0)) else {
            continue;
        };
        let mut text = |k: usize, name: &str| {
            cell(k)
                .filter(|v| ck.text(name, v, at(k)))
                .map(str::to_owned)
        };
        if kind == TableKind::Claims {
            let t = text(1, "text").unwrap_or_default();
            out.claims.push(RawClaim { id, text: t });
            continue;
        }
        let name = text(1, "name");
        let country = text(3, "country");
        let url = text(5, "url");
        let notes = text(6, "notes");
        let kind_v = cell(2)
            .and_then(|k| ck.kind(k, at(2)))
            .unwrap_or(crate::model::Kind::Unknown);
        let reliability = cell(4).and_then(|r| ck.reliability(r, at(4)));
        out.sources.push(RawSource {
            id,
            name,
            kind: kind_v,
            country,
            reliability,
            url,
            notes,
        });
    }
}

/// Reads the rows of `rdr` into `out` until the end of its input, or until
/// an error other than a row of the wrong length; false in that case.
/// `at` turns the reader's byte offsets into offsets in the file.
#[allow(clippy::too_many_arguments)]
fn read_rows<R: Read>(
    file: &FileText,
    rdr: &mut csv::Reader<R>,
    at: impl Fn(usize) -> usize,
    cols: &Columns,
    unclosed: Option<usize>,
    sep: char,
    out: &mut RawFile,
    ck: &mut Checker,
    mut sheet: Option<&mut OneSheet>,
) -> bool {
    let [c_source, c_claim, c_cites, c_stance, c_date, c_url, c_quote, c_notes, c_basis, ..] =
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(|k| cols[k]);

    // Each row is read one ahead of the one checked, and the ids it names
    // are asked for in the tables of ids (IdIndex::prefetch): by the time
    // the row is checked, its lookups find their slots in the cache.
    let mut record = csv::StringRecord::new();
    let mut ahead = csv::StringRecord::new();
    let mut read = rdr.read_record(&mut record);
    loop {
        match std::mem::replace(&mut read, Ok(false)) {
            Ok(false) => return true,
            Ok(true) => {
                read = rdr.read_record(&mut ahead);
                if let Ok(true) = read {
                    ask_for_ids(&ahead, c_source, c_claim, c_cites, sep, out);
                }
            }
            Err(e) => {
                let unequal = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                // The row that holds an unclosed quote is already reported.
                let start = at(e.position().map_or(0, |p| p.byte() as usize));
                let start = row_start(file, start);
                let swallowed = unclosed.is_some_and(|q| start <= q && file.same_line(start, q));
                if !(unequal && swallowed) {
                    ck.diags.push(csv_error(file, start, &e));
                }
                // An unequal row is recoverable: carry on with the next one.
                if unequal {
                    read = rdr.read_record(&mut record);
                    continue;
                }
                return false;
            }
        }
        let start = at(record.position().map_or(0, |p| p.byte() as usize));
        let cell = |c: Option<usize>| cell_text(&record, c);
        let cells = RowCells::new(file, start, &record);
        let at = |c: Option<usize>| cells.pos(c.unwrap_or(0));

        let required =
            |ck: &mut Checker, ids: &mut IdIndex, other: &IdIndex, c: Option<usize>, name: &str| {
                match cell(c) {
                    Some(s) => ck.report_id(ids, other, name, s, at(c)),
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
                }
            };
        let source = required(ck, &mut out.source_ids, &out.claim_ids, c_source, "source");
        let claim = required(ck, &mut out.claim_ids, &out.source_ids, c_claim, "claim");
        let cites = match cell(c_cites) {
            Some(s) => {
                let cites_pos = at(c_cites);
                let items = cited_ids(s, sep).map(|s| (s, cites_pos));
                ck.cites(
                    &mut out.source_ids,
                    &out.claim_ids,
                    source.as_ref().map(|s| s.v),
                    items,
                )
            }
            None => Default::default(),
        };
        // Positions are worked out only for a message.
        let stance = cell(c_stance)
            .and_then(|s| Stance::parse(s).or_else(|| ck.stance(s, at(c_stance))))
            .unwrap_or(Stance::Support);
        let date = cell(c_date).and_then(|s| match PartialDate::parse(s) {
            Some(d) => {
                ck.future(d, || at(c_date));
                Some(d)
            }
            None => ck.date(s, at(c_date)),
        });
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
        if let Some(sheet) = sheet.as_deref_mut() {
            if let (Some(sid), Some(_)) = (cell(c_source), &source) {
                for (k, field) in SOURCE_COLUMNS.iter().enumerate() {
                    let c = cols[9 + k];
                    if let Some(v) = cell(c) {
                        let pos = at(c);
                        let what = format!("the {field} of source `{}`", shown(sid));
                        let entry = sheet.source(sid, at(c_source));
                        OneSheet::cell(&mut entry.2[k], v, pos, what, ck);
                    }
                }
            }
            if let (Some(cid), Some(_), Some(v)) = (cell(c_claim), &claim, cell(cols[13])) {
                let pos = at(cols[13]);
                if ck.text("claim_text", v, pos) {
                    let what = format!("the text of claim `{}`", shown(cid));
                    let entry = sheet.claim(cid, at(c_claim));
                    OneSheet::cell(&mut entry.2, v, pos, what, ck);
                }
            }
        }
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
                texts: ReportTexts { url, quote, notes }.boxed(),
            });
        }
        std::mem::swap(&mut record, &mut ahead);
    }
}

/// Asks for the slots where the source, claim and cited sources of `row`
/// will be looked up, before the row is checked.
fn ask_for_ids(
    row: &csv::StringRecord,
    c_source: Option<usize>,
    c_claim: Option<usize>,
    c_cites: Option<usize>,
    sep: char,
    out: &RawFile,
) {
    if let Some(s) = cell_text(row, c_source) {
        out.source_ids.prefetch(s);
    }
    if let Some(s) = cell_text(row, c_claim) {
        out.claim_ids.prefetch(s);
    }
    if let Some(s) = cell_text(row, c_cites) {
        for id in cited_ids(s, sep) {
            out.source_ids.prefetch(id);
        }
    }
}

/// The text of column `c` of `row`, trimmed; `None` for an empty cell or no
/// such column.
fn cell_text(row: &csv::StringRecord, c: Option<usize>) -> Option<&str> {
    c.and_then(|c| row.get(c))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The ids of a `cites` cell, split at `sep` and trimmed, empty ones left
/// out.
fn cited_ids(cell: &str, sep: char) -> impl Iterator<Item = &str> + Clone {
    cell.split(sep).map(str::trim).filter(|s| !s.is_empty())
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
            let seen = [b',', b';', b'\t']
                .into_iter()
                .filter(|&d| d != file.delim)
                .find(|&d| file.text.as_bytes()[start..end].contains(&d));
            let help = match seen {
                Some(d) => format!(
                    "the table is read as separated by {} (as its header is); this row holds {}: save the table with one separator, and quote cells that contain it",
                    delimiter_word(file.delim),
                    delimiter_word(d)
                ),
                None => format!(
                    "put cells that contain {} in double quotes, and separate cited ids with `;`",
                    delimiter_word(file.delim)
                ),
            };
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
///
/// Only the quotes are visited, found by `str::find` (a `memchr`): walking
/// every byte took 70 ms of a 32 MB table, before any row was read.
fn unclosed_quote(text: &str, delim: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut open: Option<usize> = None;
    let mut i = 0;
    // `i` is always just after an ASCII quote: a character boundary.
    while let Some(k) = text[i..].find('"') {
        let q = i + k;
        i = q + 1;
        match open {
            // `""` inside a quoted cell is a quote.
            Some(_) if b.get(q + 1) == Some(&b'"') => i += 1,
            Some(_) => open = None,
            // A quote opens a cell only as its first character.
            None if q == 0 || b[q - 1] == delim || matches!(b[q - 1], b'\n' | b'\r') => {
                open = Some(q)
            }
            None => {}
        }
    }
    open
}

/// Where rows can start near each of `targets` (ascending byte offsets):
/// for each, the first offset at or after it that follows a line break
/// outside any quoted cell, read as [`unclosed_quote`] reads the table.
/// Ascending, without repeats, and short of the end of the text.
fn row_breaks(file: &FileText, targets: &[usize]) -> Vec<usize> {
    let (text, delim) = (&file.text, file.delim);
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
        at_cell_start = !open && (c == delim || matches!(c, b'\n' | b'\r'));
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

/// Where the cells of one row read by the CSV reader lie in the file.
///
/// A row without a double quote is its cells' text and the separators
/// between them, byte for byte: cell `i` then starts `i` separators after
/// where it starts among the reader's cells, and its position costs no
/// reading. Other rows are read again, cell by cell ([`cell_pos`]). Three
/// such readings a row (the source, the claim and the cited sources, whose
/// positions every report keeps) took 3.8% of the CPU time of `analyze` on
/// the million-long chain and 2.3% on the steep corpus.
struct RowCells<'a> {
    file: &'a FileText,
    /// Where the row starts in the file.
    start: usize,
    /// The cells' ranges among the reader's cells, when the row has no
    /// quote.
    plain: Option<&'a csv::StringRecord>,
}

impl<'a> RowCells<'a> {
    /// The cells of `record`, read from the row that starts at byte `start`
    /// of `file` (or at the line break before it).
    fn new(file: &'a FileText, start: usize, record: &'a csv::StringRecord) -> RowCells<'a> {
        let start = row_start(file, start);
        let len = record.as_slice().len() + record.len().saturating_sub(1);
        // The row is plain when its text is just that long, ending at a line
        // break or the end of the file, and has no quote: then the reader
        // split it at each separator and took nothing else out.
        let text = file.text.as_bytes();
        let ends = matches!(text.get(start + len), None | Some(b'\r' | b'\n'));
        let plain = (ends
            && text
                .get(start..start + len)
                .is_some_and(|row| !row.contains(&b'"')))
        .then_some(record);
        RowCells { file, start, plain }
    }

    /// The position of cell `index` (0-based); the row's first line when the
    /// row has no such cell.
    fn pos(&self, index: usize) -> Pos {
        match self.plain.and_then(|r| r.range(index)) {
            Some(r) => self
                .file
                .pos(self.start + r.start + index, self.start + r.end + index),
            None => cell_pos(self.file, self.start, index),
        }
    }
}

/// The position of cell `index` (0-based) of the row starting at byte
/// `start`, found by reading the row's text, quoted cells and line breaks
/// inside them included; the row's first line when the row has no such cell.
fn cell_pos(file: &FileText, start: usize, index: usize) -> Pos {
    let start = row_start(file, start);
    let text = file.text.as_bytes().get(start..).unwrap_or(&[]);
    let mut cell = 0;
    let mut cell_start = 0;
    let mut quoted = false;
    let mut end = text.len();
    // Bytes, not characters: the separator, the quote and line breaks are
    // ASCII, and no byte of a longer UTF-8 character is ASCII.
    for (i, &c) in text.iter().enumerate() {
        match c {
            b'"' => quoted = !quoted,
            c if c == file.delim && !quoted => {
                if cell == index {
                    return file.pos(start + cell_start, start + i);
                }
                cell += 1;
                cell_start = i + 1;
            }
            b'\r' | b'\n' if !quoted => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    if cell == index {
        file.pos(start + cell_start, start + end)
    } else {
        let first_line = text
            .iter()
            .position(|&c| matches!(c, b'\r' | b'\n'))
            .unwrap_or(text.len());
        file.pos(start, start + first_line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::records::{RawId, Val};

    /// The pieces of a table read on `threads` threads, splitting it from
    /// `parallel_bytes` on, and the messages.
    fn pieces(
        file: &FileText,
        parallel_bytes: usize,
        threads: usize,
    ) -> (Vec<RawFile>, Vec<Diagnostic>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut diags = Vec::new();
        let pieces = pool
            .install(|| from_csv_in(file, &TableOptions::default(), &mut diags, parallel_bytes));
        (pieces, diags)
    }

    /// What a reading gives, with ids spelled out (piece by piece, the
    /// file-local id numbers differ).
    fn reading(
        file: &FileText,
        parallel_bytes: usize,
        threads: usize,
    ) -> (Vec<String>, Vec<String>) {
        let (pieces, diags) = pieces(file, parallel_bytes, threads);
        let reports = pieces
            .iter()
            .flat_map(|raw| raw.reports.to_vec().into_iter().map(move |r| (raw, r)))
            .map(|(raw, r)| {
                let id = |ids: &IdIndex, v: &Val<RawId>| format!("{}@{:?}", ids.id(v.v), v.pos);
                let source = |v: &Val<RawId>| id(&raw.source_ids, v);
                let cites: Vec<String> = r.cites.iter().map(source).collect();
                format!(
                    "{:?} {} {} {cites:?} {:?} {:?} {:?}",
                    r.pos,
                    source(&r.source),
                    id(&raw.claim_ids, &r.claim),
                    r.stance,
                    r.date,
                    r.texts,
                )
            })
            .collect();
        let diags = diags.iter().map(|d| format!("{d:?}")).collect();
        (reports, diags)
    }

    /// Every cell's position found from the reader's cells, for plain rows,
    /// is the one found by reading the row again, and so is every other row's.
    #[test]
    fn cells_of_plain_rows_are_placed_without_reading_them_again() {
        let text = "source,claim,cites,notes\r\n\
                    a,c1,b;d,plain\r\n\
                    \u{e9}t\u{e9}, c2 ,\"b,d\",x\n\
                    e,c3,,\"two\nlines\"\n\
                    f,c4,g,\n\
                    h,c\"5,i,j\n\
                    k,,, \n\
                    last,c6,a,end";
        let file = FileText::new("t.csv".to_owned(), text.to_owned(), false);
        let mut rdr = reader(&file, file.text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut plain = 0;
        while rdr.read_record(&mut record).unwrap() {
            let start = record.position().unwrap().byte() as usize;
            let cells = RowCells::new(&file, start, &record);
            plain += usize::from(cells.plain.is_some());
            for i in 0..record.len() + 2 {
                assert_eq!(
                    cells.pos(i),
                    cell_pos(&file, start, i),
                    "cell {i} of {record:?}"
                );
            }
        }
        assert_eq!(plain, 4, "the rows without a quote");
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

    /// The case built from a table read in `threads` pieces.
    fn case_in_pieces(file: &FileText, threads: usize) -> crate::model::Case {
        let (pieces, mut diags) = pieces(file, 0, threads);
        let raws = pieces.into_iter().map(|raw| (0, raw)).collect();
        let case = crate::load::build::build(std::slice::from_ref(file), raws, &mut diags);
        assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
        case
    }

    #[test]
    fn the_first_pieces_ids_become_the_cases_in_the_order_first_named() {
        // Source ids also used as claim ids, sources first named as cited,
        // ids outside the TOML rule.
        let ids = ["a", "b", "c1", "c2", "Fars News", "d", "e"];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for round in 0..200 {
            let mut text = String::from("source,claim,cites\n");
            for _ in 0..1 + rng.below(40) {
                let source = ids[rng.below(ids.len())];
                let claim = ["c1", "c2", "a"][rng.below(3)];
                let cites: Vec<&str> = (0..rng.below(4))
                    .map(|_| ids[rng.below(ids.len())])
                    .filter(|&c| c != source)
                    .collect();
                text.push_str(&format!("{source},{claim},{}\n", cites.join(";")));
            }
            let file = FileText::table("t.csv".to_owned(), text.clone(), b',', None);
            let whole = case_in_pieces(&file, 1);
            // Each source's index is its place in the order the reports
            // first name it, the report's source before its cites.
            let mut named = Vec::new();
            for r in &whole.reports {
                for &s in std::iter::once(&r.source).chain(&r.cites) {
                    if !named.contains(&s) {
                        named.push(s);
                    }
                }
            }
            assert_eq!(named, (0..named.len() as u32).collect::<Vec<_>>(), "{text}");
            assert_eq!(named.len(), whole.sources.len());
            for s in 0..named.len() as u32 {
                assert_eq!(whole.source_index(whole.source_id(s)), Some(s));
            }
            for threads in 2..=4 {
                let pieces = case_in_pieces(&file, threads);
                assert_eq!(pieces, whole, "round {round}, {threads} pieces of {text}");
            }
        }
    }

    #[test]
    fn row_breaks_skip_line_breaks_in_quoted_cells() {
        let table = |t: &str| FileText::table("t.csv".into(), t.into(), b',', None);
        let text = table("h\na\n\"b\nc\"\nd\n");
        assert_eq!(row_breaks(&text, &[0, 2, 3, 5, 9, 11]), vec![2, 4, 10]);
        assert_eq!(row_breaks(&table("h\na\nb\n"), &[1, 3, 5]), vec![2, 4]);
    }

    /// The CSV reader's reading of quotes, byte by byte: the oracle of
    /// [`unclosed_quote`].
    fn unclosed_bytewise(text: &str, delim: u8) -> Option<usize> {
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
            at_cell_start = open.is_none() && (b[i] == delim || matches!(b[i], b'\n' | b'\r'));
            i += 1;
        }
        open
    }

    proptest::proptest! {
        #[test]
        fn unclosed_quote_reads_quotes_as_the_byte_walk(
            text in "[\"\"\",;\t\r\na\u{e9}]{0,40}",
            delim in proptest::sample::select(vec![b',', b';', b'\t']),
        ) {
            proptest::prop_assert_eq!(unclosed_quote(&text, delim), unclosed_bytewise(&text, delim));
        }
    }

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(unclosed_quote("a,\"b\nc", b','), Some(2));
        assert_eq!(unclosed_quote("a,\"b\"\"\nc", b','), Some(2));
        assert_eq!(unclosed_quote("a,\"b\"\"\"\nc", b','), None);
        assert_eq!(unclosed_quote("a,b\"c\n", b','), None);
        assert_eq!(unclosed_quote("\"", b','), Some(0));
        assert_eq!(unclosed_quote("", b','), None);
    }
}
