"""rumorgraph on a Dask cluster: every figure is per claim, so the reports
are shuffled by claim and each partition is analysed on its own, with one
thread per call (the workers are the parallelism).

    import dask.dataframe as dd
    import rumorgraph.dask
    reports = dd.read_parquet("reports/")          # source, claim, cites, ...
    claims = rumorgraph.dask.analyze(reports).compute()
"""

from __future__ import annotations

from typing import Optional

import pandas as pd

import rumorgraph as rg

_WHAT = ("claims", "sources", "roots")


def _one(partition: pd.DataFrame, sources, claims, what: str, kwargs) -> pd.DataFrame:
    result = rg.analyze(partition, sources, claims, threads=1, **kwargs)
    return getattr(result, what)


def analyze(
    ddf,
    sources: Optional[pd.DataFrame] = None,
    claims: Optional[pd.DataFrame] = None,
    *,
    what: str = "claims",
    claim_column: str = "claim",
    **kwargs,
):
    """The figures of every claim of a Dask DataFrame of reports, as a Dask
    DataFrame: ``what`` is ``claims`` (one row per claim), ``sources`` or
    ``roots``, as in :class:`rumorgraph.Analysis`. ``sources`` and
    ``claims`` are small pandas tables of declarations, sent to every
    partition. Other keyword arguments go to :func:`rumorgraph.analyze`
    (``columns``, ``as_of``, ...); ``claim_column`` names the claim column
    when ``columns`` maps it."""
    if what not in _WHAT:
        raise ValueError(f"what={what!r}: one of {', '.join(_WHAT)}")
    meta = _one(ddf._meta, sources, claims, what, kwargs)
    shuffled = ddf.shuffle(on=claim_column)
    return shuffled.map_partitions(_one, sources, claims, what, kwargs, meta=meta)
