//! The commands as a user or a script meets them: exit codes, the lines of
//! `check` and `trace`, snapshots of `analyze`, and a reader that hangs up.

use std::io::Read;
use std::process::Stdio;

use crate::util::{run, run_ok};

/// Writes a case into a temporary directory and returns (dir, path).
fn case(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

/// Two claims: one that three named outlets report first-hand, one that
/// everybody has from a single agency.
const TWO_CLAIMS: &str = r#"
[[sources]]
id = "a"
kind = "outlet"
[[sources]]
id = "b"
kind = "outlet"
[[sources]]
id = "c"
kind = "outlet"
[[sources]]
id = "anon"
kind = "person"
[[sources]]
id = "agency"
kind = "agency"
[[sources]]
id = "x"
kind = "outlet"
[[sources]]
id = "y"
kind = "outlet"

[[claims]]
id = "corroborated"
text = "three outlets saw it themselves"

[[claims]]
id = "single"
text = "everybody has it from one agency"

[[reports]]
source = "a"
claim = "corroborated"
[[reports]]
source = "b"
claim = "corroborated"
[[reports]]
source = "c"
claim = "corroborated"
cites = ["anon"]

[[reports]]
source = "agency"
claim = "single"
[[reports]]
source = "x"
claim = "single"
cites = ["agency"]
[[reports]]
source = "y"
claim = "single"
cites = ["agency", "x"]
"#;

#[test]
fn check_fails_a_single_source_claim_and_passes_a_corroborated_one() {
    let (_d, path) = case("two.toml", TWO_CLAIMS);
    let r = run(["check", &path, "-q"]);
    let (code, out) = (r.code, r.stdout);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with(
            "PASS corroborated named=3 anonymous=0 undisclosed=0 unknown=0 retracted=0 independent=3"
        ),
        "{out}"
    );
    assert!(lines[0].ends_with("roots=a,anon,b"), "{out}");
    assert!(
        lines[1].starts_with(
            "FAIL single named=1 anonymous=0 undisclosed=0 unknown=0 retracted=0 independent=1"
        ),
        "{out}"
    );
    assert!(lines[1].ends_with("roots=agency"), "{out}");

    let r = run(["check", &path, "-q", "--claim", "corroborated"]);
    let (code, out) = (r.code, r.stdout);
    assert_eq!((code, out.lines().count()), (0, 1));
    let code = run(["check", &path, "-q", "--min-independent", "1"]).code;
    assert_eq!(code, 0);
    let code = run(["check", &path, "-q", "--min-independent", "4"]).code;
    assert_eq!(code, 1);
}

#[test]
fn check_counts_anonymous_origins_only_when_asked() {
    let text = r#"
[[sources]]
id = "u1"
kind = "anonymous"
[[sources]]
id = "u2"
kind = "anonymous"
[[sources]]
id = "paper"
kind = "outlet"
[[claims]]
id = "rumour"
text = "two unnamed officials say so"
[[reports]]
source = "paper"
claim = "rumour"
cites = ["u1", "u2"]
"#;
    let (_d, path) = case("anon.toml", text);
    let r = run(["check", &path]);
    let (code, out) = (r.code, r.stdout);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(
            "FAIL rumour named=0 anonymous=2 undisclosed=0 unknown=0 retracted=0 independent=2"
        ),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with("-- 2 anonymous origins are not counted: count them with --count anonymous"),
        "{out}"
    );
    for flag in [
        &["--count-anonymous"][..],
        &["--count", "anonymous"],
        &["--count", "unknown,anonymous"],
    ] {
        let mut args = vec!["check", &path];
        args.extend_from_slice(flag);
        let r = run(args);
        let (code, out) = (r.code, r.stdout);
        assert_eq!(code, 0, "{flag:?}: {out}");
        assert!(out.starts_with("PASS rumour"), "{out}");
    }
    let r = run(["check", &path, "--count", "undisclosed"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(" counts=named,undisclosed "),
        "{}",
        r.stdout
    );
}

#[test]
fn bad_input_exits_2_with_nothing_on_stdout() {
    let (_d, path) = case("bad.toml", "[[reports]]\nsource = \"a\"\n");
    for cmd in ["analyze", "check", "dot", "validate"] {
        let r = run([cmd, &path]);
        let (code, out, err) = (r.code, r.stdout, r.stderr);
        assert_eq!(code, 2, "{cmd}: {err}");
        assert!(out.is_empty(), "{cmd} wrote {out}");
        assert!(err.contains("a report has no `claim`"), "{cmd}: {err}");
    }
}

