//! The figures rendered for people and for scripts: the text report of
//! `analyze`, its JSON (the shape docs/method.md fixes), the PASS/FAIL lines of
//! `check` and the chains of `trace`. Everything here is a pure function of
//! the case and the analysis, so the same input gives the same bytes.

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::{ClaimAnalysis, GroupBasis, RootGroup, Trace, TraceStep};
use crate::diag::Diagnostic;
use crate::model::{Case, Kind, Stance};

/// How a verdict counts origins: `named` root groups always, the other
/// three kinds when asked for. Retracted groups never count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counting {
    /// Count `anonymous` root groups too.
    pub anonymous: bool,
    /// Count `undisclosed` root groups too.
    pub undisclosed: bool,
    /// Count `unknown` root groups too.
    pub unknown: bool,
}

impl Counting {
    /// Whether root groups of this basis are counted.
    pub fn counts(&self, b: GroupBasis) -> bool {
        match b {
            GroupBasis::Named => true,
            GroupBasis::Anonymous => self.anonymous,
            GroupBasis::Undisclosed => self.undisclosed,
            GroupBasis::Unknown => self.unknown,
        }
    }

    /// The kinds counted, as the check line writes them: `named`,
    /// `named,anonymous`, ...
    pub fn label(&self) -> String {
        let words: Vec<&str> = GroupBasis::ALL
            .iter()
            .filter(|&&b| self.counts(b))
            .map(|b| b.as_str())
            .collect();
        words.join(",")
    }
}

/// A claim's count of root groups of one basis, retracted ones left out.
pub fn count_of(a: &ClaimAnalysis, b: GroupBasis) -> u32 {
    match b {
        GroupBasis::Named => a.named,
        GroupBasis::Anonymous => a.anonymous,
        GroupBasis::Undisclosed => a.undisclosed,
        GroupBasis::Unknown => a.unknown,
    }
}

