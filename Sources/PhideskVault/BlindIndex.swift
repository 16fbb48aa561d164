import PhideskCrypto

/// Keyed tokens for equality lookups over encrypted data.
///
/// A token is the first 16 bytes of HMAC-SHA256(blind-index key, field ‖ 0x00 ‖ value).
/// The field name is part of the input, so a family name and a given name with the same
/// spelling give unrelated tokens. Without the key a token reveals nothing; with it, only
/// equality. See docs/ARCHITECTURE.md for why there is no substring search.
final class BlindIndex {
    static let tokenByteCount = 16

    enum Field: String {
        case family, given, birthDate = "birth", identifier = "ident"
        /// A resource's identity: "Type/id" (or fullUrl / content digest without an id).
        case resourceIdentity = "res"
        /// A business identifier of any resource: "Type|system|value", for conditional
        /// references such as `Practitioner?identifier=system|value`.
        case resourceIdentifier = "rident"
    }

    private let mac: HMACSHA256

    init(key: SymmetricKey) throws {
        mac = try HMACSHA256(key: key)
    }

    func token(_ field: Field, _ value: String) throws -> [UInt8] {
        var input = Array(field.rawValue.utf8)
        input.append(0)
        input += value.utf8
        return Array(try mac.authenticate(input).prefix(Self.tokenByteCount))
    }

    /// A keyed digest of arbitrary bytes (for resources without id or fullUrl).
    func digest(_ bytes: [UInt8]) throws -> [UInt8] {
        Array(try mac.authenticate(bytes).prefix(Self.tokenByteCount))
    }
}
