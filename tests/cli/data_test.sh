#!/bin/sh
# The database commands as a person uses them: demo, migrate, org, task, dashboard, config.
# Usage: sh data_test.sh /path/to/trienkhai TMPDIR
. "$(dirname "$0")/lib.sh"
db="$dir/demo.db"

run demo --db "$db"
check "demo creates the database" [ "$rc" -eq 0 ] && [ -f "$db" ]
run demo --db "$db"
check "demo refuses an existing file" [ "$rc" -eq 1 ]
check "demo says why, in Vietnamese" err_has "đã có"

run migrate --db "$db"
check "migrate on the demo is a no-op that reports the version" [ "$rc" -eq 0 ]
check "migrate prints the schema version" has "phiên bản"

run org list --db "$db" --parent null
check "org list of roots" [ "$rc" -eq 0 ]
check "Hà Nội is a root" has "Đảng bộ thành phố Hà Nội"
check "Hồ Chí Minh City is a root" has "Thành phố Hồ Chí Minh"

run org list --db "$db" --q "HA NOI" --json
check "org search ignores case and diacritics" has "Đảng bộ thành phố Hà Nội"

# Hà Nội's action program of 2/11/2020 has its ten work programs 01..10.
hn=$("$bin" org list --db "$db" --parent null --json | sed -n 's/^ *"id": \([0-9]*\),$/\1/p' | head -1)
run dashboard --db "$db" --org "$hn" --json
check "dashboard answers" [ "$rc" -eq 0 ]
for n in 01 02 03 04 05 06 07 08 09 10; do
    check "Hà Nội program $n is on the dashboard" has "\"number\": \"$n\""
done

run task list --db "$db" --org "$hn" --status overdue --json
check "overdue list answers" [ "$rc" -eq 0 ]
check "every listed task is overdue" sh -c "! grep -q '\"status\": \"\\(done_on_time\\|done_late\\|in_progress\\)\"' '$out'"
check "the demo has overdue tasks" has '"status": "overdue"'

run task list --db "$db" --q "quy hoach" --json
check "task search without diacritics finds 'quy hoạch'" has "quy hoạch"

# The Q1/2021 duty of issuing the work programs is in the demo.
run task list --db "$db" --org "$hn" --to 2021-03-31 --from 2021-03-31 --json
check "a task due in Quý I/2021 exists" has '"due": "Quý I/2021"'

# A progress update through the command line moves the task.
id=$("$bin" task list --db "$db" --org "$hn" --status overdue --json | sed -n 's/^ *"id": \([0-9]*\),$/\1/p' | head -1)
run task update "$id" --db "$db" --progress 100 --narrative "Đã hoàn thành"
check "task update saves" [ "$rc" -eq 0 ]
run task show "$id" --db "$db" --json
check "the task is completed late" has '"status": "done_late"'
check "progress is 100" has '"progress": 100'

run task update "$id" --db "$db" --progress 150
check "progress over 100 is refused" [ "$rc" -eq 1 ]
check "the refusal names the field" err_has "progress"
run task update "$id" --db "$db" --progress abc
check "progress that is not a number is refused" [ "$rc" -eq 1 ]
run task extend "$id" --db "$db" --due "đầu tháng 7/2021" --reason x --approved-by y --date 2026-01-02
check "a vague deadline is refused" [ "$rc" -eq 1 ]
check "the refusal quotes the text" err_has "đầu tháng 7/2021"
run task show 999999 --db "$db"
check "an unknown task is not found" [ "$rc" -eq 1 ]
check "not found is said" err_has "not_found"
run task list --db "$db" --status late
check "an unknown status is refused" [ "$rc" -eq 1 ]
run task frobnicate --db "$db"
check "an unknown subcommand is a usage error" [ "$rc" -eq 2 ]

run task list --db "$dir/missing.db"
check "a missing database is reported, not created" [ "$rc" -eq 1 ] && [ ! -f "$dir/missing.db" ]

TK_PORT=9090 "$bin" config --threads 8 >"$out" 2>"$err"
check "config shows the environment value" has "TK_PORT"
check "config port from the environment" grep -q "^port *= 9090" "$out"
check "config threads from the flag" grep -q "^threads *= 8 .*command line" "$out"
run config --port 70000
check "an out-of-range port is refused" [ "$rc" -eq 2 ]

finish
