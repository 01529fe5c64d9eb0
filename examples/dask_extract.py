"""Extract a folder of PEEL pages into Parquet tables on a Dask cluster.

    pip install 'peelparse[dask]'
    python examples/dask_extract.py pages/ tables/                       # a local cluster
    python examples/dask_extract.py pages/ tables/ --scheduler tcp://scheduler:8786

Each table becomes a folder of Parquet files (tables/reports/, tables/questions/, …) with the
columns and types of `peelparse extract --format parquet`. The test suite runs this script on
a local two-worker cluster (tests/test_dask.py).
"""

import argparse

from distributed import Client, LocalCluster

from peelparse.batch.cluster import DEFAULT_PARTITION_BYTES, extract_to_parquet
from peelparse.batch.discovery import discover


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("pages", help="a folder of .txt/.html pages (read recursively)")
    options.add_argument("tables", help="the folder to write, one sub-folder per table")
    options.add_argument("--scheduler", help="a running cluster's address (default: start one)")
    options.add_argument("--workers", type=int, default=2, help="local workers (default: 2)")
    options.add_argument(
        "--partition-bytes",
        type=int,
        default=DEFAULT_PARTITION_BYTES,
        help=f"input bytes per task (default: {DEFAULT_PARTITION_BYTES})",
    )
    args = options.parse_args()
    paths = [found.path for found in discover([args.pages])]
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    with client:
        written = extract_to_parquet(paths, args.tables, partition_bytes=args.partition_bytes)
    for table, folder in written.items():
        print(f"{table}: {folder}")


if __name__ == "__main__":  # Dask starts worker processes that import this file
    main()
