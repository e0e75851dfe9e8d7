//! Graphviz diagrams of the claims' citation graphs, built with graphviz-rust
//! and printed by it.
//!
//! graphviz-rust writes ids and labels exactly as it is given them, so every
//! id and every label goes through [`quote`], the one escaping function here:
//! whatever a researcher typed (quotes, backslashes, line breaks, `<b>html</b>`,
//! braces, DOT keywords, right-to-left text) comes out as one well-formed DOT
//! string that Graphviz shows as written.
//!
//! The drawing tells the story left to right: one box per claim, titled with
//! the claim and its verdict; origins filled in one strong colour on the left,
//! the outlets that repeated them to the right; circular groups boxed in red
//! with their cycle drawn in red; denials in red dashed edges and red outlined
//! nodes; a node's shape says its kind; when reports are dated, a time axis
//! ranks the sources by their first report. A small legend explains it all.

use std::collections::BTreeMap;
use std::io;

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::analysis::{bottleneck, ClaimAnalysis, GroupBasis, Relay, RootGroup, SourceFigures};
use crate::error::{Error, Result};
use crate::model::{Case, Kind, PartialDate, SourceIdx, Stance};
use crate::output;

/// The strong fill of origins.
const ORIGIN_FILL: &str = "#1f4e9c";
/// The fill of anonymous origins: the same hue, light, with dark text, so
/// "anonymous" reads at a glance and prints legibly.
const ANON_ORIGIN_FILL: &str = "#b7c9ea";
/// The fill of origins that assert without saying where the claim came
/// from (basis `undisclosed`): not counted as named, so not blue.
const UNDISCLOSED_FILL: &str = "#f2d59b";
/// The fill of origins of unknown kind: not counted as named.
const UNKNOWN_FILL: &str = "#dddddd";
/// Circular groups and denials.
const RED: &str = "#c62828";
const GREY: &str = "#777777";

/// `s` as one DOT string, quotes included: `"` and `\` are escaped, a line
/// break becomes `\n` (and a carriage return `\r`), so the string is always
/// one well-formed token and Graphviz prints the text as written.
///
/// ```
/// use rumorgraph::export::dot::{quote, unquote};
/// assert_eq!(quote("say \"hi\"\\now"), r#""say \"hi\"\\now""#);
/// assert_eq!(unquote(&quote("two\nlines")).as_deref(), Some("two\nlines"));
/// ```
pub fn quote(s: &str) -> String {
    escape(s, "\\n", "")
}

/// Like [`quote`], for titles: every line break becomes `\l`, Graphviz's
/// left-justified line end, and the last line ends with one too, so a
/// multi-line title reads as a left-aligned paragraph.
///
/// ```
/// use rumorgraph::export::dot::{quote_left, unquote};
/// assert_eq!(quote_left("a\nb"), r#""a\lb\l""#);
/// assert_eq!(unquote(&quote_left("a\nb")).as_deref(), Some("a\nb\n"));
/// ```
pub fn quote_left(s: &str) -> String {
    escape(s, "\\l", "\\l")
}

/// The one escaping function behind every id and label: `"` and `\` are
/// escaped, a line break becomes `line_break`, a carriage return `\r`, and
/// `end` closes the text before the final quote.
fn escape(s: &str, line_break: &str, end: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2 + end.len());
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str(line_break),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
    out.push_str(end);
    out.push('"');
    out
}

/// The text of a DOT string written by [`quote`] or [`quote_left`] (`\l`
/// reads as a line break); `None` when `s` is not one.
pub fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' | 'l' => out.push('\n'),
            'r' => out.push('\r'),
            other => out.push(other),
        }
    }
    Some(out)
}

fn id(s: &str) -> Id {
    Id::Escaped(quote(s))
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_owned()), id(v))
}

fn node(name: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Node(Node::new(NodeId(id(name), None), attrs))
}

fn edge(from: &str, to: &str, attrs: Vec<Attribute>) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(
            Vertex::N(NodeId(id(from), None)),
            Vertex::N(NodeId(id(to), None)),
        ),
        attributes: attrs,
    })
}

fn subgraph(name: &str, stmts: Vec<Stmt>) -> Stmt {
    Stmt::Subgraph(Subgraph {
        id: id(name),
        stmts,
    })
}

fn graph_attrs(attrs: Vec<Attribute>) -> Stmt {
    Stmt::GAttribute(GraphAttributes::Graph(attrs))
}

/// The shape that stands for a kind of source.
pub fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Outlet => "box",
        Kind::Person => "ellipse",
        Kind::Agency => "house",
        Kind::Document => "note",
        Kind::Social => "parallelogram",
        Kind::Anonymous => "hexagon",
        Kind::Unknown => "octagon",
    }
}

