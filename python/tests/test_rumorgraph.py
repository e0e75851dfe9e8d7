"""The Python package against the command line, on the shipped cases and on
tables of every kind pandas, polars and pyarrow make."""

import json
import math

import pandas as pd
import pyarrow as pa
import pytest

import rumorgraph as rg

CASES = [
    ["data/baghdadi-libya.toml"],
    ["data/example.toml"],
    ["data/example.json"],
    ["data/example-sources.csv", "data/example-claims.csv", "data/example.csv"],
]


@pytest.mark.parametrize("files", CASES, ids=lambda f: f[-1])
def test_json_is_the_command_lines_byte_for_byte(repo, cli, files):
    paths = [str(repo / f) for f in files]
    want = cli("analyze", "--format", "json", "-q", *files)
    assert want.returncode == 0, want.stderr
    # Read by the package from the file...
    if len(paths) == 1:
        assert rg.analyze(paths[0]).json() == want.stdout
    # ... and through DataFrames: reports, sources and claims tables.
    reports = rg.read_case(*paths)
    sources = rg.read_sources(*paths)
    claims = rg.read_claims(*paths)
    got = rg.analyze(reports, sources, claims).json()
    assert got == want.stdout
    # ... and from the reports frame alone, which carries the declarations.
    assert rg.analyze(reports).json() == want.stdout
    # A frame filtered by claim keeps them.
    first = json.loads(want.stdout)["claims"][0]["id"]
    one = rg.analyze(reports[reports["claim"] == first])
    assert json.loads(one.json())["claims"][0] == json.loads(want.stdout)["claims"][0]


def test_every_file_route_gives_the_same_json(repo, cli):
    files = CASES[3]
    want = cli("analyze", "--format", "json", "-q", *files).stdout
    from rumorgraph import _rumorgraph

    inner = _rumorgraph.read_files([str(repo / f) for f in files], None, None, False, True, None, None)
    assert inner.json() == want


def test_check_and_trace_are_the_command_lines(repo, cli):
    path = str(repo / "data/baghdadi-libya.toml")
    reports, sources, claims = rg.read_case(path), rg.read_sources(path), rg.read_claims(path)
    out = rg.check(reports, sources=sources, claims=claims, min_independent=2)
    want = cli("check", "-q", "data/baghdadi-libya.toml").stdout.splitlines()
    assert list(out["line"]) == want
    assert list(out["verdict"]) == [l.split()[0] for l in want]
    chains = rg.trace(reports, "in-libya", "missing-peace", sources=sources, claims=claims)
    want = cli("trace", "-q", "data/baghdadi-libya.toml", "--claim", "in-libya", "--source", "missing-peace")
    assert chains == want.stdout.splitlines()


def test_the_tables_hold_the_figures(repo):
    result = rg.analyze(str(repo / "data/baghdadi-libya.toml"))
    figures = json.loads(result.json())
    claims = result.claims.set_index("claim")
    for c in figures["claims"]:
        row = claims.loc[c["id"]]
        for key in ("named", "anonymous", "undisclosed", "unknown", "retracted", "independent"):
            assert row[key] == c[key], (c["id"], key)
        assert row["credibility"] == c["credibility"]
        got = result.sources[result.sources["claim"] == c["id"]]
        assert {(s["id"], s["roots"], s["chains"]) for s in c["sources"]} == set(
            zip(got["source"], got["roots"], got["chains"])
        )
    roots = result.roots[~result.roots["denial"]]
    in_libya = roots[roots["claim"] == "in-libya"].set_index("group")
    assert in_libya.loc["kheirullah", "reach"] == 4
    assert in_libya.loc["kheirullah", "size"] == 5
    assert math.isclose(in_libya.loc["kheirullah", "structural_virality"], 1.8)


def _figures(result):
    return result.claims.sort_values("claim").reset_index(drop=True)


