import SoeEngine
import SoeLanguage
import SoeLint

/// A small command-line parser: `--flag value`, `--flag=value`, switches, positionals, `--`.
/// Unknown flags are usage errors with a did-you-mean, never ignored.
public struct Arguments {
    public private(set) var options: [String: String] = [:]
    public private(set) var repeated: [String: [String]] = [:]
    public private(set) var switches: Set<String> = []
    public private(set) var positionals: [String] = []

    /// Parses `arguments` given the flags that take a value and the switches that do not.
    public init(_ arguments: [String], valued: Set<String>, switches allowedSwitches: Set<String>) throws(UsageError) {
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
                    index += 1
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
