/// Where every comment and blank line of a rule file belongs, for the formatter.
///
/// Each comment is attached to exactly one token: a comment on the same line as the token before
/// it trails that token; any other comment leads the token after it (the end of the file counts
/// as a token). The formatter emits every token once and, with it, the comments attached to it, so
/// no comment can be lost or duplicated, whatever the layout does.
struct FormatTrivia {
    /// The comments before each token, by token index, in source order.
    var leading: [[Int]]
    /// The comment at the end of each token's line, if any.
    var trailing: [Int?]
    /// Whether an empty line stands before each token (or before its first leading comment, which
    /// then has the flag itself).
    var blankBeforeToken: [Bool]
    /// Whether an empty line stands before each comment.
    var blankBeforeComment: [Bool]

    init(tokens: [Token], comments: [Comment], bytes: [UInt8]) {
        leading = Array(repeating: [], count: tokens.count)
        trailing = Array(repeating: nil, count: tokens.count)
        blankBeforeToken = Array(repeating: false, count: tokens.count)
        blankBeforeComment = Array(repeating: false, count: comments.count)
        // Walk tokens and comments together in source order.
        var previousEnd: Int?
        var previousToken: Int?
        var commentIndex = 0
        for tokenIndex in tokens.indices {
            let token = tokens[tokenIndex]
            while commentIndex < comments.count, comments[commentIndex].range.lowerBound < token.range.lowerBound {
                let comment = comments[commentIndex]
                let breaks = previousEnd.map { FormatTrivia.lineBreaks(bytes, $0..<comment.range.lowerBound) } ?? 1
                if let previousToken, breaks == 0, trailing[previousToken] == nil {
                    trailing[previousToken] = commentIndex
                } else {
                    leading[tokenIndex].append(commentIndex)
                    blankBeforeComment[commentIndex] = previousEnd != nil && breaks >= 2
                }
                previousEnd = comment.range.upperBound
                commentIndex += 1
            }
            if let previousEnd {
                blankBeforeToken[tokenIndex] = FormatTrivia.lineBreaks(bytes, previousEnd..<token.range.lowerBound) >= 2
            }
            previousEnd = token.range.upperBound
            previousToken = tokenIndex
        }
    }

    /// The line breaks in a stretch of blanks: CR LF counts once, a lone CR counts.
    static func lineBreaks(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        var count = 0
        var index = range.lowerBound
        while index < min(range.upperBound, bytes.count) {
            if bytes[index] == 0x0A {
                count += 1
            } else if bytes[index] == 0x0D {
                count += 1
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            }
            index += 1
        }
        return count
    }
}
