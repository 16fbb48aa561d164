import Testing
@testable import PhideskCrypto

/// One HKDF-SHA256 known-answer vector.
struct HKDFVector: Sendable, CustomTestStringConvertible {
    let name: String
    let ikm: [UInt8]
    let salt: [UInt8]
    let info: [UInt8]
    let okm: String
    var testDescription: String { name }
}

// Source: RFC 5869 appendix A, test cases 1-3 (SHA-256). Case 3 has an empty salt and
// empty info; RFC 5869 says an absent salt means HashLen zero bytes.
let rfc5869Vectors: [HKDFVector] = [
    HKDFVector(
        name: "RFC 5869 case 1",
        ikm: bytes(0x0b, count: 22),
        salt: hex("000102030405060708090a0b0c"),
        info: hex("f0f1f2f3f4f5f6f7f8f9"),
        okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
            + "34007208d5b887185865"),
    HKDFVector(
        name: "RFC 5869 case 2",
        ikm: Array(0x00...0x4f),
        salt: Array(0x60...0xaf),
        info: Array(0xb0...0xff),
        okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
            + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
            + "cc30c58179ec3e87c14c01d5c1f3434f1d87"),
    HKDFVector(
        name: "RFC 5869 case 3 (empty salt and info)",
        ikm: bytes(0x0b, count: 22),
        salt: [],
        info: [],
        okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
            + "9d201395faa4b61a96c8"),
]

private func rawDerive(ikm: [UInt8], salt: [UInt8], info: [UInt8], count: Int) throws
    -> [UInt8]
{
    var output = bytes(0, count: count)
    try ikm.withUnsafeBytes { keyMaterial in
        try output.withUnsafeMutableBytes { out in
            try HKDF.derive(keyMaterial: keyMaterial, salt: salt, info: info, into: out)
        }
    }
    return output
}

@Suite("HKDF-SHA256")
struct HKDFTests {
    @Test("RFC 5869 known answers", arguments: rfc5869Vectors)
    func knownAnswer(_ vector: HKDFVector) throws {
        let okm = hex(vector.okm)
        let output = try rawDerive(
            ikm: vector.ikm, salt: vector.salt, info: vector.info, count: okm.count)
        #expect(output.hexString == vector.okm)
    }

    @Test("An explicit all-zero HashLen salt equals the empty salt (RFC 5869 section 2.2)")
    func emptySaltIsZeroSalt() throws {
        let output = try rawDerive(
            ikm: bytes(0x0b, count: 22), salt: bytes(0, count: 32), info: [], count: 42)
        #expect(output.hexString == rfc5869Vectors[2].okm)
    }

    @Test("A shorter output is a prefix of a longer one")
    func prefixProperty() throws {
        let vector = rfc5869Vectors[0]
        let short = try rawDerive(
            ikm: vector.ikm, salt: vector.salt, info: vector.info, count: 16)
        #expect(short == Array(hex(vector.okm).prefix(16)))
    }

    @Test("Asking for more than 255 * HashLen bytes fails")
    func tooLong() throws {
        let error = #expect(throws: CryptoError.self) {
            _ = try rawDerive(ikm: bytes(0x0b, count: 22), salt: [], info: [], count: 255 * 32 + 1)
        }
        guard case .libraryFailure(let operation, _) = error else {
            Issue.record("expected a libraryFailure, got \(String(describing: error))")
            return
        }
        #expect(operation == "EVP_KDF_derive")
        // The maximum itself is allowed.
        let maximum = try rawDerive(
            ikm: bytes(0x0b, count: 22), salt: [], info: [], count: 255 * 32)
        #expect(maximum.prefix(42).hexString == rfc5869Vectors[2].okm)
    }

    // Expected values computed outside the test with a from-scratch RFC 5869
    // implementation over Python's hmac/hashlib: IKM = 00 01 ... 1f,
    // salt = "phidesk-test-salt", info = the label, L = 32.
    @Test(
        "deriveKey uses the label as HKDF info and keeps the derived id",
        arguments: [
            ("phidesk/record-key",
             "0ff89f66d6ecc09cbe05a18113901a8228f460d4c7f24c24c99f0e361df5484c"),
            ("phidesk/audit-key",
             "350133552b3ab7ee17ca8d7fad023bb503f4f08eec67958cd21b74a3773ca5e5"),
        ])
    func deriveKey(label: String, expected: String) throws {
        let input = try makeKey(Array(0..<32))
        let derivedID = KeyID(bytes: bytes(0xee, count: 16))
        let derived = try HKDF.deriveKey(
            from: input, salt: Array("phidesk-test-salt".utf8), label: label,
            derivedID: derivedID)
        #expect(derived.id == derivedID)
        #expect(derived.withUnsafeKeyBytes { Array($0) }.hexString == expected)
        // Same as the raw API with info = UTF-8 of the label.
        let raw = try rawDerive(
            ikm: Array(0..<32), salt: Array("phidesk-test-salt".utf8),
            info: Array(label.utf8), count: 32)
        #expect(raw.hexString == expected)
    }
}
