import SoeLanguage

/// The words of `soe test` in English and Danish: the failures, the summary, the coverage report
/// and the problems with test files. Outcome, criterion and rule set names stay as written.
public struct RuleTestWords: Sendable {
    public let language: Language
    var danish: Bool { language == .danish }

    /// The words of `language`.
    public init(_ language: Language) { self.language = language }

    var fail: String { danish ? "FEJL" : "FAIL" }
    /// The mark of a test file with problems of its own (it cannot be tested as written).
    var error: String { danish ? "FILFEJL" : "ERROR" }
    func fileLine(firms: Int, failed: Int) -> String {
        let count = danish ? counted(firms, "virksomhed", "virksomheder") : counted(firms, "firm", "firms")
        guard failed > 0 else { return count }
        return count + ", "
            + (danish
                ? "\(counted(failed, "forventning", "forventninger")) fejlet" : "\(counted(failed, "expectation", "expectations")) failed")
    }
    var under: String { danish ? "under" : "under" }
    func expectedGot(_ expected: String, _ actual: String) -> String {
        danish ? "forventet \(expected), fik \(actual)" : "expected \(expected), got \(actual)"
    }
    func criterionExpectedGot(_ name: String, _ expected: String, _ actual: String) -> String {
        danish ? "kriterium \(name): forventet \(expected), fik \(actual)" : "criterion \(name): expected \(expected), got \(actual)"
    }
    func truth(_ truth: ExpectedTruth) -> String {
        switch truth {
        case .yes: danish ? "ja" : "yes"
        case .no: danish ? "nej" : "no"
        case .unknown: danish ? "ukendt" : "unknown"
        }
    }
    func criterionWas(_ name: String, _ truth: ExpectedTruth) -> String {
        danish ? "kriterium \(name) var \(self.truth(truth))" : "criterion \(name) was \(self.truth(truth))"
    }
    func valueWas(_ name: String) -> String { danish ? "værdien \(name)" : "value \(name)" }
    var appliesFirst: String { danish ? "gælder først" : "applies first" }
    var applies: String { danish ? "gælder" : "applies" }
    var doesNotApply: String { danish ? "gælder ikke" : "does not apply" }
    var cannotBeDecided: String { danish ? "kan ikke afgøres" : "cannot be decided" }
    var fallbackApplies: String {
        danish ? "ellers: intet tidligere udfald gælder" : "otherwise: no earlier outcome applies"
    }
    func missing(_ names: [String]) -> String { (danish ? "mangler: " : "missing: ") + names.joined(separator: ", ") }
    var dataAccepted: String { danish ? "oplysningerne blev godtaget og vurderet" : "the data was accepted and evaluated" }
    func rejectedBecause(_ reasons: [String]) -> String {
        (danish ? "afvist: " : "rejected: ") + reasons.joined(separator: "; ")
    }
    func noReasonAbout(_ field: String) -> String {
        danish ? "ingen af grundene handler om \(field)" : "none of the reasons is about \(field)"
    }
    var criterionNotEvaluated: String {
        danish
            ? "kriteriet blev ikke vurderet, fordi virksomheden ikke blev vurderet" : "the criterion was not evaluated, as the firm was not"
    }
    func inForce(_ period: String?, closing: Day) -> String {
        let words = Words.of(language)
        return danish
            ? "regelsættet gælder for et regnskabsår afsluttet \(words.date(closing))" + (period.map { " (\($0))" } ?? "")
            : "the rule set applies to a fiscal year closing \(words.date(closing))" + (period.map { " (\($0))" } ?? "")
    }

    // MARK: Summary

    func summary(firms: Int, checks: Int, failed: Int) -> String {
        let passed = checks - failed
        return danish
            ? "\(counted(firms, "virksomhed", "virksomheder")), \(counted(checks, "forventning", "forventninger")): \(passed) bestået, \(failed) fejlet"
            : "\(counted(firms, "firm", "firms")), \(counted(checks, "expectation", "expectations")): \(passed) passed, \(failed) failed"
    }
    func testFiles(_ count: Int) -> String {
        danish ? counted(count, "testfil", "testfiler") : counted(count, "test file", "test files")
    }
    func problems(_ count: Int) -> String {
        danish
            ? "\(counted(count, "problem", "problemer")) med testfilerne; de berørte virksomheder blev ikke testet"
            : "\(counted(count, "problem", "problems")) with the test files; the firms concerned were not tested"
    }
    func belowFloor(_ kind: String, _ ruleSet: String, _ percent: String, _ floor: String) -> String {
        danish
            ? "dækning under gulvet: \(ruleSet) \(kind) \(percent) < \(floor)"
            : "coverage below the floor: \(ruleSet) \(kind) \(percent) < \(floor)"
    }

