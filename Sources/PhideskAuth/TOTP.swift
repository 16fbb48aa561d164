public import Foundation
public import PhideskCrypto
internal import COATH
internal import Glibc

/// A TOTP shared secret: 20 random bytes, the RFC 4226 recommended length for HMAC-SHA-1.
///
/// The bytes stay in ``SecureBytes``; the type never prints them. The base32 form exists
/// only in the strings returned by the `reveal…ForEnrolment` methods.
public struct TOTPSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Length of a freshly generated secret.
    public static let byteCount = 20

    let bytes: SecureBytes

    /// Wraps secret bytes loaded from storage (for example after unsealing them).
    public init(bytes: SecureBytes) {
        self.bytes = bytes
    }

    /// A new secret from the CSPRNG.
    public static func generate() throws(AuthError) -> TOTPSecret {
        do {
            return TOTPSecret(bytes: try SecureBytes.random(count: byteCount))
        } catch {
            throw .randomSourceFailure
        }
    }

    /// Gives the raw secret bytes to `body`, for sealing them into the vault.
    public func withUnsafeSecretBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try bytes.withUnsafeBytes(body)
    }

    /// The code an authenticator app shows at `date` (6 digits, 30 s step).
    ///
    /// For tests and demo tooling; login code verification goes through ``TOTP/verify``.
    public func code(at date: Date) throws(AuthError) -> String {
        guard let step = TOTP.step(at: date) else {
            throw .oathFailure(code: OATH_INVALID_TIMESTAMP.rawValue)
        }
        return try code(step: step, digits: TOTP.digits)
    }

    /// The code for `step` with `digits` digits; 8 digits is used for the RFC 6238 vectors.
    func code(step: UInt64, digits: Int) throws(AuthError) -> String {
        let buffer = try generate(step: step, digits: digits)
        return buffer.withUnsafeBytes { raw in
            String(decoding: raw.prefix(digits), as: UTF8.self)
        }
    }

    /// Runs liboath into a secure buffer of `digits` characters plus the C terminator.
    func generate(step: UInt64, digits: Int) throws(AuthError) -> SecureBytes {
        try TOTP.ensureLibraryReady()

        // liboath takes a time, not a step; the first second of the step names it exactly.
        guard step <= UInt64(Int.max) / UInt64(TOTP.period) else {
            throw .oathFailure(code: OATH_INVALID_TIMESTAMP.rawValue)
        }
        let now = time_t(step * UInt64(TOTP.period))
        let output = SecureBytes(zeroedCount: digits + 1)
        let status = bytes.withUnsafeBytes { secret in
            output.withUnsafeMutableBytes { out in
                oath_totp_generate2(
                    secret.baseAddress?.assumingMemoryBound(to: CChar.self),
                    secret.count,
                    now,
                    UInt32(TOTP.period),
                    0,
                    UInt32(digits),
                    0,
                    out.baseAddress?.assumingMemoryBound(to: CChar.self))
            }
        }
        guard status == OATH_OK.rawValue else { throw .oathFailure(code: status) }
        return output
    }

    /// The secret in unpadded RFC 4648 base32, for typing into an authenticator by hand.
    ///
    /// - Warning: Returns the secret as an unwipeable `String`. Show it once at enrolment
    ///   and never log or store it.
    public func revealBase32ForEnrolment() throws(AuthError) -> String {
        try TOTP.ensureLibraryReady()

        var encoded: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = bytes.withUnsafeBytes { secret in
            oath_base32_encode(
                secret.baseAddress?.assumingMemoryBound(to: CChar.self),
                secret.count,
                &encoded,
                &length)
        }
        guard status == OATH_OK.rawValue, let encoded else { throw .oathFailure(code: status) }

        // liboath mallocs the text; wipe it before freeing so the heap does not keep a copy.
        defer {
            explicit_bzero(encoded, length)
            free(encoded)
        }
        let raw = UnsafeRawBufferPointer(start: encoded, count: length)
        return String(decoding: raw.filter { $0 != UInt8(ascii: "=") }, as: UTF8.self)
    }

    public var description: String { "TOTPSecret(<redacted>)" }
    public var debugDescription: String { description }
}

/// Outcome of checking a one-time code.
public enum TOTPResult: Equatable, Sendable {
    /// The code is valid for `step`; the caller stores it as the new last accepted step.
    case accepted(step: UInt64)
    /// The code is valid but for a step already used, so it may have been observed.
    case replayed
    /// Wrong code, malformed input, or a time outside the range TOTP can express.
    case invalid
}

/// RFC 6238 TOTP with the authenticator-app defaults: HMAC-SHA-1, 6 digits, 30 s step.
public enum TOTP {
    public static let digits = 6
    public static let period = 30
    /// Steps accepted either side of the current one, for clock drift and typing time.
    public static let driftSteps: UInt64 = 1

    /// The time step containing `date`, or nil before the Unix epoch.
    public static func step(at date: Date) -> UInt64? {
        let seconds = date.timeIntervalSince1970
        guard seconds >= 0, seconds < Double(Int64.max) else { return nil }
        return UInt64(seconds) / UInt64(period)
    }

    /// Checks `code` against `secret` at `date`, accepting ±1 step of drift.
    ///
    /// A code for a step at or before `lastAcceptedStep` is `.replayed`: each code works
    /// once. On `.accepted(step:)` the caller must persist the step before granting access.
    /// All candidate codes are computed and compared in constant time, so timing does not
    /// reveal which step matched or how many digits were right.
    public static func verify(
        code: String,
        secret: TOTPSecret,
        at date: Date,
        lastAcceptedStep: UInt64?
    ) -> TOTPResult {
        guard let input = normalisedCode(code), let current = step(at: date) else {
            return .invalid
        }

        let first = current >= driftSteps ? current - driftSteps : 0
        var fresh: UInt64?
        var sawReplay = false
        for candidate in first...(current + driftSteps) {
            // Fail closed: a liboath error counts as a non-matching step.
            guard let expected = try? secret.generate(step: candidate, digits: digits) else {
                continue
            }
            guard expected.constantTimeEquals(input) else { continue }
            if let last = lastAcceptedStep, candidate <= last {
                sawReplay = true
            } else if fresh == nil {
                // The earliest fresh step keeps later codes usable after drift.
                fresh = candidate
            }
        }

        if let fresh { return .accepted(step: fresh) }
        return sawReplay ? .replayed : .invalid
    }

    /// Strips spaces (apps show "123 456") and requires exactly six ASCII digits.
    ///
    /// Returns the digits plus a C terminator, matching the layout liboath writes.
    static func normalisedCode(_ code: String) -> SecureBytes? {
        let output = SecureBytes(zeroedCount: digits + 1)
        var count = 0
        var valid = true
        output.withUnsafeMutableBytes { out in
            for byte in code.utf8 where byte != UInt8(ascii: " ") {
                // Only ASCII digits: Unicode digits such as "٣" must not count as a digit.
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), count < digits else {
                    valid = false
                    break
                }
                out[count] = byte
                count += 1
            }
        }
        return valid && count == digits ? output : nil
    }

    /// Calls `oath_init` once per process; liboath requires it before any other call.
    static func ensureLibraryReady() throws(AuthError) {
        let status = libraryStatus
        guard status == OATH_OK.rawValue else { throw .oathFailure(code: status) }
    }

    // Swift runs a static initialiser exactly once, even with concurrent first callers.
    private static let libraryStatus: Int32 = oath_init()
}
