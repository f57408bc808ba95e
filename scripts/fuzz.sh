#!/bin/sh
# Builds every tests/fuzz/*_fuzz.c target with clang's libFuzzer (and ASan + UBSan) and runs
# each for the given number of seconds from its seed corpus. A crash fails the run and leaves
# the input under build-fuzz/.
set -eu
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
mkdir -p "$out"
cmake -S "$root" -B "$out/lib" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DTK_TESTS=OFF \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" >/dev/null
cmake --build "$out/lib" --target tk -j "$(nproc)" >/dev/null
libs=$(pkg-config --libs sqlite3 libmicrohttpd jansson icu-uc icu-i18n libcurl zlib libargon2 libcrypto cairo pangocairo \
    fontconfig xlsxwriter libzip libxml-2.0)
for src in "$root"/tests/fuzz/*_fuzz.c; do
    name=$(basename "$src" .c)
    # The same language and warnings as the CMake build (CMakeLists.txt), so a fuzz target that
    # builds there builds here.
    clang -std=c11 -g -O1 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$root/src" \
        "$src" "$out/lib/libtk.a" $libs -lm -lpthread -o "$out/$name"
    mkdir -p "$out/corpus/$name"
    echo "fuzz: $name for ${seconds}s"
    (cd "$out" && "./$name" -max_total_time="$seconds" -max_len=4096 -print_final_stats=0 \
        "corpus/$name" "$root/tests/fuzz/corpus/$name" 2>"$name.log") || {
        tail -40 "$out/$name.log"
        exit 1
    }
done
echo "fuzz: no crash"
