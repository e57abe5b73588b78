import SoeLanguage

// A number whose meaning depends on the decimal mark is never guessed.
//
// `3.600` is 3600 to a Dane (a point between thousands) and 3.6 to the rest of the world (a
// decimal point). In a CSV file the dialect decides: a `;` header makes the batch read Danish
// numbers (`excel-da`), a `,` or tab header international ones. That guess is only as good as
// the file: a `;`-separated file written with decimal points read `3.600` as 3600 %.
//
// The rule (docs/hardening.md, "Danish number habits"): a cell written as one to three digits
// (not starting with 0), a point and exactly three digits is ambiguous. When the dialect was given
// with `--dialect`, the dialect reads it. When the dialect was detected, the cell is read in the
// detected reading only when the file shows that reading's decimal mark (in the sniff window, the
// rows that came with the header in the first read of up to 64 KiB, or in the cell's own row) and
// nothing in them shows the other mark. Otherwise the row is rejected with both readings and
// `--dialect`. JSON has no dialect: a JSON number is read as JSON, but a *text* such as "3.600"
// is refused with both readings, because a JSON text carries no decimal mark of its own.

/// What one written number shows about the decimal mark of its file.
enum DecimalMarkEvidence: Sendable, Equatable {
    /// `12.5`, `0.25`, `1234.50`: only a decimal point reads it.
    case point
    /// `12,5`, `1.234,50`, `1.234.567`: only the Danish convention reads it.
    case comma
}

/// Reading numbers whose meaning depends on the decimal mark.
enum DecimalMark {
    /// A plain decimal as a Danish text writes it, the point turned into a comma (`0.3` → `0,3`),
    /// without grouping: for a number quoted in a Danish message as the cell holds it.
    static func withDecimalComma(_ text: String) -> String { String(text.map { $0 == "." ? "," : $0 }) }

    /// The two readings of an ambiguous cell (`3.600`: "3600" and "3.6"), or nil when it has one.
    static func ambiguous(_ text: String) -> (thousands: String, decimal: String)? {
        guard let (negative, body) = signedBody(text) else { return nil }
        let bytes = Array(body.utf8)
        guard (5...7).contains(bytes.count), bytes[0] != UInt8(ascii: "0"), bytes[bytes.count - 4] == UInt8(ascii: ".") else {
            return nil
        }
        guard bytes.enumerated().allSatisfy({ $0.offset == bytes.count - 4 || ($0.element >= 0x30 && $0.element <= 0x39) }) else {
            return nil
        }
        let integer = body.dropLast(4)
        var fraction = body.suffix(3)
        while fraction.count > 1, fraction.last == "0" { fraction = fraction.dropLast() }
        let sign = negative ? "-" : ""
        return (sign + integer + body.suffix(3), sign + integer + "." + fraction)
    }

    /// Whether a cell is written in the ambiguous form, as `ambiguous` decides it, from its bytes
    /// and without making a string: it is asked of every numeric cell of a detected dialect.
    static func isAmbiguous(_ text: String) -> Bool {
        var text = text
        let fast = text.withUTF8(isAmbiguous(bytes:))
        return fast ?? (ambiguous(text) != nil)
    }

