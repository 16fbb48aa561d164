internal import COpenSSL

/// SHA-256 (unkeyed). For lookups that must work before any key is available, such as
/// finding a user's key slot from a login name.
public enum SHA256 {
    public static let byteCount = 32

    public static func digest(_ bytes: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { out in
                EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length,
                           EVP_sha256(), nil)
            }
        }
        guard status == 1, length == UInt32(byteCount) else {
            throw CryptoError.openSSL("EVP_Digest")
        }
        return output
    }
}
