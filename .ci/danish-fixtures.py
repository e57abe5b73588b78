#!/usr/bin/env python3
"""Writes the LibreOffice source sheets of the Danish spreadsheet fixtures (flat ODF, .fods).

Called by .ci/make-danish-fixtures.sh, which then has LibreOffice export them as CSV. The firms
are those of samples/batch/firms.csv (the hand-made clean CSV the tests compare with); each cell
is typed as a Danish spreadsheet types it: money as currency (kr.), percentages as percent cells
(the value is the fraction, 0.036 shown as 3,6 %), yes/no as boolean cells (shown SAND/FALSK),
the closing date as a date cell (shown 31-12-2024).

  da-firmaer.fods      one Danish format per column, as a caseworker's sheet has it
  da-alle-former.fods  every form soe reads, varied row by row: kr./kr/DKK before or after,
                       no-break and narrow no-break spaces, %, with or without a space,
                       SAND/FALSK and ja/nej in any case, three date forms
  da-broek.fods        percentages typed as plain numbers, the fraction (0,036 for 3,6 %), as a
                       sheet holds them when nobody gave the column a percent format
"""
import csv
import sys
from xml.sax.saxutils import escape

MONEY = {"market_sales", "municipal_employment_services", "other_public_contracts", "grants", "profit_after_tax",
         "dividend", "paid_in_capital", "cumulative_distributions", "reasonable_return_amount"}
PERCENT = {"public_ownership", "public_board_share", "annual_return", "discount_rate"}
BOOL = {"own_cvr", "seat_in_eu_eea", "purpose_in_statutes", "public_decision_rights", "stakeholder_involvement",
        "management_pay_usual", "statutes_asset_lock"}
COUNT = {"fiscal_year", "ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob", "virksomhedspraktik"}
NBSP, NNBSP = "\u00a0", "\u202f"

# Number styles: (name, XML). Money styles in Danish unless said; sv-SE groups with a no-break space.
STYLES = {
    "kr_after": '<number:currency-style style:name="{n}" number:language="da" number:country="DK">'
                '<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
                '<number:text> </number:text><number:currency-symbol number:language="da" number:country="DK">kr.</number:currency-symbol>'
                '</number:currency-style>',
    "kr_after_nbsp": '<number:currency-style style:name="{n}" number:language="da" number:country="DK">'
                     '<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
                     f'<number:text>{NBSP}</number:text><number:currency-symbol number:language="da" number:country="DK">kr.</number:currency-symbol>'
                     '</number:currency-style>',
    "kr_before": '<number:currency-style style:name="{n}" number:language="da" number:country="DK">'
                 '<number:currency-symbol number:language="da" number:country="DK">kr.</number:currency-symbol><number:text> </number:text>'
                 '<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
                 '</number:currency-style>',
    "dkk_after": '<number:number-style style:name="{n}" number:language="da" number:country="DK">'
                 '<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
                 '<number:text> DKK</number:text></number:number-style>',
    "kr_plain": '<number:number-style style:name="{n}" number:language="da" number:country="DK">'
                '<number:number number:decimal-places="0" number:min-integer-digits="1" number:grouping="false"/>'
                '<number:text>kr</number:text></number:number-style>',
    "sv_groups": '<number:number-style style:name="{n}" number:language="sv" number:country="SE">'
                 '<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
                 '</number:number-style>',
    "pct": '<number:percentage-style style:name="{n}" number:language="da" number:country="DK">'
           '<number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/>'
           '<number:text> %</number:text></number:percentage-style>',
    "pct_nbsp": '<number:percentage-style style:name="{n}" number:language="da" number:country="DK">'
                '<number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/>'
                f'<number:text>{NBSP}%</number:text></number:percentage-style>',
    "pct_nnbsp": '<number:percentage-style style:name="{n}" number:language="da" number:country="DK">'
                 '<number:number number:decimal-places="2" number:min-decimal-places="0" number:min-integer-digits="1"/>'
                 f'<number:text>{NNBSP}%</number:text></number:percentage-style>',
    "pct_tight": '<number:percentage-style style:name="{n}" number:language="da" number:country="DK">'
                 '<number:number number:decimal-places="1" number:min-decimal-places="1" number:min-integer-digits="1"/>'
                 '<number:text>%</number:text></number:percentage-style>',
    "plain": '<number:number-style style:name="{n}" number:language="da" number:country="DK">'
             '<number:number number:decimal-places="4" number:min-decimal-places="0" number:min-integer-digits="1"/></number:number-style>',
    "bool": '<number:boolean-style style:name="{n}" number:language="da" number:country="DK"><number:boolean/></number:boolean-style>',
    "date_dash": '<number:date-style style:name="{n}" number:language="da" number:country="DK"><number:day number:style="long"/>'
                 '<number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:year number:style="long"/>'
                 '</number:date-style>',
    "date_dot": '<number:date-style style:name="{n}" number:language="da" number:country="DK"><number:day number:style="long"/>'
                '<number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/>'
                '</number:date-style>',
    "date_iso": '<number:date-style style:name="{n}" number:language="da" number:country="DK"><number:year number:style="long"/>'
                '<number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/>'
                '</number:date-style>',
}
MONEY_FORMS = ["kr_after", "kr_after_nbsp", "kr_before", "dkk_after", "kr_plain", "sv_groups"]
PERCENT_FORMS = ["pct", "pct_nbsp", "pct_nnbsp", "pct_tight"]
DATE_FORMS = ["date_dash", "date_dot", "date_iso"]
BOOL_FORMS = ["cell", "Ja/NEJ", "ja/nej", "SAND/FALSK"]


