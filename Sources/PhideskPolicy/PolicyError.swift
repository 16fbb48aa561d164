/// Problems found while loading a policy or projecting a resource.
///
/// Messages name where in the policy the problem is (role, resource type, field
/// path) and quote only policy text, never values from patient records. Quoted
/// policy text is escaped and shortened so that it cannot mess up a terminal.
public enum PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The policy file could not be read.
    case unreadable(file: String)
    /// The policy is not well-formed JSON (the reason comes from the JSON layer).
    case malformedJSON(reason: String)
    /// `location` (e.g. `policy`, `role "billing"`) must be a JSON object.
    case notAnObject(location: String)
    /// A required field is missing at `location`.
    case missingField(location: String, field: String)
    /// A field at `location` has the wrong JSON type.
    case wrongType(location: String, field: String, expected: String)
    /// A field that the format does not define.
    case unknownField(location: String, field: String)
    /// `format` is not `phidesk-policy`.
    case unknownFormat(String)
    /// `version` is not one this build understands.
    case unsupportedVersion(String)
    /// A role name is not lower-case letters, digits, `-` or `_`.
    case invalidRoleName(String)
    /// A permission outside the closed set of `Permission`.
    case unknownPermission(role: String, permission: String)
    /// The same permission is listed twice.
    case duplicatePermission(role: String, permission: String)
    /// A resource type not in the policy's FHIR R4 element table.
    case unknownResourceType(role: String, resourceType: String)
    /// `view` is not `full`, `include` or `exclude`.
    case unknownViewKind(role: String, resourceType: String, view: String)
    /// A `full` view with `paths`, or an `include`/`exclude` view without them.
    case pathsMismatch(role: String, resourceType: String, view: String)
    /// A path that is not dot-separated element names (or `name[x]`).
    case invalidPathSyntax(role: String, resourceType: String, path: String)
    /// A path naming an element the resource type does not have.
    case unknownPath(role: String, resourceType: String, path: String)
    /// A path that the format reserves (`resourceType`, or inside `contained`).
    case reservedPath(role: String, resourceType: String, path: String)
    /// The same path is listed twice.
    case duplicatePath(role: String, resourceType: String, path: String)
    /// `breakGlassResources` on a role without `breakglass.start`.
    case breakGlassWithoutPermission(role: String)
    /// `breakGlassResources` names a type not in the element table.
    case unknownBreakGlassResourceType(role: String, resourceType: String)
    /// Resource views on a role without `record.read`.
    case resourcesWithoutRecordRead(role: String)
    /// `project(_:as:breakGlass: true)` for a role without `breakglass.start`.
    case breakGlassNotPermitted(role: String)
    /// The resource to project is not valid JSON or not a resource
    /// (the reason comes from the JSON layer and carries no data values).
    case invalidResource(reason: String)

    /// A message safe to print: policy locations and policy text only.
    public var description: String {
        switch self {
        case .unreadable(let file):
            return "cannot read policy file \(quoted(file))"
        case .malformedJSON(let reason):
            return "policy is not valid JSON: \(reason)"
        case .notAnObject(let location):
            return "\(location): must be a JSON object"
        case .missingField(let location, let field):
            return "\(location): missing field \(quoted(field))"
        case .wrongType(let location, let field, let expected):
            return "\(location): field \(quoted(field)) must be \(expected)"
        case .unknownField(let location, let field):
            return "\(location): unknown field \(quoted(field))"
        case .unknownFormat(let format):
            return "policy: unknown format \(quoted(format)) (expected \"phidesk-policy\")"
        case .unsupportedVersion(let version):
            return "policy: unsupported version \(version) (supported: 1)"
        case .invalidRoleName(let name):
            return "role \(quoted(name)): invalid role name (use a-z, 0-9, - and _)"
        case .unknownPermission(let role, let permission):
            return "role \(quoted(role)): unknown permission \(quoted(permission))"
        case .duplicatePermission(let role, let permission):
            return "role \(quoted(role)): permission \(quoted(permission)) listed twice"
        case .unknownResourceType(let role, let type):
            return "role \(quoted(role)): unknown resource type \(quoted(type))"
        case .unknownViewKind(let role, let type, let view):
            return "\(at(role, type)): unknown view \(quoted(view))"
                + " (expected \"full\", \"include\" or \"exclude\")"
        case .pathsMismatch(let role, let type, let view):
            let rule = view == "full" ? "must not have" : "needs"
            return "\(at(role, type)): view \(quoted(view)) \(rule) \"paths\""
        case .invalidPathSyntax(let role, let type, let path):
            return "\(at(role, type)): invalid field path \(quoted(path))"
        case .unknownPath(let role, let type, let path):
            return "\(at(role, type)): unknown field path \(quoted(path))"
        case .reservedPath(let role, let type, let path):
            return "\(at(role, type)): field path \(quoted(path)) cannot be listed"
                + " (resourceType is always kept; contained resources follow their own"
                + " type's view)"
        case .duplicatePath(let role, let type, let path):
            return "\(at(role, type)): field path \(quoted(path)) listed twice"
        case .breakGlassWithoutPermission(let role):
            return "role \(quoted(role)): breakGlassResources needs permission"
                + " \"breakglass.start\""
        case .unknownBreakGlassResourceType(let role, let type):
            return "role \(quoted(role)): breakGlassResources: unknown resource type"
                + " \(quoted(type))"
        case .resourcesWithoutRecordRead(let role):
            return "role \(quoted(role)): resources need permission \"record.read\""
        case .breakGlassNotPermitted(let role):
            return "role \(quoted(role)) may not use break-glass"
        case .invalidResource(let reason):
            return "cannot project resource: \(reason)"
        }
    }

    private func at(_ role: String, _ type: String) -> String {
        "role \(quoted(role)), resource \(quoted(type))"
    }
}

/// Quotes policy text for a message: control characters escaped, at most 80
/// characters, so a hostile policy file cannot inject terminal sequences.
func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars.prefix(80) {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0):
            result += "\\u{" + String(scalar.value, radix: 16) + "}"
        default: result.unicodeScalars.append(scalar)
        }
    }
    if text.unicodeScalars.count > 80 {
        result += "…"
    }
    return result + "\""
}
