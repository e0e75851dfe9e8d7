"""rumorgraph: how a claim travels, from Python.

Read a case, or bring a table of reports (pandas, polars or pyarrow), and get
the figures of the command line as DataFrames:

    import rumorgraph as rg
    reports = rg.read_case("data/baghdadi-libya.toml")
    result = rg.analyze(reports)
    result.claims          # one row per claim: named, anonymous, ... credibility
    result.sources         # one row per source of each claim: roots, chains
    result.roots           # one row per root group: basis, reach, cascade shape
    rg.check(reports)      # PASS/FAIL per claim, as `rumorgraph check`
    rg.trace(reports, "in-libya", "missing-peace")

Tables travel to the Rust core through the Arrow C stream interface: no
Python object is made per row. A malformed table raises CaseError, whose
``diagnostics`` DataFrame has one row per message (table, row, column,
value, message, help).
"""

from __future__ import annotations

import io
import json
import os
from typing import Iterable, Optional, Sequence, Union

import pandas as pd
import pyarrow as pa

from . import _rumorgraph

__all__ = [
    "Analysis",
    "CaseError",
    "analyze",
    "check",
    "read_case",
    "read_claims",
    "read_sources",
    "trace",
]
__version__ = _rumorgraph.__version__

_DIAGNOSTIC_COLUMNS = ["table", "row", "column", "value", "severity", "code", "message", "help", "text"]


class CaseError(ValueError):
    """The case has errors. ``diagnostics`` is a DataFrame with one row per
    message: ``table`` (the table or file), ``row`` (the DataFrame's row
    position, or the file's line), ``column`` (the column name, or the
    character in the line), ``value``, ``severity``, ``code``, ``message``,
    ``help``, and ``text`` (the message as the command line prints it)."""

    def __init__(self, summary: str, diagnostics: pd.DataFrame):
        super().__init__(summary)
        self.diagnostics = diagnostics

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += list(self.diagnostics["text"])[:20]
        return "\n".join(lines)