/// Why a claim has fewer counted origins than `min`, when the reason is not
/// just "too few named origins": no support report at all, or origins that
/// exist but are not counted (with what to do about each). `None` when the
/// claim has enough.
pub fn shortfall(a: &ClaimAnalysis, counting: Counting, min: u32) -> Option<String> {
    if a.independent == 0 {
        return Some(
            "no support report: nothing stands behind the claim (a claim without support never passes)"
                .to_owned(),
        );
    }
    if counted(a, counting) >= min {
        return None;
    }
    let mut why = Vec::new();
    if a.unknown > 0 && !counting.unknown {
        why.push(format!(
            "{}: declare {}, or count {} with --count unknown",
            plural(
                a.unknown,
                "origin of unknown kind",
                "origins of unknown kind"
            ),
            if a.unknown == 1 {
                "its kind"
            } else {
                "their kinds"
            },
            if a.unknown == 1 { "it" } else { "them" },
        ));
    }
    if a.undisclosed > 0 && !counting.undisclosed {
        why.push(format!(
            "{} without saying where the claim came from (basis undisclosed): find where {} it, or count {} with --count undisclosed",
            plural(a.undisclosed, "origin asserts it", "origins assert it"),
            if a.undisclosed == 1 { "it got" } else { "they got" },
            if a.undisclosed == 1 { "it" } else { "them" },
        ));
    }
    if a.anonymous > 0 && !counting.anonymous {
        why.push(format!(
            "{} not counted: count {} with --count anonymous",
            plural(a.anonymous, "anonymous origin is", "anonymous origins are"),
            if a.anonymous == 1 { "it" } else { "them" },
        ));
    }
    if a.retracted > 0 {
        why.push(format!(
            "{} retracted {} support",
            plural(a.retracted, "origin", "origins"),
            if a.retracted == 1 { "its" } else { "their" },
        ));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// The label of a root group: its source id, or `a+b+c` for a circular group.
pub fn group_label(case: &Case, g: &RootGroup) -> String {
    let ids: Vec<&str> = g
        .sources
        .iter()
        .map(|&s| case.source(s).id.as_str())
        .collect();
    ids.join("+")
}

/// A cycle walk written `a -> b -> c -> a`.
pub fn cycle_text(case: &Case, g: &RootGroup) -> String {
    let ids: Vec<&str> = g
        .cycle
        .iter()
        .map(|&s| case.source(s).id.as_str())
        .collect();
    ids.join(" -> ")
}

/// `1 claim`, `2 claims`.
pub fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line verdict of a claim, e.g. "3 named independent origins:
/// kheirullah, isis-video, russian-intel; 2 anonymous: a, b; first reported
/// 2015-12". Origins of every kind are listed, counted or not.
pub fn verdict(case: &Case, a: &ClaimAnalysis, counting: Counting) -> String {
    let labels = |keep: &dyn Fn(&RootGroup) -> bool| -> Vec<String> {
        a.roots
            .iter()
            .filter(|g| keep(g))
            .map(|g| group_label(case, g))
            .collect()
    };
    let of = |b: GroupBasis| labels(&|g: &RootGroup| g.basis == b && !g.retracted);
    let mut s = String::new();
    if a.independent == 0 {
        s.push_str("no support reports: no origin");
    } else {
        let counted_n = counted(a, counting);
        if counting == Counting::default() {
            if a.named == 0 {
                s.push_str("no named origin");
            } else {
                let _ = write!(
                    s,
                    "{}: {}",
                    plural(
                        a.named,
                        "named independent origin",
                        "named independent origins"
                    ),
                    of(GroupBasis::Named).join(", ")
                );
            }
        } else {
            let all = labels(&|g: &RootGroup| counting.counts(g.basis) && !g.retracted);
            let _ = write!(
                s,
                "{} ({}){}{}",
                plural(counted_n, "independent origin", "independent origins"),
                counting.label(),
                if all.is_empty() { "" } else { ": " },
                all.join(", ")
            );
        }
        for (b, word) in [
            (GroupBasis::Anonymous, "anonymous"),
            (GroupBasis::Undisclosed, "undisclosed"),
            (GroupBasis::Unknown, "of unknown kind"),
        ] {
            let n = count_of(a, b);
            if n > 0 {
                let _ = write!(s, "; {n} {word}: {}", of(b).join(", "));
            }
        }
        if a.retracted > 0 {
            let _ = write!(
                s,
                "; {} retracted: {}",
                a.retracted,
                labels(&|g: &RootGroup| g.retracted).join(", ")
            );
        }
    }
    let circular = a.roots.iter().filter(|g| g.circular).count() as u32;
    if circular > 0 {
        let _ = write!(
            s,
            "; {}",
            plural(circular, "circular group", "circular groups")
        );
    }
    match (a.first_reported, a.first_supported) {
        (Some(r), Some(s2)) if r != s2 => {
            let _ = write!(s, "; first reported {r}, first supported {s2}");
        }
        (Some(r), _) => {
            let _ = write!(s, "; first reported {r}");
        }
        (None, _) => s.push_str("; no dated report"),
    }
    s
}

/// The count a verdict is judged on: named origins, plus the kinds asked
/// for; never retracted ones.
pub fn counted(a: &ClaimAnalysis, counting: Counting) -> u32 {
    GroupBasis::ALL
        .iter()
        .filter(|&&b| counting.counts(b))
        .map(|&b| count_of(a, b))
        .sum()
}

/// The readable report of `analyze`.
pub fn text(case: &Case, analyses: &[ClaimAnalysis], counting: Counting) -> String {
    let mut out = String::new();
    if let Some(t) = &case.title {
        let _ = writeln!(out, "{t}\n{}\n", "=".repeat(t.chars().count().min(100)));
    }
    let by_claim = stance_counts(case);
    // (Retractions are few; `retracting` is found per claim by a scan of the
    // claim's reports only when the claim has sources to list.)
    for (k, a) in analyses.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        let claim = case.claim(a.claim);
        if claim.text.is_empty() {
            let _ = writeln!(out, "claim {}", claim.id);
        } else {
            let _ = writeln!(out, "claim {}: {}", claim.id, claim.text);
        }
        let flag = if counted(a, counting) < 2 {
            "SINGLE SOURCE: "
        } else {
            ""
        };
        let _ = writeln!(out, "  {flag}{}", verdict(case, a, counting));
        if let Some(why) = shortfall(a, counting, 2) {
            let _ = writeln!(out, "  why: {why}");
        }
        let [sup, deny, query, comment, retract] = by_claim[a.claim as usize];
        let mut parts = vec![format!("{sup} support")];
        for (n, w) in [
            (deny, "deny"),
            (query, "query"),
            (comment, "comment"),
            (retract, "retract"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {w}"));
            }
        }
        let _ = writeln!(
            out,
            "  {} ({})",
            plural(a.reports, "report", "reports"),
            parts.join(", ")
        );

        if !a.roots.is_empty() {
            out.push('\n');
            let mut rows = vec![row(["origins", "kind", "counts as", "reach"])];
            for g in &a.roots {
                let counts_as = if g.retracted {
                    format!("retracted ({})", g.basis.as_str())
                } else {
                    g.basis.as_str().to_owned()
                };
                rows.push(row([
                    &group_label(case, g),
                    &group_kind(case, g),
                    &counts_as,
                    &g.reach.to_string(),
                ]));
            }
            table(&mut out, &rows, &[false, false, false, true]);
            for g in a.roots.iter().filter(|g| g.circular) {
                let _ = writeln!(out, "    circular: {}", cycle_text(case, g));
            }
        }
        if !a.sources.is_empty() {
            out.push('\n');
            let retracting: Vec<u32> = case
                .reports
                .iter()
                .filter(|r| r.claim == a.claim && r.stance == Stance::Retract)
                .map(|r| r.source)
                .collect();
            let mut rows = vec![row(["sources", "roots", "chains", ""])];
            for s in &a.sources {
                let src = case.source(s.source);
                let mut notes = Vec::new();
                if s.in_root.is_some() {
                    notes.push("origin");
                }
                if src.kind == Kind::Anonymous {
                    notes.push("anonymous");
                }
                if retracting.contains(&s.source) {
                    notes.push("retracted");
                }
                if s.roots > 1 && s.chains == 1 {
                    notes.push("all through one relay");
                }
                rows.push(row([
                    &src.id,
                    &s.roots.to_string(),
                    &s.chains.to_string(),
                    &notes.join(", "),
                ]));
            }
            table(&mut out, &rows, &[false, true, true, false]);
        }
        for g in &a.loops {
            let _ = writeln!(
                out,
                "\n  circular reporting downstream: {} (reach {})",
                cycle_text(case, g),
                g.reach
            );
        }
        if a.denials.independent > 0 {
            let labels: Vec<String> = a
                .denials
                .roots
                .iter()
                .map(|g| format!("{} (reach {})", group_label(case, g), g.reach))
                .collect();
            let _ = writeln!(
                out,
                "\n  denied by {}: {}",
                plural(
                    a.denials.independent,
                    "independent origin",
                    "independent origins"
                ),
                labels.join(", ")
            );
        }
    }
    if analyses.is_empty() {
        out.push_str("the case has no claims\n");
    }
    out
}

/// What a root group is: the kind of its one source, or `circular`.
fn group_kind(case: &Case, g: &RootGroup) -> String {
    match g.sources.as_slice() {
        [one] => case.source(*one).kind.as_str().to_owned(),
        _ if g.anonymous => "circular, anonymous".to_owned(),
        _ => "circular".to_owned(),
    }
}

fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// Writes rows as an aligned table indented under a claim; the first row is
/// the header, two columns left of the rows. `right[i]` aligns column `i` to
/// the right (numbers).
fn table(out: &mut String, rows: &[Vec<String>], right: &[bool]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..cols)
        .map(|c| {
            let cells = rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.get(c).map(|s| (i, s)));
            cells
                .map(|(i, s)| s.chars().count() + if c == 0 && i > 0 { 2 } else { 0 })
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            let cell = if c == 0 && i > 0 {
                format!("  {cell}")
            } else {
                cell.clone()
            };
            let pad = " ".repeat(width[c].saturating_sub(cell.chars().count()));
            if c > 0 {
                line.push_str("  ");
            }
            if right.get(c).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(&cell);
            } else {
                line.push_str(&cell);
                line.push_str(&pad);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn stance_counts(case: &Case) -> Vec<[u32; 5]> {
    let mut by = vec![[0u32; 5]; case.claims.len()];
    for r in &case.reports {
        let i = match r.stance {
            Stance::Support => 0,
            Stance::Deny => 1,
            Stance::Query => 2,
            Stance::Comment => 3,
            Stance::Retract => 4,
        };
        by[r.claim as usize][i] += 1;
    }
    by
}

/// The whole output; [`json`] writes it piece by piece, with the same bytes.
#[cfg(test)]
#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    claims: Vec<JsonClaim<'a>>,
    warnings: Vec<String>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonClaim<'a> {
    id: &'a str,
    text: &'a str,
    reports: u32,
    independent: u32,
    anonymous: u32,
    named: u32,
    undisclosed: u32,
    unknown: u32,
    retracted: u32,
    single_source: bool,
    first_reported: Option<String>,
    roots: Vec<JsonGroup<'a>>,
    sources: Vec<JsonSource<'a>>,
    denials: JsonDenials<'a>,
    loops: Vec<JsonGroup<'a>>,
    first_supported: Option<String>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonGroup<'a> {
    sources: Vec<&'a str>,
    circular: bool,
    anonymous: bool,
    basis: &'static str,
    retracted: bool,
    reach: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cycle: Vec<&'a str>,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonSource<'a> {
    id: &'a str,
    roots: u32,
    chains: u32,
}

#[cfg(test)]
#[derive(Serialize)]
struct JsonDenials<'a> {
    independent: u32,
    roots: Vec<JsonGroup<'a>>,
}

#[cfg(test)]
fn json_group<'a>(case: &'a Case, g: &RootGroup) -> JsonGroup<'a> {
    let id = |s: &u32| case.source(*s).id.as_str();
    JsonGroup {
        sources: g.sources.iter().map(id).collect(),
        circular: g.circular,
        anonymous: g.anonymous,
        basis: g.basis.as_str(),
        retracted: g.retracted,
        reach: g.reach,
        cycle: g.cycle.iter().map(id).collect(),
    }
}

