"""Where the repository and the command-line binary are, for the tests that
compare the package with `rumorgraph` itself."""

import os
import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def cli():
    """Runs the command line: $RUMORGRAPH_BIN, else the binary cargo built
    in target/, else `rumorgraph` on the PATH."""
    candidates = [os.environ.get("RUMORGRAPH_BIN")]
    candidates += [str(REPO / "target" / p / "rumorgraph") for p in ("release", "debug")]
    candidates.append(shutil.which("rumorgraph"))
    binary = next((c for c in candidates if c and os.path.exists(c)), None)
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must build the rumorgraph binary before the Python tests")
        pytest.skip("NOT CHECKED: no rumorgraph binary (cargo build)")

    def run(*args):
        return subprocess.run([binary, *args], cwd=REPO, capture_output=True, text=True)

    return run
