import Testing
@testable import PhideskCrypto

/// One Argon2id (version 0x13) known answer.
struct Argon2Vector: Sendable, CustomTestStringConvertible {
    let password: String
    let salt: String
    let parameters: Argon2id.Parameters
    let output: String
    var testDescription: String {
        "\(password)/\(salt) m=\(parameters.memoryKiB) t=\(parameters.iterations) "
            + "p=\(parameters.parallelism) l=\(output.count / 2)"
    }
}

// RFC 9106 section 5.3 cannot be used: it has a secret key and associated data, which
// `Argon2id.derive` does not take. The values below were produced with the reference
// `argon2` command-line tool (Debian package argon2, libargon2 version 0x13), e.g.
//   echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -r
// where -m is log2 of the memory in KiB (16 -> 65536 KiB, 12 -> 4096 KiB). The first
// one is also the Argon2id v0x13 answer in the reference implementation's test suite.
let argon2Vectors: [Argon2Vector] = [
    Argon2Vector(
        password: "password", salt: "somesalt",
        parameters: .init(memoryKiB: 65536, iterations: 2, parallelism: 1),
        output: "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"),
    Argon2Vector(
        password: "password", salt: "somesalt",
        parameters: .init(memoryKiB: 4096, iterations: 3, parallelism: 1),
        output: "a8b9a5e5c6ea1403ba63154786b4811cfd1459dc6b23190d70cf1a317ddb9735"),
    Argon2Vector(
        password: "password", salt: "othersalt",
        parameters: .init(memoryKiB: 4096, iterations: 3, parallelism: 1),
        output: "72169f4ec082c639f47ec1a1e8ca136c086fdefbf5a24ec76785964d3a6a1590"),
    Argon2Vector(
        password: "password", salt: "somesalt",
        parameters: .init(memoryKiB: 4096, iterations: 3, parallelism: 1),
        output: "21c5d63e82199af370d3c4b76fc0129cf70083e2faa45c8bf04535f2779492ad"
            + "d62d5bf31605ef18258acaa7f27bb3dc255edc9a7dda158a94baee2eeb7b1093"),
    Argon2Vector(
        password: "password", salt: "somesalt",
        parameters: .init(memoryKiB: 4096, iterations: 3, parallelism: 2),
        output: "2e93c004379bd4a80aca990f1db8df34fc4c8f77671940a986d50cd31a6487f5"),
]

private let small = Argon2id.Parameters(memoryKiB: 4096, iterations: 3, parallelism: 1)

private func derive(
    _ password: String, _ salt: [UInt8], _ parameters: Argon2id.Parameters = small,
    count: Int = 32
) throws -> [UInt8] {
    try Argon2id.derive(
        passphrase: SecureBytes(copying: Array(password.utf8)), salt: salt,
        parameters: parameters, outputByteCount: count
    ).unsafeCopyToArray()
}

@Suite("Argon2id")
struct Argon2idTests {
    @Test("Matches the argon2 reference CLI", arguments: argon2Vectors)
    func knownAnswer(_ vector: Argon2Vector) throws {
        let output = try derive(
            vector.password, Array(vector.salt.utf8), vector.parameters,
            count: vector.output.count / 2)
        #expect(output.hexString == vector.output)
    }

    @Test("Deterministic, salt- and passphrase-sensitive, default length 32")
    func properties() throws {
        let salt = Array("somesalt".utf8)
        let first = try derive("password", salt)
        #expect(first.count == SymmetricKey.byteCount)
        #expect(try derive("password", salt) == first)
        var otherSalt = salt
        otherSalt[7] ^= 0x01
        #expect(try derive("password", otherSalt) != first)
        #expect(try derive("passwore", salt) != first)
        #expect(try derive("password", salt, .init(memoryKiB: 4096, iterations: 4,
            parallelism: 1)) != first)
        // The default output length is SymmetricKey.byteCount.
        let defaulted = try Argon2id.derive(
            passphrase: SecureBytes(copying: Array("password".utf8)), salt: salt,
            parameters: small)
        #expect(defaulted.count == 32)
        #expect(defaulted.unsafeCopyToArray() == first)
    }

    @Test("Rejected parameters surface the libargon2 error code")
    func rejectedInput() throws {
        // ARGON2_SALT_TOO_SHORT = -6 (salt under 8 bytes).
        #expect(throws: CryptoError.passwordHashingFailure(code: -6)) {
            _ = try derive("password", Array("short".utf8))
        }
        // ARGON2_OUTPUT_TOO_SHORT = -2 (under 4 bytes).
        #expect(throws: CryptoError.passwordHashingFailure(code: -2)) {
            _ = try derive("password", Array("somesalt".utf8), count: 3)
        }
        // ARGON2_TIME_TOO_SMALL = -12.
        #expect(throws: CryptoError.passwordHashingFailure(code: -12)) {
            _ = try derive("password", Array("somesalt".utf8),
                .init(memoryKiB: 4096, iterations: 0, parallelism: 1))
        }
    }

    @Test("The vault default is 64 MiB, t = 3, p = 1")
    func vaultDefault() {
        let parameters = Argon2id.Parameters.vaultDefault
        #expect(parameters == .init(memoryKiB: 65536, iterations: 3, parallelism: 1))
    }
}
