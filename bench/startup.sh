#!/usr/bin/env bash
# Start-up of the command line, as people run it: `java -jar target/contact-batch.jar …`.
# Times `--help`, `jobs list` and `upload` of a 10-row CSV: cold (the first run, and with the embedded
# database stopped, so the command starts it) and warm (the median of 5, the database running).
# Writes the table to BENCHMARKS.md (the "Start-up" section) and prints it.
#
# Usage: bench/startup.sh            (BENCH_SKIP_BUILD=1 to use the jar already in target/)
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=startup.sh
JAR="${BENCH_BUILD_DIR:-target}/contact-batch.jar"
RUNS=5

say() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
    say "building $JAR ..."
    ./mvnw -q -B -DskipTests package
fi

work=$(pwd)/bench-data/startup
rm -rf "$work" && mkdir -p "$work"
export CONTACT_BATCH_HOME="$work/home"
unset SPRING_DATASOURCE_URL SPRING_DATASOURCE_USERNAME SPRING_DATASOURCE_PASSWORD
csv="$work/ten.csv"
{
    echo "email,first_name,last_name,phone"
    for i in $(seq 1 10); do echo "person$i@example.org,Person,Number$i,+1 212 555 01$((10 + i))"; done
} > "$csv"

# ms CMD…: wall time of one run in milliseconds (the command must succeed)
ms() {
    local start end
    start=$(date +%s%N)
    java -jar "$JAR" "$@" > /dev/null 2>> "$work/errors.log" || { say "failed: $*"; tail -3 "$work/errors.log" >&2; exit 1; }
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}

# median of RUNS warm runs
median() {
    local times=()
    for _ in $(seq 1 $RUNS); do times+=("$(ms "$@")"); done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}

say "cold: the embedded database is not running yet (the first command creates and starts it)"
help_cold=$(ms --help)
list_first=$(ms jobs list)                       # initdb, start, migrations: a fresh home's very first command
java -jar "$JAR" db stop > /dev/null
list_cold=$(ms jobs list)                        # starts the stopped server
java -jar "$JAR" db stop --force > /dev/null
upload_cold=$(ms upload "$csv" --no-progress --again)
java -jar "$JAR" db start > /dev/null             # kept running from here on

say "warm: the database runs; median of $RUNS"
help_warm=$(median --help)
list_warm=$(median jobs list)
upload_warm=$(median upload "$csv" --no-progress --again)
java -jar "$JAR" db stop --force > /dev/null

table=$(cat <<EOF
| command | cold: database not running (ms) | warm: database running, median of $RUNS (ms) | target, database running |
|---|---:|---:|---|
| \`--help\` | $help_cold | $help_warm | ≤ 500 |
| \`jobs list\` | $list_cold (a fresh home's first command: $list_first) | $list_warm | ≤ 1,500 to its first work |
| \`upload\` of a 10-row CSV | $upload_cold | $upload_warm | ≤ 1,500 to its first work |
EOF
)

section=$(cat <<EOF
## Start-up (\`bench/startup.sh\`)

Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(java -version 2>&1 | head -1), \`java -jar target/contact-batch.jar …\`,
wall time of the whole command (start-up, the work, the exit), so an upper bound of the time to its first work.

$table
EOF
)

# replace the section in BENCHMARKS.md (or add it at the end)
replace_section() {
    local file=BENCHMARKS.md tmp
    tmp=$(mktemp)
    awk -v section="$section" '
        /^## Start-up/ { print section; skipping = 1; next }
        skipping && /^## / { skipping = 0 }
        !skipping { print }
    ' "$file" > "$tmp"
    if ! grep -q '^## Start-up' "$tmp"; then
        printf '\n%s\n' "$section" >> "$tmp"
    fi
    mv "$tmp" "$file"
}
replace_section
echo "$section"
