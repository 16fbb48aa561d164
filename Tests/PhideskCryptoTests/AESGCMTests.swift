import Testing
@testable import PhideskCrypto

/// One AES-256-GCM encryption vector with a 96-bit IV and empty AAD.
struct GCMVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let iv: String
    let plaintext: String
    let ciphertext: String
    /// The full sealed box for key id 00 01 ... 0f and caller AAD "record-7".
    let box: String
    var testDescription: String { name }
}

// Source: NIST CAVP gcmEncryptExtIV256.rsp, section [Keylen = 256] [IVlen = 96]
// [PTlen = 128] [AADlen = 0] [Taglen = 128], Count = 0 and Count = 1.
//
// A sealed box authenticates its 32-byte header (and then the caller's AAD) as GCM AAD,
// so its tag cannot equal the NIST tag, which was computed over empty AAD. The body of
// the box, however, is plaintext XOR the CTR keystream, which does not depend on AAD:
// it must equal the NIST ciphertext byte for byte. Tag behaviour is covered by the
// round-trip and tamper tests below.
//
// `box` is not NIST data: it was computed outside the test with Python's
// `cryptography` AESGCM (key, IV, plaintext, AAD = header || "record-7") and is the
// header followed by that output, as an independent check of the header layout and of
// the AAD order (header first, then the caller's AAD).
let nistGCMVectors: [GCMVector] = [
    GCMVector(
        name: "gcmEncryptExtIV256 PTlen 128 AADlen 0 Count 0",
        key: "31bdadd96698c204aa9ce1448ea94ae1fb4a9a0b3c9d773b51bb1822666b8f22",
        iv: "0d18e06c7c725ac9e362e1ce",
        plaintext: "2db5168e932556f8089a0622981d017d",
        ciphertext: "fa4362189661d163fcd6a56d8bf0405a",
        box: "50440101000102030405060708090a0b0c0d0e0f0d18e06c7c725ac9e362e1ce"
            + "fa4362189661d163fcd6a56d8bf0405a3e455c9560671ac5fd111454adc1b8eb"),
    GCMVector(
        name: "gcmEncryptExtIV256 PTlen 128 AADlen 0 Count 1",
        key: "460fc864972261c2560e1eb88761ff1c992b982497bd2ac36c04071cbb8e5d99",
        iv: "8a4a16b9e210eb68bcb6f58d",
        plaintext: "99e4e926ffe927f691893fb79a96b067",
        ciphertext: "133fc15751621b5f325c7ff71ce08324",
        box: "50440101000102030405060708090a0b0c0d0e0f8a4a16b9e210eb68bcb6f58d"
            + "133fc15751621b5f325c7ff71ce08324412aa69bd981b1b8308b4b641dffed5d"),
]

private let header = SealedBox.headerByteCount
private let tagSize = SealedBox.tagByteCount

private func seal(
    _ gcm: AESGCM, _ plaintext: [UInt8], nonce: [UInt8], aad: [UInt8]
) throws -> [UInt8] {
    try plaintext.withUnsafeBytes { input in
        try aad.withUnsafeBytes { aadBytes in
            try gcm.seal(input, nonce: nonce, authenticating: aadBytes)
        }
    }
}

private func openBytes(_ gcm: AESGCM, _ box: [UInt8], aad: [UInt8]) throws -> [UInt8] {
    try gcm.open(box, authenticating: aad).unsafeCopyToArray()
}

@Suite("AES-256-GCM sealed boxes")
struct AESGCMTests {
    let key: SymmetricKey
    let gcm: AESGCM
    let aad = Array("patient/42/observation/7".utf8)

    init() throws {
        key = try makeKey(pattern(count: 32), id: bytes(0x5a, count: 16))
        gcm = try AESGCM(key: key)
    }

    @Test("NIST vector: box body equals the NIST ciphertext", arguments: nistGCMVectors)
    func nistCiphertext(_ vector: GCMVector) throws {
        let gcm = try AESGCM(key: try makeKey(hex(vector.key)))
        let plaintext = hex(vector.plaintext)
        let box = try seal(gcm, plaintext, nonce: hex(vector.iv), aad: Array("record-7".utf8))

        #expect(box.count == SealedBox.overheadByteCount + plaintext.count)
        #expect(Array(box[header..<(box.count - tagSize)]).hexString == vector.ciphertext)
        #expect(box.hexString == vector.box)
        #expect(try openBytes(gcm, box, aad: Array("record-7".utf8)) == plaintext)
        // The precomputed box opens too (it was not produced by this code).
        #expect(try openBytes(gcm, hex(vector.box), aad: Array("record-7".utf8)) == plaintext)
    }

