/// Command-line options of `phidesk-desktop`.
public struct Options: Equatable, Sendable {
    public var vault: String?
    public var policy: String?
    public var allowRoot = false
    /// Hidden: enables the web inspector and context menu.
    public var devtools = false
    /// Hidden: runs the attack suite and writes its results to this file.
    public var attackSuite: String?

    public static let usage = "usage: phidesk-desktop [--vault DIR] [--policy FILE] [--allow-root]"

    /// Parses the arguments (without the program name); nil on anything unknown.
    public static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--vault":
                guard let value = rest.popFirst() else { return nil }
                options.vault = value
            case "--policy":
                guard let value = rest.popFirst() else { return nil }
                options.policy = value
            case "--attack-suite":
                guard let value = rest.popFirst() else { return nil }
                options.attackSuite = value
            case "--allow-root": options.allowRoot = true
            case "--devtools": options.devtools = true
            default: return nil
            }
        }
        return options
    }
}
