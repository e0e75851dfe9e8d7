//! The Python package's own tests (python/tests, pytest), run with the
//! Python of `RUMORGRAPH_PYTHON` when the package is installed there (.ci/run
//! builds the wheel and installs it): JSON equal to this binary's on every
//! shipped case, every kind of table, CaseError, and the Dask recipe on a
//! two-process cluster. Without it prints NOT CHECKED, and fails in CI.

use std::process::Command;

use crate::util::repo_path;

#[test]
fn the_python_package_passes_its_tests() {
    let py = std::env::var("RUMORGRAPH_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let ready = Command::new(&py)
        .args(["-c", "import rumorgraph, pytest, pandas, pyarrow"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ready {
        eprintln!("NOT CHECKED: the Python package is not installed (pip install ./python pytest)");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the Python package (.ci/run)"
        );
        return;
    }
    let run = Command::new(&py)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(repo_path("python/tests"))
        .env("RUMORGRAPH_BIN", env!("CARGO_BIN_EXE_rumorgraph"))
        .current_dir(repo_path(""))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "pytest failed:\n{out}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    eprintln!("{}", out.lines().last().unwrap_or(""));
}
