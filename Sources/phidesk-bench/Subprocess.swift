import Foundation

/// Runs reference tools (`openssl`, `swift`) as child processes and captures stdout.
enum Subprocess {
    /// Places searched after `$PATH`, so the toolchain is found even when not on it.
    private static let extraDirectories = ["/opt/swift/usr/bin", "/usr/bin", "/usr/local/bin"]

    /// The full path of `tool`, or nil when it is not installed.
    static func locate(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + extraDirectories
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// Stdout and stderr of `tool arguments…` joined, or nil if it cannot run or fails.
    static func run(_ tool: String, _ arguments: [String]) -> String? {
        guard let executable = locate(tool) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return nil
        }
        // Read before waiting, so a chatty child cannot block on a full pipe.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
