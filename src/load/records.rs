//! The records of one file, checked field by field: the keys the format has,
//! the type of every value, the form of ids, dates, kinds, stances and grades.
//! TOML and JSON arrive here as located trees; CSV rows use the same value
//! checks. What comes out still holds id strings: interning and the rules that
//! need the whole case (duplicates, undeclared ids, dates across reports)
//! belong to the builder.

use crate::diag::{did_you_mean, shown, Code, Diagnostic};
use crate::load::tree::{Entry, FileText, Node, Pos, Value};
use crate::model::{
    is_valid_id, suggest_id, Basis, IdIndex, Kind, PartialDate, ReportTexts, Stance,
};

/// The most messages of one kind about the keys of one table; the rest are
/// counted in one more message.
const MESSAGES_PER_TABLE: usize = 20;

pub(crate) const TOP_KEYS: [&str; 4] = ["title", "sources", "claims", "reports"];
pub(crate) const SOURCE_KEYS: [&str; 7] = [
    "id",
    "name",
    "kind",
    "country",
    "reliability",
    "url",
    "notes",
];
pub(crate) const CLAIM_KEYS: [&str; 2] = ["id", "text"];
pub(crate) const REPORT_KEYS: [&str; 9] = [
    "source", "claim", "cites", "stance", "date", "url", "quote", "notes", "basis",
];

/// A value with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Val<T> {
    pub v: T,
    pub pos: Pos,
}

#[derive(Debug)]
pub(crate) struct RawSource {
    pub id: Val<String>,
    pub name: Option<String>,
    pub kind: Kind,
    pub country: Option<String>,
    pub reliability: Option<char>,
    pub url: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug)]
pub(crate) struct RawClaim {
    pub id: Val<String>,
    pub text: String,
}

/// An id that a report names: its index in its file's
/// [`RawFile::source_ids`] or [`RawFile::claim_ids`].
pub(crate) type RawId = u32;

/// A report's cited ids: one is kept inside the record, more take an
/// allocation.
pub(crate) type RawCites = smallvec::SmallVec<[Val<RawId>; 1]>;

#[derive(Debug)]
pub(crate) struct RawReport {
    pub pos: Pos,
    pub source: Val<RawId>,
    pub claim: Val<RawId>,
    pub cites: RawCites,
    pub stance: Stance,
    /// With the place it was written; `None` when it was not written
    /// (first-hand).
    pub basis: Option<Val<Basis>>,
    pub date: Option<PartialDate>,
    pub texts: Option<Box<ReportTexts>>,
}

/// Records that the builder takes one by one, in order, giving their memory
/// back as it goes: a million-long chain's records (88 MB) and the case built
/// from them no longer sit in memory together.
///
/// Once [`Records::ready`] has turned them around (on the thread that read
/// them), they are held last first, so that taking the next is popping the
/// last, and every [`Records::STEP`] records taken the storage shrinks behind
/// them. A vector this large is a memory mapping of its own, and shrinking it
/// returns the pages; freeing records in chunks did not, as the freed chunks
/// stayed with the reading threads' heaps.
#[derive(Debug)]
pub(crate) struct Records<T> {
    items: Vec<T>,
    /// Whether `items` is last first.
    reversed: bool,
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records {
            items: Vec::new(),
            reversed: false,
        }
    }
}

impl<T> Records<T> {
    /// How many records are taken between two shrinks of the storage.
    pub const STEP: usize = 1 << 15;

