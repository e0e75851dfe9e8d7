//! The page: one self-contained HTML file that explains a case offline.
//!
//! It holds the case's title, a list of claims with a verdict badge each,
//! and one section per claim with its timeline strip and its Graphviz
//! diagram as inline SVG. Clicking a source (or pressing Enter on it)
//! highlights its chains to the root groups, exactly the chains of
//! `rumorgraph trace`, and fills a side panel with them and with every
//! report of the source: date, stance, quote, notes and a link to the
//! article. A search box finds a source or a claim by id or name.
//!
//! Nothing is fetched: the style sheet and the script are inline, and the
//! Content-Security-Policy allows exactly those two (by their SHA-256) and
//! nothing else (`default-src 'none'`). Everything taken from the case
//! reaches the page as escaped text: in markup through [`xml_escape`], in
//! the script's data as JSON inside a `<script type="application/json">`
//! block with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`,
//! and the script writes it into the page with `textContent` only. Only
//! `http` and `https` URLs become links.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::dot::{date_label, link_url};
use super::{credibility, plural, trace as trace_text, xml_escape, Credibility};
use crate::analysis::{bottleneck, trace, ClaimAnalysis, GroupBasis, Relay, Timeline};
use crate::model::{Case, SourceIdx, Stance};

const CSS: &str = include_str!("html/page.css");
const JS: &str = include_str!("html/page.js");

/// The most chains the panel lists for one source; `rumorgraph trace
/// --max-paths N` lists more.
pub const PAGE_MAX_PATHS: usize = 100;

/// One claim's part of the page: its analysis, its reports, its diagram as
/// SVG (drawn without links, with the node ids of
/// [`super::dot::render_with_options`] numbered from this claim's place in
/// the page), and its timeline.
pub struct ClaimPart<'a> {
    pub analysis: &'a ClaimAnalysis,
    pub reports: &'a [u32],
    pub svg: String,
    pub timeline: &'a Timeline,
}

#[derive(Serialize)]
struct Data {
    claims: Vec<ClaimData>,
}

#[derive(Serialize)]
struct ClaimData {
    id: String,
    text: String,
    /// By source index, as in the SVG ids `n{k}-{s}`.
    sources: BTreeMap<SourceIdx, SourceData>,
}

#[derive(Serialize)]
struct SourceData {
    id: String,
    name: String,
    kind: &'static str,
    reliability: Option<String>,
    first: Option<String>,
    roots: u32,
    chains: u32,
    origin: Option<&'static str>,
    relays: Vec<String>,
    /// The lines of `rumorgraph trace --max-paths 100`, the cut line apart.
    trace: Vec<String>,
    cut: Option<String>,
    /// SVG ids of the nodes and edges of the chains.
    nodes: Vec<String>,
    edges: Vec<String>,
    reports: Vec<ReportData>,
}

#[derive(Serialize)]
struct ReportData {
    date: Option<String>,
    stance: &'static str,
    basis: &'static str,
    cites: Vec<String>,
    quote: Option<String>,
    notes: Option<String>,
    url: Option<String>,
    link: Option<String>,
}

