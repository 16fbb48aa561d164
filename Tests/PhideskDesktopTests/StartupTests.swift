import Foundation
import Testing

/// What `phidesk-desktop` says and returns before any window opens: help, usage errors,
/// no display, root, missing UI files, no vault. Exit status: 0 ok, 1 cannot run, 2 usage.
@Suite struct StartupTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0])
        .deletingLastPathComponent().appendingPathComponent("phidesk-desktop").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the app with `display` as DISPLAY (nil: none). Every case here exits before
    /// GTK opens the display, so any value will do; the timeout guards a missing refusal.
    static func run(
        _ arguments: [String], display: String? = ":99", binary: String = binary
    ) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: binary))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["60", binary] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = display
        environment["WAYLAND_DISPLAY"] = nil
        environment["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Root needs `--allow-root` to get past the root check.
    static var asUser: [String] { geteuid() == 0 ? ["--allow-root"] : [] }

    @Test func helpGoesToStdoutAndExitsZero() throws {
        for flag in ["--help", "-h"] {
            let result = try Self.run([flag], display: nil)
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("OVERVIEW: The phidesk desktop app"))
            #expect(result.stdout.contains("EXAMPLES:"))
            #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
            #expect(result.stderr.isEmpty)
        }
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try Self.run(["--frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("usage: phidesk-desktop"))
        #expect(result.stdout.isEmpty)
    }

    @Test func noDisplayExitsOneAndGivesTheHeadlessCommand() throws {
        let result = try Self.run(
            ["--vault=/tmp/a vault", "phidesk://search?family=Canaryname"], display: nil)
        #expect(result.status == 1)
        let root = geteuid() == 0 ? " --allow-root" : ""
        #expect(result.stderr.contains(
            "xvfb-run -a dbus-run-session -- \(Self.binary) --vault '/tmp/a vault'\(root)\n"))
        #expect(!result.stderr.contains("Canaryname"), "a deep link is never echoed")

        // A terminal escape in a path is written back escaped, never raw.
        let escape = try Self.run(["--vault", "/tmp/\u{1B}]0;title\u{07}"], display: nil)
        #expect(escape.stderr.contains("--vault $'/tmp/\\x1b]0;title\\x07'"))
        #expect(!escape.stderr.unicodeScalars.contains("\u{1B}"))
    }

    /// Run as root without `--allow-root`, the app refuses and says how to override.
    @Test(.enabled(if: geteuid() == 0, "only meaningful as root"))
    func rootWithoutAllowRootRefuses() throws {
        let result = try Self.run([])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--allow-root"), "stderr: \(result.stderr)")
    }

    /// A binary copied without its resource folder says what is missing (SwiftPM's own
    /// accessor would stop the process with a fatal error).
    @Test func missingUIFilesAreNamed() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("phidesk-startup-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copy = folder + "/phidesk-desktop"
        try FileManager.default.copyItem(atPath: Self.binary, toPath: copy)

        let result = try Self.run(Self.asUser, binary: copy)
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "the UI files are missing from the installation: expected "
                + folder + "/phidesk_PhideskDesktop.resources/UI"), "stderr: \(result.stderr)")

        // Started through a symbolic link whose folder holds the resources, it finds them
        // (and goes on to the next check, the vault).
        let linked = folder + "/linked"
        try FileManager.default.createDirectory(atPath: linked, withIntermediateDirectories: true)
        let built = URL(fileURLWithPath: Self.binary).deletingLastPathComponent().path
        for bundle in ["phidesk_PhideskDesktop.resources", "phidesk_PhideskPolicy.resources"] {
            try FileManager.default.copyItem(atPath: built + "/" + bundle,
                                             toPath: linked + "/" + bundle)
        }
        try FileManager.default.createSymbolicLink(
            atPath: linked + "/phidesk-desktop", withDestinationPath: copy)
        let throughLink = try Self.run(Self.asUser + ["--vault", "/nonexistent/v"],
                                       binary: linked + "/phidesk-desktop")
        #expect(throughLink.stderr.contains("no vault at /nonexistent/v"),
                "stderr: \(throughLink.stderr)")
    }

    @Test func missingVaultIsNamedBeforeAnyWindow() throws {
        let result = try Self.run(Self.asUser + ["--vault", "/nonexistent/phidesk-vault"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "no vault at /nonexistent/phidesk-vault (create one with `phidesk init`)"))
    }
}