    /// `isAmbiguous` of a cell's UTF-8 bytes for the plain forms; nil when the cell has a unit or
    /// a no-break space at either end, for `isAmbiguous` of its text to decide.
    static func isAmbiguous(bytes b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var (i, n) = (0, b.count)
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        while i < n, blank(b[i]) { i += 1 }
        while n > i, blank(b[n - 1]) { n -= 1 }
        if n > i, b[n - 1] == UInt8(ascii: "%") {
            n -= 1
            while n > i, blank(b[n - 1]) { n -= 1 }
        }
        // A unit (`kr.`, `DKK`) or a no-break space at either end: the forms `CellForms` reads,
        // taken off the slow way. Only the two end bytes are looked at, so a plain number costs nothing more.
        func unit(_ byte: UInt8) -> Bool { byte >= 0x80 || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) }
        if n > i, unit(b[i]) || unit(b[n - 1]) || b[n - 1] == UInt8(ascii: ".") { return nil }
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            i += 1
        } else if n - i >= 3, b[i] == 0xE2, b[i + 1] == 0x88, b[i + 2] == 0x92 {
            i += 3
        }
        guard (5...7).contains(n - i), b[i] != UInt8(ascii: "0"), b[n - 4] == UInt8(ascii: ".") else { return false }
        for k in i..<n where k != n - 4 && !(b[k] >= 0x30 && b[k] <= 0x39) { return false }
        return true
    }

    /// What a written number shows about the decimal mark, or nil when it shows nothing (a whole
    /// number, an ambiguous one, or not a number at all).
    static func evidence(_ text: String) -> DecimalMarkEvidence? {
        guard let body = body(text), ambiguous(text) == nil else { return nil }
        let hasPoint = body.contains(".")
        let hasComma = body.contains(",")
        guard hasPoint || hasComma else { return nil }
        // A group between thousands never starts with 0: `0.125` and `03.600` have a decimal point.
        if body.first == "0" && hasPoint && !hasComma { return .point }
        let point = CellReader.normalize(body, style: .point) != nil
        let comma = CellReader.normalize(body, style: .danishComma) != nil
        if point && !comma { return .point }
        if comma && !point { return .comma }
        return nil
    }

    /// The digits and marks of a written number: spaces, sign, a `%` and a currency mark taken off.
    static func body(_ text: String) -> String? { signedBody(text)?.body }

    /// The digits and marks of a written number, and whether it had a minus sign.
    static func signedBody(_ text: String) -> (negative: Bool, body: String)? {
        var body = CellForms.currency(CellForms.percentSign(text).body).body
        var negative = false
        if let first = body.unicodeScalars.first, first == "-" || first == "+" || first == "−" {
            negative = first != "+"
            body = String(body.unicodeScalars.dropFirst())
        }
        // Digit groups set off by no-break spaces (`4 200 000,00`, as LibreOffice writes them) are
        // digits and marks too: the spaces say nothing of the decimal mark.
        if body.unicodeScalars.contains(where: { $0 == "\u{00A0}" || $0 == "\u{202F}" }) {
            body = String(String.UnicodeScalarView(body.unicodeScalars.filter { $0 != "\u{00A0}" && $0 != "\u{202F}" }))
        }
        guard !body.isEmpty, body.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2C }) else { return nil }
        return (negative, body)
    }

    /// `1.000` or `1,000` (one to three digits, not starting with 0, a mark, three digits): the
    /// number with the mark read between thousands, and read as a decimal mark.
    static func markOrThousands(_ text: Substring) -> (String, String)? {
        let bytes = Array(text.utf8)
        guard let mark = bytes.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }),
            (1...3).contains(mark), bytes.count == mark + 4, bytes[0] != UInt8(ascii: "0"),
            bytes.enumerated().allSatisfy({ $0.offset == mark || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) })
        else { return nil }
        let whole = String(decoding: bytes[..<mark], as: UTF8.self)
        let after = String(decoding: bytes[(mark + 1)...], as: UTF8.self)
        let decimal = Exact.parse(Substring(whole + "." + after)).map { $0.exactText() }
        guard case .success(let shortest) = decimal else { return nil }
        return (whole + after, shortest)
    }

    /// The message for an ambiguous cell of firm data in JSON, which has no dialect to settle it.
    static func jsonTextError(_ text: String, _ readings: (thousands: String, decimal: String), unit: String) -> CellError {
        if !unit.isEmpty {
            // A percent keeps its sign, in a text: a JSON number 1.0 would be a fraction's reading.
            return CellError(
                "\"\(text)\" could be \(readings.thousands)\(unit) (a point between thousands, as Danes write) or "
                    + "\(readings.decimal)\(unit) (a decimal point); write \"\(readings.decimal)\(unit)\" or \"\(readings.thousands)\(unit)\"",
                da: "\"\(text)\" kan være \(readings.thousands)\(unit) (punktum mellem tusinder, som på dansk) eller "
                    + "\(readings.decimal)\(unit) (decimalpunktum); skriv \"\(readings.decimal)\(unit)\" eller \"\(readings.thousands)\(unit)\""
            )
        }
        return CellError(
            "\"\(text)\" could be \(readings.thousands)\(unit) (a point between thousands, as Danes write) or "
                + "\(readings.decimal)\(unit) (a decimal point); write it as a JSON number without quotes, "
                + "\(readings.decimal) or \(readings.thousands)",
            da: "\"\(text)\" kan være \(readings.thousands)\(unit) (punktum mellem tusinder, som på dansk) eller "
                + "\(readings.decimal)\(unit) (decimalpunktum); skriv det som et JSON-tal uden anførselstegn, "
                + "\(readings.decimal) eller \(readings.thousands)")
    }
}

