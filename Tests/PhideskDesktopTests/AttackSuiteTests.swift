import Foundation
import PhideskSampleData
import Testing

@testable import PhideskDesktop

/// Runs `phidesk-desktop --attack-suite` under Xvfb and a private D-Bus session (real
/// WebKit, real sandbox) and checks each named attack's outcome. As root the sandboxed
/// process keeps capabilities, so the app refuses root unless given `--allow-root`: when
/// the tests run as root and `runuser` is there, the app runs as `nobody` (uid 65534) in a
/// private folder instead; only if that cannot start for a reason found up front (no
/// `runuser`, `nobody` cannot read the binary or its data) does it fall back to root with
/// `--allow-root`, and says so.
enum AttackRun {
    static let unprivilegedUID: uid_t = 65534
    static let runuser = "/usr/sbin/runuser"

    enum Mode: Equatable {
        case currentUser
        case unprivileged
        case rootFallback(reason: String)
    }

    struct Report {
        var results: [String: (passed: Bool, detail: String)] = [:]
        var problem: String?
        var mode: Mode = .currentUser
        /// The owner of the report the app wrote: the user it really ran as.
        var reportOwner: uid_t?
        /// Files the run left in its private folder (WebKit's cache, config, data and
        /// runtime folders, the vault if not removed, the report), plus its stdout/stderr.
        var scannedFiles = 0
        /// Where a canary was found: "relative path: canary N" (never the value itself).
        var leaks: [String] = []
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
        // The app's vault, report and WebKit's runtime files: nothing to keep once read.
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/attack.json"
        var command = ["xvfb-run", "-a", "dbus-run-session", found, "--attack-suite", output]
        // Every mode keeps the app's home, cache, config, runtime and temp files in the
        // private folder, so what it leaves behind can be searched for PHI afterwards.
        let inFolder = ["/usr/bin/env"] + privateEnvironment(folder: folder)
        if geteuid() == 0 {
            if let reason = unprivilegedBlocker(binary: found, folder: folder) {
                report.mode = .rootFallback(reason: reason)
                print("AttackRun: running phidesk-desktop as root with --allow-root: \(reason)")
                command = inFolder + command + ["--allow-root"]
            } else {
                report.mode = .unprivileged
                command = [runuser, "-u", "nobody", "--"] + inFolder + command
            }
        } else {
            command = inFolder + command
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["480"] + command
        let outputFile = folder + ".output"
        FileManager.default.createFile(atPath: outputFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        let outputHandle = FileHandle(forWritingAtPath: outputFile)
        process.standardOutput = outputHandle ?? FileHandle.nullDevice
        process.standardError = outputHandle ?? FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            try? outputHandle?.close()
        } catch {
            report.problem = "could not start xvfb-run: \(error)"
            return report
        }
        (report.scannedFiles, report.leaks) = Leaks.scan(
            folder: folder, extraFiles: [outputFile], canaries: (try? Leaks.canaries()) ?? [])
        if let owner = try? FileManager.default.attributesOfItem(atPath: output)[.ownerAccountID]
            as? NSNumber
        {
            report.reportOwner = owner.uint32Value
        }
        guard let data = FileManager.default.contents(atPath: output),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let results = json["results"] as? [[String: Any]]
        else {
            report.problem = "no report (exit \(process.terminationStatus), \(report.mode))"
            return report
        }
        for result in results {
            guard let name = result["name"] as? String else { continue }
            report.results[name] = (result["passed"] as? Bool ?? false,
                                    result["detail"] as? String ?? "")
        }
        return report
    }()

    /// Why the app cannot run as `nobody` here, or nil if it can. Prepares `folder` (made
    /// by root) as that user's private folder: owner 65534:65534, mode 0700.
    static func unprivilegedBlocker(binary: String, folder: String) -> String? {
        guard FileManager.default.isExecutableFile(atPath: runuser) else {
            return "\(runuser) is missing"
        }
        var readable = [binary]
        let binaryFolder = (binary as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: binaryFolder)) ?? []
        readable += names.filter { $0.hasPrefix("phidesk_") && $0.hasSuffix(".resources") }
            .map { binaryFolder + "/" + $0 }
        readable.append(sharedData() + "/fhir/synthea")
        for path in readable where !asNobody(["/usr/bin/test", "-r", path, "-a", "-x", path]) {
            return "nobody cannot read \(path)"
        }
        guard chown(folder, unprivilegedUID, unprivilegedUID) == 0, chmod(folder, 0o700) == 0
        else {
            return "cannot give \(folder) to nobody: errno \(errno)"
        }
        return nil
    }

    /// The environment of the run, all inside its private folder.
    static func privateEnvironment(folder: String) -> [String] {
        let parent = ProcessInfo.processInfo.environment
        var environment = [
            "HOME=\(folder)", "XDG_RUNTIME_DIR=\(folder)",
            "XDG_CACHE_HOME=\(folder)/cache", "XDG_CONFIG_HOME=\(folder)/config",
            "TMPDIR=\(folder)", "PATH=\(parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")",
        ]
        if let shared = parent["PHIDESK_SHARED_DATA"] {
            environment.append("PHIDESK_SHARED_DATA=\(shared)")
        }
        return environment
    }

    static func asNobody(_ command: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: runuser)
        process.arguments = ["-u", "nobody", "--"] + command
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// The shared test data the suite reads (as the app finds it: beside the repository).
    static func sharedData() -> String {
        SampleDataLocation.root()?.path ?? "shared/data"
    }
}

