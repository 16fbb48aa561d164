import Testing
@testable import PhideskCrypto

/// One HMAC-SHA256 known-answer vector.
struct HMACVector: Sendable, CustomTestStringConvertible {
    let name: String
    /// The 32-byte key actually passed to `SymmetricKey` (see the suite comment).
    let key: [UInt8]
    let data: [UInt8]
    let tag: String
    var testDescription: String { name }
}

// Source: RFC 4231 section 4, test cases 1-4, 6 and 7 (HMAC-SHA-256 rows).
// Case 5 (truncated output) is skipped.
//
// `HMACSHA256` only accepts a `SymmetricKey`, which must be exactly 32 bytes, while the
// RFC keys are 20, 4, 20, 25 and 131 bytes. HMAC (RFC 2104) makes the vectors still
// usable without changing the API:
//  - a key shorter than the 64-byte block is zero-padded to 64 bytes, so the RFC key
//    followed by zero bytes up to 32 bytes is the same HMAC key (cases 1-4);
//  - a key longer than the block is replaced by SHA-256(key), so for cases 6 and 7 the
//    key is SHA-256 of 131 bytes of 0xaa, computed outside the test with
//    `head -c 131 /dev/zero | tr '\0' '\252' | sha256sum`.
// The expected tags are the RFC's, so the derived keys are checked by the vectors too.
private let sha256Of131xAA = hex("45ad4b37c6e2fc0a2cfcc1b5da524132ec707615c2cae1dbbc43c97aa521db81")

private func zeroPadded(_ key: [UInt8]) -> [UInt8] {
    key + bytes(0, count: SymmetricKey.byteCount - key.count)
}

let rfc4231Vectors: [HMACVector] = [
    HMACVector(
        name: "RFC 4231 case 1",
        key: zeroPadded(bytes(0x0b, count: 20)),
        data: Array("Hi There".utf8),
        tag: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    HMACVector(
        name: "RFC 4231 case 2",
        key: zeroPadded(Array("Jefe".utf8)),
        data: Array("what do ya want for nothing?".utf8),
        tag: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    HMACVector(
        name: "RFC 4231 case 3",
        key: zeroPadded(bytes(0xaa, count: 20)),
        data: bytes(0xdd, count: 50),
        tag: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    HMACVector(
        name: "RFC 4231 case 4",
        key: zeroPadded(hex("0102030405060708090a0b0c0d0e0f10111213141516171819")),
        data: bytes(0xcd, count: 50),
        tag: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    HMACVector(
        name: "RFC 4231 case 6",
        key: sha256Of131xAA,
        data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
        tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    HMACVector(
        name: "RFC 4231 case 7",
        key: sha256Of131xAA,
        data: Array(("This is a test using a larger than block-size key and a larger than "
            + "block-size data. The key needs to be hashed before being used by the HMAC "
            + "algorithm.").utf8),
        tag: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    @Test("RFC 4231 known answers", arguments: rfc4231Vectors)
    func knownAnswer(_ vector: HMACVector) throws {
        let mac = try HMACSHA256(key: try makeKey(vector.key))
        let tag = try mac.authenticate(vector.data)
        #expect(tag.count == HMACSHA256.tagByteCount)
        #expect(tag.hexString == vector.tag)
    }

    @Test("Multi-part input equals the concatenation (RFC 4231 case 2 split in three)")
    func multiPart() throws {
        let mac = try HMACSHA256(key: try makeKey(zeroPadded(Array("Jefe".utf8))))
        let parts: [[UInt8]] = [Array("what do ya ".utf8), [], Array("want for nothing?".utf8)]
        let tag = try parts[0].withUnsafeBytes { first in
            try parts[1].withUnsafeBytes { second in
                try parts[2].withUnsafeBytes { third in
                    try mac.authenticate(first, second, third)
                }
            }
        }
        #expect(tag.hexString == rfc4231Vectors[1].tag)
    }

    @Test("A reused context gives the same tags in any order")
    func contextReuse() throws {
        let mac = try HMACSHA256(key: try makeKey(zeroPadded(bytes(0x0b, count: 20))))
        let first = rfc4231Vectors[0]
        let other = Array("something else entirely".utf8)
        for _ in 0..<100 {
            #expect(try mac.authenticate(first.data).hexString == first.tag)
            #expect(try mac.authenticate(other).hexString != first.tag)
        }
        // An empty message after other messages matches a fresh instance's answer.
        let fresh = try HMACSHA256(key: try makeKey(zeroPadded(bytes(0x0b, count: 20))))
        #expect(try mac.authenticate([]) == fresh.authenticate([]))
    }

    @Test("Different keys give different tags")
    func keySensitivity() throws {
        var secret = zeroPadded(bytes(0x0b, count: 20))
        let data = rfc4231Vectors[0].data
        let reference = try HMACSHA256(key: try makeKey(secret)).authenticate(data)
        secret[31] ^= 0x01
        let changed = try HMACSHA256(key: try makeKey(secret)).authenticate(data)
        #expect(reference.hexString == rfc4231Vectors[0].tag)
        #expect(changed != reference)
    }
}
