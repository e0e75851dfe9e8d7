//! TOML and JSON text turned into one located value tree, so that every later
//! check can name the line and column of the value it complains about,
//! whatever the encoding.
//!
//! TOML comes from `toml`'s spanned document parser (which refuses deep
//! nesting); JSON is first checked by `serde_json`, which reports syntax errors
//! with their position, then scanned once, iteratively, to record where each
//! key and value starts, refusing nesting deeper than [`MAX_DEPTH`].

use std::cell::Cell;

use crate::diag::{Code, Diagnostic, Snippet};
use crate::model::Location;

/// The deepest nesting a JSON case may have. The format needs four levels
/// (case, list, record, list of cited ids); the limit keeps hostile input from
/// building a tree whose depth would become the depth of the call stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// A position in a file: the byte range of the thing a message would point
/// at. Its line, column and width (in characters) are worked out only when
/// a message is made ([`FileText::place`]): loading a million rows keeps a
/// position for every id and needs almost none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    /// The byte where the position starts; `u32::MAX` for no place.
    pub byte: u32,
    /// The byte where it ends (at least `byte`).
    pub end: u32,
}

impl Pos {
    /// No place in the file (a key that is missing altogether).
    pub const NONE: Pos = Pos {
        byte: u32::MAX,
        end: u32::MAX,
    };
}

impl Default for Pos {
    fn default() -> Pos {
        Pos::NONE
    }
}

/// A position as a message shows it: 1-based line and column (in
/// characters), and the width of the thing to underline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: u32,
    pub col: u32,
    pub width: u32,
}

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// A key of a table (object) with its value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub node: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Str(String),
    /// An integer, as written.
    Int(String),
    /// A float, as written.
    Float(String),
    Bool(bool),
    /// A TOML date or date-time, as written.
    Datetime(String),
    Null,
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

/// One input file: its name as given, its text, and where its lines start.
pub(crate) struct FileText {
    pub name: std::sync::Arc<str>,
    pub text: String,
    pub json: bool,
    /// A table (CSV or a workbook's sheet): ids may be any text.
    pub table: bool,
    /// The cell separator of a table: `,`, `;` or a tab.
    pub delim: u8,
    /// For a workbook's sheet, its name: messages then name cells
    /// (`case.xlsx: reports!C7`), and the text is the sheet written as CSV.
    pub sheet: Option<String>,
    /// For a sheet, the column of its first used cell (0 for `A`).
    pub sheet_col: usize,
    line_starts: Vec<usize>,
    /// A number no other file text of this process has, for the column cache.
    id: usize,
}

/// The next [`FileText::id`].
static NEXT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    /// The line [`FileText::place`] found last on this thread: positions are
    /// mostly asked for in reading order, so the next one is usually on it
    /// or the next. Only a hint, checked before it is used.
    static LAST_LINE: Cell<usize> = const { Cell::new(0) };
    /// The column [`FileText::place`] found last on this thread, as (text,
    /// byte, column): on a long line (a minified JSON file is one line) the
    /// next column is counted on from it, not from the start of the line.
    static LAST_COL: Cell<(usize, usize, usize)> = const { Cell::new((usize::MAX, 0, 0)) };
}

/// The most characters of a line a message shows on each side of the place
/// it points at; a longer line is cut, with `…` where it was cut.
const SNIPPET_SIDE: usize = 60;

