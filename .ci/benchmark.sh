#!/usr/bin/env bash
# The batch benchmark in one command, from a fresh clone: builds the static `soe` binary (for the
# cold start and peak memory figures) and runs `soe-bench batch` in a release build.
#
#   .ci/benchmark.sh                 1,000,000 rows, as in the README
#   .ci/benchmark.sh --rows 100000   any flag of `soe-bench batch` (see `soe-bench batch --help`)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product soe --scratch-path .build/static
swift build -c release --product soe-bench
if [ "$#" -eq 0 ]; then set -- --rows 1000000; fi
exec "$(swift build -c release --show-bin-path)/soe-bench" batch --soe .build/static/release/soe "$@"
