#!/usr/bin/env python3
"""Check the seal (record_sha256) of soe decision records without soe.

Usage: python3 verify-seal.py [FILE]     (standard input when FILE is absent or -)

FILE holds one record (a JSON object), an array of records (what `soe evaluate
--format record` writes for several decisions) or JSON Lines (what it writes for
a batch: one record per line). Python 3 standard library only.

The seal is the SHA-256 of the record's canonical form: every member except
record_sha256, in the record's own order, as compact JSON (no whitespace),
strings escaped as JSON requires and no more (\\" \\\\ \\b \\f \\n \\r \\t, other
control characters as \\u00xx, everything else raw UTF-8), numbers exactly as
written. Re-indenting a record keeps its seal; changing any content breaks it.

Prints one line per record, "sealed" or "BROKEN", with where it is, and exits
0 when every seal holds, 1 when one does not, 2 when the input is not records
(empty, not JSON, not soe-record/1, a duplicate key): it never passes input it
does not understand.
"""

import hashlib
import json
import sys

SCHEMA = "soe-record/1"
SEAL = "record_sha256"


class Number:
    """A JSON number kept as written, so that the canonical form has its exact digits."""

    def __init__(self, lexeme):
        self.lexeme = lexeme


class NotRecords(Exception):
    pass


def no_duplicates(pairs):
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise NotRecords("the key %r appears twice in one object" % key)
        seen.add(key)
    return pairs


def canonical(value, out):
    """Appends the compact JSON of a value, as soe writes it, to the list `out`."""
    if isinstance(value, Obj):
        out.append("{")
        for index, (key, member) in enumerate(value.pairs):
            if index:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            canonical(member, out)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for index, element in enumerate(value):
            if index:
                out.append(",")
            canonical(element, out)
        out.append("]")
    elif isinstance(value, Number):
        out.append(value.lexeme)
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    else:
        raise NotRecords("unexpected value %r" % (value,))


class Obj:
    """A JSON object as read: its members in order."""

    def __init__(self, pairs):
        self.pairs = pairs

    def get(self, key):
        for name, value in self.pairs:
            if name == key:
                return value
        return None


def parse_objects(text):
    return json.loads(text, parse_int=Number, parse_float=Number,
                      object_pairs_hook=lambda pairs: Obj(no_duplicates(pairs)),
                      parse_constant=reject_constant)


def reject_constant(name):
    raise NotRecords("%s is not JSON" % name)


def check(record, where):
    """Returns True when the record's seal holds; raises NotRecords when it is not a record."""
    if not isinstance(record, Obj) or record.get("schema") != SCHEMA:
        raise NotRecords("%s: not a decision record (expected an object with \"schema\": \"%s\")" % (where, SCHEMA))
    claimed = record.get(SEAL)
    if not isinstance(claimed, str):
        raise NotRecords("%s: the record has no %s" % (where, SEAL))
    out = []
    canonical(Obj([(key, value) for key, value in record.pairs if key != SEAL]), out)
    computed = hashlib.sha256("".join(out).encode("utf-8")).hexdigest()
    if computed == claimed:
        print("sealed: %s: %s" % (where, computed))
        return True
    print("BROKEN: %s: record_sha256 says %s, the content hashes to %s" % (where, claimed, computed))
    return False


def records(text):
    """(where, record) for each record of a single record, an array, or JSON Lines."""
    try:
        document = parse_objects(text)
    except ValueError:
        document = None
    if isinstance(document, Obj):
        return [("record", document)]
    if isinstance(document, list):
        if not document:
            raise NotRecords("the input is an empty array, not records")
        return [("record %d" % (index + 1), element) for index, element in enumerate(document)]
    if document is not None:
        raise NotRecords("the input is neither a record, an array of records nor JSON Lines")
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            found.append(("line %d" % number, parse_objects(line)))
        except ValueError as error:
            raise NotRecords("line %d is not JSON: %s" % (number, error))
    if not found:
        raise NotRecords("the input is not JSON")
    return found


def main(arguments):
    if len(arguments) > 1 or (arguments and arguments[0] in ("-h", "--help")):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = arguments[0] if arguments else "-"
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                data = handle.read()
        text = data.decode("utf-8")
        if not text.strip():
            raise NotRecords("the input is empty")
        results = [check(record, where) for where, record in records(text)]
    except NotRecords as problem:
        print("verify-seal: %s: %s" % (path, problem), file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, RecursionError) as problem:
        print("verify-seal: %s: %s" % (path, problem), file=sys.stderr)
        return 2
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
