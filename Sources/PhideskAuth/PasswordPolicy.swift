public import PhideskCrypto

/// Why a proposed password was refused. Messages never repeat the password.
public enum PasswordProblem: Equatable, Sendable, CustomStringConvertible {
    /// Fewer characters (Unicode scalars) than `minimum`.
    case tooShort(minimum: Int)
    /// More characters than `maximum`; the cap keeps hashing cost bounded.
    case tooLong(maximum: Int)
    /// The bytes are not valid UTF-8, so characters cannot be counted.
    case invalidEncoding
    /// The password is, or contains, the login name or part of the user's name.
    case containsName
    /// The password is on the list of commonly used passwords.
    case common
    /// One character repeated, a short pattern repeated, or a run like "abcdefghijkl".
    case repetitiveOrSequential

    /// A sentence to show the user.
    public var message: String {
        switch self {
        case .tooShort(let minimum):
            return "Use at least \(minimum) characters. A few unrelated words work well."
        case .tooLong(let maximum):
            return "Use at most \(maximum) characters."
        case .invalidEncoding:
            return "The password contains bytes that are not valid text."
        case .containsName:
            return "Do not use your login name or parts of your name in the password."
        case .common:
            return "This password is too common; attackers try it first."
        case .repetitiveOrSequential:
            return "Avoid repeated characters, repeated patterns and sequences like 1234 or abcd."
        }
    }

    public var description: String { message }
}

/// Password rules after NIST SP 800-63B §5.1.1.2: a length floor and ceiling, no
/// composition rules (no "one digit, one symbol"), and a block-list of common, repetitive,
/// sequential and context-specific passwords.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128

    /// Name parts shorter than this are not searched for: "al" would block half the
    /// dictionary without making guessing much harder.
    static let minimumNamePartLength = 3

    /// Checks a proposed password (UTF-8 bytes); an empty result means acceptable.
    ///
    /// Length counts Unicode scalars, so "é" counts once. The name and list comparisons
    /// ignore case, spaces and punctuation: "Anna.Kowalski-2024" contains "kowalski".
    public static func check(
        _ password: SecureBytes,
        userName: String,
        displayName: String
    ) -> [PasswordProblem] {
        // LIMITATION: no Unicode normalisation (NFKC) before counting or comparing, so a
        // decomposed "é" counts as two scalars and full-width letters are not folded to
        // ASCII; Foundation's normalisation would need the password in an unwipeable String.
        // LIMITATION: no breached-password corpus lookup (SP 800-63B suggests one); the app
        // runs offline, so only the built-in list below is consulted.
        guard var scalars = decodeScalars(password) else { return [.invalidEncoding] }
        var folded = fold(scalars)

        // Best-effort wipe of the decoded copies; both were sized up front so they did not
        // reallocate and leave stale copies behind.
        defer {
            wipe(&scalars)
            wipe(&folded)
        }

        var problems: [PasswordProblem] = []
        if scalars.count < minimumLength {
            problems.append(.tooShort(minimum: minimumLength))
        }
        if scalars.count > maximumLength {
            problems.append(.tooLong(maximum: maximumLength))
        }
        if containsName(folded, userName: userName, displayName: displayName) {
            problems.append(.containsName)
        }
        if CommonPasswords.folded.contains(folded) {
            problems.append(.common)
        }
        if isTrivialPattern(scalars) || (folded.count >= 6 && isTrivialPattern(folded)) {
            problems.append(.repetitiveOrSequential)
        }
        return problems
    }

    /// Equal to, or containing, the login name or any name part of ≥ 3 characters.
    static func containsName(_ folded: [UInt32], userName: String, displayName: String) -> Bool {
        guard !folded.isEmpty else { return false }

        let login = fold(Array(userName.unicodeScalars.map(\.value)))
        if login == folded {
            return true
        }

        // The whole login name, and its parts, since "anna.kowalski" is often typed as
        // "kowalski"; then each word of the display name.
        var parts = [login]
        parts += nameParts(userName)
        parts += nameParts(displayName)
        return parts.contains { part in
            part.count >= minimumNamePartLength && contains(folded, part)
        }
    }

    /// Splits at anything that is not a letter or digit and folds each piece.
    static func nameParts(_ name: String) -> [[UInt32]] {
        var parts: [[UInt32]] = []
        var current: [UInt32] = []
        for scalar in name.unicodeScalars {
            if isLetterOrDigit(scalar) {
                current.append(scalar.value)
            } else if !current.isEmpty {
                parts.append(fold(current))
                current = []
            }
        }
        if !current.isEmpty {
            parts.append(fold(current))
        }
        return parts
    }

    /// Decodes UTF-8 without building a `String`; nil on malformed input.
    static func decodeScalars(_ bytes: SecureBytes) -> [UInt32]? {
        bytes.withUnsafeBytes { raw in
            var scalars: [UInt32] = []
            scalars.reserveCapacity(raw.count)
            var iterator = raw.makeIterator()
            var decoder = UTF8()
            while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    scalars.append(scalar.value)
                case .emptyInput:
                    return scalars
                case .error:
                    wipe(&scalars)
                    return nil
                }
            }
        }
    }

    /// Keeps letters and digits, lower-cased; drops spaces, punctuation and symbols.
    static func fold(_ scalars: [UInt32]) -> [UInt32] {
        var folded: [UInt32] = []
        folded.reserveCapacity(scalars.count * 2)
        for value in scalars {
            guard let scalar = Unicode.Scalar(value), isLetterOrDigit(scalar) else { continue }
            if scalar.isASCII {
                let lower = value >= 0x41 && value <= 0x5a ? value + 0x20 : value
                folded.append(lower)
            } else {
                // LIMITATION: the Unicode mapping comes back as a tiny `String` that is
                // not wiped; it holds one character of the password at a time.
                folded += scalar.properties.lowercaseMapping.unicodeScalars.map(\.value)
            }
        }
        return folded
    }

    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// One repeated character, a repeated unit of up to 4 ("abababababab", "passpasspass")
    /// or a run stepping by one up or down ("123456789012", "lkjihgfedcba").
    static func isTrivialPattern(_ values: [UInt32]) -> Bool {
        // Shorter inputs are already refused as too short.
        guard values.count >= 2 else { return false }

        for period in 1...4 where values.count >= 2 * period {
            if (period..<values.count).allSatisfy({ values[$0] == values[$0 - period] }) {
                return true
            }
        }

        let pairs = zip(values, values.dropFirst())
        return pairs.allSatisfy { step($0, $1) == 1 } || pairs.allSatisfy { step($1, $0) == 1 }
    }

    /// Distance from `a` to `b`, wrapping 9→0 and z→a so "7890123" counts as a run.
    static func step(_ a: UInt32, _ b: UInt32) -> Int {
        let digits: ClosedRange<UInt32> = 0x30...0x39
        let lower: ClosedRange<UInt32> = 0x61...0x7a
        if digits.contains(a), digits.contains(b) {
            return (Int(b) - Int(a) + 10) % 10
        }
        if lower.contains(a), lower.contains(b) {
            return (Int(b) - Int(a) + 26) % 26
        }
        return Int(b) - Int(a)
    }

    static func contains(_ haystack: [UInt32], _ needle: [UInt32]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }

    static func wipe(_ values: inout [UInt32]) {
        for index in values.indices {
            values[index] = 0
        }
    }
}