/// How a diagram is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Nodes and edges link to their article (`http` and `https` URLs
    /// only). The page turns this off: there a click selects a source.
    pub links: bool,
    /// The case's title above the drawing (the page has it in its header).
    pub title: bool,
    /// Added to each claim's place in the SVG ids, so that diagrams drawn
    /// one claim at a time can share a page without clashing ids.
    pub claim_offset: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            links: true,
            title: true,
            claim_offset: 0,
        }
    }
}

/// Names wrap at about this many characters a line.
const NAME_WIDTH: usize = 22;
/// Claim titles wrap at about this many characters a line.
const TITLE_WIDTH: usize = 64;
/// The longest quote a tooltip shows, in characters.
const QUOTE_CHARS: usize = 240;
/// The most reports a node's tooltip lists.
const TOOLTIP_REPORTS: usize = 4;
/// Above this many sources in a claim, a tooltip gives roots and chains
/// without naming the bottleneck relays (each is a max-flow of its own).
const BOTTLENECK_SOURCES: usize = 3000;

/// What the diagram knows about one source within one claim.
#[derive(Default)]
struct NodeInfo {
    first: Option<PartialDate>,
    supports: bool,
    denies: bool,
    other: bool,
    retracts: bool,
    /// The source's reports on this claim, by index.
    reports: Vec<u32>,
}

/// The marks a drawing uses, so that its legend explains those and no others.
#[derive(Default)]
struct Used {
    kinds: [bool; 7],
    bases: [bool; 4],
    retracted: bool,
    denier: bool,
    other_only: bool,
    fewer_chains: bool,
    support: bool,
    deny: bool,
    query: bool,
    circular: bool,
    single_source: bool,
    partial_date: bool,
}

/// The DOT text of the claims' diagrams, one cluster per claim, with links.
pub fn render(case: &Case, analyses: &[ClaimAnalysis]) -> String {
    render_with_options(case, analyses, Options::default())
}

/// The DOT text of the claims' diagrams, drawn as `options` say.
///
/// Every source node has the SVG id `n{k}-{s}` and every edge `e{k}-{u}-{v}-{t}`
/// (`k` the claim's place in `analyses`, `s`, `u`, `v` source indices, `t` 0
/// for support, 1 deny, 2 query, 3 comment or retraction): ids made of
/// numbers only, so no input text reaches an attribute name or an id.
pub fn render_with_options(case: &Case, analyses: &[ClaimAnalysis], options: Options) -> String {
    let by_claim = case.reports_by_claim();
    let mut stmts = vec![
        graph_attrs(vec![
            attr("rankdir", "LR"),
            attr("newrank", "true"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "12"),
            attr("nodesep", "0.2"),
            attr("ranksep", "0.4"),
            attr("labelloc", "t"),
            attr("labeljust", "l"),
            Attribute(
                Id::Plain("label".into()),
                Id::Escaped(quote_left(if options.title {
                    case.title.as_deref().unwrap_or("")
                } else {
                    ""
                })),
            ),
        ]),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "10"),
            attr("style", "filled"),
            attr("fillcolor", "white"),
            attr("margin", "0.06,0.03"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("color", "#444444"),
            attr("arrowsize", "0.7"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
        ])),
    ];
    let mut used = Used::default();
    let mut clusters = Vec::with_capacity(analyses.len());
    for (k, a) in analyses.iter().enumerate() {
        clusters.push(claim_cluster(
            case,
            k + options.claim_offset,
            a,
            &by_claim[a.claim as usize],
            options,
            &mut used,
        ));
    }
    // Graphviz stacks the boxes of a left-to-right drawing from the bottom
    // up: the legend goes first to sit at the bottom, then the claims from
    // last to first so that the first claim is on top.
    stmts.push(legend(&used));
    stmts.extend(clusters.into_iter().rev());

    let g = Graph::DiGraph {
        id: id("rumorgraph"),
        strict: false,
        stmts,
    };
    let mut ctx = PrinterContext::default();
    let mut text = g.print(&mut ctx);
    text.push('\n');
    text
}

/// A date as the diagram writes it: a partial date says it is one.
pub fn date_label(d: PartialDate) -> String {
    match (d.month, d.day) {
        (Some(_), Some(_)) => d.to_string(),
        (Some(_), None) => format!("{d} (month only)"),
        _ => format!("{d} (year only)"),
    }
}

/// A date's place on the time axis: the last day of its period, then
/// precise dates before partial ones.
type DateKey = ((u16, u8, u8), u8);

/// Where a date goes on the time axis: at the end of its period, after
/// every precise date inside it, so that a report known only to be "in
/// 2016" is never drawn before one of 2016-03-07 that it may follow.
fn date_key(d: PartialDate) -> DateKey {
    (d.last_day(), 3 - d.precision().min(3))
}

