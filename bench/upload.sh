#!/usr/bin/env bash
# Bulk upload benchmark (design §6): times `contact-batch upload` of a generated contacts CSV against
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
# Generated data, the PostgreSQL data directory, logs and reports go to bench-data/ (git-ignored).
set -euo pipefail

cd "$(dirname "$0")/.."
ROWS="${1:-1000000}"
BUILD_DIR="${BENCH_BUILD_DIR:-target}"
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS:-}"
if [[ "$BUILD_DIR" != "target" ]]; then
    MAVEN_ARGS+=("-Dbuild.dir=$BUILD_DIR")
fi

say() { printf '[upload.sh] %s\n' "$*"; }
die() { printf '[upload.sh] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$ROWS" =~ ^[0-9]+$ && "$ROWS" -gt 0 ]] || die "ROWS must be a positive whole number, got '$ROWS' (usage: bench/upload.sh [ROWS])"
command -v java >/dev/null || die "java not found: install a JDK 17 or newer"

# The baseline needs psql; install it when we can, else the benchmark falls back to pgjdbc's CopyManager.
if [[ -z "${PSQL:-}" ]] && ! command -v psql >/dev/null; then
    say "psql not found; it is in the Debian/Ubuntu package postgresql-client (apt-get install -y postgresql-client)"
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing postgresql-client ..."
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null 2>&1 || true
        fi
    fi
    if command -v psql >/dev/null; then
        say "installed $(psql --version)"
    else
        say "could not install psql: the baseline will be timed with pgjdbc's CopyManager (COPY ... FROM STDIN) instead"
    fi
fi

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
    say "building the app jar, the test classes and the test classpath in $BUILD_DIR/ ..."
    # package compiles the test classes too (-DskipTests only skips running them)
    ./mvnw -q -B "${MAVEN_ARGS[@]}" -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile="$BUILD_DIR/bench-classpath.txt" -Dmdep.includeScope=test \
        || die "the build failed (see the Maven output above)"
fi
JAR="$BUILD_DIR/contact-batch.jar"
[[ -f "$JAR" ]] || die "no $JAR: the build did not produce the app jar"
[[ -f "$BUILD_DIR/bench-classpath.txt" ]] || die "no $BUILD_DIR/bench-classpath.txt: run without BENCH_SKIP_BUILD=1"
[[ -f "$BUILD_DIR/test-classes/org/contactbatch/bench/UploadBenchmark.class" ]] \
    || die "no UploadBenchmark in $BUILD_DIR/test-classes: run without BENCH_SKIP_BUILD=1"

mkdir -p bench-data
say "running the benchmark with $ROWS rows (two runs of each; takes a few minutes for 1,000,000 rows) ..."
java -Xmx512m -cp "$BUILD_DIR/test-classes:$BUILD_DIR/classes:$(cat "$BUILD_DIR/bench-classpath.txt")" \
    org.contactbatch.bench.UploadBenchmark "$ROWS" "$JAR" BENCHMARKS.md \
    || die "the benchmark failed (see above; logs in bench-data/logs/)"
say "done: see BENCHMARKS.md"
