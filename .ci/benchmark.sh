#!/usr/bin/env bash
# The benchmarks in one command, from a fresh clone: builds the static `soe` binary (the one users
# install; cold start and peak memory are measured on it) and `soe-bench` in a release build, then
# runs soe's whole process against the hand-written limit, and the batch against its baselines.
#
#   .ci/benchmark.sh                       limit, then batch, on 1,000,000 rows (docs/benchmark.md)
#   .ci/benchmark.sh limit [flags]         only `soe-bench limit` (see `soe-bench limit --help`)
#   .ci/benchmark.sh batch [flags]         only `soe-bench batch` (see `soe-bench batch --help`)
#   .ci/benchmark.sh --rows 100000         both, on fewer rows
# --soe PATH measures another soe binary instead of the static one.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/build-static.sh
swift build -c release --product soe-bench
bench="$(swift build -c release --show-bin-path)/soe-bench"
which=(limit batch)
case "${1:-}" in
  limit | batch) which=("$1"); shift ;;
esac
soe=(--soe .build/static/release/soe)
rows=(--rows 1000000)
for argument in "$@"; do
  if [ "$argument" = "--soe" ]; then soe=(); fi
  if [ "$argument" = "--rows" ]; then rows=(); fi
done
for name in "${which[@]}"; do
  "$bench" "$name" "${soe[@]}" "${rows[@]}" "$@"
done
