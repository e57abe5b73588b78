/// Where `builds on NAME` finds a rule set that is not among the files given: the rule sets as a
/// library, without copying them.
///
/// The search order, first match wins:
///
/// 1. the files given (every path on the command line, and the rule sets they declare);
/// 2. `NAME.rules` in the folder of the file that says `builds on NAME`;
/// 3. `NAME.rules` in each folder of `SOE_RULES_PATH` (colon-separated), in order;
/// 4. the bundled rule sets, compiled into `soe` (`BundledRules`), shown as `bundled:NAME.rules`.
///
/// A file found earlier shadows a later one of the same name, and that is not an error: a
/// municipality may keep its own edited copy of a national rule set. When the bundled copy is
/// shadowed by a different text, loading says so in a note (`LibraryNote`). Two of the files
/// *given* that declare one rule set are still an error (E307), since neither can be chosen.
public struct RuleLibrary: Sendable {
    /// The folders searched for `NAME.rules`, after the files given and their own folder.
    public var folders: [String]
    /// Whether the bundled rule sets are searched last.
    public var bundled: Bool

    public init(folders: [String] = [], bundled: Bool = true) {
        self.folders = folders
        self.bundled = bundled
    }

    /// No library: only the files given and their folders (in-memory loads, tests).
    public static let none = RuleLibrary(folders: [], bundled: false)

    /// Only the bundled rule sets after the files given: what `soe verify` re-evaluates with, so that a
    /// record made on a bundled parent (`bundled:NAME.rules`) is checked against this binary's copy.
    public static let bundledOnly = RuleLibrary(folders: [], bundled: true)

    /// The environment variable that names the folders of the library.
    public static let pathVariable = "SOE_RULES_PATH"

    /// The library of the command line: the folders of `SOE_RULES_PATH`, then the bundled rule sets.
    public static func standard(environment: [String: String]) -> RuleLibrary {
        let folders = (environment[pathVariable] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return RuleLibrary(folders: folders, bundled: true)
    }

    /// The prefix of a bundled rule file's path in diagnostics, traces and records.
    public static let bundledPrefix = "bundled:"

    /// The bundled rule file of a rule set, as a source file named `bundled:NAME.rules`.
    public static func bundledFile(_ name: String) -> SourceFile? {
        guard let text = BundledRules.files.first(where: { $0.name == name + ".rules" })?.text else { return nil }
        return SourceFile(path: bundledPrefix + name + ".rules", text: text)
    }
}

/// A note from loading: a rule set built upon was found in a file that shadows the bundled copy of
/// the same name, and the two differ.
public struct LibraryNote: Sendable, Equatable {
    /// The rule set's name.
    public var name: String
    /// The file used instead of the bundled copy.
    public var path: String

    /// The note, in Danish or English.
    public func text(_ language: Language) -> String {
        switch language {
        case .danish:
            "bemærk: regelsættet '\(name)' læses fra \(path), ikke fra den medfølgende udgave (\(RuleLibrary.bundledPrefix)\(name).rules), som er anderledes"
        case .english:
            "note: the rule set '\(name)' is read from \(path), not from the bundled copy (\(RuleLibrary.bundledPrefix)\(name).rules), which differs"
        }
    }
}
