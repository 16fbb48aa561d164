import CDesktopShims
import CGTKWebKit
import Foundation
import PhideskCrypto
import PhideskPolicy
import PhideskVault

/// The running desktop shell: one GtkApplication, one window, one web view.
public final class DesktopApp {
    public static let applicationID = "org.phidesk.Desktop"
    let options: Options
    public let broker: Broker
    let scheme: AppScheme
    let navigation: NavigationPolicy
    let idleLock: IdleLock
    let linkOpener: any LinkOpener
    var deepLinkConfirmer: any DeepLinkConfirmer = DialogDeepLinkConfirmer()
    private(set) var window: UnsafeMutablePointer<GtkWidget>?
    private(set) var view: UnsafeMutablePointer<GtkWidget>?
    /// Called once the view exists (the attack suite drives the page from here).
    var onViewCreated: ((DesktopApp) -> Void)?
    var application: UnsafeMutablePointer<GtkApplication>?

    init(options: Options, broker: Broker, uiRoot: String, linkOpener: any LinkOpener) {
        self.options = options
        self.broker = broker
        self.linkOpener = linkOpener
        scheme = AppScheme(root: uiRoot, router: IPCRouter(broker: broker, linkOpener: linkOpener))
        navigation = NavigationPolicy(broker: broker, devtools: options.devtools)
        idleLock = IdleLock(broker: broker)
    }

    var webView: UnsafeMutablePointer<WebKitWebView>? { view.flatMap { phidesk_as_web_view($0) } }

    /// Runs the GLib main loop until the window closes; returns the exit status.
    func run(unique: Bool) -> Int32 {
        let app = gtk_application_new(
            unique ? Self.applicationID : Self.applicationID + ".AttackSuite",
            phidesk_application_flags(unique ? 1 : 0))!
        application = app
        typealias CommandLineHandler = @convention(c) (
            UnsafeMutableRawPointer?, OpaquePointer?, gpointer?
        ) -> gint
        let handler: CommandLineHandler = { _, commandLine, data in
            guard let data else { return 1 }
            var arguments: [String] = []
            if let commandLine {
                var count: gint = 0
                let cl = UnsafeMutablePointer<GApplicationCommandLine>(commandLine)
                if let argv = g_application_command_line_get_arguments(cl, &count) {
                    for index in 1..<max(1, Int(count)) {
                        if let argument = argv[index] {
                            arguments.append(String(cString: argument))
                        }
                    }
                    g_strfreev(argv)
                }
            }
            Unmanaged<DesktopApp>.fromOpaque(data).takeUnretainedValue()
                .commandLine(arguments: arguments)
            return 0
        }
        phidesk_signal_connect(app, "command-line", unsafeBitCast(handler, to: GCallback.self),
                               Unmanaged.passUnretained(self).toOpaque())
        // D-Bus `Activate` (a launcher, `gapplication launch`) brings the window forward,
        // as a second start does.
        typealias ActivateHandler = @convention(c) (UnsafeMutableRawPointer?, gpointer?) -> Void
        let activate: ActivateHandler = { _, data in
            guard let data else { return }
            Unmanaged<DesktopApp>.fromOpaque(data).takeUnretainedValue()
                .commandLine(arguments: [])
        }
        phidesk_signal_connect(app, "activate", unsafeBitCast(activate, to: GCallback.self),
                               Unmanaged.passUnretained(self).toOpaque())
        // GApplication parses nothing itself here: options were parsed before, so only
        // the program name and the deep link, if any, are passed (a second instance
        // forwards them to the first over D-Bus and exits; the first re-validates).
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("phidesk-desktop")]
        if let link = options.deepLink { argv.append(strdup(link)) }
        let argc = gint(argv.count)
        argv.append(nil)
        let status = g_application_run(phidesk_as_application(app), argc, &argv)
        for pointer in argv { free(pointer) }
        broker.rejections.flush()
        broker.lock(because: .signOut)
        g_object_unref(app)
        return status
    }

    /// First launch: build the window. Later launches (forwarded by GApplication from a
    /// second process): bring the window to the front.
    // LIMITATION: a second launch's --vault/--policy are not applied to the running
    // instance; switching vaults under an open session would need its own design.
    func commandLine(arguments: [String]) {
        defer {
            // Only `phidesk:` links are forwarded (Options refuses anything else); each is
            // parsed strictly, so a foreign sender on the session bus gains nothing.
            for argument in arguments.prefix(1) { handleDeepLink(argument) }
        }
        if let window {
            gtk_window_present(phidesk_as_window(window))
            return
        }
        guard let application else { return }
        let window = gtk_application_window_new(application)!
        self.window = window
        let gtkWindow = phidesk_as_window(window)
        gtk_window_set_title(gtkWindow, "phidesk")
        gtk_window_set_default_size(gtkWindow, 1100, 760)
        (linkOpener as? DialogLinkOpener)?.window = gtkWindow
        (deepLinkConfirmer as? DialogDeepLinkConfirmer)?.window = gtkWindow

        let view = WebViewFactory.make(scheme: scheme, devtools: options.devtools)
        self.view = view
        scheme.webView = phidesk_as_web_view(view)
        navigation.attach(to: view)
        gtk_window_set_child(gtkWindow, view)
        watchUserInput(on: window)
        broker.onLock = { [weak self] in self?.askPageToRecheckSession() }
        idleLock.start()
        onViewCreated?(self)
        webkit_web_view_load_uri(phidesk_as_web_view(view), AppScheme.base + "index.html")
        gtk_window_present(gtkWindow)
    }

    /// Every key, button, motion, scroll and touch event reaching the window, seen before
    /// the web view gets it (capture phase) and never consumed.
    private func watchUserInput(on window: UnsafeMutablePointer<GtkWidget>) {
        let controller = gtk_event_controller_legacy_new()!
        gtk_event_controller_set_propagation_phase(controller, GTK_PHASE_CAPTURE)
        typealias EventHandler = @convention(c) (
            UnsafeMutableRawPointer?, OpaquePointer?, gpointer?
        ) -> gboolean
        let handler: EventHandler = { _, event, data in
            guard let event, let data else { return 0 }
            switch gdk_event_get_event_type(event) {
            case GDK_KEY_PRESS, GDK_BUTTON_PRESS, GDK_MOTION_NOTIFY, GDK_SCROLL,
                 GDK_TOUCH_BEGIN:
                Unmanaged<DesktopApp>.fromOpaque(data).takeUnretainedValue()
                    .broker.userInput()
            default:
                break
            }
            return 0
        }
        phidesk_signal_connect(UnsafeMutableRawPointer(controller), "event",
                               unsafeBitCast(handler, to: GCallback.self),
                               Unmanaged.passUnretained(self).toOpaque())
        gtk_widget_add_controller(window, controller)
    }

    /// Makes the page ask `session.status` now, so a lock clears the screen at once.
    func askPageToRecheckSession() {
        guard let view = webView else { return }
        JavaScriptRunner.run(
            "if (window.phideskSessionCheck) window.phideskSessionCheck(); return 'ok';",
            in: view) { _, _ in }
    }

    func quit() {
        if let application { g_application_quit(phidesk_as_application(application)) }
    }
}

