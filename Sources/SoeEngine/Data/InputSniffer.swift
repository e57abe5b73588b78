import SoeLanguage

// A file of the wrong kind gets a message about its kind, not about the first byte a parser trips
// on: "not valid JSON: expected a value, found byte 0x1F" tells a caseworker nothing, "the file is
// gzip-compressed; decompress it first" tells her what to do. The sniffer looks at the first bytes
// only, and only where a reader would otherwise fail or mislead, so good input costs nothing.

/// Tells what a file that is not the expected input looks like, with the fix.
public enum InputSniffer {
    /// How many bytes of a batch input are looked at before reading starts.
    public static let prefixBytes = 4096

    /// A problem with the file as a whole, in English and Danish.
    public struct Finding: Sendable, Equatable {
        public var message: String
        public var danish: String
    }

    /// Whether bytes begin with the signature of a ZIP archive's first entry, `PK\u{3}\u{4}`, as
    /// every .xlsx workbook does.
    public static func isZip(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// Checked before a firm file or a batch is parsed: compressed files and UTF-16 or UTF-32 text.
    /// `what` names the format expected ("JSON", "CSV", "JSON Lines"). `whole` says whether
    /// `bytes` is the whole file or only its first bytes (a batch's first read), which may not
    /// reach what tells an .xls from a password-protected workbook.
    public static func container(_ bytes: some Collection<UInt8>, what: String, whole: Bool = true) -> Finding? {
        let head = Array(bytes.prefix(prefixBytes))
        if head.starts(with: [0x1F, 0x8B]) {
            return Finding(
                message:
                    "the file is gzip-compressed (it starts with the bytes 1f 8b), not \(what); decompress it first (gunzip FILE.gz) and give the result",
                danish:
                    "filen er gzip-komprimeret (den begynder med bytene 1f 8b), ikke \(what); pak den ud først (gunzip FIL.gz), og giv resultatet"
            )
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return Finding(
                message:
                    "the file is a ZIP archive (an Excel .xlsx workbook is one), not \(what); a workbook is read as a batch with --input-format xlsx (or named .xlsx)",
                danish:
                    "filen er et ZIP-arkiv (en Excel-projektmappe .xlsx er et), ikke \(what); en projektmappe læses som batch med --input-format xlsx (eller med navnet .xlsx)"
            )
        }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            // An OLE compound file: an Excel 97-2003 workbook, or a password-protected .xlsx, which
            // Excel keeps inside one as the stream "EncryptedPackage" (its directory names the
            // streams in UTF-16).
            let name = Array("EncryptedPackage".utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] })
            let all = Array(bytes.prefix(256 << 20))
            if all.count >= name.count,
                (0...(all.count - name.count)).contains(where: { all[$0] == 0x45 && all[$0..<($0 + name.count)].elementsEqual(name) })
            {
                return Finding(
                    message:
                        "the workbook is protected by a password (encrypted), not \(what) soe can read; open it in Excel, remove the password (File, Info, Protect Workbook, Encrypt with Password), save it, and give that file",
                    danish:
                        "projektmappen er beskyttet med en adgangskode (krypteret), ikke \(what), som soe kan læse; åbn den i Excel, fjern adgangskoden (Filer, Oplysninger, Beskyt projektmappe, Krypter med adgangskode), gem den, og giv den fil"
                )
            }
            if !whole {
                return Finding(
                    message:
                        "the file is an Excel 97-2003 workbook (.xls) or a workbook protected by a password (an OLE compound file), not \(what); save it as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8, and give that file",
                    danish:
                        "filen er en Excel 97-2003-projektmappe (.xls) eller en projektmappe beskyttet med adgangskode (en OLE-sammensat fil), ikke \(what); gem den som Excel-projektmappe (.xlsx) uden adgangskode, eller som CSV UTF-8, og giv den fil"
                )
            }
            return Finding(
                message:
                    "the file is an Excel 97-2003 workbook (.xls, an OLE compound file), not \(what); save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and give that file",
                danish:
                    "filen er en Excel 97-2003-projektmappe (.xls, en OLE-sammensat fil), ikke \(what); gem den som Excel-projektmappe (.xlsx) eller som CSV UTF-8, og giv den fil"
            )
        }
        if let kind = markupKind(head) {
            return Finding(
                message: "the file is \(kind.english), not \(what); \(kind.fix)",
                danish: "filen er \(kind.danish), ikke \(what); \(kind.fiks)")
        }
        if let encoding = wideEncoding(head) {
            return Finding(
                message:
                    "the file is \(encoding), not UTF-8; soe reads UTF-8: save it as UTF-8 (in Excel: \"CSV UTF-8\"; in Notepad: Encoding UTF-8)",
                danish:
                    "filen er \(encoding), ikke UTF-8; soe læser UTF-8: gem den som UTF-8 (i Excel: \"CSV UTF-8\"; i Notesblok: Kodning UTF-8)"
            )
        }
        return nil
    }

    /// A spreadsheet or page saved as XML or HTML, told from its first markup: an OpenDocument
    /// spreadsheet saved flat (`.fods`), an Excel 2003 XML spreadsheet, or a web page; nil for any
    /// other start (XML of another kind is left to the reader, which names its first byte).
    static func markupKind(_ head: [UInt8]) -> (english: String, danish: String, fix: String, fiks: String)? {
        var start = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < head.count, head[start] == 0x20 || head[start] == 0x09 || head[start] == 0x0A || head[start] == 0x0D { start += 1 }
        guard start < head.count, head[start] == UInt8(ascii: "<") else { return nil }
        let text = String(decoding: head[start...], as: UTF8.self).lowercased()
        let save = "save it as an Excel Workbook (.xlsx) or as CSV UTF-8, and give that file"
        let gem = "gem det som Excel-projektmappe (.xlsx) eller som CSV UTF-8, og giv den fil"
        if text.contains("office:document") && text.contains("opendocument") {
            return (
                "an OpenDocument spreadsheet saved as flat XML (.fods)", "et OpenDocument-regneark gemt som flad XML (.fods)", save, gem
            )
        }
        if text.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            return ("an Excel 2003 XML spreadsheet", "et Excel 2003 XML-regneark", save, gem)
        }
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") {
            return (
                "a web page (HTML), such as soe's own overview", "en webside (HTML), fx soes egen oversigt",
                "give the firms' data, not a page made from them", "giv virksomhedernes data, ikke en side lavet ud fra dem"
            )
        }
        return nil
    }

    /// UTF-16 or UTF-32, with or without a byte-order mark, told from the mark or from where the
    /// zero bytes of ASCII text fall; nil for anything else.
    static func wideEncoding(_ head: [UInt8]) -> String? {
        if head.starts(with: [0xFF, 0xFE, 0, 0]) { return "UTF-32 (little-endian, with a byte-order mark)" }
        if head.starts(with: [0, 0, 0xFE, 0xFF]) { return "UTF-32 (big-endian, with a byte-order mark)" }
        if head.starts(with: [0xFF, 0xFE]) { return "UTF-16 (little-endian, with a byte-order mark)" }
        if head.starts(with: [0xFE, 0xFF]) { return "UTF-16 (big-endian, with a byte-order mark)" }
        guard head.count >= 4 else { return nil }
        let pairs = head.count / 2
        var evenZeros = 0
        var oddZeros = 0
        for index in 0..<(pairs * 2) where head[index] == 0 {
            if index % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        // ASCII text in UTF-16 has a zero in every other byte; binary data and UTF-8 do not.
        if oddZeros * 10 >= pairs * 7 && evenZeros * 10 < pairs { return "UTF-16 (little-endian, without a byte-order mark)" }
        if evenZeros * 10 >= pairs * 7 && oddZeros * 10 < pairs { return "UTF-16 (big-endian, without a byte-order mark)" }
        return nil
    }

    /// Bytes that are not UTF-8: where, and what the byte would be in Windows-1252, the encoding
    /// of older Excel and Notepad files (`æ` is 0xE6 there); nil when the bytes are UTF-8.
    public static func notUTF8(_ bytes: [UInt8]) -> Finding? {
        guard let offset = firstInvalidUTF8(bytes) else { return nil }
        let (line, column) = lineAndColumn(of: offset, in: bytes)
        let byte = bytes[offset]
        let hex = String(byte, radix: 16, uppercase: true)
        let invalid = bytes.lazy.filter { $0 >= 0x80 }
        if invalid.allSatisfy({ windows1252($0) != nil }), let character = windows1252(byte) {
            return Finding(
                message:
                    "the file is not UTF-8: it looks like Windows-1252 (or ISO-8859-1), as older Excel and Notepad save it: byte 0x\(hex) at line \(line), column \(column) is '\(character)' there; save the file as UTF-8",
                danish:
                    "filen er ikke UTF-8: den ligner Windows-1252 (eller ISO-8859-1), som ældre Excel og Notesblok gemmer: byte 0x\(hex) i linje \(line), kolonne \(column) er '\(character)' dér; gem filen som UTF-8"
            )
        }
        return Finding(
            message:
                "the file is not UTF-8: byte 0x\(hex) at line \(line), column \(column) cannot start a character; save the file as UTF-8",
            danish: "filen er ikke UTF-8: byte 0x\(hex) i linje \(line), kolonne \(column) kan ikke indlede et tegn; gem filen som UTF-8")
    }

    /// The character a byte above 0x7F stands for in Windows-1252; nil for the five bytes it leaves undefined.
    static func windows1252(_ byte: UInt8) -> Character? {
        if byte >= 0xA0 { return Character(Unicode.Scalar(byte)) }
        let table: [UInt8: Character] = [
            0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰", 0x8A: "Š", 0x8B: "‹",
            0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™",
            0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
        ]
        return table[byte]
    }

    /// After a firm file failed to parse as JSON: whether it is CSV, or several JSON objects one per
    /// line (JSON Lines), each of which is a batch with its own flag.
    public static func afterJSONFailure(_ bytes: [UInt8], message: String) -> Finding? {
        let text = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        guard let first = text.first else { return nil }
        let firstLine = Array(text.prefix { $0 != 0x0A && $0 != 0x0D })
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"")
            && firstLine.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == 0x09 })
        {
            let shown = DisplayText.value(String(decoding: firstLine, as: UTF8.self), limit: 40)
            return Finding(
                message:
                    "this looks like CSV (its first line is '\(shown)'), not a JSON firm; a CSV batch is read from a file named .csv, or from any file or standard input (-) with --input-format csv",
                danish:
                    "dette ligner CSV (første linje er '\(shown)'), ikke en virksomhed i JSON; en CSV-batch læses fra en fil, der hedder .csv, eller fra en vilkårlig fil eller standard input (-) med --input-format csv"
            )
        }
        // JSON Lines: an object whole on the first line, and the next line that is not blank
        // another; text after the value on its own line (`{…}xyz`) is just text after it.
        let rest = text.dropFirst(firstLine.count).drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        let lineEnds = firstLine.reversed().first { $0 != 0x20 && $0 != 0x09 }
        if first == UInt8(ascii: "{") && message == "unexpected text after the JSON value" && lineEnds == UInt8(ascii: "}")
            && rest.first == UInt8(ascii: "{")
        {
            return Finding(
                message:
                    "there is more than one JSON value: one firm object per line is JSON Lines, a batch; name the file .jsonl, or give --input-format jsonl",
                danish:
                    "der er mere end én JSON-værdi: ét virksomhedsobjekt pr. linje er JSON Lines, en batch; giv filen endelsen .jsonl, eller angiv --input-format jsonl"
            )
        }
        return nil
    }

    /// The start of a JSON Lines batch that is not JSON Lines: a JSON array, one object
    /// pretty-printed over many lines, or a decision record.
    public static func jsonLines(_ head: [UInt8]) -> Finding? {
        let text = head.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        guard let first = text.first else { return nil }
        let firstLine = String(decoding: text.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self).trimmingSpaces()
        if containsRecordSchema(head) {
            return Finding(message: recordMessage, danish: recordDanish)
        }
        if first == UInt8(ascii: "[") {
            return Finding(
                message:
                    "the input is a JSON array, not JSON Lines: JSON Lines has one firm object per line, with no brackets around them; convert it, e.g. jq -c '.[]' FILE > firms.jsonl",
                danish:
                    "inputtet er et JSON-array, ikke JSON Lines: JSON Lines har ét virksomhedsobjekt pr. linje uden klammer omkring; konvertér det, fx jq -c '.[]' FIL > firms.jsonl"
            )
        }
        if firstLine == "{" {
            return Finding(
                message:
                    "the input is pretty-printed JSON, one object spread over several lines, not JSON Lines: each firm must be one object on one line; convert it, e.g. jq -c . FILE > firms.jsonl",
                danish:
                    "inputtet er JSON sat op over flere linjer, ikke JSON Lines: hver virksomhed skal være ét objekt på én linje; konvertér det, fx jq -c . FIL > firms.jsonl"
            )
        }
        return nil
    }

    /// Whether the bytes hold the member `"schema": "soe-record/…"` of a decision record (a text
    /// that merely mentions the schema name is escaped in JSON, `\"soe-record/`, and does not count).
    static func containsRecordSchema(_ bytes: [UInt8]) -> Bool {
        let key = Array("\"schema\"".utf8)
        let value = Array("\"soe-record/".utf8)
        var start = 0
        while start + key.count <= bytes.count {
            defer { start += 1 }
            guard bytes[start] == key[0], bytes[start..<start + key.count].elementsEqual(key) else { continue }
            if start > 0 && bytes[start - 1] == UInt8(ascii: "\\") { continue }
            var index = start + key.count
            while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { continue }
            index += 1
            while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
            if index + value.count <= bytes.count && bytes[index..<index + value.count].elementsEqual(value) { return true }
        }
        return false
    }

    static let recordMessage =
        "this is a decision record (soe-record/1), not firm data; to check a record, run soe verify RECORD --rules RULES FIRM-DATA"
    static let recordDanish =
        "dette er en afgørelsesjournal (soe-record/1), ikke virksomhedsdata; en journal efterprøves med soe verify JOURNAL --rules REGLER DATA"

    /// A firm object whose `schema` says it is one of soe's own documents (a record, a trace):
    /// evaluated as firm data, it would come out "undetermined" with a clean exit, so it is refused.
    static func ownDocument(schema: String) -> Finding? {
        if schema.hasPrefix("soe-record/") { return Finding(message: recordMessage, danish: recordDanish) }
        guard schema.hasPrefix("soe-") else { return nil }
        let shown = DisplayText.value(schema)
        return Finding(
            message: "this is a document soe wrote (\(shown)), not firm data; give the firm's data file",
            danish: "dette er et dokument, soe har skrevet (\(shown)), ikke virksomhedsdata; giv virksomhedens datafil")
    }
}
