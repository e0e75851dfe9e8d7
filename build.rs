//! Puts the commit into `--version` when the crate is built from a git
//! checkout: `rumorgraph 0.1.0 (commit 1a2b3c4d)`, with `-dirty` when the
//! work tree has changes. Elsewhere the version alone.

use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let full = match git(&["rev-parse", "--short=8", "HEAD"]) {
        Some(commit) if !commit.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            format!(
                "{version} (commit {commit}{})",
                if dirty { "-dirty" } else { "" }
            )
        }
        _ => version.to_owned(),
    };
    println!("cargo:rustc-env=RUMORGRAPH_VERSION={full}");
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/index");
    }
}
