#!/usr/bin/env python3
"""The JSON Schema of firm data (`soe schema`) against soe itself, run from .ci/run.

1. `soe schema --rules rules/` is a valid draft 2020-12 schema;
2. every sample firm (samples/*.json) validates against it;
3. firms that break it (a wrong type, a value out of range, a choice not declared, a percent
   written as a fraction, a fiscal year that is no year) are refused by the schema AND by
   `soe evaluate` (exit code 4), so that the schema never says yes where soe says no for them.

Usage: python3 .ci/validate-schema.py [path to the soe binary, default .build/debug/soe]
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

soe = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/soe"
schema = json.loads(subprocess.run([soe, "schema", "--rules", "rules/"], check=True, capture_output=True, text=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = 0

samples = sorted(glob.glob("samples/*.json"))
for path in samples:
    with open(path, encoding="utf-8") as handle:
        firm = json.load(handle)
    errors = list(validator.iter_errors(firm))
    if errors:
        failures += 1
        print(f"{path}: does not validate: {errors[0].message}", file=sys.stderr)
print(f"ok: {len(samples) - failures} of {len(samples)} sample firms validate against the schema")

with open("samples/kaffekollektivet.json", encoding="utf-8") as handle:
    base = json.load(handle)
broken = {
    "wrong type (money as a boolean)": ("market_sales", True),
    "out of range (a share of 150 %)": ("public_ownership", 150),
    "a choice not declared": ("legal_form", "aktieselskab"),
    "a percent written as a fraction (0.5 without %)": ("public_ownership", 0.5),
    "a count with a fraction": ("ordinary_employees", 2.5),
    "negative money where min 0 kr": ("market_sales", -1),
    "a fiscal year that is no year": ("fiscal_year", "næste år"),
    "a date in the American order": ("fiscal_year_end", "12/31/2024"),
}
with tempfile.TemporaryDirectory() as folder:
    for note, (key, value) in broken.items():
        firm = copy.deepcopy(base)
        firm[key] = value
        schema_refuses = not validator.is_valid(firm)
        path = os.path.join(folder, "broken.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(firm, handle, ensure_ascii=False)
        result = subprocess.run([soe, "evaluate", "--rules", "rules/", path], capture_output=True, text=True)
        soe_refuses = result.returncode == 4
        if not (schema_refuses and soe_refuses):
            failures += 1
            print(f"{note}: schema refuses: {schema_refuses}, soe refuses (exit 4): {soe_refuses} "
                  f"(exit {result.returncode}: {result.stderr.strip()})", file=sys.stderr)
        else:
            print(f"ok: refused by the schema and by soe: {note}")
sys.exit(1 if failures else 0)
