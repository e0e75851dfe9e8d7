"""rumorgraph on Spark: the reports are repartitioned by claim, and each
partition goes through rumorgraph as Arrow batches (``mapInArrow``), one
thread per task.

    from pyspark.sql import SparkSession
    import rumorgraph.spark
    spark = SparkSession.builder.getOrCreate()
    reports = spark.read.parquet("reports/")       # source, claim, cites, ...
    claims = rumorgraph.spark.analyze(reports)     # a Spark DataFrame
    claims.toPandas()

Needs pyspark >= 3.3 (for ``mapInArrow``) on the driver and rumorgraph
installed on every executor.
"""

from __future__ import annotations

from typing import Optional

import pyarrow as pa

import rumorgraph as rg

# The Spark schema of each result table (DDL), in the order of the columns
# rumorgraph.Analysis gives.
SCHEMAS = {
    "claims": (
        "claim string, text string, reports int, independent int, named int, anonymous int, "
        "undisclosed int, unknown int, retracted int, denied_by int, single_source boolean, "
        "first_reported string, first_supported string, credibility string"
    ),
    "sources": "claim string, source string, name string, kind string, roots int, chains int, origin boolean",
    "roots": (
        "claim string, `group` string, denial boolean, circular boolean, retracted boolean, basis string, "
        "reach int, size int, depth int, max_breadth int, structural_virality double"
    ),
}


def _partition(what: str, kwargs):
    def run(batches):
        batches = list(batches)
        if not batches or sum(b.num_rows for b in batches) == 0:
            return
        table = pa.Table.from_batches(batches)
        frame = getattr(rg.analyze(table, threads=1, **kwargs), what)
        out = pa.Table.from_pandas(frame, preserve_index=False)
        # Spark's int is 32-bit signed: cast the unsigned counts.
        fields = [
            pa.field(f.name, pa.int32()) if pa.types.is_unsigned_integer(f.type) else f
            for f in out.schema
        ]
        yield from out.cast(pa.schema(fields)).to_batches()

    return run


def analyze(sdf, *, what: str = "claims", partitions: Optional[int] = None, claim_column: str = "claim", **kwargs):
    """The figures of every claim of a Spark DataFrame of reports, as a Spark
    DataFrame (``what``: ``claims``, ``sources`` or ``roots``). The reports
    are repartitioned by ``claim_column`` into ``partitions`` partitions
    (Spark's default when None); keyword arguments go to
    :func:`rumorgraph.analyze`."""
    if what not in SCHEMAS:
        raise ValueError(f"what={what!r}: one of {', '.join(SCHEMAS)}")
    parts = sdf.repartition(partitions, claim_column) if partitions else sdf.repartition(claim_column)
    return parts.mapInArrow(_partition(what, kwargs), SCHEMAS[what])
