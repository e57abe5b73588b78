/// A unified-style diff of two texts by lines, for `soe fmt --diff`: hunks with three lines of
/// context, `-` for a line removed, `+` for a line added, as `diff -u` and `git diff` print them.
enum LineDiff {
    /// The largest number of line pairs compared one by one; above it, the whole file is one hunk.
    static let maxCells = 4_000_000

    enum Edit: Equatable {
        case same(Int, Int)
        case removed(Int)
        case added(Int)
    }

    /// The diff of `old` into `new`, with headers naming `oldName` and `newName`; empty when equal.
    static func unified(_ old: String, _ new: String, oldName: String, newName: String) -> String {
        let a = lines(old)
        let b = lines(new)
        if a == b { return "" }
        let edits = script(a, b)
        var out = "--- \(oldName)\n+++ \(newName)\n"
        let context = 3
        let changes = edits.indices.filter { if case .same = edits[$0] { false } else { true } }
        var groups: [(Int, Int)] = []
        for change in changes {
            if let last = groups.last, change - last.1 <= 2 * context {
                groups[groups.count - 1].1 = change
            } else {
                groups.append((change, change))
            }
        }
        for (first, last) in groups {
            let hunk = Array(edits[max(0, first - context)..<min(edits.count, last + context + 1)])
            var oldStart: Int?
            var newStart: Int?
            var oldCount = 0
            var newCount = 0
            var body = ""
            for edit in hunk {
                switch edit {
                case .same(let i, let j):
                    (oldStart, newStart) = (oldStart ?? i, newStart ?? j)
                    (oldCount, newCount) = (oldCount + 1, newCount + 1)
                    body += " " + a[i] + "\n"
                case .removed(let i):
                    oldStart = oldStart ?? i
                    oldCount += 1
                    body += "-" + a[i] + "\n"
                case .added(let j):
                    newStart = newStart ?? j
                    newCount += 1
                    body += "+" + b[j] + "\n"
                }
            }
            out += "@@ -\((oldStart ?? -1) + 1),\(oldCount) +\((newStart ?? -1) + 1),\(newCount) @@\n" + body
        }
        return out
    }

    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" { result.removeLast() }
        return result
    }

    /// The shortest edit script by the longest common subsequence (quadratic; rule files are small).
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        guard a.count * b.count <= maxCells else {
            return a.indices.map { .removed($0) } + b.indices.map { .added($0) }
        }
        let n = a.count
        let m = b.count
        var table = [Int](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i * (m + 1) + j] =
                    a[i] == b[j] ? table[(i + 1) * (m + 1) + j + 1] + 1 : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                edits.append(.same(i, j))
                i += 1
                j += 1
            } else if i < n, j == m || table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1] {
                edits.append(.removed(i))
                i += 1
            } else {
                edits.append(.added(j))
                j += 1
            }
        }
        return edits
    }
}
