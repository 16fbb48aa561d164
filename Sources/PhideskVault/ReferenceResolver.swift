import Foundation
import PhideskFHIR
import PhideskStore

/// Where a reference in an incoming file points.
enum ReferenceTarget: Equatable {
    /// Another entry of the same file (by index).
    case entry(Int)
    /// A record already in the vault, with its owning patient if any.
    case record(recordID: [UInt8], patientID: [UInt8]?)
    /// A reference inside the resource itself (`#id`, to a contained resource).
    case contained
    /// Nothing known; the reference is kept as written.
    case unresolved
}

/// Resolves `urn:uuid:`, relative (`Patient/123`), absolute and conditional
/// (`Practitioner?identifier=system|value`) references against one file, then the vault.
///
/// A class so it can remember answers: a bundle names the same practitioner or
/// organisation hundreds of times, and each reference is resolved twice (owner search,
/// then the unresolved count). Answers cannot change during one import: every row the
/// import itself writes is reachable through the file's own maps, which are checked
/// before the vault.
final class ReferenceResolver {
    private var byFullUrl: [String: Int] = [:]
    private var byTypeAndID: [String: Int] = [:]
    private var byIdentifier: [String: Int] = [:]
    private var resolved: [String: ReferenceTarget] = [:]
    private let blindIndex: BlindIndex
    private let store: VaultStore

    init(entries: [FHIREntry], blindIndex: BlindIndex, store: VaultStore) {
        self.blindIndex = blindIndex
        self.store = store
        for (position, entry) in entries.enumerated() {
            let resource = entry.resource
            if let fullUrl = entry.fullUrl {
                byFullUrl[fullUrl] = position
            }
            if let id = resource.id {
                byTypeAndID[resource.resourceType + "/" + id] = position
            }
            for identifier in resource.identifiers {
                let key = Self.identifierKey(
                    type: resource.resourceType, system: identifier.system,
                    value: identifier.value)
                byIdentifier[key] = position
            }
        }
    }

    static func identifierKey(type: String, system: String?, value: String) -> String {
        type + "|" + (system ?? "") + "|" + value
    }

    func resolve(_ reference: String) throws -> ReferenceTarget {
        if let known = resolved[reference] {
            return known
        }
        let target = try lookUp(reference)
        resolved[reference] = target
        return target
    }

    private func lookUp(_ reference: String) throws -> ReferenceTarget {
        if reference.hasPrefix("#") {
            return .contained
        }
        if let position = byFullUrl[reference] {
            return .entry(position)
        }
        if let query = reference.firstIndex(of: "?") {
            return try resolveConditional(
                type: String(reference[..<query]),
                query: String(reference[reference.index(after: query)...]))
        }
        guard let typeAndID = Self.typeAndID(reference) else { return .unresolved }
        if let position = byTypeAndID[typeAndID] {
            return .entry(position)
        }
        let logicalKey = try blindIndex.token(.resourceIdentity, typeAndID)
        if let row = try store.resource(logicalKey: logicalKey) {
            return .record(recordID: row.recordID, patientID: row.patientID)
        }
        return .unresolved
    }

    /// `Type/id`, from a relative reference or the tail of an absolute URL.
    private static func typeAndID(_ reference: String) -> String? {
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        // `Type/id/_history/n` names a version of `Type/id`.
        var usable = parts[...]
        if usable.count >= 4, usable[usable.count - 2] == "_history" {
            usable = usable.dropLast(2)
        }
        guard usable.count >= 2,
            let type = usable.dropLast().last, let id = usable.last,
            let first = type.first, first.isUppercase, !id.isEmpty
        else {
            return nil
        }
        return type + "/" + id
    }

    private func resolveConditional(type: String, query: String) throws -> ReferenceTarget {
        // Only `identifier=[system|]value` is understood; anything else stays unresolved.
        for parameter in query.utf8.split(separator: UInt8(ascii: "&")) {
            let pair = parameter.split(separator: UInt8(ascii: "="), maxSplits: 1)
            guard pair.count == 2, pair[0].elementsEqual("identifier".utf8) else { continue }
            let decoded = Self.percentDecoded(pair[1]) ?? String(Substring(pair[1]))
            let system: String?
            let value: String
            if let bar = decoded.firstIndex(of: "|") {
                system = String(decoded[..<bar])
                value = String(decoded[decoded.index(after: bar)...])
            } else {
                system = nil
                value = decoded
            }
            let key = Self.identifierKey(type: type, system: system, value: value)
            if let position = byIdentifier[key] {
                return .entry(position)
            }
            let token = try blindIndex.token(.resourceIdentifier, key)
            if let recordID = try store.recordID(lookupToken: token) {
                let owner = try store.resourceOwner(recordID: recordID)
                if owner.found {
                    return .record(recordID: recordID, patientID: owner.patientID)
                }
            }
        }
        return .unresolved
    }

    /// `%XX` escapes decoded; nil when an escape is malformed or the result is not UTF-8
    /// (the caller then uses the text as written). Byte-wise, because Foundation's
    /// `removingPercentEncoding` cost ~40 µs per reference, a tenth of a large import.
    static func percentDecoded(_ text: Substring.UTF8View) -> String? {
        guard text.contains(UInt8(ascii: "%")) else { return String(Substring(text)) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index = text.index(after: index)
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard index < text.endIndex, let high = hexValue(text[index]) else { return nil }
            index = text.index(after: index)
            guard index < text.endIndex, let low = hexValue(text[index]) else { return nil }
            index = text.index(after: index)
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
