//! Messages about a case: every error and warning the loader finds, with the
//! file, line and column, the offending value and a suggestion where one
//! exists, printed the way a researcher reads them:
//!
//! ```text
//! error: case.toml:14:1: unknown key `cite` in a report
//!    14 | cite = ["fars"]
//!       | ^^^^
//!   help: did you mean `cites`?
//! ```

use std::fmt;

use crate::model::Location;

/// Whether a message stops the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of problem a message reports; stable names for scripts and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// A file could not be read.
    Read,
    /// The file is not valid TOML, JSON or CSV.
    Syntax,
    /// A key or CSV column the format does not have.
    UnknownKey,
    /// A required field is absent or empty.
    MissingField,
    /// A value of the wrong type (a number where text belongs, ...).
    WrongType,
    /// An id that is not `[a-z0-9][a-z0-9._-]*`.
    BadId,
    /// A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not in the calendar.
    BadDate,
    /// A kind, stance or reliability grade that the format does not have.
    BadValue,
    /// A source or claim declared twice.
    DuplicateId,
    /// A report that cites its own source.
    SelfCite,
    /// A source that is referenced but not declared (a warning).
    UndeclaredSource,
    /// A claim that is referenced but not declared (a warning).
    UndeclaredClaim,
    /// A support report dated before every dated report of a source it cites (a warning).
    CitesLater,
    /// An undeclared id that is a declared one misspelt, or a declared
    /// source's name instead of its id (an error: it would count as a new source).
    LikelyTypo,
    /// A deny report citing a source that supports the same claim (a warning:
    /// `cites` says whom the denial comes from, not what it denies).
    DenyCitesSupporter,
    /// `basis` on a report that cites sources: it applies to uncited reports only (a warning).
    BasisWithCites,
    /// A retraction by a source with no support report of the claim, or one
    /// that cites sources (a warning).
    Retraction,
    /// Ids of a table that TOML and JSON could not write as they are (a warning).
    IdStyle,
    /// Columns of a foreign table that no `--columns` mapping names (a warning).
    IgnoredColumns,
    /// A date later than today (a warning).
    FutureDate,
    /// Sheets of a workbook that are not read (a warning).
    IgnoredSheet,
    /// Two cells of a one-sheet table that declare a source or claim
    /// differently.
    Conflict,
}

impl Code {
    /// A short stable name, e.g. `unknown-key`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Read => "read",
            Code::Syntax => "syntax",
            Code::UnknownKey => "unknown-key",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::BadId => "bad-id",
            Code::BadDate => "bad-date",
            Code::BadValue => "bad-value",
            Code::DuplicateId => "duplicate-id",
            Code::SelfCite => "self-cite",
            Code::UndeclaredSource => "undeclared-source",
            Code::UndeclaredClaim => "undeclared-claim",
            Code::CitesLater => "cites-later",
            Code::LikelyTypo => "likely-typo",
            Code::DenyCitesSupporter => "deny-cites-supporter",
            Code::BasisWithCites => "basis-with-cites",
            Code::Retraction => "retraction",
            Code::IdStyle => "id-style",
            Code::IgnoredColumns => "ignored-columns",
            Code::FutureDate => "future-date",
            Code::IgnoredSheet => "ignored-sheet",
            Code::Conflict => "conflict",
        }
    }
}

/// The most characters of a message or a suggestion; whatever repeats a
/// value of the input is capped with [`shown`] first, and this catches the
/// rest, so that no input makes a message of megabytes.
const MESSAGE_CHARS: usize = 1000;

/// A message cut to [`MESSAGE_CHARS`] characters.
fn capped(s: String) -> String {
    if s.len() <= MESSAGE_CHARS {
        return s;
    }
    let n = s.chars().count();
    if n <= MESSAGE_CHARS {
        return s;
    }
    let mut out: String = s.chars().take(MESSAGE_CHARS).collect();
    out.push_str(&format!("…[{} more characters]", n - MESSAGE_CHARS));
    out
}

/// The line a message points at, with the span to underline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// The whole line, as written.
    pub text: String,
    /// Where the underline starts, in characters from the start of the line (0-based).
    pub start: u32,
    /// How many characters to underline (at least 1).
    pub width: u32,
}

/// One error or warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub at: Location,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// What to do about it: "did you mean `cites`?".
    pub help: Option<String>,
    pub snippet: Option<Snippet>,
}

