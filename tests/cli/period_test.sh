#!/bin/sh
# `trienkhai period TEXT...` as a person uses it: what it prints, what it refuses, exit codes.
# Usage: sh period_test.sh /path/to/trienkhai TMPDIR
set -u
bin=${1:?usage: sh period_test.sh /path/to/trienkhai TMPDIR}
tmp=${2:?usage: sh period_test.sh /path/to/trienkhai TMPDIR}
mkdir -p "$tmp"
out="$tmp/period_test.$$.out"
err="$tmp/period_test.$$.err"
trap 'rm -f "$out" "$err"' EXIT
passed=0
failed=0

fail() {
    failed=$((failed + 1))
    printf 'FAIL: %s\n' "$*" >&2
    printf '  stdout: %s\n' "$(cat "$out")" >&2
    printf '  stderr: %s\n' "$(cat "$err")" >&2
}

# reads WANT ARG...: exit 0 and stdout exactly WANT
reads() {
    want=$1
    shift
    "$bin" period "$@" >"$out" 2>"$err"
    rc=$?
    if [ "$rc" -eq 0 ] && [ "$(cat "$out")" = "$want" ] && [ ! -s "$err" ]; then
        passed=$((passed + 1))
    else
        fail "period $* -> exit $rc, want \"$want\""
    fi
}

# refuses STATUS SAYS ARG...: exit STATUS, nothing on stdout, stderr contains SAYS
refuses() {
    status=$1
    says=$2
    shift 2
    "$bin" period "$@" >"$out" 2>"$err"
    rc=$?
    if [ "$rc" -eq "$status" ] && [ ! -s "$out" ] && grep -qF -- "$says" "$err"; then
        passed=$((passed + 1))
    else
        fail "period $* -> exit $rc, want $status and \"$says\" on stderr"
    fi
}

reads "2021-01-01 2021-03-31" "Quý I/2021"
reads "2021-01-01 2021-03-31" Quý I/2021
reads "2021-01-01 2021-03-31" quý 1 năm 2021
reads "2021-01-01 2021-03-31" "$(printf 'Quy\314\201 I/2021')"
reads "2021-01-01 2021-06-30" "6 tháng đầu năm 2021"
reads "2021-07-01 2021-12-31" "sáu tháng cuối năm 2021"
reads "2021-01-01 2021-09-30" "9 tháng đầu năm 2021"
reads "2020-07-01 2020-07-31" "tháng 7/2020"
reads "2024-02-01 2024-02-29" "tháng 2 năm 2024"
reads "2021-01-01 2021-12-31" "năm 2021"
reads "2021-01-01 2021-12-31" 2021
reads "2021-01-01 2025-12-31" "giai đoạn 2021 - 2025"
reads "2020-01-01 2025-12-31" "nhiệm kỳ 2020–2025"
reads "2021-06-30 2021-06-30" "30/6/2021"
reads "2021-06-30 2021-06-30" "ngày 30 tháng 6 năm 2021"
reads "2021-06-30 2021-06-30" "trước ngày 30/6/2021"
reads "2021-06-30 2021-06-30" "chậm nhất 30-6-2021"
reads "2022-04-01 2022-06-30" "trong quý II/2022"
reads "2021-01-01 2021-03-31" "  quy   I / 2021 "
reads "continuous" "Thường xuyên"
reads "continuous" thuong xuyen
reads "recurring year" "Hằng năm"
reads "recurring year" "Hàng năm"
reads "recurring quarter" "Hằng quý"
reads "recurring month" "Hằng tháng"

refuses 1 'Không hiểu thời hạn "đầu tháng 7/2021"' "đầu tháng 7/2021"
refuses 1 'Không hiểu thời hạn "cuối năm 2021"' "cuối năm 2021"
refuses 1 'Không hiểu thời hạn "sau ngày 30/6/2021"' "sau ngày 30/6/2021"
refuses 1 'không có ngày 31/4/2021' "31/4/2021"
refuses 1 'không có ngày 29/2/2021' "29/2/2021"
refuses 1 'Không hiểu thời hạn "quý I": thiếu năm' "quý I"
refuses 1 'Không hiểu thời hạn "6 tháng đầu năm": thiếu năm' "6 tháng đầu năm"
refuses 1 'thừa "abc" ở cuối' "năm 2021 abc"
refuses 1 'phải viết đủ 4 chữ số, từ 1900 đến 2100' "năm 21"
refuses 1 'phải viết đủ 4 chữ số, từ 1900 đến 2100' "năm 2101"
refuses 1 'năm đầu (2025) phải nhỏ hơn năm cuối (2021)' "2025-2021"
refuses 1 'không phải UTF-8 hợp lệ' "$(printf 'n\343m 2021')"
refuses 1 'thời hạn trống' ""
refuses 2 'trienkhai period'

total=$((passed + failed))
[ "$total" -gt 0 ] || failed=1
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