    pub fn push(&mut self, x: T) {
        debug_assert!(!self.reversed, "a record added after `ready`");
        self.items.push(x);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Turns the records around for taking; done once reading has ended.
    pub fn ready(&mut self) {
        if !self.reversed {
            self.items.reverse();
            self.reversed = true;
        }
    }

    /// The next `n` records (or all that are left), in order, without
    /// taking them.
    pub fn upcoming(&mut self, n: usize) -> impl Iterator<Item = &T> {
        self.ready();
        let from = self.items.len().saturating_sub(n);
        self.items[from..].iter().rev()
    }

    /// Takes the next `n` records (or all that are left), in order, as
    /// rayon's parallel iterator given to `f`; the storage shrinks behind
    /// them as [`Records::next`] shrinks it.
    pub fn take_par<R>(
        &mut self,
        n: usize,
        f: impl FnOnce(rayon::iter::Rev<rayon::vec::Drain<'_, T>>) -> R,
    ) -> R
    where
        T: Send,
    {
        use rayon::prelude::*;
        self.ready();
        let from = self.items.len().saturating_sub(n);
        let r = f(self.items.par_drain(from..).rev());
        self.shrink_behind();
        r
    }

    /// Gives back the storage behind the records taken, once
    /// [`Records::STEP`] records' room is free.
    fn shrink_behind(&mut self) {
        if self.items.capacity() - self.items.len() >= Self::STEP {
            self.items.shrink_to_fit();
        }
    }

    /// The records in order.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<&T> {
        let mut v: Vec<&T> = self.items.iter().collect();
        if self.reversed {
            v.reverse();
        }
        v
    }
}

impl<T> Iterator for Records<T> {
    type Item = T;

    /// The next record, in the order they were added.
    fn next(&mut self) -> Option<T> {
        self.ready();
        let x = self.items.pop()?;
        self.shrink_behind();
        Some(x)
    }
}

/// Everything one file contributes to the case.
#[derive(Debug, Default)]
pub(crate) struct RawFile {
    pub title: Option<String>,
    pub sources: Vec<RawSource>,
    pub claims: Vec<RawClaim>,
    pub reports: Records<RawReport>,
    /// Every source id the reports name (as source or cited), each once, in
    /// the order first named, the report's source before its cites: a
    /// table of a million reports names a hundred thousand sources, and
    /// this way each is held once, not once per mention. The order is the
    /// one the case gives new sources, so that the builder can take the
    /// first file's table as the case's instead of entering every id again.
    pub source_ids: IdIndex,
    /// Every claim id the reports name, each once.
    pub claim_ids: IdIndex,
}

/// Checks of single values, shared by every encoding.
pub(crate) struct Checker<'a> {
    pub file: &'a FileText,
    pub diags: &'a mut Vec<Diagnostic>,
    /// How many ids of a table do not follow the TOML id rule, and the first.
    pub free_ids: usize,
    pub first_free_id: Option<(String, Pos)>,
    /// Today, read from the clock once: a table has a date on every row.
    today: (u16, u8, u8),
}

