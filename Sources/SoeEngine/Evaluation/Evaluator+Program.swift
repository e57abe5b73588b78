import SoeLanguage

// The evaluator's compiled program: the same formulas, as a linear list of operations over
// registers that hold plain bytes.
//
// `Evaluated` can hold text, so every copy of it goes through outlined code that checks for a
// string to retain, and walking the node tree recursively costs a call and a dispatch per node.
// Most formulas, for most firms, only ever see known numbers, yes/no values and choices. For
// those, the program computes each node once, children before parents, into a `Slot` (two 64-bit
// words and a kind, no reference inside), with `Exact`'s operations done on words
// (`WordArithmetic`): the same numerator and denominator `evaluate(_:)` computes in 128 bits.
// Leaves are not operations: a node that reads a constant, a parameter, a value or a criterion is
// compiled to the register that already holds it, and the firm's inputs are put in their registers
// in one pass before the first operation (`Program.load`), without an operation (and its dispatch)
// per input; a batch row bound by the straight store brings them already as registers
// (`BatchRow.registers`), which are copied. Operations come in the order of the outcomes, so the evaluator runs them only as far
// as the first outcome that decides.
//
// Wherever the answer would not be a plain known value (a missing input, a division by zero, an
// overflow, a number or result whose parts do not fit in 64 bits, text, a date, `is known` of
// something unknown, `if` with an unknown condition), the
// slot's kind is `.none` and the evaluator asks `evaluate(_:)`, which remains the one definition
// of what a formula means. Because conditions follow Kleene's logic, a node whose operands include
// a `.none` may still be settled (`no and ?` is `no`), exactly as `evaluate(_:)` would settle it
// whatever that operand turns out to be. So the program can only ever give the same known value,
// never a different one; `EvaluatorProgramTests` checks every result against an evaluator that
// runs `evaluate(_:)` alone, on generated firms.

/// One register of the program: a known number, yes/no or choice, or `.none` when the program
/// leaves the node to `evaluate(_:)`. A number is held as two 64-bit words, the numerator and the
/// positive denominator of the `Exact` that `evaluate(_:)` would compute, digit for digit (not
/// merely the same value): 24 bytes, where an `Exact` alone takes 32, and arithmetic on words. A
/// number whose parts do not fit in 64 bits is never held: its register is `.none`, and so is that
/// of any operation whose exact result would not fit, so `evaluate(_:)` computes those in 128 bits
/// as before.
struct Slot {
    enum Kind: UInt8 { case none, number, bool, choice }
    /// A number's numerator; the yes/no (0 or 1); the choice index.
    var numerator: Int64
    /// A number's denominator, above 0.
    var denominator: Int64
    var kind: Kind

    @inline(__always)
    init(numerator: Int64, denominator: Int64, kind: Kind) {
        self.numerator = numerator
        self.denominator = denominator
        self.kind = kind
    }

    static var unsettled: Slot { Slot(numerator: 0, denominator: 1, kind: .none) }

    /// The yes/no (0 or 1) or the choice index.
    var bits: Int { Int(truncatingIfNeeded: numerator) }

    /// The number of a `.number` slot, as the `Exact` it stands for.
    var number: Exact { Exact(raw: Int128(numerator), Int128(denominator)) }

    /// A number's register, `.none` when a part does not fit in 64 bits.
    @inline(__always)
    static func of(_ number: Exact) -> Slot {
        let n = Int64(truncatingIfNeeded: number.numerator)
        let d = Int64(truncatingIfNeeded: number.denominator)
        guard Int128(n) == number.numerator, Int128(d) == number.denominator else { return .unsettled }
        return Slot(numerator: n, denominator: d, kind: .number)
    }

    @inline(__always)
    static func of(_ flag: Bool) -> Slot { Slot(numerator: flag ? 1 : 0, denominator: 1, kind: .bool) }

    /// The register form of a known scalar; `.none` for a missing value, text, dates and numbers
    /// that do not fit in words.
    @inline(__always)
    init(_ scalar: Scalar?) {
        switch scalar {
        case .number(let value)?: self = .of(value)
        case .bool(let value)?: self = .of(value)
        case .choice(let value)?: self.init(numerator: Int64(value), denominator: 1, kind: .choice)
        case .date?, .text?, nil: self = .unsettled
        }
    }

    /// The scalar of a settled slot (never called on `.none`).
    var scalar: Scalar {
        switch kind {
        case .number: .number(number)
        case .bool: .bool(numerator != 0)
        case .choice: .choice(bits)
        case .none: .bool(false)
        }
    }
}

/// `Exact`'s arithmetic on registers: each operation computes the numerator and denominator that
/// `Exact`'s own operation gives for operands whose parts fit in 64 bits (its 128-bit fast path,
/// where no product can overflow), and nil when a part of that result does not fit in 64 bits.
/// `Exact.settled` reduces only denominators above 10^27, which no 64-bit result has, so the
/// result is `Exact`'s own, not just an equal value.
enum WordArithmetic {
    /// The pair as a register's parts, nil when either does not fit in 64 bits.
    @inline(__always)
    static func narrow(_ n: Int128, _ d: Int128) -> (Int64, Int64)? {
        let n64 = Int64(truncatingIfNeeded: n)
        let d64 = Int64(truncatingIfNeeded: d)
        guard Int128(n64) == n, Int128(d64) == d else { return nil }
        return (n64, d64)
    }

