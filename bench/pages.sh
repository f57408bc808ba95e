#!/bin/sh
# Server time of whole pages as a browser gets them (HTML rendered over the service's JSON):
# the dashboard, the task list and a task page, on the demo database and on the generated one.
#
#   sh bench/pages.sh TRIENKHAI_BINARY DATABASE [REPS]
#
# Starts `trienkhai serve` on a free port of 127.0.0.1, asks each page REPS times (default 20)
# with curl, and prints the median and the slowest, in milliseconds.
set -eu
bin=${1:?usage: sh bench/pages.sh TRIENKHAI_BINARY DATABASE [REPS]}
db=${2:?usage: sh bench/pages.sh TRIENKHAI_BINARY DATABASE [REPS]}
reps=${3:-20}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
# Every page needs a caller: an administrator of the benchmark's own with a new API token (an
# administrator sees every page whole; bench.c measures the narrower callers).
"$bin" --db "$db" user add bench-pages --name 'Đo tốc độ' --password 'bench-pages-password' --grant admin \
    >/dev/null 2>&1 || true
token=$("$bin" --db "$db" token add bench-pages bench 2>/dev/null | grep -E '^[0-9a-f]{64}$')
auth="Authorization: Bearer $token"
"$bin" serve --db "$db" --listen 127.0.0.1 --port 0 --port-file "$dir/port" 2>"$dir/log" &
pid=$!
i=0
while [ ! -f "$dir/port" ] && [ "$i" -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
base="http://127.0.0.1:$(cat "$dir/port")"
root=$(curl -s -H "$auth" "$base/api/v1/organizations?parent_id=null&per_page=1" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
task=$(curl -s -H "$auth" "$base/api/v1/tasks?per_page=1" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
printf '%s\n' "pages of $db (median / slowest of $reps, ms):"
for page in "/?org=$root" "/tasks?org=$root" "/tasks?org=$root&status=overdue" "/tasks/$task" "/programs" "/indicators"; do
    n=0
    : >"$dir/times"
    while [ "$n" -lt "$reps" ]; do
        answer=$(curl -s -H "$auth" -o /dev/null -w '%{http_code} %{time_total}' "$base$page")
        # A sign-in redirect or an error page is fast and would pass for a good figure.
        if [ "${answer%% *}" != 200 ]; then
            echo "pages.sh: $page answered ${answer%% *}" >&2
            exit 1
        fi
        echo "${answer#* }" >>"$dir/times"
        n=$((n + 1))
    done
    sort -n "$dir/times" | awk -v page="$page" '{ t[NR] = $1 * 1000 } END { printf "  %-36s %8.1f %8.1f\n", page, t[int((NR + 1) / 2)], t[NR] }'
done
