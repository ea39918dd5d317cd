#!/usr/bin/env bash
# Re-import by ID benchmark, against one set-based UPDATE: loads ROWS generated contacts with `contact-batch upload`,
# writes an edited sheet (id, version, company, job_title, lifecycle_stage; company and job title
# changed on every row), times `contact-batch reimport prepare` and `reimport start` against one
# set-based `UPDATE contact … FROM staging` of the same changes (psql, after `\copy` of the same
# sheet) on a copy of the same database, and rewrites the "Re-import by ID (N rows)" section of
# BENCHMARKS.md.
#
#   bench/reimport.sh [ROWS]      ROWS defaults to 1000000
#
# Environment (all optional):
#   BENCH_BUILD_DIR   Maven build directory (default: target); another one is passed as -Dbuild.dir
#   BENCH_MAVEN_ARGS  extra Maven arguments, e.g. "-o" for offline
#   BENCH_SKIP_BUILD  1 = use what is already built in BENCH_BUILD_DIR
#   PSQL              the psql to use for the baseline (default: psql on the PATH)
#   BENCH_JAVA_OPTS   system properties for the benchmark, e.g. "-Dbench.runs=1 -Dbench.keep-db=true"
#   BENCH_SERVER      host:port of a PostgreSQL 15+ server of its own (user postgres, no password, may create
#                     databases) to run against instead of the embedded one the benchmark starts
#   BENCH_SERVER_LOG  that server's log file, for the statements it logs as slow
# Generated data (the contacts CSV is shared with bench/upload.sh), the PostgreSQL data directory
# (bench-data/pg-reimport), logs and reports go to bench-data/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=reimport.sh
BENCH_CLASS=ReimportBenchmark
source bench/lib.sh

ROWS="${1:-1000000}"
check_rows "$ROWS"
ensure_psql
build
say "running the benchmark with $ROWS rows (two runs of each; takes several minutes for 1,000,000 rows) ..."
run_benchmark "$ROWS" "$JAR" BENCHMARKS.md
say "done: see BENCHMARKS.md"
