/// `phidesk-bench [--output FILE] [--quick]`.
struct Arguments {
    var output = "BENCHMARKS.md"
    var quick = false

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let usage = "usage: phidesk-bench [--output FILE] [--quick]"

    init(_ arguments: [String]) throws {
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--quick":
                quick = true
            case "--output":
                guard let file = remaining.popFirst(), !file.isEmpty else {
                    throw Invalid(description: "--output needs a file name")
                }
                output = file
            case "-h", "--help":
                throw Invalid(description: Self.usage)
            default:
                throw Invalid(description: "unknown argument \(argument)\n\(Self.usage)")
            }
        }
    }
}
