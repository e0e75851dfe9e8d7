//! Every export of every shipped case and of the hostile-labels fixture,
//! checked by the programs that read them (tests/readers/check_exports.py):
//! the GEXF 1.3 XSD and networkx for GEXF, networkx and igraph for GraphML,
//! pandas for the CSV tables, the python `prov` package (PROV-N with its
//! strict profile) for PROV; and figures read back equal to `analyze`'s.
//!
//! The readers need a Python with networkx, xmlschema, prov, python-igraph and
//! pandas: `RUMORGRAPH_PYTHON`, else `python3`. Without them the check prints
//! NOT CHECKED, and fails in CI, which installs them (.ci/run).

use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;

use crate::util::{case_files, repo_path, run_ok, temp_dir};

fn python() -> Option<String> {
    let py = std::env::var("RUMORGRAPH_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let ok = Command::new(&py)
        .args(["-c", "import networkx, xmlschema, prov, igraph, pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

#[test]
fn every_export_is_read_by_its_reader() {
    let Some(py) = python() else {
        eprintln!("NOT CHECKED: no Python with networkx, xmlschema, prov, igraph and pandas");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the readers"
        );
        return;
    };
    // The official GEXF 1.3 schema (gexf.xsd, viz.xsd, dynamics.xsd), kept
    // beside the readers.
    let xsd = repo_path("tests/readers/gexf-1.3/gexf.xsd");
    assert!(xsd.exists(), "the GEXF schema is at {}", xsd.display());
    let mut cases = case_files();
    cases.push("tests/fixtures/hostile.toml".to_owned());
    for case in cases {
        let dir = temp_dir();
        let out = |name: &str| -> String { dir.path().join(name).to_string_lossy().into_owned() };
        for (to, name) in [
            ("gexf", "case.gexf"),
            ("graphml", "case.graphml"),
            ("prov-json", "case.prov.json"),
            ("prov-n", "case.provn"),
            ("csv", "tables"),
        ] {
            run_ok(["export", "-q", &case, "--to", to, "-o", &out(name)]);
        }
        let json = run_ok(["analyze", "-q", &case, "--format", "json"]);
        std::fs::write(dir.path().join("analyze.json"), json).unwrap();
        let run = Command::new(&py)
            .arg(repo_path("tests/readers/check_exports.py"))
            .arg(dir.path())
            .arg(dir.path().join("analyze.json"))
            .arg(&xsd)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{case}: the readers disagree:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

/// A GraphML file's node data, read back with an XML parser: node id to
/// (roots, chains).
fn graphml_figures(text: &str) -> std::collections::BTreeMap<String, (u32, u32, bool)> {
    let doc = roxmltree::Document::parse(text).expect("well-formed GraphML");
    let key = |name: &str| {
        doc.descendants()
            .find(|n| {
                n.has_tag_name("key")
                    && n.attribute("attr.name") == Some(name)
                    && n.attribute("for") == Some("node")
            })
            .and_then(|n| n.attribute("id"))
            .unwrap()
            .to_owned()
    };
    let (roots, chains, supports) = (key("roots"), key("chains"), key("supports"));
    let mut out = std::collections::BTreeMap::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("node")) {
        let data = |k: &str| {
            node.children()
                .find(|d| d.has_tag_name("data") && d.attribute("key") == Some(k))
                .and_then(|d| d.text())
                .unwrap_or("")
                .to_owned()
        };
        out.insert(
            node.attribute("id").unwrap().to_owned(),
            (
                data(&roots).parse().unwrap(),
                data(&chains).parse().unwrap(),
                data(&supports) == "true",
            ),
        );
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random cases with circles: the GraphML export, read back, holds the
    /// analysis's roots and chains for every source of the support graph.
    #[test]
    fn graphml_read_back_equals_the_analysis(edges in prop::collection::vec((0u8..12, 0u8..12), 1..40)) {
        let mut text = String::from("source,claim,cites\n");
        for (a, b) in &edges {
            if a != b {
                text.push_str(&format!("s{a},c,s{b}\n"));
            } else {
                text.push_str(&format!("s{a},c,\n"));
            }
        }
        let dir = temp_dir();
        let path: PathBuf = dir.path().join("case.csv");
        std::fs::write(&path, &text).unwrap();
        let p = path.to_string_lossy().into_owned();
        let loaded = rumorgraph::load::load(&[rumorgraph::load::Input::Path(path.clone())], &Default::default()).unwrap();
        let case = &loaded.case;
        let analyses = rumorgraph::analysis::analyze(case, &[0]);
        let g = rumorgraph::export::graphml::graphml(case, &analyses);
        let back = graphml_figures(&g);
        for f in &analyses[0].sources {
            let id = format!("c/{}", case.source_id(f.source));
            prop_assert_eq!(back.get(&id).copied(), Some((f.roots, f.chains, true)), "{}", id);
        }
        prop_assert_eq!(back.values().filter(|v| v.2).count(), analyses[0].sources.len());
        // And through the binary, the same bytes.
        let out = run_ok(["export", "-q", &p, "--to", "graphml"]);
        prop_assert_eq!(out, g);
    }
}
