internal import CArgon2

/// Argon2id (RFC 9106) for turning a passphrase into a key-encryption key.
public enum Argon2id {
    /// Cost parameters, stored with the vault so they can be raised later.
    public struct Parameters: Codable, Equatable, Sendable {
        public var memoryKiB: UInt32
        public var iterations: UInt32
        public var parallelism: UInt32

        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }

        /// 64 MiB, t=3, p=1: about 0.2 s on the project's reference machine.
        public static let vaultDefault = Parameters(memoryKiB: 65536, iterations: 3, parallelism: 1)
    }

    public static let saltByteCount = 16

    /// Derives `outputByteCount` bytes from `passphrase` and `salt`.
    public static func derive(
        passphrase: SecureBytes,
        salt: [UInt8],
        parameters: Parameters,
        outputByteCount: Int = SymmetricKey.byteCount
    ) throws -> SecureBytes {
        let output = SecureBytes(zeroedCount: outputByteCount)
        let code = passphrase.withUnsafeBytes { password in
            salt.withUnsafeBytes { saltBytes in
                output.withUnsafeMutableBytes { out in
                    argon2id_hash_raw(
                        parameters.iterations,
                        parameters.memoryKiB,
                        parameters.parallelism,
                        password.baseAddress,
                        password.count,
                        saltBytes.baseAddress,
                        saltBytes.count,
                        out.baseAddress,
                        out.count)
                }
            }
        }
        guard code == ARGON2_OK.rawValue else {
            throw CryptoError.passwordHashingFailure(code: code)
        }
        return output
    }
}
