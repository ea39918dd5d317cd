#!/usr/bin/env bash
# Start-up of the command line, as people run it, three ways: `java -jar target/contact-batch.jar …`,
# `bin/contact-batch …` without its warm process (CONTACT_BATCH_WARM=off: the extracted jar with the build's
# class-data-sharing archive), and `bin/contact-batch …` as it runs by default, each command run by the warm
# process the one before left behind (the script waits for it to be ready, as a person between two commands would).
# Times `--help`, `jobs list` and `upload` of a 10-row CSV on the embedded database, in a data home of its
# own: the embedded database stopped (so the command starts it) and running (the median of BENCH_RUNS,
# default 5). Whole process, JVM start to exit: an upper bound of the time to the command's first piece of
# work. Writes the "Start-up" section of BENCHMARKS.md and prints it.
#
# Usage: bench/startup.sh            (BENCH_SKIP_BUILD=1 to use what is already built in target/)
set -euo pipefail
cd "$(dirname "$0")/.."
project=$PWD
say() { printf '[startup.sh] %s\n' "$*" >&2; }
die() { printf '[startup.sh] ERROR: %s\n' "$*" >&2; exit 1; }

RUNS="${BENCH_RUNS:-5}"
JAR="$project/target/contact-batch.jar"
LAUNCHER="$project/bin/contact-batch"
if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
    say "building target/contact-batch.jar (and target/contact-batch/ for bin/contact-batch) ..."
    ./mvnw -q -B -DskipTests package || die "the build failed"
fi
[[ -f "$JAR" ]] || die "no $JAR: build first"
[[ -f target/contact-batch/contact-batch.jsa ]] \
    || say "no class-data-sharing archive in target/contact-batch/: bin/contact-batch runs without it"

work=$project/bench-data/startup
rm -rf "$work" && mkdir -p "$work"
export CONTACT_BATCH_HOME="$work/home"
unset SPRING_DATASOURCE_URL SPRING_DATASOURCE_USERNAME SPRING_DATASOURCE_PASSWORD CONTACT_BATCH_WARM
# the warm processes' sockets: a folder of this run's
export XDG_RUNTIME_DIR="$work/run"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
trap 'pkill -f "$XDG_RUNTIME_DIR" || true' EXIT
cd "$work"

# waits until the warm process for the next command is ready (its socket is there once it has warmed up)
await_warm() {
    local i
    for ((i = 0; i < 600; i++)); do
        compgen -G "$XDG_RUNTIME_DIR/contact-batch-*/*.sock" > /dev/null && return 0
        sleep 0.1
    done
    die "no warm process appeared within a minute"
}

# a 10-row CSV no run has uploaded before (a file uploaded before is only reported as completed); called in
# $(…), so the name comes from the clock, not from a counter the caller would never see change
ten_rows() {
    local tag file
    tag=$(date +%s%N)
    file="$work/ten-$tag.csv"
    {
        echo "email,first_name,last_name,phone"
        for i in 0 1 2 3 4 5 6 7 8 9; do echo "startup-$tag-$i@example.org,Ann$i,Lee,+1 720 555 01$i$i"; done
    } > "$file"
    echo "$file"
}

# ms CMD…: wall time of one run in milliseconds (the command must succeed)
ms() {
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null 2> "$work/last.err" || die "failed: $* ($(tail -1 "$work/last.err"))"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# run_one LABEL WHAT: one timed run of a command (help, jobs, upload) started the LABEL way
run_one() {
    local start=(java -jar "$JAR")
    case $1 in
        launcher) start=(env CONTACT_BATCH_WARM=off "$LAUNCHER") ;;
        warm) start=("$LAUNCHER"); [[ $2 == help ]] || await_warm ;;
    esac
    case $2 in
        help) ms "${start[@]}" --help ;;
        jobs) ms "${start[@]}" jobs list ;;
        upload)
            local file begin total started
            file=$(ten_rows)
            begin=$(date +%s%3N)
            total=$(ms "${start[@]}" upload "$file" --no-progress)
            # its first piece of work: the job started (the log's line for it, in ms since the epoch)
            started=$(grep ' upload execution [0-9]* started in process' "$CONTACT_BATCH_HOME/contact-batch.log" | tail -1 | cut -c1-24)
            echo $(($(date -d "$started" +%s%3N) - begin)) >> "$work/first-work-$1"
            echo "$total" ;;
    esac
}

