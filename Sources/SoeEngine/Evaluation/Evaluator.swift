import SoeLanguage

/// Evaluates a checked rule set for one firm at a time.
///
/// An evaluator is reused across firms: its arrays are overwritten, not reallocated, so a batch
/// does no allocation per firm on the determined path. The compiled program
/// (`Evaluator+Program.swift`) computes the outcome conditions in priority order, each with the
/// values and criteria it uses, over plain registers, and stops at the first outcome that decides.
/// Whatever it leaves without a plain known value, `evaluate(_:)` decides: it stays the one
/// definition of what a formula means. A value or criterion that the decision did not need is
/// computed by `evaluate(_:)` when it is asked for (`valueResult(_:)`, a trace); Kleene's logic
/// makes the decision independent of what was computed first. All arithmetic is exact (`Exact`);
/// see `Evaluated` for how missing data and undefined results flow.
public struct Evaluator {
    public let ruleSet: RuleSet
    let nodes: [ExpressionNode]
    let lists: [Int32]
    let constants: [Scalar]
    /// `RuleSet.evaluationOrder` as plain numbers: the root node of each value or criterion, and
    /// where its result goes (a value index, or `-1 - index` for a criterion). Reading the
    /// definitions themselves would copy their names and texts, with reference counting, per firm.
    let orderRoots: [Int32]
    let orderTargets: [Int32]
    /// The root node of each value and criterion, by index.
    let valueRoots: [Int32]
    let criterionRoots: [Int32]
    /// The condition of each outcome by priority, -1 for the fallback; same reason.
    let outcomeConditions: [Int32]
    /// The compiled form of the rule set; nil when the evaluator runs `evaluate(_:)` alone (the
    /// reference that tests compare the program with, or a rule set too large for the program).
    let program: Program?
    /// The same program, for the per-firm path to borrow without reference counting.
    let unretainedProgram: Unmanaged<Program>?
    /// The program's identity, to know a row's register file of it (`RegisterFile.identity`).
    let programIdentity: ObjectIdentifier?
    /// The rule set's period, copied out so that the per-firm check reads no class.
    let inForceFrom: Day?
    let inForceUntil: Day?
    /// What the formulas read, for the analysis (counterfactuals): worked out once per rule set.
    let analysisPlan: AnalysisPlan
    /// The program's registers: constants and parameters loaded once, inputs per firm, and one per
    /// formula node (see `Slot`).
    var slots: [Slot]
    /// How many of the program's operations have run for the current firm; -1 when none.
    var executed = -1
    /// Counts the firms; a result in `slowValues` / `slowCriteria` belongs to the current firm
    /// when its stamp equals `stamp`.
    var stamp: UInt32 = 0
    var valueStamps: [UInt32]
    var criterionStamps: [UInt32]
    /// Results computed by `evaluate(_:)` (or placeholders when not in force).
    var slowValues: [Evaluated]
    var slowCriteria: [Evaluated]
    /// The inputs of the current firm, by input index; nil = missing.
    public private(set) var inputs: [Scalar?]
    public private(set) var parameterResults: [Evaluated]
    /// The dated value chosen for each parameter (nil when none is in force).
    public private(set) var parameterChoices: [DatedValue?]
    /// The day whose parameter values are loaded, so a batch of one fiscal year resolves them once.
    private var parameterDay: Day?
    /// The day whose parameter values, and the static operations' results, `slots` holds: apart
    /// from `parameterDay` because a batch row trades its register file for `slots`
    /// (`programOutcome(taking:file:on:)`), and a file that held another day's is loaded again.
    private var slotsDay: Day?
    public private(set) var day: Day?

    /// An evaluator for the rule set, with its compiled program.
    public init(ruleSet: RuleSet) {
        self.init(ruleSet: ruleSet, compiled: true)
    }

