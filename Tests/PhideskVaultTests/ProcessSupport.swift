import Foundation

/// Runs the built `phidesk` binary, as a user would.
enum PhideskProcess {
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["PHIDESK_BIN"] {
            return explicit
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0])
            .deletingLastPathComponent().appendingPathComponent("phidesk").path
        if FileManager.default.isExecutableFile(atPath: beside) {
            return beside
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/",
            !FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("Package.swift").path)
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent(".build/debug/phidesk").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func makeProcess(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = [
            "PATH": "/usr/bin:/bin", "SWIFT_BACKTRACE": "enable=no", "HOME": NSTemporaryDirectory(),
        ]
        env.merge(environment) { $1 }
        process.environment = env
        return process
    }

    /// Runs to completion and captures both streams. `wrapper` (a command and its options,
    /// e.g. `["/usr/bin/setsid", "-w"]`) runs the binary; `input` is a file for stdin.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], through wrapper: [String] = [],
        input: String? = nil
    ) throws -> Result {
        let process = makeProcess(arguments, environment: environment)
        if let command = wrapper.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = wrapper.dropFirst() + [binary] + arguments
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input.flatMap(FileHandle.init(forReadingAtPath:))
            ?? FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