declare -A COLD WARM FIRST_COLD FIRST_WARM
measure() {
    local label=$1 what warm r
    for what in help jobs upload; do
        java -jar "$JAR" db stop --force > /dev/null
        COLD[$label/$what]=$(run_one "$label" "$what")
        java -jar "$JAR" db start > /dev/null
        # one run not counted: the keeper process db start leaves behind settles, the files are in the page cache
        run_one "$label" "$what" > /dev/null
        warm=""
        for ((r = 0; r < RUNS; r++)); do warm="$warm $(run_one "$label" "$what")"; done
        WARM[$label/$what]=$(echo "$warm" | median)
        say "$label $what: cold ${COLD[$label/$what]} ms, warm ${WARM[$label/$what]} ms (runs:$warm)"
        if [[ $what == upload ]]; then
            # the cold run, the one not counted, then the warm ones
            FIRST_COLD[$label]=$(sed -n 1p "$work/first-work-$label")
            FIRST_WARM[$label]=$(tail -n +3 "$work/first-work-$label" | tr '\n' ' ' | median)
            say "$label upload to the job's start: cold ${FIRST_COLD[$label]} ms, warm ${FIRST_WARM[$label]} ms"
        fi
    done
}

say "a fresh data home: the first command creates the database and migrates it ..."
first=$(ms java -jar "$JAR" jobs list)
load=$(cut -d' ' -f1-3 /proc/loadavg)
measure jar
measure launcher
# the first warm process, for the first command measured
"$LAUNCHER" jobs list > /dev/null
measure warm
java -jar "$JAR" db stop --force > /dev/null

row() {
    echo "| $1 | ${COLD[jar/$2]} | ${WARM[jar/$2]} | ${COLD[launcher/$2]} | ${WARM[launcher/$2]} | ${COLD[warm/$2]} | ${WARM[warm/$2]} | $3 |"
}
commit=$(git -C "$project" rev-parse --short HEAD 2>/dev/null || echo '?')
section="## Start-up (\`bench/startup.sh\`)

Measured $(date -u '+%Y-%m-%d %H:%M UTC') at $commit on $(nproc) cores, load average $load at the start,
$(java -version 2>&1 | head -1). Wall time of the whole command (JVM start to exit), in ms, so an upper
bound of the time to its first piece of work; for \`upload\`, also the time to the job's start. *db stopped*: the embedded
database was stopped, so the command started it; *db running*: it was running, median of $RUNS runs after one not counted.
*warm process*: \`bin/contact-batch\` as it runs by default, the command run by the warm process the command before left
behind (\`--help\` never uses one); *no warm process*: \`CONTACT_BATCH_WARM=off bin/contact-batch\`. A fresh data home's
very first command (initdb, start, migrations): $first ms.

| command | \`java -jar\`, db stopped | \`java -jar\`, db running | no warm process, db stopped | no warm process, db running | warm process, db stopped | warm process, db running | target, db running |
|---|---:|---:|---:|---:|---:|---:|---|
$(row '`--help`' help '≤ 500')
$(row '`jobs list`' jobs '≤ 1,500')
$(row '`upload` of a 10-row CSV' upload '')
| \`upload\`: to its first work (the job started, as its log line says) | ${FIRST_COLD[jar]} | ${FIRST_WARM[jar]} | ${FIRST_COLD[launcher]} | ${FIRST_WARM[launcher]} | ${FIRST_COLD[warm]} | ${FIRST_WARM[warm]} | ≤ 1,500 |"

cd "$project"
tmp=$(mktemp)
awk -v section="$section" '
    /^## Start-up/ { print section; print ""; skipping = 1; next }
    skipping && /^## / { skipping = 0 }
    !skipping { print }
' BENCHMARKS.md > "$tmp"
grep -q '^## Start-up' "$tmp" || printf '\n%s\n' "$section" >> "$tmp"
mv "$tmp" BENCHMARKS.md
echo "$section"