    /// `compiled: false` evaluates every definition and condition with `evaluate(_:)` alone: the
    /// reference the program is tested against. `fusing: false` compiles every node to its own
    /// operation (`Program.init(_:hoisting:fusing:)`), for a caller that reads every node's value
    /// of every firm (a batch with traces or records, a record's verification, a rule test).
    init(ruleSet: RuleSet, compiled: Bool, hoisting: Bool = true, fusing: Bool = true) {
        self.ruleSet = ruleSet
        nodes = ruleSet.nodes
        lists = ruleSet.lists
        constants = ruleSet.constants
        var roots: [Int32] = []
        var targets: [Int32] = []
        for definition in ruleSet.evaluationOrder {
            switch definition {
            case .value(let index):
                roots.append(ruleSet.values[index].root)
                targets.append(Int32(index))
            case .criterion(let index):
                roots.append(ruleSet.criteria[index].root)
                targets.append(-1 - Int32(index))
            }
        }
        (orderRoots, orderTargets) = (roots, targets)
        valueRoots = ruleSet.values.map(\.root)
        criterionRoots = ruleSet.criteria.map(\.root)
        outcomeConditions = ruleSet.outcomes.map { $0.condition ?? -1 }
        let program = compiled && Program.canAddress(ruleSet) ? Program(ruleSet, hoisting: hoisting, fusing: fusing) : nil
        self.program = program
        unretainedProgram = program.map { Unmanaged.passUnretained($0) }
        programIdentity = program.map { ObjectIdentifier($0) }
        (inForceFrom, inForceUntil) = (ruleSet.inForceFrom, ruleSet.inForceUntil)
        analysisPlan = AnalysisPlan(ruleSet)
        slots = program?.initialSlots ?? []
        let placeholder = Evaluated.unknown(Unknown())
        valueStamps = Array(repeating: 0, count: ruleSet.values.count)
        criterionStamps = Array(repeating: 0, count: ruleSet.criteria.count)
        slowValues = Array(repeating: placeholder, count: ruleSet.values.count)
        slowCriteria = Array(repeating: placeholder, count: ruleSet.criteria.count)
        inputs = Array(repeating: nil, count: ruleSet.inputs.count)
        parameterResults = Array(repeating: placeholder, count: ruleSet.parameters.count)
        parameterChoices = Array(repeating: nil, count: ruleSet.parameters.count)
    }

    /// The result of each value, by value index.
    public var valueResults: [Evaluated] { valueRoots.indices.map(valueResult) }
    /// The result of each criterion, by criterion index.
    public var criterionResults: [Evaluated] { criterionRoots.indices.map(criterionResult) }

    /// The result of one value for the current firm: from the program's register when it computed
    /// it, else stored by `evaluate(_:)`, else computed now by `evaluate(_:)`.
    public func valueResult(_ index: Int) -> Evaluated {
        if let program {
            if program.valueReady[index] <= executed {
                let slot = slots[Int(program.valueSlots[index])]
                if slot.kind != .none { return .known(slot.scalar) }
            }
            if valueStamps[index] != stamp { return evaluate(valueRoots[index]) }
        }
        return slowValues[index]
    }

    /// The result of one criterion for the current firm; see `valueResult(_:)`.
    public func criterionResult(_ index: Int) -> Evaluated {
        if let program {
            if program.criterionReady[index] <= executed {
                let slot = slots[Int(program.criterionSlots[index])]
                if slot.kind != .none { return .known(slot.scalar) }
            }
            if criterionStamps[index] != stamp { return evaluate(criterionRoots[index]) }
        }
        return slowCriteria[index]
    }

    /// Whether a criterion is known to be true for the current firm: `criterionResult(_:)` as a
    /// yes/no, read from the program's register when it holds it, without making an `Evaluated`.
    func criterionIsTrue(_ index: Int) -> Bool {
        let settled: Bool? = unretainedProgram?._withUnsafeGuaranteedRef { program in
            guard program.criterionReady[index] <= executed else { return nil }
            let slot = slots[Int(program.criterionSlots[index])]
            return slot.kind == .bool ? slot.bits != 0 : nil
        }
        return settled ?? (criterionResult(index).bool ?? false)
    }

