public import Foundation
public import PhideskCrypto

/// The stored form of one recovery code: only a salted Argon2id hash, never the code.
public struct StoredRecoveryCode: Codable, Equatable, Sendable {
    /// Random per-code salt, lower-case hex.
    public var salt: String
    /// Argon2id of the normalised code under `salt`, lower-case hex.
    public var hash: String
    /// The cost the hash was made with, so it can be checked after the default changes.
    public var parameters: Argon2id.Parameters
    /// When the code was redeemed; a used code never verifies again.
    public var usedAt: Date?

    public init(salt: String, hash: String, parameters: Argon2id.Parameters, usedAt: Date?) {
        self.salt = salt
        self.hash = hash
        self.parameters = parameters
        self.usedAt = usedAt
    }

    /// Whether the code may still be redeemed.
    public var isUnused: Bool { usedAt == nil }

    /// Records redemption; the caller persists the list before granting access.
    public mutating func markUsed(at date: Date) {
        usedAt = date
    }
}

/// One-time recovery codes for a user who has lost their authenticator.
///
/// Each code is 10 characters from a 31-symbol alphabet without look-alikes (no 0/o, 1/l/i),
/// about 49.5 bits of entropy, shown as `xxxxx-xxxxx`.
///
/// Hashing choice: Argon2id with a per-code random salt at a SMALL cost (8 MiB, t=1), not
/// HMAC-SHA256. At 49.5 bits a leaked table of fast HMACs falls to a GPU rig in about a day
/// (2^49.5 at ~10^10 HMAC/s), whereas even cheap Argon2id is memory-bound and caps an
/// attacker at thousands of guesses per second per device: centuries per code. The cost
/// stays small because the entropy, not the work factor, carries the security, and a
/// login attempt hashes the input once per stored code (up to 10 times, about 0.1 s).
public enum RecoveryCodes {
    /// Codes issued per enrolment.
    public static let count = 10
    /// Characters per code, not counting the display hyphen.
    public static let length = 10
    /// Lower-case letters and digits that cannot be mistaken for one another.
    public static let alphabet: [UInt8] = Array("23456789abcdefghjkmnpqrstuvwxyz".utf8)
    /// Argon2id cost for recovery-code hashes (see the type documentation for why small).
    public static let parameters = Argon2id.Parameters(
        memoryKiB: 8192, iterations: 1, parallelism: 1)

    static let hashByteCount = 32

    /// Makes a fresh set of codes.
    ///
    /// - Returns: `revealed`, the codes as text to show the user ONCE (they cannot be
    ///   recovered later; do not log or store them), and `stored`, the hashes to persist.
    public static func generate() throws(AuthError) -> (revealed: [String],
                                                       stored: [StoredRecoveryCode])
    {
        var revealed: [String] = []
        var stored: [StoredRecoveryCode] = []
        while revealed.count < count {
            let code = try randomCode()

            // A repeat within one set is astronomically unlikely, but would waste a slot.
            let display = displayForm(code)
            guard !revealed.contains(display) else { continue }

            let salt: [UInt8]
            do {
                salt = try SystemRandom.bytes(count: Argon2id.saltByteCount)
            } catch {
                throw .randomSourceFailure
            }
            let hash = try digest(code, salt: salt, parameters: parameters)
            revealed.append(display)
            stored.append(StoredRecoveryCode(
                salt: salt.hexString,
                hash: hash.unsafeCopyToArray().hexString,
                parameters: parameters,
                usedAt: nil))
        }
        return (revealed, stored)
    }

    /// Finds the unused stored code that `input` matches.
    ///
    /// Input is forgiving about case, spaces and hyphens. Every stored code is hashed and
    /// compared, used or not, so the time taken does not reveal which slot matched.
    ///
    /// - Returns: The index into `stored` of the matching unused code, or nil. The caller
    ///   marks that entry used (``StoredRecoveryCode/markUsed(at:)``) and persists it.
    public static func verify(_ input: SecureBytes, against stored: [StoredRecoveryCode]) -> Int? {
        guard let code = normalised(input) else { return nil }

        var match: Int?
        for (index, entry) in stored.enumerated() {
            guard let salt = [UInt8](hexString: entry.salt),
                let expected = [UInt8](hexString: entry.hash),
                let actual = try? digest(code, salt: salt, parameters: entry.parameters)
            else {
                continue
            }
            let equal = actual.constantTimeEquals(SecureBytes(copying: expected))
            if equal, entry.isUnused, match == nil {
                match = index
            }
        }
        return match
    }

    /// Uniform random code characters, by rejection sampling (31 does not divide 256).
    static func randomCode() throws(AuthError) -> SecureBytes {
        let code = SecureBytes(zeroedCount: length)
        let limit = 256 - 256 % alphabet.count
        var filled = 0
        while filled < length {
            let pool: SecureBytes
            do {
                pool = try SecureBytes.random(count: 32)
            } catch {
                throw .randomSourceFailure
            }
            pool.withUnsafeBytes { random in
                code.withUnsafeMutableBytes { out in
                    for byte in random where Int(byte) < limit && filled < length {
                        out[filled] = alphabet[Int(byte) % alphabet.count]
                        filled += 1
                    }
                }
            }
        }
        return code
    }

    /// `xxxxx-xxxxx`, the only form in which a code leaves secure storage.
    static func displayForm(_ code: SecureBytes) -> String {
        code.withUnsafeBytes { bytes in
            let half = length / 2
            return String(decoding: bytes.prefix(half), as: UTF8.self) + "-"
                + String(decoding: bytes.dropFirst(half), as: UTF8.self)
        }
    }

    /// Lower-cases and drops spaces and hyphens; nil unless exactly `length` alphabet
    /// characters remain.
    static func normalised(_ input: SecureBytes) -> SecureBytes? {
        let output = SecureBytes(zeroedCount: length)
        var count = 0
        var valid = true
        input.withUnsafeBytes { bytes in
            output.withUnsafeMutableBytes { out in
                for byte in bytes where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
                    var folded = byte
                    if folded >= UInt8(ascii: "A"), folded <= UInt8(ascii: "Z") {
                        folded += 32
                    }
                    guard alphabet.contains(folded), count < length else {
                        valid = false
                        break
                    }
                    out[count] = folded
                    count += 1
                }
            }
        }
        return valid && count == length ? output : nil
    }

    static func digest(
        _ code: SecureBytes,
        salt: [UInt8],
        parameters: Argon2id.Parameters
    ) throws(AuthError) -> SecureBytes {
        do {
            return try Argon2id.derive(
                passphrase: code, salt: salt, parameters: parameters,
                outputByteCount: hashByteCount)
        } catch {
            throw .hashingFailure
        }
    }
}
