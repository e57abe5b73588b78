#!/usr/bin/env bash
# soe's spreadsheet results and template, opened by a real spreadsheet program and converted back:
# LibreOffice Calc, headless. Every row, column, Danish letter and number must come back as soe
# wrote it (checked by spreadsheet-roundtrip.py). Installs LibreOffice from Debian when missing.
# Nothing here reads a path outside the repository; scratch files go to a fresh mktemp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if ! command -v soffice >/dev/null; then
    apt-get update
    apt-get install -y --no-install-recommends libreoffice-calc-nogui
fi
soe=${SOE:-.build/debug/soe}
[ -x "$soe" ] || swift build --product soe

# LibreOffice keeps its profile in a folder of its own, so that a run never touches the user's.
office() { soffice -env:UserInstallation="file://$scratch/profile" --headless "$@" >/dev/null 2>&1; }
# CSV out: ',' (44), '"' (34), UTF-8 (76), from row 1; cells as shown.
to_csv() { office --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$2" "$1"; }

# A batch with a column of the caseworker's own, Danish letters and a quote in it.
python3 - "$scratch/firms.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open("samples/batch/firms.csv", encoding="utf-8")))
notes = ["Søren Ærø Åsted", 'Bodil "Bo" Østergård, Haderslev', "Åse Læsø", "Linje 1\nLinje 2 _x0041_ & <b>"]
amounts = ["4200000.50", "0.10", "-12345678901234.05"]
rows[0].insert(3, "Sagsbehandler")
rows[0].append("Bevilget")
for index, row in enumerate(rows[1:]):
    row.insert(3, notes[index % len(notes)])
    row.append(amounts[index % len(amounts)])
with open(sys.argv[1], "w", encoding="utf-8", newline="") as out:
    csv.writer(out, lineterminator="\n").writerows(rows)
PY

mkdir -p "$scratch/soe" "$scratch/back"
status=0
"$soe" evaluate --rules rules/ "$scratch/firms.csv" --lang da --format xlsx --output "$scratch/soe/wide.xlsx" 2>/dev/null || status=$?
[ "$status" -le 4 ] || { echo "soe evaluate --format xlsx failed ($status)" >&2; exit 1; }
"$soe" evaluate --rules rules/ "$scratch/firms.csv" --lang da --output "$scratch/soe/wide.csv" 2>/dev/null || true
"$soe" evaluate --rules rules/ "$scratch/firms.csv" --lang da --layout long --output "$scratch/soe/long.csv" 2>/dev/null || true
"$soe" template --rules rules/ --lang da --format xlsx --output "$scratch/soe/template.xlsx"
"$soe" template --rules rules/ --lang da --format csv --output "$scratch/soe/template.csv"
for file in wide.xlsx wide.csv long.csv template.xlsx; do
    # CSV goes in through the same filter options: ',' separated, UTF-8.
    base=${file%.*}
    mkdir -p "$scratch/back/$base-${file##*.}"
    if [ "${file##*.}" = csv ]; then
        # CSV has no types: every column is imported as text (format 2), as soe wrote it.
        columns=$(python3 -c 'import csv,sys; print(len(next(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))))' "$scratch/soe/$file")
        formats=$(seq -s/ 1 "$columns" | sed 's|/|/2/|g; s|$|/2|')
        office --infilter="Text - txt - csv (StarCalc):44,34,76,1,$formats" \
            --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir "$scratch/back/$base-csv" "$scratch/soe/$file"
    else
        to_csv "$scratch/soe/$file" "$scratch/back/$base-xlsx"
    fi
done
python3 .ci/spreadsheet-roundtrip.py "$scratch"

# The template, filled in as a caseworker would and saved as Danish CSV, is read by soe evaluate:
# the description row is skipped, the firm is evaluated.
python3 - "$scratch/back/template-xlsx/template.csv" "$scratch/filled.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
header = rows[0]
firm = {"id": "T1", "name": "Ærøskøbing Café ApS", "cvr": "13748136", "fiscal_year": "2024",
        "legal_form": "aps", "own_cvr": "ja", "market_sales": "4200000,50"}
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as out:
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerow(rows[1])
    writer.writerow([firm.get(name, "") for name in header])
PY
status=0
"$soe" evaluate --rules rules/ "$scratch/filled.csv" --lang da --output "$scratch/filled-results.csv" 2>"$scratch/filled.err" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then cat "$scratch/filled.err" >&2; exit 1; fi
grep -q "skabelonens beskrivelser" "$scratch/filled.err"
grep -q "Ærøskøbing Café ApS" "$scratch/filled-results.csv"
[ "$(grep -c . "$scratch/filled-results.csv")" -eq 2 ]
echo "ok: xlsx and CSV results and the template survive LibreOffice; the filled-in template is read back"