    @Test("The ciphertext does not depend on the AAD; the tag does")
    func aadOnlyAffectsTag() throws {
        let vector = nistGCMVectors[0]
        let gcm = try AESGCM(key: try makeKey(hex(vector.key)))
        let first = try seal(gcm, hex(vector.plaintext), nonce: hex(vector.iv), aad: [])
        let second = try seal(gcm, hex(vector.plaintext), nonce: hex(vector.iv), aad: [1])
        #expect(Array(first[header..<(first.count - tagSize)]).hexString == vector.ciphertext)
        #expect(first[..<(first.count - tagSize)] == second[..<(second.count - tagSize)])
        #expect(first.suffix(tagSize) != second.suffix(tagSize))
    }

    @Test("Header layout: magic, version, algorithm, key id, nonce")
    func headerLayout() throws {
        let nonce = hex("000102030405060708090a0b")
        let box = try seal(gcm, pattern(count: 5), nonce: nonce, aad: aad)
        #expect(box.count == 32 + 5 + 16)
        #expect(Array(box[0..<4]) == [0x50, 0x44, 0x01, 0x01])
        #expect(Array(box[4..<20]) == bytes(0x5a, count: 16))
        #expect(Array(box[20..<32]) == nonce)
        let id = try box.withUnsafeBytes { try SealedBox.keyID(of: $0) }
        #expect(id == key.id)
    }

    @Test("Round trip", arguments: [0, 1, 15, 16, 17, 1000, 1 << 20])
    func roundTrip(size: Int) throws {
        let plaintext = pattern(count: size)
        let box = try gcm.seal(plaintext, authenticating: aad)
        #expect(box.count == SealedBox.overheadByteCount + size)
        if size >= 16 {
            #expect(Array(box[header..<(header + 16)]) != Array(plaintext.prefix(16)))
        }
        let opened = try gcm.open(box, authenticating: aad)
        #expect(opened.count == size)
        #expect(opened.unsafeCopyToArray() == plaintext)
        // Another instance of the same key opens it as well.
        #expect(try openBytes(try AESGCM(key: key), box, aad: aad) == plaintext)
    }

