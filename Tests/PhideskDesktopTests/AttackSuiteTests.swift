import Foundation
import Testing

/// Runs `phidesk-desktop --attack-suite` under Xvfb and a private D-Bus session (real
/// WebKit, real sandbox) and checks each named attack's outcome. This machine runs the
/// tests as root, so the binary is started with `--allow-root` (it refuses root without).
enum AttackRun {
    struct Report {
        var results: [String: (passed: Bool, detail: String)] = [:]
        var problem: String?
    }

    static let report: Report = {
        var report = Report()
        let debug = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var binary = debug.appendingPathComponent("phidesk-desktop").path
        if let explicit = ProcessInfo.processInfo.environment["PHIDESK_DESKTOP_BINARY"] {
            binary = explicit
        }
        let candidates = [binary, debug.deletingLastPathComponent()
            .appendingPathComponent("phidesk-desktop").path]
        guard let found = candidates.first(where: FileManager.default.isExecutableFile) else {
            report.problem = "phidesk-desktop not built (build the product first)"
            return report
        }
        let folder = NSTemporaryDirectory() + "phidesk-attack-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let output = folder + "/attack.json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["480", "xvfb-run", "-a", "dbus-run-session", found,
                             "--attack-suite", output, "--allow-root"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            report.problem = "could not start xvfb-run: \(error)"
            return report
        }
        guard let data = FileManager.default.contents(atPath: output),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let results = json["results"] as? [[String: Any]]
        else {
            report.problem = "no report (exit \(process.terminationStatus))"
            return report
        }
        for result in results {
            guard let name = result["name"] as? String else { continue }
            report.results[name] = (result["passed"] as? Bool ?? false,
                                    result["detail"] as? String ?? "")
        }
        return report
    }()
}

@Suite(.serialized) struct AttackSuiteTests {
    static let checks = [
        "sandbox-active", "happy-path-ui", "stylesheet-applied", "happy-path-projection",
        "ipc-unknown-command",
        "ipc-schema-wrong-type", "ipc-schema-extra-key", "ipc-schema-oversize",
        "ipc-wrong-method", "ipc-forged-origin-header", "frame-injection", "ipc-foreign-view",
        "nav-location", "nav-link-click", "nav-target-blank", "nav-window-open",
        "scheme-traversal", "scheme-html-headers", "csp-inline-script", "csp-inline-handler",
        "csp-eval", "csp-new-function", "csp-external-fetch", "csp-inline-style",
        "permission-geolocation", "permission-media", "permission-notification",
        "link-open-allowlist", "ipc-fuzz-10k", "idle-lock-trigger",
        "idle-lock-page-sees-locked", "deeplink-grammar", "deeplink-declined",
        "deeplink-declined-shows-nothing", "deeplink-confirmed-opens-record",
        "deeplink-signed-out", "audit-trail",
    ]

    @Test(arguments: checks)
    func attack(_ name: String) throws {
        let report = AttackRun.report
        #expect(report.problem == nil, "\(report.problem ?? "")")
        let result = try #require(report.results[name], "check \(name) did not run")
        #expect(result.passed, "\(name): \(result.detail)")
    }

    @Test func noDisplayExitsTwo() throws {
        let debug = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = debug.appendingPathComponent("phidesk-desktop").path
        try #require(FileManager.default.isExecutableFile(atPath: binary))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = nil
        environment["WAYLAND_DISPLAY"] = nil
        process.environment = environment
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(text.contains("xvfb-run -a dbus-run-session"))
    }
}
