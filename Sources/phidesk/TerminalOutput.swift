import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout and files the way Unix tools should: errors (a full disk, a closed
/// pipe) become a message and exit status, never a crash; text from records is made
/// harmless for terminals.
enum TerminalOutput {
    struct WriteFailure: Error, CustomStringConvertible {
        let target: String
        let code: Int32
        var description: String {
            "cannot write \(target): \(String(cString: strerror(code)))"
        }
    }

    /// Writes all of `bytes` to a file descriptor, retrying short writes.
    static func write(_ bytes: [UInt8], to descriptor: Int32, target: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteFailure(target: target, code: errno)
            }
            offset += written
        }
    }

    static func standardOutput(_ text: String) throws {
        try write(Array(text.utf8), to: STDOUT_FILENO, target: "standard output")
    }

    static func standardOutput(_ bytes: [UInt8]) throws {
        try write(bytes, to: STDOUT_FILENO, target: "standard output")
    }

    /// Text that came from a record (names, codes, notes) with every control character
    /// other than newline and tab replaced, so a hostile file cannot move the cursor,
    /// clear the screen or retitle the terminal.
    static func sanitized(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let isControl = scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format && scalar.value >= 0x202A
                    && scalar.value <= 0x202E
            if isControl && scalar != "\n" && scalar != "\t" {
                result.append("\u{FFFD}")
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// A value printed on one line of a table: every control character, newlines
    /// included, becomes a space, so a record cannot forge extra lines.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? " " : scalar
        }))
    }

    /// Writes an export to `path`. A regular file is created (mode 0600) or replaced in
    /// place; a device or FIFO such as /dev/null is written through; a symbolic link or a
    /// directory is refused, so an export can never replace something else with PHI.
    static func writeExport(_ bytes: [UInt8], to path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFLNK {
                throw WriteFailure(target: path + " (a symbolic link; refusing)", code: ELOOP)
            }
            if kind == S_IFDIR {
                throw WriteFailure(target: path, code: EISDIR)
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteFailure(target: path, code: errno) }
        defer { close(descriptor) }
        try write(bytes, to: descriptor, target: path)
        var written = stat()
        if fstat(descriptor, &written) == 0, written.st_mode & S_IFMT == S_IFREG {
            // An existing file keeps its owner but not looser permissions.
            fchmod(descriptor, 0o600)
            guard fsync(descriptor) == 0 else { throw WriteFailure(target: path, code: errno) }
        }
    }
}
