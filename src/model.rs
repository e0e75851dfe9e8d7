//! The case as the analysis sees it: sources, claims and reports with every id
//! interned to a dense integer index at load time.
//!
//! A [`Case`] is built only by the loader ([`crate::load`]); after that nothing
//! hashes an id string in a loop. Sources and claims keep the order in which the
//! case declares them, with sources and claims that are only referenced created
//! after the declared ones. Claims are ordered as `analyze` reports them:
//! declared claims first, in declaration order, then undeclared ones by id.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// Index of a source in [`Case::sources`].
pub type SourceIdx = u32;
/// Index of a claim in [`Case::claims`].
pub type ClaimIdx = u32;

/// The sources a report cites. Up to four are kept inside the report itself;
/// most reports cite one or two, and a separate allocation for each report's
/// list made a million-report case a quarter larger in memory.
pub type Cites = smallvec::SmallVec<[SourceIdx; 4]>;

/// What kind of speaker a source is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Outlet,
    Person,
    Agency,
    Document,
    Social,
    Anonymous,
    Unknown,
}

impl Kind {
    /// Every kind, in the order the format documents them.
    pub const ALL: [Kind; 7] = [
        Kind::Outlet,
        Kind::Person,
        Kind::Agency,
        Kind::Document,
        Kind::Social,
        Kind::Anonymous,
        Kind::Unknown,
    ];

    /// The word used in case files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Outlet => "outlet",
            Kind::Person => "person",
            Kind::Agency => "agency",
            Kind::Document => "document",
            Kind::Social => "social",
            Kind::Anonymous => "anonymous",
            Kind::Unknown => "unknown",
        }
    }

    /// Parses the word used in case files (exact, lowercase).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// True for the kinds that name who is speaking: outlet, person, agency,
    /// document and social. `anonymous` and `unknown` are not named.
    pub fn is_named(self) -> bool {
        !matches!(self, Kind::Anonymous | Kind::Unknown)
    }
}

/// What a report does with its claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    Support,
    Deny,
    Query,
    Comment,
    /// The source withdraws its own earlier support of the claim.
    Retract,
}

impl Stance {
    /// Every stance, in the order the format documents them.
    pub const ALL: [Stance; 5] = [
        Stance::Support,
        Stance::Deny,
        Stance::Query,
        Stance::Comment,
        Stance::Retract,
    ];

    /// The word used in case files.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Deny => "deny",
            Stance::Query => "query",
            Stance::Comment => "comment",
            Stance::Retract => "retract",
        }
    }

    /// Parses the word used in case files (exact, lowercase).
    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a report without `cites` rests on, as far as the article shows.
///
/// `first-hand`: the source speaks from its own knowledge (a witness, an
/// official stating his own decision, a document's own text).
/// `undisclosed`: the source asserts the claim without saying where it came
/// from (a newspaper stating it flatly, "it is believed", a fact sheet). An
/// origin whose every support report is undisclosed is not counted as named.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum Basis {
    #[default]
    #[serde(rename = "first-hand")]
    FirstHand,
    #[serde(rename = "undisclosed")]
    Undisclosed,
}

impl Basis {
    /// Every basis, in the order the format documents them.
    pub const ALL: [Basis; 2] = [Basis::FirstHand, Basis::Undisclosed];

    /// The word used in case files.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::FirstHand => "first-hand",
            Basis::Undisclosed => "undisclosed",
        }
    }

    /// Parses the word used in case files (exact, lowercase).
    pub fn parse(s: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A date as precise as the articles allow: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
///
/// Dates compare by their first day (`2015-12` is `2015-12-01`); two dates
/// with the same first day compare by precision, the less precise first, so
/// the order is total and sorting is deterministic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking the calendar
    /// (month 1-12, the day within its month, 29 February only in leap years).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = b.get(r)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        let year = digits(0..4)? as u16;
        match b.len() {
            4 => Some(PartialDate {
                year,
                month: None,
                day: None,
            }),
            7 if b[4] == b'-' => {
                let month = digits(5..7)? as u8;
                (1..=12).contains(&month).then_some(PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                })
            }
            10 if b[4] == b'-' && b[7] == b'-' => {
                let month = digits(5..7)? as u8;
                let day = digits(8..10)? as u8;
                if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
                    return None;
                }
                Some(PartialDate {
                    year,
                    month: Some(month),
                    day: Some(day),
                })
            }
            _ => None,
        }
    }

    /// The first day the date covers, as `(year, month, day)`.
    pub fn first_day(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date covers, as `(year, month, day)`: `2015-02` ends
    /// on `(2015, 2, 28)`, `2016` on `(2016, 12, 31)`.
    pub fn last_day(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        (
            self.year,
            month,
            self.day.unwrap_or_else(|| days_in_month(self.year, month)),
        )
    }

    /// How many parts are written: 1 for `YYYY`, 2 for `YYYY-MM`, 3 for a full date.
    pub fn precision(&self) -> u8 {
        1 + self.month.is_some() as u8 + self.day.is_some() as u8
    }
}

/// Today's date (UTC) as `(year, month, day)`, from the system clock.
pub fn today() -> (u16, u8, u8) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// The date `days` after 1970-01-01, as `(year, month, day)` (Howard
/// Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (u16, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y.clamp(0, 9999) as u16, m as u8, d as u8)
}