def _raise_case_error(e: Exception):
    summary, items = e.args
    frame = pd.DataFrame(list(items), columns=_DIAGNOSTIC_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    raise CaseError(summary, frame) from None


def _paths(path, more) -> list:
    paths = [path, *more]
    return [os.fspath(p) for p in paths]


def _columns(columns) -> Optional[list]:
    if columns is None:
        return None
    return [(ours, theirs) for ours, theirs in dict(columns).items()]


def _read(paths, columns=None, cites_sep=None, strict=False, analyse=False, threads=None, as_of=None):
    try:
        return _rumorgraph.read_files(
            paths, _columns(columns), cites_sep, strict, analyse, threads, as_of
        )
    except _rumorgraph.LoadError as e:
        _raise_case_error(e)


def _pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas()


_DECLARATIONS = "rumorgraph_declarations"


def read_case(path, *more, columns=None, cites_sep=None, strict=False) -> pd.DataFrame:
    """The reports of a case (TOML, JSON, CSV, .xlsx or .ods; several files
    are one case) as a DataFrame with the columns of a reports table:
    source, claim, cites (ids joined by ``;``), stance, date, url, quote,
    notes, basis.

    The case's title is in ``.attrs["title"]``, and its declarations (the
    sources' names and kinds, the claims' texts) travel with the frame in
    ``.attrs["rumorgraph_declarations"]`` (as JSON text), so that
    ``analyze(read_case(path))`` counts as the command line does. They are
    also read on their own by :func:`read_sources` and :func:`read_claims`."""
    a = _read(_paths(path, more), columns, cites_sep, strict)
    frame = _pandas(a.reports_table())
    frame.attrs["title"] = a.title
    frame.attrs[_DECLARATIONS] = json.dumps(
        {
            "sources": json.loads(_pandas(a.sources_declared()).to_json(orient="records")),
            "claims": json.loads(_pandas(a.claims_declared()).to_json(orient="records")),
        }
    )
    return frame


def _declared(table, key: str):
    """The declarations :func:`read_case` attached to a frame, or None."""
    text = getattr(table, "attrs", {}).get(_DECLARATIONS)
    if not text:
        return None
    records = json.loads(text)[key]
    columns = ["id", "name", "kind", "country", "reliability", "url", "notes"] if key == "sources" else ["id", "text"]
    return pa.Table.from_pylist(records, schema=pa.schema([(c, pa.string()) for c in columns]))


def read_sources(path, *more, columns=None, cites_sep=None, strict=False) -> pd.DataFrame:
    """The declared sources of a case: id, name, kind, country, reliability,
    url, notes."""
    return _pandas(_read(_paths(path, more), columns, cites_sep, strict).sources_declared())


def read_claims(path, *more, columns=None, cites_sep=None, strict=False) -> pd.DataFrame:
    """The declared claims of a case: id, text."""
    return _pandas(_read(_paths(path, more), columns, cites_sep, strict).claims_declared())


TableLike = Union[pd.DataFrame, "pa.Table", "os.PathLike", str]


def _arrow(table):
    """A pandas DataFrame becomes a pyarrow Table without its index (pyarrow
    converts the columns in C++); anything else with ``__arrow_c_stream__``
    (pyarrow, polars) passes as it is."""
    if isinstance(table, pd.DataFrame):
        return pa.Table.from_pandas(table, preserve_index=False)
    if table is None or hasattr(table, "__arrow_c_stream__"):
        return table
    raise TypeError(
        f"expected a pandas or polars DataFrame, a pyarrow Table or a path, got {type(table).__name__}"
    )


class Analysis:
    """The figures of a case. ``claims``, ``sources`` and ``roots`` are
    DataFrames; ``json()`` is ``rumorgraph analyze --format json``, byte for
    byte; ``check()`` and ``trace()`` are those commands."""

    def __init__(self, inner):
        self._inner = inner
        self._cache = {}

    def _table(self, name):
        if name not in self._cache:
            self._cache[name] = _pandas(getattr(self._inner, name)())
        return self._cache[name]

    @property
    def title(self) -> Optional[str]:
        return self._inner.title

    @property
    def claims(self) -> pd.DataFrame:
        """One row per claim: claim, text, reports, independent, named,
        anonymous, undisclosed, unknown, retracted, denied_by,
        single_source, first_reported, first_supported, credibility."""
        return self._table("claims_table")

    @property
    def sources(self) -> pd.DataFrame:
        """One row per source of each claim's support graph: claim, source,
        name, kind, roots, chains, origin."""
        return self._table("sources_table")

    @property
    def roots(self) -> pd.DataFrame:
        """One row per root group of each claim, then of its denials:
        claim, group (member ids joined by +), denial, circular, retracted,
        basis, reach, and the cascade shape (size, depth, max_breadth,
        structural_virality; missing past the cascade budget)."""
        return self._table("roots_table")

    @property
    def warnings(self) -> pd.DataFrame:
        return pd.DataFrame(self._inner.warnings(), columns=_DIAGNOSTIC_COLUMNS)

    def json(self) -> str:
        return self._inner.json()

    def text(self) -> str:
        return self._inner.text()

    def check(self, min_independent: int = 2, count: Iterable[str] = ()) -> pd.DataFrame:
        """One row per claim: claim, verdict (PASS or FAIL) and the line
        ``rumorgraph check`` prints."""
        lines = self._inner.check_lines(min_independent, list(count))
        return pd.DataFrame(
            {
                "claim": [l.split(" ", 2)[1] for l in lines],
                "verdict": [l.split(" ", 1)[0] for l in lines],
                "line": lines,
            }
        )

    def trace(self, claim: str, source: str, max_paths: int = 1000) -> list:
        """The lines of ``rumorgraph trace``: every chain from a root group
        to the source, ``root -> ... -> source``."""
        return self._inner.trace_lines(claim, source, max_paths)

    def __repr__(self) -> str:
        return f"<rumorgraph.Analysis of {len(self.claims)} claims>"


def analyze(
    table: TableLike,
    sources=None,
    claims=None,
    *,
    title: Optional[str] = None,
    columns=None,
    cites_sep: Optional[str] = None,
    strict: bool = False,
    threads: Optional[int] = None,
    as_of: Optional[str] = None,
) -> Analysis:
    """Analyses a table of reports (pandas, polars or pyarrow; string,
    large_string and string_view columns; NaN and NA are missing), with
    optional tables of sources and claims; or a path to a case file.

    ``columns`` maps the format's column names onto the table's, e.g.
    ``{"source": "to_user", "cites": "from_user"}``. ``threads`` limits the
    threads used (1 inside a cluster's workers). ``as_of`` keeps the reports
    dated on or before a day."""
    if isinstance(table, (str, os.PathLike)):
        return Analysis(_read([os.fspath(table)], columns, cites_sep, strict, True, threads, as_of))
    if isinstance(table, pd.DataFrame):
        if title is None:
            title = table.attrs.get("title")
        if sources is None:
            sources = _declared(table, "sources")
        if claims is None:
            claims = _declared(table, "claims")
    try:
        inner = _rumorgraph.analyze_tables(
            _arrow(table),
            _arrow(sources),
            _arrow(claims),
            title,
            _columns(columns),
            cites_sep,
            strict,
            threads,
            as_of,
        )
    except _rumorgraph.LoadError as e:
        _raise_case_error(e)
    return Analysis(inner)


def check(table: TableLike, min_independent: int = 2, count: Iterable[str] = (), **kwargs) -> pd.DataFrame:
    """``rumorgraph check``: one row per claim with its verdict."""
    return analyze(table, **kwargs).check(min_independent, count)


def trace(table: TableLike, claim: str, source: str, max_paths: int = 1000, **kwargs) -> list:
    """``rumorgraph trace``: every chain from a root group to the source."""
    return analyze(table, **kwargs).trace(claim, source, max_paths)
