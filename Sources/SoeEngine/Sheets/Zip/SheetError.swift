import SoeLanguage

/// Why a ZIP archive, a DEFLATE stream, an XML part or a workbook could not be read: in English and
/// Danish, lower case, no full stop, saying where (the entry, the part, the cell) and why.
public struct SheetError: Error, Sendable, Equatable, BilingualMessage, CustomStringConvertible {
    public var message: String
    public var danish: String?

    /// Makes an error from its two texts.
    public init(_ message: String, da danish: String) {
        self.message = message
        self.danish = danish
    }

    /// The same error with where it happened in front ("xl/worksheets/sheet1.xml: …").
    public func at(_ place: String) -> SheetError {
        SheetError("\(place): \(message)", da: "\(place): \(danish ?? message)")
    }

    public var description: String { message }
}

/// The caps that keep a small file from becoming a huge one in memory (a "zip bomb"): checked
/// while inflating, so a crafted stream is stopped after at most `floor` + one check interval of
/// output, not after it has filled the memory.
public struct UnpackLimits: Sendable, Equatable {
    /// The most bytes one entry may inflate to (256 MiB).
    public var entryBytes = 256 << 20
    /// The most bytes all the entries read from one archive may inflate to together (256 MiB).
    public var totalBytes = 256 << 20
    /// The most output bytes per input byte of a deflated entry (200), once past `ratioFloor`.
    public var ratio = 200
    /// Output below which the ratio is not checked (1 MiB): a tiny entry of repeated text may
    /// legitimately compress far beyond the ratio.
    public var ratioFloor = 1 << 20
    /// The largest archive read at all (256 MiB); it is read whole.
    public var archiveBytes = 256 << 20

    /// The documented defaults.
    public init() {}
}
