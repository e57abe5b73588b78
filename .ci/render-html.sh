#!/usr/bin/env bash
# Renders the HTML dossier and the overview in a real headless browser and saves PNG screenshots,
# so that a person can look at what caseworkers and auditors will see, on screen and in review.
#
#   .ci/render-html.sh [OUTPUT_FOLDER]     (default: docs/screenshots)
#
# Installs Chromium from Debian when it is missing (apt-get, as root). Not part of .ci/run: the
# golden files and the well-formedness test guard the markup; this is for eyes. Pages rendered:
#   kaffekollektivet.da.png  a determined firm, in Danish (samples/kaffekollektivet.json)
#   mangler_regnskab.en.png  an undetermined firm, in English (samples/mangler_regnskab.json)
#   several.da.png           several firms under every bundled rule set: the overview on top
#   batch.da.png             the overview of a batch: soe evaluate --format html on samples/batch/firms.csv
#   letter.da.png            the letter to Kaffekollektivet (--format letter-html, with a decision date)
#   request.en.png           the request for the missing data sent to an undetermined firm, in English
#   dossier-print.da-N.png   the dossier of Kaffekollektivet printed to PDF by Chromium, page N: the
#                            running header, "Side N af M" and the decision date, as a case file gets it
# Printing needs pdftoppm (poppler-utils), installed beside Chromium when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"
mkdir -p "$out"

if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  echo "render-html: installing chromium and poppler-utils from Debian" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi

swift build --product soe
soe="$(swift build --show-bin-path)/soe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$soe" evaluate --rules rules/rsv_2014.rules --format html --lang da \
  --output "$work/kaffekollektivet.da.html" samples/kaffekollektivet.json
"$soe" evaluate --rules rules/rsv_2014.rules --format html --lang en \
  --output "$work/mangler_regnskab.en.html" samples/mangler_regnskab.json
# Several firms under every rule set in one document. Exit 4 (a rejected firm) still writes
# the dossier of the others, so it is accepted here.
status=0
"$soe" evaluate --rules rules/ --format html --lang da --output "$work/several.da.html" \
  samples/kaffekollektivet.json samples/kursuscentret.json samples/mangler_regnskab.json samples/halvt_halvt.json \
  2>"$work/several.log" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then cat "$work/several.log" >&2; exit "$status"; fi
"$soe" evaluate --rules rules/ --format html --lang da --no-progress --output "$work/batch.da.html" \
  --title "Screening af leverandører 2024" samples/batch/firms.csv 2>"$work/batch.log" || { cat "$work/batch.log" >&2; exit 1; }
"$soe" evaluate --rules rules/rsv_2014.rules --format letter-html --lang da --decision-date 2025-03-14 \
  --output "$work/letter.da.html" samples/kaffekollektivet.json
"$soe" evaluate --rules rules/rsv_2014.rules --format letter-html --lang en \
  --output "$work/request.en.html" samples/mangler_regnskab.json
"$soe" evaluate --rules rules/rsv_2014.rules --format html --lang da --decision-date 2025-03-14 \
  --output "$work/dossier.da.html" samples/kaffekollektivet.json

# The dossier as a case file gets it: printed to PDF (CSS paged media: A4, running header, page
# numbers), then each page as a PNG. Old page images are removed first, so none is left over.
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$work/dossier.da.pdf" \
  "file://$work/dossier.da.html" >"$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }
rm -f "$out"/dossier-print.da-*.png
pdftoppm -png -r 80 "$work/dossier.da.pdf" "$out/dossier-print.da"
echo "render-html: $out/dossier-print.da-*.png ($(ls "$out"/dossier-print.da-*.png | wc -l) pages)"

for page in kaffekollektivet.da mangler_regnskab.en several.da batch.da letter.da request.en; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1200,1600 --screenshot="$out/$page.png" "file://$work/$page.html" \
    >"$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }
  echo "render-html: $out/$page.png"
done
