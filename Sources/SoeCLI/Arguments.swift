import SoeEngine
import SoeLanguage
import SoeLint

/// A small command-line parser: `--flag value`, `--flag=value`, switches, positionals, `--`.
/// Unknown flags are usage errors with a did-you-mean, never ignored. A flag that takes one value
/// given twice is a usage error naming it (the last one silently winning hid typos in scripts);
/// only the flags in `repeatable` collect every value. A value that looks like a flag
/// (`--output --lang`) is a usage error too: the flag's value was forgotten; so is an empty value
/// (`--output ''`). A value that really starts with `-` is written `--flag=value`.
public struct Arguments {
    public private(set) var options: [String: String] = [:]
    public private(set) var repeated: [String: [String]] = [:]
    public private(set) var switches: Set<String> = []
    public private(set) var positionals: [String] = []

    /// Parses `arguments` given the flags that take a value and the switches that do not.
    public init(
        _ arguments: [String], valued: Set<String>, switches allowedSwitches: Set<String>,
        repeatable: Set<String> = []
    ) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if valued.contains(name) {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError("\(name) needs a value") }
                    value = arguments[index]
                    if Arguments.looksLikeFlag(value) {
                        throw UsageError(
                            "\(name) needs a value, but it is followed by the flag \(value); give the value after \(name)"
                                + " (a value that starts with '-' is written \(name)=\(value))")
                    }
                    index += 1
                }
                // An empty value is never meant (`--output ''`, `--output=` or an unset shell
                // variable, `--output "$OUT"`): said here, before any input is read.
                if value.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    throw UsageError(
                        "\(name) is given an empty value" + (value.isEmpty ? "" : " (only spaces)")
                            + "; give \(name) a value (an unset shell variable?)")
                }
                if let earlier = options[name], !repeatable.contains(name) {
                    throw UsageError("\(name) is given twice ('\(earlier)' and '\(value)'); give it once")
                }
                options[name] = value
                repeated[name, default: []].append(value)
            } else if allowedSwitches.contains(name) {
                if inlineValue != nil { throw UsageError("\(name) takes no value") }
                switches.insert(name)
            } else {
                let suggestion = closestFlag(name, in: valued.union(allowedSwitches))
                throw UsageError("unknown option \(name)" + (suggestion.map { "; did you mean \($0)?" } ?? ""))
            }
        }
    }

    /// Whether a separate argument is a flag rather than a value: `--anything`, or `-` and a letter
    /// (`-h`). A lone `-` is a value (standard input or output), and so is `-1`.
    static func looksLikeFlag(_ argument: String) -> Bool {
        if argument.hasPrefix("--") { return true }
        guard argument.hasPrefix("-"), let second = argument.dropFirst().first else { return false }
        return second.isLetter
    }

    /// A flag's value restricted to a set of choices.
    public func choice(_ name: String, _ allowed: [String], default fallback: String) throws(UsageError) -> String {
        guard let value = options[name] else { return fallback }
        guard allowed.contains(value) else {
            throw UsageError("\(name) must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
        }
        return value
    }
}

func closestFlag(_ flag: String, in flags: Set<String>) -> String? {
    closestWord(to: flag, in: flags.sorted())
}

/// A wrong command line: the message is shown with a pointer to `--help`.
public struct UsageError: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
