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
        for src in &case.sources {
            let Some(attrs) = nodes.get(&format!("{}/{}", claim.id, src.id)) else {
                continue;
            };
            seen += 1;
            let label = &attrs["label"];
            // The label is the name exactly, then the first report's date on its own line.
            assert!(
                label == &src.name
                    || label
                        .strip_prefix(&src.name)
                        .is_some_and(|rest| rest.starts_with('\n')),
                "label {label:?} does not start with the name {:?}",
                src.name
            );
            assert_eq!(attrs["tooltip"], src.id);
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