    @Test("Flipping any byte of nonce, ciphertext or tag fails authentication")
    func tamperEveryByte() throws {
        let box = try gcm.seal(pattern(count: 40), authenticating: aad)
        for index in 20..<box.count {
            var tampered = box
            tampered[index] ^= 0x01
            #expect(throws: CryptoError.authenticationFailure, "byte \(index)") {
                _ = try gcm.open(tampered, authenticating: aad)
            }
            tampered[index] ^= 0x81  // a different bit of the same byte (net flip 0x80)
            #expect(throws: CryptoError.authenticationFailure, "byte \(index) bit 7") {
                _ = try gcm.open(tampered, authenticating: aad)
            }
        }
        // After all the failures the context still opens the untouched box.
        #expect(try openBytes(gcm, box, aad: aad) == pattern(count: 40))
    }

    @Test("A different, shorter, longer or missing AAD fails authentication")
    func wrongAAD() throws {
        let box = try gcm.seal(pattern(count: 64), authenticating: aad)
        var changed = aad
        changed[changed.count - 1] ^= 0x01
        for other in [changed, Array(aad.dropLast()), aad + [0], []] {
            #expect(throws: CryptoError.authenticationFailure) {
                _ = try gcm.open(box, authenticating: other)
            }
        }
    }

    @Test("The same key id with another secret fails authentication")
    func wrongSecret() throws {
        var secret = pattern(count: 32)
        secret[0] ^= 0x01
        let impostor = try AESGCM(key: try makeKey(secret, id: bytes(0x5a, count: 16)))
        let box = try gcm.seal(pattern(count: 64), authenticating: aad)
        #expect(throws: CryptoError.authenticationFailure) {
            _ = try impostor.open(box, authenticating: aad)
        }
    }

    @Test("A changed key id byte is reported as a key mismatch", arguments: 4..<20)
    func keyIDFlip(index: Int) throws {
        var box = try gcm.seal(pattern(count: 17), authenticating: aad)
        box[index] ^= 0x01
        #expect(throws: CryptoError.keyMismatch) {
            _ = try gcm.open(box, authenticating: aad)
        }
    }

    @Test("A box under another key id is a key mismatch")
    func otherKey() throws {
        let other = try AESGCM(key: try makeKey(pattern(count: 32), id: bytes(0xa5, count: 16)))
        let box = try other.seal(pattern(count: 17), authenticating: aad)
        #expect(throws: CryptoError.keyMismatch) {
            _ = try gcm.open(box, authenticating: aad)
        }
    }

    @Test("A changed version byte is reported as unsupported", arguments: [0, 2, 0xff] as [UInt8])
    func versionByte(version: UInt8) throws {
        var box = try gcm.seal(pattern(count: 17), authenticating: aad)
        box[2] = version
        #expect(throws: CryptoError.unsupportedFormatVersion(version)) {
            _ = try gcm.open(box, authenticating: aad)
        }
    }

    @Test("A changed magic or algorithm byte is malformed", arguments: [0, 1, 3])
    func magicOrAlgorithmByte(index: Int) throws {
        var box = try gcm.seal(pattern(count: 17), authenticating: aad)
        box[index] ^= 0x01
        #expect(throws: CryptoError.malformedCiphertext) {
            _ = try gcm.open(box, authenticating: aad)
        }
    }

    @Test("A truncated box is malformed", arguments: [0, 1, 4, 20, 31, 32, 47])
    func truncated(length: Int) throws {
        let box = try gcm.seal([], authenticating: aad)
        #expect(box.count == 48)
        #expect(throws: CryptoError.malformedCiphertext) {
            _ = try gcm.open(Array(box.prefix(length)), authenticating: aad)
        }
        #expect(throws: CryptoError.malformedCiphertext) {
            _ = try Array(box.prefix(length)).withUnsafeBytes { try SealedBox.keyID(of: $0) }
        }
    }

    @Test("Cutting bytes off a longer box fails authentication")
    func shortenedBody() throws {
        let box = try gcm.seal(pattern(count: 40), authenticating: aad)
        #expect(throws: CryptoError.authenticationFailure) {
            _ = try gcm.open(Array(box.dropLast()), authenticating: aad)
        }
        #expect(throws: CryptoError.authenticationFailure) {
            _ = try gcm.open(Array(box.dropLast(17)), authenticating: aad)
        }
    }

    @Test("Two seals of the same plaintext use different nonces")
    func freshNonces() throws {
        let plaintext = pattern(count: 32)
        let first = try gcm.seal(plaintext, authenticating: aad)
        let second = try gcm.seal(plaintext, authenticating: aad)
        #expect(first[20..<32] != second[20..<32])
        #expect(first[header...] != second[header...])
        #expect(try openBytes(gcm, first, aad: aad) == plaintext)
        #expect(try openBytes(gcm, second, aad: aad) == plaintext)
    }

    @Test("One context reused for 1,000 seal/open alternations stays correct")
    func contextReuse() throws {
        let nonce = hex("cafebabefacedbaddecaf888")
        let probe = pattern(count: 100)
        let reference = try seal(try AESGCM(key: key), probe, nonce: nonce, aad: aad)

        for round in 0..<1000 {
            let plaintext = Array(pattern(count: round % 97 + round / 10).reversed())
            let roundAAD = aad + [UInt8(truncatingIfNeeded: round)]
            let box = try gcm.seal(plaintext, authenticating: roundAAD)
            #expect(box.count == SealedBox.overheadByteCount + plaintext.count)
            #expect(try openBytes(gcm, box, aad: roundAAD) == plaintext, "round \(round)")
            if round % 100 == 50 {
                // A failed open in the middle must not disturb later operations.
                #expect(throws: CryptoError.authenticationFailure) {
                    _ = try gcm.open(box, authenticating: aad)
                }
            }
        }
        // After 1,000 reuses the context produces exactly what a fresh one does.
        #expect(try seal(gcm, probe, nonce: nonce, aad: aad) == reference)
        #expect(try openBytes(gcm, reference, aad: aad) == probe)
    }
}
