public import PhideskCrypto

/// A stored local-account password: Argon2id with the parameters and salt it was made with.
///
/// Codable so it can live in the account record. Holds no secret: the hash is one-way.
public struct PasswordHash: Codable, Equatable, Sendable {
    /// Name of the only algorithm this build writes and accepts.
    public static let argon2id = "argon2id"

    /// OWASP Password Storage Cheat Sheet minimum for Argon2id: 19 MiB, t=2, p=1.
    public static let defaultParameters = Argon2id.Parameters(
        memoryKiB: 19456, iterations: 2, parallelism: 1)

    static let hashByteCount = 32

    public var algorithm: String
    public var parameters: Argon2id.Parameters
    /// Random salt, lower-case hex.
    public var salt: String
    /// Argon2id output, lower-case hex.
    public var hash: String

    public init(algorithm: String, parameters: Argon2id.Parameters, salt: String, hash: String) {
        self.algorithm = algorithm
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// Hashes `password` (UTF-8 bytes) with a fresh salt and ``defaultParameters``.
    public static func make(
        password: SecureBytes,
        parameters: Argon2id.Parameters = defaultParameters
    ) throws(AuthError) -> PasswordHash {
        let salt: [UInt8]
        do {
            salt = try SystemRandom.bytes(count: Argon2id.saltByteCount)
        } catch {
            throw .randomSourceFailure
        }
        let output = try derive(password, salt: salt, parameters: parameters)
        return PasswordHash(
            algorithm: argon2id,
            parameters: parameters,
            salt: salt.hexString,
            hash: output.unsafeCopyToArray().hexString)
    }

    /// Whether `password` matches, compared in constant time.
    ///
    /// False also for a malformed or unknown-algorithm record (fails closed).
    public func verify(password: SecureBytes) -> Bool {
        guard algorithm == Self.argon2id,
            let saltBytes = [UInt8](hexString: salt),
            let expected = [UInt8](hexString: hash),
            expected.count == Self.hashByteCount,
            let actual = try? Self.derive(password, salt: saltBytes, parameters: parameters)
        else {
            return false
        }
        return actual.constantTimeEquals(SecureBytes(copying: expected))
    }

    /// Does the work of a real ``verify(password:)`` and returns false.
    ///
    /// Call it when the user name is unknown, so a login for a missing account takes as
    /// long as one with a wrong password and timing does not reveal which accounts exist.
    /// It takes the typed password so even its length feeds the same amount of hashing.
    @discardableResult
    public static func dummyVerify(password: SecureBytes) -> Bool {
        // LIMITATION: costs the same as records made with `defaultParameters`; records
        // hashed under older parameters take a different time until they are rehashed
        // (see `needsRehash`), which can hint that such an old account exists.
        _ = dummy.verify(password: password)
        return false
    }

    /// True when the record was made with other than the current parameters; rehash it
    /// after the next successful login.
    public var needsRehash: Bool {
        algorithm != Self.argon2id || parameters != Self.defaultParameters
    }

    // A fixed record no password matches in practice: a random salt and a zero hash.
    private static let dummy = PasswordHash(
        algorithm: argon2id,
        parameters: defaultParameters,
        salt: ((try? SystemRandom.bytes(count: Argon2id.saltByteCount))
            ?? [UInt8](repeating: 0, count: Argon2id.saltByteCount)).hexString,
        hash: [UInt8](repeating: 0, count: hashByteCount).hexString)

    static func derive(
        _ password: SecureBytes,
        salt: [UInt8],
        parameters: Argon2id.Parameters
    ) throws(AuthError) -> SecureBytes {
        do {
            return try Argon2id.derive(
                passphrase: password, salt: salt, parameters: parameters,
                outputByteCount: hashByteCount)
        } catch {
            throw .hashingFailure
        }
    }
}
