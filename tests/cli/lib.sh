# What every command-line test shares, sourced first by tests/cli/*_test.sh
# (`. "$(dirname "$0")/lib.sh"`): the binary and a scratch directory from the test's arguments
# (sh NAME_test.sh /path/to/trienkhai TMPDIR), `run` to call the binary with its output in $out
# and $err and its status in $rc, `check` to count a condition, `has`/`err_has` to look for a
# pattern in the output, and `finish` to print the counts and end with the right status.
set -u
bin=${1:?usage: sh NAME_test.sh /path/to/trienkhai TMPDIR}
tmp=${2:?usage: sh NAME_test.sh /path/to/trienkhai TMPDIR}
dir="$tmp/$(basename "$0" .sh).$$"
mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
out="$dir/out"
err="$dir/err"
passed=0
failed=0

check() { # check DESCRIPTION CONDITION...
    what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        printf 'FAIL: %s\n  stdout: %s\n  stderr: %s\n' "$what" "$(head -c 3000 "$out")" "$(head -c 2000 "$err")" >&2
    fi
}
has() { grep -q -- "$1" "$out"; }
err_has() { grep -q -- "$1" "$err"; }
run() { "$bin" "$@" >"$out" 2>"$err"; rc=$?; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