    // MARK: Problems with test files

    /// A problem with a test file in words.
    public func problem(_ kind: RuleTestProblem.Kind) -> String {
        switch kind {
        case .unreadable(let message): return message
        case .notJSON(let message): return message
        case .noExpectedMember:
            return danish
                ? "firmafilen har intet \"_expected\"; skriv fx \"_expected\": {\"rsv_2014\": \"social_economy\"}"
                : "the firm file has no \"_expected\"; write e.g. \"_expected\": {\"rsv_2014\": \"social_economy\"}"
        case .expectedNotObject:
            return danish
                ? "\"_expected\" er et objekt med et regelsæt pr. nøgle, fx {\"rsv_2014\": \"social_economy\"}"
                : "\"_expected\" is an object with a rule set per key, e.g. {\"rsv_2014\": \"social_economy\"}"
        case .badExpectedValue(let key):
            return danish
                ? "\(key): et forventet udfald er tekst (\"social_economy\"), et kriterium true, false eller null"
                : "\(key): an expected outcome is text (\"social_economy\"), a criterion true, false or null"
        case .csvHeader(let message): return message
        case .csvRecord(let message): return message
        case .noExpectedColumns:
            return danish
                ? "filen har ingen kolonne med forventninger; giv fx en kolonne \"forventet:rsv_2014\" (eller \"expected:rsv_2014\")"
                : "the file has no column of expectations; add e.g. a column \"expected:rsv_2014\" (or \"forventet:rsv_2014\")"
        case .unknownRuleSet(let name, let suggestion, let loaded):
            let hint = suggestion.map { danish ? "; mente du '\($0)'?" : "; did you mean '\($0)'?" } ?? ""
            return danish
                ? "intet indlæst regelsæt hedder '\(DisplayText.value(name))'\(hint) (indlæst: \(loaded.joined(separator: ", ")))"
                : "no rule set loaded is called '\(DisplayText.value(name))'\(hint) (loaded: \(loaded.joined(separator: ", ")))"
        case .unknownOutcome(let name, let ruleSet, let suggestion, let outcomes):
            let hint = suggestion.map { danish ? "; mente du '\($0)'?" : "; did you mean '\($0)'?" } ?? ""
            let list = outcomes.joined(separator: ", ")
            return danish
                ? "\(ruleSet) har intet udfald '\(DisplayText.value(name))'\(hint) (dets udfald: \(list); eller uafgjort, ikke_i_kraft eller afvist)"
                : "\(ruleSet) has no outcome '\(DisplayText.value(name))'\(hint) (its outcomes: \(list); or undetermined, not_in_force or rejected)"
        case .unknownCriterion(let name, let ruleSet, let suggestion):
            let hint = suggestion.map { danish ? "; mente du '\($0)'?" : "; did you mean '\($0)'?" } ?? ""
            return danish
                ? "\(ruleSet) har intet kriterium '\(DisplayText.value(name))'\(hint)"
                : "\(ruleSet) has no criterion '\(DisplayText.value(name))'\(hint)"
        case .badTruth(let text):
            return danish
                ? "et forventet kriterium er ja, nej eller ukendt, ikke '\(DisplayText.value(text))'"
                : "an expected criterion is yes, no or unknown (ja, nej, ukendt), not '\(DisplayText.value(text))'"
        case .nothingExpected:
            return danish
                ? "virksomheden forventer intet; udfyld et forventet udfald, eller fjern den"
                : "the firm expects nothing; fill in an expected outcome, or remove it"
        case .noTestFiles(let folders):
            return danish
                ? "ingen testfiler (.csv, .json, .xlsx) i \(folders.joined(separator: ", ")); læg dem i en mappe tests/ ved siden af regelfilerne"
                : "no test files (.csv, .json, .xlsx) in \(folders.joined(separator: ", ")); put them in a folder tests/ beside the rule files"
        case .noFirms:
            return danish ? "filen har ingen virksomheder under overskriftsrækken" : "the file has no firms below its header row"
        case .emptyFile:
            return danish
                ? "filen er tom; en test-CSV begynder med en overskriftsrække" : "the file is empty; a test CSV starts with a header row"
        }
    }
}
