//! The ways a careful researcher could once get a false PASS, each driven
//! through the binary: a typo in `cites`, sources of unknown kind, uncited
//! assertions, a deny report citing what it denies, and a case or claim with
//! nothing to check. Each must give FAIL or exit code 2 with a message that
//! says what to do. Then retractions, and `--count` in every combination.

use crate::util::{run_in, temp_dir, write_file};

/// The check lines, exit code and stderr of `rumorgraph check` on files
/// written to a fresh directory.
fn check(files: &[(&str, &str)], flags: &[&str]) -> (i32, String, String) {
    let dir = temp_dir();
    let mut args: Vec<String> = vec!["check".into()];
    for (name, text) in files {
        write_file(&dir, name, text);
        args.push((*name).to_owned());
    }
    args.extend(flags.iter().map(|f| (*f).to_owned()));
    let r = run_in(dir.path(), &args);
    (r.code, r.stdout, r.stderr)
}

const FARS: &str = r#"
[[sources]]
id = "fars"
name = "Fars"
kind = "outlet"
[[sources]]
id = "tasnim"
kind = "outlet"
[[sources]]
id = "blog"
kind = "outlet"
[[claims]]
id = "c"
text = "it happened"
[[reports]]
source = "fars"
claim = "c"
"#;

#[test]
fn a_typo_in_cites_is_an_error_not_a_second_origin() {
    // `frs` for `fars` would have been a second, "named" origin of unknown kind.
    let text = format!("{FARS}[[reports]]\nsource = \"blog\"\nclaim = \"c\"\ncites = [\"frs\"]\n");
    for flags in [&[][..], &["-q"]] {
        let (code, out, err) = check(&[("case.toml", &text)], flags);
        assert_eq!(code, 2, "{flags:?}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(
                "error: case.toml:21:10: source `frs` is not declared; did you mean `fars`?"
            ),
            "{err}"
        );
        assert!(err.contains("write `fars`, or declare `frs`"), "{err}");
    }
    // A source's name for its id (any case) is caught the same way.
    let text = format!("{FARS}[[reports]]\nsource = \"blog\"\nclaim = \"c\"\ncites = [\"FARS\"]\n");
    let text = text.replace(
        "id = \"fars\"\nname = \"Fars\"",
        "id = \"fars-agency\"\nname = \"Fars\"",
    );
    let text = text.replace("source = \"fars\"", "source = \"fars-agency\"");
    let dir = temp_dir();
    write_file(&dir, "case.toml", &text);
    write_file(&dir, "more.csv", "source,claim,cites\ntasnim,c,fars\n");
    let r = run_in(dir.path(), ["check", "case.toml", "more.csv"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "source `fars` is not declared; it is the name of the declared source `fars-agency`"
        ),
        "{}",
        r.stderr
    );
    // An unrelated undeclared id stays a warning, and cannot make a claim pass.
    let text =
        format!("{FARS}[[reports]]\nsource = \"blog\"\nclaim = \"c\"\ncites = [\"interfax\"]\n");
    let (code, out, err) = check(&[("case.toml", &text)], &[]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("warning: case.toml:21:10: source `interfax` is used but not declared"),
        "{err}"
    );
    assert!(
        out.starts_with("FAIL c named=1 anonymous=0 undisclosed=0 unknown=1 "),
        "{out}"
    );
    // Ids that differ in digits only are different things, not typos.
    let text = "[[sources]]\nid = \"report-2015\"\nkind = \"document\"\n\
                [[reports]]\nsource = \"report-2016\"\nclaim = \"c\"\n";
    let (code, _, err) = check(&[("case.toml", text)], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("source `report-2016` is used but not declared"),
        "{err}"
    );
}

