import Foundation
import PhideskAudit

#if canImport(Glibc)
import Glibc
#endif

/// Where security alerts go besides the audit trail (which always gets them, with
/// severity `alert`): a file to append to, or a command that reads one line on stdin.
///
/// Alert lines carry only the kind, time and opaque ids, never PHI or login names.
public enum AlertSink: Sendable, Equatable {
    case file(String)
    case command(String)

    /// `PHIDESK_ALERT_SINK`: a path, or `|/path/to/command`.
    public static func fromEnvironment(_ environment: [String: String]) -> AlertSink? {
        guard let value = environment["PHIDESK_ALERT_SINK"], !value.isEmpty else { return nil }
        if value.hasPrefix("|") {
            return .command(String(value.dropFirst()))
        }
        return .file(value)
    }

    /// Delivers one alert line. Failures are swallowed: the audit trail already holds the
    /// alert, and a broken sink must not block sign-in handling.
    func deliver(kind: String, userID: String?, at time: Date) {
        let milliseconds = Int64(time.timeIntervalSince1970 * 1000)
        let stamp = AuditTimestamp(millisecondsSinceEpoch: milliseconds)?.iso8601 ?? "-"
        let line = "\(stamp) phidesk alert=\(kind)"
            + " user=\(userID ?? "-")\n"
        switch self {
        case .file(let path):
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return }
            _ = line.withCString { write(descriptor, $0, strlen($0)) }
            close(descriptor)
        case .command(let path):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return }
            input.fileHandleForWriting.write(Data(line.utf8))
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }
}
