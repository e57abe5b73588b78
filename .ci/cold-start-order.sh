#!/usr/bin/env bash
# Writes .ci/cold-start.order, the functions a one-firm run of soe executes, for the linker to place
# side by side at the start of the static binary's code (.ci/build-static.sh passes it to lld as
# `--symbol-ordering-file`; docs/benchmark.md, "Steps of wave 3, session 11: cold start in time").
#
# Why: the code of a cold start is about 1 MB spread over the 10 MB of `.text`. Each first touch of
# a 64 KB window of code is a page fault that maps up to 16 pages: 101 faults and about 1,600 pages
# mapped for a one-firm run, half of the kernel's share of it. With the run's functions side by side
# the same code is about 16 windows. The order changes where code lies, never what it does: a name
# that no longer exists is skipped by the linker, and a function missing from the list is only
# placed after the others. Taken again after larger changes of the code a cold start runs:
#
#   .ci/cold-start-order.sh .build/static/release/soe     (valgrind's callgrind on PATH)
#
# SwiftPM does not see the order file change: remove .build/static/release/soe before building again,
# so that the linker runs with the new order.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# One generated firm with every column of the bundled anden_aktoer rule set (as soe-bench limit writes it).
cat >"$scratch/one.csv" <<'CSV'
id,name,cvr,fiscal_year,own_cvr,public_ownership,market_sales,municipal_employment_services,other_public_contracts,grants,ordinary_employees,fleksjob,loentilskud,skaanejob,smaajob,virksomhedspraktik
F1,Firma 1 ApS,59903268,2024,true,0,2919712.92,3409821.73,1851801.48,681139.09,9,15,24,7,7,23
CSV
run() {
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$scratch/$1.out" "$bin" "${@:2}" >/dev/null 2>&1 || true
}
# Each run to a file twice: the second replaces the file the first wrote, as a benchmark's turns do.
for turn in 1 2; do
  run wide$turn evaluate --rules rules/anden_aktoer.rules "$scratch/one.csv" --output "$scratch/wide.csv"
  run long$turn evaluate --rules rules/anden_aktoer.rules "$scratch/one.csv" --layout long --lang en --output "$scratch/long.csv"
done
run stdout evaluate --rules rules/anden_aktoer.rules "$scratch/one.csv"
# The names callgrind saw, sorted: the order in which callgrind writes them depends on how the
# lint's thread and the main one took turns, so that taking the order again rewrote most of the
# file for a change of two names; sorted, it changes where the code does. The order within the run's
# functions hardly matters: they lie side by side either way, and a cold start touches each once.
# `'2` marks a recursion level. The C
# library's string functions are chosen by the processor at start (valgrind's is not the machine's),
# so every variant of those seen is listed, and the copying ones (memmove, memcpy, memset) of the
# machine's kinds (AVX-512, EVEX) as well.
static="$(dirname "$(dirname "$(command -v swiftc)")")/lib/swift_static"
python3 - "$scratch" "$bin" "$static" >.ci/cold-start.order <<'PY'
import glob, re, subprocess, sys
scratch, binary, static = sys.argv[1], sys.argv[2], sys.argv[3]
seen = {}
defined = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, errors="replace").stdout.split("\n")
rows = [line.split() for line in defined if len(line.split()) == 3]
# What runs before valgrind names anything (the C library's start, which callgrind calls "(below
# main)", the processor checks, the resolvers of the string functions) comes first.
start = r"^(_start|__libc_start_main_impl|__libc_start_call_main|_dl_relocate_static_pie|_dl_aux_init|__libc_init_secure|__libc_setup_tls|_dl_non_dynamic_init|init_cacheinfo|handle_amd|handle_intel|intel_check_word|update_active|get_common_indices|get_extended_indices|init_cpu_features|_dl_start_user)(\.constprop\.0)?$|_ifunc$"
for row in rows:
    if row[1] in "tTwWiI" and re.search(start, row[2]):
        seen.setdefault(row[2], None)
ran = set()
for name in ("wide1", "wide2", "long1", "long2", "stdout"):
    for line in open(f"{scratch}/{name}.out", encoding="utf-8", errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line)
        if m:
            symbol = re.sub(r"'\d+$", "", m.group(1))
            if not symbol.startswith("0x") and not symbol.startswith("("):
                ran.add(symbol)
for symbol in sorted(ran):
    seen.setdefault(symbol, None)
names = [row[2] for row in rows if row[1] in "tTwWiI"]
variant = r"_(sse2|sse4_1|sse4_2|sse42|sse41|ssse3|avx|avx2|evex|avx512|avx512f|avx512bw)(_.*)?$"
stems = {re.sub(variant, "", s) for s in seen}
for name in names:
    stem = re.sub(variant, "", name)
    if stem != name and name.startswith("__") and (stem in stems or (stem in ("__memmove", "__memcpy", "__memset", "__mempcpy", "__strcmp", "__strlen", "__memchr", "__memcmp") and re.search("avx512|evex", name))):
        seen.setdefault(name, None)
# Sections of more than 64 KB in the toolchain's static libraries (objects built without a section
# per function): `Swift.o` of the standard library has 1.6 MB of code in one, besides its functions
# in sections of their own; `_StringProcessing.o` 0.4 MB. The linker moves whole sections, so a name
# in one moves all of it. A section from which the run executes a function defined only there (a
# global one, as the standard library's `String` code) is wanted: its names go last, so that the
# section follows the run's own functions. Any other (the run executed only functions of the same
# names defined elsewhere too) must not be moved: its local names are left out.
known = set(names)
wanted, unwanted = set(), set()
for archive in glob.glob(f"{static}/*/*.a"):
    listing = subprocess.run(["readelf", "-SsW", archive], capture_output=True, text=True, errors="replace").stdout
    for member in listing.split("\nFile: ")[1:]:
        text = re.search(r"\[\s*(\d+)\]\s+\.text\s+PROGBITS\s+\S+\s+\S+\s+([0-9a-f]+)", member)
        if not text or int(text.group(2), 16) <= 65536:
            continue
        inside = {}
        for line in member.split("\n"):
            parts = line.split()
            if len(parts) >= 8 and parts[3] == "FUNC" and parts[6] == text.group(1):
                inside[parts[7]] = parts[4]
        if not any(binding == "GLOBAL" and name in known for name, binding in inside.items()):
            continue  # not linked into the binary
        if any(binding == "GLOBAL" and name in seen for name, binding in inside.items()):
            wanted |= set(inside)
        else:
            # A global or weak name stands for the one definition the linker chose, most likely
            # elsewhere; a local one is this section's own.
            unwanted |= {name for name, binding in inside.items() if binding == "LOCAL"}
chosen = [symbol for symbol in seen if symbol in known and symbol not in unwanted]
for symbol in [s for s in chosen if s not in wanted] + [s for s in chosen if s in wanted]:
    print(symbol)
PY
wc -l .ci/cold-start.order
