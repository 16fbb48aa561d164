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
struct ReferenceResolver {
    private var byFullUrl: [String: Int] = [:]
    private var byTypeAndID: [String: Int] = [:]
    private var byIdentifier: [String: Int] = [:]
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
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0] == "identifier" else { continue }
            let decoded = String(pair[1]).removingPercentEncoding ?? String(pair[1])
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
}
