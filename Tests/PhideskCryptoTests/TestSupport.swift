@testable import PhideskCrypto

/// Parses hex that is known to be valid (test tables only).
func hex(_ text: String) -> [UInt8] {
    guard let bytes = [UInt8](hexString: text) else {
        preconditionFailure("bad hex in test table: \(text)")
    }
    return bytes
}

/// `count` copies of `byte`.
func bytes(_ byte: UInt8, count: Int) -> [UInt8] {
    [UInt8](repeating: byte, count: count)
}

/// A key with a fixed id (00 01 ... 0f) and the given 32 secret bytes.
func makeKey(_ secret: [UInt8], id: [UInt8] = Array(0..<16)) throws -> SymmetricKey {
    try SymmetricKey(id: KeyID(bytes: id), secret: SecureBytes(copying: secret))
}

/// Deterministic non-trivial plaintext of `count` bytes.
func pattern(count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}
