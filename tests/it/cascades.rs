//! Cascade figures (size, depth, max breadth, structural virality) of every
//! root group against networkx on 1,000 random claims with cycles.
//!
//! Needs a Python with networkx (`RUMORGRAPH_PYTHON`, else `python3`);
//! without it prints NOT CHECKED, and fails in CI, which installs it.

use std::process::Command;

use rumorgraph::load::{load_str, Format, LoadOptions};

use crate::util::{repo_path, temp_dir, Lcg};

fn python() -> Option<String> {
    let py = std::env::var("RUMORGRAPH_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let ok = Command::new(&py)
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

/// A random one-claim case as CSV: 2 to 40 sources, some uncited (origins),
/// citations mostly to earlier sources and some back (circles, at the root
/// and downstream).
fn random_case(rng: &mut Lcg) -> String {
    let n = 2 + rng.below(39);
    let mut text = String::from("source,claim,cites\n");
    for v in 0..n {
        let cites = if v == 0 || rng.below(5) == 0 {
            0
        } else {
            1 + rng.below(3)
        };
        if cites == 0 {
            text.push_str(&format!("s{v},c,\n"));
        }
        for _ in 0..cites {
            let u = if rng.below(6) == 0 {
                rng.below(n)
            } else {
                rng.below(v.max(1))
            };
            if u != v {
                text.push_str(&format!("s{v},c,s{u}\n"));
            }
        }
    }
    text
}

#[test]
fn cascades_agree_with_networkx_on_1000_random_claims() {
    let Some(py) = python() else {
        eprintln!("NOT CHECKED: no Python with networkx");
        assert!(std::env::var_os("CI").is_none(), "CI must install networkx");
        return;
    };
    let mut rng = Lcg::new(2016);
    let mut cases = Vec::new();
    for _ in 0..1000 {
        let text = random_case(&mut rng);
        let loaded = load_str("case.csv", &text, Format::Csv, &LoadOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let case = &loaded.case;
        let analyses = rumorgraph::analysis::analyze(case, &[0]);
        let json: serde_json::Value =
            serde_json::from_str(&rumorgraph::export::json(case, &analyses, &loaded.warnings))
                .unwrap();
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for r in &case.reports {
            nodes.push(case.source_id(r.source).to_owned());
            for &u in &r.cites {
                nodes.push(case.source_id(u).to_owned());
                edges.push([
                    case.source_id(u).to_owned(),
                    case.source_id(r.source).to_owned(),
                ]);
            }
        }
        cases.push(serde_json::json!({
            "nodes": nodes,
            "edges": edges,
            "roots": json["claims"][0]["roots"],
        }));
    }
    let dir = temp_dir();
    let path = dir.path().join("cases.json");
    std::fs::write(&path, serde_json::to_string(&cases).unwrap()).unwrap();
    let run = Command::new(&py)
        .arg(repo_path("tests/readers/check_cascades.py"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "networkx disagrees:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&run.stdout).trim());
}

#[test]
fn past_the_budget_cascades_are_left_out_and_computed_on_request() {
    // 4,100 origins all cited by one hub, then a chain of 4,000: every
    // origin's cascade holds 4,002 sources, 16.4 million in all.
    let mut text = String::from("source,claim,cites\n");
    for i in 0..4100 {
        text.push_str(&format!("hub,c,o{i}\n"));
    }
    text.push_str("n0,c,hub\n");
    for i in 1..4000 {
        text.push_str(&format!("n{i},c,n{}\n", i - 1));
    }
    let dir = temp_dir();
    let path = dir.path().join("case.csv");
    std::fs::write(&path, &text).unwrap();
    let p = path.to_str().unwrap();

    let out = crate::util::run_ok(["analyze", "-q", p]);
    assert!(
        out.contains("depth, breadth and virality not computed: the origins' cascades hold 16408200 sources in all, over 16000000; --cascades computes them"),
        "{}",
        &out[..out.len().min(2000)]
    );
    let json: serde_json::Value = serde_json::from_str(&crate::util::run_ok([
        "analyze", "-q", p, "--format", "json",
    ]))
    .unwrap();
    let roots = json["claims"][0]["roots"].as_array().unwrap();
    assert_eq!(roots.len(), 4100);
    assert!(roots.iter().all(|g| g["cascade"].is_null()));

    let json: serde_json::Value = serde_json::from_str(&crate::util::run_ok([
        "analyze",
        "-q",
        p,
        "--format",
        "json",
        "--cascades",
    ]))
    .unwrap();
    for g in json["claims"][0]["roots"].as_array().unwrap() {
        let c = &g["cascade"];
        assert_eq!(c["size"], 4002);
        assert_eq!(c["depth"], 4001);
        assert_eq!(c["max_breadth"], 1);
        // A path of n nodes: the mean distance over all pairs is (n + 1) / 3.
        let v = c["structural_virality"].as_f64().unwrap();
        assert!((v - 4003.0 / 3.0).abs() < 1e-9, "{v}");
    }
}
