import SoeLanguage

// The parts of an .xlsx workbook (Office Open XML, SpreadsheetML) that soe reads: the package
// relationships (`_rels/.rels`) to find the workbook, `xl/workbook.xml` for the sheets' names and
// the date system (`date1904`), the workbook's relationships for each sheet's part, the shared
// strings (plain `<t>` and rich-text runs `<r><t>`, without the phonetic `<rPh>` guides), and the
// styles' `cellXfs` with their number formats, to tell dates and percentages from other numbers.
// `[Content_Types].xml` is not needed: the relationships say where each part is.

/// A workbook opened from the bytes of an .xlsx file.
public struct XlsxWorkbook {
    /// A sheet: its name as the tab shows it, and its part in the archive.
    public struct Sheet: Sendable, Equatable {
        public var name: String
        public var part: String
    }

    /// How a cell's number format shows its number.
    public enum NumberKind: Sendable, Equatable {
        case plain, percent, date
    }

    var archive: ZipArchive
    /// The sheets in tab order.
    public let sheets: [Sheet]
    /// Whether serial dates count from 1904-01-01 (old Mac Excel) instead of 1900-01-01.
    public let date1904: Bool
    public let sharedStrings: [String]
    /// By `s` attribute (the index into `cellXfs`): how the number format shows numbers.
    public let styles: [NumberKind]

    /// Opens a workbook: the directory of the archive and every part a sheet needs but itself.
    public init(_ bytes: [UInt8], limits: UnpackLimits = UnpackLimits()) throws(SheetError) {
        var archive = try ZipArchive(bytes, limits: limits)
        var workbookPart = "xl/workbook.xml"
        if let rels = archive.entry(named: "_rels/.rels") {
            let relations = try Self.relationships(try archive.data(of: rels), base: "", part: rels.name)
            if let office = relations.first(where: { $0.type.hasSuffix("/officeDocument") }) { workbookPart = office.target }
        }
        guard let workbookEntry = archive.entry(named: workbookPart) else {
            // An OpenDocument file (LibreOffice's own .ods) is a ZIP archive too, named by its first
            // entry, `mimetype`, stored as it is.
            if let mimetype = archive.entry(named: "mimetype"), let type = try? archive.data(of: mimetype),
                String(decoding: type.prefix(100), as: UTF8.self).hasPrefix("application/vnd.oasis.opendocument")
            {
                throw SheetError(
                    "the file is an OpenDocument spreadsheet (.ods), which soe does not read; save it from LibreOffice as \"Excel 2007-365 (.xlsx)\" or as CSV",
                    da:
                        "filen er et OpenDocument-regneark (.ods), som soe ikke læser; gem det fra LibreOffice som \"Excel 2007-365 (.xlsx)\" eller som CSV"
                )
            }
            throw SheetError(
                "the file is a ZIP archive but not an .xlsx workbook: it has no \(DisplayText.value(workbookPart)); save it from the spreadsheet program as \"Excel workbook (.xlsx)\"",
                da:
                    "filen er et ZIP-arkiv, men ikke en .xlsx-projektmappe: den har ingen \(DisplayText.value(workbookPart)); gem den fra regnearksprogrammet som \"Excel-projektmappe (.xlsx)\""
            )
        }
        let folder =
            workbookPart.contains("/") ? String(workbookPart[..<(workbookPart.lastIndex(of: "/") ?? workbookPart.endIndex)]) + "/" : ""
        let file = String(workbookPart.split(separator: "/").last ?? "")
        var relations: [Relationship] = []
        if let rels = archive.entry(named: folder + "_rels/" + file + ".rels") {
            relations = try Self.relationships(try archive.data(of: rels), base: folder, part: rels.name)
        }
        let (named, date1904) = try Self.workbook(try archive.data(of: workbookEntry), part: workbookPart)
        var sheets: [Sheet] = []
        for (name, id) in named {
            let target = relations.first { $0.id == id }?.target
            guard let target else {
                throw SheetError(
                    "the sheet \(DisplayText.value(name)) has no part in the workbook (relationship \(DisplayText.value(id)) is missing)",
                    da: "arket \(DisplayText.value(name)) har ingen del i projektmappen (relationen \(DisplayText.value(id)) mangler)")
            }
            sheets.append(Sheet(name: name, part: target))
        }
        guard !sheets.isEmpty else {
            throw SheetError("the workbook has no sheet", da: "projektmappen har intet ark")
        }
        let stringsPart = relations.first { $0.type.hasSuffix("/sharedStrings") }?.target ?? folder + "sharedStrings.xml"
        let stylesPart = relations.first { $0.type.hasSuffix("/styles") }?.target ?? folder + "styles.xml"
        var strings: [String] = []
        if let entry = archive.entry(named: stringsPart) {
            do throws(SheetError) { strings = try Self.sharedStrings(try archive.data(of: entry)) } catch { throw error.at(entry.name) }
        }
        var styles: [NumberKind] = []
        if let entry = archive.entry(named: stylesPart) {
            do throws(SheetError) { styles = try Self.styles(try archive.data(of: entry)) } catch { throw error.at(entry.name) }
        }
        (self.archive, self.sheets, self.date1904, self.sharedStrings, self.styles) = (archive, sheets, date1904, strings, styles)
    }

