#!/usr/bin/env bash
# Start-up benchmark: how long `--help`, `jobs list` and an `upload` of a 10-row CSV take, whole
# process, with `java -jar target/contact-batch.jar` and with `bin/contact-batch`, against a running
# PostgreSQL. Cold is the first run of the command after the database (re)started; warm is the
# median of 5 runs after it. Prints the figures as a Markdown table.
#
#   bench/startup.sh
#
# Environment (all optional):
#   SPRING_DATASOURCE_URL (with _USERNAME, _PASSWORD)  a PostgreSQL to use; it is not restarted, so
#                     "cold" is then the first run of each command in this script. Without it the
#                     script starts a PostgreSQL of its own from the embedded binaries (under
#                     bench-data/startup/pg, on port BENCH_PG_PORT, default 5546) and stops it at the end.
#   BENCH_PG_BIN      the PostgreSQL bin/ directory (default: the embedded binaries under /tmp/embedded-pg;
#                     run the jar once without a datasource to have them extracted there)
#   BENCH_RUNS        warm runs per command (default 5)
#   BENCH_SKIP_BUILD  1 = use what is already built in target/
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf '[startup.sh] %s\n' "$*" >&2; }
die() { printf '[startup.sh] ERROR: %s\n' "$*" >&2; exit 1; }

RUNS="${BENCH_RUNS:-5}"
WORK="$PWD/bench-data/startup"
mkdir -p "$WORK/run"

if [[ "${BENCH_SKIP_BUILD:-0}" != "1" ]]; then
    say "building target/contact-batch.jar (and target/contact-batch/ for bin/contact-batch) ..."
    ./mvnw -q -B -DskipTests package || die "the build failed"
fi
[[ -f target/contact-batch.jar ]] || die "no target/contact-batch.jar"
JAR="$PWD/target/contact-batch.jar"
LAUNCHER="$PWD/bin/contact-batch"

# --- the database ---------------------------------------------------------------------------
OWN_PG=0
if [[ -z "${SPRING_DATASOURCE_URL:-}" ]]; then
    OWN_PG=1
    PG_BIN="${BENCH_PG_BIN:-$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1)}"
    [[ -x "$PG_BIN/pg_ctl" ]] || die "no PostgreSQL binaries: set BENCH_PG_BIN or SPRING_DATASOURCE_URL, or run the jar once without a datasource"
    PORT="${BENCH_PG_PORT:-5546}"
    PGDIR="$WORK/pg"
    # PostgreSQL refuses to run as root; the embedded server runs in a user namespace, and so does this one
    AS=()
    if [[ "$(id -u)" -eq 0 ]]; then AS=(unshare -U); fi
    pg_ctl() { "${AS[@]}" "$PG_BIN/pg_ctl" -D "$PGDIR/data" "$@" >/dev/null; }
    rm -rf "$PGDIR"
    mkdir -p "$PGDIR"
    "${AS[@]}" "$PG_BIN/initdb" -A trust -U postgres -D "$PGDIR/data" -E UTF-8 >"$PGDIR/initdb.log" 2>&1 \
        || die "initdb failed (see $PGDIR/initdb.log)"
    PG_OPTS="-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDIR -c synchronous_commit=off"
    pg_ctl -o "$PG_OPTS" -l "$PGDIR/log" -w start || die "PostgreSQL did not start (see $PGDIR/log)"
    trap 'pg_ctl -m fast stop || true' EXIT
    export SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PORT/postgres" SPRING_DATASOURCE_USERNAME=postgres \
        SPRING_DATASOURCE_PASSWORD=""
    restart_db() { pg_ctl -m fast -w restart -o "$PG_OPTS" -l "$PGDIR/log"; }
else
    restart_db() { :; }
fi
export CONTACT_BATCH_LOG_FILE="$WORK/contact-batch.log"

# --- timing ---------------------------------------------------------------------------------
cd "$WORK/run"
SEQ=0
# a 10-row CSV no run has uploaded before (a file uploaded before is only reported as completed)
ten_rows() {
    SEQ=$((SEQ + 1))
    local file="$WORK/run/ten-$$-$SEQ.csv"
    {
        echo "email,first_name,last_name,phone"
        for i in 0 1 2 3 4 5 6 7 8 9; do
            echo "startup-$$-$SEQ-$i@example.com,Ann$i,Lee$SEQ,+1 720 555 01$i$i"
        done
    } >"$file"
    echo "$file"
}

# ms CMD...: runs the command (its output discarded) and prints its wall-clock time in ms
ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>"$WORK/last.err" || die "failed: $* ($(tail -1 "$WORK/last.err"))"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
secs() { awk -v ms="$1" 'BEGIN {printf "%.2f s", ms / 1000}'; }

# measure LABEL COMMAND...: cold then warm figures for one way of starting the app
declare -A COLD WARM
measure() {
    local label=$1; shift
    local what cold warm r args
    for what in help jobs upload; do
        case $what in
            help) args=(--help) ;;
            jobs) args=(jobs list) ;;
        esac
        restart_db
        if [[ $what == upload ]]; then args=(upload "$(ten_rows)" --no-progress); fi
        cold=$(ms "$@" "${args[@]}")
        warm=""
        for ((r = 0; r < RUNS; r++)); do
            if [[ $what == upload ]]; then args=(upload "$(ten_rows)" --no-progress); fi
            warm="$warm $(ms "$@" "${args[@]}")"
        done
        COLD[$label/$what]=$cold
        WARM[$label/$what]=$(echo "$warm" | median)
        say "$label ${what}: cold $(secs "$cold"), warm $(secs "${WARM[$label/$what]}") (runs:$warm ms)"
    done
}

say "migrating the schema (first run on this database) ..."
java -jar "$JAR" jobs list >/dev/null
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
measure jar java -jar "$JAR"
measure launcher "$LAUNCHER"

# --- the table ------------------------------------------------------------------------------
JAVA_VERSION=$(java -version 2>&1 | head -1)
echo
echo "Start-up, whole process (JVM start to exit), $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, load average at start $LOAD; $JAVA_VERSION."
echo "Cold: first run after the database $( ((OWN_PG)) && echo "restarted" || echo "was already running (not restarted: SPRING_DATASOURCE_URL given)"); warm: median of $RUNS runs."
echo
echo "| command | \`java -jar\` cold | \`java -jar\` warm | \`bin/contact-batch\` cold | \`bin/contact-batch\` warm |"
echo "|---|---|---|---|---|"
for what in help jobs upload; do
    case $what in
        help) name='`--help`' ;;
        jobs) name='`jobs list`' ;;
        upload) name='`upload` of a 10-row CSV' ;;
    esac
    echo "| $name | $(secs "${COLD[jar/$what]}") | $(secs "${WARM[jar/$what]}") | $(secs "${COLD[launcher/$what]}") | $(secs "${WARM[launcher/$what]}") |"
done
