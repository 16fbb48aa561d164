#if canImport(Glibc)
import Glibc
#endif

/// The pre-authentication spool: events that happen before the audit key is available
/// (a failed vault open, say) are appended as canonical lines to a plain file, by
/// convention `audit-pending.log` in the vault directory. After a successful open the
/// vault ``drain(_:)``s it, seals the events into the chain (they come back already
/// flagged ``AuditEvent/recordedUnauthenticated``) and, once that transaction has
/// committed, calls ``clear(_:)``. A crash in between seals the events twice, which is
/// better than losing them.
///
/// The file is not authenticated: anyone who can write the vault directory can add,
/// change or delete pending lines. The flag records that in the chain.
// LIMITATION: drain and clear are not atomic against a concurrent append from another
// process; the vault must hold its lock across drain, seal and clear.
public enum AuditSpool {
    /// The conventional file name inside the vault directory.
    public static let fileName = "audit-pending.log"
    /// Drain refuses larger files rather than read an unbounded amount into memory.
    public static let maximumByteCount = 16 * 1024 * 1024

    /// Appends one line and fsyncs it (and the directory when the file is new), so the
    /// event survives a crash right after a failed open.
    public static func append(_ event: AuditEvent, to path: String) throws {
        var line = try AuditCanonicalEncoding.encode(event)
        line.append(UInt8(ascii: "\n"))

        let flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW
        var created = false
        var descriptor = open(path, flags | O_CREAT | O_EXCL, 0o600)
        if descriptor >= 0 {
            created = true
        } else if errno == EEXIST {
            descriptor = open(path, flags)
        }
        guard descriptor >= 0 else { throw AuditError.spoolIO(operation: .open, errno: errno) }
        defer { close(descriptor) }

        // One write call with O_APPEND puts the whole line at the end even when another
        // process appends at the same time (lines are far below any partial-write size).
        var offset = 0
        while offset < line.count {
            let written = line.withUnsafeBytes { bytes in
                write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AuditError.spoolIO(operation: .write, errno: errno)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            throw AuditError.spoolIO(operation: .fsync, errno: errno)
        }
        if created { try syncDirectory(of: path) }
    }

    /// Reads every complete line, oldest first; a missing file is an empty spool.
    ///
    /// A final line without its newline is a write torn by a crash and is skipped. Any
    /// complete line that does not decode throws ``AuditError/malformedSpoolLine(_:)``.
    public static func drain(_ path: String) throws -> [AuditEvent] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if descriptor < 0 {
            if errno == ENOENT { return [] }
            throw AuditError.spoolIO(operation: .open, errno: errno)
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw AuditError.spoolIO(operation: .stat, errno: errno)
        }
        guard Int(status.st_size) <= maximumByteCount else { throw AuditError.spoolTooLarge }

        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw AuditError.spoolIO(operation: .read, errno: errno)
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
            // The file may grow after fstat; the cap still holds.
            guard contents.count <= maximumByteCount else { throw AuditError.spoolTooLarge }
        }

        var lines = contents.split(
            separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The piece after the last newline is empty for a clean file, or a torn write.
        lines.removeLast()

        var events: [AuditEvent] = []
        events.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            guard let event = try? AuditCanonicalEncoding.decode(line) else {
                throw AuditError.malformedSpoolLine(index + 1)
            }
            events.append(event.markedUnauthenticated())
        }
        return events
    }

    /// Removes the spool file (a missing file is fine) and syncs the directory.
    public static func clear(_ path: String) throws {
        if unlink(path) != 0 {
            if errno == ENOENT { return }
            throw AuditError.spoolIO(operation: .unlink, errno: errno)
        }
        try syncDirectory(of: path)
    }

    // A new or removed directory entry is durable only once the directory is synced.
    private static func syncDirectory(of path: String) throws {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw AuditError.spoolIO(operation: .open, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw AuditError.spoolIO(operation: .fsync, errno: errno)
        }
    }
}
