//! Every defect of the reliability audit as a regression test, driven
//! through the binary: output files that cannot hurt, bounded work on
//! hostile input, nothing changed silently or echoed raw, and Graphviz
//! handled defensively (docs/reliability.md lists them with their promises).
//!
//! The work bounds are checked under a memory limit (`ulimit -v`) and a
//! watchdog far above what the fixed code needs and far below what the
//! defect cost (minutes, gigabytes, or never finishing): they catch a return
//! of exponential or quadratic work without timing anything closely.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{run_in, temp_dir, write_file};

/// The binary under test.
fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin!("rumorgraph").to_owned()
}

/// The outcome of a bounded run: exit code, stdout, stderr.
struct Bounded {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary in `dir` with at most `mib` MiB of address space and
/// `secs` seconds; fails the test when the watchdog has to stop it.
fn bounded(dir: &Path, args: &[&str], mib: u64, secs: u64) -> Bounded {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {}; exec \"$0\" \"$@\"", mib * 1024))
        .arg(binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    let out_reader = {
        let mut o = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut o, &mut v).unwrap();
            v
        })
    };
    let err_reader = {
        let mut e = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut v).unwrap();
            v
        })
    };
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rumorgraph {args:?} was still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("memory allocation"),
        "rumorgraph {args:?} crashed:\n{}",
        &stderr[..stderr.len().min(2000)]
    );
    Bounded {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

const SMALL: &str =
    "[[sources]]\nid = \"a\"\nkind = \"outlet\"\n\n[[reports]]\nsource = \"a\"\nclaim = \"c\"\n";

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ------------------------------------------------------------ output files

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = temp_dir();
    let case = write_file(&dir, "case.toml", SMALL);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    for (out, args) in [
        ("case.toml", vec!["analyze", "case.toml", "-o", "case.toml"]),
        (
            "./sub/../case.toml",
            vec!["check", "case.toml", "-o", "./sub/../case.toml"],
        ),
    ] {
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{out}: {}", r.stderr);
        assert!(r.stderr.contains("is the input"), "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&case).unwrap(), SMALL);
    }
    // Through a symbolic link too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("case.toml", dir.path().join("link.toml")).unwrap();
        let r = run_in(dir.path(), ["dot", "case.toml", "-o", "link.toml"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&case).unwrap(), SMALL);
    }
}

