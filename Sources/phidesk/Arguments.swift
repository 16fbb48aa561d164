/// A small parser for `phidesk [global options] COMMAND [options] [operands]`.
///
/// Options take their value as the next argument or after `=`; `--` ends options.
struct Arguments {
    private(set) var operands: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Options that take a value; anything else starting with `-` is a flag.
    static let valued: Set<String> = [
        "--vault", "--passphrase-file", "--passphrase-fd", "--family", "--given",
        "--birth-date", "--identifier", "--limit", "-n", "--output", "-o",
        "--password-file", "--password-fd", "--code", "--role", "--name", "--patient",
        "--reason", "--note-file", "--close", "--policy", "--minutes",
    ]

    init(_ arguments: [String]) throws {
        var index = 0
        var onlyOperands = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyOperands || !argument.hasPrefix("-") || argument == "-" {
                operands.append(argument)
                continue
            }
            if argument == "--" {
                onlyOperands = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if Self.valued.contains(name) {
                if let inlineValue {
                    options[name, default: []].append(inlineValue)
                } else {
                    guard index < arguments.count else {
                        throw UsageError("option \(name) needs a value")
                    }
                    options[name, default: []].append(arguments[index])
                    index += 1
                }
            } else {
                guard inlineValue == nil else {
                    throw UsageError("option \(name) takes no value")
                }
                flags.insert(name)
            }
        }
    }

    func value(_ names: String...) -> String? {
        for name in names {
            if let value = options[name]?.last {
                return value
            }
        }
        return nil
    }

    /// Every value given for a repeatable option, in order.
    func values(_ name: String) -> [String] {
        options[name] ?? []
    }

    func has(_ names: String...) -> Bool {
        names.contains { flags.contains($0) }
    }

    /// Every option or flag given, to reject ones a command does not know.
    var givenNames: Set<String> {
        flags.union(options.keys)
    }

    mutating func popOperand() -> String? {
        operands.isEmpty ? nil : operands.removeFirst()
    }
}

/// A mistake in how the command was called (exit status 2).
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
