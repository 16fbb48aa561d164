public import Foundation
import PhideskAuth
public import PhideskVault

/// The declared IPC surface: every command the page may send, its payload schema and
/// what it needs. Anything else is refused before it reaches the vault.
public enum IPCCommand: Equatable, Sendable {
    case sessionStatus
    case signIn(login: String, password: String, code: String)
    case lock
    case search(PatientQuery)
    case summary(patientID: String)
    case openLink(String)

    /// Largest request body accepted (the whole JSON text).
    public static let maximumBodyBytes = 64 * 1024

    /// Command names, for documentation and tests.
    public static let names = [
        "session.status", "session.signIn", "session.lock", "patients.search",
        "patient.summary", "link.open",
    ]

    /// External links the page may ask the broker to open (after the user confirms).
    public static let linkAllowlist = ["https://hl7.org/", "https://www.hl7.org/"]

    /// Whether the command needs a signed-in, unlocked session.
    public var needsSession: Bool {
        switch self {
        case .search, .summary: return true
        case .sessionStatus, .signIn, .lock, .openLink: return false
        }
    }

    /// Decodes a request body `{"command": "...", "payload": {...}}`.
    public static func decode(_ body: [UInt8]) throws(IPCRejection) -> IPCCommand {
        guard body.count <= maximumBodyBytes else { throw .oversize }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw .malformed
        }
        guard let envelope = json as? [String: Any], envelope.count == 2,
            let name = envelope["command"] as? String, !(envelope["command"] is NSNumber),
            let payload = envelope["payload"]
        else { throw .malformed }
        return try decode(name: name, payload: payload)
    }

    static func decode(name: String, payload: Any) throws(IPCRejection) -> IPCCommand {
        switch name {
        case "session.status":
            _ = try PayloadReader(payload, required: [])
            return .sessionStatus
        case "session.lock":
            _ = try PayloadReader(payload, required: [])
            return .lock
        case "session.signIn":
            let reader = try PayloadReader(payload, required: ["login", "password", "code"])
            let code = try reader.string("code", maxLength: 32)
            // Every password the policy accepts must fit: its length counts Unicode
            // scalars, and a scalar takes up to 4 bytes of UTF-8.
            let passwordBytes = PasswordPolicy.maximumLength * 4
            return .signIn(
                login: try reader.string("login", maxLength: 64),
                password: try reader.string("password", maxLength: passwordBytes), code: code)
        case "patients.search":
            return .search(try decodeQuery(payload))
        case "patient.summary":
            let reader = try PayloadReader(payload, required: ["patientID"])
            let id = try reader.string("patientID", maxLength: 32)
            guard id.utf8.count == 32, id.utf8.allSatisfy(isLowerHex) else { throw .badPayload }
            return .summary(patientID: id)
        case "link.open":
            let reader = try PayloadReader(payload, required: ["url"])
            let url = try reader.string("url", maxLength: 2048)
            guard isAllowedLink(url) else { throw .linkNotAllowed }
            return .openLink(url)
        default:
            throw .unknownCommand
        }
    }

    static func decodeQuery(_ payload: Any) throws(IPCRejection) -> PatientQuery {
        let keys: Set = ["name", "family", "given", "birthDate", "identifier"]
        let reader = try PayloadReader(payload, required: [], optional: keys)
        let query = PatientQuery(
            name: try reader.optionalString("name", maxLength: 100),
            family: try reader.optionalString("family", maxLength: 100),
            given: try reader.optionalString("given", maxLength: 100),
            birthDate: try reader.optionalString("birthDate", maxLength: 10),
            identifier: try reader.optionalString("identifier", maxLength: 100), limit: 50)
        guard !query.isEmpty else { throw .badPayload }
        if let date = query.birthDate {
            let digitsAndDashes = date.utf8.allSatisfy {
                $0 == UInt8(ascii: "-") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            }
            guard digitsAndDashes, date.utf8.count >= 4 else { throw .badPayload }
        }
        return query
    }

    /// https only, no credentials or port, host and path prefix on the allowlist.
    public static func isAllowedLink(_ text: String) -> Bool {
        // Printable ASCII only: the link is shown in the broker's confirmation dialog, where
        // spaces, line separators or bidirectional controls would let the page write its
        // own text (URLComponents accepts them). A real link percent-encodes the rest.
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
            let parts = URLComponents(string: text), parts.scheme == "https",
            parts.user == nil, parts.password == nil, parts.port == nil,
            !text.contains("\\"), !text.contains("@")
        else { return false }
        return linkAllowlist.contains { text.hasPrefix($0) }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
    }
}
