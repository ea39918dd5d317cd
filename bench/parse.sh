#!/usr/bin/env bash
# File parsing benchmark: the generated contacts CSV (shared with bench/upload.sh) through the upload's reader,
# against reading its bytes only, in the benchmark's own JVM; rewrites the "File parsing (N rows)" section of
# BENCHMARKS.md.
#
#   bench/parse.sh [ROWS]        ROWS defaults to 1000000
#
# Environment (all optional): BENCH_BUILD_DIR, BENCH_MAVEN_ARGS, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS (see bench/lib.sh)
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=parse.sh
BENCH_CLASS=ParseBenchmark
source bench/lib.sh

ROWS="${1:-1000000}"
check_rows "$ROWS"
build
say "running the benchmark with $ROWS rows ..."
run_benchmark "$ROWS" BENCHMARKS.md
say "done: see BENCHMARKS.md"
