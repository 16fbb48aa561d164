/// Command-line options of `phidesk-desktop`.
public struct Options: Equatable, Sendable {
    public var vault: String?
    public var policy: String?
    public var allowRoot = false
    /// Hidden: enables the web inspector and context menu.
    public var devtools = false
    /// Hidden: runs the attack suite and writes its results to this file.
    public var attackSuite: String?
    /// A `phidesk://` link (from the .desktop file's %u); validated later, by DeepLink.
    public var deepLink: String?
    /// Hidden, for phidesk-bench: print `phidesk-desktop: ready <ms>` to stderr once the
    /// sign-in screen is interactive.
    public var reportReady = false
    /// Hidden, for phidesk-bench: build a throwaway vault holding the largest shared
    /// patient in this (new) folder, then exit.
    public var benchPrepare: String?
    /// Hidden, for phidesk-bench: run the app on a folder made by --bench-prepare, sign in,
    /// search and open the patient through the page, print `phidesk-desktop: opened` to
    /// stderr and keep running (the bench measures memory, then ends the process).
    public var benchOpen: String?
    /// Hidden: saves PNGs of the main screens (synthetic data) into this folder.
    public var screenshots: String?
    /// `--help`: print the help text and exit.
    public var help = false

    static let synopsis =
        "phidesk-desktop [--vault DIR] [--policy FILE] [--allow-root] [phidesk://LINK]"

    public static let usage = "usage: " + synopsis

    public static let helpText = """
        OVERVIEW: The phidesk desktop app: sign in, find a patient, read their summary.

        USAGE: \(synopsis)

        OPTIONS:
          --vault DIR     the vault folder (default: $PHIDESK_VAULT, else
                          $XDG_DATA_HOME/phidesk or ~/.local/share/phidesk)
          --policy FILE   role policy JSON (default: the bundled policy)
          --allow-root    run as root anyway: tests and demos only, the web sandbox is weaker
          -h, --help      show this help

          phidesk://LINK  open a patient (phidesk://patient/ID) or a search
                          (phidesk://search?family=NAME) after sign-in and your
                          confirmation; a running app is handed the link

        EXAMPLES:
          phidesk-desktop --vault ~/clinic/vault
          xvfb-run -a dbus-run-session -- phidesk-desktop --vault DIR    (no screen)

        EXIT STATUS: 0 closed, 1 cannot run (no display, running as root, missing files,
        no vault), 2 usage error. Everything the app does, the phidesk CLI does too.

        """

    /// Parses the arguments (without the program name); nil on anything unknown.
    /// `--option=value` is the same as `--option value`.
    public static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments.flatMap { argument -> [String] in
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
                return [argument]
            }
            return [String(argument[..<equals]), String(argument[argument.index(after: equals)...])]
        }[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--help", "-h": options.help = true
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
            case "--report-ready": options.reportReady = true
            case "--bench-prepare":
                guard let value = rest.popFirst() else { return nil }
                options.benchPrepare = value
            case "--screenshots":
                guard let value = rest.popFirst() else { return nil }
                options.screenshots = value
            case "--bench-open":
                guard let value = rest.popFirst() else { return nil }
                options.benchOpen = value
            default:
                // One link at most; the scheme is compared loosely here so that a
                // malformed link still reaches the parser and is refused and audited.
                guard options.deepLink == nil,
                    argument.lowercased().hasPrefix(DeepLink.scheme + ":")
                else { return nil }
                options.deepLink = argument
            }
        }
        return options
    }
}
