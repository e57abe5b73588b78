import Foundation

/// A benchmark's flags, read strictly: every flag must be known, a flag that takes a value must
/// have one, and a number must be a whole number of at least 1. `--help` or `-h` prints the usage
/// (exit 0); anything else wrong prints it to standard error (exit 2), so that a typo never starts
/// a run of several minutes with the defaults.
struct BenchArguments {
    /// The value of each flag given with one.
    private var values: [String: String] = [:]
    /// The flags without a value that were given.
    private var switches: Set<String> = []

    /// Parsing ended the command: the usage is printed, and `code` is the exit status.
    struct Stop: Error {
        let code: Int32
    }

    /// Reads `arguments`: flags in `numbers` take a whole number of at least 1, flags in `texts` any
    /// value, flags in `switches` none. A flag with a value may be given once.
    static func parse(
        _ arguments: [String], numbers: Set<String> = [], texts: Set<String> = [],
        switches: Set<String> = [], usage: String
    ) -> Result<BenchArguments, Stop> {
        /// Prints what is wrong and the usage to standard error.
        func wrong(_ message: String) -> Result<BenchArguments, Stop> {
            printError("soe-bench: \(message)\n\(usage)")
            return .failure(Stop(code: 2))
        }
        var parsed = BenchArguments()
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            index += 1
            if flag == "--help" || flag == "-h" {
                print(usage)
                return .failure(Stop(code: 0))
            }
            if switches.contains(flag) {
                parsed.switches.insert(flag)
                continue
            }
            guard numbers.contains(flag) || texts.contains(flag) else { return wrong("unknown flag '\(flag)'") }
            guard index < arguments.count else { return wrong("\(flag) needs a value") }
            let value = arguments[index]
            index += 1
            if numbers.contains(flag), (Int(value) ?? 0) < 1 {
                return wrong("\(flag) takes a whole number of at least 1, not '\(value)'")
            }
            guard parsed.values.updateValue(value, forKey: flag) == nil else { return wrong("\(flag) is given twice") }
        }
        return .success(parsed)
    }

    /// The whole number given with `flag`, or nil when the flag was not given.
    func number(_ flag: String) -> Int? { values[flag].flatMap { Int($0) } }

    /// The value given with `flag`, or nil when the flag was not given.
    func text(_ flag: String) -> String? { values[flag] }

    /// Whether the flag `flag`, which takes no value, was given.
    func has(_ flag: String) -> Bool { switches.contains(flag) }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
