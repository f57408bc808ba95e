# Turns files into a C source that holds each as a byte array, so the binary carries its
# SQL migrations (and later its templates and static files) with no files beside it.
# Called as: cmake -DOUT=file.c -DBASE=dir -DFILES="a;b" -DSYMBOL=name -P embed.cmake
set(body "#include <stddef.h>\n#include \"store/embedded.h\"\n\n")
set(index "")
set(i 0)
foreach(f IN LISTS FILES)
  file(READ "${BASE}/${f}" hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR size "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "static const unsigned char file_${i}[] = {${bytes}0x00};\n")
  string(APPEND index "    {\"${f}\", (const char *)file_${i}, ${size}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "\nconst tk_embedded_file ${SYMBOL}[] = {\n${index}    {NULL, NULL, 0},\n};\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