#[test]
fn sources_of_unknown_kind_never_make_a_claim_pass() {
    // A spreadsheet of reports carries no kinds: two unnamed sources.
    let table = "source,claim,cites\nreuters,c,official-1\nap,c,official-2\n";
    let (code, out, _) = check(&[("t.csv", table)], &[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out,
        "FAIL c named=0 anonymous=0 undisclosed=0 unknown=2 retracted=0 independent=2 min=2 \
         counts=named credibility=not-1 roots=official-1,official-2 -- 2 origins of unknown kind: declare their \
         kinds, or count them with --count unknown\n"
    );
    // Declaring the kinds beside the table decides it.
    let kinds = "[[sources]]\nid = \"official-1\"\nkind = \"person\"\n\
                 [[sources]]\nid = \"official-2\"\nkind = \"anonymous\"\n\
                 [[sources]]\nid = \"reuters\"\nkind = \"outlet\"\n\
                 [[sources]]\nid = \"ap\"\nkind = \"outlet\"\n";
    let (code, out, _) = check(&[("kinds.toml", kinds), ("t.csv", table)], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("FAIL c named=1 anonymous=1 undisclosed=0 unknown=0 "),
        "{out}"
    );
    let (code, out, _) = check(
        &[("kinds.toml", kinds), ("t.csv", table)],
        &["--count-anonymous"],
    );
    assert_eq!(code, 0, "{out}");
    // Counting unknown origins is an explicit choice.
    let (code, out, _) = check(&[("t.csv", table)], &["--count", "unknown"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" counts=named,unknown "), "{out}");
}

#[test]
fn uncited_assertions_with_an_undisclosed_basis_are_not_named_origins() {
    let text = r#"
[[sources]]
id = "ministry"
kind = "agency"
[[sources]]
id = "daily"
kind = "outlet"
[[sources]]
id = "witness"
kind = "person"
[[claims]]
id = "c"
text = "the factory made weapons"
[[reports]]
source = "ministry"
claim = "c"
basis = "undisclosed"
quote = "The factory produced chemical weapons (fact sheet)."
[[reports]]
source = "daily"
claim = "c"
basis = "undiclosed"
"#;
    // A misspelt basis is an error, not first-hand.
    let (code, _, err) = check(&[("case.toml", text)], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown basis \"undiclosed\""), "{err}");
    assert!(err.contains("did you mean `undisclosed`?"), "{err}");

    let text = text.replace("\"undiclosed\"", "\"undisclosed\"");
    let (code, out, _) = check(&[("case.toml", &text)], &[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out,
        "FAIL c named=0 anonymous=0 undisclosed=2 unknown=0 retracted=0 independent=2 min=2 \
         counts=named credibility=not-1 roots=daily,ministry -- 2 origins assert it without saying where the claim \
         came from (basis undisclosed): find where they got it, or count them with --count \
         undisclosed\n"
    );
    // A first-hand witness makes one named origin; still single-sourced.
    let with_witness = format!("{text}[[reports]]\nsource = \"witness\"\nclaim = \"c\"\n");
    let (code, out, _) = check(&[("case.toml", &with_witness)], &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("FAIL c named=1 anonymous=0 undisclosed=2 "),
        "{out}"
    );
    let (code, out, _) = check(&[("case.toml", &with_witness)], &["--count", "undisclosed"]);
    assert_eq!(code, 0, "{out}");
    // The JSON names each group's basis.
    let dir = temp_dir();
    write_file(&dir, "case.toml", &with_witness);
    let r = run_in(dir.path(), ["analyze", "case.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let c = &v["claims"][0];
    assert_eq!(
        (
            &c["named"],
            &c["undisclosed"],
            &c["unknown"],
            &c["retracted"]
        ),
        (&1.into(), &2.into(), &0.into(), &0.into())
    );
    let bases: Vec<&str> = c["roots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["basis"].as_str().unwrap())
        .collect();
    assert_eq!(bases, ["undisclosed", "undisclosed", "named"]);
    // `basis` on a report that cites someone is a warning: it has no effect.
    let cited = format!("{with_witness}[[reports]]\nsource = \"daily\"\nclaim = \"c\"\ncites = [\"witness\"]\nbasis = \"first-hand\"\n");
    let (_, _, err) = check(&[("case.toml", &cited)], &[]);
    assert!(
        err.contains(
            "warning: case.toml:30:9: `basis = \"first-hand\"` on a report that cites sources"
        ),
        "{err}"
    );
}

#[test]
fn a_deny_report_citing_what_it_denies_is_warned_about() {
    let text = r#"
[[sources]]
id = "documents"
kind = "document"
[[sources]]
id = "agency"
kind = "agency"
[[claims]]
id = "c"
text = "the documents prove the purchase"
[[reports]]
source = "documents"
claim = "c"
[[reports]]
source = "agency"
claim = "c"
stance = "deny"
cites = ["documents"]
"#;
    let dir = temp_dir();
    write_file(&dir, "case.toml", text);
    let r = run_in(dir.path(), ["analyze", "case.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning: case.toml:14:1: the deny report by `agency` cites `documents`, which supports `c`"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("leave `documents` out of cites (a first-hand denial)"),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), ["check", "case.toml", "--strict"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Recorded as the warning says, the agency is the origin of the denial.
    let fixed = text.replace("cites = [\"documents\"]\n", "");
    write_file(&dir, "fixed.toml", &fixed);
    let r = run_in(dir.path(), ["analyze", "fixed.toml", "--format", "json"]);
    assert_eq!(r.stderr, "");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["claims"][0]["denials"]["roots"][0]["sources"][0],
        "agency"
    );
}

#[test]
fn nothing_passes_vacuously() {
    // No claims at all.
    let (code, out, err) = check(
        &[("case.toml", "title = \"empty\"\n")],
        &["--min-independent", "0"],
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty());
    assert!(
        err.contains("the case has no claims, so there is nothing to check"),
        "{err}"
    );
    // A claim with only a denial: FAIL with its reason, whatever the minimum.
    let text = "[[sources]]\nid = \"a\"\nkind = \"outlet\"\n\
                [[reports]]\nsource = \"a\"\nclaim = \"c\"\nstance = \"deny\"\n";
    for min in ["0", "2"] {
        let (code, out, _) = check(&[("case.toml", text)], &["--min-independent", min]);
        assert_eq!(code, 1, "{out}");
        assert!(out.starts_with("FAIL c named=0 "), "{out}");
        assert!(
            out.trim_end().ends_with("-- no support report: nothing stands behind the claim (a claim without support never passes)"),
            "{out}"
        );
    }
    // --claim naming an unknown claim is bad input.
    let (code, _, err) = check(&[("case.toml", text)], &["--claim", "d"]);
    assert_eq!(code, 2);
    assert!(err.contains("the case has no claim `d`"), "{err}");
}

#[test]
fn a_retracted_origin_stays_in_the_graph_and_is_not_counted() {
    let text = r#"
[[sources]]
id = "paper"
kind = "outlet"
[[sources]]
id = "official"
kind = "person"
[[sources]]
id = "relay"
kind = "outlet"
[[claims]]
id = "c"
text = "the minister resigned"
[[reports]]
source = "paper"
claim = "c"
date = "2020-01-02"
[[reports]]
source = "official"
claim = "c"
[[reports]]
source = "relay"
claim = "c"
cites = ["paper", "official"]
[[reports]]
source = "paper"
claim = "c"
stance = "retract"
date = "2020-01-05"
quote = "This report should never have been published."
"#;
    let (code, out, _) = check(&[("case.toml", text)], &[]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out,
        "FAIL c named=1 anonymous=0 undisclosed=0 unknown=0 retracted=1 independent=2 min=2 \
         counts=named credibility=not-1 roots=official,paper -- 1 origin retracted its support\n"
    );
    let dir = temp_dir();
    write_file(&dir, "case.toml", text);
    let r = run_in(dir.path(), ["analyze", "case.toml"]);
    assert!(r.stdout.contains("1 retracted: paper"), "{}", r.stdout);
    assert!(r.stdout.contains("retracted (named)"), "{}", r.stdout);
    // The copy still traces to the retracted origin.
    let r = run_in(
        dir.path(),
        ["trace", "case.toml", "--claim", "c", "--source", "relay"],
    );
    assert_eq!(r.stdout, "official -> relay\npaper -> relay\n");
    // The diagram marks it.
    let r = run_in(dir.path(), ["dot", "case.toml"]);
    assert!(r.stdout.contains("1 retracted"), "{}", r.stdout);
    assert!(r.stdout.contains("diagonals"), "{}", r.stdout);
    // A retraction without earlier support is warned about.
    let text = text.replace(
        "source = \"paper\"\nclaim = \"c\"\nstance = \"retract\"",
        "source = \"official\"\nclaim = \"d\"\nstance = \"retract\"",
    );
    let (_, _, err) = check(&[("case.toml", &text)], &[]);
    assert!(
        err.contains("`official` retracts `d`, but has no support report of it"),
        "{err}"
    );
}

#[test]
fn the_credibility_hint_takes_each_of_its_four_values() {
    let text = r#"
[[sources]]
id = "a"
kind = "outlet"
[[sources]]
id = "b"
kind = "person"
[[sources]]
id = "ministry"
kind = "agency"
reliability = "B"
[[claims]]
id = "two"
text = "two named origins"
[[claims]]
id = "denied"
text = "two named origins and a named denial"
[[claims]]
id = "one"
text = "one named origin"
[[claims]]
id = "none"
text = "only a denial"
[[reports]]
source = "a"
claim = "two"
[[reports]]
source = "b"
claim = "two"
[[reports]]
source = "a"
claim = "denied"
[[reports]]
source = "b"
claim = "denied"
[[reports]]
source = "ministry"
claim = "denied"
stance = "deny"
[[reports]]
source = "a"
claim = "one"
[[reports]]
source = "ministry"
claim = "none"
stance = "deny"
"#;
    let (code, out, _) = check(&[("case.toml", text)], &[]);
    assert_eq!(code, 1, "{out}");
    let hints: Vec<&str> = out
        .lines()
        .map(|l| {
            l.split(" credibility=")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(hints, ["eligible-1", "contradicted", "not-1", "no-basis"]);
    // --require passes exactly the eligible claims and says why the others fail.
    let (code, out, _) = check(&[("case.toml", text)], &["--require", "eligible-1"]);
    assert_eq!(code, 1);
    let verdicts: Vec<&str> = out.lines().map(|l| &l[..4]).collect();
    assert_eq!(verdicts, ["PASS", "FAIL", "FAIL", "FAIL"]);
    assert!(
        out.contains("-- denied by 1 named independent origin: ministry; consider grade 5"),
        "{out}"
    );
    let (code, out, _) = check(
        &[("case.toml", text)],
        &["--require", "eligible-1", "--claim", "two"],
    );
    assert_eq!(code, 0, "{out}");
    // The JSON carries the hint, its reason, and each source's letter apart.
    let dir = temp_dir();
    write_file(&dir, "case.toml", text);
    let r = run_in(dir.path(), ["analyze", "case.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["claims"][1]["credibility"], "contradicted");
    assert_eq!(v["claims"][3]["credibility"], "no-basis");
    let reason = v["claims"][2]["credibility_reason"].as_str().unwrap();
    assert!(reason.contains("not grade 1"), "{reason}");
    // --require goes with no count.
    let (code, _, err) = check(
        &[("case.toml", text)],
        &["--require", "eligible-1", "--min-independent", "3"],
    );
    assert_eq!(code, 2, "{err}");
}