impl FileText {
    pub fn new(name: String, text: String, json: bool) -> FileText {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        FileText {
            name: name.into(),
            text,
            json,
            table: false,
            delim: b',',
            sheet: None,
            sheet_col: 0,
            line_starts,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The 0-based line that holds byte `at`.
    fn line_of(&self, at: usize) -> usize {
        let starts = &self.line_starts;
        let on = |l: usize| {
            l < starts.len() && starts[l] <= at && starts.get(l + 1).is_none_or(|&next| at < next)
        };
        let hint = LAST_LINE.get();
        let line = if on(hint) {
            hint
        } else if on(hint + 1) {
            hint + 1
        } else {
            starts.partition_point(|&s| s <= at) - 1
        };
        LAST_LINE.set(line);
        line
    }

    /// The position of the byte range `start..end`.
    pub fn pos(&self, start: usize, end: usize) -> Pos {
        let mut start = start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        Pos {
            byte: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// Whether two bytes are on the same line.
    pub fn same_line(&self, a: usize, b: usize) -> bool {
        let (a, b) = (a.min(self.text.len()), b.min(self.text.len()));
        self.line_of(a) == self.line_of(b)
    }

    /// The line, column and width of a position; `None` for no place.
    pub fn place(&self, pos: Pos) -> Option<Place> {
        if pos == Pos::NONE {
            return None;
        }
        let (start, end) = (pos.byte as usize, pos.end as usize);
        let line = self.line_of(start);
        let line_start = self.line_starts[line];
        let line_end = self.line_end(line);
        let key = self.id;
        let (k, byte, col) = LAST_COL.get();
        let col = if k == key && byte >= line_start && byte <= start {
            col + self.text.get(byte..start).map_or(0, |s| s.chars().count())
        } else {
            self.text
                .get(line_start..start)
                .map_or(0, |s| s.chars().count())
                + 1
        };
        LAST_COL.set((key, start, col));
        // A span may start on the `\r` of a `\r\n`, past the line's end: it
        // then has nothing of the line to underline.
        let width = self
            .text
            .get(start..end.min(line_end).max(start))
            .map_or(0, |s| s.chars().count());
        Some(Place {
            line: line as u32 + 1,
            col: col as u32,
            width: width.max(1) as u32,
        })
    }

    fn line_end(&self, line: usize) -> usize {
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&s| s - 1);
        if end > self.line_starts[line] && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }

    /// A table: a CSV file, or a workbook's sheet written as CSV.
    pub fn table(name: String, text: String, delim: u8, sheet: Option<String>) -> FileText {
        let mut f = FileText::new(name, text, false);
        f.table = true;
        f.delim = delim;
        f.sheet = sheet;
        f
    }

    /// The location of a position, for messages.
    pub fn location(&self, pos: Pos) -> Location {
        if let Some(sheet) = &self.sheet {
            return Location {
                file: format!("{}: {sheet}!{}", self.name, self.cell_name(pos)).into(),
                line: None,
                column: None,
            };
        }
        let place = self.place(pos);
        Location {
            file: self.name.clone(),
            line: place.map(|p| p.line),
            column: place.map(|p| p.col),
        }
    }

    /// The spreadsheet name of the cell a position is in: `C7` for the third
    /// cell of the seventh row (the sheet's rows are the text's lines).
    fn cell_name(&self, pos: Pos) -> String {
        let line_no = self.place(pos).map_or(1, |p| p.line);
        let line = line_no as usize - 1;
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let at = (pos.byte as usize).clamp(start, self.text.len());
        let mut index = 0usize;
        let mut quoted = false;
        for &b in &self.text.as_bytes()[start..at] {
            if b == b'"' {
                quoted = !quoted;
            } else if b == self.delim && !quoted {
                index += 1;
            }
        }
        let letters = crate::load::workbook::column_letters(self.sheet_col + index);
        format!("{letters}{line_no}")
    }

    /// The line to show under a message about a position: the whole line,
    /// or, for a long line, [`SNIPPET_SIDE`] characters on each side of the
    /// place (and of at most that much of what is underlined), with `…`
    /// where it was cut. The cost does not grow with the line's length.
    pub fn snippet(&self, pos: Pos) -> Option<Snippet> {
        if self.sheet.is_some() {
            // A sheet has no lines to show; its cell is named instead.
            return None;
        }
        let place = self.place(pos)?;
        let i = place.line as usize - 1;
        let line_start = *self.line_starts.get(i)?;
        let line_end = self.line_end(i);
        let at = (pos.byte as usize).clamp(line_start, line_end);
        let back = |mut b: usize| {
            while !self.text.is_char_boundary(b) {
                b -= 1;
            }
            b
        };
        // Up to SNIPPET_SIDE characters before the place (4 bytes at most each).
        let mut from = at;
        for _ in 0..SNIPPET_SIDE {
            if from <= line_start {
                break;
            }
            from = back(from - 1);
        }
        let mut to = at;
        let most = SNIPPET_SIDE + (place.width as usize).min(SNIPPET_SIDE);
        for c in self.text.get(at..line_end).unwrap_or("").chars().take(most) {
            to += c.len_utf8();
        }
        let cut_left = from > line_start;
        let cut_right = to < line_end;
        let mut text = String::new();
        if cut_left {
            text.push('…');
        }
        text.push_str(self.text.get(from..to).unwrap_or(""));
        if cut_right {
            text.push('…');
        }
        let before = self.text.get(from..at).map_or(0, |s| s.chars().count()) + cut_left as usize;
        let len = text.chars().count();
        let start = before.min(len) as u32;
        Some(Snippet {
            text,
            start,
            width: place
                .width
                .clamp(1, (len as u32 - start - cut_right as u32).max(1)),
        })
    }

    /// An error at a position, with its snippet.
    pub fn error(&self, code: Code, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.location(pos), message).with_snippet(self.snippet(pos))
    }

    /// A warning at a position, with its snippet.
    pub fn warning(&self, code: Code, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(code, self.location(pos), message).with_snippet(self.snippet(pos))
    }

    /// How a table is called in this file's format.
    pub fn table_word(&self) -> &'static str {
        if self.json {
            "object"
        } else {
            "table"
        }
    }
}

impl Value {
    /// The type's name for messages, in the words of the file's format.
    pub fn type_name(&self, file: &FileText) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Datetime(_) => "a date-time",
            Value::Null => "null",
            Value::Array(_) => "an array",
            Value::Table(_) if file.json => "an object",
            Value::Table(_) => "a table",
        }
    }

    /// A short rendering of the value for messages.
    pub fn show(&self) -> String {
        match self {
            Value::Str(s) => format!("{s:?}"),
            Value::Int(s) | Value::Float(s) | Value::Datetime(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".into(),
            Value::Array(_) => "[...]".into(),
            Value::Table(_) => "{...}".into(),
        }
    }
}

