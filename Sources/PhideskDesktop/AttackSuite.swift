import CDesktopShims
import CGTKWebKit
import Foundation
import PhideskAudit
import PhideskVault

/// Hidden `--attack-suite OUT.json` mode: runs the real shell on a throwaway vault and
/// attacks it from inside the page (as a compromised renderer would), recording what the
/// page saw and what the broker audited. The Swift tests read OUT.json.
final class AttackSuite {
    struct Outcome {
        let name: String
        let passed: Bool
        let detail: String
    }

    typealias Completion = (Bool, String) -> Void
    private let app: DesktopApp
    private let fixture: AttackFixture
    private let output: String
    private var steps: [(name: String, run: (@escaping Completion) -> Void)] = []
    private var index = 0
    private var outcomes: [Outcome] = []
    private var started = false
    private var foreignView: UnsafeMutablePointer<GtkWidget>?
    private var auditSummary: [[String: Any]] = []
    private var lastScriptResult: [String: Any]?

    init(app: DesktopApp, fixture: AttackFixture, output: String) {
        self.app = app
        self.fixture = fixture
        self.output = output
    }

    static func run(options: Options, output: String) -> Int32 {
        guard let bundled = BundledUI.folder() else {
            print(stderr: "attack suite: UI folder missing")
            return 1
        }
        let fixture: AttackFixture
        do {
            fixture = try AttackFixture()
            try fixture.build(bundledUI: bundled)
        } catch {
            print(stderr: "attack suite: fixture failed: \(error)")
            return 1
        }
        defer { fixture.remove() }
        let broker = Broker(location: fixture.location, policy: fixture.policy)
        let app = DesktopApp(options: options, broker: broker, uiRoot: fixture.uiRoot,
                             linkOpener: RecordingLinkOpener())
        app.deepLinkConfirmer = ScriptedDeepLinkConfirmer()
        let suite = AttackSuite(app: app, fixture: fixture, output: output)
        app.onViewCreated = { suite.attach($0) }
        _ = app.run(unique: false)
        return suite.outcomes.allSatisfy(\.passed) && !suite.outcomes.isEmpty ? 0 : 1
    }

    // MARK: - Driving

    func attach(_ app: DesktopApp) {
        guard let view = app.view else { return }
        typealias LoadChanged = @convention(c) (OpaquePointer?, WebKitLoadEvent, gpointer?) -> Void
        let changed: LoadChanged = { _, event, data in
            guard event == WEBKIT_LOAD_FINISHED, let data else { return }
            Unmanaged<AttackSuite>.fromOpaque(data).takeUnretainedValue().pageLoaded()
        }
        phidesk_signal_connect(view, "load-changed", unsafeBitCast(changed, to: GCallback.self),
                               Unmanaged.passUnretained(self).toOpaque())
        defineSteps()
        // Whole-run watchdog: results so far are written even if a check hangs.
        after(seconds: 420) { [self] in
            outcomes.append(Outcome(name: "watchdog", passed: false, detail: "suite timed out"))
            finish()
        }
    }

    private func pageLoaded() {
        guard !started else { return }
        started = true
        // Give the page's own scripts a moment to start (session.status, sign-in view).
        after(seconds: 2) { [self] in next() }
    }

    private func next() {
        guard index < steps.count else { return finish() }
        let step = steps[index]
        let current = index
        var settled = false
        let complete: Completion = { [self] passed, detail in
            guard !settled, current == index else { return }
            settled = true
            outcomes.append(Outcome(name: step.name, passed: passed, detail: detail))
            print(stderr: "attack suite: \(passed ? "PASS" : "FAIL") \(step.name)"
                  + (passed ? "" : " — " + String(detail.prefix(400))))
            index += 1
            after(milliseconds: 100) { [self] in next() }
        }
        after(seconds: 200) { complete(false, "check timed out") }
        step.run(complete)
    }

    private var finished = false

    private func finish() {
        guard !finished else { return }
        finished = true
        let results = outcomes.map { ["name": $0.name, "passed": $0.passed, "detail": $0.detail] }
        let report: [String: Any] = ["results": results, "audit": auditSummary]
        if let data = try? JSONSerialization.data(withJSONObject: report,
                                                  options: [.prettyPrinted, .sortedKeys]) {
            // A missing report fails the test that reads it, which names the file.
            _ = FileManager.default.createFile(atPath: output, contents: data)
        }
        app.quit()
    }

