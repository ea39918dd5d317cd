#!/usr/bin/env bash
# Rewrites the files in sample-data/ with SampleDataGenerator (src/bench/java, built with the Maven profile `bench`):
# every text file comes out byte for byte the same on each run, and the generator checks its output against the
# upload's row rules before it finishes. `git diff sample-data/` then shows what a change to the generator changed.
#
#   bench/sample-data.sh [DIR]       DIR defaults to sample-data
#
# Environment (all optional): BENCH_BUILD_DIR, BENCH_MAVEN_ARGS, BENCH_SKIP_BUILD, BENCH_JAVA_OPTS (as bench/upload.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_NAME=sample-data.sh
BENCH_CLASS=org.contactbatch.sampledata.SampleDataGenerator
source bench/lib.sh

command -v java >/dev/null || die "java not found: install a JDK 17 or newer"
build
say "writing the sample files into ${1:-sample-data}/ ..."
run_benchmark "${1:-sample-data}"
say "done: see git status sample-data/"
