"""Checks that soe's results and template came back from LibreOffice cell for cell.

Usage: spreadsheet-roundtrip.py SCRATCH, where SCRATCH/soe holds what soe wrote and SCRATCH/back
what LibreOffice made of it (see spreadsheet-roundtrip.sh).
"""

import csv
import sys
from pathlib import Path


def rows(path, delimiter=","):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def unguarded(table):
    """The CSV results as the xlsx holds them: CSV guards a cell that a spreadsheet would run as a
    formula (=, +, -, @, tab, carriage return) with an apostrophe; an xlsx text cell needs none."""
    return [[cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell for cell in row]
            for row in table]


def same(name, expected, actual):
    problems = []
    if len(expected) != len(actual):
        problems.append(f"{len(expected)} rows written, {len(actual)} came back")
    for number, (want, got) in enumerate(zip(expected, actual), start=1):
        if want != got:
            for column, (a, b) in enumerate(zip(want + [""] * len(got), got + [""] * len(want))):
                if a != b:
                    problems.append(f"row {number}, column {column + 1}: wrote {a!r}, got {b!r}")
                    break
    if problems:
        print(f"{name}: " + "; ".join(problems[:5]), file=sys.stderr)
        return False
    print(f"ok: {name}: {len(actual)} rows of {len(actual[0]) if actual else 0} columns intact")
    return True


def main():
    scratch = Path(sys.argv[1])
    soe, back = scratch / "soe", scratch / "back"
    wide = rows(soe / "wide.csv")
    long = rows(soe / "long.csv")
    ok = True
    ok &= same("wide xlsx", unguarded(wide), rows(back / "wide-xlsx" / "wide.csv"))
    ok &= same("wide csv", wide, rows(back / "wide-csv" / "wide.csv"))
    ok &= same("long csv", long, rows(back / "long-csv" / "long.csv"))
    template = rows(soe / "template.csv", delimiter=";")
    ok &= same("template xlsx", template, rows(back / "template-xlsx" / "template.csv"))
    # What the comparison must have covered: the caseworker's column, æøå, and every firm.
    firms = rows(scratch / "firms.csv")
    text = "\n".join(",".join(row) for row in wide)
    for expected in ["Sagsbehandler", "Søren Ærø Åsted", 'Bodil "Bo" Østergård, Haderslev', "Socialøkonomisk",
                     "4200000.50", "-12345678901234.05", "13748136", "Linje 1\nLinje 2 _x0041_ & <b>"]:
        if expected not in text:
            print(f"the wide results lack {expected!r}", file=sys.stderr)
            ok = False
    if len(wide) != len(firms):
        print(f"{len(firms) - 1} firms in, {len(wide) - 1} rows of wide results", file=sys.stderr)
        ok = False
    sys.exit(0 if ok else 1)


main()