/// A suggestion for a date written another way: `2016-2-3` is
/// `2016-02-03`; `30/01/2016` is `2016-01-30` (day first, since 30 is no
/// month), `01/02/2016` could be either; `Feb 2016` is `2016-02`.
pub fn suggest_date(s: &str) -> Option<String> {
    let t = s.trim();
    let ok = |y: u32, m: u32, d: u32| {
        let text = format!("{y:04}-{m:02}-{d:02}");
        PartialDate::parse(&text).map(|_| text)
    };
    let nums: Vec<&str> = t.split(['-', '/', '.']).collect();
    let all_digits = nums
        .iter()
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if all_digits && nums.len() == 3 {
        let v: Vec<u32> = nums.iter().map(|n| n.parse().unwrap_or(0)).collect();
        if nums[0].len() == 4 {
            if let Some(d) = ok(v[0], v[1], v[2]) {
                return Some(format!(
                    "did you mean `{d}`? (YYYY-MM-DD, with two digits for the month and the day)"
                ));
            }
        } else if nums[2].len() == 4 {
            let (a, b, y) = (v[0], v[1], v[2]);
            return match (a > 12, b > 12) {
                (true, false) => ok(y, b, a).map(|d| {
                    format!("did you mean `{d}`? (read as day/month/year, since {a} is no month; dates are written YYYY-MM-DD)")
                }),
                (false, true) => ok(y, a, b).map(|d| {
                    format!("did you mean `{d}`? (read as month/day/year, since {b} is no month; dates are written YYYY-MM-DD)")
                }),
                _ => match (ok(y, b, a), ok(y, a, b)) {
                    (Some(dm), Some(md)) if dm != md => Some(format!(
                        "`{dm}` (day/month) or `{md}` (month/day)? Both are possible: write the date as YYYY-MM-DD"
                    )),
                    (Some(d), _) | (_, Some(d)) => Some(format!("did you mean `{d}`? (dates are written YYYY-MM-DD)")),
                    _ => None,
                },
            };
        }
    }
    if all_digits && nums.len() == 2 && nums[0].len() == 4 {
        let (y, m): (u32, u32) = (nums[0].parse().ok()?, nums[1].parse().ok()?);
        if (1..=12).contains(&m) {
            return Some(format!("did you mean `{y:04}-{m:02}`? (YYYY-MM)"));
        }
    }
    // Month names: "Feb 2016", "February 2016", "3 Feb 2016", "2016 Feb".
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<String> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let month = words.iter().find_map(|w| {
        MONTHS
            .iter()
            .position(|m| w.starts_with(m) && w.len() >= 3)
            .map(|i| i as u32 + 1)
    })?;
    let year: u32 = words
        .iter()
        .find(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()?;
    let day = words
        .iter()
        .find(|w| (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|w| w.parse::<u32>().ok());
    match day {
        Some(d) => ok(year, month, d).map(|d| format!("did you mean `{d}`? (YYYY-MM-DD)")),
        None => Some(format!("did you mean `{year:04}-{month:02}`? (YYYY-MM)")),
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then(self.precision().cmp(&other.precision()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    /// Writes the date as it was written in the case file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where something was written: a file and, where the format gives one, a
/// line and column (both 1-based).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Location {
    pub file: std::sync::Arc<str>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// Where a report was written, in 12 bytes: the index of its file's name in
/// [`Case::files`], and its line and column, both 1-based, or 0 where the
/// format gives none. [`Case::location`] reads it as a [`Location`].
///
/// A [`Location`] in every report (a shared name, two optional numbers)
/// took 32 bytes, 20 MB more for a million reports, and each report's copy
/// of the name counted its owners up at loading and down at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct At {
    pub file: u32,
    pub line: u32,
    pub column: u32,
}

impl At {
    /// In file `file` of [`Case::files`], at a line and column where the
    /// format gives them, 0 where it does not.
    pub(crate) fn new(file: u32, line: Option<u32>, column: Option<u32>) -> At {
        At {
            file,
            line: line.unwrap_or(0),
            column: column.unwrap_or(0),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// Anyone who can say something.
///
/// A source's id is kept once, in the case's table of ids, and read with
/// [`Case::source_id`]; its name, declared or not, with
/// [`Case::source_name`]. A string in every source made a case of a million
/// undeclared sources 56 MB larger.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The name as declared; `None` when the name is the id (an undeclared
    /// source, or one declared without a name). [`Case::source_name`] reads
    /// either.
    pub name: Option<String>,
    pub kind: Kind,
    /// Admiralty/NATO source reliability grade, `A` to `F`.
    pub reliability: Option<char>,
    /// False for a source that is only referenced (by a report or a citation).
    pub declared: bool,
    /// Country, URL and notes; `None` when the source has none of them.
    pub texts: Option<Box<SourceTexts>>,
}

/// The optional texts of a source, kept apart from it: most sources of a
/// large case have none, and three empty fields in every source made a case
/// of a million undeclared sources a third larger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceTexts {
    pub country: Option<String>,
    pub url: Option<String>,
    pub notes: Option<String>,
}

impl SourceTexts {
    /// `None` when every text is absent, so that an empty set takes no room.
    pub fn boxed(self) -> Option<Box<SourceTexts>> {
        boxed_unless_empty(self)
    }
}

/// `texts` in a box, or `None` when it is all empty (its default).
fn boxed_unless_empty<T: Default + PartialEq>(texts: T) -> Option<Box<T>> {
    (texts != T::default()).then(|| Box::new(texts))
}

impl Source {
    /// A source of kind `unknown` known only by its id, as an undeclared
    /// source is: its name is its id.
    pub fn undeclared() -> Source {
        Source {
            name: None,
            kind: Kind::Unknown,
            reliability: None,
            declared: false,
            texts: None,
        }
    }

    /// The country, as written.
    pub fn country(&self) -> Option<&str> {
        self.texts.as_ref()?.country.as_deref()
    }

    /// The source's URL, as written.
    pub fn url(&self) -> Option<&str> {
        self.texts.as_ref()?.url.as_deref()
    }

    /// The notes, as written.
    pub fn notes(&self) -> Option<&str> {
        self.texts.as_ref()?.notes.as_deref()
    }
}

/// One statement that travels.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub id: String,
    /// Empty for a claim that is only referenced by reports.
    pub text: String,
    /// False for a claim that is only referenced by reports.
    pub declared: bool,
}

/// One source saying one claim.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub source: SourceIdx,
    pub claim: ClaimIdx,
    /// Whom the report attributes the claim to, in the order written,
    /// without repeats. Empty for a first-hand report.
    pub cites: Cites,
    pub stance: Stance,
    /// What an uncited report rests on; `first-hand` unless the case says
    /// `undisclosed`.
    pub basis: Basis,
    pub date: Option<PartialDate>,
    /// URL, quote and notes; `None` when the report has none of them.
    pub texts: Option<Box<ReportTexts>>,
    /// Where the report was written, for messages: [`Case::location`].
    pub at: At,
}

/// The optional texts of a report, kept apart from it: most reports of a
/// large case have none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportTexts {
    pub url: Option<String>,
    pub quote: Option<String>,
    /// Where the encoding had to interpret the article.
    pub notes: Option<String>,
}

impl ReportTexts {
    /// `None` when every text is absent, so that an empty set takes no room.
    pub fn boxed(self) -> Option<Box<ReportTexts>> {
        boxed_unless_empty(self)
    }
}

impl Report {
    /// The article's URL, as written.
    pub fn url(&self) -> Option<&str> {
        self.texts.as_ref()?.url.as_deref()
    }

    /// The quote, as written.
    pub fn quote(&self) -> Option<&str> {
        self.texts.as_ref()?.quote.as_deref()
    }

    /// The notes, as written.
    pub fn notes(&self) -> Option<&str> {
        self.texts.as_ref()?.notes.as_deref()
    }
}

/// The record as it stood on a day (`--as-of`): which reports were left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    /// The last day whose reports are kept.
    pub day: (u16, u8, u8),
    /// Reports left out because their date ends after that day.
    pub later: u32,
    /// Reports left out because they have no date.
    pub undated: u32,
}

impl AsOf {
    /// The day as written, `YYYY-MM-DD`.
    pub fn day_text(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.day.0, self.day.1, self.day.2)
    }
}

/// A loaded case: several files given together form one case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Case {
    /// The title of the first file that has one.
    pub title: Option<String>,
    /// Set when only the reports up to a day are kept (`--as-of`).
    pub as_of: Option<AsOf>,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
    pub reports: Vec<Report>,
    /// The names of the files the reports were read from, which their
    /// [`At`]s refer to by index: a file's name once, a workbook cell's
    /// name (`case.xlsx: Reports!A7`) once for each report.
    pub files: Vec<std::sync::Arc<str>>,
    pub(crate) source_ids: IdIndex,
    pub(crate) claim_ids: IdIndex,
    /// `source_rank[i]` is the position of source `i` when all sources are
    /// sorted by id, so that sorting by id needs no string comparison.
    pub(crate) source_rank: Vec<u32>,
}

