internal import CJSONC
internal import Foundation

/// A `"reference"` string found inside a resource.
public struct FHIRReference: Sendable, Equatable, Hashable {
    /// Where the reference string sits, e.g. `$.entry[3].resource.subject.reference`.
    public let jsonPath: String
    /// The reference as written: `urn:uuid:…`, `Patient/123`, `Type?identifier=…`, URL.
    public let reference: String

    public init(jsonPath: String, reference: String) {
        self.jsonPath = jsonPath
        self.reference = reference
    }
}

/// One FHIR resource, decoded just enough for storage and indexing.
///
/// The resource content itself is kept as compact JSON (`serialized`) with the
/// original key order and number text, so nothing the app does not model is lost.
public struct FHIRResource: Sendable {
    /// E.g. `Patient`, `Observation`.
    public let resourceType: String
    /// `Resource.id` when present and a string.
    public let id: String?
    /// Compact JSON of the whole resource, semantically equal to the input.
    public let serialized: [UInt8]
    /// Every `"reference"` string anywhere in the resource, in document order,
    /// except local references to contained resources (starting with `#`).
    public let references: [FHIRReference]
    /// References that say whose record this is: top-level `subject`, `patient`,
    /// `beneficiary` (object or array of objects) and, for Provenance, `target`.
    public let ownerReferences: [FHIRReference]
    /// True when any `modifierExtension` occurs anywhere in the resource. The app
    /// interprets none, so every one may change the meaning of the data.
    public let hasUnknownModifierExtension: Bool
    /// Top-level `identifier` entries that have a string `value`.
    public let identifiers: [(system: String?, value: String)]

    /// Decodes a standalone resource from JSON bytes.
    public init(bytes: [UInt8], limits: JSONLimits = .default) throws(FHIRError) {
        let document = try JSONDocument.parse(bytes, limits: limits)
        try self.init(node: document.root, path: JSONPath.root)
    }

    /// Decodes the resource at `node`; `path` locates it for errors and references.
    public init(node: JSONNode, path: String = "$") throws(FHIRError) {
        try self.init(node: node, path: path, scanner: ResourceScanner())
    }

    /// Decodes with a caller's scanner, so a Bundle's entries share one output buffer.
    init(node: JSONNode, path: String, scanner: ResourceScanner) throws(FHIRError) {
        resourceType = try Self.resourceType(of: node, path: path)
        if let idNode = node["id"] {
            guard let value = idNode.stringValue, FHIRResourceTypes.isValidID(value) else {
                throw .invalidID(path: JSONPath.appending(path, key: "id"))
            }
            id = value
        } else {
            id = nil
        }

        // Owner references are the top-level `<field>.reference` and
        // `<field>[i].reference` strings the scan meets anyway; it hands them back
        // grouped by field in this order, which decides which owner is tried first.
        let ownerFields: [StaticString] = resourceType == "Provenance"
            ? ["subject", "patient", "beneficiary", "target"]
            : ["subject", "patient", "beneficiary"]
        scanner.scan(node.object, path: path, ownerFields: ownerFields)
        serialized = scanner.serialized
        references = scanner.references
        hasUnknownModifierExtension = scanner.sawModifierExtension
        ownerReferences = scanner.ownerReferences

        var found: [(system: String?, value: String)] = []
        for element in node["identifier"]?.elements ?? [] {
            if let value = element["value"]?.stringValue {
                found.append((element["system"]?.stringValue, value))
            }
        }
        identifiers = found
    }

    /// Validates `resourceType` of the object at `node` and returns it.
    static func resourceType(of node: JSONNode, path: String) throws(FHIRError) -> String {
        guard node.kind == .object else {
            throw .unexpectedType(path: path, expected: "an object")
        }
        // The path is only for errors, so it is built only on the way out.
        var typePath: String { JSONPath.appending(path, key: "resourceType") }
        guard let value = node["resourceType"] else {
            throw .missingResourceType(path: typePath)
        }
        guard let type = value.stringValue else {
            throw .resourceTypeNotString(path: typePath)
        }
        guard isValidTypeName(type), FHIRResourceTypes.r4.contains(type) else {
            throw .invalidResourceType(path: typePath)
        }
        return type
    }

    /// FHIR type names match `^[A-Z][A-Za-z]+$`.
    static func isValidTypeName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard utf8.count >= 2, utf8.count <= 64, let first = utf8.first,
              first >= 65, first <= 90 else {
            return false
        }
        return utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
    }
}