/// Entry point of `phidesk-desktop`.
public enum DesktopMain {
    public static func run(_ arguments: [String]) -> Int32 {
        // Before anything else: no core dumps of a process that will hold vault keys.
        guard ProcessHardening.apply() == 0 else {
            print(stderr: "phidesk-desktop: cannot apply process hardening; refusing to run")
            return 1
        }
        guard let options = Options.parse(arguments) else {
            print(stderr: Options.usage + "\n(phidesk-desktop --help explains the options)")
            return 2
        }
        if options.help {
            FileHandle.standardOutput.write(Data(Options.helpText.utf8))
            return 0
        }
        // Builds files only (no window), so it needs no display.
        if let folder = options.benchPrepare { return BenchMode.prepare(folder) }
        let environment = ProcessInfo.processInfo.environment
        if (environment["DISPLAY"] ?? "").isEmpty
            && (environment["WAYLAND_DISPLAY"] ?? "").isEmpty
        {
            print(stderr: """
                phidesk-desktop: no display (DISPLAY and WAYLAND_DISPLAY are unset).
                To run without a screen: \(headlessCommand(options))
                """)
            return 1
        }
        // The UI is a few static pages: GPU compositing and GTK's GL renderer buy nothing
        // here and cost about 100 MB of process-tree memory (BENCHMARKS.md, section 7),
        // most of all where GL is software-rendered. A user's own settings win.
        setenv("WEBKIT_DISABLE_COMPOSITING_MODE", "1", 0)
        setenv("GSK_RENDERER", "cairo", 0)
        // With the cairo renderer GTK never draws with OpenGL, yet GDK would still set up
        // GL when it opens the display (≈50 ms of each start). GTK 4.8 reads GDK_DEBUG;
        // later versions read GDK_DISABLE.
        if let renderer = getenv("GSK_RENDERER"), String(cString: renderer) == "cairo" {
            setenv("GDK_DEBUG", "gl-disable", 0)
            setenv("GDK_DISABLE", "gl", 0)
        }

        if geteuid() == 0 {
            guard options.allowRoot else {
                print(stderr: """
                    phidesk-desktop: refusing to run as root: the web sandbox keeps root's \
                    capabilities. Run as a normal user (or pass --allow-root for testing).
                    """)
                return 1
            }
            print(stderr: "phidesk-desktop: WARNING: running as root (--allow-root); "
                  + "the web process sandbox is weaker")
        }
        if let output = options.attackSuite {
            return AttackSuite.run(options: options, output: output)
        }
        if let folder = options.benchOpen { return BenchMode.open(folder, options: options) }
        if let folder = options.screenshots {
            return ScreenshotMode.run(options: options, folder: folder)
        }
        guard let uiRoot = BundledUI.folder() else {
            print(stderr: """
                phidesk-desktop: the UI files are missing from the installation: expected \
                \(BundledUI.expectedPath) (keep \(BundledUI.bundleName) beside the program)
                """)
            return 1
        }
        let policy: AccessPolicy
        do {
            policy = try options.policy.map {
                try AccessPolicy.load(contentsOf: URL(fileURLWithPath: $0))
            }
                ?? AccessPolicy.bundledDefault()
        } catch {
            print(stderr: "phidesk-desktop: the role policy cannot be loaded: \(error)")
            return 1
        }
        let location = options.vault.map { VaultLocation(directory: $0) }
            ?? VaultLocation.defaultLocation(environment: environment)
        // Say now, not after a sign-in attempt the page can only call "unavailable".
        do {
            try location.checkReady()
        } catch {
            print(stderr: "phidesk-desktop: \(error)")
            return 1
        }
        let app = DesktopApp(options: options, broker: Broker(location: location, policy: policy),
                             uiRoot: uiRoot, linkOpener: DialogLinkOpener())
        if options.reportReady {
            app.onViewCreated = { app in
                BenchMode.whenReady(app) { print(stderr: BenchMode.readyMarker) }
            }
        }
        return app.run(unique: true)
    }
}

