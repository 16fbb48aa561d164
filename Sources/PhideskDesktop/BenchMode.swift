import CDesktopShims
import CGTKWebKit
import Foundation
import PhideskAuth
import PhideskPolicy
import PhideskVault

/// Hidden modes for phidesk-bench (§7): start-up to an interactive sign-in screen, and
/// the process tree's memory with the largest shared patient open. Synthetic data only,
/// in a throwaway folder the bench owns.
enum BenchMode {
    static let readyMarker = "phidesk-desktop: ready"
    static let openedMarker = "phidesk-desktop: opened"
    static let largestBundleName = "b62462f8-e515-7cdd-449d-e03b38e976e1.json"

    /// `--bench-prepare DIR`: a vault with the largest shared patient and the sign-in
    /// details of its clinician (DIR/bench.json, 0600).
    static func prepare(_ folder: String) -> Int32 {
        guard let ui = BundledUI.folder() else {
            return 1
        }
        do {
            let fixture = try AttackFixture(root: folder)
            let bundle = AttackFixture.sharedData() + "/fhir/synthea/" + largestBundleName
            try fixture.build(bundledUI: ui, bundle: bundle)
            let details: [String: String] = [
                "family": fixture.patientFamily,
                "otpauth": fixture.enrolments["dr.test"] ?? "",
            ]
            let data = try JSONSerialization.data(withJSONObject: details)
            guard FileManager.default.createFile(
                atPath: folder + "/bench.json", contents: data,
                attributes: [.posixPermissions: 0o600])
            else { return 1 }
            return 0
        } catch {
            print(stderr: "bench-prepare failed: \(type(of: error))")
            return 1
        }
    }

    /// `--bench-open DIR`: the real app on DIR/vault, driven through the page like the
    /// attack suite's happy path; prints the opened marker and keeps running.
    static func open(_ folder: String, options: Options) -> Int32 {
        guard let ui = BundledUI.folder(),
            let data = FileManager.default.contents(atPath: folder + "/bench.json"),
            let details = try? JSONSerialization.jsonObject(with: data) as? [String: String],
            let family = details["family"], let uri = details["otpauth"],
            let secret = try? AttackFixture.secret(fromURI: uri),
            let policy = try? AccessPolicy.bundledDefault()
        else {
            print(stderr: "bench-open: the prepared folder is incomplete")
            return 1
        }
        let broker = Broker(location: VaultLocation(directory: folder + "/vault"), policy: policy)
        let app = DesktopApp(options: options, broker: broker, uiRoot: ui,
                             linkOpener: RecordingLinkOpener())
        // A code works once per 30-second step: use the first step after the last one a
        // previous run used, waiting when it is more than the accepted drift (+1) ahead.
        let stepFile = folder + "/last-step"
        let current = Int(Date().timeIntervalSince1970) / 30
        let last = (try? String(contentsOfFile: stepFile, encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let step = max(current, last + 1)
        try? String(step).write(toFile: stepFile, atomically: true, encoding: .utf8)
        let wait = max(0, (step - 1) * 30 - Int(Date().timeIntervalSince1970) + 1)
        let codeDate = Date(timeIntervalSince1970: TimeInterval(step * 30 + 1))
        app.onViewCreated = { app in
            whenReady(app) {
                if options.reportReady { print(stderr: readyMarker) }
                after(seconds: UInt32(wait)) { drive(app, family: family,
                                                     code: try? secret.code(at: codeDate)) }
            }
        }
        return app.run(unique: false)
    }

    private static func drive(_ app: DesktopApp, family: String, code: String?) {
        guard let view = app.webView, let code else { return print(stderr: "bench-open: no view") }
        let script = AttackScripts.prelude + AttackScripts.uiFlow(
            login: "dr.test", password: AttackFixture.password, code: code, family: family)
        JavaScriptRunner.run(script, in: view) { text, error in
            let ok = text?.contains("\"pass\":true") == true
            print(stderr: ok ? openedMarker : "bench-open: failed \(text ?? error ?? "?")")
        }
    }

    /// Calls `body` once the page has finished loading and its script set
    /// `window.phideskReady` (the sign-in screen is shown and usable).
    static func whenReady(_ app: DesktopApp, _ body: @escaping () -> Void) {
        guard let view = app.view else { return }
        let box = ReadyBox(app: app, body: body)
        typealias LoadChanged = @convention(c) (OpaquePointer?, WebKitLoadEvent, gpointer?) -> Void
        let changed: LoadChanged = { _, event, data in
            guard event == WEBKIT_LOAD_FINISHED, let data else { return }
            Unmanaged<ReadyBox>.fromOpaque(data).takeUnretainedValue().poll()
        }
        phidesk_signal_connect(view, "load-changed", unsafeBitCast(changed, to: GCallback.self),
                               Unmanaged.passRetained(box).toOpaque())
    }

    private final class ReadyBox {
        let app: DesktopApp
        let body: () -> Void
        var done = false
        init(app: DesktopApp, body: @escaping () -> Void) {
            self.app = app
            self.body = body
        }

        func poll() {
            guard !done, let view = app.webView else { return }
            JavaScriptRunner.run("return String(window.phideskReady === true);", in: view) {
                [self] text, _ in
                guard !done else { return }
                if text == "true" {
                    done = true
                    body()
                } else {
                    after(milliseconds: 5) { [self] in poll() }
                }
            }
        }
    }
}
