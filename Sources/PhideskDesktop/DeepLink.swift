/// `phidesk://` links handed to the app by the desktop (the .desktop file's
/// `x-scheme-handler/phidesk`). They come from any program of the user, so they are
/// untrusted input: a strict grammar, checked as plain ASCII text (no URL parser, no
/// percent-decoding, no normalisation), and anything else is refused.
///
///     deep-link = "phidesk://patient/" 32LOWERHEX
///               / "phidesk://search?family=" 1*64ALPHA
///
/// So there is no userinfo, port, fragment, other query key, trailing slash, encoding or
/// upper case scheme; the whole link is at most `maximumLength` characters.
public enum DeepLink: Equatable, Sendable {
    case patient(id: String)
    case search(family: String)

    public static let scheme = "phidesk"
    public static let maximumLength = 200
    static let patientPrefix = "phidesk://patient/"
    static let searchPrefix = "phidesk://search?family="

    /// Why a link was refused; the raw value is the audit reason code (never the link).
    public enum Rejection: String, Error, Sendable, CaseIterable {
        case tooLong = "deeplink-too-long"
        case notASCII = "deeplink-bad-characters"
        case wrongScheme = "deeplink-bad-scheme"
        case authority = "deeplink-bad-authority"
        case unknownAction = "deeplink-unknown-action"
        case badArgument = "deeplink-bad-argument"
        /// Well-formed, but nobody is signed in: nothing is remembered.
        case signedOut = "deeplink-signed-out"
    }

    /// Parses one link or says why not.
    public static func parse(_ text: String) -> Result<DeepLink, Rejection> {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumLength else { return .failure(.tooLong) }
        // Printable ASCII only: no spaces, controls, NUL or non-ASCII look-alikes.
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.notASCII)
        }
        guard text.hasPrefix(scheme + "://") else { return .failure(.wrongScheme) }
        let rest = text.dropFirst(scheme.count + 3)
        // The "host" is the action; it ends at the first '/', '?' or '#'.
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.contains("@") || host.contains(":") || host.contains("%") {
            return .failure(.authority)
        }
        if text.hasPrefix(patientPrefix) {
            let id = text.dropFirst(patientPrefix.count)
            guard id.utf8.count == 32, id.utf8.allSatisfy(isLowerHex) else {
                return .failure(.badArgument)
            }
            return .success(.patient(id: String(id)))
        }
        if text.hasPrefix(searchPrefix) {
            let family = text.dropFirst(searchPrefix.count)
            guard (1...64).contains(family.utf8.count), family.utf8.allSatisfy(isLetter) else {
                return .failure(.badArgument)
            }
            return .success(.search(family: String(family)))
        }
        return .failure(host == "patient" || host == "search" ? .badArgument : .unknownAction)
    }

    /// The question the user is asked before anything is shown.
    var confirmationText: String {
        switch self {
        case .patient(let id):
            return "Another application asks phidesk to open a patient record.\n\n"
                + "Record id \(id)\n\nOpen it? (The access is recorded in the audit trail.)"
        case .search(let family):
            return "Another application asks phidesk to search for patients with the "
                + "family name \u{201C}\(family)\u{201D}.\n\nShow the results? "
                + "(The search is recorded in the audit trail.)"
        }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}

/// Asks the user whether to act on a deep link; the attack suite substitutes a script.
protocol DeepLinkConfirmer: AnyObject {
    func confirm(_ link: DeepLink, answer: @escaping (Bool) -> Void)
}