/// The page for `parts`, one section per claim, in order.
pub fn page(case: &Case, parts: &[ClaimPart]) -> String {
    let data = Data {
        claims: parts
            .iter()
            .enumerate()
            .map(|(k, p)| claim_data(case, k, p))
            .collect(),
    };
    let json = serde_json::to_string(&data).expect("plain data serializes");
    let json = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");

    let title = case.title.as_deref().unwrap_or("rumorgraph case");
    let mut out =
        String::with_capacity(64 * 1024 + parts.iter().map(|p| p.svg.len()).sum::<usize>());
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '{}'; style-src '{}'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
        csp_hash(JS),
        csp_hash(CSS)
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"rumorgraph {}\">\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(&format!("<title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));

    // Header: title, what the page holds, search.
    out.push_str("<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", xml_escape(title)));
    let reports: usize = parts.iter().map(|p| p.reports.len()).sum();
    let mut meta = format!(
        "{} · {} · drawn by rumorgraph {}",
        plural(parts.len() as u32, "claim", "claims"),
        plural(reports as u32, "report", "reports"),
        env!("CARGO_PKG_VERSION")
    );
    if let Some(a) = &case.as_of {
        meta.push_str(&format!(
            " · the record as of {}: {} dated later and {} undated left out",
            a.day_text(),
            plural(a.later, "report", "reports"),
            plural(a.undated, "report", "reports")
        ));
    }
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", xml_escape(&meta)));
    out.push_str(
        "<div class=\"search\" role=\"search\"><label for=\"q\">Find a source or a claim by id or name</label>\
         <input id=\"q\" type=\"search\" autocomplete=\"off\" placeholder=\"e.g. fars\"><ul id=\"results\" aria-live=\"polite\"></ul></div>\n",
    );
    out.push_str("</header>\n");

    // The claims, with their badges.
    out.push_str("<nav class=\"claims\" aria-label=\"claims\"><h2>Claims</h2><ul>\n");
    for (k, p) in parts.iter().enumerate() {
        let claim = case.claim(p.analysis.claim);
        out.push_str(&format!(
            "<li><a href=\"#claim-{k}\">{}</a> {} {}</li>\n",
            xml_escape(&claim.id),
            badges(case, p.analysis),
            xml_escape(&claim.text)
        ));
    }
    out.push_str("</ul></nav>\n<div class=\"layout\">\n<main>\n");

    for (k, p) in parts.iter().enumerate() {
        let a = p.analysis;
        let claim = case.claim(a.claim);
        out.push_str(&format!("<section class=\"claim\" id=\"claim-{k}\">\n"));
        out.push_str(&format!(
            "<h2>{}: {}</h2>\n<p>{}</p>\n",
            xml_escape(&claim.id),
            xml_escape(&claim.text),
            badges(case, a)
        ));
        let (c, why) = credibility(case, a);
        out.push_str(&format!(
            "<p class=\"why\">credibility: {} ({})</p>\n",
            c.as_str(),
            xml_escape(&why)
        ));
        out.push_str(&strip(p.timeline));
        out.push_str("<div class=\"diagram\">\n");
        out.push_str(&inline_svg(&p.svg));
        out.push_str("</div>\n</section>\n");
    }
    out.push_str("</main>\n<aside id=\"panel\" aria-live=\"polite\" aria-label=\"selected source\"><p class=\"hint\">Click a source in a diagram (or Tab to it and press Enter) to see its chains to the origins and its reports. Esc clears.</p></aside>\n</div>\n");
    out.push_str("<pre id=\"test-result\" hidden></pre>\n");
    out.push_str(&format!(
        "<script type=\"application/json\" id=\"rumorgraph-data\">{json}</script>\n"
    ));
    out.push_str(&format!("<script>{JS}</script>\n</body>\n</html>\n"));
    out
}

/// `'sha256-…'` of a script or style, for the Content-Security-Policy.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The verdict badges of a claim, as markup.
fn badges(case: &Case, a: &ClaimAnalysis) -> String {
    let mut b: Vec<(&str, String)> = Vec::new();
    if a.independent == 0 {
        b.push(("single", "NO SUPPORT".to_owned()));
    } else {
        b.push(("named", format!("{} named", a.named)));
        for (n, cls, word) in [
            (a.anonymous, "anonymous", "anonymous"),
            (a.undisclosed, "undisclosed", "undisclosed"),
            (a.unknown, "unknown", "unknown"),
            (a.retracted, "retracted", "retracted"),
        ] {
            if n > 0 {
                b.push((cls, format!("{n} {word}")));
            }
        }
        if a.single_source {
            b.push(("single", "SINGLE SOURCE".to_owned()));
        }
    }
    if a.roots.iter().chain(&a.loops).any(|g| g.circular) {
        b.push(("circular", "CIRCULAR".to_owned()));
    }
    if a.denials.independent > 0 {
        b.push(("denied", format!("denied by {}", a.denials.independent)));
    }
    let (c, _) = credibility(case, a);
    let cls = if c == Credibility::Eligible1 {
        "eligible"
    } else {
        "cred"
    };
    b.push((cls, c.as_str().to_owned()));
    b.iter()
        .map(|(cls, text)| format!("<span class=\"badge {cls}\">{}</span>", xml_escape(text)))
        .collect::<Vec<_>>()
        .join("")
}

/// The timeline strip of a claim: the days its figures changed.
fn strip(t: &Timeline) -> String {
    if t.steps.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ol class=\"strip\" aria-label=\"timeline\">");
    for s in &t.steps {
        let (y, m, d) = s.day;
        out.push_str(&format!(
            "<li><time datetime=\"{y:04}-{m:02}-{d:02}\">{y:04}-{m:02}-{d:02}</time>{}</li>",
            xml_escape(&s.changes.join("; "))
        ));
    }
    if t.undated > 0 {
        out.push_str(&format!(
            "<li><time>undated</time>{}</li>",
            xml_escape(&plural(t.undated, "report", "reports"))
        ));
    }
    out.push_str("</ol>\n");
    out
}

