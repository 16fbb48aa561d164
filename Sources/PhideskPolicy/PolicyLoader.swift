internal import PhideskFHIR

/// Turns a parsed policy file into an `AccessPolicy`, rejecting anything unknown.
enum PolicyLoader {
    static let format = "phidesk-policy"
    static let supportedVersions = [1]
    static let allClinical = "all-clinical"

    static func policy(from root: JSONNode) throws(PolicyError) -> AccessPolicy {
        let location = "policy"
        guard root.kind == .object else {
            throw .notAnObject(location: location)
        }

        // Format and version first: a different file type should say so, not
        // produce a list of unknown fields.
        let formatNode = try required(root, "format", at: location)
        guard let formatName = formatNode.stringValue else {
            throw .wrongType(location: location, field: "format", expected: "a string")
        }
        guard formatName == format else {
            throw .unknownFormat(formatName)
        }
        let versionNode = try required(root, "version", at: location)
        guard let version = versionNode.int64Value, supportedVersions.contains(Int(version))
        else {
            let text = versionNode.kind == .number || versionNode.kind == .string
                ? String(decoding: versionNode.serialized(), as: UTF8.self)
                : "of type \(versionNode.kind)"
            throw .unsupportedVersion(quoted(text))
        }

        try checkFields(root, allowed: ["format", "version", "description", "roles"],
                        at: location)
        try optionalString(root, "description", at: location)
        let rolesNode = try required(root, "roles", at: location)
        guard rolesNode.kind == .object else {
            throw .wrongType(location: location, field: "roles", expected: "an object")
        }

        var names: [String] = []
        var roles: [String: Role] = [:]
        for (name, node) in rolesNode.members {
            let role = try self.role(named: name, node)
            names.append(name)
            roles[name] = role
        }
        return AccessPolicy(version: Int(version), roleNames: names, roles: roles)
    }

    private static func role(named name: String, _ node: JSONNode) throws(PolicyError) -> Role {
        guard isRoleName(name) else {
            throw .invalidRoleName(name)
        }
        let location = "role \(quoted(name))"
        guard node.kind == .object else {
            throw .notAnObject(location: location)
        }
        try checkFields(node, allowed: ["description", "permissions", "resources",
                                        "breakGlassResources"], at: location)
        let description = try optionalString(node, "description", at: location) ?? ""

        let permissions = try self.permissions(of: name, node, at: location)

        var views: [String: ResourceView] = [:]
        var trees: [String: PathTree] = [:]
        if let resources = node["resources"] {
            guard resources.kind == .object else {
                throw .wrongType(location: location, field: "resources", expected: "an object")
            }
            for (type, viewNode) in resources.members {
                guard FHIRElementCatalog.resources[type] != nil else {
                    throw .unknownResourceType(role: name, resourceType: type)
                }
                let (view, tree) = try self.view(role: name, type: type, viewNode)
                views[type] = view
                if let tree {
                    trees[type] = tree
                }
            }
        }
        if !views.isEmpty && !permissions.contains(.recordRead) {
            throw .resourcesWithoutRecordRead(role: name)
        }

        let breakGlass = try breakGlassTypes(of: name, node, at: location)
        if !breakGlass.isEmpty && !permissions.contains(.breakGlassStart) {
            throw .breakGlassWithoutPermission(role: name)
        }
        return Role(name: name, description: description, permissions: permissions,
                    views: views, breakGlassResourceTypes: breakGlass, trees: trees)
    }

    private static func permissions(
        of role: String,
        _ node: JSONNode,
        at location: String
    ) throws(PolicyError) -> Set<Permission> {
        let list = try required(node, "permissions", at: location)
        guard list.kind == .array else {
            throw .wrongType(location: location, field: "permissions", expected: "an array")
        }
        var result: Set<Permission> = []
        for element in list.elements {
            guard let text = element.stringValue else {
                throw .wrongType(location: location, field: "permissions",
                                 expected: "an array of strings")
            }
            guard let permission = Permission(rawValue: text) else {
                throw .unknownPermission(role: role, permission: text)
            }
            guard result.insert(permission).inserted else {
                throw .duplicatePermission(role: role, permission: text)
            }
        }
        return result
    }

