"""The Dask recipe on a two-process LocalCluster gives the figures of one
process, on 200,000 generated reports over 2,000 claims."""

import pandas as pd
import pytest

import rumorgraph as rg

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import rumorgraph.dask  # noqa: E402
from generate import reports  # noqa: E402


def test_two_worker_processes_give_the_single_process_figures():
    frame = reports()
    assert len(frame) == 200_000
    want = rg.analyze(frame).claims.sort_values("claim").reset_index(drop=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            ddf = dd.from_pandas(frame, npartitions=8)
            got = rumorgraph.dask.analyze(ddf).compute()
            roots = rumorgraph.dask.analyze(ddf, what="roots").compute()
    got = got.sort_values("claim").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert len(roots) == len(rg.analyze(frame).roots)