#[cfg(test)]
fn json_claim<'a>(case: &'a Case, a: &ClaimAnalysis) -> JsonClaim<'a> {
    let c = case.claim(a.claim);
    JsonClaim {
        id: &c.id,
        text: &c.text,
        reports: a.reports,
        independent: a.independent,
        anonymous: a.anonymous,
        named: a.named,
        undisclosed: a.undisclosed,
        unknown: a.unknown,
        retracted: a.retracted,
        single_source: a.single_source,
        first_reported: a.first_reported.map(|d| d.to_string()),
        roots: a.roots.iter().map(|g| json_group(case, g)).collect(),
        sources: a
            .sources
            .iter()
            .map(|s| JsonSource {
                id: &case.source(s.source).id,
                roots: s.roots,
                chains: s.chains,
            })
            .collect(),
        denials: JsonDenials {
            independent: a.denials.independent,
            roots: a
                .denials
                .roots
                .iter()
                .map(|g| json_group(case, g))
                .collect(),
        },
        loops: a.loops.iter().map(|g| json_group(case, g)).collect(),
        first_supported: a.first_supported.map(|d| d.to_string()),
    }
}

fn json_warnings(warnings: &[Diagnostic]) -> Vec<String> {
    warnings
        .iter()
        .map(|d| format!("{}: {}", d.at, d.message))
        .collect()
}

