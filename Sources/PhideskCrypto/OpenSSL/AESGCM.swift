internal import COpenSSL

/// AES-256-GCM bound to one key, with its OpenSSL contexts set up once and reused.
///
/// Setting up a cipher context per record costs more than encrypting a small record, so
/// the key schedule is loaded once and each message only sets a fresh nonce.
/// Not thread-safe: use one instance per thread.
public final class AESGCM {
    public let keyID: KeyID

    private let cipher: OpaquePointer
    private let sealContext: OpaquePointer
    private let openContext: OpaquePointer
    private let nonces = NoncePool()

    public init(key: SymmetricKey) throws {
        keyID = key.id
        guard let cipher = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil) else {
            throw CryptoError.openSSL("EVP_CIPHER_fetch")
        }
        guard let sealContext = EVP_CIPHER_CTX_new() else {
            EVP_CIPHER_free(cipher)
            throw CryptoError.openSSL("EVP_CIPHER_CTX_new")
        }
        guard let openContext = EVP_CIPHER_CTX_new() else {
            EVP_CIPHER_CTX_free(sealContext)
            EVP_CIPHER_free(cipher)
            throw CryptoError.openSSL("EVP_CIPHER_CTX_new")
        }
        self.cipher = cipher
        self.sealContext = sealContext
        self.openContext = openContext