#[test]
fn unknown_claim_or_source_suggests_the_nearest() {
    let (_d, path) = case("two.toml", TWO_CLAIMS);
    let r = run(["analyze", &path, "--claim", "singel"]);
    let (code, err) = (r.code, r.stderr);
    assert_eq!(code, 2);
    assert!(
        err.contains("no claim `singel`") && err.contains("did you mean `single`"),
        "{err}"
    );
    let r = run(["trace", &path, "--claim", "single", "--source", "agensy"]);
    let (code, err) = (r.code, r.stderr);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `agency`"), "{err}");
}

#[test]
fn trace_lists_every_chain_and_says_when_it_cut_the_list() {
    let (_d, path) = case("two.toml", TWO_CLAIMS);
    let out = run_ok(["trace", &path, "-q", "--claim", "single", "--source", "y"]);
    assert_eq!(out, "agency -> x -> y\nagency -> y\n");
    let out = run_ok([
        "trace",
        &path,
        "-q",
        "--claim",
        "single",
        "--source",
        "y",
        "--max-paths",
        "1",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[1].contains("cut at 1"), "{out}");
    let out = run_ok([
        "trace", &path, "-q", "--claim", "single", "--source", "agency",
    ]);
    assert_eq!(out, "agency\n");
}

#[test]
fn output_files_are_written_whole() {
    let (d, path) = case("two.toml", TWO_CLAIMS);
    let out = d.path().join("figures.json");
    let stdout = run_ok([
        "analyze",
        &path,
        "-q",
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(stdout.is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["claims"][0]["id"], "corroborated");
    assert_eq!(json["claims"][0]["independent"], 3);
    assert_eq!(json["claims"][1]["single_source"], true);
    let mut names: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["figures.json", "two.toml"]);
}

#[test]
fn a_reader_that_hangs_up_is_not_an_error() {
    // Enough claims that the report is far larger than a pipe's buffer.
    let mut csv = String::from("source,claim,cites\n");
    for c in 0..4000 {
        csv.push_str(&format!("s{c},claim-{c},\ns{},claim-{c},s{c}\n", c + 1));
    }
    let (_d, path) = case("many.csv", &csv);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("rumorgraph"))
        .args(["analyze", &path, "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_names_every_command() {
    let out = run_ok(["--help"]);
    for cmd in ["analyze", "check", "trace", "dot", "validate"] {
        assert!(out.contains(cmd), "{out}");
    }
}

#[test]
fn snapshots_of_the_shipped_cases() {
    for file in crate::util::case_files() {
        let name = file.trim_start_matches("data/").replace('.', "_");
        let text = run_ok(["analyze", &file, "-q"]);
        insta::assert_snapshot!(format!("analyze_text_{name}"), text);
        let json = run_ok(["analyze", &file, "-q", "--format", "json"]);
        insta::assert_snapshot!(format!("analyze_json_{name}"), json);
        let check = run(["check", &file, "-q"]).stdout;
        insta::assert_snapshot!(format!("check_{name}"), check);
    }
}

/// Runs a shell command line on a pseudo-terminal with `script` (util-linux)
/// and returns everything the terminal received; `None` where there is no
/// `script`.
fn on_a_terminal(command: &str) -> Option<String> {
    let out = std::process::Command::new("script")
        .args(["-qec", command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(())?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_quick_run_on_a_terminal_shows_no_spinner() {
    let (_d, path) = case("two.toml", TWO_CLAIMS);
    let bin = assert_cmd::cargo::cargo_bin!("rumorgraph");
    let command = format!(
        "{} analyze -q {path} --format json > /dev/null",
        bin.display()
    );
    let Some(terminal) = on_a_terminal(&command) else {
        eprintln!("no `script` here: skipped");
        return;
    };
    // The spinner is drawn only once the work has taken a second.
    assert!(
        terminal.trim().is_empty(),
        "the terminal received {terminal:?}"
    );
}

#[test]
fn commands_show_the_first_warnings_and_validate_shows_them_all() {
    // One declared source, so each of the 25 undeclared ones is a warning.
    let mut text = String::from("[[sources]]\nid = \"declared\"\n");
    for i in 0..25 {
        text.push_str(&format!(
            "[[reports]]\nsource = \"u{i:02}\"\nclaim = \"c\"\ncites = [\"declared\"]\n"
        ));
    }
    let (_d, path) = case("many-warnings.toml", &text);
    let r = run(["analyze", &path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("is used but not declared").count(),
        20,
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("warning: 5 more warnings not shown"),
        "{}",
        r.stderr
    );
    let r = run(["validate", &path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("is used but not declared").count(),
        25,
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("more warnings"), "{}", r.stderr);
    assert!(run(["analyze", &path, "-q"]).stderr.is_empty());
}

#[test]
fn completions_man_version_and_examples_in_help() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = run(["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("rumorgraph"), "{shell}");
        assert!(r.stdout.contains("analyze"), "{shell}");
    }
    let r = run(["man"]);
    assert!(
        r.stdout.starts_with(".ie") && r.stdout.contains(".TH rumorgraph 1"),
        "{}",
        r.stdout
    );
    let r = run(["--version"]);
    assert!(
        r.stdout
            .starts_with(&format!("rumorgraph {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        r.stdout
    );
    for cmd in [
        "analyze",
        "check",
        "trace",
        "dot",
        "validate",
        "completions",
        "man",
    ] {
        let r = run([cmd, "--help"]);
        assert!(
            r.stdout.contains("EXAMPLES:"),
            "{cmd} --help has no examples"
        );
    }
    // The main help names no document outside the repository.
    let r = run(["--help"]);
    assert!(!r.stdout.contains("SPEC"), "{}", r.stdout);
}

#[test]
fn dot_renders_by_the_output_extension() {
    if !crate::util::dot_available() {
        eprintln!("NOT CHECKED: Graphviz's dot is not installed");
        assert!(std::env::var_os("CI").is_none(), "CI must install Graphviz");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("case.svg");
    let r = run(["dot", "data/example.toml", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("<svg"), "{}", &svg[..svg.len().min(200)]);
    let out = dir.path().join("case.dot");
    run(["dot", "data/example.toml", "-o", out.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("digraph"));
}

#[test]
fn as_of_keeps_the_record_of_a_day() {
    let text = r#"
[[sources]]
id = "a"
kind = "outlet"
[[sources]]
id = "b"
kind = "outlet"
[[sources]]
id = "c"
kind = "outlet"
[[reports]]
source = "a"
claim = "x"
date = "2020-01-10"
[[reports]]
source = "b"
claim = "x"
date = "2020-01"
[[reports]]
source = "c"
claim = "x"
date = "2020-02-01"
[[reports]]
source = "c"
claim = "x"
stance = "deny"
"#;
    let (_d, path) = case("asof.toml", text);
    // On 2020-01-15 only a's report is certainly out: b's "2020-01" may be later.
    let r = run(["check", &path, "--as-of", "2020-01-15"]);
    assert!(r.stdout.starts_with("FAIL x named=1 "), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("note: as of 2020-01-15: 3 reports left out (2 dated later, 1 undated)"),
        "{}",
        r.stderr
    );
    // A month or a year means its last day.
    let r = run(["check", &path, "--as-of", "2020-01", "-q"]);
    assert!(r.stdout.starts_with("PASS x named=2 "), "{}", r.stdout);
    assert!(r.stderr.is_empty());
    let json = run_ok([
        "analyze", &path, "--as-of", "2020-12", "-q", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["as_of"]["date"], "2020-12-31");
    assert_eq!(
        (v["as_of"]["later"].as_u64(), v["as_of"]["undated"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(v["claims"][0]["named"], 3);
    assert_eq!(v["claims"][0]["denials"]["independent"], 0);
    let r = run(["check", &path, "--as-of", "soon"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("\"soon\" is not a date"), "{}", r.stderr);
}

#[test]
fn timeline_lists_the_days_the_figures_changed() {
    let text = r#"
[[sources]]
id = "paper"
kind = "outlet"
[[sources]]
id = "daily"
kind = "outlet"
[[sources]]
id = "copy"
kind = "outlet"
[[sources]]
id = "ministry"
kind = "agency"
[[claims]]
id = "x"
text = "it happened"
[[reports]]
source = "paper"
claim = "x"
date = "2021-03-01"
[[reports]]
source = "copy"
claim = "x"
cites = ["paper"]
date = "2021-03-02"
[[reports]]
source = "daily"
claim = "x"
date = "2021-03"
[[reports]]
source = "ministry"
claim = "x"
stance = "deny"
date = "2021-04-05"
[[reports]]
source = "copy"
claim = "x"
stance = "comment"
"#;
    let (_d, path) = case("t.toml", text);
    let out = run_ok(["timeline", &path]);
    assert_eq!(
        out,
        "claim x: it happened\n  day         reports  independent  named  denials  what changed\n  \
         2021-03-01        1            1      1        0  first report; first support; origin: paper\n  \
         2021-03-31        3            2      2        0  new independent origin: daily; two named origins\n  \
         2021-04-05        4            2      2        1  first denial\n  \
         1 report without a date, not placed\n"
    );
    let json = run_ok(["timeline", &path, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let steps = v["claims"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[1]["new_roots"], serde_json::json!(["daily"]));
    assert_eq!(v["claims"][0]["undated"], 1);
    // The figures of the last step are those of --as-of that day.
    let check = run(["check", &path, "--as-of", "2021-04-05", "-q"]).stdout;
    assert!(
        check.starts_with(
            "PASS x named=2 anonymous=0 undisclosed=0 unknown=0 retracted=0 independent=2"
        ),
        "{check}"
    );
}