/// Pretty JSON of `value`, every line after the first indented by `pad`.
/// A line break inside a JSON string is written `\n`, so every line break
/// in the output is the pretty printer's own.
fn pretty_indented<T: Serialize + ?Sized>(value: &T, pad: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    serde_json::to_writer_pretty(&mut buf, value).expect("serialising plain data cannot fail");
    let lines = buf.iter().filter(|&&b| b == b'\n').count();
    let mut out = Vec::with_capacity(buf.len() + lines * pad.len());
    for (i, line) in buf.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(pad);
        }
        out.extend_from_slice(line);
    }
    out
}

/// A writer of JSON laid out as serde_json's pretty printer lays it out
/// (two spaces a level, `"key": value`, `[]` and `{}` when empty), for the
/// fixed shape of a claim's figures. Written by hand because a large case
/// has a million per-source entries, and taking each through serde's data
/// model and formatter cost as much as the analysis.
struct Pretty {
    out: Vec<u8>,
    level: usize,
    /// Nothing written yet in the innermost open array or object.
    empty: bool,
}

impl Pretty {
    fn new(level: usize) -> Pretty {
        Pretty {
            out: Vec::new(),
            level,
            empty: false,
        }
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.level {
            self.out.extend_from_slice(b"  ");
        }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.level += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: u8) {
        self.level -= 1;
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Before each element of an array.
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Before each value of an object.
    fn key(&mut self, key: &str) {
        self.item();
        self.str(key);
        self.out.extend_from_slice(b": ");
    }

    fn str(&mut self, s: &str) {
        // serde_json escapes the quote, the backslash and control characters.
        if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else {
            serde_json::to_writer(&mut self.out, s).expect("serialising a string cannot fail");
        }
    }

    fn num(&mut self, n: u32) {
        let mut digits = [0u8; 10];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[i..]);
    }