    /// `Exact.adding` / `Exact.subtracting` (`Exact.sum`'s cases, in its order).
    @inline(__always)
    static func sum(_ a: Slot, _ b: Slot, subtract: Bool) -> (Int64, Int64)? {
        if a.denominator == b.denominator {
            let (s, o) =
                subtract
                ? a.numerator.subtractingReportingOverflow(b.numerator) : a.numerator.addingReportingOverflow(b.numerator)
            return o ? nil : (s, a.denominator)
        }
        @inline(__always) func combine(_ x: Int128, _ y: Int128) -> Int128 { subtract ? x &- y : x &+ y }
        let (an, ad) = (Int128(a.numerator), Int128(a.denominator))
        let (bn, bd) = (Int128(b.numerator), Int128(b.denominator))
        if bd == 1 { return narrow(combine(an, bn &* ad), ad) }
        if ad == 1 { return narrow(combine(an &* bd, bn), bd) }
        return narrow(combine(an &* bd, bn &* ad), ad &* bd)
    }

    /// `Exact.multiplying`.
    @inline(__always)
    static func product(_ a: Slot, _ b: Slot) -> (Int64, Int64)? {
        let n = Int128(a.numerator) &* Int128(b.numerator)
        if a.denominator == 1 && b.denominator == 1 { return narrow(n, 1) }
        return narrow(n, Int128(a.denominator) &* Int128(b.denominator))
    }

    /// `Exact.dividing`, for a divisor that is not zero.
    @inline(__always)
    static func quotient(_ a: Slot, _ b: Slot) -> (Int64, Int64)? {
        let n = Int128(a.numerator) &* Int128(b.denominator)
        let d = Int128(a.denominator) &* Int128(b.numerator)
        return d > 0 ? narrow(n, d) : narrow(0 &- n, 0 &- d)
    }

    /// `Exact.order`: -1, 0 or 1, by value; the cross products of 64-bit parts fit in 128 bits.
    @inline(__always)
    static func order(_ a: Slot, _ b: Slot) -> Int {
        if a.denominator == b.denominator { return a.numerator < b.numerator ? -1 : (a.numerator == b.numerator ? 0 : 1) }
        let l = Int128(a.numerator) &* Int128(b.denominator)
        let r = Int128(b.numerator) &* Int128(a.denominator)
        return l < r ? -1 : (l == r ? 0 : 1)
    }
}

/// A batch row's inputs as a program's registers (`BatchRow.registers`): at first an array of one
/// register per input (`base` 0, no program), written by the binder's straight store; after the
/// row's first decision, a whole register file of the evaluator's program, the inputs' registers
/// from `base` (`Program.inputBase`), which the row and the evaluator trade per row
/// (`Evaluator.programOutcome(taking:file:on:)`) instead of copying the inputs' registers.
struct RegisterFile {
    var slots: [Slot]
    /// Where the inputs' registers start in `slots`.
    var base = 0
    /// The program whose register file `slots` is, nil for the inputs' registers alone. Held, not
    /// only named, so that no other program can take its place at the same address.
    private(set) var program: Program?
    /// `program`'s identity, which the evaluator compares with its own per row: a plain word, where
    /// comparing the references retained and released the program (40 instructions a row).
    private(set) var identity: ObjectIdentifier?
    /// The day whose parameter values, and the static operations' results, `slots` holds.
    var day: Day?

    /// The inputs' registers alone.
    init(slots: [Slot]) {
        self.slots = slots
    }

    /// `program`'s register file, the inputs' registers from its `inputBase`.
    init(slots: [Slot], program: Program, day: Day?) {
        (self.slots, base, self.program, identity, self.day) = (slots, program.inputBase, program, ObjectIdentifier(program), day)
    }
}

/// The compiled form of one rule set: operations in an order where each comes after its operands.
final class Program: Sendable {
    enum Code: UInt8 {
        case not, negate, and, or, add, subtract, multiply, divide
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case member, isKnown, ifThenElse, minimum, maximum
        /// A comparison with the number zero (a constant), by the other operand's sign: `a` is that
        /// operand, `small` the comparison's orders as for the others, bit 3 set when zero is the
        /// left operand.
        case signCompare
        /// `if b = 0 then c else a / b`, the guarded share, in one operation instead of three (a
        /// comparison, a quotient and the `if`), made by `ProgramCompiler.guardedQuotient`. The
        /// comparison's and the quotient's nodes get no register; another formula that uses one of
        /// them gets its own operation for it.
        case quotientUnlessZero
        /// `a + b + c …`, three terms or more, added from the left as the `+` nodes would add them:
        /// the registers are listed in `operands`, from `a` for `b`, like `and`'s. Made by the
        /// compiler for a chain of `+` (`ProgramCompiler.sumTerms`), one dispatch for the chain.
        case sum
    }

    /// One operation, 20 bytes, so that the loop reads few words per step: `target`, `a`, `b`, `c`
    /// are registers, by byte offset (the register's index times `Slot`'s stride). An n-ary
    /// operation (`and`, `or`, `minimum`, `maximum`) lists its registers, by byte offset too, in
    /// `operands`, from `a` (the list's start) for `b` (its length). `small` is a comparison's set
    /// of orders (bit `order + 1`) that make it true, and the flag (0 or 1) of a member test or
    /// `is known`; a member test's set of choices is `b` (low 32 bits) and `c` (high 32 bits).
    struct Operation {
        var code: Code
        var small: UInt8
        var target: Int32
        var a: Int32
        var b: Int32
        var c: Int32

        /// A member test's set of choices.
        var choices: UInt64 { UInt64(UInt32(bitPattern: b)) | UInt64(UInt32(bitPattern: c)) << 32 }