def test_missing_values_and_string_types_of_every_library():
    rows = {
        "source": ["wire", "paper", "blog", "tv", "wire"],
        "claim": ["c", "c", "c", "c", "d"],
        "cites": [None, "wire", "paper;wire", float("nan"), pd.NA],
        "stance": ["support", None, "support", "support", "support"],
        "date": ["2020-01-01", "2020-01-02", None, "2020-01", None],
    }
    base = _figures(rg.analyze(pd.DataFrame(rows)))
    assert list(base["independent"]) == [2, 1]  # c: wire and tv; d: wire
    # pandas' own string dtypes, pyarrow's large and view strings, polars.
    frames = [
        pd.DataFrame(rows).astype("string"),
        pd.DataFrame(rows).astype(pd.ArrowDtype(pa.string())),
        pa.table({k: pa.array([None if (v is pd.NA or (isinstance(v, float) and math.isnan(v))) else v for v in vs], type=pa.large_string()) for k, vs in rows.items()}),
        pa.table({k: pa.array([None if (v is pd.NA or (isinstance(v, float) and math.isnan(v))) else v for v in vs], type=pa.string_view()) for k, vs in rows.items()}),
    ]
    try:
        import polars as pl

        frames.append(pl.from_pandas(pd.DataFrame(rows).astype("string")))
    except ImportError:
        pass
    for f in frames:
        pd.testing.assert_frame_equal(_figures(rg.analyze(f)), base)


def test_cites_as_lists_and_dates_as_dates():
    frame = pd.DataFrame(
        {
            "source": ["wire", "paper", "blog"],
            "claim": ["c", "c", "c"],
            "cites": [[], ["wire"], ["paper", "wire"]],
            "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"]),
        }
    )
    result = rg.analyze(frame)
    assert result.claims.loc[0, "first_reported"] == "2020-01-01"
    blog = result.sources.set_index("source").loc["blog"]
    assert (blog["roots"], blog["chains"]) == (1, 1)


def test_another_tools_columns():
    # A Hoaxy-like table: who retweeted whom.
    frame = pd.DataFrame(
        {"to_user": ["b", "c", "c"], "from_user": ["a", "a", "b"], "topic": ["t", "t", "t"], "tweet_id": [1, 2, 3]}
    )
    result = rg.analyze(frame, columns={"source": "to_user", "cites": "from_user", "claim": "topic"})
    assert result.claims.loc[0, "independent"] == 1
    assert set(result.warnings["code"]) == {"ignored-columns"}


def test_bad_input_raises_case_error_with_a_diagnostics_frame():
    frame = pd.DataFrame(
        {
            "source": ["wire", "paper", "blog"],
            "claim": ["c", "c", "c"],
            "stance": ["support", "support", "suport"],
            "date": ["2020-01-01", "2020-13-01", "2020-01-03"],
        }
    )
    with pytest.raises(rg.CaseError) as e:
        rg.analyze(frame)
    d = e.value.diagnostics
    assert isinstance(d, pd.DataFrame)
    assert list(d.columns)[:8] == ["table", "row", "column", "value", "severity", "code", "message", "help"]
    stance = d[d["column"] == "stance"].iloc[0]
    assert (stance["table"], stance["row"], stance["value"]) == ("reports", 2, "suport")
    assert "support" in stance["help"]
    date = d[d["column"] == "date"].iloc[0]
    assert (date["row"], date["value"]) == (1, "2020-13-01")
    assert "2020-13-01" in date["message"]


def test_a_missing_file_is_a_case_error(tmp_path):
    with pytest.raises(rg.CaseError) as e:
        rg.read_case(tmp_path / "nope.toml")
    assert e.value.diagnostics.loc[0, "code"] == "read"


def test_threads_and_as_of(repo):
    path = str(repo / "data/baghdadi-libya.toml")
    one = rg.analyze(path, threads=1).json()
    assert one == rg.analyze(path, threads=2).json()
    early = rg.analyze(path, as_of="2016-01-31").claims.set_index("claim")
    assert early.loc["in-libya", "named"] <= 1


def test_frames_from_read_case_still_concatenate(repo):
    reports = rg.read_case(str(repo / "data/example.toml"))
    both = pd.concat([reports, reports])
    assert len(both) == 2 * len(reports)


def test_warnings_of_a_table_name_its_rows():
    frame = pd.DataFrame(
        {
            "source": ["wire", "paper", "agency"],
            "claim": ["c", "c", "c"],
            "cites": [None, "wire", "wire"],
            "stance": ["support", "support", "deny"],
        }
    )
    w = rg.analyze(frame).warnings
    row = w[w["code"] == "deny-cites-supporter"].iloc[0]
    assert (row["table"], row["row"]) == ("reports", 2)