/// Parses a TOML document into a located tree.
pub(crate) fn parse_toml(file: &FileText) -> Result<Node, Box<Diagnostic>> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(&file.text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let pos = file.pos(span.start, span.end);
        let message = e.message().trim_end().to_owned();
        Box::new(file.error(Code::Syntax, pos, format!("not valid TOML: {message}"))
            .with_help("see docs/format.md for the case-file format, or check quotes and brackets on this line"))
    })?;

    // The parser refuses documents nested more than a few dozen levels deep,
    // so this recursion is bounded by a constant, not by the input.
    fn convert(file: &FileText, v: &toml::Spanned<DeValue<'_>>) -> Node {
        let span = v.span();
        let pos = file.pos(span.start, span.end);
        let value = match v.get_ref() {
            DeValue::String(s) => Value::Str(s.to_string()),
            DeValue::Integer(i) => Value::Int(i.as_str().to_owned()),
            DeValue::Float(f) => Value::Float(f.as_str().to_owned()),
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => Value::Datetime(d.to_string()),
            DeValue::Array(a) => Value::Array(a.iter().map(|x| convert(file, x)).collect()),
            DeValue::Table(t) => Value::Table(
                t.iter()
                    .map(|(k, v)| Entry {
                        key: k.get_ref().to_string(),
                        key_pos: file.pos(k.span().start, k.span().end),
                        node: convert(file, v),
                    })
                    .collect(),
            ),
        };
        Node { value, pos }
    }
    let span = doc.span();
    let entries = doc
        .get_ref()
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_pos: file.pos(k.span().start, k.span().end),
            node: convert(file, v),
        })
        .collect();
    Ok(Node {
        value: Value::Table(entries),
        pos: file.pos(span.start, span.start),
    })
}

/// Parses a JSON document into a located tree.
pub(crate) fn parse_json(file: &FileText) -> Result<Node, Box<Diagnostic>> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&file.text) {
        // `serde_json` counts columns in bytes; messages count characters.
        let line_start = e
            .line()
            .checked_sub(1)
            .and_then(|i| file.line_starts.get(i))
            .copied()
            .unwrap_or(file.text.len());
        let byte = line_start + e.column().saturating_sub(1);
        let pos = file.pos(byte, byte + 1);
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        return Err(Box::new(
            file.error(Code::Syntax, pos, format!("not valid JSON: {message}"))
                .with_help("check the commas, quotes and brackets around this place"),
        ));
    }
    scan_json(file)
}