    /// The yes/no value of a formula node for the current firm, nil when it is not a known yes/no:
    /// `evaluate(node).bool`, read from the program's register when the program has computed it.
    func knownBool(_ node: Int32) -> Bool? {
        let settled: Bool? = unretainedProgram?._withUnsafeGuaranteedRef { program in
            let register = program.nodeRegisters[Int(node)]
            guard register >= 0, program.nodeReady[Int(node)] <= executed else { return nil }
            let slot = slots[Int(register)]
            return slot.kind == .bool ? slot.bits != 0 : nil
        }
        return settled ?? evaluate(node).bool
    }

    /// Classifies one firm whose inputs are given by input index, for a fiscal year ending on `day`.
    public mutating func evaluate(inputs firmInputs: [Scalar?], on day: Day) -> Decision {
        if firmInputs.count == inputs.count {
            // One reference, no per-element copies: the trace reads them, the program has its own.
            inputs = firmInputs
        } else {
            for index in inputs.indices { inputs[index] = index < firmInputs.count ? firmInputs[index] : nil }
        }
        return decide(on: day)
    }

    /// Classifies one firm whose inputs are handed over: the evaluator keeps `firmInputs` and gives
    /// back its previous inputs array in exchange, to be overwritten with the next firm's. A batch
    /// that binds each row into the same array would otherwise share it with the evaluator, and
    /// its next write would copy the whole array (copy on write), per row and rule set.
    public mutating func evaluate(taking firmInputs: inout [Scalar?], on day: Day) -> Decision {
        if firmInputs.count == inputs.count {
            swap(&inputs, &firmInputs)
            return decide(on: day)
        }
        return evaluate(inputs: firmInputs, on: day)
    }

    /// What `evaluate(taking:on:)` finds, as a batch takes it: the index of the outcome when the
    /// compiled program decides it, else -1, and then `undecided(on:)` gives the whole decision.
    /// The common case is a plain integer: no `Decision` (which holds its lists' box, released when
    /// it is dropped, even when there is none), nor an enum of one, copied through the stack on its
    /// way out (the batch's `Verdict` was 80 bytes, written and copied again per row). Inlined into
    /// the batch's loop, which then calls the program itself. `registers`, when given, holds the
    /// inputs' registers as `Program.load` makes them from `firmInputs`, one per input
    /// (`BatchRow.registers`): the program copies them instead of loading the inputs.
    @inline(__always)
    mutating func programOutcome(taking firmInputs: inout [Scalar?], registers: UnsafePointer<Slot>?, on day: Day) -> Int {
        guard firmInputs.count == inputs.count else {
            // `evaluate(inputs:on:)`'s copy; the registers are not those of `inputs` then.
            for index in inputs.indices { inputs[index] = index < firmInputs.count ? firmInputs[index] : nil }
            return programOutcome(on: day, registers: nil)
        }
        swap(&inputs, &firmInputs)
        return programOutcome(on: day, registers: registers)
    }

    /// `programOutcome(taking:registers:on:)` for a row whose inputs' registers are in a register
    /// file of this program (`RegisterFile`, `BatchRow.registers`): the evaluator takes the file as
    /// its registers and hands back its own, as it does with the inputs' array, so that the inputs'
    /// registers are not copied (16 registers of 24 bytes a row for the limit's rule set). A file of
    /// no program or another one (a row's first) is copied from as before, and the row is given
    /// the evaluator's registers as its file, which the program's next write to them separates
    /// (copy on write, once per file).
    @inline(__always)
    mutating func programOutcome(taking firmInputs: inout [Scalar?], file: inout RegisterFile, on day: Day) -> Int {
        if file.identity == programIdentity, programIdentity != nil, firmInputs.count == inputs.count, file.slots.count == slots.count {
            swap(&inputs, &firmInputs)
            swap(&slots, &file.slots)
            swap(&slotsDay, &file.day)
            return programOutcome(on: day, registers: nil, inPlace: true)
        }
        return copiedOutcome(taking: &firmInputs, file: &file, on: day)
    }

