/// Builds what an authenticator app needs to add a phidesk account.
public enum TOTPEnrolment {
    /// Shown by authenticator apps as the account's issuer, and prefixed to the label.
    public static let issuer = "phidesk"

    /// The Key URI (`otpauth://totp/…`) that authenticator apps read from a QR code.
    ///
    /// The label is `phidesk:<account>` with the account percent-encoded (UTF-8, every
    /// byte outside RFC 3986 unreserved characters and `@`), so a `:` or `?` in the
    /// account name cannot split the label or start the query early.
    ///
    /// - Warning: The URI contains the secret in base32 as an unwipeable `String`. Show it
    ///   (as a QR code) once at enrolment; never log, store or send it anywhere.
    public static func revealURIForEnrolment(
        secret: TOTPSecret,
        account: String
    ) throws(AuthError) -> String {
        guard !account.isEmpty,
            !account.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw .invalidAccountName
        }

        let base32 = try secret.revealBase32ForEnrolment()
        return "otpauth://totp/\(issuer):\(percentEncoded(account))?secret=\(base32)"
            + "&issuer=\(issuer)&algorithm=SHA1&digits=\(TOTP.digits)&period=\(TOTP.period)"
    }

    /// Percent-encodes UTF-8 bytes, keeping only unreserved characters and `@` (common in
    /// account names and legal in a URI path, so apps show "alice@clinic" readably).
    static func percentEncoded(_ text: String) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "@"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result.append("%")
                result.append(hex[Int(byte >> 4)])
                result.append(hex[Int(byte & 0x0f)])
            }
        }
        return result
    }
}
