import Foundation

/// A regular expression matched in time linear in the text it searches, whatever the pattern:
/// the pattern is compiled to a small program and run as a Pike VM (every alternative advanced
/// together, one scalar at a time), so `(a+)+b` against a long name takes as many steps as the
/// name has characters times the program's length, never an exponential number.
///
/// The syntax is the common part of the regular expressions users know: literals, `.`,
/// `[…]` and `[^…]` with ranges, `\d \D \w \W \s \S`, escaped punctuation, `\t \n \r`,
/// groups `(…)`, `(?:…)` and `(?<name>…)`, `|`, the quantifiers `* + ? {n} {n,} {n,m}` (each
/// also lazy with a `?` after it) and the anchors `^ $ \b \B`. Backreferences, look-around and
/// possessive quantifiers, which no linear matcher can run, are refused with a reason. Matches
/// are leftmost-first, as in PCRE and `NSRegularExpression`.
package struct LinearPattern: Sendable {
    package struct Problem: Error, Sendable, Equatable {
        /// The scalar of the pattern where the problem is (0-based).
        package var offset: Int
        package var message: String
    }

    /// The number of capturing groups.
    package let groupCount: Int
    private let program: [Instruction]

    /// The longest program a pattern may compile to: counted repetitions are written out, so
    /// `a{1000}{1000}` would otherwise make a program of a million steps.
    package static let maxProgram = 20_000

    package init(_ pattern: String) throws(Problem) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let tree = try parser.parseAll()
        groupCount = parser.groups
        var compiler = Compiler()
        compiler.emit(.save(0))
        try compiler.compile(tree)
        compiler.emit(.save(1))
        compiler.emit(.match)
        program = compiler.program
    }

    /// The first match in `text`: each group's text (nil for a group that took no part), the
    /// whole match first; nil when nothing matches.
    package func firstMatch(in text: String) -> [Substring?]? {
        let scalars = text.unicodeScalars
        let indices = Array(scalars.indices) + [scalars.endIndex]
        guard let slots = run(Array(scalars)) else { return nil }
        return (0...groupCount).map { g in
            let (start, end) = (slots[2 * g], slots[2 * g + 1])
            guard start >= 0, end >= start else { return nil }
            return Substring(scalars[indices[start]..<indices[end]])
        }
    }

    // MARK: The program

    enum Predicate: Sendable {
        case scalar(Unicode.Scalar)
        case any
        case set(CharacterSet, negated: Bool)
        func matches(_ s: Unicode.Scalar) -> Bool {
            switch self {
            case .scalar(let c): return c == s
            case .any: return s != "\n"
            case .set(let set, let negated): return set.contains(s) != negated
            }
        }
    }

    enum Assertion: Sendable { case start, end, wordBoundary, notWordBoundary }

    enum Instruction: Sendable {
        case consume(Predicate)
        /// Try `first`, then `second` (lower priority).
        case split(Int, Int)
        case jump(Int)
        case save(Int)
        case assert(Assertion)
        case match
    }

    /// The Pike VM: the threads at each position, in priority order, each with its slots.
    private func run(_ text: [Unicode.Scalar]) -> [Int]? {
        let slotCount = 2 * (groupCount + 1)
        var current = ThreadList(size: program.count)
        var next = ThreadList(size: program.count)
        var matched: [Int]?
        for position in 0...text.count {
            // A new start at every position, below every thread already running, until a
            // match is found: the leftmost match wins.
            if matched == nil {
                add(&current, 0, [Int](repeating: -1, count: slotCount), position, text)
            }
            if current.isEmpty { break }
            next.clear()
            let scalar: Unicode.Scalar? = position < text.count ? text[position] : nil
            threads: for (pc, slots) in current.threads {
                switch program[pc] {
                case .match:
                    // Threads after this one have lower priority: they are dropped.
                    matched = slots
                    break threads
                case .consume(let predicate):
                    if let scalar, predicate.matches(scalar) { add(&next, pc + 1, slots, position + 1, text) }
                default: break
                }
            }
            swap(&current, &next)
        }
        return matched
    }

    /// Adds the thread at `pc` and every thread its jumps, splits, saves and assertions lead to
    /// without consuming, each instruction once per position.
    private func add(_ list: inout ThreadList, _ pc: Int, _ slots: [Int], _ position: Int, _ text: [Unicode.Scalar]) {
        var stack: [(Int, [Int])] = [(pc, slots)]
        while let (pc, slots) = stack.popLast() {
            guard list.mark(pc) else { continue }
            switch program[pc] {
            case .jump(let target): stack.append((target, slots))
            case .split(let first, let second):
                // The stack is last-in first-out: the preferred branch goes on last.
                stack.append((second, slots))
                stack.append((first, slots))
            case .save(let slot):
                var copy = slots
                copy[slot] = position
                stack.append((pc + 1, copy))
            case .assert(let assertion):
                if holds(assertion, at: position, in: text) { stack.append((pc + 1, slots)) }
            case .consume, .match: list.threads.append((pc, slots))
            }
        }
    }

    private func holds(_ assertion: Assertion, at position: Int, in text: [Unicode.Scalar]) -> Bool {
        func isWord(_ i: Int) -> Bool { i >= 0 && i < text.count && Self.word.contains(text[i]) }
        switch assertion {
        case .start: return position == 0
        case .end: return position == text.count
        case .wordBoundary: return isWord(position - 1) != isWord(position)
        case .notWordBoundary: return isWord(position - 1) == isWord(position)
        }
    }

    /// The threads at one position, with a mark per instruction so that none is added twice.
    private struct ThreadList {
        var threads: [(Int, [Int])] = []
        private var seen: [Bool]
        private var marked: [Int] = []
        init(size: Int) { seen = [Bool](repeating: false, count: size) }
        var isEmpty: Bool { threads.isEmpty }
        mutating func mark(_ pc: Int) -> Bool {
            if seen[pc] { return false }
            seen[pc] = true
            marked.append(pc)
            return true
        }
        mutating func clear() {
            threads.removeAll(keepingCapacity: true)
            for pc in marked { seen[pc] = false }
            marked.removeAll(keepingCapacity: true)
        }
    }

    static let digits = CharacterSet.decimalDigits
    static let word = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_"))
    static let space = CharacterSet.whitespacesAndNewlines

    // MARK: Parsing

    indirect enum Node {
        case empty
        case atom(Predicate)
        case assert(Assertion)
        case group(Node, index: Int?)
        case concat([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?, lazy: Bool)
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var i = 0
        var groups = 0
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

        func fail(_ message: String, at offset: Int? = nil) -> Problem { Problem(offset: offset ?? i, message: message) }

        mutating func parseAll() throws(Problem) -> Node {
            let node = try alternation()
            if i < scalars.count { throw fail("unmatched ')'") }
            return node
        }

        mutating func alternation() throws(Problem) -> Node {
            var branches = [try concatenation()]
            while peek == "|" {
                i += 1
                branches.append(try concatenation())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func concatenation() throws(Problem) -> Node {
            var items: [Node] = []
            while let c = peek, c != "|", c != ")" {
                var atom = try self.atom()
                while let q = peek, "*+?{".unicodeScalars.contains(q) {
                    let start = i
                    guard let (min, max) = try quantifier() else { break }
                    if case .assert = atom { throw fail("an anchor cannot be repeated", at: start) }
                    var lazy = false
                    if peek == "?" {
                        lazy = true
                        i += 1
                    } else if peek == "+" {
                        throw fail("possessive quantifiers are not supported; drop the '+'")
                    }
                    atom = .repeated(atom, min: min, max: max, lazy: lazy)
                }
                items.append(atom)
            }
            return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
        }

        /// `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}`; nil for a `{` that is a literal.
        mutating func quantifier() throws(Problem) -> (Int, Int?)? {
            let c = scalars[i]
            switch c {
            case "*": i += 1; return (0, nil)
            case "+": i += 1; return (1, nil)
            case "?": i += 1; return (0, 1)
            default: break
            }
            // `{`: a counted repetition only when it reads as one, as in PCRE.
            var j = i + 1
            func number() -> Int? {
                var value: Int?
                while j < scalars.count, ("0"..."9").contains(scalars[j]) {
                    value = min((value ?? 0) * 10 + Int(scalars[j].value - 48), 100_000)
                    j += 1
                }
                return value
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if j < scalars.count, scalars[j] == "," {
                j += 1
                high = number()
            }
            guard j < scalars.count, scalars[j] == "}" else { return nil }
            if let high, high < low { throw fail("{\(low),\(high)} repeats fewer times at most than at least") }
            if low > 1000 || (high ?? 0) > 1000 { throw fail("a repetition may count to 1000 at most") }
            i = j + 1
            return (low, high)
        }

        mutating func atom() throws(Problem) -> Node {
            let start = i
            let c = scalars[i]
            i += 1
            switch c {
            case ".": return .atom(.any)
            case "^": return .assert(.start)
            case "$": return .assert(.end)
            case "*", "+", "?": throw fail("'\(c)' has nothing before it to repeat", at: start)
            case "[": return .atom(try characterClass())
            case "\\": return try escape()
            case "(":
                var index: Int?
                if peek == "?" {
                    i += 1
                    if peek == ":" {
                        i += 1
                    } else if peek == "<", i + 1 < scalars.count, scalars[i + 1] != "=", scalars[i + 1] != "!" {
                        // A named group: its name is not used, its place is.
                        while let n = peek, n != ">" { i += 1 }
                        guard peek == ">" else { throw fail("a group name is not closed with '>'", at: start) }
                        i += 1
                        groups += 1
                        index = groups
                    } else {
                        throw fail(
                            "'(?' groups other than (?:…) and (?<name>…) (look-ahead, look-behind, flags) are not supported",
                            at: start)
                    }
                } else {
                    groups += 1
                    index = groups
                }
                let inner = try alternation()
                guard peek == ")" else { throw fail("'(' is not closed", at: start) }
                i += 1
                return .group(inner, index: index)
            default: return .atom(.scalar(c))
            }
        }

        mutating func escape() throws(Problem) -> Node {
            guard let c = peek else { throw fail("the pattern ends with '\\'") }
            i += 1
            switch c {
            case "d": return .atom(.set(LinearPattern.digits, negated: false))
            case "D": return .atom(.set(LinearPattern.digits, negated: true))
            case "w": return .atom(.set(LinearPattern.word, negated: false))
            case "W": return .atom(.set(LinearPattern.word, negated: true))
            case "s": return .atom(.set(LinearPattern.space, negated: false))
            case "S": return .atom(.set(LinearPattern.space, negated: true))
            case "b": return .assert(.wordBoundary)
            case "B": return .assert(.notWordBoundary)
            case "A": return .assert(.start)
            case "z", "Z": return .assert(.end)
            case "t": return .atom(.scalar("\t"))
            case "n": return .atom(.scalar("\n"))
            case "r": return .atom(.scalar("\r"))
            default:
                if c.properties.numericType != nil {
                    throw fail("backreferences (\\\(c)) cannot be matched in linear time and are not supported", at: i - 2)
                }
                if c.properties.isAlphabetic {
                    throw fail("unknown escape '\\\(c)'", at: i - 2)
                }
                return .atom(.scalar(c))
            }
        }

        /// `[…]` after its `[`.
        mutating func characterClass() throws(Problem) -> Predicate {
            let start = i - 1
            var set = CharacterSet()
            var negated = false
            if peek == "^" {
                negated = true
                i += 1
            }
            var first = true
            while true {
                guard let c = peek else { throw fail("'[' is not closed with ']'", at: start) }
                if c == "]" && !first {
                    i += 1
                    break
                }
                first = false
                i += 1
                var low = c
                if c == "\\" {
                    guard let e = peek else { throw fail("'[' is not closed with ']'", at: start) }
                    i += 1
                    switch e {
                    case "d": set.formUnion(LinearPattern.digits); continue
                    case "w": set.formUnion(LinearPattern.word); continue
                    case "s": set.formUnion(LinearPattern.space); continue
                    case "D", "W", "S": throw fail("\\\(e) inside […] is not supported; write [^…]", at: i - 2)
                    case "t": low = "\t"
                    case "n": low = "\n"
                    case "r": low = "\r"
                    default:
                        if e.properties.isAlphabetic || e.properties.numericType != nil {
                            throw fail("unknown escape '\\\(e)' inside […]", at: i - 2)
                        }
                        low = e
                    }
                }
                if peek == "-", i + 1 < scalars.count, scalars[i + 1] != "]" {
                    i += 1
                    var high = scalars[i]
                    i += 1
                    if high == "\\" {
                        guard let e = peek else { throw fail("'[' is not closed with ']'", at: start) }
                        i += 1
                        high = e
                    }
                    guard low.value <= high.value else { throw fail("the range \(low)-\(high) is backwards", at: i - 3) }
                    set.insert(charactersIn: low...high)
                } else {
                    set.insert(low)
                }
            }
            return .set(set, negated: negated)
        }
    }

    // MARK: Compiling

    struct Compiler {
        var program: [Instruction] = []

        mutating func emit(_ instruction: Instruction) { program.append(instruction) }

        mutating func compile(_ node: Node) throws(Problem) {
            guard program.count <= LinearPattern.maxProgram else {
                throw Problem(offset: 0, message: "the pattern is too long once its repetitions are counted out")
            }
            switch node {
            case .empty: break
            case .atom(let predicate): emit(.consume(predicate))
            case .assert(let assertion): emit(.assert(assertion))
            case .group(let inner, let index):
                if let index { emit(.save(2 * index)) }
                try compile(inner)
                if let index { emit(.save(2 * index + 1)) }
            case .concat(let items):
                for item in items { try compile(item) }
            case .alternation(let branches):
                // split L1, next; L1: branch; jump end; next: split …
                var jumps: [Int] = []
                for (k, branch) in branches.enumerated() {
                    if k < branches.count - 1 {
                        let split = program.count
                        emit(.split(split + 1, -1))
                        try compile(branch)
                        jumps.append(program.count)
                        emit(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        try compile(branch)
                    }
                }
                for j in jumps { program[j] = .jump(program.count) }
            case .repeated(let inner, let min, let max, let lazy):
                for _ in 0..<min { try compile(inner) }
                if let max {
                    // Each optional copy: split into it or past every remaining one.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        emit(.split(-1, -1))
                        try compile(inner)
                    }
                    let end = program.count
                    for s in splits { program[s] = lazy ? .split(end, s + 1) : .split(s + 1, end) }
                } else {
                    // loop: split body, end; body; jump loop
                    let loop = program.count
                    emit(.split(-1, -1))
                    try compile(inner)
                    emit(.jump(loop))
                    let end = program.count
                    program[loop] = lazy ? .split(end, loop + 1) : .split(loop + 1, end)
                }
            }
        }
    }
}
