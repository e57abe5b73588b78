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
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"
mkdir -p "$out"

if ! command -v chromium >/dev/null 2>&1; then
  echo "render-html: installing chromium from Debian" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
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
  samples/batch/firms.csv 2>"$work/batch.log" || { cat "$work/batch.log" >&2; exit 1; }

for page in kaffekollektivet.da mangler_regnskab.en several.da batch.da; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1200,1600 --screenshot="$out/$page.png" "file://$work/$page.html" \
    >"$work/chromium.log" 2>&1 || { cat "$work/chromium.log" >&2; exit 1; }
  echo "render-html: $out/$page.png"
done
