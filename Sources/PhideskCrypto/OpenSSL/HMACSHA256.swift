internal import COpenSSL

/// HMAC-SHA256 with one keyed context reused for every message (OpenSSL 3 `EVP_MAC`).
///
/// Re-initialising with a NULL key keeps the key schedule, which makes verifying a long
/// chain of short messages several times faster than keying each time.
/// Not thread-safe: give each thread its own instance.
public final class HMACSHA256 {
    public static let tagByteCount = 32

    private let mac: OpaquePointer
    private let context: OpaquePointer

    public init(key: SymmetricKey) throws {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
            throw CryptoError.openSSL("EVP_MAC_fetch")
        }
        guard let context = EVP_MAC_CTX_new(mac) else {
            EVP_MAC_free(mac)
            throw CryptoError.openSSL("EVP_MAC_CTX_new")
        }
        self.mac = mac
        self.context = context

        let status = withCStrings([OSSL_MAC_PARAM_DIGEST, "SHA256"]) { name in
            key.withUnsafeKeyBytes { keyBytes in
                var params = [
                    OSSL_PARAM_construct_utf8_string(name[0], name[1], 0),
                    OSSL_PARAM_construct_end(),
                ]
                return params.withUnsafeMutableBufferPointer { paramBuffer in
                    EVP_MAC_init(
                        context,
                        keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                        keyBytes.count,
                        paramBuffer.baseAddress)
                }
            }
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_MAC_init") }
    }

    deinit {
        EVP_MAC_CTX_free(context)
        EVP_MAC_free(mac)
    }

    /// Authenticates the concatenation of `parts` (no separators are added).
    public func authenticate(_ parts: UnsafeRawBufferPointer...) throws -> [UInt8] {
        guard EVP_MAC_init(context, nil, 0, nil) == 1 else {
            throw CryptoError.openSSL("EVP_MAC_init")
        }

        for part in parts where part.count > 0 {
            let base = part.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard EVP_MAC_update(context, base, part.count) == 1 else {
                throw CryptoError.openSSL("EVP_MAC_update")
            }
        }

        var tag = [UInt8](repeating: 0, count: Self.tagByteCount)
        var written = 0
        let status = tag.withUnsafeMutableBufferPointer { out in
            EVP_MAC_final(context, out.baseAddress, &written, out.count)
        }
        guard status == 1, written == Self.tagByteCount else {
            throw CryptoError.openSSL("EVP_MAC_final")
        }
        return tag
    }

    public func authenticate(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { buffer in try authenticate(buffer) }
    }
}

extension HMACSHA256: @unchecked Sendable {}
// @unchecked Sendable is NOT claimed above for thread-safety: callers must not share one
// instance between threads at the same time; it is Sendable only so an owner may hand it
// off (for example into the audit writer's queue).