    /// The bytes of a sheet's part.
    public mutating func data(of sheet: Sheet) throws(SheetError) -> [UInt8] {
        guard let entry = archive.entry(named: sheet.part) else {
            throw SheetError(
                "the sheet \(DisplayText.value(sheet.name)) names the part \(DisplayText.value(sheet.part)), which the file does not have",
                da: "arket \(DisplayText.value(sheet.name)) henviser til delen \(DisplayText.value(sheet.part)), som filen ikke har")
        }
        return try archive.data(of: entry)
    }

    /// The sheet to read: the first, or the one named (exactly, then without letter case); an
    /// unknown name is an error that lists the sheets.
    public func sheet(named name: String?) throws(SheetError) -> Sheet {
        guard let name else { return sheets[0] }
        if let sheet = sheets.first(where: { $0.name == name }) ?? sheets.first(where: { $0.name.lowercased() == name.lowercased() }) {
            return sheet
        }
        let list = sheets.map { "'\(DisplayText.value($0.name))'" }.joined(separator: ", ")
        throw SheetError(
            "the workbook has no sheet named '\(DisplayText.value(name))'; its sheets are \(list)",
            da: "projektmappen har intet ark, der hedder '\(DisplayText.value(name))'; dens ark er \(list)")
    }

    struct Relationship {
        var id: String
        var type: String
        var target: String
    }

    /// The relationships of a part, targets resolved against `base` (the part's folder).
    static func relationships(_ bytes: [UInt8], base: String, part: String) throws(SheetError) -> [Relationship] {
        var xml = XMLTokenizer(bytes)
        var result: [Relationship] = []
        do throws(SheetError) {
            while let token = try xml.next() {
                guard case .start(let name, _) = token, xml.name(name, is: "Relationship") else { continue }
                guard let id = xml.attribute("Id"), let target = xml.attribute("Target") else { continue }
                let mode = try xml.attribute("TargetMode").map { range throws(SheetError) in try xml.text(range) }
                if mode == "External" { continue }
                let type = try xml.attribute("Type").map { range throws(SheetError) in try xml.text(range) } ?? ""
                result.append(Relationship(id: try xml.text(id), type: type, target: resolve(try xml.text(target), base: base)))
            }
        } catch {
            throw error.at(part)
        }
        return result
    }

    /// A relationship's target as a path in the archive: absolute (`/xl/…`) or relative to `base`,
    /// with `..` taken back.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    /// The sheets' names and relationship ids, and the date system, from `workbook.xml`.
    static func workbook(_ bytes: [UInt8], part: String) throws(SheetError) -> ([(String, String)], Bool) {
        var xml = XMLTokenizer(bytes)
        var sheets: [(String, String)] = []
        var date1904 = false
        do throws(SheetError) {
            while let token = try xml.next() {
                guard case .start(let name, _) = token else { continue }
                if xml.name(name, is: "workbookPr"), let value = xml.attribute("date1904") {
                    let text = try xml.text(value)
                    date1904 = text == "1" || text == "true"
                } else if xml.name(name, is: "sheet"), let sheetName = xml.attribute("name"), let id = xml.attribute("id") {
                    sheets.append((try xml.text(sheetName), try xml.text(id)))
                }
            }
        } catch {
            throw error.at(part)
        }
        return (sheets, date1904)
    }

