internal import PhideskFHIR

extension Role {
    /// The role's view of one resource (see `AccessPolicy.project`).
    ///
    /// Returns nil when the role may not see the type (or the type is unknown), the
    /// input bytes unchanged when nothing needs removing, else compact JSON holding
    /// only the visible elements in their original order and number text.
    ///
    /// Break-glass needs `breakglass.start`; it widens the view of the types in
    /// `breakGlassResourceTypes` to full, and never adds other types.
    public func project(
        _ resourceJSON: [UInt8],
        breakGlass: Bool = false
    ) throws(PolicyError) -> [UInt8]? {
        if breakGlass && !permits(.breakGlassStart) {
            throw .breakGlassNotPermitted(role: name)
        }

        let document: JSONDocument
        do {
            document = try JSONDocument.parse(resourceJSON)
        } catch {
            throw .invalidResource(reason: error.description)
        }
        let root = document.root
        guard root.kind == .object else {
            throw .invalidResource(reason: "the resource is not a JSON object")
        }
        guard let type = root["resourceType"]?.stringValue else {
            throw .invalidResource(reason: "missing or non-string resourceType")
        }

        switch projectResource(root, type: type, breakGlass: breakGlass) {
        case .hidden:
            return nil
        case .unchanged:
            return resourceJSON
        case .projected(let builder):
            return builder.serialized()
        }
    }

    private enum ResourceOutcome {
        case hidden
        case unchanged
        case projected(JSONBuilder)
    }

    /// What became of a value below the resource root.
    private enum ValueOutcome {
        case unchanged
        /// Nothing left: the member or element is left out.
        case removed
        case replaced(JSONBuilder)
    }

    private func projectResource(
        _ node: JSONNode,
        type: String,
        breakGlass: Bool
    ) -> ResourceOutcome {
        guard let view = view(of: type, breakGlass: breakGlass) else {
            return .hidden
        }
        let tree = trees[type] ?? PathTree()
        let builder = JSONBuilder.object()
        var changed = false
        for (key, value) in node.members {
            if key == "resourceType" {
                builder.append(key: key, value)
                continue
            }

            // Contained resources follow the view of their own type, whatever the
            // container's view says about the rest, once the view lets `contained` through
            // at all (listed by an include view, not listed by an exclude view).
            if key == "contained" {
                let keep: Bool
                switch view {
                case .include: keep = tree.exact["contained"] != nil
                case .exclude: keep = tree.exact["contained"] == nil
                case .full: keep = true
                }
                let outcome = keep ? projectContained(value, breakGlass: breakGlass) : .removed
                changed = apply(outcome, key: key, value: value, to: builder) || changed
                continue
            }

            let outcome: ValueOutcome
            switch view {
            case .full:
                outcome = .unchanged
            case .include:
                outcome = tree.child(forKey: key).map { include(value, $0) } ?? .removed
            case .exclude:
                outcome = tree.child(forKey: key).map { exclude(value, $0) } ?? .unchanged
            }
            changed = apply(outcome, key: key, value: value, to: builder) || changed
        }
        return changed ? .projected(builder) : .unchanged
    }

    /// Adds the outcome for member `key` to `builder`; true when it differs from `value`.
    private func apply(
        _ outcome: ValueOutcome,
        key: String,
        value: JSONNode,
        to builder: JSONBuilder
    ) -> Bool {
        switch outcome {
        case .unchanged:
            builder.append(key: key, value)
            return false
        case .removed:
            return true
        case .replaced(let replacement):
            builder.append(key: key, replacement)
            return true
        }
    }

    private func projectContained(_ value: JSONNode, breakGlass: Bool) -> ValueOutcome {
        guard value.kind == .array else {
            // Not valid FHIR; nothing in it can be typed, so nothing is shown.
            return .removed
        }
        var changed = false
        let result = JSONBuilder.array(capacity: value.count)
        for element in value.elements {
            guard element.kind == .object, let type = element["resourceType"]?.stringValue
            else {
                changed = true
                continue
            }
            switch projectResource(element, type: type, breakGlass: breakGlass) {
            case .hidden:
                changed = true
            case .unchanged:
                result.append(element)
            case .projected(let builder):
                changed = true
                result.append(builder)
            }
        }
        if !changed {
            return .unchanged
        }
        return result.count == 0 ? .removed : .replaced(result)
    }

    /// Keeps only what `tree` names below `value`.
    private func include(_ value: JSONNode, _ tree: PathTree) -> ValueOutcome {
        if tree.isTerminal {
            return .unchanged
        }
        switch value.kind {
        case .object:
            let builder = JSONBuilder.object()
            var changed = false
            for (key, member) in value.members {
                let outcome = tree.child(forKey: key).map { include(member, $0) } ?? .removed
                changed = apply(outcome, key: key, value: member, to: builder) || changed
            }
            if !changed {
                return .unchanged
            }
            return builder.count == 0 ? .removed : .replaced(builder)
        case .array:
            return mapElements(value) { include($0, tree) }
        default:
            // A path that goes below a primitive selects nothing.
            return .removed
        }
    }

    /// Drops what `tree` names below `value`.
    private func exclude(_ value: JSONNode, _ tree: PathTree) -> ValueOutcome {
        if tree.isTerminal {
            return .removed
        }
        switch value.kind {
        case .object:
            // Most objects hold nothing excluded: share them without copying.
            guard value.keys.contains(where: { tree.child(forKey: $0) != nil }) else {
                return .unchanged
            }
            let builder = JSONBuilder.object()
            for (key, member) in value.members {
                let outcome = tree.child(forKey: key).map { exclude(member, $0) } ?? .unchanged
                _ = apply(outcome, key: key, value: member, to: builder)
            }
            return builder.count == 0 ? .removed : .replaced(builder)
        case .array:
            return mapElements(value) { exclude($0, tree) }
        default:
            return .unchanged
        }
    }

    /// Applies `transform` to every element; elements with nothing left are dropped,
    /// and so is an array with nothing left.
    private func mapElements(
        _ array: JSONNode,
        _ transform: (JSONNode) -> ValueOutcome
    ) -> ValueOutcome {
        let result = JSONBuilder.array(capacity: array.count)
        var changed = false
        for element in array.elements {
            switch transform(element) {
            case .unchanged:
                result.append(element)
            case .removed:
                changed = true
            case .replaced(let builder):
                changed = true
                result.append(builder)
            }
        }
        if !changed {
            return .unchanged
        }
        return result.count == 0 ? .removed : .replaced(result)
    }
}