        /// A set of choices as a member test's `b` and `c`.
        static func halves(_ choices: UInt64) -> (b: Int32, c: Int32) {
            (Int32(bitPattern: UInt32(truncatingIfNeeded: choices)), Int32(bitPattern: UInt32(truncatingIfNeeded: choices >> 32)))
        }
    }

    let operations: [Operation]
    let operands: [Int32]
    /// The operations whose operands are all constants, parameters or the results of other such
    /// operations (`placement_staff_limit / placement_ratio_small`): the same for every firm of a
    /// day, so they run once when the day's parameters are loaded (`runStatic`), not per firm,
    /// and their results are ready before any operation runs.
    let staticOperations: [Operation]
    /// Every register, with the constants loaded and everything else `.none`.
    let initialSlots: [Slot]
    let inputBase: Int
    let inputCount: Int
    let parameterBase: Int
    /// The register of each value's and criterion's result, of each definition in evaluation
    /// order, and of each outcome's condition (0 for the fallback).
    let valueSlots: [Int32]
    let criterionSlots: [Int32]
    let orderSlots: [Int32]
    let outcomeSlots: [Int32]
    /// How many operations must have run before each value's, criterion's or outcome's register
    /// holds the current firm's result (0 for those that read an input, constant or parameter).
    let valueReady: [Int]
    let criterionReady: [Int]
    let outcomeEnds: [Int]
    /// For each node of the rule set, the register holding its value and how many operations must
    /// have run before it does; -1 for a node no definition or condition reaches.
    let nodeRegisters: [Int32]
    let nodeReady: [Int]
    /// Whether the last outcome, and only it, is the fallback, as the checker guarantees; `decide`
    /// relies on it.
    let fallbackIsLast: Bool

    /// Whether every register's byte offset fits in the 32 bits an operation has for it; a rule set
    /// beyond that (hundreds of megabytes of formulas) is evaluated by `evaluate(_:)` alone.
    static func canAddress(_ ruleSet: RuleSet) -> Bool {
        let registers = ruleSet.nodes.count + ruleSet.constants.count + ruleSet.inputs.count + ruleSet.parameters.count
        return registers < Int(Int32.max) / MemoryLayout<Slot>.stride
    }

    /// `hoisting: false` keeps every operation in `operations`, in the order it was made (no
    /// static operations): the reference `StaticOperationTests` holds the program to, register
    /// for register.
    ///
    /// `fusing: false` makes no fused operation (`sum`, `quotientUnlessZero`): every node an
    /// outcome or definition reaches gets its own operation and register, so that a trace, which
    /// writes every node's value, reads each from its register instead of computing the nodes a
    /// fused operation passes over with `evaluate(_:)` (12 % more instructions for a batch with
    /// traces); the batch's decisions are the same either way.
    init(_ ruleSet: RuleSet, hoisting: Bool = true, fusing: Bool = true) {
        var compiler = ProgramCompiler(ruleSet, hoistStatic: hoisting, fuse: fusing)
        // Outcome conditions first, in priority order, so that the program can stop at the first
        // outcome that decides; then any definition no outcome uses, for completeness.
        var outcomeSlots: [Int32] = []
        var outcomeEnds: [Int] = []
        for outcome in ruleSet.outcomes {
            outcomeSlots.append(outcome.condition.map { compiler.register($0) } ?? 0)
            outcomeEnds.append(compiler.operations.count)
        }
        fallbackIsLast =
            ruleSet.outcomes.last.map { $0.condition == nil } == true
            && ruleSet.outcomes.dropLast().allSatisfy { $0.condition != nil }
        var orderSlots: [Int32] = []
        for definition in ruleSet.evaluationOrder {
            switch definition {
            case .value(let index): orderSlots.append(compiler.register(ruleSet.values[index].root))
            case .criterion(let index): orderSlots.append(compiler.register(ruleSet.criteria[index].root))
            }
        }
        valueSlots = ruleSet.values.map { compiler.register($0.root) }
        criterionSlots = ruleSet.criteria.map { compiler.register($0.root) }
        valueReady = ruleSet.values.map { compiler.ready[Int($0.root)] }
        criterionReady = ruleSet.criteria.map { compiler.ready[Int($0.root)] }
        (self.outcomeSlots, self.outcomeEnds, self.orderSlots) = (outcomeSlots, outcomeEnds, orderSlots)
        // Registers by byte offset (see `execute`); a list's start and length, and a member
        // test's choices, are not registers.
        let stride = Int32(MemoryLayout<Slot>.stride)
        func byOffset(_ operation: Operation) -> Operation {
            var operation = operation
            operation.target *= stride
            switch operation.code {
            case .and, .or, .minimum, .maximum, .sum: break
            case .member: operation.a *= stride
            case .not, .negate, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
                .isKnown, .ifThenElse, .signCompare, .quotientUnlessZero:
                (operation.a, operation.b, operation.c) = (operation.a * stride, operation.b * stride, operation.c * stride)
            }
            return operation
        }
        operations = compiler.operations.map(byOffset)
        staticOperations = compiler.staticOperations.map(byOffset)
        (nodeRegisters, nodeReady) = (compiler.registers, compiler.ready)
        operands = compiler.operands.map { $0 * stride }
        inputBase = compiler.inputBase
        inputCount = ruleSet.inputs.count
        parameterBase = compiler.parameterBase
        var slots = Array(repeating: Slot.unsettled, count: compiler.slotCount)
        for (index, constant) in ruleSet.constants.enumerated() { slots[compiler.constantBase + index] = Slot(constant) }
        initialSlots = slots
    }

