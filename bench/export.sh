#!/usr/bin/env bash
# Export benchmark, against PostgreSQL's own \copy: loads ROWS generated contacts with `contact-batch upload`, then times
# `psql \copy (select …) to` of the export's default columns, `contact-batch export` to CSV and to
# XLSX in -Xmx256m, in the same run against the same PostgreSQL, and rewrites the "Export (N rows)"
# section of BENCHMARKS.md.
#
#   bench/export.sh [ROWS]        ROWS defaults to 1000000
#
# Environment (all optional):
#   BENCH_BUILD_DIR   Maven build directory (default: target); another one is passed as -Dbuild.dir
#   BENCH_MAVEN_ARGS  extra Maven arguments, e.g. "-o" for offline
#   BENCH_SKIP_BUILD  1 = use what is already built in BENCH_BUILD_DIR
#   PSQL              the psql to use for the baseline (default: psql on the PATH)
#   BENCH_JAVA_OPTS   system properties for the benchmark, e.g. "-Dbench.runs=1 -Dbench.keep-db=true"
#   BENCH_SERVER      host:port of a PostgreSQL 15+ server of its own (user postgres, no password, may create
#                     databases) to run against instead of the embedded one the benchmark starts; its section is
#                     "Export (N rows, PostgreSQL 15 server of its own)", beside the embedded server's
# Generated data (the contacts CSV is shared with bench/upload.sh), the PostgreSQL data directory
# (bench-data/pg-export), the exported files (deleted at the end unless bench.keep-db), logs and
# reports go to bench-data/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=export.sh
BENCH_CLASS=ExportBenchmark
source bench/lib.sh

ROWS="${1:-1000000}"
check_rows "$ROWS"
ensure_psql
build
say "running the benchmark with $ROWS rows (two runs of each; takes a few minutes for 1,000,000 rows) ..."
run_benchmark "$ROWS" "$JAR" BENCHMARKS.md
say "done: see BENCHMARKS.md"
