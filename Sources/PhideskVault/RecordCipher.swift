import PhideskCrypto

/// What the vault needs from a data key: seal and open records bound to their AAD.
protocol RecordCipher: AnyObject {
    var keyID: KeyID { get }
    func seal(_ plaintext: [UInt8], authenticating aad: [UInt8]) throws -> [UInt8]
    func open(_ box: [UInt8], authenticating aad: [UInt8]) throws -> SecureBytes
}

extension AESGCM: RecordCipher {}

/// Stores records as plaintext in the same layout, so a benchmark can measure what
/// encryption costs on the identical import and read path.
///
/// - Warning: Never used by the product. Reachable only through the `Benchmarks` SPI and
///   ``Vault/Options/insecurePlaintextRecordsForBenchmarks``.
final class InsecurePlaintextCipher: RecordCipher {
    let keyID: KeyID

    init(keyID: KeyID) {
        self.keyID = keyID
    }

    func seal(_ plaintext: [UInt8], authenticating aad: [UInt8]) throws -> [UInt8] {
        plaintext
    }

    func open(_ box: [UInt8], authenticating aad: [UInt8]) throws -> SecureBytes {
        SecureBytes(copying: box)
    }
}