    /// The shared strings, in order: each `<si>`'s `<t>` texts joined, phonetic runs left out, the
    /// `_xHHHH_` escapes read (`XlsxText`).
    static func sharedStrings(_ bytes: [UInt8]) throws(SheetError) -> [String] {
        var xml = XMLTokenizer(bytes)
        var strings: [String] = []
        var current = ""
        var inItem = false
        var inText = false
        var phonetic = 0
        while let token = try xml.next() {
            switch token {
            case .start(let name, let selfClosing):
                if xml.name(name, is: "si") {
                    (inItem, current) = (!selfClosing, "")
                    if selfClosing { strings.append("") }
                } else if xml.name(name, is: "t") {
                    inText = !selfClosing
                } else if xml.name(name, is: "rPh") && !selfClosing {
                    phonetic += 1
                }
            case .end(let name):
                if xml.name(name, is: "si") {
                    strings.append(XlsxText.unescaped(current))
                    inItem = false
                } else if xml.name(name, is: "t") {
                    inText = false
                } else if xml.name(name, is: "rPh") {
                    phonetic -= 1
                }
            case .text(let range):
                if inItem && inText && phonetic == 0 { current += try xml.text(range) }
            case .cdata(let range):
                if inItem && inText && phonetic == 0 { current += try xml.utf8(range) }
            }
        }
        return strings
    }

    /// How each cell format (`cellXfs/xf`, by index) shows numbers, from its number format id:
    /// built in or declared in `numFmts`.
    static func styles(_ bytes: [UInt8]) throws(SheetError) -> [NumberKind] {
        var xml = XMLTokenizer(bytes)
        var custom: [Int: NumberKind] = [:]
        var kinds: [NumberKind] = []
        var inCellFormats = false
        while let token = try xml.next() {
            switch token {
            case .start(let name, let selfClosing):
                if xml.name(name, is: "numFmt"), let id = xml.attribute("numFmtId"), let code = xml.attribute("formatCode") {
                    if let number = Int(try xml.text(id)) { custom[number] = numberKind(ofFormat: try xml.text(code)) }
                } else if xml.name(name, is: "cellXfs") {
                    inCellFormats = !selfClosing
                } else if inCellFormats && xml.name(name, is: "xf") {
                    let id = try xml.attribute("numFmtId").map { range throws(SheetError) in try xml.text(range) }.flatMap { Int($0) } ?? 0
                    kinds.append(custom[id] ?? builtInKind(id))
                }
            case .end(let name):
                if xml.name(name, is: "cellXfs") { inCellFormats = false }
            case .text, .cdata: break
            }
        }
        return kinds
    }

    /// The built-in number formats of ECMA-376 18.8.30: 9 and 10 are percentages; 14 to 22, 27 to
    /// 36, 45 to 47 and 50 to 58 are dates and times (the last two groups in East Asian locales).
    static func builtInKind(_ id: Int) -> NumberKind {
        switch id {
        case 9, 10: .percent
        case 14...22, 27...36, 45...47, 50...58: .date
        default: .plain
        }
    }

    /// A custom format code's kind: with its quoted texts ("kr"), escaped characters (\-) and
    /// bracketed parts ([Red], [$-406]) taken out, a `%` makes it a percentage; a `d` or `y`, or an
    /// `m` without `h` or `s` (which would make it minutes), a date.
    static func numberKind(ofFormat code: String) -> NumberKind {
        var plain: [Character] = []
        var quoted = false
        var bracket = false
        var escaped = false
        for character in code {
            if escaped {
                escaped = false
            } else if quoted {
                if character == "\"" { quoted = false }
            } else if bracket {
                if character == "]" { bracket = false }
            } else {
                switch character {
                case "\"": quoted = true
                case "[": bracket = true
                case "\\": escaped = true
                case "_", "*": escaped = true  // the next character is padding, not a code
                default: plain.append(Character(character.lowercased()))
                }
            }
        }
        // Only the first section (positive numbers) decides.
        let first = plain.split(separator: ";", omittingEmptySubsequences: false).first ?? []
        if first.contains("%") { return .percent }
        if first.contains("d") || first.contains("y") { return .date }
        if first.contains("m") && !first.contains("h") && !first.contains("s") { return .date }
        return .plain
    }
}