    /// `programOutcome(taking:file:on:)` for a file that is not this program's.
    @inline(never)
    private mutating func copiedOutcome(taking firmInputs: inout [Scalar?], file: inout RegisterFile, on day: Day) -> Int {
        let outcome = file.slots.withUnsafeBufferPointer { registers in
            programOutcome(
                taking: &firmInputs, registers: registers.baseAddress.map { $0 + file.base }, on: day)
        }
        if let program {
            file = RegisterFile(slots: slots, program: program, day: slotsDay)
        }
        return outcome
    }

    /// Classifies the firm whose inputs are loaded.
    private mutating func decide(on day: Day) -> Decision {
        let outcome = programOutcome(on: day, registers: nil)
        return decision(after: outcome, on: day)
    }

    /// The decision of `programOutcome`'s result for the same `day`: the outcome it decided, or
    /// (-1) the whole decision `undecided(on:)` makes from where the program stopped.
    @inline(__always)
    mutating func decision(after outcome: Int, on day: Day) -> Decision {
        outcome >= 0 ? Decision(outcome: outcome) : undecided(on: day)
    }

    /// The first half of `decide(on:)`: the outcome when the rule set is in force on `day`, has a
    /// program and the program decides, else -1 with the evaluator left where `undecided(on:)`
    /// goes on from (the parameters loaded when in force, the program run as far as it went).
    @inline(__always)
    private mutating func programOutcome(on day: Day, registers: UnsafePointer<Slot>?, inPlace: Bool = false) -> Int {
        stamp &+= 1
        executed = -1
        self.day = day
        if let from = inForceFrom, day < from { return -1 }
        if let until = inForceUntil, day > until { return -1 }
        loadParameters(for: day)
        guard let unretained = unretainedProgram else { return -1 }
        executed = 0
        // The program is borrowed without a retain and release per firm: `program` keeps it alive.
        return unretained._withUnsafeGuaranteedRef { program -> Int in
            guard program.fallbackIsLast else {
                program.load(inputs: inputs, on: &slots)
                return -1
            }
            return program.decide(inputs: inputs, registers: registers, inPlace: inPlace, on: &slots, executed: &executed) ?? -1
        }
    }

    /// The second half of `decide(on:)`, after `programOutcome` gave -1 for the same `day`, with
    /// nothing done to the evaluator in between: not in force, or what the program left undecided.
    @inline(never)
    mutating func undecided(on day: Day) -> Decision {
        if let from = inForceFrom, day < from { return notInForce(day) }
        if let until = inForceUntil, day > until { return notInForce(day) }
        guard unretainedProgram != nil else { return evaluateInGeneral() }
        return classify(program)
    }

    /// Every definition and condition by `evaluate(_:)` alone.
    mutating func evaluateInGeneral() -> Decision {
        for position in orderRoots.indices {
            let root = orderRoots[position]
            let target = Int(orderTargets[position])
            let result = evaluate(root)
            if target >= 0 {
                slowValues[target] = result
                valueStamps[target] = stamp
            } else {
                slowCriteria[-1 - target] = result
                criterionStamps[-1 - target] = stamp
            }
        }
        return classify(nil)
    }

    /// Runs the rest of the program, then stores `evaluate(_:)`'s result for every definition it
    /// left unsettled, in dependency order so that each finds what it uses already computed.
    mutating func settleAll(_ program: Program) {
        if executed < program.operations.count {
            program.run(executed..<program.operations.count, on: &slots)
            executed = program.operations.count
        }
        for position in orderRoots.indices where slots[Int(program.orderSlots[position])].kind == .none {
            let result = evaluate(orderRoots[position])
            let target = Int(orderTargets[position])
            if target >= 0 {
                slowValues[target] = result
                valueStamps[target] = stamp
            } else {
                slowCriteria[-1 - target] = result
                criterionStamps[-1 - target] = stamp
            }
        }
    }

