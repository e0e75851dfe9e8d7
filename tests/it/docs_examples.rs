//! Every example in the documentation is real: each ```console block of
//! README.md and docs/*.md is run as a shell script from the repository's
//! root, with the `rumorgraph` built for these tests first on the PATH, and
//! what it prints must be exactly what the block shows after its `$` lines.

use std::path::Path;
use std::process::Command;

use crate::util::repo_path;

/// One ```console block: where it is, its commands, the output it shows.
struct Block {
    at: String,
    script: String,
    shown: String,
}

fn blocks(file: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(repo_path(file)).unwrap();
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let (mut script, mut shown) = (String::new(), String::new());
        let mut continued = false;
        for (_, l) in lines.by_ref() {
            if l.trim() == "```" {
                break;
            }
            if let Some(cmd) = l
                .strip_prefix("$ ")
                .filter(|_| !continued)
                .or(continued.then_some(l))
            {
                script.push_str(cmd);
                script.push('\n');
                continued = cmd.ends_with('\\');
            } else {
                shown.push_str(l);
                shown.push('\n');
            }
        }
        out.push(Block {
            at: format!("{file}:{}", n + 1),
            script,
            shown,
        });
    }
    out
}

/// Lines without trailing spaces, without blank lines at the end.
fn normal(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    lines[..end].join("\n")
}

#[test]
fn every_console_example_prints_what_the_docs_show() {
    let bin = assert_cmd::cargo::cargo_bin!("rumorgraph");
    let dir = bin.parent().unwrap();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut files = vec!["README.md".to_owned()];
    let mut docs: Vec<String> = std::fs::read_dir(repo_path("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| format!("docs/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    docs.sort();
    files.extend(docs);

    let mut failures = Vec::new();
    let mut checked = 0;
    for file in &files {
        for b in blocks(file) {
            if b.script.is_empty() {
                continue;
            }
            let out = Command::new("bash")
                .arg("-c")
                .arg(format!("exec 2>&1\n{}", b.script))
                .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
                .env("PATH", &path)
                .output()
                .expect("bash runs");
            let got = String::from_utf8_lossy(&out.stdout);
            checked += 1;
            if normal(&got) != normal(&b.shown) {
                failures.push(format!(
                    "{}: the example prints something else\n--- shown\n{}\n--- printed\n{}",
                    b.at,
                    normal(&b.shown),
                    normal(&got)
                ));
            }
        }
    }
    assert!(checked >= 40, "only {checked} console examples found");
    assert!(
        failures.is_empty(),
        "{} of {checked} examples are out of date:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
