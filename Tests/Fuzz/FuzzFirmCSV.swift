// Fuzz target `firm-csv`: any bytes as a CSV file, read record by record (dialect detected, then
// each fixed dialect), every cell read as every distinct kind of input the bundled rule sets
// declare, in both number styles. The batch command's row handling is not fuzzed here.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFirmCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    runFirmCSV(bytes)
    return 0
}

func runFirmCSV(_ bytes: [UInt8]) {
    // Small limits as well as the standard ones, so the too-long and too-many-fields paths are reached.
    let limits = [CSVLimits.standard, CSVLimits(maxRecordBytes: 64, maxFields: 4)]
    let dialects: [CSVDialect?] = [nil, .rfc4180, .excelDanish, .tab]
    for (number, dialect) in dialects.enumerated() {
        var reader = CSVReader(source: ArraySource(bytes), dialect: dialect, limits: limits[number % 2])
        var records = 0
        var previous = 0
        while let next = reader.next() {
            records += 1
            require(records <= bytes.count + 1, "more records than bytes: the reader does not advance")
            switch next {
            case .failure(let error):
                require(!error.message.isEmpty && error.line >= 1 && error.column >= 1, "a CSV error without a place")
                require(error.number > previous, "record numbers do not increase")
                previous = error.number
            case .success(let record):
                require(record.number > previous && record.line >= 1, "record numbers do not increase")
                previous = record.number
                // Reading every cell under every kind is enough on one dialect; the others check the reader.
                if number == 0 { readCells(record.fields) }
            }
        }
    }
}

/// The cell texts already read under every kind and style in this process. `CellReader.read` is a
/// pure function of the text, the input and the style, so reading a text again can only give the
/// same result, and the same invariants on it; a corpus holds a few hundred distinct cells among
/// thousands, and reading them all again was nine tenths of the target's time. Bounded: emptied
/// when it passes 100,000 texts.
nonisolated(unsafe) var cellsRead: Set<String> = []

func readCells(_ fields: [String]) {
    for field in fields.prefix(16) {
        if cellsRead.count > 100_000 { cellsRead.removeAll() }
        guard cellsRead.insert(field).inserted else { continue }
        for (input, ruleSet) in Bundled.distinctInputs {
            for style in [NumberStyle.point, .danishComma] {
                let cell: Cell = field.isEmpty ? .null : .text(field)
                switch CellReader.read(cell, as: input, choices: ruleSet.choiceSets, style: style) {
                case .failure(let error): require(!error.message.isEmpty, "a cell error without a message")
                case .success(let value):
                    if case .number(let number)? = value {
                        if let minimum = input.minimum { require(number >= minimum, "\(field) read below the minimum") }
                        if let maximum = input.maximum { require(number <= maximum, "\(field) read above the maximum") }
                        if input.type == .count { require(number.isInteger && !number.isNegative, "\(field) read as a count") }
                    }
                }
            }
        }
    }
}
