#!/usr/bin/env bash
# Constant Contact push benchmark: uploads CONTACTS generated contacts, then runs the real
# `cc push --profile jobs/nightly-sync.yml` three times (the first push, a night with nothing changed,
# a night after 100 changed) and `cc audit`, against the tests' fake Constant Contact (a real HTTP
# server on 127.0.0.1 that counts every request) at production settings (4 requests/s), and rewrites
# the "Constant Contact push (N contacts)" section of BENCHMARKS.md with the requests by kind,
# including the read-back, and the audit's.
#
#   bench/constant-contact.sh [CONTACTS]      CONTACTS defaults to 100000
#
# Environment (all optional): BENCH_BUILD_DIR, BENCH_MAVEN_ARGS, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS (as bench/upload.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=constant-contact.sh
BENCH_CLASS=ConstantContactBenchmark
source bench/lib.sh

CONTACTS="${1:-100000}"
check_rows "$CONTACTS"
build
say "running the benchmark with $CONTACTS contacts (several minutes: the fake keeps Constant Contact's 4 requests/s) ..."
run_benchmark "$CONTACTS"
say "done: see BENCHMARKS.md"
