#!/usr/bin/env bash
# Fuzzing with libFuzzer and AddressSanitizer (docs/hardening.md, "Fuzzing").
#
#   .ci/fuzz.sh TARGET SECONDS    build TARGET and fuzz it for SECONDS; prints runs, time, corpus, exec/s
#   .ci/fuzz.sh all SECONDS       every target in turn, SECONDS each
#   .ci/fuzz.sh TARGET FILE...    run saved inputs once (a crash file, a corpus entry) and stop
#   .ci/fuzz.sh list              the targets
#
# Targets (Tests/Fuzz/): rules, firm-json, firm-csv, evaluate, batch. Work goes to $SOE_FUZZ_WORK
# (default /tmp/soe-fuzz): build/, corpus/TARGET/ (kept between runs, seeded from rules/,
# samples/ and Tests/Fuzz/corpus/TARGET/) and crashes/TARGET/. Exit status 1 when a run found a
# crash, a hang (an input running over $SOE_FUZZ_TIMEOUT seconds, default 30), a memory blow-up or
# a broken invariant; the input is in crashes/TARGET/. Each finding becomes a fixture in
# Tests/SoeEngineTests/Fixtures/fuzz-regressions/ and a test in FuzzRegressionTests.swift.
# Runs at nice 19, as the machine is shared: on a busy machine a starved run can pass the time limit,
# so run a timeout-* input alone (`.ci/fuzz.sh TARGET FILE` prints its time) before calling it a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${SOE_FUZZ_WORK:-/tmp/soe-fuzz}
targets=(rules firm-json firm-csv evaluate batch)

usage() { sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

source_of() {
  case "$1" in
    rules) echo "FuzzRules.swift LintHook.swift" ;;
    firm-json) echo "FuzzFirmJSON.swift" ;;
    firm-csv) echo "FuzzFirmCSV.swift" ;;
    evaluate) echo "FuzzEvaluate.swift ../SoeTestSupport/RuleGenerator.swift LintHook.swift" ;;
    batch) echo "FuzzBatch.swift" ;;
    *) return 1 ;;
  esac
}

# The engine, once, as a static library instrumented for libFuzzer and ASan; rebuilt when a source changes.
build_engine() {
  mkdir -p "$work/build"
  local lib="$work/build/libSoeEngine.a"
  if [ -f "$lib" ] && [ -z "$(find Sources/SoeEngine -name '*.swift' -newer "$lib" | head -1)" ] \
     && [ "$(find Sources/SoeEngine -name '*.swift' | sort | md5sum)" = "$(cat "$work/build/engine.files" 2>/dev/null)" ]; then
    return
  fi
  echo "building the engine (libFuzzer + ASan, -O)…" >&2
  find Sources/SoeEngine -name '*.swift' | sort > "$work/build/engine.list"
  nice -n 19 swiftc -parse-as-library -O -g -sanitize=fuzzer,address -module-name SoeEngine \
    -emit-library -static -emit-module -emit-module-path "$work/build/SoeEngine.swiftmodule" \
    -o "$lib" @"$work/build/engine.list" 2> >(grep -v "Cannot export local symbol" >&2)
  find Sources/SoeEngine -name '*.swift' | sort | md5sum > "$work/build/engine.files"
}

build_target() {
  local target=$1 bin="$work/build/fuzz-$1" files flags=()
  files=$(source_of "$target") || { echo "unknown target '$target' (targets: ${targets[*]})" >&2; exit 2; }
  build_engine
  local sources=(Tests/Fuzz/FuzzSupport.swift)
  for file in $files; do sources+=("Tests/Fuzz/$file"); done
  if [ -n "$(find "$bin" "${sources[@]}" -newer "$bin" 2>/dev/null | head -1)" ] || [ "$work/build/libSoeEngine.a" -nt "$bin" ] || [ ! -f "$bin" ]; then
    echo "building fuzz-$target…" >&2
    if [[ " $files " == *" LintHook.swift "* ]] && [ -d Sources/SoeEngine/Lint ]; then
      if nice -n 19 swiftc -parse-as-library -O -g -sanitize=fuzzer,address -D SOE_LINT -I "$work/build" \
           "${sources[@]}" "$work/build/libSoeEngine.a" -o "$bin" 2>"$work/build/lint-hook.log"; then
        grep -v "Cannot export local symbol" "$work/build/lint-hook.log" >&2 || true
        echo "fuzz-$target: the linter is fuzzed too" >&2
        return
      fi
      echo "WARNING: Sources/SoeEngine/Lint exists but Tests/Fuzz/LintHook.swift does not match its API" >&2
      echo "         ($work/build/lint-hook.log); fuzzing the rules without the linter" >&2
    fi
    nice -n 19 swiftc -parse-as-library -O -g -sanitize=fuzzer,address -I "$work/build" \
      "${sources[@]}" "$work/build/libSoeEngine.a" -o "$bin" 2> >(grep -v "Cannot export local symbol" >&2)
  fi
}

