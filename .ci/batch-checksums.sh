#!/usr/bin/env bash
# Checksums of what a soe binary makes of batch inputs, so that two binaries can be compared for
# "no change in meaning" (docs/benchmark.md, issue "Batch speed close to the hardware limit"):
# every CSV under samples/ and Tests/, and deterministic generated inputs (.ci/batch-checksums.py:
# N mixed rows with odd forms and broken records, CRLF with a byte-order mark, semicolons,
# Windows-1252, invalid UTF-8), each evaluated with the bundled rules in the long and the wide
# layout, on one thread and (generated inputs) with --jobs 2. For each run the result file, the
# standard output, the standard error and the exit code are hashed. Any further CSV given is
# evaluated the same way (the limit's data, `soe-bench generate` output).
#
#   .ci/batch-checksums.sh SOE [ROWS] [CSV...] > sums.txt     ROWS defaults to 1,000,000
#   diff before.txt after.txt
set -euo pipefail
soe="$(realpath "$1")"
rows="${2:-1000000}"
shift $(($# < 2 ? $# : 2))
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
# BATCH_CHECKSUM_INPUTS: a folder where the generated inputs of the same ROWS already are (they are
# the same on every run), to compare a second binary without generating them again.
if [ -n "${BATCH_CHECKSUM_INPUTS:-}" ]; then
  cp "$BATCH_CHECKSUM_INPUTS"/mixed*.csv "$work/in/"
else
  python3 "$root/.ci/batch-checksums.py" "$work/in" "$rows"
fi
k=0
add() { k=$((k + 1)); cp "$1" "$work/in/$(printf '%03d' "$k")-$(basename "$1")"; }
while IFS= read -r file; do add "$file"; done < <(cd "$root" && find samples Tests -name '*.csv' | sort | sed "s|^|$root/|")
for extra in "$@"; do add "$extra"; done
cp -r "$root/rules" "$work/rules"
cd "$work"
for input in in/*.csv; do
  name="$(basename "$input")"
  jobs=(1)
  case "$name" in mixed*) jobs=(1 2) ;; esac
  for layout in long wide; do
    for j in "${jobs[@]}"; do
      rm -f out.csv
      set +e
      "$soe" evaluate --rules rules "$input" --output out.csv --layout "$layout" --jobs "$j" > stdout.txt 2> stderr.txt
      rc=$?
      set -e
      result="$( [ -f out.csv ] && sha256sum < out.csv | cut -c1-64 || echo none)"
      printf '%s %s %s %s  %s %s jobs=%s\n' "$result" "$(sha256sum < stdout.txt | cut -c1-16)" \
        "$(sha256sum < stderr.txt | cut -c1-16)" "rc=$rc" "$name" "$layout" "$j"
    done
  done
done
