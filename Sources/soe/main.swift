import SoeCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// The thin executable: arguments in, exit code out. Everything else is in SoeCLI and SoeEngine.
// Foundation is not linked: loading it (and ICU with it) took longer than evaluating a firm, so
// the environment is read from `environ`: each `NAME=value` split at its first `=`
// (`EnvironmentEntry.split`), and of a name given twice the first kept, the one `getenv` finds.
var environment: [String: String] = [:]
var entry = environ
while let pointer = entry.pointee {
    if let (name, value) = EnvironmentEntry.split(pointer), environment[name] == nil {
        environment[name] = value
    }
    entry += 1
}
let code = SoeCommand.main(Array(CommandLine.arguments.dropFirst()), environment: environment)
exit(code.rawValue)