findings_in() { find "$1" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l; }

# Seeds: the bundled rules and samples, plus the small seeds kept in the repository.
seed_corpus() {
  local target=$1 corpus="$work/corpus/$1"
  mkdir -p "$corpus"
  [ -d "Tests/Fuzz/corpus/$target" ] && cp -n Tests/Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  case "$target" in
    rules) cp -n rules/*.rules "$corpus"/ 2>/dev/null || true ;;
    firm-json) cp -n samples/*.json "$corpus"/ 2>/dev/null || true ;;
    batch) cp -n samples/batch/*.csv "$corpus"/ 2>/dev/null || true ;;
  esac
}

options_for() {
  case "$1" in
    rules) echo "-max_len=16384 -dict=$root/Tests/Fuzz/rules.dict" ;;
    firm-json) echo "-max_len=4096 -dict=$root/Tests/Fuzz/json.dict" ;;
    firm-csv) echo "-max_len=4096" ;;
    evaluate) echo "-max_len=512" ;;
    batch) echo "-max_len=4096" ;;
  esac
}

fuzz() {
  local target=$1 seconds=$2 corpus="$work/corpus/$1" crashes="$work/crashes/$1" log="$work/$1.log"
  build_target "$target"
  seed_corpus "$target"
  mkdir -p "$crashes"
  # Findings are crash-, timeout-, oom- and leak- files; slow-unit- files are only noted.
  local before; before=$(findings_in "$crashes")
  echo "fuzzing $target for ${seconds}s (log: $log)…" >&2
  local status=0
  # -timeout: an input that runs that long is a finding (evaluation must always terminate).
  SWIFT_BACKTRACE=enable=no SOE_FUZZ_ROOT="$root" ASAN_OPTIONS=detect_leaks=0 \
    nice -n 19 "$work/build/fuzz-$target" $(options_for "$target") -max_total_time="$seconds" \
    -timeout="${SOE_FUZZ_TIMEOUT:-30}" -report_slow_units="${SOE_FUZZ_TIMEOUT:-30}" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1 || status=$?
  local runs rate files bytes after
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print int(s / 1024)}')
  after=$(findings_in "$crashes")
  printf '%-10s runs %-10s time %ss  corpus %s files (%s KiB)  exec/s %s  new findings %s\n' \
    "$target" "${runs:-?}" "$seconds" "$files" "$bytes" "${rate:-?}" "$((after - before))"
  if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "finding in $crashes/ (see $log):" >&2
    ls -t "$crashes" | grep -v '^slow-unit-' | head -3 | sed "s|^|  $crashes/|" >&2
    return 1
  fi
}

[ $# -ge 1 ] || usage
case "$1" in
  list) printf '%s\n' "${targets[@]}"; exit 0 ;;
  all)
    [ $# -eq 2 ] || usage
    status=0
    for target in "${targets[@]}"; do fuzz "$target" "$2" || status=1; done
    exit $status ;;
esac
target=$1
shift
[ $# -ge 1 ] || usage
if [[ "$1" =~ ^[0-9]+$ ]] && [ $# -eq 1 ]; then
  fuzz "$target" "$1"
else
  build_target "$target"
  SWIFT_BACKTRACE=enable=no SOE_FUZZ_ROOT="$root" ASAN_OPTIONS=detect_leaks=0 "$work/build/fuzz-$target" "$@"
fi
