internal import COpenSSL

/// The OpenSSL CSPRNG (seeded from getrandom(2)).
public enum SystemRandom {
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        guard RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1
        else {
            throw CryptoError.randomSourceFailure
        }
    }

    public static func bytes(count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { buffer in
            try fill(buffer)
        }
        return bytes
    }
}
