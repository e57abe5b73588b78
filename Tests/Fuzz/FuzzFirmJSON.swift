// Fuzz target `firm-json`: any bytes as a firm's JSON file, read against the bundled rule sets'
// inputs as `soe evaluate --rules rules/` does, bound to each rule set, and when the data is good,
// evaluated, traced and rendered. Also checks the reader's promises: every error has a place
// inside the file and a message, and a firm that reads has a closing day.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFirmJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    runFirmJSON(bytes)
    return 0
}

func runFirmJSON(_ bytes: [UInt8]) {
    checkCursor(bytes)
    switch FirmReader.readJSON(bytes, source: "fuzz.json", knownInputs: Bundled.inputNames) {
    case .failure(let errors):
        checkDataErrors(errors, bytes: bytes)
    case .success(let firm):
        for ruleSet in Bundled.ruleSets {
            switch firm.bind(to: ruleSet) {
            case .failure(let errors): checkDataErrors(errors, bytes: bytes)
            case .success(let bound):
                require(bound.values.count == ruleSet.inputs.count, "bound values do not match the inputs")
                evaluateAndRender(firm, bound, ruleSet)
            }
        }
    }
}

/// The reader places members with a cursor that moves on from the last place; it must agree with
/// the plain count from the start, also across CR LF and when asked for an earlier place again.
func checkCursor(_ bytes: [UInt8]) {
    var cursor = LineColumnCursor(bytes)
    let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") || bytes[$0] == 0x0A || bytes[$0] == 0x0D }
    let offsets = Array(quotes.prefix(24)) + [bytes.count, bytes.count / 2, 0, bytes.count + 5]
    for offset in offsets {
        let fast = cursor.place(offset)
        let slow = lineAndColumn(of: offset, in: bytes)
        require(fast == slow, "the cursor places offset \(offset) at \(fast), the plain count at \(slow)")
    }
}