impl Case {
    /// Builds a case from sources, claims and reports whose indices already
    /// refer to positions in `sources` and `claims`: the id maps and the id
    /// ranks are computed here. Claims keep the order given.
    ///
    /// # Panics
    ///
    /// When two sources (or two claims) share an id, or a report refers to a
    /// source or claim that is not there.
    pub fn from_parts(
        title: Option<String>,
        sources: Vec<(String, Source)>,
        claims: Vec<Claim>,
        reports: Vec<Report>,
    ) -> Case {
        let mut case = Case {
            title,
            claims,
            reports,
            ..Case::default()
        };
        for (id, s) in sources {
            let (_, added) = case.source_ids.intern(&id);
            assert!(added, "duplicate source id {id:?}");
            case.sources.push(s);
        }
        for c in &case.claims {
            let (_, added) = case.claim_ids.intern(&c.id);
            assert!(added, "duplicate claim id {:?}", c.id);
        }
        let (ns, nc) = (case.sources.len(), case.claims.len());
        for r in &case.reports {
            assert!(
                (r.claim as usize) < nc,
                "report refers to claim {} of {nc}",
                r.claim
            );
            for &s in std::iter::once(&r.source).chain(&r.cites) {
                assert!((s as usize) < ns, "report refers to source {s} of {ns}");
            }
        }
        case.rank_sources();
        case
    }

    /// The index of the source with this id.
    pub fn source_index(&self, id: &str) -> Option<SourceIdx> {
        self.source_ids.get(id)
    }

    /// The index of the claim with this id.
    pub fn claim_index(&self, id: &str) -> Option<ClaimIdx> {
        self.claim_ids.get(id)
    }

    /// The source at an index.
    pub fn source(&self, i: SourceIdx) -> &Source {
        &self.sources[i as usize]
    }

    /// The id of the source at an index.
    pub fn source_id(&self, i: SourceIdx) -> &str {
        self.source_ids.id(i)
    }

    /// Asks the processor to bring report `i` into the cache (both lines it
    /// may straddle): for a reader of reports scattered over the case's
    /// table, some reports ahead of the one it reads.
    pub(crate) fn prefetch_report(&self, i: u32) {
        let p = self.reports.as_ptr().wrapping_add(i as usize);
        prefetch(p);
        prefetch(
            p.cast::<u8>()
                .wrapping_add(std::mem::size_of::<Report>() - 1),
        );
    }

