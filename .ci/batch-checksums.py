#!/usr/bin/env python3
"""Writes deterministic batch inputs for .ci/batch-checksums.sh: CSV files whose rows exercise the
CSV reader and the cell readers (plain numbers, quoted and escaped fields, CRLF, a byte-order mark,
blank cells, Danish forms, non-ASCII names, ambiguous numbers, broken records), so that two soe
binaries can be compared on what they make of them. Usage: batch-checksums.py FOLDER ROWS"""
import sys

HEADER = ("id,name,cvr,fiscal_year,legal_form,own_cvr,seat_in_eu_eea,purpose_in_statutes,purpose_category,"
          "market_sales,municipal_employment_services,other_public_contracts,grants,public_ownership,"
          "public_board_share,public_decision_rights,stakeholder_involvement,management_pay_usual,"
          "profit_after_tax,dividend,annual_return,discount_rate,paid_in_capital,cumulative_distributions,"
          "reasonable_return_amount,statutes_asset_lock,ordinary_employees,fleksjob,loentilskud,skaanejob,"
          "smaajob,virksomhedspraktik").split(",")
WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & (2**64 - 1)

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & (2**64 - 1)
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n


def cvr(prefix):
    digits = [int(c) for c in str(prefix)]
    total = sum(d * w for d, w in zip(digits, WEIGHTS))
    check = (11 - total % 11) % 11
    return None if check == 10 else str(prefix) + str(check)


def money(r):
    forms = [lambda v: "%d.%02d" % (v // 100, v % 100), lambda v: "%d" % (v // 100), lambda v: "%d.%d" % (v // 100, v % 10),
             lambda v: "0.00", lambda v: "", lambda v: "  ", lambda v: "%d.%02d" % (v // 100, v % 100),
             lambda v: "-%d.00" % (v // 100), lambda v: "1,234,567.00", lambda v: "3.600", lambda v: "12 345",
             lambda v: "%d kr." % (v // 100), lambda v: "abc", lambda v: "1e5", lambda v: "%d.%03d" % (v // 1000, v % 1000)]
    weights = [60, 10, 5, 8, 3, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1]
    pick = r.below(sum(weights))
    for form, w in zip(forms, weights):
        if pick < w:
            return form(r.below(10**9))
        pick -= w
    return "0"


def row(r, n):
    prefix = 1000000 + r.below(8999999)
    number = cvr(prefix) or "12345678"
    names = ["Firma %d ApS" % n, "\"Firma, %d A/S\"" % n, "Grønne Hænder %d" % n, "\"Citat \"\"%d\"\" IVS\"" % n,
             "\"To\nlinjer %d\"" % n, "Café %d" % n]
    values = {
        "id": "F%d" % n, "name": names[r.below(6)], "cvr": number if r.below(50) else ["", "1234", "12345679"][r.below(3)],
        "fiscal_year": ["2024", "2023", "", "20x4", "1800"][0 if r.below(40) else r.below(5)],
        "legal_form": ["aps", "as", "forening", "ivs", "enkeltmandsvirksomhed", "Aps", ""][r.below(7)],
        "purpose_category": ["beskaeftigelse", "social", "miljoe", ""][r.below(4)],
    }
    clean = r.below(10) < 7
    if clean:
        values["cvr"], values["fiscal_year"] = number, "2024"
        values["legal_form"], values["purpose_category"] = "aps", "beskaeftigelse"
    out = []
    for column in HEADER:
        if column in values:
            out.append(values[column])
        elif column in ("own_cvr", "seat_in_eu_eea", "purpose_in_statutes", "public_decision_rights",
                        "stakeholder_involvement", "management_pay_usual", "statutes_asset_lock"):
            out.append(["true", "false", "ja", "nej", "yes", "1", "0", "", "True", "x"][r.below(4 if clean else 10)])
        elif column in ("public_ownership", "public_board_share", "annual_return", "discount_rate"):
            out.append(["0", "50", "20", "3.6", "49.99", "100", "0.5", "", "12 %", "101"][r.below(6 if clean else 10)])
        elif column in ("ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob", "virksomhedspraktik"):
            out.append(["%d" % r.below(60), "0", "", "-1", "2.5", "007"][0 if clean or r.below(20) else r.below(6)])
        elif clean:
            v = r.below(10**9)
            out.append("%d.%02d" % (v // 100, v % 100) if r.below(4) else "0.00")
        else:
            out.append(money(r))
    line = ",".join(out)
    kind = r.below(400)
    if kind == 0:
        line += ",extra"
    elif kind == 1:
        line = line.replace(",", ",\"", 1)  # a quote that never closes... until a later quote
    elif kind == 2:
        line = line.replace("F", "F\"", 1)  # a quote inside an unquoted field
    elif kind == 3:
        line = ",".join(out[:5])
    elif kind == 4:
        line = ""
    elif kind == 5:
        line = ",,,,"
    return line


def main():
    folder, rows = sys.argv[1], int(sys.argv[2])
    r = SplitMix64(20261203)
    with open(folder + "/mixed.csv", "w", newline="", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        for n in range(1, rows + 1):
            f.write(row(r, n) + "\n")
    r = SplitMix64(7)
    small = [row(r, n) for n in range(1, 3001)]
    with open(folder + "/mixed-crlf-bom.csv", "wb") as f:
        f.write(b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n")
        for line in small:
            f.write(line.encode() + b"\r\n")
    with open(folder + "/mixed-semicolon.csv", "wb") as f:
        f.write(";".join(HEADER).encode() + b"\n")
        for line in small:
            f.write(line.replace(",", ";").encode() + b"\n")
    with open(folder + "/mixed-latin1.csv", "wb") as f:
        f.write(",".join(HEADER).encode() + b"\n")
        for line in small[:500]:
            f.write(line.encode("utf-8").decode("utf-8").encode("cp1252", errors="replace") + b"\n")
    with open(folder + "/mixed-bad-utf8.csv", "wb") as f:
        f.write(",".join(HEADER).encode() + b"\n")
        for k, line in enumerate(small[:500]):
            data = line.encode()
            if k % 50 == 7:
                data = data.replace(b"Firma", b"Fi\xffrma", 1)
            f.write(data + b"\n")
        f.write(b"\"unterminated,2,3\n")


main()
