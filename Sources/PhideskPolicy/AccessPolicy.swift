public import Foundation
internal import PhideskFHIR
import PhideskResources

/// Roles with minimum-necessary views of FHIR resources, enforced in the data
/// layer: the vault projects every resource through the reader's role before it
/// returns it.
///
/// Policy file format (JSON, UTF-8):
///
///     {
///       "format": "phidesk-policy",
///       "version": 1,
///       "description": "optional text",
///       "roles": {
///         "<role>": {
///           "description": "optional text",
///           "permissions": ["record.read", …],
///           "resources": {
///             "<ResourceType>": {"view": "full"},
///             "<ResourceType>": {"view": "include", "paths": ["id", "name", …]},
///             "<ResourceType>": {"view": "exclude", "paths": ["text", "item.net", …]}
///           },
///           "breakGlassResources": "all-clinical" | ["Condition", …]
///         }
///       }
///     }
///
/// * Role names: lower-case ASCII letters, digits, `-`, `_`.
/// * `permissions` (required): the closed set of `Permission` raw values —
///   `patient.search`, `record.read`, `record.import`, `record.export`, `record.erase`,
///   `breakglass.start`, `breakglass.review`, `user.manage`, `role.manage`,
///   `audit.read`, `key.manage`, `patient.restrict`.
/// * `resources` (optional, default none): a type absent from it is not visible to
///   the role at all. Resource views need `record.read`. Types must be in the R4
///   element table (`FHIRElementCatalog`).
/// * View kinds: `full`; `include` (only `paths` plus `resourceType`; `id`, `meta`
///   and `contained` only when listed); `exclude` (everything but `paths`).
/// * Paths: see `ResourceView` — dot-separated element names from the resource
///   root, arrays transparent, choice elements in full or as `name[x]`. Every
///   segment is checked against the element tables where they reach.
///   `resourceType` cannot be listed (always kept) and nothing below `contained`
///   (contained resources always follow the view of their own type; those of a
///   type the role cannot see are dropped).
/// * `breakGlassResources` (optional, needs `breakglass.start`): types seen in full
///   during break-glass; `all-clinical` means every type in the element table except
///   Claim, ExplanationOfBenefit and Coverage.
/// * Anything unknown — field, format, version, permission, type, view, path — is a
///   load error.
///
/// LIMITATION: duplicate JSON keys are collapsed by json-c (the last wins), so a role
/// or resource type written twice is not reported.
public struct AccessPolicy: Sendable, Equatable {
    /// The format version of the policy.
    public let version: Int
    /// Role names in the order of the policy file.
    public let roleNames: [String]
    /// Roles by name.
    public let roles: [String: Role]

    /// The role called `name`, if the policy defines it.
    public func role(named name: String) -> Role? {
        roles[name]
    }

    /// `role`'s view of one FHIR resource (JSON bytes): nil when the role may not
    /// see the type, else the resource with only the allowed elements. See
    /// `Role.project(_:breakGlass:)`.
    public func project(
        _ resourceJSON: [UInt8],
        as role: Role,
        breakGlass: Bool = false
    ) throws(PolicyError) -> [UInt8]? {
        try role.project(resourceJSON, breakGlass: breakGlass)
    }

    /// Reads and validates a policy file.
    public static func load(contentsOf url: URL) throws(PolicyError) -> AccessPolicy {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(file: url.path)
        }
        return try load([UInt8](data))
    }

    /// Validates a policy held in memory.
    public static func load(_ bytes: [UInt8]) throws(PolicyError) -> AccessPolicy {
        let document: JSONDocument
        do {
            document = try JSONDocument.parse(bytes, limits: JSONLimits(maxDepth: 16))
        } catch {
            throw .malformedJSON(reason: error.description)
        }
        return try PolicyLoader.policy(from: document.root)
    }

    /// The policy shipped with the app (`default-policy.json`, in the
    /// `phidesk_PhideskPolicy.resources` folder beside the program).
    public static func bundledDefault() throws(PolicyError) -> AccessPolicy {
        let name = "phidesk_PhideskPolicy.resources"
        guard let url = ResourceBundle.find(name)?
            .url(forResource: "default-policy", withExtension: "json")
        else {
            let expected = ResourceBundle.searched(name).first ?? name
            throw .unreadable(file: expected + "/default-policy.json")
        }
        return try load(contentsOf: url)
    }
}