    /// The reports `here` (indices into [`Case::reports`]), with their
    /// indices, each asked for [`PREFETCH_AHEAD`] reports before it is read:
    /// for a reader of a claim's reports, which lie anywhere in the case.
    pub(crate) fn reports_ahead<'a>(
        &'a self,
        here: &'a [u32],
    ) -> impl Iterator<Item = (u32, &'a Report)> + 'a {
        here.iter().enumerate().map(move |(k, &i)| {
            if let Some(&ahead) = here.get(k + PREFETCH_AHEAD) {
                self.prefetch_report(ahead);
            }
            (i, &self.reports[i as usize])
        })
    }

    /// Asks the processor to bring what [`Case::source`] and
    /// [`Case::source_id`] read of source `i` into the cache, in two steps
    /// some sources apart: first its record and where its id ends, then its
    /// id, whose place the first step brought in. A writer of many sources
    /// in the order of their ids, scattered in memory, calls it ahead of
    /// the one it writes, so that their waits for memory overlap.
    pub(crate) fn prefetch_source(&self, i: SourceIdx, step: Prefetch) {
        match step {
            Prefetch::Record => {
                prefetch(self.sources.as_ptr().wrapping_add(i as usize));
                self.source_ids.prefetch_end(i);
            }
            Prefetch::End => self.source_ids.prefetch_end(i),
            Prefetch::Id => self.source_ids.prefetch_id(i),
        }
    }

    /// The name of the source at an index: as declared, or its id when none
    /// was.
    pub fn source_name(&self, i: SourceIdx) -> &str {
        self.sources[i as usize]
            .name
            .as_deref()
            .unwrap_or_else(|| self.source_id(i))
    }

    /// The claim at an index.
    pub fn claim(&self, i: ClaimIdx) -> &Claim {
        &self.claims[i as usize]
    }

    /// The position of each source when all sources are sorted by id:
    /// comparing ranks is comparing ids.
    pub fn source_rank(&self) -> &[u32] {
        &self.source_rank
    }

    /// For every claim, the indices of its reports in case order.
    pub fn reports_by_claim(&self) -> Vec<Vec<u32>> {
        let mut by = vec![Vec::new(); self.claims.len()];
        for (i, r) in self.reports.iter().enumerate() {
            by[r.claim as usize].push(i as u32);
        }
        by
    }

    /// Makes room for up to `more` new sources.
    pub(crate) fn reserve_sources(&mut self, more: usize) {
        self.sources.reserve(more);
        self.source_ids.reserve(more);
    }

    /// Interns a source id, creating an undeclared source of kind `unknown`
    /// when it is new. Returns the index and whether it was created.
    pub(crate) fn intern_source(&mut self, id: &str) -> (SourceIdx, bool) {
        let (i, created) = self.source_ids.intern(id);
        if created {
            self.sources.push(Source::undeclared());
        }
        (i, created)
    }

    /// Where a report was written: `at` read with [`Case::files`]. An index
    /// with no file (a report made in code) gives an empty name.
    pub fn location(&self, at: At) -> Location {
        Location {
            file: self
                .files
                .get(at.file as usize)
                .cloned()
                .unwrap_or_default(),
            line: (at.line > 0).then_some(at.line),
            column: (at.column > 0).then_some(at.column),
        }
    }

    /// `loc` as an [`At`], its file's name added to [`Case::files`] unless
    /// it is the last one there (the same name, shared, as the reports of
    /// one file have).
    pub(crate) fn at(&mut self, loc: Location) -> At {
        let same = self
            .files
            .last()
            .is_some_and(|f| std::sync::Arc::ptr_eq(f, &loc.file));
        if !same {
            self.files.push(loc.file);
        }
        At::new((self.files.len() - 1) as u32, loc.line, loc.column)
    }

    /// Interns a claim id, creating an undeclared claim when it is new.
    pub(crate) fn intern_claim(&mut self, id: &str) -> (ClaimIdx, bool) {
        let (i, created) = self.claim_ids.intern(id);
        if created {
            self.claims.push(Claim {
                id: id.to_owned(),
                text: String::new(),
                declared: false,
            });
        }
        (i, created)
    }

    /// Keeps only the reports of the record as it stood at the end of `day`:
    /// those whose date's whole period ends on or before it. A partial date
    /// counts when its last day is on or before `day` (`2015-12` only from
    /// 2015-12-31 on); undated reports are left out. Sources and claims stay.
    pub fn keep_as_of(&mut self, day: (u16, u8, u8)) {
        let (mut later, mut undated) = (0, 0);
        self.reports.retain(|r| match r.date {
            Some(d) if d.last_day() <= day => true,
            Some(_) => {
                later += 1;
                false
            }
            None => {
                undated += 1;
                false
            }
        });
        self.as_of = Some(AsOf {
            day,
            later,
            undated,
        });
    }

    /// Computes [`Case::source_rank`]; called once, when loading is done.
    pub(crate) fn rank_sources(&mut self) {
        self.source_rank = self.ranks_of_sources();
    }

    /// The ranks [`Case::rank_sources`] sets, sorted on rayon's threads.
    ///
    /// Each id is sorted by its first eight bytes read as a big-endian
    /// number (zero-padded), and by the whole id only when those are equal:
    /// a number orders as the bytes do, a shorter id before a longer one it
    /// begins. The million ids of a million-long chain took 0.10-0.12 s to
    /// sort by comparing the ids themselves, 0.04 s this way (beside the
    /// checks of the case on the other thread, both times).
    pub(crate) fn ranks_of_sources(&self) -> Vec<u32> {
        use rayon::prelude::*;
        let head = |id: &str| {
            let mut b = [0u8; 8];
            let n = id.len().min(8);
            b[..n].copy_from_slice(&id.as_bytes()[..n]);
            u64::from_be_bytes(b)
        };
        let mut by_id: Vec<(u64, SourceIdx)> = (0..self.sources.len() as SourceIdx)
            .into_par_iter()
            .map(|i| (head(self.source_id(i)), i))
            .collect();
        by_id.par_sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| self.source_id(a.1).cmp(self.source_id(b.1)))
        });
        let mut rank = vec![0; by_id.len()];
        for (r, &(_, i)) in by_id.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        rank
    }

    /// Puts claims in report order: declared claims first as declared, then
    /// undeclared ones sorted by id; report indices are remapped.
    pub(crate) fn order_claims(&mut self) {
        let mut order: Vec<ClaimIdx> = (0..self.claims.len() as ClaimIdx).collect();
        order.sort_by(|&a, &b| {
            let (ca, cb) = (&self.claims[a as usize], &self.claims[b as usize]);
            match (ca.declared, cb.declared) {
                (true, true) => a.cmp(&b),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => ca.id.cmp(&cb.id),
            }
        });
        let mut new_of_old = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old as usize] = new as ClaimIdx;
        }
        let mut old_claims: Vec<Option<Claim>> = std::mem::take(&mut self.claims)
            .into_iter()
            .map(Some)
            .collect();
        self.claims = order
            .iter()
            .map(|&o| old_claims[o as usize].take().expect("each claim once"))
            .collect();
        for r in &mut self.reports {
            r.claim = new_of_old[r.claim as usize];
        }
        self.claim_ids = IdIndex::default();
        for c in &self.claims {
            let (_, added) = self.claim_ids.intern(&c.id);
            debug_assert!(added, "{} twice", c.id);
        }
    }
}

/// The two steps of [`Case::prefetch_source`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prefetch {
    /// The source's record and where its id ends.
    Record,
    /// Only where its id ends, for a reader that needs no more of the
    /// record.
    End,
    /// Its id.
    Id,
}

/// How many items ahead of the one it reads a reader of scattered items
/// asks for one with [`prefetch`]: far enough for the wait to overlap the
/// items between, near enough for the line to still be in the cache.
pub(crate) const PREFETCH_AHEAD: usize = 8;

/// A hint that the line holding `p` will be read soon; nothing where the
/// processor has no such hint.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it never faults, whatever the address,
    // and reads nothing the program sees.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Ids to dense indices, the `i`-th id interned having index `i`, so indices