/// Guards a batch whose CSV dialect was detected, not given, against reading an ambiguous number
/// the wrong way: what the sniff window showed, and the reading the dialect would give.
struct DecimalMarkGuard: Sendable {
    /// The number style of the detected dialect.
    let style: NumberStyle
    /// The detected dialect's name (`excel-da`, `rfc4180`, `tab`), for messages.
    let dialect: String
    /// The first cell in the window that writes a decimal point, and one that writes a decimal comma.
    var pointExample: String?
    /// The first cell in the window that only the Danish convention reads, English thousands
    /// (`1,250`) left out: the evidence of `commasInPointDialect`.
    var danishOnlyExample: String?
    var commaExample: String?

    init(style: NumberStyle, dialect: String) {
        (self.style, self.dialect) = (style, dialect)
    }

    /// Said once before the rows, where a `;` file was read as `excel-da` (decimal comma) and its
    /// first rows' numbers write decimal points and no decimal comma: each such cell will be
    /// refused with the same fix, which the caseworker then finds once here. Nil otherwise.
    var pointsInCommaDialect: BatchHeaderNote? {
        guard style == .danishComma, let point = pointExample, commaExample == nil else { return nil }
        let shown = DisplayText.value(point)
        let other = BatchDialect.semicolonPoint.name
        return BatchHeaderNote(
            column: 0,
            message:
                "the file was read as \(dialect) (decimal comma) from its separator, but its first rows write decimal points (\"\(shown)\") and no decimal comma, so their amounts will be refused; if the file writes decimal points, give --dialect \(other)",
            danish:
                "filen blev læst som \(dialect) (decimalkomma) ud fra separatoren, men dens første rækker skriver decimalpunktum (\"\(shown)\") og intet decimalkomma, så deres beløb vil blive afvist; skriver filen decimalpunktum, så angiv --dialect \(other)"
        )
    }

    /// The mirror of `pointsInCommaDialect`: a `,` file (`rfc4180`, decimal point) whose first rows
    /// write numbers the Danish way (`"4.200.000,00"`, quoted as they must be) and no decimal point,
    /// as LibreOffice writes a Danish sheet saved as CSV with `,` between fields. Every such cell
    /// will be refused; no dialect reads a decimal comma between `,`-separated fields, so the fix
    /// is to save the file with `;`. Nil otherwise.
    var commasInPointDialect: BatchHeaderNote? {
        guard style == .point, dialect == BatchDialect.rfc4180.name, let comma = danishOnlyExample, pointExample == nil else { return nil }
        let shown = DisplayText.value(comma)
        return BatchHeaderNote(
            column: 0,
            message:
                "the file separates its fields with ',' (read as \(dialect), decimal point), but its first rows write numbers the Danish way (\"\(shown)\") and no decimal point, so their amounts will be refused; save the file with ';' between the fields (in LibreOffice: Field delimiter ;, as Excel's Danish CSV is), which soe reads as excel-da",
            danish:
                "filen adskiller sine felter med ',' (læst som \(dialect), decimalpunktum), men dens første rækker skriver tal på dansk (\"\(shown)\") og intet decimalpunktum, så deres beløb vil blive afvist; gem filen med ';' mellem felterne (i LibreOffice: Feltadskiller ;, som Excels danske CSV), som soe læser som excel-da"
        )
    }

