#!/bin/sh
# `trienkhai report status` as the office uses it: the Vietnamese table of a period's reporting,
# the same numbers as JSON, and what it refuses. The data is written with sqlite3, as a server
# would have left it: a quarterly schedule over a city's districts and wards, Quý II/2021 due
# 25/6/2021; A and A1 on time, A2 late, B still drafting, B1 not started.
# Usage: sh report_test.sh /path/to/trienkhai TMPDIR
. "$(dirname "$0")/lib.sh"
db="$dir/t.db"
# Looked for as fixed text: the output holds dots and parentheses.
has() { grep -qF -- "$1" "$out"; }
err_has() { grep -qF -- "$1" "$err"; }

"$bin" migrate --db "$db" >/dev/null
sqlite3 "$db" <<'SQL'
INSERT INTO organizations(id, parent_id, kind, name, name_folded) VALUES
  (1, NULL, 'party_committee', 'Thành ủy R', 'thanh uy r'),
  (2, 1, 'district', 'Quận A', 'quan a'),
  (3, 1, 'district', 'Quận B', 'quan b'),
  (4, 2, 'commune', 'Phường A1', 'phuong a1'),
  (5, 2, 'commune', 'Phường A2', 'phuong a2'),
  (6, 3, 'commune', 'Phường B1', 'phuong b1');
INSERT INTO organizations(id, parent_id, kind, name, name_folded, valid_from, valid_to) VALUES
  (7, 1, 'district', 'Quận C', 'quan c', '2000-01-01', '2021-03-01');
INSERT INTO documents(id, kind, title, organization_id, title_folded) VALUES
  (1, 'action_program', 'Chương trình hành động', 1, 'chuong trinh hanh dong');
INSERT INTO report_schedules(id, title, document_id, organization_id, period_type, starts_on, reporters,
                             reporter_root_id, title_folded) VALUES
  (1, 'Báo cáo quý', 1, 1, 'quarter', '2021-01-01', 'subtree', 1, 'bao cao quy');
INSERT INTO unit_reports(schedule_id, period_key, org_id, status, due_on, submitted_on) VALUES
  (1, '2021-Q2', 2, 'accepted', '2021-06-25', '2021-06-20'),
  (1, '2021-Q2', 4, 'submitted', '2021-06-25', '2021-06-25'),
  (1, '2021-Q2', 5, 'submitted', '2021-06-25', '2021-07-02'),
  (1, '2021-Q2', 3, 'draft', '2021-06-25', NULL);
SQL

run report status --db "$db" --schedule 1 --period 2021-Q2
check "status of a period" [ "$rc" -eq 0 ]
check "names the period" has "Báo cáo quý — Quý II/2021"
check "data window and due day, dd/mm/yyyy" has "Số liệu từ 15/03/2021 đến 14/06/2021, hạn nộp 25/06/2021"
check "header" has "Phải nộp  Đã nộp  Đúng hạn  Muộn  Chưa nộp  Đã tiếp nhận"
check "row of A: 3 expected, 3 submitted, 2 on time, 1 late" grep -qE '^Quận A +3 +3 +2 +1 +0 +1$' "$out"
check "row of B: 2 expected, none in" grep -qE '^Quận B +2 +0 +0 +0 +2 +0$' "$out"
check "total" grep -qE '^Cộng +5 +3 +2 +1 +2 +1$' "$out"
check "C had closed before the due day" sh -c "! grep -q 'Quận C' '$out'"
check "outstanding, with their state" has "Chưa nộp (2):"
check "B is drafting" grep -qE '^  Quận B — đang soạn, quá hạn [0-9]+ ngày$' "$out"
check "B1 has not started" grep -qE '^  Phường B1 — chưa làm, quá hạn [0-9]+ ngày$' "$out"

run report status --db "$db" --schedule 1 --period 2021-Q2 --org 2
check "under A" [ "$rc" -eq 0 ]
check "A reports on itself too" grep -qE '^Quận A +1 +1 +1 +0 +0 +1$' "$out"
check "A's wards" grep -qE '^Phường A2 +1 +1 +0 +1 +0 +0$' "$out"
check "all of A is in" has "Mọi đơn vị đã nộp báo cáo."

run report status --db "$db" --schedule 1 --period 2021-Q2 --json
check "as JSON" [ "$rc" -eq 0 ]
check "JSON counts" sh -c "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if (d[\"expected\"],d[\"submitted\"],d[\"on_time\"],d[\"late\"],d[\"missing\"])==(5,3,2,1,2) else 1)' '$out'"

run report status --db "$db" --schedule 1 --period 2021-Q5
check "a period that does not exist" [ "$rc" -eq 1 ]
check "names the period" err_has '"2021-Q5" không phải một kỳ'
run report status --db "$db" --schedule 1 --period 2020-Q4
check "before the schedule starts" [ "$rc" -eq 1 ]
run report status --db "$db" --schedule 9 --period 2021-Q2
check "no such schedule" [ "$rc" -eq 1 ]
check "says so" err_has "Không có lịch báo cáo mã số 9"
run report status --db "$db" --period 2021-Q2
check "--schedule is needed" [ "$rc" -eq 2 ]
run report status --db "$db" --schedule 1 --period 2021-Q2 --colour red
check "unknown option" [ "$rc" -eq 2 ]
run report send --db "$db"
check "unknown subcommand" [ "$rc" -eq 2 ]
check "usage is printed" err_has "trienkhai report status --schedule ID"

finish
