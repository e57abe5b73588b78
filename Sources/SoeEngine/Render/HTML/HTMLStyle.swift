import SoeLanguage

/// The dossier's inline style sheet. One file, no web fonts and no images, so the document reads
/// the same offline and in an archive years later; `@media print` drops the screen background and
/// the footer, starts each decision on a new page, keeps rows whole and keeps the colours on paper
/// (the page size, running header and page numbers are `PagedMedia`'s). Colours say two things
/// only: an outcome's tone, as the rule set declares it, and a state (undetermined, not in force,
/// rejected); that a condition holds is shown in one neutral colour, never as good or bad.
/// The sheet holds no `<` or `>`, so it can sit in a `<style>` element without escaping.
enum HTMLStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f2f2ef; color: #1b1b1b; font: 14px/1.45 "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 24px; }
        section.decision, section.overview { background: #fff; border: 1px solid #d8d8d2; border-radius: 6px; padding: 24px 28px; margin: 0 0 28px; }
        h1 { font-size: 26px; margin: 2px 0 4px; line-height: 1.2; }
        h2 { font-size: 16px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #e2e2dc; }
        p { margin: 4px 0; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; background: #f4f4f0; padding: 0 3px; border-radius: 3px; }
        a { color: #1a4f8b; }
        .kicker { margin: 0; color: #5a5a55; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
        .meta { color: #444; }
        .outcome { margin: 18px 0 8px; padding: 14px 18px; border-left: 10px solid #757575; background: #f1f1f1; border-radius: 0 6px 6px 0; }
        .outcome.tone-favourable { border-color: #2e7d32; background: #edf6ee; }
        .outcome.tone-unfavourable { border-color: #b3261e; background: #fbeeed; }
        .outcome.tone-neutral { border-color: #45617d; background: #eef2f6; }
        .outcome.not-in-force { border-color: #9e9e9e; background: #f3f3f1; border-left-style: dashed; }
        .outcome.undetermined { border-color: #c77700; background: #fff4e2; }
        .outcome .label { margin: 0; color: #555; font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
        .outcome .value { margin: 2px 0 6px; font-size: 24px; font-weight: bold; line-height: 1.25; }
        .outcome .sub { color: #555; font-size: 12px; }
        table { width: 100%; border-collapse: collapse; }
        th, td { padding: 6px 8px; border-bottom: 1px solid #e6e6e0; text-align: left; vertical-align: top; }
        thead th { background: #f7f7f4; color: #444; font-size: 12px; font-weight: 600; }
        table.kv th { width: 190px; color: #444; font-weight: 600; font-size: 13px; }
        table.kv th, table.kv td { vertical-align: baseline; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        .nowrap { white-space: nowrap; }
        td.cite { width: 180px; color: #333; }
        td.at, .desc { color: #666; font-size: 12px; }
        .hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; word-break: break-all; color: #333; }
        .badge { display: inline-block; padding: 1px 9px; border: 1px solid #ccc; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
        .chip { display: inline-block; margin: 2px 2px 0 0; padding: 0 7px; border: 1px solid #ccc; border-radius: 9px; font-size: 11.5px; text-decoration: none; }
        .s-applies, .s-met { color: #0d3c75; background: #e7effa; border-color: #a9c2e6; }
        .tone-favourable { color: #1b5e20; background: #e8f5e9; border-color: #9fd3a3; }
        .tone-unfavourable { color: #8e1b1b; background: #fdecea; border-color: #efaaa4; }
        .tone-neutral { color: #2c3e50; background: #eef2f6; border-color: #b7c4d1; }
        .s-rejected { color: #8e1b1b; background: #fdecea; border-color: #efaaa4; }
        .s-unknown, .s-undetermined { color: #7a4a00; background: #fff3e0; border-color: #f5c27a; }
        .s-does_not_apply, .s-not_met { color: #444; background: #fff; border-color: #bdbdbd; }
        .s-not_reached, .s-not_in_force { color: #555; background: #f1f1f1; border-color: #cfcfcf; }
        ol.path { list-style: none; margin: 0; padding: 0; }
        ol.path li { position: relative; padding: 8px 8px 8px 40px; border-bottom: 1px solid #ecece6; }
        ol.path li.o-applies { background: #f4faf4; }
        ol.path li.o-not_reached { color: #777; }
        ol.path .rank { position: absolute; left: 8px; top: 8px; width: 22px; height: 22px; border-radius: 11px; background: #e4e4de; text-align: center; font-size: 12px; line-height: 22px; font-weight: 600; }
        ol.path .name, table.criteria .name { font-weight: 600; }
        .cond { margin-top: 3px; color: #333; }
        .t-yes, .t-no { color: #1b1b1b; font-weight: 600; }
        .t-unknown { color: #7a4a00; font-weight: 600; }
        ul.calc { margin: 6px 0 2px; padding-left: 18px; color: #333; }
        ul.calc li { margin: 3px 0; }
        ul.calc li.value { color: #555; }
        svg.gauge { display: block; margin: 4px 0 2px; }
        .decision-date { font-weight: 600; }
        td.result { min-width: 150px; }
        td.result .badge { white-space: normal; border-radius: 6px; }
        td.result .detail { color: #555; font-size: 11.5px; margin: 2px 0 6px; }
        .basis { display: inline-block; padding: 0 7px; border-radius: 3px; font-size: 12px; white-space: nowrap; border: 1px solid; }
        .b-law { color: #0d3c75; background: #e7effa; border-color: #a9c2e6; }
        .b-guidance { color: #4a2a74; background: #f1eafa; border-color: #c9b4e6; }
        .b-policy { color: #6b4500; background: #fdf3de; border-color: #e9c98a; }
        .basis-text { margin-top: 3px; color: #333; font-size: 13px; }
        table.parameters td:first-child { width: 34%; }
        .missing { color: #8e1b1b; font-style: italic; }
        tr.decisive-missing td { background: #fff4e2; }
        .verify { margin-top: 10px; font-size: 13px; }
        .bar { display: inline-block; width: 120px; height: 10px; vertical-align: middle; background: #e4e4de; border-radius: 2px; }
        .bar .fill { display: block; height: 10px; border: none; border-radius: 2px; }
        .bar .fill.tone-favourable { background: #2e7d32; }
        .bar .fill.tone-unfavourable { background: #b3261e; }
        .bar .fill.tone-neutral { background: #45617d; }
        .bar .fill.s-undetermined { background: #c77700; }
        .bar .fill.s-not_in_force { background: #9e9e9e; }
        .bar .fill.s-rejected { background: #c62828; }
        tr.total td { font-weight: 600; border-top: 2px solid #d8d8d2; }
        td.detail { color: #555; font-size: 12px; min-width: 120px; overflow-wrap: anywhere; }
        table.firms .badge { white-space: normal; border-radius: 6px; }
        table.firms td:nth-child(2) { min-width: 210px; }
        .desc, td.at, ul.calc li { overflow-wrap: anywhere; }
        .outcome.bounded { border-left-style: double; }
        .outcome .bounded-note { margin: 0 0 6px; color: #444; font-style: italic; }
        ul.grounds, ul.bounds, ol.settling { margin: 4px 0 10px; padding-left: 22px; }
        ol.settling li.settles { font-weight: 600; }
        .borderline.flagged { padding: 6px 10px; border-left: 4px solid #c77700; background: #fff4e2; }
        tr.borderline-row td { background: #fff4e2; }
        .borderline-mark { color: #7a4a00; font-weight: 600; }
        footer { max-width: 1040px; margin: 0 auto; padding: 0 24px 24px; color: #777; font-size: 12px; }
        @media print {
          body { background: #fff; font-size: 10pt; }
          main { max-width: none; padding: 0; }
          section.decision, section.overview { border: none; border-radius: 0; padding: 0; margin: 0; }
          section.decision { break-before: page; }
          section.decision:first-child { break-before: auto; }
          tr, li, .outcome, svg, .borderline { break-inside: avoid; }
          h2 { break-after: avoid; }
          a { color: inherit; text-decoration: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          footer { display: none; }
        }
        """
}
