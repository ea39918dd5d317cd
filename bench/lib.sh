# Shared by the bench/*.sh scripts: sourced, not run. The caller sets BENCH_NAME (for messages)
# and BENCH_CLASS (the benchmark's class in org.contactbatch.bench, or a whole class name such as
# org.contactbatch.sampledata.SampleDataGenerator) and cd's to the project root.
#
# Environment (all optional):
#   BENCH_BUILD_DIR   Maven build directory (default: target); another one is passed as -Dbuild.dir
#   BENCH_MAVEN_ARGS  extra Maven arguments, e.g. "-o" for offline
#   BENCH_SKIP_BUILD  1 = use what is already built in BENCH_BUILD_DIR
#   PSQL              the psql to use for the baseline (default: psql on the PATH)
#   BENCH_JAVA_OPTS   options for the benchmark's JVM, e.g. "-Dbench.runs=1 -Dbench.keep-db=true"
#   BENCH_SERVER      host:port of a PostgreSQL 15+ server of its own (user postgres, no password, may create
#                     databases) to run against instead of the embedded one the benchmark starts
#   BENCH_SERVER_LOG  that server's log file, for the statements it logs as slow

BUILD_DIR="${BENCH_BUILD_DIR:-target}"
read -r -a MAVEN_ARGS <<< "${BENCH_MAVEN_ARGS:-}"
if [[ "$BUILD_DIR" != "target" ]]; then
    MAVEN_ARGS+=("-Dbuild.dir=$BUILD_DIR")
fi
JAR="$BUILD_DIR/contact-batch.jar"
if [[ "$BENCH_CLASS" == *.* ]]; then
    BENCH_MAIN="$BENCH_CLASS"
else
    BENCH_MAIN="org.contactbatch.bench.$BENCH_CLASS"
fi

say() { printf '[%s] %s\n' "$BENCH_NAME" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }

# check_rows ROWS: a positive whole number
check_rows() {
    [[ "$1" =~ ^[0-9]+$ && "$1" -gt 0 ]] || die "ROWS must be a positive whole number, got '$1' (usage: bench/$BENCH_NAME [ROWS])"
    command -v java >/dev/null || die "java not found: install a JDK 17 or newer"
}

# The baseline needs psql; install it when we can, else the benchmark falls back to pgjdbc.
ensure_psql() {
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
            say "could not install psql: the baseline will be timed with pgjdbc instead"
        fi
    fi
}

# Builds the app jar, the test classes and, with the Maven profile `bench`, the benchmarks (src/bench/java, compiled
# into BUILD_DIR/bench-classes against the test classes: they use the tests' ContactGenerator and fake Constant
# Contact), and writes the test classpath to BUILD_DIR/bench-classpath.txt (unless BENCH_SKIP_BUILD=1).
build() {
    if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
        say "building the app jar and the benchmarks (-Pbench) in $BUILD_DIR/ ..."
        # package compiles the test classes and the benchmarks too (-DskipTests only skips running the tests)
        ./mvnw -q -B -Pbench "${MAVEN_ARGS[@]}" -DskipTests package dependency:build-classpath \
            -Dmdep.outputFile="$BUILD_DIR/bench-classpath.txt" -Dmdep.includeScope=test \
            || die "the build failed (see the Maven output above)"
    fi
    [[ -f "$JAR" ]] || die "no $JAR: the build did not produce the app jar"
    [[ -f "$BUILD_DIR/bench-classpath.txt" ]] || die "no $BUILD_DIR/bench-classpath.txt: run without BENCH_SKIP_BUILD=1"
    [[ -f "$BUILD_DIR/bench-classes/${BENCH_MAIN//.//}.class" ]] \
        || die "no $BENCH_MAIN in $BUILD_DIR/bench-classes: run without BENCH_SKIP_BUILD=1"
}

# run_benchmark ARGS...: runs the benchmark's main class with the benchmarks, the tests' classes and the test
# classpath; its output goes to the terminal.
run_benchmark() {
    local java_opts
    read -r -a java_opts <<< "${BENCH_JAVA_OPTS:-}"
    mkdir -p bench-data
    java -Xmx512m "${java_opts[@]}" \
        -cp "$BUILD_DIR/bench-classes:$BUILD_DIR/test-classes:$BUILD_DIR/classes:$(cat "$BUILD_DIR/bench-classpath.txt")" \
        "$BENCH_MAIN" "$@" \
        || die "the benchmark failed (see above; logs in bench-data/logs/)"
}
