import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--output` to a device or a pipe writes into it: the atomic rename that keeps a file whole must
/// never replace `/dev/null` or a FIFO with a plain file. The tests use FIFOs in a temporary
/// folder, so that a regression cannot damage the machine's own devices.
@Suite("output to a device or a pipe: written through, never replaced")
struct SpecialOutputTests {
    /// A temporary folder with a FIFO in it, and a thread that reads the FIFO to the end.
    final class FIFOReader: @unchecked Sendable {
        let folder: String
        let path: String
        private let done = DispatchSemaphore(value: 0)
        private var bytes: [UInt8] = []

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-fifo-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            path = folder + "/results"
            guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
            let path = self.path
            Thread.detachNewThread { [self] in
                if let handle = FileHandle(forReadingAtPath: path) {
                    bytes = [UInt8](handle.readDataToEndOfFile())
                    try? handle.close()
                }
                done.signal()
            }
        }

        /// What was written, once the writer has closed the FIFO; "<nothing came>" after 30 s (when
        /// the FIFO was replaced, its reader waits forever and the test fails instead of hanging).
        func text() -> String {
            guard done.wait(timeout: .now() + 30) == .success else { return "<nothing came>" }
            return String(decoding: bytes, as: UTF8.self)
        }

        var isStillFIFO: Bool {
            (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) != .typeRegular
                && OutputTarget.of(path) == .stream(path)
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    @Test("how a path is written: devices and FIFOs through, own descriptors by a duplicate, files atomically")
    func targets() throws {
        let reader = try FIFOReader()
        #expect(OutputTarget.of("/dev/null") == .stream("/dev/null"))
        #expect(OutputTarget.of(reader.path) == .stream(reader.path))
        #expect(OutputTarget.of("/dev/stdout") == .descriptor(1))
        #expect(OutputTarget.of("/dev/stderr") == .descriptor(2))
        #expect(OutputTarget.of("/dev/fd/7") == .descriptor(7) && OutputTarget.of("/proc/self/fd/9") == .descriptor(9))
        #expect(OutputTarget.of("/dev/no-such-device") == .refused("it is not a regular file"))
        // A file in the shared-memory file system is a file, written atomically like any other;
        // the folder itself is not.
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isFolder), isFolder.boolValue,
            OutputTarget.resolvingLinks("/dev/shm") == "/dev/shm"
        {
            #expect(OutputTarget.of("/dev/shm/soe-result.csv") == .file("/dev/shm/soe-result.csv"))
            #expect(OutputTarget.of("/dev/shm/") == .refused("it is a folder; name a file in it"))
        }
        if let disk = (try? FileManager.default.contentsOfDirectory(atPath: "/dev"))?.map({ "/dev/" + $0 }).first(where: {
            var info = stat()
            return stat($0, &info) == 0 && info.st_mode & S_IFMT == S_IFBLK
        }) {
            #expect(OutputTarget.of(disk) == .refused("it is a block device"))
        }
        let folder = reader.folder
        let real = OutputTarget.resolvingLinks(folder)
        // A folder is refused before any row is read, not by the rename at the end of the batch.
        #expect(OutputTarget.of(folder) == .refused("it is a folder; name a file in it"))
        #expect(OutputTarget.of(folder + "/") == .refused("it is a folder; name a file in it"))
        try "x".write(toFile: folder + "/plain.csv", atomically: true, encoding: .utf8)
        #expect(OutputTarget.of(folder + "/plain.csv") == .file(real + "/plain.csv"))
        #expect(OutputTarget.of(folder + "/new.csv") == .file(folder + "/new.csv"))
        // A link to a file not yet written names that file, so the link is kept.
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.csv", withDestinationPath: "later.csv")
        #expect(OutputTarget.of(folder + "/dangling.csv") == .file(folder + "/later.csv"))
        // Unblock the reader thread.
        _ = FileSystem.writeAtomically([], to: reader.path)
        #expect(reader.text().isEmpty)
    }

    @Test("a path naming one of the process's descriptors is written through it, at its position")
    func descriptor() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        #expect((try? FileSystem.writeAtomically(Array("first\n".utf8), to: "/dev/fd/\(ends[1])").get()) != nil)
        let sink = try AtomicFileSink.create("/proc/self/fd/\(ends[1])").get()
        #expect(!sink.isAtomic)
        #expect(sink.write(Array("second\n".utf8)) == nil && sink.commit() == nil)
        close(ends[1])
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(ends[0], &buffer, 64)
        #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "first\nsecond\n")
    }

    @Test("a batch sink on a FIFO writes through it and leaves it a FIFO, with no temporary file")
    func batchSink() throws {
        let reader = try FIFOReader()
        let sink = try AtomicFileSink.create(reader.path).get()
        #expect(sink.temporaryPath == nil && !sink.isAtomic)
        #expect(sink.write(Array("one\ntwo\n".utf8)) == nil)
        #expect(sink.commit() == nil)
        #expect(reader.text() == "one\ntwo\n")
        #expect(reader.isStillFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: reader.folder) == ["results"])
    }

    @Test("a single firm's --output on a FIFO is written through it")
    func writeAtomically() throws {
        let reader = try FIFOReader()
        #expect((try? FileSystem.writeAtomically(Array("{}\n".utf8), to: reader.path).get()) != nil)
        #expect(reader.text() == "{}\n")
        #expect(reader.isStillFIFO)
    }

    @Test("soe evaluate FILE.csv --output FIFO: the results come through the pipe, exit 4 for the rejected row")
    func command() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reader = try FIFOReader()
        let result = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--output", reader.path])
        let expected = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv"])
        #expect(result.exitCode == 4)
        #expect(reader.text() == expected.stdout)
        #expect(reader.isStillFIFO)
    }

    @Test("--output through a symbolic link replaces the file it points to and leaves the link")
    func symbolicLink() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "old\n".write(toFile: folder + "/real.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: "real.csv")
        let result = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--output", folder + "/link.csv"])
        let expected = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv"])
        #expect(result.exitCode == 4)
        #expect(try String(contentsOfFile: folder + "/real.csv", encoding: .utf8) == expected.stdout)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.csv") == "real.csv")
    }
}