impl Diagnostic {
    /// An error at a place.
    pub fn error(code: Code, at: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            at,
            message: capped(message.into()),
            help: None,
            snippet: None,
        }
    }

    /// A warning at a place.
    pub fn warning(code: Code, at: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code,
            at,
            message: capped(message.into()),
            help: None,
            snippet: None,
        }
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(capped(help.into()));
        self
    }

    /// Adds a suggestion when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Adds the line the message points at.
    pub fn with_snippet(mut self, snippet: Option<Snippet>) -> Diagnostic {
        self.snippet = snippet;
        self
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Nothing of the input reaches the terminal raw: control characters
        // are written as escapes, here and in the shown line.
        let at = escape_controls(&self.at.file);
        let at = match (self.at.line, self.at.column) {
            (Some(l), Some(c)) => format!("{at}:{l}:{c}"),
            (Some(l), None) => format!("{at}:{l}"),
            _ => at.into_owned(),
        };
        write!(f, "{word}: {at}: {}", escape_controls(&self.message))?;
        if let (Some(s), Some(line)) = (&self.snippet, self.at.line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            // Tabs would shift the underline; show them as single spaces.
            // Other control characters are escaped, and the underline moves
            // with the longer text.
            let mut text = String::new();
            let mut start = 0;
            let mut width = 0;
            for (i, c) in s.text.chars().enumerate() {
                let piece: String = match c {
                    '\t' => " ".to_owned(),
                    c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
                    c => c.to_string(),
                };
                let len = piece.chars().count();
                if (i as u32) < s.start {
                    start += len;
                } else if (i as u32) < s.start + s.width.max(1) {
                    width += len;
                }
                text.push_str(&piece);
            }
            write!(f, "\n  {number} | {text}")?;
            write!(
                f,
                "\n  {pad} | {}{}",
                " ".repeat(start),
                "^".repeat(width.max(1))
            )?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {}", escape_controls(h))?;
        }
        Ok(())
    }
}

/// The most characters of a value a message repeats; a longer value is
/// shown by its start and end.
pub const SHOWN_CHARS: usize = 80;

/// A value as a message repeats it: control characters written as escapes
/// (`\u{1b}`), and a value longer than [`SHOWN_CHARS`] characters cut in the
/// middle, with the number of characters left out.
pub fn shown(s: &str) -> String {
    let n = s.chars().count();
    let mut out = String::new();
    if n <= SHOWN_CHARS {
        escape_into(&mut out, s);
        return out;
    }
    let head: String = s.chars().take(SHOWN_CHARS / 2).collect();
    let tail_start = s
        .char_indices()
        .nth(n - SHOWN_CHARS / 4)
        .map_or(s.len(), |(i, _)| i);
    escape_into(&mut out, &head);
    out.push_str(&format!(
        "…[{} characters]…",
        n - SHOWN_CHARS / 2 - SHOWN_CHARS / 4
    ));
    escape_into(&mut out, &s[tail_start..]);
    out
}

/// Control characters written as Rust-style escapes, everything else as is.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    std::borrow::Cow::Owned(out)
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_control() {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
}

/// The longest word (in bytes) [`nearest`] compares; longer ones get no
/// suggestion.
pub const NEAREST_CHARS: usize = 64;

/// The closest of `candidates` to `word`, if any is close enough to be a
/// likely misspelling; used for every "did you mean" in the messages.
pub fn nearest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // Only ids and words of a sensible length are compared: the cost of a
    // comparison grows with the product of the two lengths.
    if word.len() > NEAREST_CHARS {
        return None;
    }
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == word || c.len() > NEAREST_CHARS {
            continue;
        }
        let score = if c.to_lowercase() == lower {
            2.0
        } else {
            let lev = strsim::levenshtein(&lower, c);
            let jw = strsim::jaro_winkler(&lower, c);
            let limit = (c.chars().count().max(lower.chars().count()) / 3).max(1);
            if lev <= limit || jw >= 0.88 {
                jw - lev as f64 * 0.01
            } else {
                continue;
            }
        };
        // Ties go to the earlier candidate so that the answer is deterministic.
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" for the nearest candidate, if any.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_misspellings_only() {
        let keys = ["source", "claim", "cites", "stance", "date", "url", "quote"];
        assert_eq!(nearest("cite", keys), Some("cites"));
        assert_eq!(nearest("Cites", keys), Some("cites"));
        assert_eq!(nearest("stnace", keys), Some("stance"));
        assert_eq!(nearest("sourc", keys), Some("source"));
        assert_eq!(nearest("publisher", keys), None);
        assert_eq!(
            nearest("alalma", ["alalam", "almanar", "fars"]),
            Some("alalam")
        );
    }

    #[test]
    fn display_points_at_the_line() {
        let d = Diagnostic::error(
            Code::UnknownKey,
            Location {
                file: "case.toml".into(),
                line: Some(14),
                column: Some(1),
            },
            "unknown key `cite` in a report",
        )
        .with_help("did you mean `cites`?")
        .with_snippet(Some(Snippet {
            text: "cite = [\"fars\"]".into(),
            start: 0,
            width: 4,
        }));
        assert_eq!(
            d.to_string(),
            "error: case.toml:14:1: unknown key `cite` in a report\n  14 | cite = [\"fars\"]\n     | ^^^^\n  help: did you mean `cites`?"
        );
    }
}