/// Synthetic PHI and secrets of the attack suite's world, searched for in what a run leaves.
enum Leaks {
    /// The suite's patient's names, birth date and identifiers, and the users' password.
    static func canaries() throws -> [String] {
        let bundle = try AttackFixture.smallestPatientBundle()
        let data = try Data(contentsOf: URL(fileURLWithPath: bundle))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let entries = json?["entry"] as? [[String: Any]] ?? []
        let patient = entries.compactMap { $0["resource"] as? [String: Any] }
            .first { $0["resourceType"] as? String == "Patient" } ?? [:]
        var values: [String] = [AttackFixture.password]
        for name in patient["name"] as? [[String: Any]] ?? [] {
            values += (name["given"] as? [String] ?? []) + [name["family"] as? String ?? ""]
        }
        values.append(patient["birthDate"] as? String ?? "")
        for identifier in patient["identifier"] as? [[String: Any]] ?? [] {
            values.append(identifier["value"] as? String ?? "")
        }
        // Short values (a "1" of a record number) would match by chance.
        return Array(Set(values.filter { $0.count >= 6 })).sorted()
    }

    /// Counts the regular files under `folder` (and `extraFiles`) and lists each canary
    /// found in one, as UTF-8 or UTF-16 (WebKit keeps some strings as UTF-16).
    static func scan(folder: String, extraFiles: [String], canaries: [String])
        -> (files: Int, leaks: [String])
    {
        let manager = FileManager.default
        let inside = ((try? manager.subpathsOfDirectory(atPath: folder)) ?? [])
            .map { folder + "/" + $0 }
        var files = 0
        var leaks: [String] = []
        for path in inside + extraFiles {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory),
                !isDirectory.boolValue, let data = manager.contents(atPath: path)
            else { continue }
            files += 1
            for (index, canary) in canaries.enumerated() {
                let forms = [Data(canary.utf8), canary.data(using: .utf16LittleEndian)]
                if forms.contains(where: { $0.map { data.range(of: $0) != nil } ?? false }) {
                    let name = path.hasPrefix(folder) ? String(path.dropFirst(folder.count))
                        : "output"
                    leaks.append("\(name): canary \(index)")
                }
            }
        }
        return (files, leaks)
    }
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
        "link-open-allowlist", "ipc-fuzz-10k", "idle-summary-open",
        "idle-warning-before-lock", "idle-warning-enter-stays", "idle-native-input-counts",
        "idle-lock-trigger", "idle-lock-page-cleared-at-once", "idle-lock-page-sees-locked",
        "deeplink-grammar", "deeplink-declined", "deeplink-declined-shows-nothing",
        "deeplink-confirmed-opens-record",
        "deeplink-signed-out", "keyboard-tab-wraps", "keyboard-shift-tab-wraps",
        "signin-error-tied-to-field",
        "audit-trail",
    ]

    @Test(arguments: checks)
    func attack(_ name: String) throws {
        let report = AttackRun.report
        #expect(report.problem == nil, "\(report.problem ?? "")")
        let result = try #require(report.results[name], "check \(name) did not run")
        #expect(result.passed, "\(name): \(result.detail)")
    }

    /// Nothing the renderer or the broker left on disk (WebKit's cache, config and data
    /// folders, temp files, the report) nor anything they printed holds the patient's
    /// names, birth date or identifiers, or the password typed into the page.
    @Test func noPHIOrSecretInWhatTheRunLeaves() throws {
        let canaries = try Leaks.canaries()
        let bundle = try Data(contentsOf: URL(
            fileURLWithPath: try AttackFixture.smallestPatientBundle()))
        // The canaries are real values of the data the suite imported, so the scan can fail.
        #expect(canaries.count >= 4)
        for canary in canaries where canary != AttackFixture.password {
            #expect(bundle.range(of: Data(canary.utf8)) != nil)
        }
        let report = AttackRun.report
        #expect(report.problem == nil, "\(report.problem ?? "")")
        #expect(report.scannedFiles >= 2, "the report and the output at least")
        #expect(report.leaks.isEmpty, "\(report.leaks)")
        print("AttackSuiteTests: searched \(report.scannedFiles) files for "
              + "\(canaries.count) canaries")
    }

    @Test func theLeakScanFindsUTF8AndUTF16() throws {
        let folder = NSTemporaryDirectory() + "phidesk-leak-scan-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: folder + "/cache", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = FileManager.default.createFile(
            atPath: folder + "/cache/a",
            contents: "xx Canaryone xx".data(using: .utf16LittleEndian))
        _ = FileManager.default.createFile(atPath: folder + "/b", contents: Data("Canarytwo".utf8))

        let (files, leaks) = Leaks.scan(
            folder: folder, extraFiles: [], canaries: ["Canaryone", "Canarytwo", "Canarythree"])
        #expect(files == 2)
        #expect(leaks.sorted() == ["/b: canary 1", "/cache/a: canary 0"])
    }

    /// As root, the app must have run as `nobody` unless that was impossible up front
    /// (then the fallback is printed), and the web process sandbox must still be active.
    @Test func ranUnprivilegedWhenItCould() throws {
        let report = AttackRun.report
        #expect(report.problem == nil, "\(report.problem ?? "")")
        switch report.mode {
        case .unprivileged:
            #expect(report.reportOwner == AttackRun.unprivilegedUID,
                    "report owned by uid \(report.reportOwner.map(String.init) ?? "?")")
        case .currentUser:
            #expect(geteuid() != 0)
            #expect(report.reportOwner == geteuid())
        case .rootFallback(let reason):
            print("AttackSuiteTests: the app ran as root (--allow-root): \(reason)")
            #expect(report.reportOwner == 0)
        }
        let sandbox = try #require(report.results["sandbox-active"], "sandbox-active did not run")
        #expect(sandbox.passed, "sandbox-active: \(sandbox.detail)")
    }
}
