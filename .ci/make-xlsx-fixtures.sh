#!/usr/bin/env bash
# Builds the spreadsheet fixtures of the .xlsx reader with LibreOffice, a real spreadsheet program,
# from the hand-written source Tests/SoeEngineTests/Fixtures/spreadsheets/xlsx-firms.fods:
#   xlsx-firms.xlsx        the workbook, as LibreOffice saves it (deflated entries, shared strings,
#                          styles with percent and date formats)
#   xlsx-firms-shown.csv   CSV "as shown" with English (en-US) settings: ',' separators, '.'
#                          decimals, no thousands separators, 10.0% and ISO dates, UTF-8
#   xlsx-firms-raw.csv     CSV of the raw values: percentages as fractions (0.1), UTF-8
#   xlsx-firms-zip64.xlsx  the same workbook's parts archived again by Info-ZIP's `zip -fz`, which
#                          writes ZIP64 records and fields however small the archive (as some
#                          libraries and `zip` when streaming do); made only when `zip` is there
#   xlsx-firms.xls         the .fods saved by LibreOffice as Excel 97-2003, which soe names and refuses
#   xlsx-password.xlsx     the workbook encrypted with the password "hemmelig" by msoffcrypto-tool
#                          (PyPI), as Excel stores a protected workbook; made only when it is there
# Run it after changing the .fods, then review `git diff` of the outputs and commit them.
#   .ci/make-xlsx-fixtures.sh --check SOE   makes them afresh in a scratch folder instead and
#                                           checks: the CSV exports are byte for byte the committed
#                                           ones, and soe (the binary SOE) gives the fresh workbook
#                                           the same results as the committed "as shown" CSV
# (the .xlsx itself holds LibreOffice's time of saving, so it is compared by what soe reads).
# Installs LibreOffice Calc from Debian when `soffice` is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v soffice >/dev/null || { apt-get update && apt-get install -y --no-install-recommends libreoffice-calc-nogui; }
folder=Tests/SoeEngineTests/Fixtures/spreadsheets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A profile of its own, so a LibreOffice already running (or its settings) does not interfere.
run() { soffice -env:UserInstallation="file://$work/profile" --headless --norestore "$@" >/dev/null; }
run --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir "$work" "$folder/xlsx-firms.fods"
# CSV filter options: separator 44 (,), text delimiter 34 ("), charset 76 (UTF-8), first line 1,
# no column formats, language 1033 (en-US), quoted as text false, detect special numbers true,
# save as shown (true / false), formulas false, remove spaces false.
run --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false' --outdir "$work/shown" "$folder/xlsx-firms.fods"
run --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false' --outdir "$work/raw" "$folder/xlsx-firms.fods"
if [ "${1:-}" = "--check" ]; then
  soe=${2:?give the soe binary after --check}
  cmp "$work/shown/xlsx-firms.csv" "$folder/xlsx-firms-shown.csv"
  cmp "$work/raw/xlsx-firms.csv" "$folder/xlsx-firms-raw.csv"
  "$soe" evaluate --rules rules/ "$work/xlsx-firms.xlsx" > "$work/from-xlsx.csv" 2>/dev/null
  "$soe" evaluate --rules rules/ "$folder/xlsx-firms-shown.csv" > "$work/from-csv.csv" 2>/dev/null
  # Results of a workbook begin with a byte-order mark (they go back to a spreadsheet program),
  # those of the CSV export, which has none, do not: the same bytes after it.
  [ "$(head -c 3 "$work/from-xlsx.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || { echo "no byte-order mark on a workbook's CSV results" >&2; exit 1; }
  tail -c +4 "$work/from-xlsx.csv" | cmp - "$work/from-csv.csv"
  echo "ok: LibreOffice makes the same CSV exports, and soe reads its fresh workbook as the committed CSV" >&2
  exit 0
fi
cp "$work/xlsx-firms.xlsx" "$folder/xlsx-firms.xlsx"
cp "$work/shown/xlsx-firms.csv" "$folder/xlsx-firms-shown.csv"
cp "$work/raw/xlsx-firms.csv" "$folder/xlsx-firms-raw.csv"
run --convert-to xls --outdir "$work" "$folder/xlsx-firms.fods"
cp "$work/xlsx-firms.xls" "$folder/xlsx-firms.xls"
if python3 -c 'import msoffcrypto' 2>/dev/null; then
  python3 -c 'import sys; from msoffcrypto.format.ooxml import OOXMLFile; OOXMLFile(open(sys.argv[1], "rb")).encrypt("hemmelig", open(sys.argv[2], "wb"))' \
    "$work/xlsx-firms.xlsx" "$folder/xlsx-password.xlsx"
fi
if command -v zip >/dev/null; then
  mkdir "$work/parts"
  (cd "$work/parts" && unzip -q "$work/xlsx-firms.xlsx" && rm -f "$work/zip64.xlsx" \
    && zip -q -X -D -r -fz "$work/zip64.xlsx" '[Content_Types].xml' _rels docProps xl)
  cp "$work/zip64.xlsx" "$folder/xlsx-firms-zip64.xlsx"
fi
echo "made $folder/xlsx-firms.xlsx, xlsx-firms-shown.csv and xlsx-firms-raw.csv" >&2
