import Foundation
import Testing

@testable import SoeEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `bytes` to a new temporary file, opens it for reading and hands `body` its descriptor;
/// closes and removes the file after. For the tests that read a batch from a file as the command
/// line does, by descriptor or by offset.
func withFileDescriptor<T>(_ bytes: [UInt8], _ body: (Int32) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-file-\(UUID().uuidString).csv").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fd = open(path, O_RDONLY)
    try #require(fd >= 0)
    defer { close(fd) }
    return try body(fd)
}

/// Writes `bytes` to a new temporary file, opens it for reading and hands `body` the file as a
/// chunked batch reads it, by offset (`PositionalFile`); closes and removes the file after. For the
/// tests of the chunks' plan and readers, which each made, opened and removed one by hand.
func withPositionalFile<T>(_ bytes: [UInt8], _ body: (PositionalFile) throws -> T) throws -> T {
    try withFileDescriptor(bytes) { fd in try body(try #require(PositionalFile(fd: fd, origin: 0))) }
}