    private static func view(
        role: String,
        type: String,
        _ node: JSONNode
    ) throws(PolicyError) -> (ResourceView, PathTree?) {
        let location = "role \(quoted(role)), resource \(quoted(type))"
        guard node.kind == .object else {
            throw .notAnObject(location: location)
        }
        try checkFields(node, allowed: ["view", "paths"], at: location)
        let kindNode = try required(node, "view", at: location)
        guard let kind = kindNode.stringValue else {
            throw .wrongType(location: location, field: "view", expected: "a string")
        }
        guard ["full", "include", "exclude"].contains(kind) else {
            throw .unknownViewKind(role: role, resourceType: type, view: kind)
        }
        let pathsNode = node["paths"]
        guard (kind == "full") == (pathsNode == nil) else {
            throw .pathsMismatch(role: role, resourceType: type, view: kind)
        }
        guard let pathsNode else {
            return (.full, nil)
        }
        guard pathsNode.kind == .array else {
            throw .wrongType(location: location, field: "paths", expected: "an array")
        }

        var paths: [String] = []
        var tree = PathTree()
        for element in pathsNode.elements {
            guard let path = element.stringValue else {
                throw .wrongType(location: location, field: "paths",
                                 expected: "an array of strings")
            }
            switch FieldPathValidator.validate(path, resourceType: type) {
            case .valid:
                break
            case .invalidSyntax:
                throw .invalidPathSyntax(role: role, resourceType: type, path: path)
            case .unknown:
                throw .unknownPath(role: role, resourceType: type, path: path)
            case .reserved:
                throw .reservedPath(role: role, resourceType: type, path: path)
            }
            guard !paths.contains(path) else {
                throw .duplicatePath(role: role, resourceType: type, path: path)
            }
            paths.append(path)
            tree.insert(FieldPathValidator.segments(of: path) ?? [])
        }
        return (kind == "include" ? .include(paths) : .exclude(paths), tree)
    }

    private static func breakGlassTypes(
        of role: String,
        _ node: JSONNode,
        at location: String
    ) throws(PolicyError) -> Set<String> {
        guard let value = node["breakGlassResources"] else {
            return []
        }
        let field = "breakGlassResources"
        let expected = "\"\(allClinical)\" or an array of resource types"
        if let keyword = value.stringValue {
            guard keyword == allClinical else {
                throw .wrongType(location: location, field: field, expected: expected)
            }
            let all = Set(FHIRElementCatalog.resources.keys)
            return all.subtracting(FHIRElementCatalog.financialTypes)
        }
        guard value.kind == .array else {
            throw .wrongType(location: location, field: field, expected: expected)
        }
        var result: Set<String> = []
        for element in value.elements {
            guard let type = element.stringValue else {
                throw .wrongType(location: location, field: field, expected: expected)
            }
            guard FHIRElementCatalog.resources[type] != nil else {
                throw .unknownBreakGlassResourceType(role: role, resourceType: type)
            }
            result.insert(type)
        }
        return result
    }

    private static func required(
        _ node: JSONNode,
        _ field: String,
        at location: String
    ) throws(PolicyError) -> JSONNode {
        guard let value = node[field] else {
            throw .missingField(location: location, field: field)
        }
        return value
    }

    @discardableResult
    private static func optionalString(
        _ node: JSONNode,
        _ field: String,
        at location: String
    ) throws(PolicyError) -> String? {
        guard let value = node[field] else {
            return nil
        }
        guard let text = value.stringValue else {
            throw .wrongType(location: location, field: field, expected: "a string")
        }
        return text
    }

    private static func checkFields(
        _ node: JSONNode,
        allowed: Set<String>,
        at location: String
    ) throws(PolicyError) {
        for key in node.keys where !allowed.contains(key) {
            throw .unknownField(location: location, field: key)
        }
    }

    private static func isRoleName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first),
              name.unicodeScalars.count <= 64 else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}