    /// Notes what one numeric cell shows.
    mutating func observe(_ text: String) {
        switch DecimalMark.evidence(text) {
        case .point?: if pointExample == nil { pointExample = text }
        case .comma?:
            if commaExample == nil { commaExample = text }
            // `1,250` is a comma between thousands to an English eye: only a form no English
            // writing has (`12,5`, `1.250,00`) says the file is Danish.
            if danishOnlyExample == nil, DecimalMark.ambiguous(String(text.map { $0 == "," ? "." : $0 })) == nil {
                danishOnlyExample = text
            }
        case nil: break
        }
    }

    /// Why an ambiguous cell cannot be read in the detected dialect, or nil when the window and
    /// the row (`row` holds what the row's own numeric cells show) both bear the reading out.
    func refusal(_ text: String, row: DecimalMarkGuard, percent: Bool) -> CellError? {
        guard let readings = DecimalMark.ambiguous(text) else { return nil }
        let comma = style == .danishComma
        let supporting = comma ? (commaExample ?? row.commaExample) : (pointExample ?? row.pointExample)
        let contrary = comma ? (pointExample ?? row.pointExample) : (commaExample ?? row.commaExample)
        if supporting != nil && contrary == nil { return nil }
        let unit = percent ? " %" : ""
        // The dialect that reads the cell the other way, with the same separator; none for `,` and tab.
        let other: String? = comma ? BatchDialect.semicolonPoint.name : nil
        let (detectedReading, otherReading) = comma ? (readings.thousands, readings.decimal) : (readings.decimal, readings.thousands)
        let what = comma ? "a point between thousands" : "a decimal point"
        let whatOther = comma ? "a decimal point" : "a point between thousands"
        let hvad = comma ? "punktum mellem tusinder" : "decimalpunktum"
        let hvadAndet = comma ? "decimalpunktum" : "punktum mellem tusinder"
        let because: String
        let fordi: String
        if let contrary {
            because = "the file was read as \(dialect), but \"\(contrary)\" in it writes numbers the other way"
            fordi = "filen blev læst som \(dialect), men \"\(contrary)\" i den skriver tal på den anden måde"
        } else {
            because = "the file was read as \(dialect) from its separator, and no other number in it shows which decimal mark it uses"
            fordi = "filen blev læst som \(dialect) ud fra separatoren, og intet andet tal i den viser, hvilket decimaltegn den bruger"
        }
        let otherAs = other.map { "as \($0) reads it" } ?? "as Danes write"
        let otherSom = other.map { "som \($0) læser det" } ?? "som på dansk"
        let fix =
            other.map { "give --dialect \(dialect) or --dialect \($0) to say which" }
            ?? "give --dialect \(dialect) to read it as \(detectedReading)\(unit), or write \(otherReading) without the point"
        let rettelse =
            other.map { "angiv --dialect \(dialect) eller --dialect \($0)" }
            ?? "angiv --dialect \(dialect) for at læse det som \(detectedReading)\(unit), eller skriv \(otherReading) uden punktum"
        return CellError(
            "\"\(text)\" could be \(detectedReading)\(unit) (\(what), as \(dialect) reads it) or \(otherReading)\(unit) "
                + "(\(whatOther), \(otherAs)); \(because); \(fix)",
            da: "\"\(text)\" kan være \(detectedReading)\(unit) (\(hvad), som \(dialect) læser det) eller \(otherReading)\(unit) "
                + "(\(hvadAndet), \(otherSom)); \(fordi); \(rettelse)")
    }
}
