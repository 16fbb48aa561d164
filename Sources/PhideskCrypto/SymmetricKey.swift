/// Identifies a key everywhere it is used, so ciphertexts say which key sealed them and
/// rotation can find what to re-seal. 16 random bytes; not secret.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "KeyID must be 16 bytes")
        self.bytes = bytes
    }

    public static func random() throws -> KeyID {
        KeyID(bytes: try SystemRandom.bytes(count: byteCount))
    }

    /// Lower-case hex, for logs and the audit trail (key ids are not secret).
    public var description: String { bytes.hexString }
}

/// A 256-bit symmetric key with the id it is known by.
public struct SymmetricKey: Sendable, CustomStringConvertible {
    public static let byteCount = 32

    public let id: KeyID
    let secret: SecureBytes

    public init(id: KeyID, secret: SecureBytes) throws {
        guard secret.count == Self.byteCount else {
            throw CryptoError.invalidKeyByteCount(expected: Self.byteCount, actual: secret.count)
        }
        self.id = id
        self.secret = secret
    }

    /// A fresh random key with a fresh random id.
    public static func generate() throws -> SymmetricKey {
        try SymmetricKey(id: try KeyID.random(), secret: try SecureBytes.random(count: byteCount))
    }

    public func withUnsafeKeyBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try secret.withUnsafeBytes(body)
    }

    public var description: String { "SymmetricKey(id: \(id), <redacted>)" }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex of the bytes.
    public var hexString: String {
        let digits: [Character] = Array("0123456789abcdef")
        var text = ""
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return text
    }
}

extension Array where Element == UInt8 {
    /// Parses lower- or upper-case hex; nil for odd length or a non-hex character.
    public init?(hexString: some StringProtocol) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = hexNibble(utf8[index]), let low = hexNibble(utf8[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}

private func hexNibble(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
    default: return nil
    }
}