/// follow declaration order.
///
/// Loading looks up an id for every source, claim and citation of every
/// report, millions of times for a large table. The ids live one after
/// another in a single string (a separately allocated string per id made
/// the million-report case 40% slower through cache misses), and a hash
/// table of our own ([`Slots`]) finds them by a key ([`Slot`]). Each slot of the
/// table holds beside the id's index the id itself when it has at most
/// [`HEAD`] bytes (most do), else a 64-bit hash of it, so that a lookup of
/// a short id reads the table alone, and growing the table reads no id:
/// reading the ids from the string cost about a fifth of the time of
/// loading the million-report corpus, and a third of loading a million
/// distinct sources.
///
/// A large table is read in pieces on several threads, each with an index
/// of its own. [`IdIndex::absorb`] joins a piece's index to the case's by
/// keeping the piece's hash table, its slots renumbered, beside the case's
/// own, rather than entering each of its ids again: what decides an id's
/// index is only whether the tables before know it, and those lookups run
/// in parallel.
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    /// Every id, one after another.
    text: String,
    /// `ends[i]` is where id `i` ends in `text`; it starts where `i - 1` ends.
    ends: Vec<u32>,
    /// Slots found by the ids' hashes, a slot for every id in at least one
    /// table (an id in several has the same index in each); new ids go into
    /// the last. One table unless others were absorbed.
    tables: Vec<Slots>,
}

/// How many of an id's bytes a slot holds.
const HEAD: usize = 8;

/// Marks, in [`Slot::index`], an id longer than [`HEAD`] bytes.
const LONG: u32 = 1 << 31;

/// An id's index (with [`LONG`] for a long id) and its key: for an id of at
/// most [`HEAD`] bytes, its bytes padded with `0xFF`, a byte no UTF-8 text
/// holds, so that two such ids are equal exactly when their keys are; for a
/// longer id, a 64-bit hash of it ([`hash_id`]), confirmed against the id
/// itself. The table's hash of a slot is made from its key alone
/// ([`mix`]), so that growing the table reads no id.
///
/// Twelve bytes (the key as two halves, so that the slot is aligned to
/// four): a table of a million ids takes 8 MiB less than with the 16-byte
/// slot of a 32-bit hash beside an eight-byte head (the million-long
/// chain's peak while loading: 202 MiB then, 195 now), though no faster.
#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    key: [u32; 2],
}

impl Slot {
    /// The slot of the id of index `index` (with its long mark) and key
    /// `key`.
    fn new(index: u32, key: u64) -> Slot {
        Slot {
            index,
            key: [key as u32, (key >> 32) as u32],
        }
    }

    /// An empty slot ([`EMPTY`]).
    fn empty() -> Slot {
        Slot {
            index: EMPTY,
            key: [0; 2],
        }
    }

    /// The long mark and key of an id.
    fn key(id: &str) -> (u32, u64) {
        let b = id.as_bytes();
        if b.len() > HEAD {
            return (LONG, hash_id(id));
        }
        let mut head = [0xFF; HEAD];
        head[..b.len()].copy_from_slice(b);
        (0, u64::from_le_bytes(head))
    }

    fn key64(&self) -> u64 {
        u64::from(self.key[0]) | u64::from(self.key[1]) << 32
    }

    /// Whether this slot holds `id`, whose long mark and key are `key`; the
    /// ids are laid end to end in `text`, as [`nth`] reads them.
    fn is(&self, (long, key): (u32, u64), id: &str, text: &str, ends: &[u32]) -> bool {
        self.key64() == key
            && self.index & LONG == long
            && (long == 0 || nth(text, ends, self.index & !LONG) == id)
    }
}

