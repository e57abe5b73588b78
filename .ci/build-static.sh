#!/usr/bin/env bash
# The static release binary of soe, as shipped and as measured (docs/benchmark.md, "Steps of wave 3,
# session 7: cold start"): Swift's libraries inside (`--static-swift-stdlib`), and on Linux the C
# and C++ libraries too, linked by lld as a static position-independent executable (`-static-pie`):
# no dynamic loader resolving libstdc++'s and libc's symbols at every start, the load address still
# randomised, the relative relocations packed (`-z pack-relative-relocs`). glibc's start-up of a
# static-pie binary stops on an assertion when the binary has a run path, so SwiftPM must not add
# its `$ORIGIN` (`--disable-local-rpath`); `.ci/run` checks the result and runs it.
# On every platform the metadata of concrete generic types (`[String: String]`, `Set<Int32>`) is
# reached through the types' accessors with the conformances known at compile time
# (`-disable-concrete-type-metadata-mangled-name-accessors`), not by demangling a name at run time,
# which looked up each key type's `Hashable` conformance by scanning all 2,400 conformance records
# of the binary: 1.9 M of the 7.5 M instructions of a one-firm run (docs/benchmark.md, "Steps of
# wave 3, session 8: cold start").
# On Linux the code a one-firm run executes is placed side by side at the start of `.text`
# (`-function-sections` for soe's own modules, whose functions otherwise share one section, and
# lld's `--symbol-ordering-file=.ci/cold-start.order`, written by `.ci/cold-start-order.sh`): a cold
# start then maps about 16 windows of code instead of about 100, each a page fault (docs/benchmark.md,
# "Steps of wave 3, session 11: cold start in time"). Where code lies changes, not what it does.
# The C target's debug information is DWARF 4 (`-Xcc -gdwarf-4`), as Swift's own objects' is:
# valgrind 3.19, which counts the instructions of docs/benchmark.md on this binary
# (`.ci/callgrind-rows.sh`, `.ci/cold-start-order.sh`), stops on clang's default DWARF 5 ("Possibly
# corrupted debuginfo file"). It is a flag of this build, not of Package.swift, where an unsafe flag
# would keep the package from being used as a dependency.
#
#   .ci/build-static.sh [extra swift build arguments]      → .build/static/release/soe
set -euo pipefail
cd "$(dirname "$0")/.."
flags=()
if [ "$(uname -s)" = Linux ]; then
  flags=(--disable-local-rpath -Xswiftc -use-ld=lld -Xswiftc -Xclang-linker -Xswiftc -static-pie
    -Xlinker -z -Xlinker pack-relative-relocs
    -Xswiftc -Xfrontend -Xswiftc -function-sections
    -Xlinker "--symbol-ordering-file=$PWD/.ci/cold-start.order" -Xlinker --no-warn-symbol-ordering)
fi
flags+=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors -Xcc -gdwarf-4)
exec swift build -c release --static-swift-stdlib --product soe --scratch-path .build/static "${flags[@]}" "$@"
