#!/usr/bin/env bash
# The batch benchmark in one command, from a fresh clone: builds the static `soe` binary (for the
# cold start and peak memory figures) and runs `soe-bench batch` in a release build.
#
#   .ci/benchmark.sh                 1,000,000 rows, as in docs/benchmark.md
#   .ci/benchmark.sh --rows 100000   any flag of `soe-bench batch` (see `soe-bench batch --help`);
#                                    --soe PATH measures another soe binary instead of the static one
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product soe --scratch-path .build/static
swift build -c release --product soe-bench
soe=(--soe .build/static/release/soe)
for argument in "$@"; do
  if [ "$argument" = "--soe" ]; then soe=(); fi
done
rows=(--rows 1000000)
for argument in "$@"; do
  if [ "$argument" = "--rows" ]; then rows=(); fi
done
exec "$(swift build -c release --show-bin-path)/soe-bench" batch "${soe[@]}" "${rows[@]}" "$@"
