/// A compiled set of field paths: a tree of element names, checked per JSON key
/// while projecting.
struct PathTree: Sendable, Equatable {
    /// True when a listed path ends here (the whole subtree is meant).
    var isTerminal = false
    /// Children by element name.
    var exact: [String: PathTree] = [:]
    /// Children by choice prefix: `value` for `value[x]`.
    var choices: [String: PathTree] = [:]

    var isEmpty: Bool {
        !isTerminal && exact.isEmpty && choices.isEmpty
    }

    /// Adds one validated path.
    mutating func insert<S: Collection<Substring>>(_ segments: S) {
        guard let first = segments.first else {
            isTerminal = true
            return
        }
        let rest = segments.dropFirst()
        if first.hasSuffix("[x]") {
            choices[String(first.dropLast(3)), default: PathTree()].insert(rest)
        } else {
            exact[String(first), default: PathTree()].insert(rest)
        }
    }

    /// The subtree for JSON member `key`, or nil when no path goes through it.
    /// `_name` (a primitive's extension) matches like `name`.
    func child(forKey key: String) -> PathTree? {
        let name = key.hasPrefix("_") ? String(key.dropFirst()) : key
        var found = exact[name]
        if choices.isEmpty {
            return found
        }
        for (prefix, subtree) in choices where Self.isChoice(name, of: prefix) {
            // Both `valueQuantity.x` and `value[x].y` can apply: merge them.
            found = found.map { $0.merged(with: subtree) } ?? subtree
        }
        return found
    }

    /// `valueQuantity` is a choice of `value`: the prefix followed by a type name.
    static func isChoice(_ name: String, of prefix: String) -> Bool {
        guard name.hasPrefix(prefix), name.count > prefix.count else {
            return false
        }
        let next = name[name.index(name.startIndex, offsetBy: prefix.count)]
        return next.isUppercase
    }

    func merged(with other: PathTree) -> PathTree {
        var result = self
        result.isTerminal = isTerminal || other.isTerminal
        for (name, subtree) in other.exact {
            result.exact[name] = result.exact[name].map { $0.merged(with: subtree) } ?? subtree
        }
        for (name, subtree) in other.choices {
            result.choices[name] =
                result.choices[name].map { $0.merged(with: subtree) } ?? subtree
        }
        return result
    }
}

/// Checks field paths against the R4 element tables.
enum FieldPathValidator {
    enum Outcome: Equatable {
        case valid
        case invalidSyntax
        case unknown
        case reserved
    }

    /// Where a segment is looked up.
    private enum Context {
        /// A resource type or backbone element: its path from the resource type.
        case structure(String)
        /// A complex datatype.
        case datatype(String)
        /// Below an element without a table: anything goes.
        case unchecked
        /// A primitive value: nothing below it.
        case primitive
    }

    /// Splits a path into its segments, or nil when the syntax is wrong.
    static func segments(of path: String) -> [Substring]? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        for part in parts {
            guard isSegment(part) else {
                return nil
            }
        }
        return parts
    }

    private static func isSegment(_ part: Substring) -> Bool {
        let name = part.hasSuffix("[x]") ? part.dropLast(3) : part
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64,
              first.properties.isLowercase, first.isASCII else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
    }

    static func validate(_ path: String, resourceType: String) -> Outcome {
        guard let parts = segments(of: path) else {
            return .invalidSyntax
        }
        if parts.first == "resourceType" || (parts.first == "contained" && parts.count > 1) {
            return .reserved
        }
        var context = Context.structure(resourceType)
        for part in parts {
            let segment = String(part)
            switch context {
            case .unchecked:
                // LIMITATION: no element table below this point; accepted unchecked.
                return .valid
            case .structure(let base):
                guard let next = resolveInStructure(segment, base: base,
                                                    isRoot: base == resourceType) else {
                    return .unknown
                }
                context = next
            case .datatype(let name):
                guard let next = resolveInDatatype(segment, datatype: name) else {
                    return .unknown
                }
                context = next
            case .primitive:
                return .unknown
            }
        }
        return .valid
    }

    /// Matches `segment` against `names` and tells which declared element it is and,
    /// for a choice written in full, the datatype its suffix names.
    private static func match(
        _ segment: String,
        in names: [String]
    ) -> (element: String, choiceType: String??)? {
        if names.contains(segment) {
            return (segment, nil)
        }
        for name in names where name.hasSuffix("[x]") {
            let prefix = String(name.dropLast(3))
            guard segment.hasPrefix(prefix), PathTree.isChoice(segment, of: prefix) else {
                continue
            }
            let suffix = String(segment.dropFirst(prefix.count))
            if let type = FHIRElementCatalog.choiceSuffixes[suffix] {
                return (name, .some(type))
            }
        }
        return nil
    }

    private static func resolveInStructure(
        _ segment: String,
        base: String,
        isRoot: Bool
    ) -> Context? {
        let catalog = FHIRElementCatalog.self
        let own = isRoot ? catalog.resources[base] : catalog.backbones[base]
        guard let own else {
            return .unchecked
        }
        let names = own + (isRoot ? catalog.domainResource : catalog.element)
        guard let (element, choiceType) = match(segment, in: names) else {
            return nil
        }
        if let choiceType {
            return choiceType.flatMap(datatypeContext) ?? .unchecked
        }
        let childPath = base + "." + element
        if catalog.backbones[childPath] != nil {
            return .structure(childPath)
        }
        if let type = catalog.elementTypes[childPath] {
            return datatypeContext(type)
        }
        if isRoot, let type = catalog.rootElementTypes[element] {
            return datatypeContext(type)
        }
        let isItemLevel = base.hasPrefix("Claim.item") || base.hasPrefix("ExplanationOfBenefit.")
        if isItemLevel, let type = catalog.itemElementTypes[element] {
            return datatypeContext(type)
        }
        // LIMITATION: the element's own children are not in a table.
        return .unchecked
    }

    private static func resolveInDatatype(_ segment: String, datatype: String) -> Context? {
        let catalog = FHIRElementCatalog.self
        guard let own = catalog.datatypes[datatype] else {
            return .unchecked
        }
        guard let (element, choiceType) = match(segment, in: own + catalog.element) else {
            return nil
        }
        if let choiceType {
            return choiceType.flatMap(datatypeContext) ?? .unchecked
        }
        if let type = catalog.datatypeElementTypes[datatype + "." + element] {
            return datatypeContext(type)
        }
        if catalog.element.contains(element) && element != "id" {
            // LIMITATION: Extension has no table here.
            return .unchecked
        }
        // Every other element of a known datatype is a primitive: no children.
        return .primitive
    }

    private static func datatypeContext(_ name: String) -> Context {
        FHIRElementCatalog.datatypes[name] != nil ? .datatype(name) : .unchecked
    }
}