/// The same start under Xvfb and a private D-Bus session, with the options that matter
/// (never a deep link: it may hold a name).
private func headlessCommand(_ options: Options) -> String {
    let program = CommandLine.arguments.first ?? "phidesk-desktop"
    var words = ["xvfb-run -a dbus-run-session --", shellQuoted(program)]
    if let vault = options.vault { words += ["--vault", shellQuoted(vault)] }
    if let policy = options.policy { words += ["--policy", shellQuoted(policy)] }
    if geteuid() == 0 { words.append("--allow-root") }
    return words.joined(separator: " ")
}

/// The word as the shell reads it back: bare when safe, else in single quotes, or as
/// `$'…'` with escapes when it holds control characters (never sent raw to the terminal).
private func shellQuoted(_ word: String) -> String {
    let plain = word.unicodeScalars.allSatisfy {
        ($0.isASCII && CharacterSet.alphanumerics.contains($0))
            || "/._-+,:@=".unicodeScalars.contains($0)
    }
    if plain && !word.isEmpty { return word }
    guard word.unicodeScalars.contains(where: isControl) else {
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
    var escaped = ""
    for scalar in word.unicodeScalars {
        // Every scalar escaped here is below U+00A0, so two hex digits suffice.
        if isControl(scalar) || scalar == "'" || scalar == "\\" {
            escaped += String(format: "\\x%02x", scalar.value)
        } else {
            escaped.unicodeScalars.append(scalar)
        }
    }
    return "$'" + escaped + "'"
}

/// C0 and C1 controls and DEL: terminal escape sequences start with these.
private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}

/// Writes one message line to stderr. Control characters other than newline and tab
/// (from a path the user gave, say) are shown as `?` so they cannot drive the terminal.
func print(stderr text: String) {
    let safe = String(String.UnicodeScalarView(text.unicodeScalars.map {
        isControl($0) && $0 != "\n" && $0 != "\t" ? "?" : $0
    }))
    FileHandle.standardError.write(Data((safe + "\n").utf8))
}