/// `url` when it may become a link: `http` or `https`, nothing else (never
/// `javascript:` or `data:`).
pub fn link_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(u)
}

/// At most `max` characters of `s`, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

fn claim_cluster(
    case: &Case,
    k: usize,
    a: &ClaimAnalysis,
    reports: &[u32],
    options: Options,
    used: &mut Used,
) -> Stmt {
    let claim = case.claim(a.claim);
    let prefix = format!("{}/", claim.id);
    let name = |s: SourceIdx| format!("{prefix}{}", case.source_id(s));

    // Every source of the claim's reports and citations, in id order.
    let mut nodes: BTreeMap<u32, (SourceIdx, NodeInfo)> = BTreeMap::new();
    let rank = case.source_rank();
    // (cited rank, citing rank, stance order) to (cited, citing, stance,
    // the first report giving the edge).
    type EdgeKey = (u32, u32, u8);
    let mut edges: BTreeMap<EdgeKey, (SourceIdx, SourceIdx, Stance, u32)> = BTreeMap::new();
    for &ri in reports {
        let r = &case.reports[ri as usize];
        let info = &mut nodes
            .entry(rank[r.source as usize])
            .or_insert_with(|| (r.source, NodeInfo::default()))
            .1;
        info.reports.push(ri);
        if let Some(d) = r.date {
            info.first = Some(info.first.map_or(d, |f| f.min(d)));
        }
        match r.stance {
            Stance::Support => info.supports = true,
            Stance::Deny => info.denies = true,
            Stance::Query | Stance::Comment => info.other = true,
            Stance::Retract => info.retracts = true,
        }
        for &u in &r.cites {
            nodes
                .entry(rank[u as usize])
                .or_insert_with(|| (u, NodeInfo::default()));
            edges
                .entry((
                    rank[u as usize],
                    rank[r.source as usize],
                    stance_order(r.stance),
                ))
                .or_insert((u, r.source, r.stance, ri));
        }
    }

    let mut root_of: BTreeMap<SourceIdx, &RootGroup> = BTreeMap::new();
    for g in &a.roots {
        for &s in &g.sources {
            root_of.insert(s, g);
        }
    }
    let figures: BTreeMap<SourceIdx, &SourceFigures> =
        a.sources.iter().map(|f| (f.source, f)).collect();
    let verdict = cluster_verdict(case, a);
    let title = if claim.text.is_empty() {
        claim.id.clone()
    } else {
        format!("{}: {}", claim.id, claim.text)
    };
    used.single_source |= a.single_source;
    let mut stmts = vec![graph_attrs(vec![
        Attribute(
            Id::Plain("label".into()),
            Id::Escaped(quote_left(&format!(
                "{}\n{verdict}",
                wrap(&title, TITLE_WIDTH)
            ))),
        ),
        attr("style", "rounded"),
        attr("color", if a.single_source { RED } else { "#888888" }),
        attr("penwidth", if a.single_source { "2" } else { "1" }),
        attr("fontsize", "12"),
    ])];

    let draw = |s: SourceIdx, info: &NodeInfo, used: &mut Used| {
        let fig = figures.get(&s).copied();
        let cut = fig
            .filter(|f| f.in_root.is_none() && f.chains < f.roots)
            .map(|_| {
                if a.sources.len() > BOTTLENECK_SOURCES {
                    return String::new();
                }
                bottleneck(case, a, reports, s)
                    .into_iter()
                    .map(|r| match r {
                        Relay::Root(i) => group_names(case, &a.roots[i as usize]),
                        Relay::Source(v) => case.source_name(v).to_owned(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            });
        source_node(
            case,
            k,
            &name(s),
            s,
            info,
            root_of.get(&s).copied(),
            fig,
            cut,
            options,
            used,
        )
    };

    // Circular groups, at the root and downstream, each boxed in red.
    let mut in_circle: BTreeMap<SourceIdx, ()> = BTreeMap::new();
    for (j, g) in a
        .roots
        .iter()
        .chain(&a.loops)
        .filter(|g| g.circular)
        .enumerate()
    {
        used.circular = true;
        let mut inner = vec![graph_attrs(vec![
            attr("label", "CIRCULAR"),
            attr("color", RED),
            attr("fontcolor", RED),
            attr("style", "dashed,rounded"),
            attr("penwidth", "1.5"),
        ])];
        for &s in &g.sources {
            in_circle.insert(s, ());
            if let Some((_, info)) = nodes.get(&rank[s as usize]) {
                inner.push(draw(s, info, used));
            }
        }
        stmts.push(subgraph(&format!("cluster_{k}_circle_{j}"), inner));
    }
    for (s, info) in nodes.values() {
        if !in_circle.contains_key(s) {
            stmts.push(draw(*s, info, used));
        }
    }

    // The cycles of circular groups are drawn in red.
    let mut cycle_edges: Vec<(SourceIdx, SourceIdx)> = Vec::new();
    for g in a.roots.iter().chain(&a.loops).filter(|g| g.circular) {
        cycle_edges.extend(g.cycle.windows(2).map(|w| (w[0], w[1])));
    }
    // An edge from a source first heard later than the one citing it would
    // pull the timeline backwards: it is drawn but does not rank the nodes.
    let date_of = |x: SourceIdx| nodes.get(&rank[x as usize]).and_then(|(_, i)| i.first);
    for &(u, v, stance, ri) in edges.values() {
        let mut attrs = match stance {
            Stance::Support if cycle_edges.contains(&(u, v)) => {
                vec![attr("color", RED), attr("penwidth", "1.8")]
            }
            Stance::Support => vec![],
            Stance::Deny => vec![
                attr("color", RED),
                attr("style", "dashed"),
                attr("fontcolor", RED),
                attr("label", "deny"),
            ],
            Stance::Query => vec![
                attr("color", GREY),
                attr("style", "dotted"),
                attr("fontcolor", GREY),
                attr("label", "query"),
            ],
            Stance::Comment | Stance::Retract => vec![
                attr("color", GREY),
                attr("style", "dotted"),
                attr("fontcolor", GREY),
                attr("label", stance.as_str()),
            ],
        };
        match stance {
            Stance::Support => used.support = true,
            Stance::Deny => used.deny = true,
            _ => used.query = true,
        }
        if let (Some(du), Some(dv)) = (date_of(u), date_of(v)) {
            if date_key(du) > date_key(dv) {
                attrs.push(attr("constraint", "false"));
            }
        }
        let r = &case.reports[ri as usize];
        let mut tip = format!(
            "{} cites {} ({})",
            case.source_name(v),
            case.source_name(u),
            stance.as_str()
        );
        report_lines(&mut tip, r);
        attrs.push(attr("tooltip", &tip));
        attrs.push(attr(
            "id",
            &format!("e{k}-{u}-{v}-{}", stance_order(stance)),
        ));
        if options.links {
            if let Some(url) = r.url().and_then(link_url) {
                attrs.push(attr("URL", url));
            }
        }
        stmts.push(edge(&name(u), &name(v), attrs));
    }

    // A time axis: one small date per distinct first-report date, chained
    // left to right, with each dated source ranked beside its date. A
    // partial date sits at the end of its period and says it is partial.
    let mut dates: BTreeMap<DateKey, (PartialDate, Vec<SourceIdx>)> = BTreeMap::new();
    for (s, info) in nodes.values() {
        if let Some(d) = info.first {
            dates
                .entry(date_key(d))
                .or_insert((d, Vec::new()))
                .1
                .push(*s);
        }
    }
    if dates.len() > 1 {
        let axis = |d: &PartialDate| format!("{prefix}@{d}");
        let mut prev: Option<String> = None;
        for (d, members) in dates.values() {
            let an = axis(d);
            stmts.push(node(
                &an,
                vec![
                    attr("shape", "plaintext"),
                    attr("label", &wrap(&date_label(*d), 12)),
                    attr("fontcolor", GREY),
                    attr("style", ""),
                ],
            ));
            if let Some(p) = prev {
                stmts.push(edge(
                    &p,
                    &an,
                    vec![attr("style", "invis"), attr("weight", "10")],
                ));
            }
            let mut same = vec![Stmt::Attribute(Attribute(
                Id::Plain("rank".into()),
                Id::Plain("same".into()),
            ))];
            same.push(node(&an, vec![]));
            same.extend(members.iter().map(|&s| node(&name(s), vec![])));
            stmts.push(subgraph(&format!("{prefix}rank {d}"), same));
            prev = Some(an);
        }
    }
    subgraph(&format!("cluster_{k}"), stmts)
}

/// The order of a stance among a pair's edges, and the last part of the
/// edge's SVG id.
fn stance_order(stance: Stance) -> u8 {
    match stance {
        Stance::Support => 0,
        Stance::Deny => 1,
        Stance::Query => 2,
        Stance::Comment | Stance::Retract => 3,
    }
}

/// Appends a report's date, quote and URL to a tooltip, a line each.
fn report_lines(tip: &mut String, r: &crate::model::Report) {
    tip.push('\n');
    tip.push_str(&r.date.map_or_else(|| "undated".to_owned(), date_label));
    tip.push(' ');
    tip.push_str(r.stance.as_str());
    if let Some(q) = r.quote().filter(|q| !q.is_empty()) {
        tip.push_str(": “");
        tip.push_str(&shorten(q, QUOTE_CHARS));
        tip.push('”');
    }
    if let Some(url) = r.url().and_then(link_url) {
        tip.push('\n');
        tip.push_str(url);
    }
}

/// A root group by its sources' names, as the nodes show them: `a`, or
/// `a + b + c` for a circular group.
fn group_names(case: &Case, g: &RootGroup) -> String {
    let names: Vec<&str> = g.sources.iter().map(|&s| case.source_name(s)).collect();
    names.join(" + ")
}

/// The verdict in a claim's title: "3 named independent origins", "SINGLE SOURCE", "CIRCULAR".
fn cluster_verdict(case: &Case, a: &ClaimAnalysis) -> String {
    let mut parts = Vec::new();
    if a.independent == 0 {
        parts.push("NO SUPPORT REPORTS".to_owned());
    } else if a.single_source {
        let named: Vec<String> = a
            .roots
            .iter()
            .filter(|g| g.basis == GroupBasis::Named && !g.retracted)
            .map(|g| group_names(case, g))
            .collect();
        parts.push(match named.as_slice() {
            [] => "SINGLE SOURCE: no named origin".to_owned(),
            [one] => format!("SINGLE SOURCE: {one}"),
            _ => "SINGLE SOURCE".to_owned(),
        });
    } else {
        parts.push(format!("{} named independent origins", a.named));
    }
    if a.anonymous > 0 {
        parts.push(format!("{} anonymous", a.anonymous));
    }
    if a.undisclosed > 0 {
        parts.push(format!("{} undisclosed", a.undisclosed));
    }
    if a.unknown > 0 {
        parts.push(format!("{} of unknown kind", a.unknown));
    }
    if a.retracted > 0 {
        parts.push(format!("{} retracted", a.retracted));
    }
    if a.roots.iter().chain(&a.loops).any(|g| g.circular) {
        parts.push("CIRCULAR".to_owned());
    }
    if a.denials.independent > 0 {
        parts.push(format!("denied by {}", a.denials.independent));
    }
    parts.join(" · ")
}

#[allow(clippy::too_many_arguments)]
fn source_node(
    case: &Case,
    k: usize,
    name: &str,
    s: SourceIdx,
    info: &NodeInfo,
    root: Option<&RootGroup>,
    fig: Option<&SourceFigures>,
    cut: Option<String>,
    options: Options,
    used: &mut Used,
) -> Stmt {
    let src = case.source(s);
    // The name as written, wrapped at spaces only.
    let mut label = wrap(case.source_name(s), NAME_WIDTH);
    if let Some(d) = info.first {
        label.push('\n');
        label.push_str(&date_label(d));
        used.partial_date |= d.day.is_none();
    }
    if info.retracts {
        label.push_str("\nretracted");
    }
    // The tooltip: who, what kind, when first, the figures, the reports.
    let mut tip = format!(
        "{}\n{}, id {}",
        case.source_name(s),
        src.kind.as_str(),
        case.source_id(s)
    );
    if let Some(r) = src.reliability {
        tip.push_str(&format!(", reliability {}", r));
    }
    if let Some(d) = info.first {
        tip.push_str(&format!("\nfirst report: {}", date_label(d)));
    }
    if let Some(f) = fig {
        tip.push_str(&format!("\nroots {}, chains {}", f.roots, f.chains));
        match cut.as_deref() {
            Some("") => {}
            Some(relays) => tip.push_str(&format!(": every chain passes through {relays}")),
            None => {}
        }
    }
    let mut sorted = info.reports.clone();
    sorted.sort_by_key(|&ri| (case.reports[ri as usize].date.map(date_key), ri));
    for &ri in sorted.iter().take(TOOLTIP_REPORTS) {
        report_lines(&mut tip, &case.reports[ri as usize]);
    }
    if sorted.len() > TOOLTIP_REPORTS {
        tip.push_str(&format!(
            "\nand {} more reports",
            sorted.len() - TOOLTIP_REPORTS
        ));
    }
    let mut attrs = vec![
        attr("label", &label),
        attr("shape", shape(src.kind)),
        attr("tooltip", &tip),
        attr("id", &format!("n{k}-{s}")),
    ];
    used.kinds[src.kind as usize] = true;
    if options.links {
        let url = sorted
            .iter()
            .filter_map(|&ri| case.reports[ri as usize].url())
            .chain(src.url())
            .find_map(link_url);
        if let Some(url) = url {
            attrs.push(attr("URL", url));
        }
    }
    let mut style = vec!["filled"];
    if src.kind == Kind::Anonymous {
        style.push("dashed");
    }
    if info.retracts {
        style.push("diagonals");
        used.retracted = true;
    }
    if let Some(g) = root {
        let (fill, text) = origin_colours(g.basis);
        attrs.push(attr("fillcolor", fill));
        attrs.push(attr("fontcolor", text));
        used.bases[g.basis as usize] = true;
    } else if !info.supports && !info.denies && info.other {
        attrs.push(attr("fontcolor", GREY));
        used.other_only = true;
    }
    // A double outline marks a source reached through fewer chains than
    // it has origins: some relay stands between it and them.
    if cut.is_some() {
        attrs.push(attr("peripheries", "2"));
        used.fewer_chains = true;
    }
    // A red outline marks a source that itself denies the claim.
    if info.denies {
        attrs.push(attr("color", RED));
        attrs.push(attr("penwidth", "2"));
        used.denier = true;
    }
    attrs.push(attr("style", &style.join(",")));
    node(name, attrs)
}

/// The fill and text colour of an origin of each basis.
fn origin_colours(b: GroupBasis) -> (&'static str, &'static str) {
    match b {
        GroupBasis::Named => (ORIGIN_FILL, "white"),
        GroupBasis::Anonymous => (ANON_ORIGIN_FILL, "black"),
        GroupBasis::Undisclosed => (UNDISCLOSED_FILL, "black"),
        GroupBasis::Unknown => (UNKNOWN_FILL, "black"),
    }
}

/// Breaks a long text into lines of about `width` characters by turning
/// some spaces into line breaks; nothing else of the text changes.
fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    for (li, line) in s.lines().enumerate() {
        if li > 0 {
            out.push('\n');
        }
        let mut len = 0;
        for (wi, word) in line.split(' ').enumerate() {
            let w = word.chars().count();
            if wi > 0 {
                if len + 1 + w > width && len > 0 {
                    out.push('\n');
                    len = 0;
                } else {
                    out.push(' ');
                    len += 1;
                }
            }
            out.push_str(word);
            len += w;
        }
    }
    if s.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The legend: the marks `used` draws, and no others, in three columns
/// (kinds, fills and outlines, boxes and arrows).
fn legend(used: &Used) -> Stmt {
    let same = |names: &[String]| {
        let mut stmts = vec![Stmt::Attribute(Attribute(
            Id::Plain("rank".into()),
            Id::Plain("same".into()),
        ))];
        stmts.extend(names.iter().map(|n| node(n, vec![])));
        stmts
    };
    let mut stmts = vec![
        graph_attrs(vec![
            attr("label", "legend"),
            attr("style", "rounded"),
            attr("color", "#bbbbbb"),
            attr("fontcolor", GREY),
            attr("fontsize", "9"),
        ]),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontsize", "8"),
            attr("height", "0.22"),
            attr("margin", "0.04,0.02"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontsize", "8"),
            attr("minlen", "1"),
        ])),
    ];
    let mut columns: Vec<Vec<String>> = Vec::new();

    // First column: the shapes of the kinds of source drawn.
    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        if !used.kinds[kind as usize] {
            continue;
        }
        let n = format!("legend/{}", kind.as_str());
        let style = if kind == Kind::Anonymous {
            "filled,dashed"
        } else {
            "filled"
        };
        stmts.push(node(
            &n,
            vec![
                attr("label", kind.as_str()),
                attr("shape", shape(kind)),
                attr("style", style),
            ],
        ));
        kinds.push(n);
    }
    columns.push(kinds);

    // Second column: what fills and outlines mean.
    let mut marks: Vec<(String, Vec<Attribute>)> = Vec::new();
    let basis_marks = [
        (GroupBasis::Named, "origin, named", "box", "filled"),
        (
            GroupBasis::Anonymous,
            "origin, anonymous",
            shape(Kind::Anonymous),
            "filled,dashed",
        ),
        (
            GroupBasis::Undisclosed,
            "origin, basis undisclosed",
            "box",
            "filled",
        ),
        (
            GroupBasis::Unknown,
            "origin of unknown kind",
            shape(Kind::Unknown),
            "filled",
        ),
    ];
    for (b, label, sh, style) in basis_marks {
        if used.bases[b as usize] {
            let (fill, text) = origin_colours(b);
            marks.push((
                label.to_owned(),
                vec![
                    attr("shape", sh),
                    attr("fillcolor", fill),
                    attr("fontcolor", text),
                    attr("style", style),
                ],
            ));
        }
    }
    if used.fewer_chains {
        marks.push((
            "fewer chains than origins\n(tooltip names the relay)".to_owned(),
            vec![attr("shape", "box"), attr("peripheries", "2")],
        ));
    }
    if used.retracted {
        marks.push((
            "retracted its support".to_owned(),
            vec![attr("shape", "box"), attr("style", "filled,diagonals")],
        ));
    }
    if used.denier {
        marks.push((
            "denies the claim".to_owned(),
            vec![
                attr("shape", "box"),
                attr("color", RED),
                attr("penwidth", "2"),
            ],
        ));
    }
    if used.other_only {
        marks.push((
            "only queries or comments".to_owned(),
            vec![attr("shape", "box"), attr("fontcolor", GREY)],
        ));
    }
    if used.partial_date {
        marks.push((
            "a date without its day sits\nat the end of its month or year".to_owned(),
            vec![
                attr("shape", "plaintext"),
                attr("fontcolor", GREY),
                attr("style", ""),
            ],
        ));
    }
    let mut column = Vec::new();
    for (label, mut attrs) in marks {
        let n = format!("legend/{label}");
        attrs.push(attr("label", &label));
        stmts.push(node(&n, attrs));
        column.push(n);
    }
    columns.push(column);

    // Third column: the boxes around claims and circular groups, then the
    // kinds of arrow, each as a short cited → citing pair.
    let mut column = Vec::new();
    if used.circular {
        let n = "legend/circular".to_owned();
        stmts.push(subgraph(
            "cluster_legend_circular",
            vec![
                graph_attrs(vec![
                    attr("label", "CIRCULAR"),
                    attr("color", RED),
                    attr("fontcolor", RED),
                    attr("fontsize", "8"),
                    attr("style", "dashed,rounded"),
                ]),
                node(
                    &n,
                    vec![
                        attr("label", "sources that cite\neach other in a loop"),
                        attr("shape", "plaintext"),
                        attr("style", ""),
                    ],
                ),
            ],
        ));
        column.push(n);
    }
    if used.single_source {
        let n = "legend/single".to_owned();
        stmts.push(subgraph(
            "cluster_legend_single",
            vec![
                graph_attrs(vec![
                    attr("label", "SINGLE SOURCE"),
                    attr("color", RED),
                    attr("penwidth", "2"),
                    attr("fontsize", "8"),
                    attr("style", "rounded"),
                ]),
                node(
                    &n,
                    vec![
                        attr("label", "a claim with fewer\nthan 2 named origins"),
                        attr("shape", "plaintext"),
                        attr("style", ""),
                    ],
                ),
            ],
        ));
        column.push(n);
    }
    let arrows = [
        (used.support, "support", vec![]),
        (
            used.deny,
            "deny",
            vec![
                attr("color", RED),
                attr("style", "dashed"),
                attr("fontcolor", RED),
            ],
        ),
        (
            used.query,
            "query or comment",
            vec![
                attr("color", GREY),
                attr("style", "dotted"),
                attr("fontcolor", GREY),
            ],
        ),
    ];
    let mut citing = Vec::new();
    for (on, label, mut style) in arrows {
        if !on {
            continue;
        }
        let (a, b) = (
            format!("legend/{label}/cited"),
            format!("legend/{label}/citing"),
        );
        let plain = |l: &str| {
            vec![
                attr("label", l),
                attr("shape", "plaintext"),
                attr("style", ""),
            ]
        };
        stmts.push(node(&a, plain("cited")));
        stmts.push(node(&b, plain(&format!("citing ({label})"))));
        style.push(attr("arrowsize", "0.5"));
        stmts.push(edge(&a, &b, style));
        column.push(a);
        citing.push(b);
    }
    columns.push(column);
    columns.push(citing);

    // Each column one rank, the columns chained left to right.
    let columns: Vec<Vec<String>> = columns.into_iter().filter(|c| !c.is_empty()).collect();
    for (i, c) in columns.iter().enumerate() {
        stmts.push(subgraph(&format!("legend/column {i}"), same(c)));
    }
    for w in columns.windows(2) {
        // The arrows' own edges already join the last two columns.
        if w[1].iter().any(|n| n.ends_with("/citing")) {
            continue;
        }
        stmts.push(edge(&w[0][0], &w[1][0], vec![attr("style", "invis")]));
    }
    subgraph("cluster_legend", stmts)
}

