/// Failures of the crypto layer. Cases name the condition that failed and carry only
/// library codes or sizes, never key or plaintext bytes.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A ciphertext, tag or header did not authenticate: wrong key, wrong AAD or tampering.
    case authenticationFailure
    /// A key had the wrong length for the algorithm.
    case invalidKeyByteCount(expected: Int, actual: Int)
    /// A sealed box was too short or its header was not one this build writes.
    case malformedCiphertext
    /// A sealed box names a format version this build cannot read.
    case unsupportedFormatVersion(UInt8)
    /// The sealed box was made under another key than the one supplied.
    case keyMismatch
    /// The operating system's random source failed.
    case randomSourceFailure
    /// Argon2 rejected its input or ran out of memory (libargon2 error code).
    case passwordHashingFailure(code: Int32)
    /// An OpenSSL call failed; `operation` names the step, `code` is ERR_get_error().
    case libraryFailure(operation: String, code: UInt)

    public var description: String {
        switch self {
        case .authenticationFailure:
            return "ciphertext failed authentication (wrong key, moved record or tampering)"
        case .invalidKeyByteCount(let expected, let actual):
            return "key is \(actual) bytes; \(expected) required"
        case .malformedCiphertext:
            return "ciphertext is truncated or its header is malformed"
        case .unsupportedFormatVersion(let version):
            return "ciphertext format version \(version) is not supported by this build"
        case .keyMismatch:
            return "ciphertext was sealed under a different key id"
        case .randomSourceFailure:
            return "the system random source failed"
        case .passwordHashingFailure(let code):
            return "Argon2id failed (libargon2 code \(code))"
        case .libraryFailure(let operation, let code):
            return "OpenSSL \(operation) failed (error 0x\(String(code, radix: 16)))"
        }
    }
}
