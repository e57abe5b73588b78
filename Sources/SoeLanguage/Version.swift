/// The engine's version, written into every trace and decision record so an auditor can tell
/// which engine made a decision.
public enum SoeVersion {
    public static let current = "0.1.0"
}
