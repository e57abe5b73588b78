#!/usr/bin/env bash
# Makes the Danish spreadsheet fixtures with a real spreadsheet program, LibreOffice, headless:
# from the firms of samples/batch/firms.csv (the hand-made clean CSV the tests compare with),
# .ci/danish-fixtures.py writes two flat ODF sheets typed as a Danish sheet types them (currency
# kr., percent cells, boolean cells, dates), and LibreOffice exports them as CSV with Danish
# settings. Rerunnable; it rewrites Tests/SoeEngineTests/Fixtures/spreadsheets/da-*.
#
# The CSV filter options (LibreOffice's "Text - txt - csv (StarCalc)" filter), by position:
#   1 field separator 59 = ';'      2 text delimiter 34 = '"'     3 character set: 76 = UTF-8,
#   1 = Windows-1252 ("Western Europe")      4 first line 1     5 cell formats (empty: standard)
#   6 language 1030 = Danish (decimal comma, thousands point, SAND/FALSK)
#   7 quoted fields as text: false   8 detect special numbers: true
#   9 save cell contents as shown: true ("as shown": 4.200.000,00 kr., 3,6 %) or false (raw: 4200000, 0,036)
#
# Outputs:
#   da-firmaer.fods, da-alle-former.fods    the source sheets
#   da-som-vist.csv          "as shown", UTF-8
#   da-raa.csv               raw values, UTF-8 (percent cells come out as fractions: --percent fraction)
#   da-windows-1252.csv      "as shown", Windows-1252
#   da-alle-former.csv       every form soe reads, varied row by row, "as shown", UTF-8
#   da-broek.csv             percentages as plain fractions (0,036): refused unless --percent fraction
set -euo pipefail
cd "$(dirname "$0")/.."
command -v soffice >/dev/null || { apt-get update -qq && apt-get install -y --no-install-recommends libreoffice-calc-nogui; }
out=Tests/SoeEngineTests/Fixtures/spreadsheets
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"
python3 .ci/danish-fixtures.py samples/batch/firms.csv "$out"

convert() { # source-sheet options target-name
    soffice --headless "-env:UserInstallation=file://$scratch/profile" \
        --convert-to "csv:Text - txt - csv (StarCalc):$2" --outdir "$scratch" "$out/$1" >/dev/null 2>&1
    mv "$scratch/${1%.fods}.csv" "$out/$3"
}
convert da-firmaer.fods '59,34,76,1,,1030,false,true,true' da-som-vist.csv
convert da-firmaer.fods '59,34,76,1,,1030,false,true,false' da-raa.csv
convert da-firmaer.fods '59,34,1,1,,1030,false,true,true' da-windows-1252.csv
convert da-alle-former.fods '59,34,76,1,,1030,false,true,true' da-alle-former.csv
convert da-broek.fods '59,34,76,1,,1030,false,true,true' da-broek.csv
ls -l "$out"/da-*
