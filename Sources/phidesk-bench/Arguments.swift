/// `phidesk-bench [--output FILE] [--quick] [--only N]`.
struct Arguments {
    var output = "BENCHMARKS.md"
    var quick = false
    /// Section numbers to run; empty means all.
    var only: Set<Int> = []
    var help = false

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static let usage = """
        usage: phidesk-bench [--output FILE] [--quick] [--only N[,N…]]

          --output FILE   where the Markdown report goes (default BENCHMARKS.md)
          --quick         reduced sizes: a smoke test, not figures to publish
          --only N        run only these sections, e.g. --only 7 for the desktop app

        example: phidesk-bench --only 3,7 --output /tmp/bench.md
        """

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
            case "--only":
                let list = remaining.popFirst() ?? ""
                let numbers = list.split(separator: ",").compactMap { Int($0) }
                guard !numbers.isEmpty, numbers.count == list.split(separator: ",").count
                else {
                    throw Invalid(description: "--only needs section numbers, e.g. --only 7")
                }
                only = Set(numbers)
            case "-h", "--help":
                help = true
            default:
                throw Invalid(description: "unknown argument \(argument)\n\(Self.usage)")
            }
        }
    }
}
