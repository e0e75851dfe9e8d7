//! `rumorgraph dot`: DOT that Graphviz accepts for any input, with every
//! label coming back exactly as the case wrote it.

use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{Attribute, Graph, Id, Stmt, Subgraph};
use rumorgraph::export::dot::unquote;

use crate::util::{case_files, dot_available, run_ok};

/// Every node statement of the graph, with its attributes, however deeply nested.
fn nodes(g: &Graph) -> BTreeMap<String, BTreeMap<String, String>> {
    let stmts = match g {
        Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. } => stmts,
    };
    let mut out = BTreeMap::new();
    let mut stack: Vec<&Vec<Stmt>> = vec![stmts];
    while let Some(list) = stack.pop() {
        for s in list {
            match s {
                Stmt::Node(n) => {
                    let entry = out.entry(text(&n.id.0)).or_insert_with(BTreeMap::new);
                    for Attribute(k, v) in &n.attributes {
                        entry.insert(text(k), text(v));
                    }
                }
                Stmt::Subgraph(Subgraph { stmts, .. }) => stack.push(stmts),
                _ => {}
            }
        }
    }
    out
}

/// The labels of every cluster, by cluster name.
fn cluster_labels(g: &Graph) -> BTreeMap<String, String> {
    let stmts = match g {
        Graph::DiGraph { stmts, .. } | Graph::Graph { stmts, .. } => stmts,
    };
    let mut out = BTreeMap::new();
    let mut stack: Vec<(String, &Vec<Stmt>)> = vec![(String::new(), stmts)];
    while let Some((name, list)) = stack.pop() {
        for s in list {
            match s {
                Stmt::Subgraph(Subgraph { id, stmts }) => stack.push((text(id), stmts)),
                Stmt::GAttribute(graphviz_rust::dot_structures::GraphAttributes::Graph(attrs)) => {
                    for Attribute(k, v) in attrs {
                        if text(k) == "label" {
                            out.insert(name.clone(), text(v));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn text(id: &Id) -> String {
    match id {
        Id::Escaped(s) => {
            unquote(s).unwrap_or_else(|| panic!("not a string written by quote(): {s}"))
        }
        Id::Plain(s) | Id::Html(s) => s.clone(),
        Id::Anonymous(_) => String::new(),
    }
}

fn parse(dot: &str) -> Graph {
    graphviz_rust::parse(dot)
        .unwrap_or_else(|e| panic!("graphviz-rust cannot parse our DOT: {e}\n{dot}"))
}

#[test]
fn hostile_labels_survive_exactly() {
    let path = "tests/fixtures/hostile.toml";
    let dot = run_ok(["dot", path]);
    let g = parse(&dot);
    let nodes = nodes(&g);
    let case = rumorgraph::load::load(
        &[rumorgraph::load::Input::from_arg(path)],
        &Default::default(),
    )
    .unwrap()
    .case;
    // Every (claim, source) pair of a report or a citation is drawn.
    let mut expected = std::collections::BTreeSet::new();
    for r in &case.reports {
        for &s in std::iter::once(&r.source).chain(&r.cites) {
            expected.insert((r.claim, s));
        }
    }
    let mut seen = 0;
    for claim in &case.claims {
        for (i, src) in case.sources.iter().enumerate() {
            let (id, name) = (case.source_id(i as u32), case.source_name(i as u32));
            let Some(attrs) = nodes.get(&format!("{}/{}", claim.id, id)) else {
                continue;
            };
            seen += 1;
            let label = &attrs["label"];
            // The label is the name, wrapped at spaces only (so its lines
            // joined by spaces give it back), then the first report's date
            // on a line of its own.
            let name_lines = name.lines().count().max(1);
            let joined = |l: &str| l.replace('\n', " ");
            let all: Vec<&str> = label.lines().collect();
            let found =
                (name_lines..=all.len()).any(|k| joined(&all[..k].join("\n")) == joined(name));
            assert!(
                found,
                "label {label:?} does not start with the name {name:?}"
            );
            // The tooltip: the name, then the kind and the id.
            let tip = &attrs["tooltip"];
            assert!(tip.starts_with(name), "tooltip {tip:?}");
            assert!(
                tip.contains(&format!("{}, id {}", src.kind.as_str(), id)),
                "tooltip {tip:?}"
            );
        }
    }
    assert_eq!(seen, expected.len(), "source nodes drawn");
    // Claim titles: the text survives; long ones are wrapped only at spaces.
    let labels = cluster_labels(&g);
    for (k, claim) in case.claims.iter().enumerate() {
        let label = &labels[&format!("cluster_{k}")];
        let title = format!("{}: {}", claim.id, claim.text);
        let lines = title.lines().count();
        let shown: Vec<&str> = label.lines().collect();
        let (head, _verdict) = shown.split_at(shown.len() - 1);
        assert_eq!(
            head.join(" ").replace('\n', " "),
            title.replace('\n', " "),
            "cluster {k}"
        );
        assert!(head.len() >= lines);
    }
    // Titles are written with left-justified line ends, one closing the last line.
    assert_eq!(labels[""].strip_suffix('\n'), case.title.as_deref());
}

#[test]
fn graphviz_accepts_every_case() {
    let mut files = case_files();
    files.push("tests/fixtures/hostile.toml".into());
    if !dot_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz's dot must be installed in CI (apt-get install graphviz)"
        );
        eprintln!("NOT CHECKED: Graphviz's `dot` is not installed, so its acceptance of our DOT was not tested");
        return;
    }
    for f in files {
        let dot = run_ok(["dot", &f]);
        parse(&dot);
        let out = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(dot.as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "dot -Tsvg rejected the diagram of {f}: {stderr}"
        );
        assert!(
            !stderr.contains("Error"),
            "dot -Tsvg complained about {f}: {stderr}"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
fn same_input_same_bytes() {
    let a = run_ok(["dot", "data/baghdadi-libya.toml"]);
    let b = run_ok(["dot", "data/baghdadi-libya.toml"]);
    assert_eq!(a, b);
}

#[test]
fn one_cluster_per_selected_claim() {
    let dot = run_ok(["dot", "tests/fixtures/hostile.toml", "--claim", "subgraph"]);
    let labels = cluster_labels(&parse(&dot));
    assert!(labels.contains_key("cluster_0"));
    assert!(!labels.contains_key("cluster_1"));
    assert!(labels["cluster_0"].starts_with("subgraph: "));
}

#[test]
fn render_writes_a_picture_atomically() {
    if !dot_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Graphviz's dot must be installed in CI"
        );
        eprintln!("NOT CHECKED: Graphviz's `dot` is not installed, so --render was not tested");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.svg");
    run_ok([
        "dot",
        "data/baghdadi-libya.toml",
        "--render",
        "svg",
        "-o",
        out.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(
        svg.starts_with("<?xml") && svg.contains("<svg"),
        "not an SVG picture"
    );
    assert!(
        svg.contains("Missing Peace"),
        "the picture does not show the sources"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        1,
        "a temporary file was left behind: {names:?}"
    );
}

#[test]
fn render_without_graphviz_says_what_to_install() {
    // An empty PATH hides any installed `dot`.
    let out = crate::util::bin()
        .env("PATH", "")
        .args(["dot", "data/baghdadi-libya.toml", "--render", "png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not installed") && err.contains("graphviz"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// The pixel width and height of a PNG, from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[1..4], b"PNG", "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn in_libya_fits_a_screen_with_every_finding() {
    if !crate::util::graphviz_or_skip("the picture's size was not measured") {
        return;
    }
    let png = crate::util::bin()
        .args([
            "dot",
            "data/baghdadi-libya.toml",
            "--claim",
            "in-libya",
            "--render",
            "png",
            "-q",
        ])
        .current_dir(crate::util::repo_path(""))
        .output()
        .unwrap();
    assert!(png.status.success());
    let (w, h) = png_size(&png.stdout);
    assert!(w <= 2000, "in-libya is {w} x {h} px at 96 dpi");
    // Every finding of the claim is in the picture: the verdict, the
    // partial dates marked as such, the denial, and the legend's entries
    // for the marks used.
    let dot = run_ok(["dot", "data/baghdadi-libya.toml", "--claim", "in-libya"]);
    let g = parse(&dot);
    let labels = cluster_labels(&g);
    assert!(labels["cluster_0"]
        .contains("2 named independent origins · 4 anonymous · 1 undisclosed · denied by 1"));
    let nodes = nodes(&g);
    assert_eq!(
        nodes["in-libya/debka"]["label"].lines().last(),
        Some("2016 (year only)")
    );
    assert!(nodes.contains_key("legend/denies the claim"));
    assert!(
        !labels.contains_key("cluster_legend_circular"),
        "no circle in in-libya, none in its legend"
    );
}

#[test]
fn the_legend_explains_exactly_the_marks_drawn() {
    let g = parse(&run_ok(["dot", "data/example.toml"]));
    let labels = cluster_labels(&g);
    let nodes = nodes(&g);
    // example.toml has a circle, single-source claims, a relay, a denier.
    assert_eq!(labels["cluster_legend_circular"], "CIRCULAR");
    assert_eq!(labels["cluster_legend_single"], "SINGLE SOURCE");
    assert!(nodes.contains_key("legend/denies the claim"));
    assert!(nodes.keys().any(|k| k.starts_with("legend/fewer chains")));
    // No kind is explained that no source has.
    assert!(!nodes.contains_key("legend/unknown"));
    // One claim: only its marks.
    let g = parse(&run_ok([
        "dot",
        "data/example.toml",
        "--claim",
        "ships-diverted",
    ]));
    let labels = cluster_labels(&g);
    let one = self::nodes(&g);
    assert!(labels.contains_key("cluster_legend_single"));
    assert!(!labels.contains_key("cluster_legend_circular"));
    assert!(!one.contains_key("legend/denies the claim"));
    assert!(!one.contains_key("legend/anonymous"));
}

#[test]
fn fewer_chains_than_roots_is_marked_and_the_relay_named() {
    let g = parse(&run_ok([
        "dot",
        "data/example.toml",
        "--claim",
        "port-closing",
    ]));
    let nodes = nodes(&g);
    let daily = &nodes["port-closing/national-daily"];
    assert_eq!(daily["peripheries"], "2");
    assert!(
        daily["tooltip"]
            .contains("roots 3, chains 1: every chain passes through The Harbour Herald"),
        "{}",
        daily["tooltip"]
    );
    // The Herald itself has three chains: no mark.
    assert!(!nodes["port-closing/harbour-herald"].contains_key("peripheries"));
}

#[test]
fn tooltips_and_links_carry_the_report() {
    let dir = crate::util::temp_dir();
    crate::util::write_file(
        &dir,
        "c.toml",
        r#"
[[sources]]
id = "a"
name = "Agency A"
kind = "agency"
[[sources]]
id = "b"
name = "Blog B"
kind = "social"
[[claims]]
id = "x"
text = "X"
[[reports]]
source = "a"
claim = "x"
date = "2020-01-02"
quote = "We saw it happen."
url = "https://a.example/report"
[[reports]]
source = "b"
claim = "x"
cites = ["a"]
date = "2020"
quote = "A says it happened."
url = "javascript:alert(1)"
"#,
    );
    let r = crate::util::run_in(dir.path(), ["dot", "c.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let g = parse(&r.stdout);
    let nodes = nodes(&g);
    let a = &nodes["x/a"];
    assert_eq!(a["URL"], "https://a.example/report");
    assert!(
        a["tooltip"].contains("2020-01-02 support: “We saw it happen.”\nhttps://a.example/report")
    );
    let b = &nodes["x/b"];
    assert!(!b.contains_key("URL"), "a javascript: URL is never a link");
    assert!(!b["tooltip"].contains("javascript"));
    assert!(b["tooltip"].contains("first report: 2020 (year only)"));
    assert!(
        r.stdout.contains(
            "\"Blog B cites Agency A (support)\\n2020 (year only) support: “A says it happened.”\""
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn a_partial_date_is_never_drawn_before_a_precise_date_inside_it() {
    if !crate::util::graphviz_or_skip("the layout was not measured") {
        return;
    }
    // c (2003, year only) cites nobody; d (2003-01-23) cites nobody; e
    // (2003-06) cites d. In time order d comes first, then the month, then
    // the year.
    let case = crate::util::case_from_edges("c d d>e");
    let mut case = case;
    let date = |s: &str| rumorgraph::model::PartialDate::parse(s);
    for i in 0..case.reports.len() {
        let id = case.source_id(case.reports[i].source).to_owned();
        case.reports[i].date = match id.as_str() {
            "c" => date("2003"),
            "d" => date("2003-01-23"),
            "e" => date("2003-06"),
            _ => None,
        };
    }
    let analyses = rumorgraph::analysis::analyze(&case, &[0]);
    let at = rumorgraph::export::dot::layout(&case, &analyses);
    let x = |id: &str| at[&format!("{}/{id}", case.claims[0].id)].0;
    assert!(
        x("d") < x("e") && x("e") < x("c"),
        "d {} e {} c {}",
        x("d"),
        x("e"),
        x("c")
    );
}
