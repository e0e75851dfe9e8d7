//! The figures rendered for people and for scripts: the text report of
//! `analyze`, its JSON (the shape SPEC.md fixes), the PASS/FAIL lines of
//! `check` and the chains of `trace`. Everything here is a pure function of
//! the case and the analysis, so the same input gives the same bytes.

use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::{ClaimAnalysis, RootGroup, Trace, TraceStep};
use crate::diag::Diagnostic;
use crate::model::{Case, Kind, Stance};

/// How a verdict counts origins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counting {
    /// Count anonymous origins as independent.
    pub anonymous: bool,
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
/// kheirullah, isis-video, russian-intel; 2 anonymous; first reported 2015-12".
pub fn verdict(case: &Case, a: &ClaimAnalysis, counting: Counting) -> String {
    let named: Vec<String> = a
        .roots
        .iter()
        .filter(|g| !g.anonymous)
        .map(|g| group_label(case, g))
        .collect();
    let anon: Vec<String> = a
        .roots
        .iter()
        .filter(|g| g.anonymous)
        .map(|g| group_label(case, g))
        .collect();
    let mut s = String::new();
    if a.independent == 0 {
        s.push_str("no support reports: no origin");
    } else if counting.anonymous {
        let all: Vec<String> = a.roots.iter().map(|g| group_label(case, g)).collect();
        let _ = write!(
            s,
            "{}: {}",
            plural(a.independent, "independent origin", "independent origins"),
            all.join(", ")
        );
        if a.anonymous > 0 {
            let _ = write!(s, " ({} anonymous)", a.anonymous);
        }
    } else {
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
                named.join(", ")
            );
        }
        if a.anonymous > 0 {
            let _ = write!(s, "; {} anonymous: {}", a.anonymous, anon.join(", "));
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

/// The count a verdict is judged on: named origins, or all of them.
pub fn counted(a: &ClaimAnalysis, counting: Counting) -> u32 {
    if counting.anonymous {
        a.independent
    } else {
        a.named
    }
}

/// The readable report of `analyze`.
pub fn text(case: &Case, analyses: &[ClaimAnalysis], counting: Counting) -> String {
    let mut out = String::new();
    if let Some(t) = &case.title {
        let _ = writeln!(out, "{t}\n{}\n", "=".repeat(t.chars().count().min(100)));
    }
    let by_claim = stance_counts(case);
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
        let [sup, deny, query, comment] = by_claim[a.claim as usize];
        let mut parts = vec![format!("{sup} support")];
        for (n, w) in [(deny, "deny"), (query, "query"), (comment, "comment")] {
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
            let mut rows = vec![row(["origins", "kind", "reach"])];
            for g in &a.roots {
                rows.push(row([
                    &group_label(case, g),
                    &group_kind(case, g),
                    &g.reach.to_string(),
                ]));
            }
            table(&mut out, &rows, &[false, false, true]);
            for g in a.roots.iter().filter(|g| g.circular) {
                let _ = writeln!(out, "    circular: {}", cycle_text(case, g));
            }
        }
        if !a.sources.is_empty() {
            out.push('\n');
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

fn stance_counts(case: &Case) -> Vec<[u32; 4]> {
    let mut by = vec![[0u32; 4]; case.claims.len()];
    for r in &case.reports {
        let i = match r.stance {
            Stance::Support => 0,
            Stance::Deny => 1,
            Stance::Query => 2,
            Stance::Comment => 3,
        };
        by[r.claim as usize][i] += 1;
    }
    by
}

#[derive(Serialize)]
struct JsonOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    claims: Vec<JsonClaim<'a>>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct JsonClaim<'a> {
    id: &'a str,
    text: &'a str,
    reports: u32,
    independent: u32,
    anonymous: u32,
    named: u32,
    single_source: bool,
    first_reported: Option<String>,
    roots: Vec<JsonGroup<'a>>,
    sources: Vec<JsonSource<'a>>,
    denials: JsonDenials<'a>,
    loops: Vec<JsonGroup<'a>>,
    first_supported: Option<String>,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    sources: Vec<&'a str>,
    circular: bool,
    anonymous: bool,
    reach: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    cycle: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    id: &'a str,
    roots: u32,
    chains: u32,
}

#[derive(Serialize)]
struct JsonDenials<'a> {
    independent: u32,
    roots: Vec<JsonGroup<'a>>,
}

fn json_group<'a>(case: &'a Case, g: &RootGroup) -> JsonGroup<'a> {
    let id = |s: &u32| case.source(*s).id.as_str();
    JsonGroup {
        sources: g.sources.iter().map(id).collect(),
        circular: g.circular,
        anonymous: g.anonymous,
        reach: g.reach,
        cycle: g.cycle.iter().map(id).collect(),
    }
}

/// The JSON of `analyze --format json`, as SPEC.md fixes it (with `title`,
/// `loops`, `first_supported` and each circular group's `cycle` added).
pub fn json(case: &Case, analyses: &[ClaimAnalysis], warnings: &[Diagnostic]) -> String {
    let claims = analyses
        .iter()
        .map(|a| {
            let c = case.claim(a.claim);
            JsonClaim {
                id: &c.id,
                text: &c.text,
                reports: a.reports,
                independent: a.independent,
                anonymous: a.anonymous,
                named: a.named,
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
        })
        .collect();
    let out = JsonOut {
        title: case.title.as_deref(),
        claims,
        warnings: warnings
            .iter()
            .map(|d| format!("{}: {}", d.at, d.message))
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("serialising plain data cannot fail");
    s.push('\n');
    s
}

/// The PASS/FAIL lines of `check`, one per claim, and whether all passed.
///
/// `PASS in-libya named=3 anonymous=2 independent=5 min=2 counts=named roots=a,b+c,d`
pub fn check(
    case: &Case,
    analyses: &[ClaimAnalysis],
    min: u32,
    counting: Counting,
) -> (String, bool) {
    let mut out = String::new();
    let mut all = true;
    for a in analyses {
        let pass = counted(a, counting) >= min;
        all &= pass;
        let roots: Vec<String> = a.roots.iter().map(|g| group_label(case, g)).collect();
        let what = if counting.anonymous {
            "independent"
        } else {
            "named"
        };
        let _ = writeln!(
            out,
            "{} {} named={} anonymous={} independent={} min={min} counts={what} roots={}",
            if pass { "PASS" } else { "FAIL" },
            case.claim(a.claim).id,
            a.named,
            a.anonymous,
            a.independent,
            if roots.is_empty() {
                "-".to_owned()
            } else {
                roots.join(",")
            },
        );
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