/// The table's hash of a key: SplitMix64's finaliser, which makes every bit
/// depend on every bit of the key. The table picks the slot by the low
/// bits, and a short id's key is its bytes, which differ mostly in a few
/// bits of a few bytes.
fn mix(key: u64) -> u64 {
    let z = (key ^ (key >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Marks an empty slot in [`Slots`]: no id's index, even with the long mark
/// ([`append`] stops short of it).
const EMPTY: u32 = u32::MAX;

/// The hash table of [`IdIndex`]: slots in a power-of-two array, an id's
/// search starting at the slot its key's hash ([`mix`]) names and going on
/// to the next until the id or an empty slot is found; at most three
/// quarters of the slots are filled. Ids are never removed.
///
/// Written here rather than taken from `hashbrown` (whose `HashTable` it
/// replaces), so that a reader can ask for the slots a lookup will read
/// before it looks ([`IdIndex::prefetch`]), which `hashbrown` does not
/// offer. In reading a corpus of a million reports (100,000 sources named
/// 2.45 million times, a table in each of two pieces), each lookup waited
/// for memory about 200 ns, as the rows streaming through the caches push
/// the tables out of them; alone, the same lookups take 40 to 50 ns. The
/// CSV reader now asks for a row's ids one row ahead: in profiles of
/// `validate` on that corpus (two runs each), the lookups took 18-22% of
/// 1.4 s of CPU time with `hashbrown`, and 12% of 1.2 s with this table.
#[derive(Clone, Default)]
struct Slots {
    /// A power of two of them, or none.
    slots: Vec<Slot>,
    /// How many are filled.
    filled: usize,
}

impl Slots {
    /// Where the search for `key` starts; the table has slots.
    fn home(&self, key: u64) -> usize {
        mix(key) as usize & (self.slots.len() - 1)
    }

    /// The slot holding the id whose key is `key` (`is` telling whether a
    /// slot holds it), or else the empty slot where it would go (`usize::MAX`
    /// when the table has no slot).
    ///
    /// # Complexity
    ///
    /// A few slots on average, filled to at most three quarters: 2.5 for an
    /// id that is there, 8.5 for one that is not.
    fn find(&self, key: u64, is: impl Fn(&Slot) -> bool) -> Result<usize, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let s = &self.slots[at];
            if s.index == EMPTY {
                return Err(at);
            }
            if is(s) {
                return Ok(at);
            }
            at = (at + 1) & mask;
        }
    }

    /// Fills slot `at`, an empty one [`Slots::find`] gave for `slot`'s key,
    /// growing the table first when it would be over three quarters full.
    fn insert(&mut self, at: usize, slot: Slot) {
        let at = if 4 * (self.filled + 1) > 3 * self.slots.len() {
            self.grow_to(self.filled + 1);
            self.empty_for(slot.key64())
        } else {
            at
        };
        self.slots[at] = slot;
        self.filled += 1;
    }

    /// The first empty slot of `key`'s search: where an id not in the table
    /// goes.
    fn empty_for(&self, key: u64) -> usize {
        self.find(key, |_| false).unwrap_err()
    }

    /// Makes room for `more` ids beyond those there.
    fn reserve(&mut self, more: usize) {
        if 4 * (self.filled + more) > 3 * self.slots.len() {
            self.grow_to(self.filled + more);
        }
    }

    /// Lays the slots out again in a table with room for `ids` ids, by their
    /// keys alone: no id is read.
    fn grow_to(&mut self, ids: usize) {
        let size = (ids * 4).div_ceil(3).next_power_of_two().max(16);
        let old = std::mem::replace(&mut self.slots, vec![Slot::empty(); size]);
        for s in old.into_iter().filter(|s| s.index != EMPTY) {
            let at = self.empty_for(s.key64());
            self.slots[at] = s;
        }
    }

    /// Asks for the first slots the search for `key` reads.
    fn prefetch(&self, key: u64) {
        if !self.slots.is_empty() {
            let at = self.home(key);
            let p = self.slots.as_ptr().wrapping_add(at);
            prefetch(p);
            prefetch(p.wrapping_add(1));
        }
    }
}

impl IdIndex {
    /// The number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The `i`-th id.
    pub fn id(&self, i: u32) -> &str {
        nth(&self.text, &self.ends, i)
    }

    /// Asks for where id `i` ends to be brought into the cache, for
    /// [`IdIndex::id`] soon after.
    fn prefetch_end(&self, i: u32) {
        prefetch(self.ends.as_ptr().wrapping_add(i as usize));
    }

    /// Asks for id `i` itself to be brought into the cache: reads where it
    /// begins (brought in by [`IdIndex::prefetch_end`] before), not the id,
    /// as [`IdIndex::id`] would to check its bounds.
    fn prefetch_id(&self, i: u32) {
        prefetch(self.text.as_ptr().wrapping_add(start(&self.ends, i)));
    }

    /// The index of an id.
    pub fn get(&self, id: &str) -> Option<u32> {
        self.find(&self.tables, Slot::key(id), id)
    }

    /// The index of an id, whose key is `key`, in one of `tables`.
    fn find(&self, tables: &[Slots], key: (u32, u64), id: &str) -> Option<u32> {
        tables.iter().find_map(|t| {
            t.find(key.1, |s| s.is(key, id, &self.text, &self.ends))
                .ok()
                .map(|at| t.slots[at].index & !LONG)
        })
    }

    /// Asks the processor for the slots a lookup of `id` reads first, in
    /// every table: a reader that knows the ids it will look up next calls
    /// it ahead of them, so that their waits for memory overlap.
    pub(crate) fn prefetch(&self, id: &str) {
        let (_, key) = Slot::key(id);
        for t in &self.tables {
            t.prefetch(key);
        }
    }

    /// The index of an id, added with the next index when it is not there
    /// yet; whether it was added. One probe of each table, where a lookup
    /// then an insert take two of the last.
    pub fn intern(&mut self, id: &str) -> (u32, bool) {
        let key @ (long, k) = Slot::key(id);
        // Absorbed tables, before the last, are only looked in.
        if let Some((_, earlier)) = self.tables.split_last() {
            if let Some(i) = self.find(earlier, key, id) {
                return (i, false);
            }
        }
        let IdIndex { text, ends, tables } = self;
        let table = last(tables);
        match table.find(k, |s| s.is(key, id, text, ends)) {
            Ok(at) => (table.slots[at].index & !LONG, false),
            Err(empty) => {
                let i = append(text, ends, id);
                table.insert(empty, Slot::new(i | long, k));
                (i, true)
            }
        }
    }

    /// Makes room for `more` ids.
    pub fn reserve(&mut self, more: usize) {
        self.ends.reserve(more);
        last(&mut self.tables).reserve(more);
    }

    /// Adds the ids of `other` that are not here, in `other`'s order, as
    /// [`IdIndex::intern`] would one by one; returns the index here of each
    /// of `other`'s ids. `other`'s hash tables are kept, their slots given
    /// the indices here: the lookups, which only read, run on rayon's
    /// threads, each asking for the slots of the ids `ABSORB_AHEAD` ahead,
    /// and no id of `other` is hashed or entered again. An empty
    /// index becomes `other` itself.
    ///
    /// The second half of a million-long chain, 494,151 new ids, took
    /// 0.23-0.25 s to enter one by one.
    pub fn absorb(&mut self, mut other: IdIndex) -> Vec<u32> {
        use rayon::prelude::*;
        const NEW: u32 = u32::MAX;
        if self.len() == 0 {
            *self = other;
            return (0..self.len() as u32).collect();
        }
        let this = &*self;
        let n = other.len() as u32;
        // Pieces of at least 4,096 ids: the first ids of a piece are asked
        // for only by the end of the piece before it, which may run on the
        // other thread, so the smallest pieces rayon makes would wait for
        // many of theirs.
        let mut index_of: Vec<u32> = (0..n)
            .into_par_iter()
            .with_min_len(4096)
            .map(|l| {
                if l + ABSORB_AHEAD < n {
                    this.prefetch(other.id(l + ABSORB_AHEAD));
                }
                this.get(other.id(l)).unwrap_or(NEW)
            })
            .collect();
        let added = index_of.iter().filter(|&&i| i == NEW).count();
        self.text.reserve(other.text.len());
        self.ends.reserve(added);
        for (l, i) in index_of.iter_mut().enumerate() {
            if *i == NEW {
                *i = append(&mut self.text, &mut self.ends, other.id(l as u32));
            }
        }
        for t in &mut other.tables {
            for s in t.slots.iter_mut().filter(|s| s.index != EMPTY) {
                s.index = index_of[(s.index & !LONG) as usize] | (s.index & LONG);
            }
        }
        // An absorbed table that knew no id of its own adds nothing.
        if added > 0 {
            self.tables.append(&mut other.tables);
        }
        index_of
    }
}

/// How many ids ahead of the one it looks up [`IdIndex::absorb`] asks for
/// the slots of. The lookups of the second half of the million-long chain
/// (494,151 ids, none there) took a median 34.6 ms without and 14.3 ms with
/// 8 ahead; those of the star of 200,001 sources 11.6 and 4.0 ms, and of
/// each corpus of a million reports 4.7 and 2.5 ms (eleven and seven
/// alternating runs). 16 ahead was no faster than 8.
const ABSORB_AHEAD: u32 = 8;

/// The table new ids go into: the last, made when there is none.
fn last(tables: &mut Vec<Slots>) -> &mut Slots {
    if tables.is_empty() {
        tables.push(Slots::default());
    }
    tables.last_mut().expect("a table")
}

/// Lays `id` after the ids in `text`, `ends` being where each ends; its
/// index.
fn append(text: &mut String, ends: &mut Vec<u32>, id: &str) -> u32 {
    let i = ends.len() as u32;
    assert!(i < LONG - 1, "more than 2^31 - 1 ids");
    text.push_str(id);
    ends.push(text.len() as u32);
    i
}

/// The `i`-th of the ids laid end to end in `text`, `ends[i]` being where it
/// ends (a free function, so that the table can rehash while it is borrowed).
fn nth<'a>(text: &'a str, ends: &[u32], i: u32) -> &'a str {
    &text[start(ends, i)..ends[i as usize] as usize]
}