def cell(column, value, row_index, varied, fractions=False):
    """One table cell for a clean CSV value, typed and styled as a Danish sheet has it."""
    if value == "":
        return "<table:table-cell/>"
    k = row_index if varied else 0
    if column in MONEY:
        style = MONEY_FORMS[(k + len(column)) % len(MONEY_FORMS)] if varied else "kr_after"
        if style == "kr_plain" and not float(value).is_integer():
            style = "kr_after"
        return (f'<table:table-cell table:style-name="ce_{style}" office:value-type="float" office:value="{value}">'
                "</table:table-cell>")
    if column in PERCENT:
        style = PERCENT_FORMS[(k + len(column)) % len(PERCENT_FORMS)] if varied else "pct"
        fraction = repr(round(float(value) / 100, 10))
        if fractions:
            return f'<table:table-cell table:style-name="ce_plain" office:value-type="float" office:value="{fraction}"/>'
        return f'<table:table-cell table:style-name="ce_{style}" office:value-type="percentage" office:value="{fraction}"/>'
    if column in BOOL:
        form = BOOL_FORMS[(k + len(column)) % len(BOOL_FORMS)] if varied else "cell"
        truth = value == "true"
        if form == "cell":
            return (f'<table:table-cell table:style-name="ce_bool" office:value-type="boolean" '
                    f'office:boolean-value="{"true" if truth else "false"}"/>')
        yes, no = form.split("/")
        return f'<table:table-cell office:value-type="string"><text:p>{yes if truth else no}</text:p></table:table-cell>'
    if column == "fiscal_year_end":
        style = DATE_FORMS[k % len(DATE_FORMS)] if varied else "date_dash"
        return f'<table:table-cell table:style-name="ce_{style}" office:value-type="date" office:date-value="{value}"/>'
    if column in COUNT:
        return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def document(rows, varied, fractions=False):
    styles = "".join(xml.format(n="N_" + name) for name, xml in STYLES.items())
    cells = "".join(
        f'<style:style style:name="ce_{name}" style:family="table-cell" style:data-style-name="N_{name}"/>' for name in STYLES)
    header = rows[0] + ["fiscal_year_end"]
    out = ["<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{escape(h)}</text:p></table:table-cell>' for h in header)
           + "</table:table-row>"]
    for index, row in enumerate(rows[1:]):
        values = row + [f"{row[header.index('fiscal_year')]}-12-31"]
        out.append("<table:table-row>" + "".join(cell(c, v, index, varied, fractions) for c, v in zip(header, values))
                   + "</table:table-row>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
            'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
            'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">\n'
            '<office:styles><style:default-style style:family="table-cell">'
            '<style:text-properties fo:language="da" fo:country="DK"/></style:default-style></office:styles>\n'
            f'<office:automatic-styles>{styles}{cells}</office:automatic-styles>\n'
            '<office:body><office:spreadsheet><table:table table:name="Firmaer">\n'
            + "\n".join(out) + '\n</table:table></office:spreadsheet></office:body></office:document>\n')


def main():
    clean, folder = sys.argv[1], sys.argv[2]
    with open(clean, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    for name, varied, fractions in (("da-firmaer.fods", False, False), ("da-alle-former.fods", True, False),
                                    ("da-broek.fods", False, True)):
        with open(f"{folder}/{name}", "w", encoding="utf-8") as handle:
            handle.write(document(rows, varied, fractions))


main()
