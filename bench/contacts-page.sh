#!/usr/bin/env bash
# Contacts page benchmark (issue 13): loads ROWS generated contacts with `contact-batch upload`, starts
# `contact-batch serve` on them and times the console's contacts page over HTTP — the first page, filtered
# pages, searches, the last page and page 20 — and rewrites the "Contacts page (N contacts)" section of
# BENCHMARKS.md.
#
#   bench/contacts-page.sh [ROWS]        ROWS defaults to 1000000
#
# Environment (all optional): BENCH_BUILD_DIR, BENCH_MAVEN_ARGS, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS (e.g.
# "-Dbench.repeats=9"), as for bench/export.sh. Data and logs go to bench-data/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=contacts-page.sh
BENCH_CLASS=ContactsPageBenchmark
source bench/lib.sh

ROWS="${1:-1000000}"
check_rows "$ROWS"
build
say "running the benchmark with $ROWS rows (the load takes about a minute for 1,000,000 rows) ..."
run_benchmark "$ROWS" "$JAR" BENCHMARKS.md
say "done: see BENCHMARKS.md"