    /// Puts the firm's inputs in their registers, each as `Slot.init(_:)` gives it: before any
    /// operation runs, in one pass that takes no dispatch per input.
    func load(inputs: [Scalar?], on slots: inout [Slot]) {
        slots.withUnsafeMutableBufferPointer { registers in
            guard let base = registers.baseAddress else { return }
            inputs.withUnsafeBufferPointer { inputs in Program.load(inputs, into: base + inputBase, count: inputCount) }
        }
    }

    /// The inputs' registers from the inputs, in place: a missing input (or one past `inputs`),
    /// text, a date or a number whose parts do not fit in words is `.none`.
    @inline(__always)
    static func load(_ inputs: UnsafeBufferPointer<Scalar?>, into registers: UnsafeMutablePointer<Slot>, count: Int) {
        let known = Swift.min(count, inputs.count)
        for index in 0..<known {
            let t = registers + index
            // Matched in place, without copying the scalar out (it may hold a string to retain).
            switch inputs[index] {
            case .number(let value)?: t.pointee = .of(value)
            case .bool(let flag)?:
                t.pointee.numerator = flag ? 1 : 0
                t.pointee.kind = .bool
            case .choice(let choice)?:
                t.pointee.numerator = Int64(choice)
                t.pointee.kind = .choice
            case .date?, .text?, nil: t.pointee.kind = .none
            }
        }
        for index in known..<Swift.max(known, count) { registers[index].kind = .none }
    }

    /// The inputs' registers copied from `registers` (one per input, as `load` makes them from
    /// `inputs`), or without them loaded from `inputs`. Out of line, so that `decide`, which calls
    /// it, stays small enough for `execute` to be inlined into it.
    @inline(never)
    static func load(
        _ inputs: UnsafeBufferPointer<Scalar?>, registers: UnsafePointer<Slot>?, into target: UnsafeMutablePointer<Slot>, count: Int
    ) {
        if let registers {
            target.update(from: registers, count: count)
        } else {
            load(inputs, into: target, count: count)
        }
    }

    /// Whether `registers` hold what `load` makes of `inputs`, register for register (a yes/no or
    /// choice by its word, a number by both parts): the batch's check, in debug builds, that a row's
    /// registers written by the binder (`BatchRow.registers`) still stand for its inputs, so that a
    /// later write to the inputs alone cannot leave the decision reading other values than a trace.
    static func registersMatch(_ inputs: [Scalar?], _ registers: UnsafePointer<Slot>) -> Bool {
        var loaded = [Slot](repeating: .unsettled, count: inputs.count)
        loaded.withUnsafeMutableBufferPointer { target in
            inputs.withUnsafeBufferPointer { inputs in
                if let base = target.baseAddress { load(inputs, into: base, count: inputs.count) }
            }
        }
        for (index, slot) in loaded.enumerated() {
            let other = registers[index]
            guard slot.kind == other.kind else { return false }
            switch slot.kind {
            case .none: continue
            case .bool, .choice: if slot.numerator != other.numerator { return false }
            case .number: if slot.numerator != other.numerator || slot.denominator != other.denominator { return false }
            }
        }
        return true
    }

    /// Runs the static operations, in order, once the day's parameters are in their registers.
    func runStatic(on slots: inout [Slot]) {
        guard !staticOperations.isEmpty else { return }
        slots.withUnsafeMutableBufferPointer { registers in
            guard let base = registers.baseAddress else { return }
            let r = UnsafeMutableRawPointer(base)
            staticOperations.withUnsafeBufferPointer { operations in
                operands.withUnsafeBufferPointer { operands in
                    for position in operations.indices { Program.execute(operations.baseAddress.unsafelyUnwrapped + position, r, operands) }
                }
            }
        }
    }

    /// Runs the operations in `range`, in order, for the firm whose inputs are loaded.
    func run(_ range: Range<Int>, on slots: inout [Slot]) {
        slots.withUnsafeMutableBufferPointer { registers in
            guard let base = registers.baseAddress else { return }
            let r = UnsafeMutableRawPointer(base)
            operations.withUnsafeBufferPointer { operations in
                operands.withUnsafeBufferPointer { operands in
                    precondition(range.lowerBound >= 0 && range.upperBound <= operations.count, "operations out of range")
                    for position in range { Program.execute(operations.baseAddress.unsafelyUnwrapped + position, r, operands) }
                }
            }
        }
    }

    /// The common case in one pass: loads the inputs, runs the operations outcome by outcome and
    /// returns the index of the first outcome whose condition is settled to yes (or the fallback),
    /// with every earlier condition settled to no. Nil as soon as a condition is unsettled:
    /// `Evaluator.classify` then goes on from where the program stopped. `executed` is how far the
    /// program ran (0 on entry). With `registers` (one per input, as `load` makes them from
    /// `inputs`: `BatchRow.registers`), the inputs' registers are copied from there.
    /// `inPlace`: the inputs' registers are in `slots` already (`Evaluator.programOutcome(taking:file:on:)`).
    /// Inlined where it is called, so that the slots are lent to `decide(inputs:registers:inPlace:base:executed:)`
    /// by a closure small enough to be inlined too: the pass lent from a closure of its own took a
    /// second call per row, and its saved registers (callgrind, the limit's 20,000 firms).
    @inline(__always)
    func decide(
        inputs: [Scalar?], registers inputRegisters: UnsafePointer<Slot>? = nil, inPlace: Bool = false, on slots: inout [Slot],
        executed: inout Int
    ) -> Int? {
        slots.withUnsafeMutableBufferPointer { registers -> Int? in
            guard let base = registers.baseAddress else { return nil }
            return decide(inputs: inputs, registers: inputRegisters, inPlace: inPlace, base: base, executed: &executed)
        }
    }

