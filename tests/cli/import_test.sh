#!/bin/sh
# `trienkhai import` as a person uses it: organizations, then tasks that name them, from CSV and
# XLSX; a dry run that writes nothing, bad rows named by line, all rows or none, exit codes.
# Usage: sh import_test.sh /path/to/trienkhai TMPDIR
. "$(dirname "$0")/lib.sh"
db="$dir/import.db"

"$bin" migrate --db "$db" >/dev/null

# As Excel saves "CSV UTF-8" in the Vietnamese locale: a byte order mark, ';', CRLF.
printf '\357\273\277Tên;Mã;Trực thuộc;Loại\r\nThành ủy Thử Nghiệm;TU;;Đảng bộ\r\nĐảng bộ quận Ba Đình;BD;TU;Quận\r\nSở Tài chính;STC;Thành ủy Thử Nghiệm;Sở\r\n' >"$dir/orgs.csv"

run import organizations "$dir/orgs.csv" --db "$db" --dry-run
check "a clean dry run succeeds" [ "$rc" -eq 0 ]
check "a dry run says it writes nothing" has "Chạy thử"
check "a dry run counts what it would create" has "sẽ tạo 3 đơn vị"
check "a dry run lists each row" has "Dòng 3: Đảng bộ quận Ba Đình (mã BD)"
run org list --db "$db"
check "a dry run writes nothing" sh -c "! grep -q 'Ba Đình' '$out'"

run import organizations "$dir/orgs.csv" --db "$db"
check "the import succeeds" [ "$rc" -eq 0 ]
check "the import says how many it wrote" has "Đã nhập 3 đơn vị"
run org list --db "$db" --q "ba dinh"
check "the imported unit is there" has "Đảng bộ quận Ba Đình"

printf 'STT;Nhiệm vụ;Đơn vị chủ trì;Thời hạn;Người chịu trách nhiệm\n1;Xây dựng đề án;dang bo quan ba dinh;Quý II/2021;Đồng chí B\n2;Rà soát;STC;cuối năm 2021;\n3;Kiểm tra;Sở Không Có;30/6/2022;\n' >"$dir/tasks.csv"
run import tasks "$dir/tasks.csv" --db "$db" --dry-run
check "a dry run with bad rows exits 1" [ "$rc" -eq 1 ]
check "it counts the good rows" has "sẽ tạo 1 nhiệm vụ"
check "it names the bad deadline with its line and column" err_has "Dòng 3, cột Thời hạn: .*cuối năm 2021"
check "it names the unknown unit" err_has "Dòng 4, cột Đơn vị chủ trì: .*Sở Không Có"
check "it lists the ignored column" has "Bỏ qua các cột không dùng: STT"

run import tasks "$dir/tasks.csv" --db "$db"
check "a real run with bad rows exits 1" [ "$rc" -eq 1 ]
check "it says nothing was written" has "chưa ghi dòng nào"
run task list --db "$db" --json
check "no task was written" sh -c "! grep -q 'Xây dựng đề án' '$out'"

sed -e 's/cuối năm 2021/31\/12\/2021/' -e 's/Sở Không Có/Sở Tài chính/' "$dir/tasks.csv" >"$dir/tasks-fixed.csv"
run import tasks "$dir/tasks-fixed.csv" --db "$db" --json
check "the fixed file imports" [ "$rc" -eq 0 ]
check "--json prints the report" has '"created": 3'
run task list --db "$db" --json --q "xay dung de an"
check "the deadline is read from Quý II/2021" has '"due_last": "2021-06-30"'
check "the responsible person is kept" has '"responsible_person": "Đồng chí B"'

# An .xlsx as Excel writes it (inline strings, a date cell with a dd/mm/yyyy style), made with
# Python's zipfile alone so the test needs no spreadsheet library.
if command -v python3 >/dev/null 2>&1; then
    python3 - "$dir/tasks.xlsx" <<'PY'
import sys, zipfile
def cell(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)
rows = [
    [cell("A1", "Tên nhiệm vụ"), cell("B1", "Cơ quan chủ trì"), cell("C1", "Thời gian hoàn thành")],
    # 46006 is 15/12/2025 in Excel's day count.
    [cell("A2", "Tổng kết nghị quyết"), cell("B2", "Đảng bộ quận Ba Đình"), '<c r="C2" s="1"><v>46006</v></c>'],
    [cell("A3", "Sơ kết"), cell("B3", "BD"), cell("C3", "6 tháng đầu năm 2023")],
]
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         + "".join('<row r="%d">%s</row>' % (i + 1, "".join(r)) for i, r in enumerate(rows))
         + '</sheetData></worksheet>')
main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
files = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % rel,
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s"><sheets>'
        '<sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>' % (main, rel),
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="%s/styles" Target="styles.xml"/></Relationships>' % (rel, rel),
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="%s">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>' % main,
    "xl/worksheets/sheet1.xml": sheet,
}
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        z.writestr(name, text)
PY
    run import tasks "$dir/tasks.xlsx" --db "$db"
    check "an XLSX file imports" [ "$rc" -eq 0 ]
    check "both XLSX rows are written" has "Đã nhập 2 nhiệm vụ"
    run task list --db "$db" --json --q "tong ket nghi quyet"
    check "an XLSX date cell is the deadline" has '"due_last": "2025-12-15"'
fi

run import tasks "$dir/missing.csv" --db "$db"
check "a missing file exits 1" [ "$rc" -eq 1 ]
check "a missing file is named" err_has "missing.csv"
cp "$dir/tasks.csv" "$dir/tasks.ods"
run import tasks "$dir/tasks.ods" --db "$db"
check "an unknown format exits 1" [ "$rc" -eq 1 ]
check "an unknown format says which formats work" err_has "CSV"
run import documents "$dir/tasks.csv" --db "$db"
check "an unknown kind is a usage error" [ "$rc" -eq 2 ]
run import tasks --db "$db"
check "a missing file argument is a usage error" [ "$rc" -eq 2 ]
check "usage names the command" err_has "trienkhai import"

finish
