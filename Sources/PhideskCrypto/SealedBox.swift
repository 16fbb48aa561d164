/// The on-disk layout of every ciphertext phidesk writes.
///
/// ```
/// offset  size  field
///      0     2  magic "PD"
///      2     1  format version (1)
///      3     1  algorithm (1 = AES-256-GCM)
///      4    16  key id of the sealing key
///     20    12  nonce (random, 96 bits)
///     32     n  ciphertext
///   32+n    16  GCM tag
/// ```
/// The 32-byte header is authenticated as part of the AAD, so a box cannot be relabelled
/// with another key id or version without failing to open.
public enum SealedBox {
    public static let magic: [UInt8] = [0x50, 0x44]
    public static let formatVersion: UInt8 = 1
    public static let algorithmAES256GCM: UInt8 = 1
    public static let nonceByteCount = 12
    public static let tagByteCount = 16
    public static let headerByteCount = 32
    public static let overheadByteCount = headerByteCount + tagByteCount

    /// Reads the key id from a box without opening it, e.g. to pick the unwrapping key.
    public static func keyID(of box: UnsafeRawBufferPointer) throws -> KeyID {
        try checkHeader(box)
        return KeyID(bytes: Array(box[4..<20]))
    }

    static func checkHeader(_ box: UnsafeRawBufferPointer) throws {
        guard box.count >= overheadByteCount, box[0] == magic[0], box[1] == magic[1] else {
            throw CryptoError.malformedCiphertext
        }
        guard box[2] == formatVersion else { throw CryptoError.unsupportedFormatVersion(box[2]) }
        guard box[3] == algorithmAES256GCM else { throw CryptoError.malformedCiphertext }
    }
}
