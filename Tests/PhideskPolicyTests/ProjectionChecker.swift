import PhideskFHIR
import PhideskPolicy
import Testing

/// Checks a projection against a view, independently of the projection engine:
/// nothing outside the view is present, and everything inside it is unchanged.
enum ProjectionChecker {
    /// Whether JSON member `key` is named by path segment `segment`: the element
    /// itself, its primitive extension `_key`, or a choice of a `name[x]` wildcard.
    static func matches(_ key: String, _ segment: String) -> Bool {
        let name = key.hasPrefix("_") ? String(key.dropFirst()) : key
        if segment.hasSuffix("[x]") {
            let base = String(segment.dropLast(3))
            guard name.hasPrefix(base), name.count > base.count else {
                return false
            }
            return name[name.index(name.startIndex, offsetBy: base.count)].isUppercase
        }
        return name == segment
    }

    /// Every value at `path`, arrays flattened, in document order.
    static func values(at path: ArraySlice<String>, in node: JSONNode) -> [JSONNode] {
        guard let segment = path.first else {
            return [node]
        }
        switch node.kind {
        case .array:
            return node.elements.flatMap { values(at: path, in: $0) }
        case .object:
            return node.members.filter { matches($0.key, segment) }
                .flatMap { values(at: path.dropFirst(), in: $0.value) }
        default:
            return []
        }
    }

    /// Every element path present in `node` (arrays transparent), e.g. `item.net`.
    static func allPaths(in node: JSONNode, prefix: [String] = []) -> Set<[String]> {
        var result: Set<[String]> = []
        switch node.kind {
        case .array:
            for element in node.elements {
                result.formUnion(allPaths(in: element, prefix: prefix))
            }
        case .object:
            for (key, value) in node.members {
                let name = key.hasPrefix("_") ? String(key.dropFirst()) : key
                let path = prefix + [name]
                result.insert(path)
                result.formUnion(allPaths(in: value, prefix: path))
            }
        default:
            break
        }
        return result
    }

    static func equal(_ a: [JSONNode], _ b: [JSONNode]) throws -> Bool {
        guard a.count == b.count else {
            return false
        }
        for (x, y) in zip(a, b) where try !JSONDocument.jsonEqual(x.serialized(),
                                                                 y.serialized()) {
            return false
        }
        return true
    }

    /// Whether `path` is `prefix` or lies below it, segment by segment.
    static func covers(_ prefix: [String], _ path: [String]) -> Bool {
        prefix.count <= path.count
            && zip(prefix, path).allSatisfy { matches($1, $0) }
    }

    static func split(_ path: String) -> [String] {
        path.split(separator: ".").map(String.init)
    }

    /// Checks `output` (the projection of `input`) against `role`'s view; records
    /// test issues naming `context`.
    static func check(
        input: JSONNode,
        output: JSONNode,
        role: Role,
        breakGlass: Bool = false,
        context: String
    ) throws {
        let type = input["resourceType"]?.stringValue ?? ""
        guard let view = role.view(of: type, breakGlass: breakGlass) else {
            Issue.record("\(context): checked a hidden type")
            return
        }
        #expect(output["resourceType"]?.stringValue == type, "\(context)")

        var allowed: [[String]] = []
        switch view {
        case .full:
            allowed = allPaths(in: input).filter { $0.first != "contained" }.sorted {
                $0.count < $1.count
            }
        case .include(let paths):
            let listed = paths.map(split)
            // Nothing outside the listed paths (and their subtrees).
            for path in allPaths(in: output) where path != ["resourceType"] {
                let onListedPath = listed.contains { covers($0, path) || covers(path, $0) }
                #expect(onListedPath, "\(context): \(path.joined(separator: ".")) present")
            }
            allowed = listed.filter { $0.first != "contained" }
        case .exclude(let paths):
            let excluded = paths.map(split)
            for path in excluded {
                // A Bool, so that a failure does not print the record's values.
                let leaked = !values(at: path[...], in: output).isEmpty
                #expect(!leaked, "\(context): \(path.joined(separator: ".")) present")
            }
            // Every input path outside the excluded ones and not above them.
            allowed = allPaths(in: input).filter { path in
                path.first != "contained"
                    && !excluded.contains { covers($0, path) || covers(path, $0) }
            }
        }
        for path in allowed {
            let before = values(at: path[...], in: input)
            let after = values(at: path[...], in: output)
            let same = try equal(before, after)
            #expect(same, "\(context): \(path.joined(separator: ".")) changed")
        }

        try checkContained(input: input, output: output, role: role, breakGlass: breakGlass,
                           view: view, context: context)
    }

    private static func checkContained(
        input: JSONNode,
        output: JSONNode,
        role: Role,
        breakGlass: Bool,
        view: ResourceView,
        context: String
    ) throws {
        let inner = input["contained"]?.elements ?? []
        let projected = output["contained"]?.elements ?? []
        if case .include(let paths) = view, !paths.contains("contained") {
            #expect(projected.isEmpty, "\(context): contained kept")
            return
        }
        if case .exclude(let paths) = view, paths.contains("contained") {
            #expect(projected.isEmpty, "\(context): excluded contained kept")
            return
        }
        for resource in projected {
            let type = resource["resourceType"]?.stringValue ?? ""
            #expect(role.view(of: type, breakGlass: breakGlass) != nil,
                    "\(context): contained \(type) visible")
        }
        for resource in inner {
            let type = resource["resourceType"]?.stringValue ?? ""
            let id = resource["id"]?.stringValue
            let match = projected.first { $0["id"]?.stringValue == id }
            if role.view(of: type, breakGlass: breakGlass) == nil {
                #expect(match == nil, "\(context): contained \(type) kept")
            } else if let match {
                try check(input: resource, output: match, role: role, breakGlass: breakGlass,
                          context: context + " contained " + type)
            } else {
                Issue.record("\(context): contained \(type) lost")
            }
        }
    }
}
