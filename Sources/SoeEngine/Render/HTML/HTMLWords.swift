import SoeLanguage

/// The words the HTML dossier and overview need beyond `Words`, in Danish and English. Kept apart
/// so that the text renderer's vocabulary stays what it prints.
public struct HTMLWords: Sendable {
    public let decision, decisions, overview, firm, outcome, count, share, total, criterion, citation, result: String
    public let parameter, value, basis, source, period, input, dataSource, traceability, engine, file: String
    public let format, verifyWith, missingData, description, note, ruleSetHash: String
    public let inputHash, producedBy, firmsAndRuleSets, notInForceShort, rank: String
    public let firms, outcomes, fiscalYear, recordSeal: String

    public static let danish = HTMLWords(
        decision: "Afgørelse", decisions: "Afgørelser", overview: "Oversigt", firm: "Virksomhed", outcome: "Udfald",
        count: "Antal", share: "Andel", total: "I alt", criterion: "Kriterium", citation: "Hjemmel", result: "Resultat",
        parameter: "Parameter", value: "Værdi", basis: "Grundlag", source: "Kilde", period: "Gælder",
        input: "Oplysning", dataSource: "Sted i data", traceability: "Sporbarhed og kontrol", engine: "Motor",
        file: "Fil", format: "Format", verifyWith: "Afgørelsen kan efterprøves med",
        missingData: "Manglende oplysninger", description: "Beskrivelse", note: "Bemærkning", ruleSetHash: "Regelsættets sha256",
        inputHash: "Dataenes sha256",
        producedBy: "Udskrevet af", firmsAndRuleSets: "virksomheder og regelsæt",
        notInForceShort: "Regelsættet gælder ikke", rank: "Nr.",
        firms: "Virksomheder", outcomes: "Udfald", fiscalYear: "Regnskabsår",
        recordSeal: "Afgørelsespostens segl (record_sha256)")

    public static let english = HTMLWords(
        decision: "Decision", decisions: "Decisions", overview: "Overview", firm: "Firm", outcome: "Outcome",
        count: "Count", share: "Share", total: "Total", criterion: "Criterion", citation: "Legal basis", result: "Result",
        parameter: "Parameter", value: "Value", basis: "Basis", source: "Source", period: "In force",
        input: "Input", dataSource: "Place in the data", traceability: "Traceability and verification", engine: "Engine",
        file: "File", format: "Format", verifyWith: "The decision can be verified with",
        missingData: "Missing data", description: "Description", note: "Note", ruleSetHash: "Rule set sha256", inputHash: "Data sha256",
        producedBy: "Produced by", firmsAndRuleSets: "firms and rule sets",
        notInForceShort: "Rule set not in force", rank: "No.",
        firms: "Firms", outcomes: "Outcomes", fiscalYear: "Fiscal year",
        recordSeal: "Seal of the decision record (record_sha256)")

    public static func of(_ language: Language) -> HTMLWords { language == .danish ? danish : english }
}
