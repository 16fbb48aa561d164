import Testing
@testable import PhideskCrypto

@Suite("SecureBytes, keys and helpers")
struct SecureBytesTests {
    /// 32 bytes of 0x41 ('A'): easy to spot if a description ever leaks them.
    let marker = bytes(0x41, count: 32)

    private func expectRedacted(_ text: String) {
        #expect(!text.contains("AAAA"), "leaks the bytes as text: \(text)")
        #expect(!text.contains("41"), "leaks the bytes as hex or decimal: \(text)")
        #expect(!text.contains("65"), "leaks the bytes as decimal: \(text)")
    }

    @Test("Descriptions never show the bytes")
    func secureBytesRedacted() {
        let secret = SecureBytes(copying: marker)
        #expect(String(describing: secret) == "SecureBytes(<redacted>, 32 bytes)")
        #expect(secret.debugDescription == "SecureBytes(<redacted>, 32 bytes)")
        #expect(String(reflecting: secret) == "SecureBytes(<redacted>, 32 bytes)")
        #expect("\(secret)" == "SecureBytes(<redacted>, 32 bytes)")
        expectRedacted(String(describing: secret))
        expectRedacted(secret.debugDescription)
        expectRedacted(String(reflecting: [secret]))
    }

    @Test("SymmetricKey description shows only the id")
    func symmetricKeyRedacted() throws {
        // An id of 0xee bytes, so any "41" or "65" in the text could only be the secret.
        let id = KeyID(bytes: bytes(0xee, count: 16))
        let key = try SymmetricKey(id: id, secret: SecureBytes(copying: marker))
        let expected = "SymmetricKey(id: \(String(repeating: "ee", count: 16)), <redacted>)"
        #expect(String(describing: key) == expected)
        #expect("\(key)" == expected)
        expectRedacted(String(describing: key))
        expectRedacted(String(reflecting: key))
    }

    @Test("Copying, zero fill and count")
    func contents() throws {
        let copy = SecureBytes(copying: [1, 2, 3])
        #expect(copy.count == 3)
        #expect(copy.unsafeCopyToArray() == [1, 2, 3])
        let fromRaw = [UInt8]([9, 8, 7, 6]).withUnsafeBytes { SecureBytes(copying: $0) }
        #expect(fromRaw.unsafeCopyToArray() == [9, 8, 7, 6])
        #expect(SecureBytes(zeroedCount: 5).unsafeCopyToArray() == bytes(0, count: 5))
        let empty = SecureBytes(copying: [UInt8]())
        #expect(empty.count == 0)
        #expect(empty.unsafeCopyToArray() == [])
        #expect(empty.withUnsafeBytes { $0.count } == 0)
        // Larger than the mlock limit still works.
        let big = SecureBytes(copying: pattern(count: SecureBytes.lockLimitByteCount + 1))
        #expect(big.unsafeCopyToArray() == pattern(count: SecureBytes.lockLimitByteCount + 1))
    }

    @Test("constantTimeEquals compares content and length")
    func constantTimeEquals() {
        let a = SecureBytes(copying: marker)
        #expect(a.constantTimeEquals(SecureBytes(copying: marker)))
        #expect(a.constantTimeEquals(a))
        for index in [0, 15, 31] {
            var other = marker
            other[index] ^= 0x80
            #expect(!a.constantTimeEquals(SecureBytes(copying: other)), "byte \(index)")
        }
        #expect(!a.constantTimeEquals(SecureBytes(copying: Array(marker.dropLast()))))
        #expect(!a.constantTimeEquals(SecureBytes(copying: marker + [0x41])))
        #expect(SecureBytes(zeroedCount: 0).constantTimeEquals(SecureBytes(zeroedCount: 0)))
    }

    @Test("Random bytes have the requested length and differ between calls")
    func random() throws {
        let first = try SecureBytes.random(count: 32)
        let second = try SecureBytes.random(count: 32)
        #expect(first.count == 32)
        #expect(!first.constantTimeEquals(second))
        #expect(try SystemRandom.bytes(count: 0) == [])
        let bytes = try SystemRandom.bytes(count: 64)
        #expect(bytes.count == 64)
        #expect(bytes != (try SystemRandom.bytes(count: 64)))
    }

    @Test("SymmetricKey requires 32 bytes", arguments: [0, 16, 31, 33, 64])
    func keyLength(count: Int) {
        #expect(throws: CryptoError.invalidKeyByteCount(expected: 32, actual: count)) {
            _ = try SymmetricKey(
                id: KeyID(bytes: bytes(1, count: 16)), secret: SecureBytes(zeroedCount: count))
        }
    }

    @Test("Generated keys are 32 bytes with distinct ids and secrets")
    func generate() throws {
        let first = try SymmetricKey.generate()
        let second = try SymmetricKey.generate()
        #expect(first.id != second.id)
        #expect(first.id.bytes.count == 16)
        #expect(first.withUnsafeKeyBytes { $0.count } == 32)
        #expect(first.withUnsafeKeyBytes { Array($0) } != second.withUnsafeKeyBytes { Array($0) })
    }

    @Test(
        "Hex parsing",
        arguments: [
            ("", [UInt8]()),
            ("00ff10", [0x00, 0xff, 0x10]),
            ("DEADbeef", [0xde, 0xad, 0xbe, 0xef]),
            ("0123456789abcdefABCDEF", [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                        0xab, 0xcd, 0xef]),
        ] as [(String, [UInt8])])
    func hexParsing(text: String, expected: [UInt8]) {
        #expect([UInt8](hexString: text) == expected)
        #expect([UInt8](hexString: text)?.hexString == text.lowercased())
    }

    @Test("Invalid hex is rejected", arguments: ["0", "abc", "0g", "zz", " 00", "0x00", "é0"])
    func hexRejected(text: String) {
        #expect([UInt8](hexString: text) == nil)
    }

    @Test("hexString is lower case and two digits per byte")
    func hexString() {
        #expect(([0x00, 0x0a, 0xa0, 0xff] as [UInt8]).hexString == "000aa0ff")
        #expect(KeyID(bytes: Array(0xf0...0xff)).description
            == "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
    }

    @Test("Error descriptions carry no payload bytes")
    func errorDescriptions() {
        #expect(CryptoError.invalidKeyByteCount(expected: 32, actual: 16).description
            == "key is 16 bytes; 32 required")
        #expect(CryptoError.unsupportedFormatVersion(2).description
            == "ciphertext format version 2 is not supported by this build")
        #expect(CryptoError.libraryFailure(operation: "x", code: 0x1f).description
            == "OpenSSL x failed (error 0x1f)")
    }
}

@Suite("Process hardening")
struct ProcessHardeningTests {
    @Test("apply() succeeds and disables core dumps")
    func apply() {
        #expect(ProcessHardening.apply() == 0)
        #expect(ProcessHardening.isDumpDisabled)
        // Idempotent.
        #expect(ProcessHardening.apply() == 0)
        #expect(ProcessHardening.isDumpDisabled)
    }
}