/// Graphviz's SVG without its XML prolog, doctype and comments, ready to
/// sit inside the page.
fn inline_svg(svg: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn claim_data(case: &Case, k: usize, p: &ClaimPart) -> ClaimData {
    let a = p.analysis;
    let claim = case.claim(a.claim);
    // Support edges, to light up only edges that are drawn.
    let mut support: BTreeSet<(SourceIdx, SourceIdx)> = BTreeSet::new();
    let mut by_source: BTreeMap<SourceIdx, Vec<u32>> = BTreeMap::new();
    for &ri in p.reports {
        let r = &case.reports[ri as usize];
        by_source.entry(r.source).or_default().push(ri);
        if r.stance == Stance::Support {
            for &u in &r.cites {
                support.insert((u, r.source));
            }
        }
        for &u in &r.cites {
            by_source.entry(u).or_default();
        }
    }
    let figures: BTreeMap<SourceIdx, _> = a.sources.iter().map(|f| (f.source, f)).collect();
    let mut sources = BTreeMap::new();
    for (&s, reports) in &by_source {
        let src = case.source(s);
        let fig = figures.get(&s);
        let t = trace(case, a, p.reports, s, PAGE_MAX_PATHS);
        let text = trace_text::trace(case, a, &t, PAGE_MAX_PATHS);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let cut = t.truncated.then(|| lines.pop()).flatten();
        // The nodes and edges of the chains.
        let mut nodes = BTreeSet::new();
        let mut edges = BTreeSet::new();
        for path in &t.paths {
            let mut prev: Vec<SourceIdx> = Vec::new();
            for step in path {
                let here: Vec<SourceIdx> = match *step {
                    crate::analysis::TraceStep::Root(g) => a.roots[g as usize].sources.to_vec(),
                    crate::analysis::TraceStep::Source(v) => vec![v],
                };
                for &v in &here {
                    nodes.insert(v);
                    for &u in &prev {
                        if support.contains(&(u, v)) {
                            edges.insert(format!("e{k}-{u}-{v}-0"));
                        }
                    }
                }
                prev = here;
            }
        }
        let origin = fig
            .and_then(|f| f.in_root)
            .map(|g| a.roots[g as usize].basis)
            .map(GroupBasis::as_str);
        let relays = match fig {
            Some(f) if f.in_root.is_none() && f.chains < f.roots => {
                bottleneck(case, a, p.reports, s)
                    .into_iter()
                    .map(|r| match r {
                        Relay::Root(i) => super::group_label(case, &a.roots[i as usize]),
                        Relay::Source(v) => case.source_id(v).to_owned(),
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let mut rs = reports.clone();
        rs.sort_by_key(|&ri| (case.reports[ri as usize].date.map(|d| d.first_day()), ri));
        let first = rs
            .iter()
            .filter_map(|&ri| case.reports[ri as usize].date)
            .min()
            .map(date_label);
        sources.insert(
            s,
            SourceData {
                id: case.source_id(s).to_owned(),
                name: case.source_name(s).to_owned(),
                kind: src.kind.as_str(),
                reliability: src.reliability.map(|c| c.to_string()),
                first,
                roots: fig.map_or(0, |f| f.roots),
                chains: fig.map_or(0, |f| f.chains),
                origin,
                relays,
                trace: lines,
                cut,
                nodes: nodes.iter().map(|v| format!("n{k}-{v}")).collect(),
                edges: edges.into_iter().collect(),
                reports: rs
                    .iter()
                    .map(|&ri| {
                        let r = &case.reports[ri as usize];
                        ReportData {
                            date: r.date.map(date_label),
                            stance: r.stance.as_str(),
                            basis: r.basis.as_str(),
                            cites: r
                                .cites
                                .iter()
                                .map(|&c| case.source_name(c).to_owned())
                                .collect(),
                            quote: r.quote().map(str::to_owned),
                            notes: r.notes().map(str::to_owned),
                            url: r.url().map(str::to_owned),
                            link: r.url().and_then(link_url).map(str::to_owned),
                        }
                    })
                    .collect(),
            },
        );
    }
    ClaimData {
        id: claim.id.clone(),
        text: claim.text.clone(),
        sources,
    }
}