    /// `decide(inputs:registers:inPlace:on:executed:)` on the registers at `base`, all of the
    /// program's (`initialSlots.count`). Never inlined: inlined into `Evaluator.verdict`, it left
    /// `execute` a call per operation.
    @inline(never)
    func decide(
        inputs: [Scalar?], registers inputRegisters: UnsafePointer<Slot>?, inPlace: Bool, base: UnsafeMutablePointer<Slot>,
        executed: inout Int
    ) -> Int? {
        var position = executed
        defer { executed = position }
        do {
            let r = UnsafeMutableRawPointer(base)
            if !inPlace {
                inputs.withUnsafeBufferPointer { inputs in
                    Program.load(inputs, registers: inputRegisters, into: base + inputBase, count: inputCount)
                }
            }
            return operations.withUnsafeBufferPointer { operations -> Int? in
                operands.withUnsafeBufferPointer { operands -> Int? in
                    outcomeEnds.withUnsafeBufferPointer { ends -> Int? in
                        outcomeSlots.withUnsafeBufferPointer { conditions -> Int? in
                            // A local position: the captured one would be stored at every step.
                            var at = position
                            defer { position = at }
                            // Each operation is read where it lies, each case loading only the
                            // fields it uses (`execute`); there is one whenever `at < end`.
                            let first = operations.baseAddress
                            for outcome in 0..<ends.count {
                                let end = ends[outcome]
                                if at < end {
                                    // By pointer, not by index: no index times the stride per
                                    // operation (2 instructions a row fewer, 859 to 857).
                                    var operation = first.unsafelyUnwrapped + at
                                    let stop = first.unsafelyUnwrapped + end
                                    repeat {
                                        Program.execute(operation, r, operands)
                                        operation += 1
                                    } while operation < stop
                                    at = end
                                }
                                if outcome == ends.count - 1 { return outcome }
                                let condition = base[Int(conditions[outcome])]
                                switch condition.kind {
                                case .none: return nil
                                case .bool where condition.bits != 0: return outcome
                                case .bool, .number, .choice: continue
                                }
                            }
                            return nil
                        }
                    }
                }
            }
        }
    }

    /// `execute` of an operation given by value (the tests').
    static func execute(_ operation: Operation, _ registers: UnsafeMutableRawPointer, _ operands: UnsafeBufferPointer<Int32>) {
        withUnsafePointer(to: operation) { execute($0, registers, operands) }
    }

