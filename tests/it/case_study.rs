//! The shipped case study, data/baghdadi-libya.toml: the committed diagrams
//! in graphs/ are what `rumorgraph dot` prints now, and the verdict and the
//! headline figures of every claim are the ones docs/case-study.md explains.
//!
//! A change to the case, to the analysis or to the diagrams that changes any
//! of these fails here, so that the document and the diagrams are updated
//! with it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{repo_path, repo_text, run, run_ok};

const CASE: &str = "data/baghdadi-libya.toml";
const REGENERATE: &str = "run `bash graphs/regenerate.sh` and commit graphs/";

/// The claim ids of the case, in the order `analyze` gives them.
fn claim_ids() -> Vec<String> {
    let json: Value = serde_json::from_str(&run_ok(["analyze", CASE, "--format", "json"]))
        .expect("analyze prints JSON");
    json["claims"]
        .as_array()
        .expect("a claims array")
        .iter()
        .map(|c| c["id"].as_str().expect("a claim id").to_owned())
        .collect()
}

/// The file names in `dir` (relative to the repository) ending in `.ext`.
fn files_with_ext(dir: &str, ext: &str) -> BTreeSet<String> {
    std::fs::read_dir(repo_path(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}/: {e}; {REGENERATE}"))
        .map(|e| {
            e.expect("a readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(&format!(".{ext}")))
        .collect()
}

/// Compares `graphs/<stem>.dot` with what `rumorgraph dot` prints for `args`;
/// a difference is added to `problems`.
fn compare_dot(stem: &str, args: &[&str], problems: &mut Vec<String>) {
    let rel = format!("graphs/{stem}.dot");
    let fresh = run_ok(std::iter::once("dot").chain(args.iter().copied()));
    if !repo_path(&rel).is_file() {
        problems.push(format!("{rel} is missing"));
        return;
    }
    let committed = repo_text(&rel);
    if committed != fresh {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || "their lengths differ".to_owned(),
                |i| format!("first difference at line {}", i + 1),
            );
        problems.push(format!(
            "{rel} is stale: `rumorgraph dot {}` prints something else ({line})",
            args.join(" ")
        ));
    }
}

#[test]
fn committed_diagrams_are_current() {
    let claims = claim_ids();
    let mut problems = Vec::new();

    compare_dot("baghdadi-libya", &[CASE], &mut problems);
    for id in &claims {
        compare_dot(
            &format!("baghdadi-libya/{id}"),
            &[CASE, "--claim", id],
            &mut problems,
        );
    }
    compare_dot("example", &["data/example.toml"], &mut problems);

    // Every diagram is drawn: each .dot has its .svg beside it, and back.
    for dir in ["graphs", "graphs/baghdadi-libya"] {
        let dots = files_with_ext(dir, "dot");
        let svgs = files_with_ext(dir, "svg");
        for d in &dots {
            let svg = format!("{}.svg", d.trim_end_matches(".dot"));
            if !svgs.contains(&svg) {
                problems.push(format!("{dir}/{d} has no {dir}/{svg}"));
            }
        }
        for s in &svgs {
            let dot = format!("{}.dot", s.trim_end_matches(".svg"));
            if !dots.contains(&dot) {
                problems.push(format!("{dir}/{s} has no {dir}/{dot}"));
            }
        }
    }

    // No diagram of a claim the case no longer has.
    let known: BTreeSet<&str> = claims.iter().map(String::as_str).collect();
    for ext in ["dot", "svg"] {
        for f in files_with_ext("graphs/baghdadi-libya", ext) {
            let id = &f[..f.len() - ext.len() - 1];
            if !known.contains(id) {
                problems.push(format!(
                    "graphs/baghdadi-libya/{f} is the diagram of `{id}`, which is not a claim of {CASE}"
                ));
            }
        }
    }

    assert!(
        problems.is_empty(),
        "the diagrams in graphs/ are out of date; {REGENERATE}:\n  {}",
        problems.join("\n  ")
    );
}

/// One line of `rumorgraph check`.
#[derive(Debug, PartialEq, Eq)]
struct Verdict {
    claim: String,
    verdict: String,
    named: u32,
    anonymous: u32,
    undisclosed: u32,
    unknown: u32,
    retracted: u32,
    independent: u32,
    roots: Vec<String>,
}

impl Verdict {
    /// The same with `n` origins whose basis is undisclosed.
    fn undisclosed(mut self, n: u32) -> Verdict {
        self.undisclosed = n;
        self
    }
}

fn verdict(
    claim: &str,
    verdict: &str,
    named: u32,
    anonymous: u32,
    independent: u32,
    roots: &[&str],
) -> Verdict {
    Verdict {
        claim: claim.into(),
        verdict: verdict.into(),
        named,
        anonymous,
        undisclosed: 0,
        unknown: 0,
        retracted: 0,
        independent,
        roots: roots.iter().map(|r| r.to_string()).collect(),
    }
}

fn parse_check_line(line: &str) -> Verdict {
    // A failing line may end with ` -- ` and its reason in words.
    let line = line.split(" -- ").next().unwrap_or(line);
    let mut words = line.split_whitespace();
    let verdict = words.next().expect("PASS or FAIL").to_owned();
    let claim = words.next().expect("a claim id").to_owned();
    let mut v = Verdict {
        claim,
        verdict,
        named: u32::MAX,
        anonymous: u32::MAX,
        undisclosed: u32::MAX,
        unknown: u32::MAX,
        retracted: u32::MAX,
        independent: u32::MAX,
        roots: Vec::new(),
    };
    for w in words {
        let (key, value) = w.split_once('=').unwrap_or((w, ""));
        let number = || {
            value
                .parse::<u32>()
                .unwrap_or_else(|_| panic!("{key}={value} in {line:?}"))
        };
        match key {
            "named" => v.named = number(),
            "anonymous" => v.anonymous = number(),
            "undisclosed" => v.undisclosed = number(),
            "unknown" => v.unknown = number(),
            "retracted" => v.retracted = number(),
            "independent" => v.independent = number(),
            "roots" => {
                v.roots = value
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
            _ => {}
        }
    }
    v
}

/// The verdict of every claim under the default check (at least 2 named
/// origins), as docs/case-study.md reports it. A change here is a change
/// to the case study's conclusions: update the document with it.
#[test]
fn every_claim_has_the_verdict_the_case_study_reports() {
    let expected = vec![
        verdict(
            "in-libya",
            "PASS",
            2,
            4,
            7,
            &[
                "almanar-unnamed",
                "british-media-unnamed",
                "fars-unnamed",
                "kheirullah",
                "masked-libyan-fighter",
                "other-iranian-media",
                "russian-informants",
            ],
        )
        .undisclosed(1),
        verdict(
            "wounded-treated",
            "FAIL",
            1,
            1,
            2,
            &["almanar-unnamed", "kheirullah"],
        ),
        verdict("cia-mit-saved", "FAIL", 0, 1, 1, &["almanar-unnamed"]),
        verdict(
            "leads-tunisia-offensive",
            "FAIL",
            0,
            0,
            1,
            &["missing-peace"],
        )
        .undisclosed(1),
        verdict("plans-libya", "FAIL", 1, 0, 1, &["russian-intel"]),
        verdict(
            "flee-hadramaut-or-sahel",
            "FAIL",
            1,
            0,
            1,
            &["western-intel"],
        ),
        verdict("escape-routes-blocked", "FAIL", 0, 1, 1, &["debka-sources"]),
        verdict(
            "isis-to-libya",
            "FAIL",
            1,
            1,
            2,
            &["mesmari", "us-defense-officials"],
        ),
        verdict("qatar-transport", "FAIL", 1, 0, 1, &["mesmari"]),
        verdict(
            "regroup-south-libya",
            "PASS",
            3,
            0,
            3,
            &["mesmari", "pelton", "waldhauser"],
        ),
        verdict("focus-on-libya", "FAIL", 1, 0, 1, &["isis-libya-documents"]),
        verdict("syria-iraq-border", "FAIL", 1, 0, 1, &["rasool"]),
        verdict("injured-al-qaim", "FAIL", 1, 0, 1, &["rasool"]),
        verdict("alive", "FAIL", 1, 0, 1, &["caliph-video"]),
        verdict(
            "badia-al-sham",
            "FAIL",
            0,
            1,
            1,
            &["italian-various-sources"],
        ),
        verdict("badia-group-to-iraq", "FAIL", 1, 0, 1, &["baghdad-intel"]),
    ];

    let r = run(["check", CASE]);
    assert!(!r.panicked(), "check panicked: {}", r.stderr);
    assert_eq!(
        r.code, 1,
        "check exits 1 when some claim fails: {}",
        r.stderr
    );
    let actual: Vec<Verdict> = r.stdout.lines().map(parse_check_line).collect();

    let ids = |v: &[Verdict]| v.iter().map(|v| v.claim.clone()).collect::<Vec<_>>();
    assert_eq!(
        ids(&actual),
        ids(&expected),
        "the case's claims changed; give every claim its row here and in docs/case-study.md"
    );
    for (a, e) in actual.iter().zip(&expected) {
        assert_eq!(
            a, e,
            "the verdict of `{}` changed; docs/case-study.md explains the old one",
            e.claim
        );
    }
}

/// The figures docs/case-study.md builds its reading on.
#[test]
fn headline_figures_of_the_case() {
    let json: Value = serde_json::from_str(&run_ok(["analyze", CASE, "--format", "json"]))
        .expect("analyze prints JSON");
    let claim = |id: &str| -> Value {
        json["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no claim {id}"))
            .clone()
    };
    // (source ids of each root group, reach), in the JSON's order.
    let roots = |c: &Value, key: &str| -> Vec<(Vec<String>, u64)> {
        let groups = if key == "denials" {
            &c["denials"]["roots"]
        } else {
            &c["roots"]
        };
        groups
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                let ids = g["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_owned())
                    .collect();
                (ids, g["reach"].as_u64().unwrap())
            })
            .collect()
    };
    let own = |pairs: &[(&str, u64)]| -> Vec<(Vec<String>, u64)> {
        pairs
            .iter()
            .map(|(s, r)| (vec![s.to_string()], *r))
            .collect()
    };
    // (roots, chains) of one source of one claim.
    let source = |c: &Value, id: &str| -> (u64, u64) {
        let s = c["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not a source of {}", c["id"]));
        (s["roots"].as_u64().unwrap(), s["chains"].as_u64().unwrap())
    };

    // in-libya: seven origins, none circular, four of them anonymous.
    let in_libya = claim("in-libya");
    assert_eq!(in_libya["reports"], 24);
    assert_eq!(in_libya["first_reported"], "2015-12");
    assert_eq!(in_libya["single_source"], false);
    assert_eq!(
        roots(&in_libya, "roots"),
        own(&[
            ("almanar-unnamed", 2),
            ("british-media-unnamed", 2),
            ("fars-unnamed", 2),
            ("kheirullah", 4),
            ("masked-libyan-fighter", 3),
            ("other-iranian-media", 1),
            ("russian-informants", 1),
        ])
    );
    assert!(in_libya["roots"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["circular"] == false));
    // Missing Peace gathers six of the seven origins, each through its own relay.
    assert_eq!(source(&in_libya, "missing-peace"), (6, 6));
    assert_eq!(source(&in_libya, "al-manar"), (2, 2));
    // Denied once: the Western agencies, passed along by DEBKA.
    assert_eq!(in_libya["denials"]["independent"], 1);
    assert_eq!(roots(&in_libya, "denials"), own(&[("western-intel", 1)]));

    // plans-libya: one origin, denied by the same agencies.
    let plans = claim("plans-libya");
    assert_eq!(roots(&plans, "roots"), own(&[("russian-intel", 0)]));
    assert_eq!(roots(&plans, "denials"), own(&[("western-intel", 1)]));
    assert_eq!(plans["first_reported"], "2016");

    // No other claim is denied.
    for c in json["claims"].as_array().unwrap() {
        if c["id"] != "in-libya" && c["id"] != "plans-libya" {
            assert_eq!(c["denials"]["independent"], 0, "{} is denied", c["id"]);
        }
    }

    // The outlets that gather several origins do so through separate relays:
    // no source of the case reaches several root groups through one relay.
    assert_eq!(source(&claim("wounded-treated"), "missing-peace"), (2, 2));
    assert_eq!(source(&claim("isis-to-libya"), "arab-news-site"), (2, 2));
    assert_eq!(
        source(&claim("regroup-south-libya"), "arab-news-site"),
        (3, 3)
    );
    for c in json["claims"].as_array().unwrap() {
        for s in c["sources"].as_array().unwrap() {
            assert_eq!(
                s["roots"], s["chains"],
                "{} of {} reaches its origins through fewer relays than it has origins",
                s["id"], c["id"]
            );
        }
    }

    // The 2017 South Front chain: one origin each, reaching three sources.
    for id in ["focus-on-libya", "syria-iraq-border", "injured-al-qaim"] {
        let c = claim(id);
        assert_eq!(roots(&c, "roots").len(), 1, "{id}");
        assert_eq!(roots(&c, "roots")[0].1, 3, "{id}");
        assert_eq!(c["single_source"], true, "{id}");
    }

    // alive: first reported as a question in 2017; its one support is the 2019 video.
    let alive = claim("alive");
    assert_eq!(alive["first_reported"], "2017-12-01");
    assert_eq!(alive["reports"], 5);
    assert_eq!(roots(&alive, "roots"), own(&[("caliph-video", 0)]));

    // Two claims pass the default check; fourteen are single-source.
    let single: Vec<&str> = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["single_source"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(single.len(), 14, "{single:?}");
    assert!(json["warnings"].as_array().unwrap().is_empty());
}
