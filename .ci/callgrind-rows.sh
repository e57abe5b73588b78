#!/usr/bin/env bash
# Instructions per row of a soe binary on the limit's firms, counted by valgrind's callgrind, which
# does not depend on the machine's load (docs/benchmark.md, "After the merge of session 10").
#
#   .ci/callgrind-rows.sh SOE FOLDER [OUT]
#
# SOE is the binary to count (the shipped one: .ci/build-static.sh, .build/static/release/soe);
# FOLDER holds firms.csv and one.csv, as `soe-bench limit --rows 20000 --keep FOLDER` leaves them;
# OUT (default: a new temporary folder) receives the result files and callgrind's profiles, so that
# two binaries' results can be compared with cmp and their profiles read with callgrind_annotate.
# Prints one firm's instructions, and for the long layout, the wide layout (the default of
# --output) and the long layout on two threads the whole run's and (whole - one firm) / rows.
# Run from the package root.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: .ci/callgrind-rows.sh SOE FOLDER [OUT]" >&2
    exit 2
fi
soe="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
folder="$2"
out="${3:-$(mktemp -d)}"
mkdir -p "$out"
command -v valgrind > /dev/null || { echo "callgrind-rows: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
for file in firms.csv one.csv; do
    [ -f "$folder/$file" ] || { echo "callgrind-rows: no $folder/$file; make it with soe-bench limit --rows 20000 --keep $folder" >&2; exit 1; }
done
rules=rules/anden_aktoer.rules
[ -f "$rules" ] || { echo "callgrind-rows: run from the package root ($rules not found)" >&2; exit 1; }
rows=$(( $(wc -l < "$folder/firms.csv") - 1 ))

count() { # NAME INPUT FLAGS...: the run's instructions, all threads
    local name="$1" input="$2"; shift 2
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" \
        "$soe" evaluate --rules "$rules" "$input" --output "$out/$name.csv" "$@" 2>&1 \
        | sed -n 's/.*I *refs: *//p' | tr -d ,
}
one=$(count one "$folder/one.csv" --layout long --lang en --jobs 1)
echo "one firm: $one"
for run in "long --layout long --lang en --jobs 1" "wide --jobs 1" "long-jobs2 --layout long --lang en --jobs 2"; do
    set -- $run
    name="$1"; shift
    total=$(count "$name" "$folder/firms.csv" "$@")
    echo "$name: $total, $(( (total - one) / rows )) a row over $rows rows"
done
echo "results and profiles in $out"
