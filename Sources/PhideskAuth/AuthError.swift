/// Failures of the authentication layer.
///
/// Cases carry only library status codes, never a secret, a one-time code, a recovery code
/// or a password, so they are safe to log and to show.
public enum AuthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The operating system's random source failed.
    case randomSourceFailure
    /// liboath reported an error (its negative status code).
    case oathFailure(code: Int32)
    /// libqrencode could not encode the text (too long for any QR version, or out of memory).
    case qrEncodingFailure
    /// The account name for an enrolment URI was empty or held control characters.
    case invalidAccountName
    /// Argon2id failed while hashing a password or recovery code.
    case hashingFailure

    public var description: String {
        switch self {
        case .randomSourceFailure:
            return "the system random source failed"
        case .oathFailure(let code):
            return "liboath failed (status \(code))"
        case .qrEncodingFailure:
            return "the text could not be encoded as a QR code"
        case .invalidAccountName:
            return "the account name is empty or contains control characters"
        case .hashingFailure:
            return "Argon2id hashing failed"
        }
    }
}
