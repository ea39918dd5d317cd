#!/usr/bin/env bash
# Bulk upload benchmark, against PostgreSQL's own \copy: times `contact-batch upload` of a generated contacts CSV against
# `psql \copy` of the same file on the same PostgreSQL, and rewrites the "Bulk upload (N rows)"
# section of BENCHMARKS.md.
#
#   bench/upload.sh [ROWS]        ROWS defaults to 1000000
#
# Environment (all optional):
#   BENCH_BUILD_DIR   Maven build directory (default: target); another one is passed as -Dbuild.dir
#   BENCH_MAVEN_ARGS  extra Maven arguments, e.g. "-o" for offline
#   BENCH_SKIP_BUILD  1 = use what is already built in BENCH_BUILD_DIR
#   PSQL              the psql to use for the baseline (default: psql on the PATH)
#   BENCH_JAVA_OPTS   options for the benchmark's JVM, e.g. "-Dbench.runs=1"
#   BENCH_SERVER      host:port of a PostgreSQL 15+ server of its own (user postgres, no password, may create
#                     databases) to run against instead of the embedded one the benchmark starts
#   BENCH_SERVER_LOG  that server's log file, for the statements it logs as slow
# Generated data, the PostgreSQL data directory, logs and reports go to bench-data/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=upload.sh
BENCH_CLASS=UploadBenchmark
source bench/lib.sh

ROWS="${1:-1000000}"
check_rows "$ROWS"
ensure_psql
build
say "running the benchmark with $ROWS rows (two runs of each; takes a few minutes for 1,000,000 rows) ..."
run_benchmark "$ROWS" "$JAR" BENCHMARKS.md
say "done: see BENCHMARKS.md"
