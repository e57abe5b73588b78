import Dispatch
import SoeTestSupport
import Synchronization
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
        var hasher = SHA256()
        hasher.update(message)
        #expect(hexString(hasher.finalize()) == digest)
    }

    @Test func oneMillionAInUnevenChunks() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(message) == expected)
        // Chunk sizes straddle the 64-byte block in every way: tiny, just under, exactly, just over.
        let sizes = [1, 3, 63, 64, 65, 127, 200, 1000, 7]
        var hasher = SHA256()
        var index = 0
        var turn = 0
        while index < message.count {
            let end = min(message.count, index + sizes[turn % sizes.count])
            hasher.update(Array(message[index..<end]))
            index = end
            turn += 1
        }
        #expect(hexString(hasher.finalize()) == expected)
    }

    @Test func incrementalEqualsOneShotForRandomSplits() {
        var generator = SplitMix64(seed: 0x50E)
        for _ in 0..<200 {
            let length = Int.random(in: 0...600, using: &generator)
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var hasher = SHA256()
            var index = 0
            while index < length {
                let end = min(length, index + Int.random(in: 0...130, using: &generator))
                message[index..<end].withUnsafeBytes { hasher.update($0) }
                index = end
            }
            #expect(hasher.finalize() == SHA256.hash(message))
        }
    }

    @Test func paddingBoundaries() {
        // 55 bytes fit the length in one block, 56 need a second: both sides of that edge.
        let known = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
        ]
        for (count, digest) in known {
            #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: count)) == digest)
        }
    }

    @Test func finalizeResetsTheHasher() {
        var hasher = SHA256()
        hasher.update("abc")
        _ = hasher.finalize()
        #expect(hasher.finalize() == SHA256.hash([]))
        hasher.update("abc")
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test func hexStringFormatsBytes() {
        #expect(hexString([]) == "")
        #expect(hexString([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
        #expect(SHA256.hash([]).count == 32)
    }

    /// The rule files' and the rule set's hashes are computed at their first use (a batch without
    /// traces or records never shows them): the same values as hashing at load did, from any thread.
    @Test func ruleSetHashesAtFirstUse() throws {
        let result = try #require(
            {
                if case .success(let loaded) = RuleLoader.load(paths: [TestPaths.rules + "/haderslev_2021.rules"]) { return loaded }
                return nil
            }())
        let ruleSet = try #require(result.ruleSets.first { $0.name == "haderslev_2021" })
        #expect(ruleSet.files.count == 2, "haderslev_2021 builds on rsv_2014")
        var lines = ""
        for file in ruleSet.files {
            #expect(file.sha256 == SHA256.hex(file.source.bytes))
            lines += "\(SHA256.hex(file.source.bytes))  \(baseName(file.path))\n"
        }
        let expected = SHA256.hex(Array(lines.utf8))
        let seen = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let hash = ruleSet.sha256
            seen.withLock { $0.append(hash) }
        }
        #expect(seen.withLock { $0 } == Array(repeating: expected, count: 8))
        #expect(ruleSet.sha256 == expected)
    }
}
