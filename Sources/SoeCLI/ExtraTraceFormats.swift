import SoeEngine

/// Output formats for single firms beyond text and JSON (HTML dossier, decision record). Scaffolding.
enum ExtraTraceFormats {
    static let formats: [String] = []
    static func render(_ traces: [Trace], format: String, language: Language) -> String? { nil }
}
