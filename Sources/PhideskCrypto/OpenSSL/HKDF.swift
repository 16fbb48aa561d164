internal import COpenSSL

/// HKDF-SHA256 (RFC 5869) through OpenSSL's `EVP_KDF`.
public enum HKDF {
    /// Derives a key of `SymmetricKey.byteCount` bytes under a distinct `label` (the HKDF
    /// info), so keys for different purposes never coincide.
    public static func deriveKey(
        from inputKey: SymmetricKey,
        salt: [UInt8],
        label: String,
        derivedID: KeyID
    ) throws -> SymmetricKey {
        let output = SecureBytes(zeroedCount: SymmetricKey.byteCount)
        try inputKey.withUnsafeKeyBytes { keyBytes in
            try output.withUnsafeMutableBytes { out in
                try derive(
                    keyMaterial: keyBytes,
                    salt: salt,
                    info: Array(label.utf8),
                    into: out)
            }
        }
        return try SymmetricKey(id: derivedID, secret: output)
    }

    /// Raw HKDF for test vectors and callers that need another output length.
    public static func derive(
        keyMaterial: UnsafeRawBufferPointer,
        salt: [UInt8],
        info: [UInt8],
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        guard let kdf = EVP_KDF_fetch(nil, "HKDF", nil) else {
            throw CryptoError.openSSL("EVP_KDF_fetch")
        }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else {
            throw CryptoError.openSSL("EVP_KDF_CTX_new")
        }
        defer { EVP_KDF_CTX_free(context) }

        // Every OSSL_PARAM points into storage that lives until EVP_KDF_derive returns:
        // the closures below nest so no pointer outlives its buffer.
        var saltCopy = salt
        var infoCopy = info
        let names = [
            OSSL_KDF_PARAM_DIGEST, OSSL_KDF_PARAM_KEY, OSSL_KDF_PARAM_SALT, OSSL_KDF_PARAM_INFO,
            "SHA256",
        ]
        let status = withCStrings(names) { name in
            saltCopy.withUnsafeMutableBytes { saltBytes in
                infoCopy.withUnsafeMutableBytes { infoBytes in
                    var params = [
                        OSSL_PARAM_construct_utf8_string(name[0], name[4], 0),
                        OSSL_PARAM_construct_octet_string(
                            name[1],
                            UnsafeMutableRawPointer(mutating: keyMaterial.baseAddress),
                            keyMaterial.count),
                        OSSL_PARAM_construct_octet_string(
                            name[2], saltBytes.baseAddress, saltBytes.count),
                        OSSL_PARAM_construct_octet_string(
                            name[3], infoBytes.baseAddress, infoBytes.count),
                        OSSL_PARAM_construct_end(),
                    ]
                    return params.withUnsafeMutableBufferPointer { paramBuffer in
                        EVP_KDF_derive(
                            context,
                            output.baseAddress?.assumingMemoryBound(to: UInt8.self),
                            output.count,
                            paramBuffer.baseAddress)
                    }
                }
            }
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_KDF_derive") }
    }
}
