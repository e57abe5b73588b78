#!/usr/bin/env bash
# Fuzzing with libFuzzer and AddressSanitizer (docs/fuzzing.md).
#
#   .ci/fuzz.sh TARGET SECONDS    build TARGET and fuzz it for SECONDS; prints runs, time, CPU time,
#                                 corpus, exec/s and exec per CPU-second
#   .ci/fuzz.sh all SECONDS       every target in turn, SECONDS each
#   .ci/fuzz.sh TARGET FILE...    run saved inputs once (a crash file, a corpus entry) and stop
#   .ci/fuzz.sh list              the targets
#
# Targets (Tests/Fuzz/): rules, firm-json, firm-csv, evaluate, batch, cli, fmt, zip, xlsx. Work goes to $SOE_FUZZ_WORK
# (default .build/fuzz, inside the project's ignored build folder): build/, corpus/TARGET/ (kept
# between runs, seeded from Tests/Fuzz/corpus/TARGET/, rules/ and samples/) and crashes/TARGET/.
# Exit status 1 when a run found a crash, a hang (an input running over $SOE_FUZZ_TIMEOUT seconds,
# default 30), a memory blow-up or a broken invariant; the input is in crashes/TARGET/. Each finding
# becomes a fixture in Tests/SoeEngineTests/Fixtures/fuzz-regressions/ and a test in
# FuzzRegressionTests.swift. Runs at nice 19, as the machine is shared: on a busy machine a starved
# run can pass the time limit, so run a timeout-* input alone (`.ci/fuzz.sh TARGET FILE` prints its
# time) before calling it a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${SOE_FUZZ_WORK:-$root/.build/fuzz}
case "$work" in /*) ;; *) work="$root/$work" ;; esac
targets=(rules firm-json firm-csv evaluate batch cli fmt zip xlsx)
# The package's modules in build order, each compiled on its own (as SwiftPM does), so that the
# fuzz targets see the same public interfaces and module boundaries as the shipped tool.
modules=(SoeLanguage SoeEngine SoeLint SoeCLI)
# SoeMemoryHints is a C module (its module map beside the header) that SoeEngine imports: its
# inline prefetch comes with the header, its one function (the writeback hint) with the object
# `build_hints` compiles with the toolchain's clang.
# -enable-testing: the batch target reaches the batch's internal switches (the general path, the
# kept results' room, the read-ahead ring) with `@testable import`, as the test suite does.
flags=(-parse-as-library -O -g -enable-testing -sanitize=fuzzer,address -I "$root/Sources/SoeMemoryHints/include")

usage() { sed -n '4,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

source_of() {
  case "$1" in
    rules) echo "FuzzRules.swift LintHook.swift" ;;
    firm-json) echo "FuzzFirmJSON.swift" ;;
    firm-csv) echo "FuzzFirmCSV.swift" ;;
    evaluate) echo "FuzzEvaluate.swift ../SoeTestSupport/RuleGenerator.swift LintHook.swift" ;;
    batch) echo "FuzzBatch.swift" ;;
    cli) echo "FuzzCLI.swift FuzzCLISandbox.swift" ;;
    fmt) echo "FuzzFormat.swift ../SoeTestSupport/RuleGenerator.swift" ;;
    zip) echo "FuzzZip.swift" ;;
    xlsx) echo "FuzzXlsx.swift" ;;
    *) return 1 ;;
  esac
}

# The modules a target links: the CLI needs them all; the others stop at the linter.
modules_of() {
  case "$1" in
    cli) echo "SoeLanguage SoeEngine SoeLint SoeCLI" ;;
    *) echo "SoeLanguage SoeEngine SoeLint" ;;
  esac
}

# Silences one harmless linker warning of static Swift libraries, and nothing else.
quiet() { grep -v "Cannot export local symbol" >&2 || true; }

# One module as a static library instrumented for libFuzzer and ASan, with its .swiftmodule beside
# it. Rebuilt when one of its sources changes, a source is added or removed, or a module it
# depends on (an earlier one in `modules`) was rebuilt.
build_module() {
  local module=$1 build="$work/build" lib="$work/build/lib$1.a" list stamp
  mkdir -p "$build"
  list=$(find "Sources/$module" -name '*.swift' | sort)
  stamp=$(echo "$list" | md5sum)
  local stale=0
  [ -f "$lib" ] || stale=1
  [ "$stale" -eq 1 ] || [ "$stamp" = "$(cat "$build/$module.files" 2>/dev/null)" ] || stale=1
  [ "$stale" -eq 1 ] || [ -z "$(find "Sources/$module" -name '*.swift' -newer "$lib" | head -1)" ] || stale=1
  local dependency
  for dependency in "${modules[@]}"; do
    [ "$dependency" = "$module" ] && break
    [ "$build/lib$dependency.a" -nt "$lib" ] && stale=1
  done
  [ "$stale" -eq 1 ] || return 0
  echo "building $module (libFuzzer + ASan, -O)…" >&2
  echo "$list" > "$build/$module.list"
  nice -n 19 swiftc "${flags[@]}" -module-name "$module" -I "$build" \
    -emit-library -static -emit-module -emit-module-path "$build/$module.swiftmodule" \
    -o "$lib" @"$build/$module.list" 2> >(quiet)
  echo "$stamp" > "$build/$module.files"
}

# The C target's object, rebuilt when its source or header changes.
build_hints() {
  local object="$work/build/SoeMemoryHints.o"
  mkdir -p "$work/build"
  if [ ! -f "$object" ] || [ -n "$(find Sources/SoeMemoryHints -type f -newer "$object" | head -1)" ]; then
    echo "building SoeMemoryHints (clang, -O2)…" >&2
    nice -n 19 "$(dirname "$(command -v swiftc)")/clang" -O2 -c -I Sources/SoeMemoryHints/include \
      Sources/SoeMemoryHints/SoeMemoryHints.c -o "$object"
  fi
}

build_target() {
  local target=$1 bin="$work/build/fuzz-$1" files module
  files=$(source_of "$target") || { echo "unknown target '$target' (targets: ${targets[*]})" >&2; exit 2; }
  local libraries=() library
  for module in $(modules_of "$target"); do
    build_module "$module"
    # Dependents first: the linker resolves a static library's symbols from those after it.
    libraries=("$work/build/lib$module.a" "${libraries[@]}")
  done
  build_hints
  libraries+=("$work/build/SoeMemoryHints.o")
  local sources=(Tests/Fuzz/FuzzSupport.swift)
  for file in $files; do sources+=("Tests/Fuzz/$file"); done
  local stale=0
  [ -f "$bin" ] || stale=1
  [ -z "$(find "${sources[@]}" -newer "$bin" 2>/dev/null | head -1)" ] || stale=1
  for library in "${libraries[@]}"; do [ "$library" -nt "$bin" ] && stale=1; done
  [ "$stale" -eq 1 ] || return 0
  echo "building fuzz-$target…" >&2
  nice -n 19 swiftc "${flags[@]}" -I "$work/build" "${sources[@]}" "${libraries[@]}" -o "$bin" 2> >(quiet)
}

findings_in() { find "$1" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l; }

# Seeds: the small seeds kept in the repository, plus the bundled rules and samples.
seed_corpus() {
  local target=$1 corpus="$work/corpus/$1"
  mkdir -p "$corpus"
  [ -d "Tests/Fuzz/corpus/$target" ] && cp -n Tests/Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  case "$target" in
    rules | fmt) cp -n rules/*.rules "$corpus"/ 2>/dev/null || true ;;
    firm-json) cp -n samples/*.json "$corpus"/ 2>/dev/null || true ;;
    firm-csv | batch) cp -n samples/batch/*.csv "$corpus"/ 2>/dev/null || true ;;
    zip) cp -n Tests/SoeEngineTests/Fixtures/spreadsheets/*.xlsx "$corpus"/ 2>/dev/null || true ;;
  esac
}

options_for() {
  case "$1" in
    rules | fmt) echo "-max_len=16384 -dict=$root/Tests/Fuzz/rules.dict" ;;
    firm-json) echo "-max_len=4096 -dict=$root/Tests/Fuzz/json.dict" ;;
    firm-csv) echo "-max_len=4096" ;;
    evaluate) echo "-max_len=512" ;;
    batch) echo "-max_len=4096" ;;
    cli) echo "-max_len=2048 -dict=$root/Tests/Fuzz/cli.dict" ;;
    zip) echo "-max_len=65536" ;;
    xlsx) echo "-max_len=16384 -dict=$root/Tests/Fuzz/xlsx.dict" ;;
  esac
}

# The environment of every run: crashes written by libFuzzer to files, not caught by Swift's
# backtracer (which would take seconds per crash and print instead of saving); leaks not reported,
# as the engine's caches live for the process. A campaign keeps 4 frames of each allocation's stack
# instead of 30 ($SOE_FUZZ_MALLOC_CONTEXT): recording them was a seventh of the evaluate target's
# time; a replay of a finding (`.ci/fuzz.sh TARGET FILE`) keeps them all for the report. A campaign
# also keeps 64 MB of freed memory in ASan's quarantine instead of 256 ($SOE_FUZZ_QUARANTINE_MB):
# a use after free is still caught while the memory is there (many executions' worth), and reusing
# it sooner spares the kernel's page faults, a tenth of a run. libFuzzer's own leak search is off
# too (-detect_leaks=0, in `fuzz`): with ASan's leak report off it found nothing, but it ran every
# input that kept memory (the engine's caches) a second time.
run_fuzzer() {
  SWIFT_BACKTRACE=enable=no SOE_FUZZ_ROOT="$root" SOE_FUZZ_WORK="$work" \
    ASAN_OPTIONS="detect_leaks=0:malloc_context_size=${malloc_context:-30}${quarantine:+:quarantine_size_mb=$quarantine}" "$@"
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
  # /usr/bin/time: the CPU time the run got, so that its rate per CPU-second says what one idle
  # core would do, however busy the shared machine was.
  local timing=()
  rm -f "$work/$target.cpu"
  [ -x /usr/bin/time ] && timing=(/usr/bin/time -f '%U %S' -o "$work/$target.cpu")
  malloc_context=${SOE_FUZZ_MALLOC_CONTEXT:-4} quarantine=${SOE_FUZZ_QUARANTINE_MB:-64} run_fuzzer "${timing[@]}" \
    nice -n 19 "$work/build/fuzz-$target" $(options_for "$target") -max_total_time="$seconds" -detect_leaks=0 \
    -timeout="${SOE_FUZZ_TIMEOUT:-30}" -report_slow_units="${SOE_FUZZ_TIMEOUT:-30}" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1 || status=$?
  local runs rate files bytes after
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print int(s / 1024)}')
  after=$(findings_in "$crashes")
  local cpu per_cpu
  cpu=$(tail -1 "$work/$target.cpu" 2>/dev/null | awk '{printf "%.1f", $1 + $2}')
  per_cpu=$(awk -v runs="${runs:-0}" -v cpu="$cpu" 'BEGIN {if (cpu > 0) printf "%d", runs / cpu; else print "?"}')
  printf '%-10s runs %-10s time %ss  cpu %ss  corpus %s files (%s KiB)  exec/s %s  exec per cpu-s %s  new findings %s\n' \
    "$target" "${runs:-?}" "$seconds" "$cpu" "$files" "$bytes" "${rate:-?}" "$per_cpu" "$((after - before))"
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
  # Paths made absolute: the cli target works inside its sandbox folder.
  files=()
  for file in "$@"; do [ -e "$file" ] && files+=("$(realpath "$file")") || files+=("$file"); done
  run_fuzzer "$work/build/fuzz-$target" "${files[@]}"
fi