/// Where the `i`-th of the ids laid end to end begins, `ends[i]` being
/// where each ends.
fn start(ends: &[u32], i: u32) -> usize {
    match i {
        0 => 0,
        _ => ends[i as usize - 1] as usize,
    }
}

impl PartialEq for IdIndex {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.ends == other.ends
    }
}

/// A fast 64-bit hash of an id: FxHash's word-at-a-time mixing, then a
/// final multiply. The ids come from the researcher's own files, so no
/// defence against crafted collisions is needed; two long ids with the same
/// hash are still told apart by their text ([`Slot::is`]).
fn hash_id(id: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let bytes = id.as_bytes();
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(c.try_into().expect("8 bytes"))).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

impl fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries((0..self.len() as u32).map(|i| (self.id(i), i)))
            .finish()
    }
}

/// True when `s` is a well-formed id: `[a-z0-9][a-z0-9._-]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    match bytes.next() {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => {}
        _ => return false,
    }
    bytes.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-'))
}

/// A well-formed id close to a malformed one: lowercased, with every run of
/// other characters turned into one `-`. `None` when nothing usable is left.
pub fn suggest_id(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out
        .trim_matches(|c: char| matches!(c, '-' | '.' | '_'))
        .to_owned();
    (is_valid_id(&out) && out != s).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absorbed_index_is_the_index_of_its_ids_entered_one_by_one() {
        // Short and long ids (a slot holds the first 8 bytes), ids in both,
        // and repeats.
        let first = ["a", "b", "a-long-source-id", "c", "another-long-one"];
        let second = ["c", "d", "a-long-source-id", "a-long-source-id-2", "e", "a"];
        let third = ["f", "d", "g"];
        let mut one_by_one = IdIndex::default();
        let mut joined = IdIndex::default();
        for (k, ids) in [&first[..], &second, &third].into_iter().enumerate() {
            let mut part = IdIndex::default();
            for id in ids {
                part.intern(id);
            }
            let expected: Vec<u32> = ids.iter().map(|id| one_by_one.intern(id).0).collect();
            if k == 0 {
                joined = part;
            } else {
                assert_eq!(joined.absorb(part), expected, "part {k}");
            }
        }
        assert_eq!(joined, one_by_one);
        for i in 0..one_by_one.len() as u32 {
            let id = one_by_one.id(i);
            assert_eq!(joined.get(id), Some(i), "{id}");
        }
        assert_eq!(joined.get("a-long-source-id-3"), None);
        assert_eq!(joined.get("h"), None);
        // Entered after: new ids get the next index, known ones their own.
        assert_eq!(joined.intern("h"), (one_by_one.len() as u32, true));
        assert_eq!(joined.intern("another-long-one"), (4, false));
        assert_eq!(joined.intern("e"), (7, false));
    }

    #[test]
    fn sources_rank_in_the_order_of_their_ids() {
        // Ids that share their first eight bytes, ids that begin others,
        // ids of one to twelve bytes, and letters beyond ASCII.
        let mut next = fixtures::numbers(7);
        let letters = ["a", "b", "z", "0", "9", "-", "é", "ü", "_"];
        let mut ids: Vec<String> = Vec::new();
        for _ in 0..3000 {
            let id: String = match next(3) {
                0 => (0..1 + next(12))
                    .map(|_| letters[next(9) as usize])
                    .collect(),
                1 => format!("source-1{}", next(40)),
                _ => format!("s{}", next(2000)),
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let sources = ids.iter().map(|id| fixtures::source(id)).collect();
        let case = Case::from_parts(None, sources, Vec::new(), Vec::new());
        let mut sorted: Vec<u32> = (0..ids.len() as u32).collect();
        sorted.sort_by(|&a, &b| ids[a as usize].cmp(&ids[b as usize]));
        let rank = case.source_rank();
        for (r, &i) in sorted.iter().enumerate() {
            assert_eq!(rank[i as usize], r as u32, "{}", ids[i as usize]);
        }
    }

    #[test]
    fn ids_spread_over_the_buckets() {
        // 100,000 ids in 2^17 buckets: random hashes would fill
        // 1 - e^(-100,000 / 2^17) of them (69,900), at most about 8 in one.
        let mask = (1u64 << 17) - 1;
        for form in ["s{}", "report-2015-{}", "{}", "Source {} (web)"] {
            let mut count = vec![0u32; 1 << 17];
            for i in 0..100_000 {
                let id = form.replace("{}", &i.to_string());
                count[(mix(Slot::key(&id).1) & mask) as usize] += 1;
            }
            let filled = count.iter().filter(|&&c| c > 0).count();
            let most = *count.iter().max().unwrap();
            assert!(
                filled > 66_000 && most <= 12,
                "{form}: {filled} buckets, {most} in one"
            );
            // The top seven bits take every value too: every bit of the
            // hash depends on the id.
            let tags: std::collections::HashSet<u64> = (0..1000)
                .map(|i| mix(Slot::key(&form.replace("{}", &i.to_string())).1) >> 57)
                .collect();
            assert_eq!(tags.len(), 128, "{form}");
        }
    }

    #[test]
    fn dates_parse_and_check_the_calendar() {
        assert_eq!(PartialDate::parse("2015").unwrap().to_string(), "2015");
        assert_eq!(
            PartialDate::parse("2015-12").unwrap().to_string(),
            "2015-12"
        );
        assert_eq!(
            PartialDate::parse("2016-02-29").unwrap().to_string(),
            "2016-02-29"
        );
        for bad in [
            "2015-02-29",
            "2015-13",
            "2015-00",
            "2015-1-1",
            "15",
            "2015-12-32",
            "2015/12",
            "２０１５",
            "",
        ] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_compare_by_first_day_then_precision() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert!(d("2015") < d("2015-01-01"));
        assert!(d("2015-12") < d("2015-12-02"));
        assert!(d("2015-12-31") < d("2016"));
    }

    #[test]
    fn dates_end_on_their_last_day() {
        let d = |s| PartialDate::parse(s).unwrap().last_day();
        assert_eq!(d("2015"), (2015, 12, 31));
        assert_eq!(d("2015-02"), (2015, 2, 28));
        assert_eq!(d("2016-02"), (2016, 2, 29));
        assert_eq!(d("2015-12-09"), (2015, 12, 9));
    }

    #[test]
    fn id_index_finds_every_id_and_only_those() {
        let mut ix = IdIndex::default();
        assert_eq!(ix.get("a"), None);
        let ids: Vec<String> = (0..5000).map(|i| format!("s{i}")).collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(ix.intern(id), (i as u32, true));
        }
        ix.intern("");
        ix.intern("a-much-longer-id.with_all.kinds-of-characters-0123456789");
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(ix.get(id), Some(i as u32));
            assert_eq!(ix.id(i as u32), id);
        }
        assert_eq!(ix.get(""), Some(5000));
        assert_eq!(
            ix.get("a-much-longer-id.with_all.kinds-of-characters-0123456789"),
            Some(5001)
        );
        assert_eq!(ix.get("s5000"), None);
        assert_eq!(ix.get("s1 "), None);
        assert_eq!(ix.len(), 5002);
    }

    #[test]
    fn tables_of_every_size_find_their_ids() {
        // From one id to past a dozen growths of the table, reserved ahead
        // or not: searches that run off the end of the slots go on at the
        // start, and the table is never more than three quarters full.
        for n in 1..=300usize {
            let mut ix = IdIndex::default();
            if n % 3 == 0 {
                ix.reserve(n);
            }
            let ids: Vec<String> = (0..n)
                .map(|i| match i % 3 {
                    0 => format!("s{i}"),
                    1 => format!("a-source-with-a-long-id-{i}"),
                    _ => format!("{i}"),
                })
                .collect();
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(ix.intern(id), (i as u32, true), "{n}: {id}");
            }
            let t = &ix.tables[0];
            assert!(t.slots.len().is_power_of_two() && 4 * t.filled <= 3 * t.slots.len());
            assert_eq!(t.filled, n);
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(ix.get(id), Some(i as u32), "{n}: {id}");
            }
            for miss in ["s-1", "a-source-with-a-long-id-x", "x", &format!("s{n}")] {
                assert_eq!(ix.get(miss), None, "{n}: {miss}");
            }
        }
    }

    #[test]
    fn long_ids_are_told_apart_by_their_text() {
        // Ids of 8 and 9 bytes with one beginning, and addresses that share
        // far more than the 8 bytes a slot could hold of them.
        let mut ix = IdIndex::default();
        let mut ids: Vec<String> = vec!["abcdefgh".into(), "abcdefghi".into(), "abcdefg".into()];
        ids.extend((0..3000).map(|i| format!("https://www.example.org/news/2016/{i}")));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(ix.intern(id), (i as u32, true), "{id}");
        }
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(ix.get(id), Some(i as u32), "{id}");
            assert_eq!(ix.intern(id), (i as u32, false), "{id}");
        }
        assert_eq!(ix.get("https://www.example.org/news/2016/3000"), None);
        // Two long ids whose hashes were equal would still be two ids: a
        // slot holding one, given the other's key, does not hold the other.
        let held = "https://www.example.org/news/2016/7";
        let slot = Slot::new(ix.get(held).unwrap() | LONG, Slot::key(held).1);
        assert!(slot.is(Slot::key(held), held, &ix.text, &ix.ends));
        let other = "https://www.example.org/news/2016/8";
        let forged = (LONG, Slot::key(held).1);
        assert!(!slot.is(forged, other, &ix.text, &ix.ends));
        // A short id whose bytes equal a long id's hash is another id too.
        assert!(!slot.is((0, Slot::key(held).1), "whatever", &ix.text, &ix.ends));
    }

    #[test]
    fn dates_written_other_ways_get_a_suggestion() {
        let s = |t: &str| suggest_date(t).unwrap_or_default();
        assert!(s("2016-2-3").contains("`2016-02-03`"));
        assert!(s("30/01/2016").contains("`2016-01-30`") && s("30/01/2016").contains("day/month"));
        assert!(s("01/30/2016").contains("`2016-01-30`") && s("01/30/2016").contains("month/day"));
        let both = s("01/02/2016");
        assert!(
            both.contains("`2016-02-01`") && both.contains("`2016-01-02`"),
            "{both}"
        );
        assert!(s("Feb 2016").contains("`2016-02`"));
        assert!(s("3 February 2016").contains("`2016-02-03`"));
        assert_eq!(suggest_date("soon"), None);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("fars"));
        assert!(is_valid_id("0x.a_b-c"));
        assert!(!is_valid_id("Fars"));
        assert!(!is_valid_id("-fars"));
        assert!(!is_valid_id(""));
        assert_eq!(suggest_id("Fars News").as_deref(), Some("fars-news"));
        assert_eq!(suggest_id("!!!"), None);
    }
}

