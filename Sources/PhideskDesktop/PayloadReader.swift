import Foundation

/// Why a renderer request was refused; the raw value is the audit reason code. The page
/// only ever sees the generic `rejected`, so it cannot probe which check failed.
public enum IPCRejection: String, Error, Sendable, CaseIterable {
    case wrongSender = "ipc-wrong-sender"
    case oversize = "ipc-oversize"
    case malformed = "ipc-malformed"
    case unknownCommand = "ipc-unknown-command"
    case badPayload = "ipc-bad-payload"
    case linkNotAllowed = "ipc-link-refused"
}

/// Reads a JSON object with an exact key set: every key must be declared, required keys
/// present, every value of the declared type and size. Never echoes values in errors.
struct PayloadReader {
    private let object: [String: Any]

    /// - Parameters:
    ///   - required: keys that must be present.
    ///   - optional: keys that may be present.
    init(_ value: Any?, required: Set<String>, optional: Set<String> = []) throws(IPCRejection) {
        guard let object = value as? [String: Any] else { throw .badPayload }
        let keys = Set(object.keys)
        guard keys.isSubset(of: required.union(optional)), required.isSubset(of: keys) else {
            throw .badPayload
        }
        self.object = object
    }

    /// A string value of 1...`maxLength` UTF-8 bytes without control characters.
    func string(_ key: String, maxLength: Int) throws(IPCRejection) -> String {
        guard let value = object[key] else { throw .badPayload }
        return try Self.checkedString(value, maxLength: maxLength)
    }

    /// As `string`, or nil when the key is absent (JSON null is a type error).
    func optionalString(_ key: String, maxLength: Int) throws(IPCRejection) -> String? {
        guard let value = object[key] else { return nil }
        return try Self.checkedString(value, maxLength: maxLength)
    }

    private static func checkedString(_ value: Any, maxLength: Int) throws(IPCRejection)
        -> String
    {
        // JSONSerialization bridges numbers and booleans as NSNumber; only a real string
        // passes `as? String` on Linux Foundation.
        guard !(value is NSNumber), let text = value as? String else { throw .badPayload }
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength,
            utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F })
        else { throw .badPayload }
        return text
    }
}
