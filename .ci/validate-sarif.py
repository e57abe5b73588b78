#!/usr/bin/env python3
"""Validate `soe lint --format sarif` against the SARIF 2.1.0 JSON schema.

Runs the built `soe` on rule files with findings (by default the lint golden fixtures: one with
findings of most kinds, a fix and a suppressed finding, one with language errors and their
fixes; and the bundled rules), and
validates each log with the OASIS schema vendored in Tests/Conformance/sarif (draft-04, via the
python `jsonschema` package: `pip install jsonschema`). Exit status 0 when every log
validates, 1 when one does not, 2 when the tools are missing.

    python3 .ci/validate-sarif.py [--soe PATH] [--schema PATH] [RULES...]
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILES = ["Tests/SoeEngineTests/Golden/lint/findings.rules", "Tests/SoeEngineTests/Golden/lint/errors.rules", "rules"]


def find_schema():
    candidate = os.path.join(ROOT, "Tests", "Conformance", "sarif", "sarif-schema-2.1.0.json")
    return candidate if os.path.exists(candidate) else None


def find_soe():
    for build in ("debug", "release"):
        candidate = os.path.join(ROOT, ".build", build, "soe")
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soe", default=find_soe(), help="the soe executable (default: .build/debug/soe)")
    parser.add_argument("--schema", default=find_schema(), help="sarif-schema-2.1.0.json")
    parser.add_argument("rules", nargs="*", default=DEFAULT_FILES, help="rule files or folders to lint")
    args = parser.parse_args()

    try:
        import jsonschema
    except ImportError:
        print("validate-sarif: the python package 'jsonschema' is missing; run: pip install jsonschema", file=sys.stderr)
        return 2
    if not args.soe:
        print("validate-sarif: no soe executable; run 'swift build' first or pass --soe", file=sys.stderr)
        return 2
    if not args.schema:
        print("validate-sarif: cannot find sarif-schema-2.1.0.json; pass --schema", file=sys.stderr)
        return 2

    with open(args.schema, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    failed = False
    for rules in args.rules:
        run = subprocess.run([args.soe, "lint", "--format", "sarif", rules], cwd=ROOT, capture_output=True, text=True)
        # 0: no findings, 1: findings, 3: language errors (still a SARIF log). Else there is no log.
        if run.returncode not in (0, 1, 3):
            print(f"FAIL {rules}: soe lint exited with {run.returncode}: {run.stderr.strip()}")
            failed = True
            continue
        try:
            log = json.loads(run.stdout)
        except json.JSONDecodeError as error:
            print(f"FAIL {rules}: not JSON: {error}")
            failed = True
            continue
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        results = sum(len(r.get("results", [])) for r in log.get("runs", []))
        if errors:
            failed = True
            print(f"FAIL {rules}: {len(errors)} schema error(s)")
            for error in errors[:20]:
                path = "/".join(str(part) for part in error.absolute_path)
                print(f"  at /{path}: {error.message}")
        else:
            print(f"ok   {rules}: {results} result(s), valid SARIF 2.1.0 ({validator_class.__name__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