    /// One operation, as `Evaluator.evaluate(_:)` computes the node it came from, or `.none`;
    /// the result is written in place, and a yes/no result writes only the kind and the word.
    /// The operation is read where it lies, each case loading only the fields it uses: passed by
    /// value, all six were loaded before the dispatch. `Program.decide` took 12 instructions a row
    /// fewer so (871 to 859, callgrind, the limit's 20,000 firms, about 15 operations a row).
    @inline(__always)
    static func execute(
        _ operation: UnsafePointer<Operation>, _ registers: UnsafeMutableRawPointer, _ operands: UnsafeBufferPointer<Int32>
    ) {
        // Registers are named by their byte offset, so that reaching one takes no multiplication.
        @inline(__always) func at(_ offset: Int32) -> UnsafeMutablePointer<Slot> {
            (registers + Int(offset)).assumingMemoryBound(to: Slot.self)
        }
        let t = at(operation.pointee.target)
        @inline(__always) func unsettled() { t.pointee.kind = .none }
        @inline(__always) func bool(_ flag: Bool) {
            t.pointee.numerator = flag ? 1 : 0
            t.pointee.kind = .bool
        }
        @inline(__always) func number(_ value: (Int64, Int64)?) {
            guard let (n, d) = value else { return unsettled() }
            t.pointee.numerator = n
            t.pointee.denominator = d
            t.pointee.kind = .number
        }
        // Each arithmetic code is its own case, so that an operation takes one dispatch, not a
        // second one among the four inside a shared case (about 5 instructions an operation).
        @inline(__always) func numbers() -> (a: Slot, b: Slot)? {
            let a = at(operation.pointee.a)
            let b = at(operation.pointee.b)
            guard a.pointee.kind == .number, b.pointee.kind == .number else { return nil }
            return (a.pointee, b.pointee)
        }
        switch operation.pointee.code {
        case .add:
            guard let (a, b) = numbers() else { return unsettled() }
            number(WordArithmetic.sum(a, b, subtract: false))
        case .subtract:
            guard let (a, b) = numbers() else { return unsettled() }
            number(WordArithmetic.sum(a, b, subtract: true))
        case .multiply:
            guard let (a, b) = numbers() else { return unsettled() }
            number(WordArithmetic.product(a, b))
        case .divide:
            guard let (a, b) = numbers() else { return unsettled() }
            number(b.numerator == 0 ? nil : WordArithmetic.quotient(a, b))
        case .sum:
            // Term by term, each sum as `.add` makes it: unknown at the first term that is not a
            // number, or at a sum whose parts do not fit in words.
            let start = Int(operation.pointee.a)
            let first = at(operands[start])
            guard first.pointee.kind == .number else { return unsettled() }
            var total = (first.pointee.numerator, first.pointee.denominator)
            for offset in 1..<Int(operation.pointee.b) {
                let term = at(operands[start &+ offset])
                guard term.pointee.kind == .number,
                    let next = WordArithmetic.sum(
                        Slot(numerator: total.0, denominator: total.1, kind: .number), term.pointee, subtract: false)
                else { return unsettled() }
                total = next
            }
            number(total)
        case .quotientUnlessZero:
            // What the three operations it stands for give: the comparison `b = 0` is unknown when
            // `b` is, and then so is the `if`; true for a number zero, and the `if` takes `c` as it
            // stands; false otherwise, and the `if` takes the quotient, unknown unless both are
            // numbers (a yes/no or a choice `b` is not equal to zero, nor a divisor).
            let b = at(operation.pointee.b)
            switch b.pointee.kind {
            case .none, .bool, .choice: return unsettled()
            case .number:
                if b.pointee.numerator == 0 {
                    t.pointee = at(operation.pointee.c).pointee
                    return
                }
                let a = at(operation.pointee.a)
                guard a.pointee.kind == .number else { return unsettled() }
                number(WordArithmetic.quotient(a.pointee, b.pointee))
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let a = at(operation.pointee.a)
            let b = at(operation.pointee.b)
            let ak = a.pointee.kind
            let bk = b.pointee.kind
            guard ak != .none, bk != .none else { return unsettled() }
            let order: Int
            if ak == .number, bk == .number {
                order = WordArithmetic.order(a.pointee, b.pointee)
            } else {
                order = ak == bk && a.pointee.numerator == b.pointee.numerator ? 0 : 1
            }
            // The operation's `small` has bit `order + 1` set for each order that makes it true.
            bool(UInt32(operation.pointee.small) & (UInt32(1) << UInt32(truncatingIfNeeded: order &+ 1)) != 0)
        case .signCompare:
            // `WordArithmetic.order` with zero (0 × d against n × 1: the numerator's sign, the
            // denominator being positive), and a value of another kind unequal (order 1) to it.
            let a = at(operation.pointee.a)
            let kind = a.pointee.kind
            guard kind != .none else { return unsettled() }
            var order = 1
            if kind == .number {
                let n = a.pointee.numerator
                let sign = n < 0 ? -1 : (n == 0 ? 0 : 1)
                order = operation.pointee.small & 0b1000 == 0 ? sign : 0 &- sign
            }
            bool(UInt32(operation.pointee.small & 0b111) & (UInt32(1) << UInt32(truncatingIfNeeded: order &+ 1)) != 0)
        case .and, .or:
            let decisive: Int64 = operation.pointee.code == .or ? 1 : 0
            var open = false
            let start = Int(operation.pointee.a)
            for offset in 0..<Int(operation.pointee.b) {
                let value = at(operands[start + offset])
                switch value.pointee.kind {
                case .bool: if value.pointee.numerator == decisive { return bool(decisive == 1) }
                case .none: open = true
                case .number, .choice: continue
                }
            }
            if open { return unsettled() }
            bool(decisive == 0)
        case .not:
            let a = at(operation.pointee.a)
            guard a.pointee.kind == .bool else {
                t.pointee = a.pointee
                return
            }
            bool(a.pointee.numerator == 0)
        case .negate:
            let a = at(operation.pointee.a)
            guard a.pointee.kind == .number else {
                t.pointee = a.pointee
                return
            }
            let (negated, overflow) = Int64(0).subtractingReportingOverflow(a.pointee.numerator)
            number(overflow ? nil : (negated, a.pointee.denominator))
        case .member:
            let a = at(operation.pointee.a)
            let flag = operation.pointee.small != 0
            switch a.pointee.kind {
            case .none: unsettled()
            case .choice:
                let choice = a.pointee.bits
                let isIn = choice >= 0 && choice < 64 && operation.pointee.choices & (UInt64(1) << UInt64(choice)) != 0
                bool(isIn != flag)
            case .bool, .number: bool(flag)
            }
        case .isKnown:
            // Settled means known; whether an unsettled operand is known is for `evaluate(_:)` to say.
            guard at(operation.pointee.a).pointee.kind != .none else { return unsettled() }
            bool(operation.pointee.small == 0)
        case .ifThenElse:
            let a = at(operation.pointee.a)
            switch a.pointee.kind {
            case .none: unsettled()
            case .bool where a.pointee.numerator != 0: t.pointee = at(operation.pointee.b).pointee
            case .bool, .number, .choice: t.pointee = at(operation.pointee.c).pointee
            }
        case .minimum, .maximum:
            // `Exact.minimum` / `Exact.maximum`: the first of equal values, as it stands.
            var best: UnsafeMutablePointer<Slot>?
            let start = Int(operation.pointee.a)
            for offset in 0..<Int(operation.pointee.b) {
                let value = at(operands[start + offset])
                if value.pointee.kind == .none { return unsettled() }
                guard value.pointee.kind == .number else { continue }
                if let current = best {
                    let order = WordArithmetic.order(value.pointee, current.pointee)
                    if operation.pointee.code == .minimum ? order < 0 : order > 0 { best = value }
                } else {
                    best = value
                }
            }
            guard let best else { return unsettled() }
            number((best.pointee.numerator, best.pointee.denominator))
        }
    }
}

/// Turns the node array into operations, depth first, each node once.
struct ProgramCompiler {
    let ruleSet: RuleSet
    let constantBase: Int
    let inputBase: Int
    let parameterBase: Int
    let slotCount: Int
    var registers: [Int32]
    /// Per node: how many operations must have run before its register holds its value.
    var ready: [Int]
    var operations: [Program.Operation] = []
    var operands: [Int32] = []
    /// Whether operations that read only constants, parameters and other such operations go to
    /// `staticOperations` (ready from the start) rather than `operations`.
    let hoistStatic: Bool
    var staticOperations: [Program.Operation] = []
    /// Per node: whether its operation is static.
    var isStatic: [Bool]
    /// Whether chains of `+` and guarded shares become one operation each (`sumTerms`, `guardedQuotient`).
    let fuse: Bool