/// Builds the tree of a JSON text that `serde_json` has already accepted.
/// Iterative: the depth of the input never becomes the depth of the call stack.
fn scan_json(file: &FileText) -> Result<Node, Box<Diagnostic>> {
    enum Frame {
        Array(Pos, Vec<Node>),
        Object(Pos, Vec<Entry>, Option<(String, Pos)>),
    }
    let text = file.text.as_str();
    let b = text.as_bytes();
    let mut i = 0;
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;

    fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
        match stack.last_mut() {
            None => *root = Some(node),
            Some(Frame::Array(_, items)) => items.push(node),
            Some(Frame::Object(_, entries, pending)) => {
                let (key, key_pos) = pending.take().unwrap_or_default();
                entries.push(Entry { key, key_pos, node });
            }
        }
    }

    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => i += 1,
            b'{' | b'[' if stack.len() >= MAX_DEPTH => {
                return Err(Box::new(
                    file.error(
                        Code::Syntax,
                        file.pos(i, i + 1),
                        format!("nested more than {MAX_DEPTH} levels deep"),
                    )
                    .with_help(
                        "a case is an object of lists of records; nothing in it nests this deep",
                    ),
                ));
            }
            b'{' => {
                stack.push(Frame::Object(file.pos(i, i + 1), Vec::new(), None));
                i += 1;
            }
            b'[' => {
                stack.push(Frame::Array(file.pos(i, i + 1), Vec::new()));
                i += 1;
            }
            b'}' | b']' => {
                let node = match stack.pop() {
                    Some(Frame::Array(pos, items)) => Node {
                        value: Value::Array(items),
                        pos,
                    },
                    Some(Frame::Object(pos, entries, _)) => Node {
                        value: Value::Table(entries),
                        pos,
                    },
                    None => break,
                };
                attach(&mut stack, &mut root, node);
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                let pos = file.pos(start, i);
                let s: String = match serde_json::from_str(&text[start..i]) {
                    Ok(s) => s,
                    Err(_) => {
                        // serde_json's first pass skips strings without
                        // decoding them; a lone surrogate is found here.
                        let raw = &text[start..i];
                        let escape = raw
                            .match_indices("\\u")
                            .map(|(k, _)| raw.get(k..k + 6).unwrap_or(""))
                            .find(|e| {
                                u16::from_str_radix(&e[2.min(e.len())..], 16)
                                    .is_ok_and(|u| (0xd800..0xe000).contains(&u))
                            })
                            .unwrap_or("\\u");
                        let message = format!(
                            "the string has the escape `{escape}`, half of a UTF-16 surrogate pair without its other half: it stands for no character"
                        );
                        return Err(Box::new(file.error(Code::Syntax, pos, message).with_help(
                            "write the character itself, or both halves of the pair (`\\ud83d\\ude00` for 😀)",
                        )));
                    }
                };
                let is_key = matches!(stack.last(), Some(Frame::Object(_, _, None)))
                    && text[i..]
                        .trim_start_matches([' ', '\t', '\r', '\n'])
                        .starts_with(':');
                if is_key {
                    if let Some(Frame::Object(_, _, pending)) = stack.last_mut() {
                        *pending = Some((s, pos));
                    }
                } else {
                    attach(
                        &mut stack,
                        &mut root,
                        Node {
                            value: Value::Str(s),
                            pos,
                        },
                    );
                }
            }
            _ => {
                let start = i;
                while i < b.len()
                    && !matches!(b[i], b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n')
                {
                    i += 1;
                }
                let lit = &text[start..i];
                let value = match lit {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ if lit.contains(['.', 'e', 'E']) => Value::Float(lit.to_owned()),
                    _ => Value::Int(lit.to_owned()),
                };
                attach(
                    &mut stack,
                    &mut root,
                    Node {
                        value,
                        pos: file.pos(start, i),
                    },
                );
            }
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Null,
        pos: file.pos(0, 1),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str, json: bool) -> FileText {
        FileText::new("f".into(), text.into(), json)
    }

    #[test]
    fn json_positions_point_at_keys_and_values() {
        let f = file(
            "{\n  \"reports\": [\n    {\"source\": \"a\\\"b\", \"n\": -1.5e3}\n  ]\n}",
            true,
        );
        let root = parse_json(&f).unwrap();
        let Value::Table(top) = &root.value else {
            panic!()
        };
        assert_eq!(top[0].key, "reports");
        let at = |p: Pos| f.place(p).map(|p| (p.line, p.col));
        assert_eq!(at(top[0].key_pos), Some((2, 3)));
        let Value::Array(items) = &top[0].node.value else {
            panic!()
        };
        let Value::Table(fields) = &items[0].value else {
            panic!()
        };
        assert_eq!(fields[0].node.value, Value::Str("a\"b".into()));
        assert_eq!(at(fields[0].node.pos), Some((3, 16)));
        assert_eq!(fields[1].node.value, Value::Float("-1.5e3".into()));
    }

    #[test]
    fn deep_json_is_refused_without_overflowing() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_json(&file(&deep, true)).unwrap_err();
        assert!(
            e.message.contains("nested more than 64 levels"),
            "{}",
            e.message
        );
        assert_eq!((e.at.line, e.at.column), (Some(1), Some(65)));
    }

    #[test]
    fn toml_errors_point_at_the_line() {
        let e = parse_toml(&file("a = 1\nb = \n", false)).unwrap_err();
        assert_eq!(e.at.line, Some(2));
        assert!(e.message.starts_with("not valid TOML"), "{}", e.message);
    }

    #[test]
    fn a_span_on_a_carriage_return_does_not_panic() {
        let f = file("title = \"x\r\nnext = 1\r\n", false);
        let e = parse_toml(&f).unwrap_err();
        assert_eq!(e.at.line, Some(1));
        let p = f.place(f.pos(10, 12)).unwrap();
        assert_eq!((p.line, p.col, p.width), (1, 11, 1));
    }

    #[test]
    fn snippet_columns_count_characters() {
        let f = file("x = \"الموقع\" # é\n", false);
        let p = f
            .place(f.pos(f.text.find('#').unwrap(), f.text.len()))
            .unwrap();
        assert_eq!(p.col, 14);
        assert_eq!(p.width, 3);
    }
}