    fn bool(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    fn ids(&mut self, case: &Case, sources: &[u32]) {
        self.open(b'[');
        for &s in sources {
            self.item();
            self.str(case.source_id(s));
        }
        self.close(b']');
    }

    fn groups(&mut self, case: &Case, groups: &[RootGroup]) {
        self.open(b'[');
        for g in groups {
            self.item();
            self.open(b'{');
            self.key("sources");
            self.ids(case, &g.sources);
            self.key("circular");
            self.bool(g.circular);
            self.key("anonymous");
            self.bool(g.anonymous);
            self.key("basis");
            self.str(g.basis.as_str());
            self.key("retracted");
            self.bool(g.retracted);
            self.key("reach");
            self.num(g.reach);
            if !g.cycle.is_empty() {
                self.key("cycle");
                self.ids(case, &g.cycle);
            }
            self.close(b'}');
        }
        self.close(b']');
    }

    fn claim(&mut self, case: &Case, a: &ClaimAnalysis) {
        let c = case.claim(a.claim);
        self.open(b'{');
        self.key("id");
        self.str(&c.id);
        self.key("text");
        self.str(&c.text);
        self.key("reports");
        self.num(a.reports);
        self.key("independent");
        self.num(a.independent);
        self.key("anonymous");
        self.num(a.anonymous);
        self.key("named");
        self.num(a.named);
        self.key("undisclosed");
        self.num(a.undisclosed);
        self.key("unknown");
        self.num(a.unknown);
        self.key("retracted");
        self.num(a.retracted);
        self.key("single_source");
        self.bool(a.single_source);
        self.key("first_reported");
        match a.first_reported {
            Some(d) => self.str(&d.to_string()),
            None => self.out.extend_from_slice(b"null"),
        }
        self.key("roots");
        self.groups(case, &a.roots);
        self.key("sources");
        self.open(b'[');
        for f in &a.sources {
            self.item();
            self.open(b'{');
            self.key("id");
            self.str(case.source_id(f.source));
            self.key("roots");
            self.num(f.roots);
            self.key("chains");
            self.num(f.chains);
            self.close(b'}');
        }
        self.close(b']');
        self.key("denials");
        self.open(b'{');
        self.key("independent");
        self.num(a.denials.independent);
        self.key("roots");
        self.groups(case, &a.denials.roots);
        self.close(b'}');
        self.key("loops");
        self.groups(case, &a.loops);
        self.key("first_supported");
        match a.first_supported {
            Some(d) => self.str(&d.to_string()),
            None => self.out.extend_from_slice(b"null"),
        }
        self.close(b'}');
    }
}

/// The JSON of `analyze --format json`, as docs/method.md fixes it (with `title`,
/// `loops`, `first_supported` and each circular group's `cycle` added).
///
/// The bytes are those of serde_json's pretty printer over the whole object,
/// but each claim is written on its own, in parallel, at its depth in the
/// `claims` array, and the pieces are joined in order: for a large case the
/// output runs to a hundred megabytes.
pub fn json(case: &Case, analyses: &[ClaimAnalysis], warnings: &[Diagnostic]) -> String {
    let claims: Vec<Vec<u8>> = analyses
        .par_iter()
        .map(|a| {
            let mut w = Pretty::new(2);
            w.claim(case, a);
            w.out
        })
        .collect();
    let warnings = pretty_indented(&json_warnings(warnings), b"  ");
    let len = claims.iter().map(|c| c.len() + 6).sum::<usize>() + warnings.len() + 64;
    let mut out: Vec<u8> = Vec::with_capacity(len);
    out.extend_from_slice(b"{\n");
    if let Some(title) = case.title.as_deref() {
        out.extend_from_slice(b"  \"title\": ");
        serde_json::to_writer(&mut out, title).expect("serialising a string cannot fail");
        out.extend_from_slice(b",\n");
    }
    out.extend_from_slice(b"  \"claims\": [");
    for (i, c) in claims.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        out.extend_from_slice(c);
    }
    if !claims.is_empty() {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(b"],\n  \"warnings\": ");
    out.extend_from_slice(&warnings);
    out.extend_from_slice(b"\n}\n");
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// The PASS/FAIL lines of `check`, one per claim, and whether all passed.
///
/// `PASS in-libya named=2 anonymous=4 undisclosed=1 unknown=0 retracted=0 independent=7 min=2 counts=named roots=a,b+c,d`
///
/// A claim passes when its counted origins (see [`Counting`]) are at least
/// `min`; a claim with no support report never passes. A failing line whose
/// reason is not just "too few named origins" ends with ` -- ` and the
/// reason ([`shortfall`]).
pub fn check(
    case: &Case,
    analyses: &[ClaimAnalysis],
    min: u32,
    counting: Counting,
) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    for a in analyses {
        let pass = a.independent > 0 && counted(a, counting) >= min;
        all &= pass;
        let roots: Vec<String> = a.roots.iter().map(|g| group_label(case, g)).collect();
        let _ = write!(
            out,
            "{} {} named={} anonymous={} undisclosed={} unknown={} retracted={} independent={} min={min} counts={} roots={}",
            if pass { "PASS" } else { "FAIL" },
            case.claim(a.claim).id,
            a.named,
            a.anonymous,
            a.undisclosed,
            a.unknown,
            a.retracted,
            a.independent,
            counting.label(),
            if roots.is_empty() {
                "-".to_owned()
            } else {
                roots.join(",")
            },
        );
        if !pass {
            if let Some(why) = shortfall(a, counting, min) {
                let _ = write!(out, " -- {why}");
            }
        }
        out.push('\n');
    }
    (out, all)
}

/// The chains of `trace`, one per line, `root -> ... -> source`, and a last
/// line when the list was cut.
pub fn trace(case: &Case, a: &ClaimAnalysis, t: &Trace, max_paths: usize) -> String {
    let mut out = String::new();
    for path in &t.paths {
        let steps: Vec<String> = path
            .iter()
            .map(|s| match s {
                TraceStep::Root(g) => group_label(case, &a.roots[*g as usize]),
                TraceStep::Source(s) => case.source(*s).id.clone(),
            })
            .collect();
        let _ = writeln!(out, "{}", steps.join(" -> "));
    }
    if t.truncated {
        let _ = match t.total_known {
            Some(n) => writeln!(
                out,
                "... cut at {max_paths} of {n} chains (raise --max-paths to see them all)"
            ),
            None => writeln!(
                out,
                "... cut at {max_paths} chains; there are more (raise --max-paths to see them)"
            ),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::load::{load_str, Format, LoadOptions};

    /// The whole object through serde_json's pretty printer in one go.
    fn json_in_one_piece(
        case: &Case,
        analyses: &[ClaimAnalysis],
        warnings: &[Diagnostic],
    ) -> String {
        let out = JsonOut {
            title: case.title.as_deref(),
            claims: analyses.iter().map(|a| json_claim(case, a)).collect(),
            warnings: json_warnings(warnings),
        };
        let mut s = serde_json::to_string_pretty(&out).unwrap();
        s.push('\n');
        s
    }

    #[test]
    fn json_in_pieces_is_byte_for_byte_json_in_one_piece() {
        let cases = [
            // A title, quotes and a line break to escape, warnings, a circle.
            "title = \"A \\\"quoted\\\"\\ntitle\"\n\
             [[sources]]\nid = \"x\"\nkind = \"anonymous\"\n\
             [[claims]]\nid = \"c\"\ntext = \"two\\nlines\"\n\
             [[reports]]\nsource = \"a\"\nclaim = \"c\"\ncites = [\"b\"]\ndate = \"2015\"\n\
             [[reports]]\nsource = \"b\"\nclaim = \"c\"\ncites = [\"a\"]\n\
             [[reports]]\nsource = \"d\"\nclaim = \"c\"\ncites = [\"a\", \"x\"]\n\
             [[reports]]\nsource = \"e\"\nclaim = \"c\"\nstance = \"deny\"\n\
             [[reports]]\nsource = \"a\"\nclaim = \"other\"\n\
             [[reports]]\nsource = \"p\"\nclaim = \"c\"\ncites = [\"a\", \"q\"]\n\
             [[reports]]\nsource = \"q\"\nclaim = \"c\"\ncites = [\"p\"]\n\
             [[claims]]\nid = \"denied\"\ntext = \"tab\\t quote\\\" backslash\\\\ é ✓\"\n\
             [[reports]]\nsource = \"a\"\nclaim = \"denied\"\nstance = \"deny\"\n",
            // No title, no warnings, several claims.
            "[[reports]]\nsource = \"a\"\nclaim = \"c1\"\n\
             [[reports]]\nsource = \"b\"\nclaim = \"c2\"\ncites = [\"a\"]\n",
            // No claims at all.
            "title = \"empty\"\n",
        ];
        // Loops, cycles, a claim without sources, warnings: each shape met.
        let mut seen = (false, false, false, false);
        for text in cases {
            let loaded =
                load_str("case.toml", text, Format::Toml, &LoadOptions::default()).unwrap();
            let case = &loaded.case;
            let ids: Vec<u32> = (0..case.claims.len() as u32).collect();
            let analyses = analyze(case, &ids);
            seen.0 |= analyses.iter().any(|a| !a.loops.is_empty());
            seen.1 |= analyses
                .iter()
                .any(|a| a.roots.iter().any(|g| !g.cycle.is_empty()));
            seen.2 |= analyses.iter().any(|a| a.sources.is_empty());
            seen.3 |= !loaded.warnings.is_empty();
            for warnings in [&loaded.warnings[..], &[]] {
                assert_eq!(
                    json(case, &analyses, warnings),
                    json_in_one_piece(case, &analyses, warnings),
                    "{text}"
                );
            }
        }
        assert_eq!(seen, (true, true, true, true));
    }
}