    init(_ ruleSet: RuleSet, hoistStatic: Bool = false, fuse: Bool = true) {
        self.ruleSet = ruleSet
        self.hoistStatic = hoistStatic
        self.fuse = fuse
        isStatic = Array(repeating: false, count: ruleSet.nodes.count)
        constantBase = ruleSet.nodes.count
        inputBase = constantBase + ruleSet.constants.count
        parameterBase = inputBase + ruleSet.inputs.count
        slotCount = parameterBase + ruleSet.parameters.count
        registers = Array(repeating: -1, count: ruleSet.nodes.count)
        ready = Array(repeating: 0, count: ruleSet.nodes.count)
    }

    /// The register that holds the node's value, emitting its operations (and its operands') first.
    mutating func register(_ index: Int32) -> Int32 {
        let position = Int(index)
        if registers[position] >= 0 { return registers[position] }
        let node = ruleSet.nodes[position]
        let result: Int32
        switch node.op {
        case .constant: result = Int32(constantBase) + node.a
        case .input:
            // Inputs are loaded before any operation runs (`Program.load`): ready from the start.
            result = Int32(inputBase) + node.a
        case .parameter: result = Int32(parameterBase) + node.a
        case .value:
            let root = ruleSet.values[Int(node.a)].root
            result = register(root)
            ready[position] = ready[Int(root)]
        case .criterion:
            let root = ruleSet.criteria[Int(node.a)].root
            result = register(root)
            ready[position] = ready[Int(root)]
        case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or,
            .member, .ifThenElse, .minimum, .maximum, .isKnown:
            var code: Program.Code
            switch node.op {
            case .not: code = .not
            case .negate: code = .negate
            case .and: code = .and
            case .or: code = .or
            case .add: code = .add
            case .subtract: code = .subtract
            case .multiply: code = .multiply
            case .divide: code = .divide
            case .equal: code = .equal
            case .notEqual: code = .notEqual
            case .less: code = .less
            case .lessEqual: code = .lessEqual
            case .greater: code = .greater
            case .greaterEqual: code = .greaterEqual
            case .member: code = .member
            case .isKnown: code = .isKnown
            case .ifThenElse: code = .ifThenElse
            case .minimum: code = .minimum
            case .maximum: code = .maximum
            // Leaves: handled by the outer cases above, listed so that a new operator must be placed.
            case .constant, .input, .parameter, .value, .criterion: return -1
            }
            if fuse, node.op == .add, case let terms = sumTerms(node), terms.count >= 3 {
                // The terms in the order the chain's own operations would have made them.
                var list: [Int32] = []
                for term in terms { list.append(register(term)) }
                let start = Int32(operands.count)
                operands += list
                emit(Program.Operation(code: .sum, small: 0, target: index, a: start, b: Int32(list.count), c: index), at: position)
                registers[position] = index
                return index
            }
            if fuse, node.op == .ifThenElse, let (divisor, dividend) = guardedQuotient(node) {
                // The divisor first, as the comparison would have made it, then the `then` branch,
                // then the dividend, as the quotient would have.
                let b = register(divisor)
                let c = register(node.b)
                let a = register(dividend)
                emit(Program.Operation(code: .quotientUnlessZero, small: 0, target: index, a: a, b: b, c: c), at: position)
                registers[position] = index
                return index
            }
            // Unused operands name the node's own register, so every read stays in bounds.
            var (a, b, c) = (index, index, index)
            var small: UInt8 = node.flag ? 1 : 0
            switch code {
            case .and, .or, .minimum, .maximum,
                // Made above from a chain of `+`, never from a node.
                .sum:
                let start = Int(node.listStart)
                var list: [Int32] = []
                for offset in 0..<Int(node.listCount) { list.append(register(ruleSet.lists[start + offset])) }
                (a, b) = (Int32(operands.count), Int32(list.count))
                operands += list
            case .member:
                a = register(node.a)
                (b, c) = Program.Operation.halves(node.mask)
            case .not, .negate, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
                .isKnown, .ifThenElse,
                // Made below from a comparison, or above from an `if`, never from a node.
                .signCompare, .quotientUnlessZero:
                if node.a >= 0 { a = register(node.a) }
                if node.b >= 0 { b = register(node.b) }
                if node.c >= 0 { c = register(node.c) }
            }
            // A comparison's orders: bit `order + 1` for each order (-1, 0, 1) that makes it true.
            switch code {
            case .equal: small = 0b010
            case .notEqual: small = 0b101
            case .less: small = 0b001
            case .lessEqual: small = 0b011
            case .greater: small = 0b100
            case .greaterEqual: small = 0b110
            case .not, .negate, .and, .or, .add, .subtract, .multiply, .divide, .member, .isKnown, .ifThenElse, .minimum, .maximum,
                .signCompare, .quotientUnlessZero, .sum:
                break
            }
            // A comparison with the number zero: by the other operand's sign.
            switch code {
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
                if isZero(b) {
                    code = .signCompare
                } else if isZero(a) {
                    (code, a, small) = (.signCompare, b, small | 0b1000)
                }
            case .not, .negate, .and, .or, .add, .subtract, .multiply, .divide, .member, .isKnown, .ifThenElse, .minimum, .maximum,
                .signCompare, .quotientUnlessZero, .sum:
                break
            }
            emit(Program.Operation(code: code, small: small, target: index, a: a, b: b, c: c), at: position)
            result = index
        }
        registers[position] = result
        return result
    }