/// The picture formats Graphviz renders here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picture {
    Svg,
    Png,
    Pdf,
}

/// Renders DOT text to a picture with Graphviz's `dot` program.
///
/// Fails with [`Error::DotMissing`] when `dot` is not installed, and
/// [`Error::Render`] when it rejects the input.
pub fn render_picture(dot: &str, picture: Picture, timeout: Duration) -> Result<Vec<u8>> {
    let word = match picture {
        Picture::Svg => "svg",
        Picture::Png => "png",
        Picture::Pdf => "pdf",
    };
    run_dot(dot, word, timeout)
}

/// Runs `dot -T<word>` on the DOT text (see [`render_picture`]).
fn run_dot(dot: &str, word: &str, timeout: Duration) -> Result<Vec<u8>> {
    let render = |message: String| Error::Render { message };
    let mut child = match Command::new("dot")
        .arg(format!("-T{word}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::DotMissing {
                format: word.to_owned(),
            })
        }
        Err(e) => return Err(render(format!("it could not be started: {e}"))),
    };
    output::track_child(child.id());
    let result = (|| {
        // The DOT text goes through a pipe (no temporary file), from a
        // thread of its own while this one reads the picture, so that
        // neither side can block the other.
        let mut stdin = child.stdin.take().expect("piped");
        let text = dot.to_owned();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            buf
        });
        let errors = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = (&mut stderr).take(64 << 10).read_to_end(&mut buf);
            buf
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| render(e.to_string()))? {
                break status;
            }
            if started.elapsed() >= timeout {
                let _ = child.kill();
                let _ = child.wait();
                return Err(render(format!(
                    "it did not finish within {} s and was stopped (allow it more with --render-timeout)",
                    timeout.as_secs()
                )));
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let _ = writer.join();
        let picture = reader.join().unwrap_or_default();
        let said = String::from_utf8_lossy(&errors.join().unwrap_or_default())
            .trim()
            .to_owned();
        let said = crate::diag::shown(&said);
        let what_it_said = if said.is_empty() {
            "it printed no message".to_owned()
        } else {
            format!("it said: {said}")
        };
        if !status.success() {
            return Err(render(match status.code() {
                Some(code) => format!("it exited with status {code}; {what_it_said}"),
                None => format!(
                    "it was killed by a signal ({}); {what_it_said}",
                    signal_of(&status)
                ),
            }));
        }
        if picture.is_empty() {
            return Err(render(format!(
                "it exited normally but wrote no picture; {what_it_said}"
            )));
        }
        Ok(picture)
    })();
    output::forget_child(child.id());
    result
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    status
        .signal()
        .map_or_else(|| "unknown".to_owned(), |s| format!("signal {s}"))
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> String {
    "unknown".to_owned()
}