    // MARK: - Step kinds

    private func js(_ name: String, _ script: String, then extra: (() -> (Bool, String))? = nil) {
        steps.append((name, { [self] done in
            guard let view = app.webView else { return done(false, "no view") }
            JavaScriptRunner.run(AttackScripts.prelude + script, in: view) { text, error in
                guard let text else { return done(false, "script error: \(error ?? "?")") }
                let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8)))
                    as? [String: Any]
                self.lastScriptResult = object
                var passed = object?["pass"] as? Bool ?? false
                var detail = text
                if let extra {
                    let (ok, note) = extra()
                    passed = passed && ok
                    detail += " | broker: " + note
                }
                done(passed, detail)
            }
        }))
    }

    private func native(_ name: String, _ body: @escaping (@escaping Completion) -> Void) {
        steps.append((name, body))
    }

    private func pageUnchanged() -> (Bool, String) {
        let uri = app.webView.flatMap { webkit_web_view_get_uri($0) }.map { String(cString: $0) }
        return (uri == AppScheme.base + "index.html", "view URI \(uri ?? "nil")")
    }

    private func screenshot(_ name: String) {
        native("screenshot-" + name) { [self] done in
            guard let view = app.webView else { return done(false, "no view") }
            let path = (output as NSString).deletingLastPathComponent + "/attack-\(name).png"
            JavaScriptRunner.snapshot(view, to: path) { saved, error in
                done(saved != nil, saved ?? error ?? "?")
            }
        }
    }

    // MARK: - The checks

    private func defineSteps() {
        native("sandbox-active") { done in
            let processes = SandboxProbe.webProcesses()
            let detail = processes.map {
                "pid \($0.pid): bwrap ancestor \($0.hasBwrapAncestor), "
                    + "own mount ns \($0.ownMountNamespace)"
            }.joined(separator: "; ")
            done(!processes.isEmpty && processes.allSatisfy {
                $0.hasBwrapAncestor && $0.ownMountNamespace
            }, processes.isEmpty ? "no WebKitWebProcess found" : detail)
        }
        let code = (try? fixture.code("dr.test")) ?? "000000"
        js("happy-path-ui", AttackScripts.uiFlow(
            login: "dr.test", password: AttackFixture.password, code: code,
            family: fixture.patientFamily))
        js("stylesheet-applied", AttackScripts.stylesheetApplied)
        screenshot("summary")
        js("happy-path-projection", AttackScripts.projection(family: fixture.patientFamily))
        deepLinkSteps()
        js("ipc-unknown-command", AttackScripts.unknownCommand)
        js("ipc-schema-wrong-type", AttackScripts.wrongType)
        js("ipc-schema-extra-key", AttackScripts.extraKey)
        js("ipc-schema-oversize", AttackScripts.oversize)
        js("ipc-wrong-method", AttackScripts.wrongMethod)
        js("ipc-forged-origin-header", AttackScripts.forgedOrigin)
        js("frame-injection", AttackScripts.frameInjection, then: pageUnchanged)
        foreignViewStep()
        js("nav-location", AttackScripts.navLocation, then: pageUnchanged)
        js("nav-link-click", AttackScripts.navLinkClick, then: pageUnchanged)
        js("nav-target-blank", AttackScripts.navTargetBlank, then: pageUnchanged)
        js("nav-window-open", AttackScripts.windowOpen, then: pageUnchanged)
        native("scheme-log-start") { [self] done in
            app.scheme.servedLog = []
            done(true, "logging requests")
        }
        js("scheme-traversal", AttackScripts.traversal) { [self] in
            let log = app.scheme.servedLog ?? []
            app.scheme.servedLog = nil
            let served = log.filter { $0.status != 404 }.map(\.uri)
            return (log.count >= AttackScripts.traversalPaths.count / 2 && served.isEmpty,
                    "\(log.count) requests reached the handler, all 404; served: \(served)")
        }
        native("scheme-html-headers") { [self] done in
            app.scheme.servedLog = []
            webkit_web_view_reload(app.webView)
            after(seconds: 3) { [self] in
                let log = app.scheme.servedLog ?? []
                app.scheme.servedLog = nil
                let html = log.filter { $0.uri.hasSuffix(".html") && $0.status == 200 }
                done(!html.isEmpty && html.allSatisfy(\.csp),
                     "reloaded: \(log.map { "\($0.uri) \($0.status)" })")
            }
        }
        js("csp-inline-script", AttackScripts.cspInlineScript)
        js("csp-inline-handler", AttackScripts.cspInlineHandler)
        js("csp-eval", AttackScripts.cspEval)
        js("csp-new-function", AttackScripts.cspFunction)
        js("csp-external-fetch", AttackScripts.cspExternalFetch)
        js("csp-inline-style", AttackScripts.cspInlineStyle)
        js("permission-geolocation", AttackScripts.permissionGeolocation)
        js("permission-media", AttackScripts.permissionMedia)
        js("permission-notification", AttackScripts.permissionNotification)
        js("link-open-allowlist", AttackScripts.linkOpen) { [self] in
            let opener = app.linkOpener as? RecordingLinkOpener
            let requested = opener?.requested ?? []
            return (requested == ["https://hl7.org/fhir/R4/"], "would open \(requested)")
        }
        js("ipc-fuzz-10k", AttackScripts.fuzz)
        js("idle-summary-open", AttackScripts.openSummary(family: fixture.patientFamily))
        js("idle-warning-before-lock", AttackScripts.idleWarning)
        native("idle-warning-enter-stays") { [self] done in
            let started = Self.start("xdotool", ["key", "Return"])
            after(milliseconds: 500) { [self] in
                guard let view = app.webView else { return done(false, "no view") }
                JavaScriptRunner.run(AttackScripts.prelude + AttackScripts.afterIdleWarningEnter,
                                     in: view) { text, _ in
                    done(started && (text ?? "").contains("\"pass\":true"), text ?? "no result")
                }
            }
        }
        native("idle-native-input-counts", nativeInputCounts)
        native("idle-lock-trigger") { [self] done in
            // Move the broker's clock past the idle timeout and let the timer's check run.
            app.broker.now = { Date().addingTimeInterval(3600) }
            app.idleLock.tick()
            app.broker.now = { Date() }
            done(app.broker.vault == nil, "vault locked: \(app.broker.vault == nil)")
        }
        // The page polls every 30 s; the broker's push must clear it well before that.
        js("idle-lock-page-cleared-at-once", AttackScripts.pageClearedWithin(milliseconds: 3000))
        js("idle-lock-page-sees-locked", AttackScripts.afterIdle)
        native("deeplink-signed-out") { [self] done in
            let confirmer = app.deepLinkConfirmer as? ScriptedDeepLinkConfirmer
            let asked = confirmer?.asked.count ?? -1
            confirmer?.nextAnswer = true
            let outcome = app.handleDeepLink("phidesk://patient/" + deepLinkPatientID)
            after(milliseconds: 800) { [self] in
                JavaScriptRunner.run(AttackScripts.deepLinkPageState, in: app.webView!) {
                    text, _ in
                    let page = text ?? ""
                    done(outcome == DeepLink.Rejection.signedOut.rawValue
                        && confirmer?.asked.count == asked && page.contains("\"auth\":true")
                        && page.contains("\"summaryEmpty\":true"),
                        "outcome \(outcome); asked before/after "
                            + "\(asked)/\(confirmer?.asked.count ?? -1); page \(page)")
                }
            }
        }
        native("keyboard-tab-wraps") { [self] done in
            keyWraps(key: "Tab", focusScript: AttackScripts.focusLastControl, done)
        }
        native("keyboard-shift-tab-wraps") { [self] done in
            keyWraps(key: "shift+Tab", focusScript: AttackScripts.focusFirstControl, done)
        }
        js("signin-error-tied-to-field", AttackScripts.signInFieldError)
        screenshot("final")
        native("audit-trail", auditCheck)
    }

    /// Real X input (xdotool moves the pointer over the window) must count as activity for
    /// the idle timeout, without any request from the page.
    private func nativeInputCounts(_ done: @escaping Completion) {
        guard let before = app.broker.vault?.access?.session.lastActivity else {
            return done(false, "not signed in")
        }
        // Started, not waited for: GTK must keep running its loop to receive the events.
        after(milliseconds: 1200) { [self] in
            let started = Self.start("xdotool", ["mousemove", "300", "300", "sleep", "0.2",
                                                 "mousemove", "420", "360"])
            after(milliseconds: 1500) { [self] in
                let later = app.broker.vault?.access?.session.lastActivity
                let advanced = later.map { $0.timeIntervalSince(before) } ?? 0
                done(started && advanced >= 1,
                     "xdotool started: \(started); last activity advanced by \(advanced) s")
            }
        }
    }

    /// A real Tab (xdotool) on the page's last control moves focus to its first one, and
    /// Shift+Tab on the first to the last, instead of out of the web view where a keyboard
    /// user could not come back.
    private func keyWraps(key: String, focusScript: String, _ done: @escaping Completion) {
        guard let view = app.webView else { return done(false, "no view") }
        JavaScriptRunner.run(focusScript, in: view) { expected, _ in
            let started = Self.start("xdotool", ["key", key])
            after(milliseconds: 800) {
                JavaScriptRunner.run("return document.activeElement.id || '(none)';",
                                     in: view) { active, _ in
                    done(started && expected != nil && active == expected,
                         "expected \(expected ?? "?"), focus after \(key) \(active ?? "?")")
                }
            }
        }
    }

    /// Starts a tool from PATH without waiting for it; true when it started.
    private static func start(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return (try? process.run()) != nil
    }

    private var deepLinkPatientID = ""

    /// phidesk:// links as the command line delivers them: malformed ones refused and
    /// audited without asking the user; a valid one asks first and shows nothing when
    /// declined; confirmed, the page runs the normal audited read or search.
    private func deepLinkSteps() {
        native("deeplink-grammar") { [self] done in
            let confirmer = app.deepLinkConfirmer as? ScriptedDeepLinkConfirmer
            let before = app.broker.rejections.totals
            var wrong: [String] = []
            for link in AttackScripts.badDeepLinks where
                !app.handleDeepLink(link).hasPrefix("deeplink-") { wrong.append(link) }
            let after = app.broker.rejections.totals
            let added = after.filter { $0.key.hasPrefix("deeplink-") }
                .map { $0.value - (before[$0.key] ?? 0) }.reduce(0, +)
            let kinds = Set(after.keys.filter { $0.hasPrefix("deeplink-") })
            done(wrong.isEmpty && added == AttackScripts.badDeepLinks.count
                && confirmer?.asked.isEmpty == true,
                "\(AttackScripts.badDeepLinks.count) links, \(added) refusals recorded "
                + "(\(kinds.sorted())), accepted: \(wrong), "
                + "user asked \(confirmer?.asked.count ?? -1)×")
        }
        js("deeplink-declined", AttackScripts.deepLinkBackToSearch(family: fixture.patientFamily)) {
            [self] in
            let confirmer = app.deepLinkConfirmer as? ScriptedDeepLinkConfirmer
            confirmer?.nextAnswer = false
            return (true, "")
        }
        native("deeplink-declined-shows-nothing") { [self] done in
            let confirmer = app.deepLinkConfirmer as? ScriptedDeepLinkConfirmer
            guard let id = lastScriptResult?["patientID"] as? String else {
                return done(false, "no patient id from the page")
            }
            deepLinkPatientID = id
            let outcome = app.handleDeepLink("phidesk://patient/" + id)
            after(milliseconds: 800) { [self] in
                JavaScriptRunner.run(AttackScripts.deepLinkPageState, in: app.webView!) {
                    text, _ in
                    let page = text ?? ""
                    done(outcome == "confirming" && confirmer?.asked.count == 1
                        && page.contains("\"summaryEmpty\":true"),
                        "outcome \(outcome); page \(page)")
                }
            }
        }
        native("deeplink-confirmed-opens-record") { [self] done in
            let confirmer = app.deepLinkConfirmer as? ScriptedDeepLinkConfirmer
            confirmer?.nextAnswer = true
            let outcome = app.handleDeepLink("phidesk://patient/" + deepLinkPatientID)
            after(seconds: 2) { [self] in
                JavaScriptRunner.run(AttackScripts.deepLinkPageState, in: app.webView!) {
                    text, _ in
                    let page = text ?? ""
                    done(outcome == "confirming" && confirmer?.asked.count == 2
                        && page.contains("\"summaryEmpty\":false")
                        && page.contains(self.deepLinkPatientID),
                        "outcome \(outcome); page \(page)")
                }
            }
        }
    }

    /// A second web view sharing our context (so it reaches our scheme handler) but not
    /// our view: the broker must refuse its IPC even though its Origin is `app://phidesk`.
    private func foreignViewStep() {
        native("ipc-foreign-view") { [self] done in
            guard let view = app.view, let ours = phidesk_as_web_view(view) else {
                return done(false, "no view")
            }
            let context = webkit_web_view_get_context(ours)
            let session = webkit_network_session_new_ephemeral()
            let settings = webkit_settings_new()
            let foreign = phidesk_web_view_new(context, session, settings, nil)!
            g_object_ref_sink(UnsafeMutableRawPointer(foreign))
            foreignView = foreign
            let foreignWeb = phidesk_as_web_view(foreign)!
            webkit_web_view_load_uri(foreignWeb, AppScheme.base + "index.html")
            after(seconds: 3) {
                JavaScriptRunner.run(AttackScripts.prelude + AttackScripts.foreignViewFetch,
                                     in: foreignWeb) { text, error in
                    let object = text.flatMap {
                        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                    }
                    done(object?["pass"] as? Bool ?? false, text ?? error ?? "?")
                }
            }
        }
    }

    private func auditCheck(_ done: @escaping Completion) {
        app.broker.rejections.flush()
        let events: [AuditEvent]
        do {
            let auditor = try fixture.signIn("auditor")
            defer { auditor.close() }
            events = try auditor.auditTail(count: 2000)
        } catch {
            return done(false, "audit read failed: \(error)")
        }
        auditSummary = events.map { event in
            var row: [String: Any] = ["action": event.action.rawValue,
                                      "outcome": event.outcome.rawValue]
            if let reason = event.reasonCode { row["reason"] = reason }
            if let count = event.count { row["count"] = count }
            if let role = event.role { row["role"] = role }
            if event.recordedUnauthenticated { row["unauthenticated"] = true }
            return row
        }
        func has(_ action: AuditAction, _ outcome: AuditOutcome, reason: String? = nil) -> Bool {
            events.contains {
                $0.action == action && $0.outcome == outcome
                    && (reason == nil || $0.reasonCode == reason)
            }
        }
        let alerts = events.filter { $0.action == .alert && $0.actor == Broker.actor }
        let required: [(String, Bool)] = [
            ("clinician sign-in", events.contains {
                $0.action == .signIn && $0.outcome == .success && $0.role == "clinician"
                    && $0.actor == Broker.actor }),
            ("search", has(.search, .success)),
            ("chart read", has(.read, .success)),
            ("unknown command", has(.alert, .denied, reason: "ipc-unknown-command")),
            ("bad payload", has(.alert, .denied, reason: "ipc-bad-payload")),
            ("wrong sender", has(.alert, .denied, reason: "ipc-wrong-sender")),
            ("navigation", has(.alert, .denied, reason: "renderer-navigation-blocked")),
            ("flood summary", has(.alert, .denied, reason: "ipc-rejections-suppressed")),
            ("idle lock", has(.sessionLock, .success, reason: "idle-timeout")),
            ("deep link refusals", DeepLink.Rejection.allCases.filter { rejection in
                events.contains { $0.action == .alert && $0.reasonCode == rejection.rawValue }
            }.count == DeepLink.Rejection.allCases.count),
            ("no payload in alerts", alerts.allSatisfy {
                $0.objectIDs.isEmpty && $0.resourceType == nil }),
        ]
        let missing = required.filter { !$0.1 }.map(\.0)
        done(missing.isEmpty, missing.isEmpty
            ? "\(events.count) events; \(alerts.count) renderer alerts"
            : "missing: \(missing.joined(separator: ", "))")
    }
}

// MARK: - GLib timers for the suite

private final class TimerBox {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

func after(milliseconds: UInt32, _ body: @escaping () -> Void) {
    let box = Unmanaged.passRetained(TimerBox(body)).toOpaque()
    g_timeout_add(milliseconds, { data in
        guard let data else { return 0 }
        Unmanaged<TimerBox>.fromOpaque(data).takeRetainedValue().body()
        return 0  // G_SOURCE_REMOVE
    }, box)
}

func after(seconds: UInt32, _ body: @escaping () -> Void) {
    after(milliseconds: seconds * 1000, body)
}