/// Small builders for the library's unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{At, Basis, Case, Claim, Kind, Report, Source, SourceIdx, Stance};

    /// Numbers from a fixed seed (xorshift): each call gives one below `m`.
    pub fn numbers(seed: u64) -> impl FnMut(u32) -> u32 {
        let mut x = seed;
        move |m| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % u64::from(m)) as u32
        }
    }

    /// A case of one claim, `c`, with `n` sources `s00000`, `s00001` …
    /// and `reports`.
    pub fn one_claim(n: u32, reports: Vec<Report>) -> Case {
        let sources = (0..n).map(|i| source(&format!("s{i:05}"))).collect();
        let claim = Claim {
            id: "c".into(),
            text: String::new(),
            declared: true,
        };
        Case::from_parts(None, sources, vec![claim], reports)
    }

    /// A declared outlet whose name is its id, with its id.
    pub fn source(id: &str) -> (String, Source) {
        let source = Source {
            name: None,
            kind: Kind::Outlet,
            reliability: None,
            declared: true,
            texts: None,
        };
        (id.into(), source)
    }

    /// An undated report of claim 0.
    pub fn report(source: SourceIdx, cites: &[SourceIdx], stance: Stance) -> Report {
        Report {
            source,
            claim: 0,
            cites: cites.into(),
            stance,
            basis: Basis::FirstHand,
            date: None,
            texts: None,
            at: At::default(),
        }
    }
}
