#if canImport(Glibc)
import Glibc
#endif
internal import COpenSSL

/// Heap storage for secret bytes (keys, passphrases, decrypted PHI).
///
/// The buffer is wiped with `OPENSSL_cleanse` when released, which the optimiser cannot
/// drop. Key-sized buffers are `mlock`ed so they are not written to swap. The type never
/// prints its contents.
///
/// - Warning: Bytes copied out with ``withUnsafeBytes(_:)`` into other storage are no
///   longer covered by wiping; keep such copies inside the closure.
public final class SecureBytes: @unchecked Sendable, CustomStringConvertible,
    CustomDebugStringConvertible
{
    // @unchecked Sendable: the bytes are written only while the owner holds the sole
    // reference (during construction or through `withUnsafeMutableBytes` on a fresh value).
    private let storage: UnsafeMutableRawPointer
    public let count: Int
    private let isLocked: Bool

    /// Buffers up to this size are locked into RAM; larger ones (PHI blobs) are not,
    /// because the lock limit is small and mlock per record would cost a syscall each.
    public static let lockLimitByteCount = 4096

    /// Creates `count` zero bytes.
    public init(zeroedCount count: Int) {
        precondition(count >= 0, "SecureBytes count must not be negative")
        self.count = count
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
        isLocked = count > 0 && count <= Self.lockLimitByteCount && mlock(storage, count) == 0
    }

    /// Creates a buffer holding a copy of `bytes`.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(zeroedCount: bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 {
            storage.copyMemory(from: base, byteCount: bytes.count)
        }
    }

    /// Creates a buffer holding a copy of `bytes`; the caller should wipe its own copy.
    public convenience init(copying bytes: [UInt8]) {
        self.init(zeroedCount: bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, source.count > 0 {
                storage.copyMemory(from: base, byteCount: source.count)
            }
        }
    }

    /// Creates `count` bytes from the CSPRNG.
    public static func random(count: Int) throws -> SecureBytes {
        let bytes = SecureBytes(zeroedCount: count)
        try bytes.withUnsafeMutableBytes { buffer in
            try SystemRandom.fill(buffer)
        }
        return bytes
    }

    deinit {
        OPENSSL_cleanse(storage, max(count, 1))
        if isLocked {
            munlock(storage, count)
        }
        storage.deallocate()
    }

    public func withUnsafeBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage, count: count))
    }

    /// Gives write access; only for filling a buffer that no one else holds yet.
    public func withUnsafeMutableBytes<Result>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeMutableRawBufferPointer(start: storage, count: count))
    }

    /// Constant-time comparison, so timing does not reveal where two secrets differ.
    public func constantTimeEquals(_ other: SecureBytes) -> Bool {
        guard count == other.count else { return false }
        return other.withUnsafeBytes { theirs in
            CRYPTO_memcmp(storage, theirs.baseAddress, count) == 0
        }
    }

    /// Copies the bytes into an ordinary array.
    ///
    /// - Warning: The copy is not wiped on release. Use only for bytes that are about to be
    ///   written to disk sealed (ciphertext input is never passed this way).
    public func unsafeCopyToArray() -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: storage, count: count))
    }

    public var description: String { "SecureBytes(<redacted>, \(count) bytes)" }
    public var debugDescription: String { description }
}
