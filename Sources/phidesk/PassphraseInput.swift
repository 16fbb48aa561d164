import Foundation
import PhideskCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Reads a passphrase straight into wiped storage, from a file, a file descriptor or the
/// terminal (echo off). Never from the command line, where `ps` would show it.
enum PassphraseInput {
    static let maximumByteCount = 1024

    enum Failure: Error, CustomStringConvertible {
        case cannotOpen(String, what: String)
        /// `alternatives`: how else to give it (the options, in words).
        case noTerminal(what: String, alternatives: String)
        case empty(what: String)

        var description: String {
            switch self {
            case .cannotOpen(let source, let what):
                return "cannot read the \(what) from \(source)"
            case .noTerminal(let what, let alternatives):
                return "no \(what): \(alternatives) (no terminal to prompt on)"
            case .empty(let what):
                return "the \(what) is empty"
            }
        }
    }

    static func read(
        file: String?, descriptor: String?, prompt: String, repeatPrompt: String? = nil,
        what: String = "passphrase", alternatives: String? = nil
    ) throws -> SecureBytes {
        let alternatives = alternatives ?? "use --\(what)-file FILE or --\(what)-fd N"
        if let file {
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw Failure.cannotOpen("the \(what) file", what: what) }
            defer { close(fd) }
            var status = stat()
            guard fstat(fd, &status) == 0, status.st_mode & S_IFMT != S_IFDIR else {
                throw Failure.cannotOpen("the \(what) file (it is a folder)", what: what)
            }
            return try readLine(from: fd, what: what)
        }
        if let descriptor {
            guard let fd = Int32(descriptor), fd >= 0 else {
                throw UsageError("--passphrase-fd needs a file descriptor number")
            }
            guard fcntl(fd, F_GETFD) >= 0 else {
                throw Failure.cannotOpen("file descriptor \(fd) (not open)", what: what)
            }
            return try readLine(from: fd, what: what)
        }
        let first = try readFromTerminal(prompt: prompt, what: what, alternatives: alternatives)
        if let repeatPrompt {
            let second = try readFromTerminal(
                prompt: repeatPrompt, what: what, alternatives: alternatives)
            guard first.constantTimeEquals(second) else {
                throw UsageError("the two entries differ")
            }
        }
        return first
    }

    /// A line of ordinary (echoed) text from the terminal, or from stdin when there is no
    /// terminal.
    /// One line of visible text from standard input (prompting only on a terminal), at
    /// most `maxBytes`: reading stops there, so an endless input cannot fill memory. The
    /// caller checks the length (a full buffer means the line was longer) and the content.
    static func readVisibleLine(prompt: String, maxBytes: Int) -> [UInt8] {
        if isatty(STDIN_FILENO) == 1 {
            FileHandle.standardError.write(Data(prompt.utf8))
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < maxBytes {
            let got = Glibc.read(STDIN_FILENO, &byte, 1)
            if got < 0, errno == EINTR { continue }
            guard got == 1, byte != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        return line
    }

    /// Reads up to the first newline, byte by byte, so no copy is left in a stdio buffer.
    private static func readLine(from fd: Int32, what: String) throws -> SecureBytes {
        let buffer = SecureBytes(zeroedCount: maximumByteCount)
        let length = buffer.withUnsafeMutableBytes { bytes -> Int in
            var count = 0
            while count < bytes.count {
                let got = Glibc.read(fd, bytes.baseAddress! + count, 1)
                if got <= 0 || bytes[count] == UInt8(ascii: "\n") {
                    break
                }
                count += 1
            }
            if count > 0, bytes[count - 1] == UInt8(ascii: "\r") {
                count -= 1
            }
            return count
        }
        guard length > 0 else { throw Failure.empty(what: what) }
        return buffer.withUnsafeBytes {
            SecureBytes(copying: UnsafeRawBufferPointer(rebasing: $0[0..<length]))
        }
    }

    private static func readFromTerminal(
        prompt: String, what: String, alternatives: String
    ) throws -> SecureBytes {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.noTerminal(what: what, alternatives: alternatives) }
        defer { close(fd) }

        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else {
            throw Failure.noTerminal(what: what, alternatives: alternatives)
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            _ = "\n".withCString { write(fd, $0, 1) }
        }
        return try readLine(from: fd, what: what)
    }
}
