#!/bin/sh
# Accounts and the audit log from the command line: init, user and token commands, and
# `audit verify` naming the first entry changed by hand in the database file.
# Usage: sh accounts_test.sh /path/to/trienkhai TMPDIR
. "$(dirname "$0")/lib.sh"
db="$dir/t.db"

run init --db "$db"
check "init creates the first administrator" [ "$rc" -eq 0 ]
check "init prints a one-time password" has "Mật khẩu dùng một lần"
run init --db "$db"
check "a second init is refused" [ "$rc" -eq 1 ]

run org list --db "$db"
check "org list on an empty database" [ "$rc" -eq 0 ]
"$bin" migrate --db "$db" >/dev/null
sqlite3 "$db" "INSERT INTO organizations(kind, name, name_folded) VALUES ('party_committee', 'Đảng bộ thử', 'dang bo thu')"
run user add vanphong --db "$db" --name "Văn phòng" --password "mat khau dai du" --grant office:1
check "user add with a grant" [ "$rc" -eq 0 ]
run user add vanphong --db "$db" --name "Trùng" --password "mat khau dai du"
check "a duplicate login is refused" [ "$rc" -eq 1 ]
check "the refusal names the login" err_has "đã có"
run user add ngan --db "$db" --name "Ngắn" --password "ngan"
check "a short password is refused" [ "$rc" -eq 1 ]
run user add "Có Dấu" --db "$db" --name "X" --password "mat khau dai du"
check "a login with capitals and diacritics is refused" [ "$rc" -eq 1 ]
run user grant vanphong editor --db "$db"
check "a role other than admin needs an organization" [ "$rc" -eq 1 ]
run user grant vanphong viewer 1 --db "$db"
check "user grant" [ "$rc" -eq 0 ]
run user list --db "$db"
check "user list shows the grants" has "office — Đảng bộ thử"
run token add vanphong "script báo cáo" --db "$db"
check "token add prints the token alone on stdout" grep -qE '^[0-9a-f]{64}$' "$out"
run user passwd vanphong --db "$db"
check "passwd without a password gives a one-time password" has "Mật khẩu dùng một lần"
run user disable vanphong --db "$db"
check "user disable" [ "$rc" -eq 0 ]

run audit verify --db "$db"
check "the untouched log verifies" [ "$rc" -eq 0 ]
check "verify counts the entries" has "nguyên vẹn"
run audit list --db "$db" --type user
check "audit list shows account changes" has "create"

# The database refuses changes to the log...
sqlite3 "$db" "UPDATE audit_log SET login = 'ke gian' WHERE id = 3" 2>"$err"
check "the database refuses to update an audit entry" err_has "append-only"
sqlite3 "$db" "DELETE FROM audit_log WHERE id = 2" 2>"$err"
check "the database refuses to delete an audit entry" err_has "append-only"
# ...so someone editing the file by hand first removes the guard; verify still finds it.
sqlite3 "$db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after_json = '{\"role\":\"admin\"}' WHERE id = 4"
run audit verify --db "$db"
check "verify fails on a tampered log" [ "$rc" -eq 1 ]
check "verify names the first tampered entry" has "mục / entry 4 "

finish