        let loaded = key.withUnsafeKeyBytes { keyBytes in
            let raw = keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return EVP_EncryptInit_ex2(sealContext, cipher, raw, nil, nil) == 1
                && EVP_DecryptInit_ex2(openContext, cipher, raw, nil, nil) == 1
        }
        guard loaded else { throw CryptoError.openSSL("EVP_CipherInit_ex2") }
    }

    deinit {
        EVP_CIPHER_CTX_free(sealContext)
        EVP_CIPHER_CTX_free(openContext)
        EVP_CIPHER_free(cipher)
    }

    /// Seals `plaintext` into a ``SealedBox`` with a random nonce, authenticating `aad`.
    public func seal(
        _ plaintext: UnsafeRawBufferPointer,
        authenticating aad: UnsafeRawBufferPointer
    ) throws -> [UInt8] {
        try nonces.withNextNonce { nonce in
            try seal(plaintext, nonce: nonce, authenticating: aad)
        }
    }

    /// Seals with a caller-chosen nonce.
    ///
    /// - Warning: A nonce must never repeat under one key; this exists for test vectors.
    public func seal(
        _ plaintext: UnsafeRawBufferPointer,
        nonce: [UInt8],
        authenticating aad: UnsafeRawBufferPointer
    ) throws -> [UInt8] {
        precondition(nonce.count == SealedBox.nonceByteCount, "GCM nonce must be 96 bits")
        return try nonce.withUnsafeBytes { nonceBytes in
            try seal(plaintext, nonce: nonceBytes, authenticating: aad)
        }
    }

    private func seal(
        _ plaintext: UnsafeRawBufferPointer,
        nonce: UnsafeRawBufferPointer,
        authenticating aad: UnsafeRawBufferPointer
    ) throws -> [UInt8] {
        let total = SealedBox.overheadByteCount + plaintext.count
        // Every byte is written below (header, ciphertext, tag), so zero-filling first
        // would only cost a pass over the output; on a throw the array is discarded.
        return try [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            let out = UnsafeMutableRawBufferPointer(buffer)
            writeHeader(into: out, nonce: nonce)
            let header = UnsafeRawBufferPointer(rebasing: out[0..<SealedBox.headerByteCount])
            let body = UnsafeMutableRawBufferPointer(
                rebasing: out[SealedBox.headerByteCount..<(total - SealedBox.tagByteCount)])
            let tag = UnsafeMutableRawBufferPointer(
                rebasing: out[(total - SealedBox.tagByteCount)...])
            try crypt(
                context: sealContext, encrypting: true, nonce: nonce, header: header, aad: aad,
                input: plaintext, output: body, tag: tag)
            count = total
        }
    }

    /// Opens a box sealed by this key, checking header, tag and `aad`.
    ///
    /// The plaintext lands in ``SecureBytes`` so it is wiped when released.
    public func open(
        _ box: UnsafeRawBufferPointer,
        authenticating aad: UnsafeRawBufferPointer
    ) throws -> SecureBytes {
        try SealedBox.checkHeader(box)
        guard box[4..<20].elementsEqual(keyID.bytes) else { throw CryptoError.keyMismatch }

        let bodyCount = box.count - SealedBox.overheadByteCount
        let plaintext = SecureBytes(zeroedCount: bodyCount)
        let nonce = UnsafeRawBufferPointer(rebasing: box[20..<32])
        let header = UnsafeRawBufferPointer(rebasing: box[0..<SealedBox.headerByteCount])
        let body = UnsafeRawBufferPointer(
            rebasing: box[SealedBox.headerByteCount..<(box.count - SealedBox.tagByteCount)])
        // OpenSSL takes the expected tag through a non-const pointer, so it gets a copy
        // on the stack rather than the caller's (read-only) box.
        try withUnsafeTemporaryAllocation(
            byteCount: SealedBox.tagByteCount, alignment: 1
        ) { tagBuffer in
            tagBuffer.copyMemory(
                from: UnsafeRawBufferPointer(
                    rebasing: box[(box.count - SealedBox.tagByteCount)...]))
            try plaintext.withUnsafeMutableBytes { out in
                try crypt(
                    context: openContext, encrypting: false, nonce: nonce, header: header,
                    aad: aad, input: body, output: out, tag: tagBuffer)
            }
        }
        return plaintext
    }

    public func seal(_ plaintext: [UInt8], authenticating aad: [UInt8]) throws
        -> [UInt8]
    {
        try plaintext.withUnsafeBytes { input in
            try aad.withUnsafeBytes { aadBytes in
                try seal(input, authenticating: aadBytes)
            }
        }
    }

    public func open(_ box: [UInt8], authenticating aad: [UInt8]) throws
        -> SecureBytes
    {
        try box.withUnsafeBytes { input in
            try aad.withUnsafeBytes { aadBytes in
                try open(input, authenticating: aadBytes)
            }
        }
    }

    private func writeHeader(
        into out: UnsafeMutableRawBufferPointer, nonce: UnsafeRawBufferPointer
    ) {
        out[0] = SealedBox.magic[0]
        out[1] = SealedBox.magic[1]
        out[2] = SealedBox.formatVersion
        out[3] = SealedBox.algorithmAES256GCM
        for (offset, byte) in keyID.bytes.enumerated() {
            out[4 + offset] = byte
        }
        UnsafeMutableRawBufferPointer(rebasing: out[20..<32]).copyMemory(from: nonce)
    }

    // One routine for both directions keeps the AAD order (header, then caller AAD)
    // identical by construction.
    private func crypt(
        context: OpaquePointer,
        encrypting: Bool,
        nonce: UnsafeRawBufferPointer,
        header: UnsafeRawBufferPointer,
        aad: UnsafeRawBufferPointer,
        input: UnsafeRawBufferPointer,
        output: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) throws {
        let step = encrypting ? "seal" : "open"
        let noncePointer = nonce.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard EVP_CipherInit_ex2(context, nil, nil, noncePointer, encrypting ? 1 : 0, nil) == 1
        else { throw CryptoError.openSSL("\(step): set nonce") }

        var written: Int32 = 0
        func authenticate(_ part: UnsafeRawBufferPointer) throws {
            guard let base = part.baseAddress, part.count > 0 else { return }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            guard EVP_CipherUpdate(context, nil, &written, bytes, Int32(part.count)) == 1 else {
                throw CryptoError.openSSL("\(step): aad")
            }
        }
        try authenticate(header)
        try authenticate(aad)

        if input.count > 0 {
            let inBase = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let outBase = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard EVP_CipherUpdate(context, outBase, &written, inBase, Int32(input.count)) == 1
            else {
                throw CryptoError.openSSL("\(step): update")
            }
        }

        if !encrypting {
            guard
                EVP_CIPHER_CTX_ctrl(
                    context, EVP_CTRL_GCM_SET_TAG, Int32(SealedBox.tagByteCount),
                    tag.baseAddress) == 1
            else {
                throw CryptoError.openSSL("open: set tag")
            }
        }

        // GCM writes nothing at final; the block-sized scratch just satisfies the API.
        let finished = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { buffer in
            EVP_CipherFinal_ex(context, buffer.baseAddress, &written)
        }
        guard finished == 1 else {
            ERR_clear_error()
            if encrypting { throw CryptoError.openSSL("seal: final") }
            throw CryptoError.authenticationFailure
        }

        if encrypting {
            guard
                EVP_CIPHER_CTX_ctrl(
                    context, EVP_CTRL_GCM_GET_TAG, Int32(SealedBox.tagByteCount),
                    tag.baseAddress) == 1
            else {
                throw CryptoError.openSSL("seal: get tag")
            }
        }
    }
}
