#!/usr/bin/env python3
"""Rewrites the output shown in every ```console block of README.md and
docs/*.md with what the commands print now.

The test `docs_examples::every_console_example_prints_what_the_docs_show`
fails when a block shows something else; after a deliberate change of the
output, run this from the repository's root, read the diff, and commit it:

    cargo build --release && python3 docs/update-examples.py

Each `$ ` line (with its `\\` continuations) runs in one bash shell per
block, from the repository's root, with target/release first on the PATH
and standard error merged into standard output, exactly as the test runs
them. Text between the commands is replaced by the output of the command
before it.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "\x1fRUMORGRAPH-EXAMPLE-MARK\x1f"


def commands(block_lines):
    """The commands of a block, each a list of its lines as written."""
    out, cont = [], False
    for line in block_lines:
        if cont:
            out[-1].append(line)
            cont = line.endswith("\\")
        elif line.startswith("$ "):
            out.append([line])
            cont = line.endswith("\\")
    return out


def run(cmds, path):
    script = ["exec 2>&1"]
    for c in cmds:
        script.append("\n".join([c[0][2:]] + c[1:]))
        script.append(f"__rc=$?; printf '%s\\n' '{MARK}'; (exit $__rc)")
    env = dict(os.environ, PATH=path)
    got = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    parts = got.split(MARK + "\n")
    return [p.rstrip("\n").split("\n") if p.strip() else [] for p in parts[: len(cmds)]]


def update(file, path):
    lines = file.read_text().split("\n")
    out, i, changed = [], 0, 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() != "```console":
            i += 1
            continue
        j = i + 1
        while lines[j].strip() != "```":
            j += 1
        block = lines[i + 1 : j]
        cmds = commands(block)
        if cmds:
            new = []
            for c, o in zip(cmds, run(cmds, path)):
                new.extend(c)
                new.extend(line.rstrip() for line in o)
            if new != block:
                changed += 1
            out.extend(new)
        else:
            out.extend(block)
        out.append(lines[j])
        i = j + 1
    file.write_text("\n".join(out))
    return changed


def main():
    path = f"{ROOT / 'target' / 'release'}:{os.environ.get('PATH', '')}"
    files = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
    for f in files:
        n = update(f, path)
        if n:
            print(f"{f.relative_to(ROOT)}: {n} block(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
