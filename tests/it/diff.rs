//! `rumorgraph diff OLD... -- NEW...`: what changed between two versions of
//! a case, and an exit code that says whether a verdict changed.

use crate::util::{run, temp_dir, write_file, Lcg};

#[test]
fn the_same_case_twice_changes_nothing() {
    let r = run([
        "diff",
        "-q",
        "data/baghdadi-libya.toml",
        "--",
        "data/baghdadi-libya.toml",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .ends_with("16 claims compared; no verdict changed\n"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .lines()
        .take(16)
        .all(|l| l.contains(": unchanged, ")));
    // The same case in two encodings is the same case.
    let r = run([
        "diff",
        "-q",
        "data/example.toml",
        "--",
        "data/example-sources.csv",
        "data/example-claims.csv",
        "data/example.csv",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_new_origin_is_a_changed_verdict() {
    let r = run([
        "diff",
        "docs/img/examples/diff-before.toml",
        "--",
        "docs/img/examples/diff-after.toml",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r
        .stdout
        .starts_with("claim rescue: FAIL -> PASS (verdict changed)\n"));
    assert!(r.stdout.contains("  + root group passenger\n"));
    assert!(r
        .stdout
        .contains("  ~ report gazette, 2024-05-06 (cites, quote)\n"));
    let json: serde_json::Value = serde_json::from_str(
        &run([
            "diff",
            "--format",
            "json",
            "docs/img/examples/diff-before.toml",
            "--",
            "docs/img/examples/diff-after.toml",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(json["verdicts_changed"], 1);
    assert_eq!(json["claims"][0]["before"]["verdict"], "FAIL");
    assert_eq!(json["claims"][0]["after"]["verdict"], "PASS");
    assert_eq!(
        json["claims"][1]["roots_lost"],
        serde_json::json!([["radio"]])
    );
    assert_eq!(
        json["sources"]["added"],
        serde_json::json!([{ "id": "passenger" }, { "id": "police-source" }])
    );
}

#[test]
fn bad_input_is_exit_2() {
    let dir = temp_dir();
    write_file(&dir, "a.toml", "[[claims]]\nid = \"x\"\n");
    write_file(&dir, "bad.toml", "[[claims]\n");
    for args in [
        vec!["diff", "a.toml"],                       // no `--`
        vec!["diff", "a.toml", "--", "missing.toml"], // no such file
        vec!["diff", "a.toml", "--", "bad.toml"],     // malformed
        vec!["diff", "a.toml", "--claim", "nope", "--", "a.toml"],
        vec!["diff", "a.toml", "-o", "a.toml", "--", "a.toml"], // output over an input
    ] {
        let r = crate::util::run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(!r.panicked());
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.toml")).unwrap(),
        "[[claims]]\nid = \"x\"\n"
    );
}

/// A random case as CSV rows (source, claim, cites), over three claims.
fn rows(rng: &mut Lcg) -> Vec<String> {
    let n = 3 + rng.below(10);
    let mut out = Vec::new();
    for _ in 0..rng.below(25) + 1 {
        let s = rng.below(n);
        let c = rng.below(3);
        let cite = if rng.below(3) == 0 {
            String::new()
        } else {
            format!("s{}", rng.below(n))
        };
        if cite != format!("s{s}") {
            out.push(format!("s{s},c{c},{cite}"));
        }
    }
    out
}

/// The PASS/FAIL of every claim, by `check`.
fn verdicts(dir: &std::path::Path, file: &str) -> std::collections::BTreeMap<String, String> {
    let r = crate::util::run_in(dir, ["check", "-q", file]);
    r.stdout
        .lines()
        .map(|l| {
            let mut w = l.split(' ');
            let v = w.next().unwrap().to_owned();
            (w.next().unwrap().to_owned(), v)
        })
        .collect()
}

#[test]
fn verdict_changes_agree_with_check_on_random_edits() {
    let mut rng = Lcg::new(77);
    for round in 0..60 {
        let old = rows(&mut rng);
        let mut new = old.clone();
        // Remove some rows, add others.
        for _ in 0..rng.below(4) {
            if !new.is_empty() {
                let i = rng.below(new.len());
                new.remove(i);
            }
        }
        new.extend(rows(&mut rng).into_iter().take(rng.below(4)));
        let dir = temp_dir();
        let csv = |r: &[String]| format!("source,claim,cites\n{}\n", r.join("\n"));
        write_file(&dir, "old.csv", csv(&old));
        write_file(&dir, "new.csv", csv(&new));
        let (a, b) = (
            verdicts(dir.path(), "old.csv"),
            verdicts(dir.path(), "new.csv"),
        );
        let r = crate::util::run_in(
            dir.path(),
            ["diff", "-q", "--format", "json", "old.csv", "--", "new.csv"],
        );
        assert!(r.code == 0 || r.code == 1, "round {round}: {}", r.stderr);
        let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let mut changed = 0;
        for c in json["claims"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            let want = a.get(id) != b.get(id);
            assert_eq!(c["verdict_changed"], want, "round {round}, claim {id}");
            changed += usize::from(want);
            if let Some(v) = a.get(id) {
                assert_eq!(c["before"]["verdict"], v.as_str());
            }
            if let Some(v) = b.get(id) {
                assert_eq!(c["after"]["verdict"], v.as_str());
            }
        }
        assert_eq!(json["verdicts_changed"], changed);
        assert_eq!(r.code, i32::from(changed > 0), "round {round}");
        // Without edits, nothing changes.
        let same = crate::util::run_in(dir.path(), ["diff", "-q", "old.csv", "--", "old.csv"]);
        assert_eq!(same.code, 0);
    }
}
