#!/bin/sh
# Builds the benchmark, makes its database on first use, and prints the figures: the service
# calls (bench.c), then whole pages served over HTTP (pages.sh) on the demo and generated data.
#
#   sh bench/run.sh BUILD_DIR [tk-bench options, e.g. --plans]
#
# TK_BENCH_SCALE=full (default): 2.500 organizations, 200.000 tasks, ~4 million updates, in
#   BUILD_DIR/bench.db (about 0,9 GB, under a minute to make).
# TK_BENCH_SCALE=small: 250 organizations, 20.000 tasks, 5 updates per task, in
#   BUILD_DIR/bench-small.db, so the two never pass for each other.
# TK_BENCH_REPS: repetitions per case (default 20).
# A database whose schema is not the one this build makes is made again (tk-bench --check-schema).
set -eu

if [ $# -lt 1 ]; then
    echo "usage: sh bench/run.sh BUILD_DIR [tk-bench options]" >&2
    exit 2
fi
build=$1
shift
src=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# A fresh directory gets an optimized build: figures from a Debug or sanitizer build say
# little about the program people run. An existing one keeps its settings and gains TK_BENCH.
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTK_TESTS=OFF -DTK_BENCH=ON >/dev/null
elif ! grep -q '^TK_BENCH:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$src" -B "$build" -DTK_BENCH=ON >/dev/null
fi
if grep -q '^TK_SANITIZE:BOOL=ON$' "$build/CMakeCache.txt" ||
    grep -q '^CMAKE_BUILD_TYPE:STRING=\(Debug\)\{0,1\}$' "$build/CMakeCache.txt"; then
    echo "run.sh: warning: $build is not an optimized build; the figures will be pessimistic" >&2
fi
cmake --build "$build" -j "$jobs" --target tk-bench-generate tk-bench tk-bench-report

case ${TK_BENCH_SCALE:-full} in
full)
    db=$build/bench.db
    set -- --db "$db" "$@"
    scale=""
    ;;
small)
    db=$build/bench-small.db
    set -- --db "$db" "$@"
    scale="--orgs 250 --tasks 20000 --updates-per-task 5"
    ;;
*)
    echo "run.sh: TK_BENCH_SCALE must be full or small" >&2
    exit 2
    ;;
esac

# Migrations are still edited in place, so a database from an earlier build can have another
# schema under the same version number; make it again rather than measure the wrong thing.
if [ -f "$db" ]; then
    status=0
    "$build/bench/tk-bench" --db "$db" --check-schema >/dev/null || status=$?
    if [ "$status" -eq 3 ]; then
        echo "run.sh: $db was made with another schema; making it again" >&2
        rm -f "$db" "$db-wal" "$db-shm"
    fi
fi
if [ ! -f "$db" ]; then
    # A load cut short leaves a partial file that would pass for a database next time.
    trap 'rm -f "$db" "$db-wal" "$db-shm"; exit 1' INT TERM
    # shellcheck disable=SC2086 # $scale is a list of flags
    "$build/bench/tk-bench-generate" "$db" $scale || {
        rm -f "$db" "$db-wal" "$db-shm"
        exit 1
    }
    trap - INT TERM
    echo
fi
"$build/bench/tk-bench" --reps "${TK_BENCH_REPS:-20}" "$@"

# A quarter of reporting over the province: completeness, the consolidated report and its files.
echo
"$build/bench/tk-bench-report" --db "$db"

# Whole pages, on the demo data and on the generated data.
cmake --build "$build" -j "$jobs" --target trienkhai
demo=$build/bench-demo.db
[ -f "$demo" ] || "$build/trienkhai" demo --db "$demo" >/dev/null
echo
sh "$src/bench/pages.sh" "$build/trienkhai" "$demo" "${TK_BENCH_REPS:-20}"
sh "$src/bench/pages.sh" "$build/trienkhai" "$db" "${TK_BENCH_REPS:-20}"