impl<'a> Checker<'a> {
    pub fn new(file: &'a FileText, diags: &'a mut Vec<Diagnostic>) -> Checker<'a> {
        Checker {
            file,
            diags,
            free_ids: 0,
            first_free_id: None,
            today: crate::model::today(),
        }
    }

    /// One style warning for a table's ids that a TOML or JSON file could not
    /// write as they are.
    pub fn warn_free_ids(&mut self) {
        let Some((id, pos)) = self.first_free_id.take() else {
            return;
        };
        let n = self.free_ids;
        let d = self
            .file
            .warning(
                Code::IdStyle,
                pos,
                format!(
                    "{n} {} of this table, such as \"{}\", {} not in the form of TOML and JSON ids",
                    if n == 1 { "id" } else { "ids" },
                    shown(&id),
                    if n == 1 { "is" } else { "are" }
                ),
            )
            .with_help(
                "that is fine in a table, and the ids are kept as written; a TOML or JSON file \
                 of the same case can refer to them only by ids of lowercase letters, digits, \
                 `.`, `_` and `-`",
            );
        self.push(d);
        self.free_ids = 0;
    }
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// An id field: `[a-z0-9][a-z0-9._-]*`.
    pub fn id(&mut self, what: &str, s: &str, pos: Pos) -> Option<Val<String>> {
        let ok = self.valid_id(what, s, pos);
        if ok && !is_valid_id(s) {
            self.free_ids += 1;
        }
        ok.then(|| Val {
            v: s.to_owned(),
            pos,
        })
    }

    /// An id that a report names, checked and entered in `ids`, the file's
    /// table of source ids or of claim ids; `other` is the other one.
    pub fn report_id(
        &mut self,
        ids: &mut IdIndex,
        other: &IdIndex,
        what: &str,
        s: &str,
        pos: Pos,
    ) -> Option<Val<RawId>> {
        if !self.valid_id(what, s, pos) {
            return None;
        }
        let (v, added) = ids.intern(s);
        // Counted once per distinct id of the file, a source's or a claim's.
        if added && !is_valid_id(s) && other.get(s).is_none() {
            self.free_ids += 1;
        }
        Some(Val { v, pos })
    }

    /// Whether a text field (a name, a quote, a claim's text …) is free of
    /// control characters other than line breaks and tabs; a message naming
    /// the first one when it is not. They could not be shown in a terminal,
    /// a diagram or a page, and are almost always debris of a copy and paste.
    pub fn text(&mut self, what: &str, s: &str, pos: Pos) -> bool {
        let Some(c) = s
            .chars()
            .find(|&c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        else {
            return true;
        };
        let d = self
            .file
            .error(
                Code::BadValue,
                pos,
                format!(
                    "`{what}` holds the control character {} (\"{}\")",
                    crate::diag::escape_controls(&c.to_string()),
                    shown(s)
                ),
            )
            .with_help("remove it: control characters cannot be shown in a terminal, a diagram or a page (line breaks and tabs are allowed)");
        self.push(d);
        false
    }

    /// Whether `s` is a well-formed id; a message when it is not. In a
    /// table, an id is any text without control characters (`@FarsNews`,
    /// `Fars News`, `foxnews.com`, kept as written); in TOML and JSON it
    /// follows the id rule.
    fn valid_id(&mut self, what: &str, s: &str, pos: Pos) -> bool {
        if is_valid_id(s) {
            return true;
        }
        if self.file.table && !s.is_empty() {
            if s.chars().any(char::is_control) {
                let d = self
                    .file
                    .error(
                        Code::BadId,
                        pos,
                        format!("{what} \"{}\" holds a control character", shown(s)),
                    )
                    .with_help("remove it: an id is shown in every output");
                self.push(d);
                return false;
            }
            if self.first_free_id.is_none() {
                self.first_free_id = Some((s.to_owned(), pos));
            }
            return true;
        }
        let message = if s.is_empty() {
            format!("{what} is empty")
        } else {
            format!("{what} \"{}\" is not a valid id", shown(s))
        };
        let mut help =
            "ids start with a lowercase letter or digit and use only a-z, 0-9, `.`, `_` and `-`"
                .to_owned();
        let parts: Vec<&str> = s.split([',', ';']).map(str::trim).collect();
        if parts.len() > 1 && parts.iter().all(|p| is_valid_id(p)) {
            let list: Vec<String> = parts.iter().map(|p| format!("\"{p}\"")).collect();
            help = format!(
                "did you mean [{}]? (one id per string, each in its own quotes)",
                list.join(", ")
            );
        } else if let Some(sugg) = suggest_id(s) {
            help = format!("did you mean `{sugg}`? ({help})");
        }
        let d = self.file.error(Code::BadId, pos, message).with_help(help);
        self.push(d);
        false
    }

    pub fn kind(&mut self, s: &str, pos: Pos) -> Option<Kind> {
        self.word(
            "kind",
            s,
            pos,
            &Kind::ALL.map(|k| k.as_str()),
            Kind::parse,
            kind_synonym,
            None,
        )
    }

    pub fn stance(&mut self, s: &str, pos: Pos) -> Option<Stance> {
        self.word(
            "stance",
            s,
            pos,
            &Stance::ALL.map(|k| k.as_str()),
            Stance::parse,
            stance_synonym,
            None,
        )
    }

    pub fn basis(&mut self, s: &str, pos: Pos) -> Option<Basis> {
        self.word(
            "basis",
            s,
            pos,
            &Basis::ALL.map(|k| k.as_str()),
            Basis::parse,
            basis_synonym,
            Some(
                "`first-hand` when the source speaks from its own knowledge, `undisclosed` \
                 when it asserts the claim without saying where it came from",
            ),
        )
    }

    /// One of the words of an enumerated field (`kind`, `stance`, `basis`),
    /// or a message naming the nearest word or the one a synonym means.
    #[allow(clippy::too_many_arguments)]
    fn word<T: Copy + PartialEq>(
        &mut self,
        what: &str,
        s: &str,
        pos: Pos,
        words: &[&'static str],
        parse: fn(&str) -> Option<T>,
        synonym: fn(&str) -> Option<T>,
        meaning: Option<&str>,
    ) -> Option<T> {
        if let Some(k) = parse(s) {
            return Some(k);
        }
        // Capitals and surrounding spaces are forgiven: "Support ", "OUTLET".
        let folded = s.trim().to_lowercase();
        if let Some(k) = parse(&folded) {
            return Some(k);
        }
        let list = format!("a {what} is one of {}", words.join(", "));
        let list = match meaning {
            Some(m) => format!("{list}: {m}"),
            None => list,
        };
        let help = did_you_mean(s, words.iter().copied())
            .or_else(|| {
                synonym(s)
                    .and_then(|k| words.iter().find(|w| parse(w) == Some(k)))
                    .map(|w| format!("did you mean `{w}`? ({list})"))
            })
            .unwrap_or(list);
        let d = self
            .file
            .error(
                Code::BadValue,
                pos,
                format!("unknown {what} \"{}\"", shown(s)),
            )
            .with_help(help);
        self.push(d);
        None
    }

    pub fn reliability(&mut self, s: &str, pos: Pos) -> Option<char> {
        let mut chars = s.chars();
        let first = chars.next();
        if let (Some(c @ 'A'..='F'), None) = (first, chars.clone().next()) {
            return Some(c);
        }
        let help = match first.map(|c| c.to_ascii_uppercase()) {
            Some(c @ 'A'..='F') if s.len() == 1 => format!("grades are capital letters: did you mean `{c}`?"),
            Some(c @ 'A'..='F') if chars.all(|d| d.is_ascii_digit()) => format!(
                "the reliability is the source's grade alone; the information's credibility (1-6) \
                 is not part of it: did you mean `{c}`?"
            ),
            _ => "the reliability is an Admiralty/NATO source grade, A (completely reliable) to F (cannot be judged)"
                .to_owned(),
        };
        let d = self
            .file
            .error(
                Code::BadValue,
                pos,
                format!("reliability \"{}\" is not a grade from A to F", shown(s)),
            )
            .with_help(help);
        self.push(d);
        None
    }

    pub fn date(&mut self, s: &str, pos: Pos) -> Option<PartialDate> {
        if let Some(d) = PartialDate::parse(s) {
            self.future(d, || pos);
            return Some(d);
        }
        // A table's timestamp (`2016-12-01 13:45:00`, `2016-12-01T13:45Z`,
        // as other tools export them) is read as its day.
        if self.file.table && s.len() > 10 && matches!(s.as_bytes()[10], b'T' | b' ') {
            if let Some(d) = PartialDate::parse(&s[..10]) {
                self.future(d, || pos);
                return Some(d);
            }
        }
        let shaped = s.len() >= 4
            && s.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            && matches!(s.len(), 4 | 7 | 10)
            && s.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        let (message, help) = if shaped {
            (
                format!("date \"{}\" is not in the calendar", shown(s)),
                "check the month (01-12) and the day of the month".to_owned(),
            )
        } else {
            let help = crate::model::suggest_date(s).unwrap_or_else(|| {
                "write the date as precisely as the article allows: `2015`, `2015-12` or `2015-12-09`".to_owned()
            });
            (
                format!("date \"{}\" is not YYYY, YYYY-MM or YYYY-MM-DD", shown(s)),
                help,
            )
        };
        let d = self.file.error(Code::BadDate, pos, message).with_help(help);
        self.push(d);
        None
    }

    /// A warning for a date whose period starts after today.
    pub fn future(&mut self, d: PartialDate, pos: impl FnOnce() -> Pos) {
        let today = self.today;
        if d.first_day() > today {
            let msg = format!(
                "date {d} is later than today ({:04}-{:02}-{:02})",
                today.0, today.1, today.2
            );
            let w = self
                .file
                .warning(Code::FutureDate, pos(), msg)
                .with_help("check the year; a report cannot be published in the future");
            self.push(w);
        }
    }

    /// A report's list of cited ids; repeats are dropped, a citation of the
    /// report's own source is an error.
    pub fn cites<'s>(
        &mut self,
        ids: &mut IdIndex,
        claim_ids: &IdIndex,
        source: Option<RawId>,
        items: impl IntoIterator<Item = (&'s str, Pos), IntoIter: Clone>,
    ) -> RawCites {
        let items = items.into_iter();
        // Kept for the whole load: sized once, without room to spare.
        let mut out = RawCites::with_capacity(items.clone().count());
        // Repeats are found by a scan while the list is short, then by a
        // set, so that one report citing 200,000 sources stays linear.
        let mut seen: Option<std::collections::HashSet<RawId>> = None;
        for (s, pos) in items {
            let Some(id) = self.report_id(ids, claim_ids, "cited source", s, pos) else {
                continue;
            };
            if Some(id.v) == source {
                let d = self
                    .file
                    .error(Code::SelfCite, pos, format!("the report by `{}` cites its own source", shown(s)))
                    .with_help("a report cites whom its source got the claim from; leave the source itself out");
                self.push(d);
                continue;
            }
            let new = match &mut seen {
                Some(set) => set.insert(id.v),
                None if out.len() < 32 => !out.iter().any(|c| c.v == id.v),
                None => {
                    let mut set: std::collections::HashSet<RawId> =
                        out.iter().map(|c| c.v).collect();
                    let new = set.insert(id.v);
                    seen = Some(set);
                    new
                }
            };
            if new {
                out.push(id);
            }
        }
        out
    }
}

/// The kind a researcher most likely means by a word the format does not
/// have: "newspaper" is an outlet, "memo" a document.
fn kind_synonym(s: &str) -> Option<Kind> {
    let w = s.trim().to_lowercase().replace([' ', '_'], "-");
    Some(match w.as_str() {
        "newspaper" | "paper" | "news" | "media" | "press" | "magazine" | "website" | "site"
        | "tv" | "television" | "radio" | "broadcaster" | "channel" | "news-agency"
        | "newswire" | "wire" | "publication" | "journal" | "outlets" => Kind::Outlet,
        "individual" | "official" | "spokesman" | "spokesperson" | "spokeswoman" | "expert"
        | "journalist" | "reporter" | "politician" | "witness" | "people" | "persons" => {
            Kind::Person
        }
        "government" | "ministry" | "military" | "police" | "authority" | "institution"
        | "organisation" | "organization" | "ngo" | "department" | "agencies" => Kind::Agency,
        "memo" | "report" | "leak" | "letter" | "cable" | "filing" | "record" | "file" | "doc"
        | "documents" => Kind::Document,
        "twitter" | "tweet" | "x" | "facebook" | "telegram" | "blog" | "post" | "account"
        | "social-media" | "forum" | "youtube" | "tiktok" | "instagram" | "reddit" => Kind::Social,
        "anon" | "unnamed" | "unidentified" | "unnamed-source" | "confidential" | "secret" => {
            Kind::Anonymous
        }
        _ => return None,
    })
}

/// The stance a researcher most likely means by a word the format does not
/// have: "denies" is `deny`, "confirms" is `support`.
fn stance_synonym(s: &str) -> Option<Stance> {
    let w = s.trim().to_lowercase();
    Some(match w.as_str() {
        "denies" | "denied" | "denial" | "refute" | "refutes" | "refuted" | "reject"
        | "rejects" | "rejected" | "debunk" | "debunks" | "contradict" | "contradicts"
        | "against" | "false" => Stance::Deny,
        "supports" | "supported" | "confirm" | "confirms" | "confirmed" | "assert" | "asserts"
        | "affirm" | "affirms" | "repeat" | "repeats" | "for" | "true" => Stance::Support,
        "question" | "questions" | "questioned" | "ask" | "asks" | "doubt" | "doubts"
        | "queries" | "queried" | "unclear" => Stance::Query,
        "comments" | "commented" | "neutral" | "mention" | "mentions" => Stance::Comment,
        "retracts" | "retracted" | "retraction" | "withdraw" | "withdraws" | "withdrawn"
        | "withdrew" | "recant" | "recants" | "recanted" | "correction" => Stance::Retract,
        _ => return None,
    })
}

/// The basis a researcher most likely means by a word the format does not
/// have: "own" is `first-hand`, "unattributed" is `undisclosed`.
fn basis_synonym(s: &str) -> Option<Basis> {
    let w = s.trim().to_lowercase().replace([' ', '_'], "-");
    Some(match w.as_str() {
        "firsthand" | "first" | "own" | "direct" | "witness" | "eyewitness" | "primary" => {
            Basis::FirstHand
        }
        "unattributed" | "unsourced" | "none" | "unknown" | "unstated" | "unclear" | "asserted"
        | "assertion" | "not-disclosed" | "hidden" => Basis::Undisclosed,
        _ => return None,
    })
}

/// Reads the records of a TOML or JSON file from its tree.
pub(crate) fn from_tree(file: &FileText, root: Node, diags: &mut Vec<Diagnostic>) -> RawFile {
    let mut out = RawFile::default();
    let mut ck = Checker::new(file, diags);
    let Value::Table(entries) = root.value else {
        let d = file
            .error(
                Code::WrongType,
                root.pos,
                format!("the case is {}, not an object", root.value.type_name(file)),
            )
            .with_help(
                "a JSON case is one object with the keys title, sources, claims and reports",
            );
        ck.push(d);
        return out;
    };
    let (title, sources, claims, reports) = {
        let mut fields = Fields::new(&mut ck, entries, "the case", &TOP_KEYS);
        (
            fields.string("title"),
            fields.tables("sources"),
            fields.tables("claims"),
            fields.tables("reports"),
        )
    };
    out.title = title.map(|t| t.v);

    for (pos, entries) in sources {
        let mut f = Fields::new(&mut ck, entries, "a source", &SOURCE_KEYS);
        let id = f.required_string("id", pos);
        let name = f.string("name").map(|v| v.v);
        let kind = f.string("kind");
        let country = f.string("country").map(|v| v.v);
        let reliability = f.string("reliability");
        let url = f.string("url").map(|v| v.v);
        let notes = f.string("notes").map(|v| v.v);
        drop(f);
        let id = id.and_then(|v| ck.id("source id", &v.v, v.pos));
        let kind = kind
            .and_then(|k| ck.kind(&k.v, k.pos))
            .unwrap_or(Kind::Unknown);
        let reliability = reliability.and_then(|r| ck.reliability(&r.v, r.pos));
        if let Some(id) = id {
            out.sources.push(RawSource {
                id,
                name,
                kind,
                country,
                reliability,
                url,
                notes,
            });
        }
    }

    for (pos, entries) in claims {
        let mut f = Fields::new(&mut ck, entries, "a claim", &CLAIM_KEYS);
        let id = f.required_string("id", pos);
        let text = f.required_string("text", pos);
        drop(f);
        let id = id.and_then(|v| ck.id("claim id", &v.v, v.pos));
        if let Some(id) = id {
            out.claims.push(RawClaim {
                id,
                text: text.map(|t| t.v).unwrap_or_default(),
            });
        }
    }

    for (pos, entries) in reports {
        let mut f = Fields::new(&mut ck, entries, "a report", &REPORT_KEYS);
        let source = f.required_string("source", pos);
        let claim = f.required_string("claim", pos);
        let cites = f.strings("cites");
        let stance = f.string("stance");
        let date = f.date("date");
        let url = f.string("url").map(|v| v.v);
        let quote = f.string("quote").map(|v| v.v);
        let notes = f.string("notes").map(|v| v.v);
        let basis = f.string("basis");
        drop(f);
        let (sources, claims) = (&mut out.source_ids, &mut out.claim_ids);
        let source = source.and_then(|v| ck.report_id(sources, claims, "source", &v.v, v.pos));
        let claim = claim.and_then(|v| ck.report_id(claims, sources, "claim", &v.v, v.pos));
        let cites = ck.cites(
            sources,
            claims,
            source.as_ref().map(|s| s.v),
            cites.iter().map(|(s, pos)| (s.as_str(), *pos)),
        );
        let stance = stance
            .and_then(|s| ck.stance(&s.v, s.pos))
            .unwrap_or(Stance::Support);
        let date = date.and_then(|d| ck.date(&d.v, d.pos));
        let basis = basis.and_then(|b| ck.basis(&b.v, b.pos).map(|v| Val { v, pos: b.pos }));
        if let (Some(source), Some(claim)) = (source, claim) {
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
    }
    out
}

/// The fields of one table, taken by name; whatever is left when it is
/// dropped is an unknown key.
struct Fields<'c, 'a> {
    ck: &'c mut Checker<'a>,
    entries: Vec<Option<Entry>>,
    what: &'static str,
    known: &'static [&'static str],
}

impl<'c, 'a> Fields<'c, 'a> {
    fn new(
        ck: &'c mut Checker<'a>,
        entries: Vec<Entry>,
        what: &'static str,
        known: &'static [&'static str],
    ) -> Self {
        // JSON allows a key twice in one object; the format does not. The
        // first one is read, the repeat is reported once (not also as an
        // unknown key). Keys are looked up in a hash map, so an object of a
        // million keys is read in linear time; past MESSAGES_PER_TABLE
        // repeats, the rest are counted in one message.
        let mut kept: Vec<Option<Entry>> = Vec::with_capacity(entries.len());
        let mut first_at: std::collections::HashMap<String, Pos> =
            std::collections::HashMap::with_capacity(entries.len().min(1 << 16));
        let mut repeats = 0usize;
        for e in entries {
            if let Some(&first) = first_at.get(&e.key) {
                repeats += 1;
                if repeats <= MESSAGES_PER_TABLE {
                    let help = format!(
                        "it was first given at {}; keep one of them",
                        ck.file.location(first)
                    );
                    let d = ck
                        .file
                        .error(
                            Code::Syntax,
                            e.key_pos,
                            format!("key `{}` is given twice in {what}", shown(&e.key)),
                        )
                        .with_help(help);
                    ck.push(d);
                }
                continue;
            }
            first_at.insert(e.key.clone(), e.key_pos);
            kept.push(Some(e));
        }
        if repeats > MESSAGES_PER_TABLE {
            let at = kept
                .iter()
                .flatten()
                .next()
                .map_or_else(Pos::default, |e| e.key_pos);
            let d = ck
                .file
                .error(
                    Code::Syntax,
                    at,
                    format!(
                        "{} more keys are given twice in {what}",
                        repeats - MESSAGES_PER_TABLE
                    ),
                )
                .with_help("each key may be given once");
            ck.push(d);
        }
        Fields {
            ck,
            entries: kept,
            what,
            known,
        }
    }

    fn take(&mut self, key: &str) -> Option<Entry> {
        self.entries
            .iter_mut()
            .find(|e| e.as_ref().is_some_and(|e| e.key == key))
            .and_then(Option::take)
    }

    fn wrong_type(&mut self, key: &str, node: &Node, expected: &str, help: Option<String>) {
        let file = self.ck.file;
        let d = file
            .error(
                Code::WrongType,
                node.pos,
                format!(
                    "`{key}` in {} must be {expected}, not {} ({})",
                    self.what,
                    node.value.type_name(file),
                    node.value.show()
                ),
            )
            .with_help_opt(help);
        self.ck.push(d);
    }

    fn string(&mut self, key: &str) -> Option<Val<String>> {
        let e = self.take(key)?;
        match e.node.value {
            // Ids are checked by the id rule, which has no control characters.
            Value::Str(s) if !matches!(key, "id" | "source" | "claim") => {
                self.ck.text(key, &s, e.node.pos).then_some(Val {
                    v: s,
                    pos: e.node.pos,
                })
            }
            Value::Str(s) => Some(Val {
                v: s,
                pos: e.node.pos,
            }),
            _ => {
                let help = match &e.node.value {
                    Value::Int(s) | Value::Float(s) | Value::Datetime(s) => {
                        Some(format!("put the value in quotes: \"{}\"", shown(s)))
                    }
                    Value::Bool(b) => Some(format!("put the value in quotes: \"{b}\"")),
                    _ => None,
                };
                self.wrong_type(key, &e.node, "a string", help);
                None
            }
        }
    }

    fn required_string(&mut self, key: &str, table: Pos) -> Option<Val<String>> {
        let present = self.entries.iter().flatten().any(|e| e.key == key);
        if !present {
            let file = self.ck.file;
            let d = file
                .error(
                    Code::MissingField,
                    table,
                    format!("{} has no `{key}`", self.what),
                )
                .with_help(format!("`{key}` is required in {}", self.what));
            self.ck.push(d);
            return None;
        }
        self.string(key)
    }

    /// A date: a string, or in TOML an unquoted local date.
    fn date(&mut self, key: &str) -> Option<Val<String>> {
        let e = self.take(key)?;
        match e.node.value {
            Value::Str(s) => Some(Val {
                v: s,
                pos: e.node.pos,
            }),
            Value::Datetime(s) if s.len() == 10 => Some(Val {
                v: s,
                pos: e.node.pos,
            }),
            Value::Datetime(ref s) => {
                let day = s.get(..10).unwrap_or(s).to_owned();
                self.wrong_type(
                    key,
                    &e.node,
                    "a date without a time",
                    Some(format!("write `date = \"{day}\"`")),
                );
                None
            }
            Value::Int(ref s) => {
                let help = Some(format!("put the year in quotes: \"{s}\""));
                self.wrong_type(key, &e.node, "a string", help);
                None
            }
            _ => {
                self.wrong_type(key, &e.node, "a string", None);
                None
            }
        }
    }

    /// An array of strings.
    fn strings(&mut self, key: &str) -> Vec<(String, Pos)> {
        let Some(e) = self.take(key) else {
            return Vec::new();
        };
        match e.node.value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Value::Str(s) => out.push((s, item.pos)),
                        _ => self.wrong_type(key, &item, "an array of source ids", None),
                    }
                }
                out
            }
            Value::Str(ref s) => {
                let help = if self.ck.file.json {
                    format!("write a list: \"{key}\": [\"{}\"]", shown(s))
                } else {
                    format!("write a list: {key} = [\"{}\"]", shown(s))
                };
                self.wrong_type(key, &e.node, "an array of source ids", Some(help));
                Vec::new()
            }
            _ => {
                self.wrong_type(key, &e.node, "an array of source ids", None);
                Vec::new()
            }
        }
    }

    /// An array of tables, each with its position (its `[[header]]` in TOML).
    fn tables(&mut self, key: &str) -> Vec<(Pos, Vec<Entry>)> {
        let Some(e) = self.take(key) else {
            return Vec::new();
        };
        let file = self.ck.file;
        let word = file.table_word();
        let array_help = if file.json {
            format!("write \"{key}\": [ {{ ... }}, {{ ... }} ]")
        } else {
            format!("write each one under its own [[{key}]] header")
        };
        match e.node.value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Value::Table(entries) => out.push((item.pos, entries)),
                        _ => {
                            let msg = format!(
                                "each entry of `{key}` must be {word}, not {}",
                                item.value.type_name(file)
                            );
                            let d = file
                                .error(Code::WrongType, item.pos, msg)
                                .with_help(array_help.clone());
                            self.ck.push(d);
                        }
                    }
                }
                out
            }
            _ => {
                let msg = format!(
                    "`{key}` must be an array of {word}s, not {}",
                    e.node.value.type_name(file)
                );
                let d = file
                    .error(Code::WrongType, e.node.pos, msg)
                    .with_help(array_help);
                self.ck.push(d);
                Vec::new()
            }
        }
    }
}

impl Drop for Fields<'_, '_> {
    fn drop(&mut self) {
        let file = self.ck.file;
        let unknown: Vec<&Entry> = self.entries.iter().flatten().collect();
        for e in unknown.iter().take(MESSAGES_PER_TABLE) {
            let help = did_you_mean(&e.key, self.known.iter().copied()).unwrap_or_else(|| {
                format!("the keys of {} are {}", self.what, self.known.join(", "))
            });
            let d = file
                .error(
                    Code::UnknownKey,
                    e.key_pos,
                    format!("unknown key `{}` in {}", shown(&e.key), self.what),
                )
                .with_help(help);
            self.ck.diags.push(d);
        }
        if unknown.len() > MESSAGES_PER_TABLE {
            let d = file
                .error(
                    Code::UnknownKey,
                    unknown[MESSAGES_PER_TABLE].key_pos,
                    format!(
                        "{} more unknown keys in {}",
                        unknown.len() - MESSAGES_PER_TABLE,
                        self.what
                    ),
                )
                .with_help(format!(
                    "the keys of {} are {}",
                    self.what,
                    self.known.join(", ")
                ));
            self.ck.diags.push(d);
        }
    }
}