#[cfg(unix)]
#[test]
fn devices_are_written_to_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = temp_dir();
    write_file(&dir, "case.toml", SMALL);
    let r = run_in(dir.path(), ["analyze", "case.toml", "-o", "/dev/null"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    // A full device is an error that names it.
    let r = run_in(
        dir.path(),
        [
            "analyze",
            "case.toml",
            "--format",
            "json",
            "-o",
            "/dev/full",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot write /dev/full"), "{}", r.stderr);
    assert!(r.stderr.contains("No space left on device"), "{}", r.stderr);
    assert!(std::fs::metadata("/dev/full")
        .unwrap()
        .file_type()
        .is_char_device());
    // /dev/stdout is this process's standard output.
    let r = run_in(dir.path(), ["check", "case.toml", "-o", "/dev/stdout"]);
    assert!(r.stdout.starts_with("FAIL c named=1"), "{}", r.stdout);
    assert_eq!(files_in(dir.path()), ["case.toml"]);
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_and_the_mode_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    write_file(&dir, "case.toml", SMALL);
    let target = write_file(&dir, "report.txt", "old");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o604)).unwrap();
    std::os::unix::fs::symlink("report.txt", dir.path().join("latest.txt")).unwrap();
    let r = run_in(dir.path(), ["analyze", "case.toml", "-o", "latest.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let link = std::fs::symlink_metadata(dir.path().join("latest.txt")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .starts_with("claim c"));
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o604);
    assert_eq!(
        files_in(dir.path()),
        ["case.toml", "latest.txt", "report.txt"]
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_write_leaves_no_stray_file() {
    // A case whose JSON is large enough (tens of MB) to be caught while it
    // is being written; the interrupt comes as soon as the temporary file
    // appears.
    let dir = temp_dir();
    let mut table = String::from("source,claim,cites\ns0,c,\n");
    for i in 1..400_000 {
        table.push_str(&format!("s{i},c,s{}\n", i - 1));
    }
    write_file(&dir, "chain.csv", &table);
    let mut caught = 0;
    for _ in 0..5 {
        let mut child = Command::new(binary())
            .args(["analyze", "chain.csv", "--format", "json", "-o", "out.json"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let seen = loop {
            if files_in(dir.path()).iter().any(|f| f.ends_with(".tmp")) {
                break true;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(120) {
                break false;
            }
            std::thread::sleep(Duration::from_micros(200));
        };
        if seen {
            Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
        }
        let status = child.wait().unwrap();
        let left = files_in(dir.path());
        assert!(
            !left.iter().any(|f| f.ends_with(".tmp")),
            "a temporary file was left: {left:?}"
        );
        if seen && status.code() == Some(130) {
            caught += 1;
            assert!(
                !dir.path().join("out.json").exists(),
                "a partial output was left"
            );
        }
        let _ = std::fs::remove_file(dir.path().join("out.json"));
    }
    assert!(caught > 0, "the write was never caught in the act");
}

// ------------------------------------------------------------ bounded work

#[test]
fn trace_through_a_circle_of_diamonds_is_not_exponential() {
    // 40 diamonds (a source citing two that both cite the one before) in a
    // circle downstream of the only root: one chain, 2^40 dead ends.
    let mut t = String::from("source,claim,cites\nroot,c,\nd00,c,root;d40\n");
    for i in 1..=40 {
        t.push_str(&format!(
            "a{i:02},c,d{:02}\nb{i:02},c,d{:02}\nd{i:02},c,a{i:02};b{i:02}\n",
            i - 1,
            i - 1
        ));
    }
    let dir = temp_dir();
    write_file(&dir, "diamonds.csv", &t);
    let r = bounded(
        dir.path(),
        &["trace", "diamonds.csv", "--claim", "c", "--source", "a01"],
        512,
        60,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "root -> d00 -> a01\n");
    let r = bounded(
        dir.path(),
        &["trace", "diamonds.csv", "--claim", "c", "--source", "d03"],
        512,
        60,
    );
    assert_eq!(r.stdout.lines().count(), 8, "{}", r.stdout);
}

#[test]
fn a_minified_json_case_with_many_undeclared_sources_stays_small() {
    let mut reports = Vec::new();
    for i in 0..32_000 {
        reports.push(format!(
            "{{\"source\":\"blog\",\"claim\":\"c\",\"cites\":[\"undeclared-{i}\"]}}"
        ));
    }
    let text = format!(
        "{{\"sources\":[{{\"id\":\"blog\",\"kind\":\"outlet\"}}],\"reports\":[{}]}}",
        reports.join(",")
    );
    let dir = temp_dir();
    write_file(&dir, "min.json", &text);
    let r = bounded(dir.path(), &["validate", "min.json"], 1024, 120);
    assert_eq!(r.code, 0, "{}", &r.stderr[..r.stderr.len().min(500)]);
    assert!(r.stdout.contains("32000 warnings"), "{}", r.stdout);
    // Every shown line is cut around its place, never the whole 2 MB line.
    assert!(r.stderr.lines().all(|l| l.len() < 1000));
}

#[test]
fn many_and_duplicate_keys_are_linear() {
    let dir = temp_dir();
    // 200,000 distinct unknown keys in one report.
    let keys: Vec<String> = (0..200_000).map(|i| format!("\"k{i}\":1")).collect();
    write_file(
        &dir,
        "keys.json",
        format!(
            "{{\"reports\":[{{\"source\":\"a\",\"claim\":\"c\",{}}}]}}",
            keys.join(",")
        ),
    );
    let r = bounded(dir.path(), &["validate", "keys.json"], 1024, 60);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("199980 more unknown keys in a report"),
        "{}",
        tail(&r.stderr)
    );
    // 100,000 repeats of one key on one line.
    let dup = vec!["\"source\":\"a\""; 100_000].join(",");
    write_file(
        &dir,
        "dup.json",
        format!("{{\"reports\":[{{{dup},\"claim\":\"c\"}}]}}"),
    );
    let r = bounded(dir.path(), &["validate", "dup.json"], 1024, 60);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("99979 more keys are given twice in a report"),
        "{}",
        tail(&r.stderr)
    );
    assert!(
        r.stderr.len() < 100_000,
        "{} bytes of messages",
        r.stderr.len()
    );
}

fn tail(s: &str) -> &str {
    &s[s.len().saturating_sub(1500)..]
}

#[test]
fn suggestions_between_huge_ids_are_bounded() {
    let long_a = "a".repeat(200_000);
    let long_b = format!("{}b", "a".repeat(199_999));
    let dir = temp_dir();
    write_file(
        &dir,
        "long.toml",
        format!("[[sources]]\nid = \"{long_a}\"\nkind = \"outlet\"\n\n[[reports]]\nsource = \"{long_b}\"\nclaim = \"c\"\n"),
    );
    let r = bounded(dir.path(), &["validate", "long.toml"], 1024, 30);
    assert_eq!(r.code, 0, "{}", tail(&r.stderr));
    assert!(r.stderr.contains("is used but not declared"));
    assert!(
        r.stderr.len() < 5_000,
        "{} bytes of messages",
        r.stderr.len()
    );
}

#[test]
fn one_report_citing_200000_sources_is_linear() {
    let cites: Vec<String> = (0..200_000).map(|i| format!("s{i}")).collect();
    let dir = temp_dir();
    write_file(
        &dir,
        "star.csv",
        format!("source,claim,cites\nhub,c,{}\n", cites.join(";")),
    );
    let r = bounded(
        dir.path(),
        &["check", "star.csv", "--count", "unknown"],
        1024,
        60,
    );
    assert_eq!(r.code, 0, "{}", tail(&r.stderr));
    assert!(r
        .stdout
        .starts_with("PASS c named=0 anonymous=0 undisclosed=0 unknown=200000 "));
}

#[test]
fn a_huge_value_is_not_echoed_whole() {
    let dir = temp_dir();
    let huge = "X".repeat(5 << 20);
    write_file(
        &dir,
        "huge.toml",
        format!("[[reports]]\nsource = \"{huge}\"\nclaim = \"c\"\n"),
    );
    let r = bounded(dir.path(), &["validate", "huge.toml"], 1024, 30);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is not a valid id"),
        "{}",
        tail(&r.stderr)
    );
    assert!(
        r.stderr.len() < 5_000,
        "{} bytes of messages",
        r.stderr.len()
    );
}

#[cfg(unix)]
#[test]
fn an_endless_input_is_read_no_further_than_the_limit() {
    let dir = temp_dir();
    let r = bounded(
        dir.path(),
        &["validate", "/dev/zero", "--max-input", "64M"],
        1024,
        60,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("/dev/zero: cannot read /dev/zero: it is larger than the limit of 64 MiB"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--max-input"), "{}", r.stderr);
}

// ---------------------------------------- nothing changed, nothing raw, no panic

#[cfg(unix)]
#[test]
fn a_standard_error_that_cannot_be_written_is_no_panic() {
    let dir = temp_dir();
    write_file(&dir, "bad.toml", "[[reports]]\nsource = \"a\"\n");
    let status = Command::new(binary())
        .args(["validate", "bad.toml"])
        .current_dir(dir.path())
        .stderr(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

#[test]
fn a_lone_surrogate_is_an_error_with_its_place() {
    let dir = temp_dir();
    write_file(
        &dir,
        "s.json",
        "{\"reports\": [\n {\"source\": \"a\\ud800\", \"claim\": \"c\"}]}",
    );
    let r = run_in(dir.path(), ["validate", "s.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("s.json:2:13: the string has the escape `\\ud800`"),
        "{}",
        r.stderr
    );
}

#[test]
fn control_characters_are_refused_and_never_echoed_raw() {
    let dir = temp_dir();
    for (name, escaped) in [
        ("a\\u0000b", "\\u{0}"),
        ("bell\\u0007", "\\u{7}"),
        ("esc\\u001b[31m", "\\u{1b}"),
    ] {
        write_file(
            &dir,
            "c.toml",
            format!("[[sources]]\nid = \"a\"\nname = \"{name}\"\n\n[[reports]]\nsource = \"a\"\nclaim = \"c\"\n"),
        );
        let r = run_in(dir.path(), ["dot", "c.toml", "--render", "svg"]);
        assert_eq!(r.code, 2, "{name}");
        assert!(
            r.stderr
                .contains(&format!("`name` holds the control character {escaped}")),
            "{}",
            r.stderr
        );
        assert!(
            !r.stderr.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reached the terminal: {:?}",
            r.stderr
        );
    }
    // In a CSV cell, and in a file name or an id given on the command line.
    write_file(&dir, "t.csv", "source,claim,quote\na,c,x\u{1b}y\n");
    let r = run_in(dir.path(), ["validate", "t.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("`quote` holds the control character \\u{1b}"),
        "{}",
        r.stderr
    );
    write_file(&dir, "ok.toml", SMALL);
    let r = run_in(dir.path(), ["check", "ok.toml", "--claim", "x\u{1b}[2J"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("x\\u{1b}[2J"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'));
}

#[test]
fn the_hostile_svg_is_well_formed_and_takes_nothing_from_the_input() {
    if !crate::util::dot_available() {
        eprintln!("NOT CHECKED: Graphviz's dot is not installed");
        assert!(std::env::var_os("CI").is_none(), "CI must install Graphviz");
        return;
    }
    let r = crate::util::run([
        "dot",
        "tests/fixtures/hostile.toml",
        "-q",
        "--render",
        "svg",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(&r.stdout, options)
        .expect("the SVG is well-formed XML");
    const ELEMENTS: [&str; 12] = [
        "svg", "g", "title", "text", "path", "polygon", "ellipse", "polyline", "a", "defs", "rect",
        "desc",
    ];
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        assert!(ELEMENTS.contains(&tag), "element <{tag}> in the SVG");
        for a in node.attributes() {
            assert!(
                a.name()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
                "attribute {:?}",
                a.name()
            );
        }
    }
}

// ---------------------------------------------------------------- --render

#[cfg(unix)]
#[test]
fn graphviz_that_misbehaves_is_reported() {
    let dir = temp_dir();
    write_file(&dir, "case.toml", SMALL);
    let fake = |name: &str, script: &str| -> PathBuf {
        let bin = dir.path().join(name);
        std::fs::create_dir(&bin).unwrap();
        let p = bin.join("dot");
        let mut f = std::fs::File::create(&p).unwrap();
        f.write_all(script.as_bytes()).unwrap();
        drop(f);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        bin
    };
    let path = |bin: &Path| {
        format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    };
    for (name, script, expect) in [
        (
            "silent",
            "#!/bin/sh\ncat >/dev/null\nexit 0\n",
            "it exited normally but wrote no picture",
        ),
        (
            "crash",
            "#!/bin/sh\ncat >/dev/null\necho 'out of memory' >&2\nkill -SEGV $$\n",
            "killed by a signal (signal 11); it said: out of memory",
        ),
        (
            "fail",
            "#!/bin/sh\ncat >/dev/null\necho 'syntax error in line 3' >&2\nexit 1\n",
            "exited with status 1; it said: syntax error in line 3",
        ),
        (
            "hang",
            "#!/bin/sh\nexec sleep 30\n",
            "did not finish within 1 s and was stopped",
        ),
    ] {
        let bin = fake(name, script);
        let started = Instant::now();
        let out = Command::new(binary())
            .args([
                "dot",
                "case.toml",
                "--render",
                "svg",
                "--render-timeout",
                "1",
                "-o",
                "out.svg",
            ])
            .current_dir(dir.path())
            .env("PATH", path(&bin))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expect), "{name}: {stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name} was not stopped"
        );
        assert!(!dir.path().join("out.svg").exists());
    }
    // Nothing of the DOT text is left in a temporary directory: it went
    // through a pipe.
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let out = Command::new(binary())
        .args(["dot", "case.toml", "--render", "svg", "-o", "out.svg"])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    if crate::util::dot_available() {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(files_in(&tmp).is_empty(), "{:?}", files_in(&tmp));
}

#[test]
fn csv_tables_never_land_on_an_input() {
    let dir = temp_dir();
    let reports = "source,claim,cites\nblog,c,fars\n";
    write_file(&dir, "reports.csv", reports);
    let r = run_in(
        dir.path(),
        ["export", "-q", "reports.csv", "--to", "csv", "-o", "."],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("is the input reports.csv"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("reports.csv")).unwrap(),
        reports
    );
    assert_eq!(files_in(dir.path()), ["reports.csv"]);
}
