"""The Spark recipe against the single-process run: an optional check, not
part of the test suite (a JVM and the pyspark download are too heavy for
every CI run).

    pip install pyspark        # and a Java runtime, 17 or later
    python python/tests/spark_check.py

Generates 20,000 reports over 200 claims, analyses them with
rumorgraph.spark.analyze on a local Spark session with two cores, and exits
1 if any claim's figures differ from rumorgraph.analyze on one process.
"""

import os
import sys

import pandas as pd

import rumorgraph as rg
import rumorgraph.spark

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from generate import reports  # noqa: E402


def main():
    # The executors run this Python, where rumorgraph is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    frame = reports(n_claims=200, per_claim=100, seed=11)
    want = rg.analyze(frame).claims.sort_values("claim").reset_index(drop=True)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("rumorgraph-check")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    try:
        sdf = spark.createDataFrame(frame.fillna(""))
        got = rumorgraph.spark.analyze(sdf, partitions=4).toPandas()
    finally:
        spark.stop()
    got = got.sort_values("claim").reset_index(drop=True)
    # Spark has no unsigned ints: compare values, not dtypes.
    try:
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
    except AssertionError as e:
        print(f"Spark and one process disagree: {e}")
        return 1
    print(f"{len(got)} claims: Spark gives the single-process figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