    /// Appends the operation of the node at `position`, to `staticOperations` when it reads only
    /// static registers, and records when its register is ready.
    mutating func emit(_ operation: Program.Operation, at position: Int) {
        if hoistStatic && readsOnlyStatic(operation) {
            staticOperations.append(operation)
            isStatic[position] = true
            ready[position] = 0
        } else {
            operations.append(operation)
            ready[position] = operations.count
        }
    }

    /// For `if d = 0 then k else n / d` (or `0 = d`), the guarded share, the nodes of `d` and `n`:
    /// one operation (`quotientUnlessZero`) does the comparison, the quotient and the `if`. The
    /// comparison's and the quotient's own nodes then get no register (`nodeRegisters` -1), so
    /// that whoever asks for their value computes it by `evaluate(_:)`, as for any node no
    /// operation computes; one that another formula also uses gets its own operation there.
    /// The two `d` must be the same value by their nodes alone (one node, or the same input,
    /// value, parameter or constant), so that nothing is emitted before the fusion is sure.
    func guardedQuotient(_ node: ExpressionNode) -> (divisor: Int32, dividend: Int32)? {
        guard node.a >= 0, node.c >= 0 else { return nil }
        let (condition, otherwise) = (ruleSet.nodes[Int(node.a)], ruleSet.nodes[Int(node.c)])
        guard condition.op == .equal, otherwise.op == .divide, condition.a >= 0, condition.b >= 0, otherwise.a >= 0,
            otherwise.b >= 0
        else { return nil }
        let divisor: Int32
        if isZeroConstant(condition.b) {
            divisor = condition.a
        } else if isZeroConstant(condition.a) {
            divisor = condition.b
        } else {
            return nil
        }
        guard sameValue(divisor, otherwise.b) else { return nil }
        return (divisor, otherwise.a)
    }

    /// The terms of a chain of `+` (`a + b + c`, parsed `(a + b) + c`), leftmost first: the
    /// right operand of each `+` down the left side, then the first left operand that is not a `+`.
    /// The inner `+` nodes then get no register (as `guardedQuotient`'s comparison), so a `+`
    /// another formula also uses gets its own operation there.
    func sumTerms(_ node: ExpressionNode) -> [Int32] {
        // The chain's length first, so that the usual `+` of two terms makes no array.
        var count = 2
        var current = node
        while current.a >= 0, current.b >= 0, case let left = ruleSet.nodes[Int(current.a)], left.op == .add {
            count += 1
            current = left
        }
        guard count >= 3, current.a >= 0, current.b >= 0 else { return [] }
        // Filled from the right: the outermost `+`'s right operand is the last term.
        var terms = [Int32](repeating: current.a, count: count)
        current = node
        var place = count - 1
        while place > 0 {
            terms[place] = current.b
            if place > 1 { current = ruleSet.nodes[Int(current.a)] }
            place -= 1
        }
        return terms
    }

    /// Whether the node is a constant that holds the number zero.
    func isZeroConstant(_ node: Int32) -> Bool {
        let leaf = ruleSet.nodes[Int(node)]
        return leaf.op == .constant && isZero(Int32(constantBase) + leaf.a)
    }

    /// Whether two nodes have the same value by their nodes alone: the same node, or leaves that
    /// read the same input, value, criterion, parameter or constant.
    func sameValue(_ x: Int32, _ y: Int32) -> Bool {
        if x == y { return true }
        let (a, b) = (ruleSet.nodes[Int(x)], ruleSet.nodes[Int(y)])
        guard a.op == b.op, a.a == b.a else { return false }
        switch a.op {
        case .input, .value, .criterion, .parameter, .constant: return true
        case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and,
            .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return false
        }
    }

    /// Whether every register an operation (by register index, before byte offsets) reads is
    /// static; an unused operand names the operation's own register and is passed over. No array
    /// is made: a slice's or a closure's generic metadata cost a one-firm run 35,000 instructions.
    func readsOnlyStatic(_ operation: Program.Operation) -> Bool {
        switch operation.code {
        case .and, .or, .minimum, .maximum, .sum:
            let start = Int(operation.a)
            for offset in 0..<Int(operation.b) where !isStaticRegister(operands[start + offset]) { return false }
            return true
        case .member, .isKnown, .not, .negate, .signCompare:
            return isStaticRegister(operation.a)
        case .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .ifThenElse,
            .quotientUnlessZero:
            let target = operation.target
            return (operation.a == target || isStaticRegister(operation.a)) && (operation.b == target || isStaticRegister(operation.b))
                && (operation.c == target || isStaticRegister(operation.c))
        }
    }

    /// Whether a register holds the same value for every firm of a day: a constant's, a
    /// parameter's, or a static operation's.
    func isStaticRegister(_ register: Int32) -> Bool {
        let index = Int(register)
        if index < constantBase { return isStatic[index] }
        return index < inputBase || index >= parameterBase
    }

    /// Whether the register is a constant's that holds the number zero (of any denominator).
    func isZero(_ register: Int32) -> Bool {
        let constant = Int(register) - constantBase
        guard constant >= 0, constant < ruleSet.constants.count else { return false }
        let slot = Slot(ruleSet.constants[constant])
        return slot.kind == .number && slot.numerator == 0
    }

}