    /// Computes every value and criterion of the current firm at once. Classification alone stops
    /// at the deciding outcome; a trace shows everything, and settling it in one pass in dependency
    /// order is cheaper than computing each skipped result on demand.
    public mutating func settleEverything() {
        guard let program, parameterDay != nil else { return }
        settleAll(program)
    }

    /// Nothing is evaluated: the results of a previous firm must not show through a reused evaluator.
    mutating func notInForce(_ day: Day) -> Decision {
        let placeholder = Evaluated.unknown(Unknown())
        for index in slowValues.indices {
            slowValues[index] = placeholder
            valueStamps[index] = stamp
        }
        for index in slowCriteria.indices {
            slowCriteria[index] = placeholder
            criterionStamps[index] = stamp
        }
        for index in parameterResults.indices {
            parameterResults[index] = placeholder
            parameterChoices[index] = nil
        }
        parameterDay = nil
        return Decision(notInForce: day)
    }

    /// The day's parameter values, unless they are loaded: the check inline, since a batch of one
    /// fiscal year makes it for every row and loads once (a call per row cost 34 instructions).
    @inline(__always)
    mutating func loadParameters(for day: Day) {
        if parameterDay != day || slotsDay != day { reloadParameters(for: day) }
    }

    @inline(never)
    mutating func reloadParameters(for day: Day) {
        (parameterDay, slotsDay) = (day, day)
        for (index, parameter) in ruleSet.parameters.enumerated() {
            let chosen = parameter.value(on: day)
            parameterChoices[index] = chosen
            if let program { slots[program.parameterBase + index] = Slot(chosen?.value) }
            if let chosen {
                parameterResults[index] = .known(chosen.value)
            } else {
                parameterResults[index] = .unknown(Unknown(problem: Problem(kind: .noParameterValue, node: Int32(index))))
            }
        }
        // What depends on constants and parameters alone, once for the day.
        program?.runStatic(on: &slots)
    }

    /// Tries the outcomes in order. The first that applies decides, unless an earlier one was
    /// unknown: then the result is undetermined, with the inputs that would decide it. With a
    /// program, each condition is computed just before it is tried, and only as far as it needs.
    mutating func classify(_ program: Program?) -> Decision {
        var missing = InputSet()
        var problems: [Problem] = []
        var possible: [Int] = []
        var settled = program == nil
        for index in outcomeConditions.indices {
            let condition = outcomeConditions[index]
            guard condition >= 0 else {
                // The fallback.
                if possible.isEmpty { return Decision(outcome: index) }
                possible.append(index)
                return Decision(missing: missing, possible: possible, problems: problems)
            }
            if let program {
                let end = program.outcomeEnds[index]
                if executed < end {
                    program.run(executed..<end, on: &slots)
                    executed = end
                }
                let slot = slots[Int(program.outcomeSlots[index])]
                if slot.kind != .none {
                    guard slot.kind == .bool, slot.bits != 0 else { continue }
                    if possible.isEmpty { return Decision(outcome: index) }
                    possible.append(index)
                    return Decision(missing: missing, possible: possible, problems: problems)
                }
                if !settled {
                    settleAll(program)
                    settled = true
                }
            }
            switch evaluate(condition) {
            case .known(.bool(true)):
                if possible.isEmpty { return Decision(outcome: index) }
                possible.append(index)
                return Decision(missing: missing, possible: possible, problems: problems)
            case .known:
                continue
            case .unknown(let unknown):
                missing = missing.union(unknown.missing)
                if let problem = unknown.problem, !problems.contains(problem) { problems.append(problem) }
                possible.append(index)
            }
        }
        return Decision(missing: missing, possible: possible, problems: problems)
    }
}