/// Graphviz's layout of the claims' diagram, as node id (`claim/source`) to
/// position in points; empty when `dot` is not installed or fails. One run
/// of `dot -Tplain`, through pipes, with the same time limit as a picture.
pub fn layout(
    case: &Case,
    analyses: &[ClaimAnalysis],
) -> std::collections::HashMap<String, (f64, f64)> {
    let mut out = std::collections::HashMap::new();
    if !dot_available() {
        return out;
    }
    let text = render(case, analyses);
    let Ok(plain) = render_plain(&text) else {
        return out;
    };
    for line in String::from_utf8_lossy(&plain).lines() {
        let Some(rest) = line.strip_prefix("node ") else {
            continue;
        };
        let (name, rest) = plain_word(rest);
        let mut nums = rest.split_whitespace().map(|w| w.parse::<f64>());
        if let (Some(Ok(x)), Some(Ok(y))) = (nums.next(), nums.next()) {
            out.insert(name, (x * 72.0, y * 72.0));
        }
    }
    out
}

/// The DOT text laid out by `dot -Tplain`.
fn render_plain(dot: &str) -> Result<Vec<u8>> {
    run_dot(dot, "plain", Duration::from_secs(120))
}

/// The first word of a line of `dot -Tplain`: a name in double quotes (with
/// `\"` and `\\` escapes) or up to the next space; and the rest.
fn plain_word(s: &str) -> (String, &str) {
    if let Some(q) = s.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = q.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        name.push(n);
                    }
                }
                '"' => return (name, &q[i + 1..]),
                c => name.push(c),
            }
        }
        (name, "")
    } else {
        match s.split_once(' ') {
            Some((a, b)) => (a.to_owned(), b),
            None => (s.to_owned(), ""),
        }
    }
}

/// True when Graphviz's `dot` program can be run.
pub fn dot_available() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_round_trips_hostile_text() {
        for s in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "two\nlines",
            "cr\r\n",
            "tab\there",
            "<b>html</b>",
            "{x} [y] ;",
            "\\N \\G \\l",
            "node",
            "الموقع",
            "🦊 emoji",
            "\"\\\"\\",
        ] {
            let q = quote(s);
            assert!(q.starts_with('"') && q.ends_with('"'));
            assert!(!q[1..q.len() - 1].contains('\n'), "{q}");
            assert_eq!(unquote(&q).as_deref(), Some(s), "{q}");
        }
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("one two three", 7), "one two\nthree");
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }
}
