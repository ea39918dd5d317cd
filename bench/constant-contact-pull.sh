#!/usr/bin/env bash
# Constant Contact pull benchmark: makes CONTACTS contacts in the fake Constant Contact's website, then runs the
# real `cc pull --profile two-way.yml` (direction: both) and `cc sync` twice (the first two-way night, which pushes
# everyone to the managed list, and a quiet night with nothing changed on either side) against the tests' fake
# Constant Contact (a real HTTP server on 127.0.0.1 that counts every request) at production settings (4 requests/s),
# and rewrites the "Constant Contact pull and two-way sync (N contacts)" section of BENCHMARKS.md.
#
#   bench/constant-contact-pull.sh [CONTACTS]      CONTACTS defaults to 100000
#
# Environment (all optional): BENCH_BUILD_DIR, BENCH_MAVEN_ARGS, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS (as bench/upload.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=constant-contact-pull.sh
BENCH_CLASS=ConstantContactPullBenchmark
source bench/lib.sh

CONTACTS="${1:-100000}"
check_rows "$CONTACTS"
build
say "running the benchmark with $CONTACTS contacts (several minutes: the fake keeps Constant Contact's 4 requests/s) ..."
run_benchmark "$CONTACTS"
say "done: see BENCHMARKS.md"
