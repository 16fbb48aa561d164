/// One role of an `AccessPolicy`: what its users may do and which part of each
/// resource type they see (the minimum necessary for the job).
public struct Role: Sendable, Equatable {
    /// The role's name in the policy, e.g. `clinician`.
    public let name: String
    /// Free text from the policy.
    public let description: String
    /// The permissions granted.
    public let permissions: Set<Permission>
    /// Views by resource type; a type without a view is invisible to the role.
    public let views: [String: ResourceView]
    /// Types seen in full during break-glass (empty without `breakglass.start`).
    public let breakGlassResourceTypes: Set<String>

    /// Compiled `include`/`exclude` paths by resource type.
    let trees: [String: PathTree]

    init(
        name: String,
        description: String,
        permissions: Set<Permission>,
        views: [String: ResourceView],
        breakGlassResourceTypes: Set<String>,
        trees: [String: PathTree]
    ) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.views = views
        self.breakGlassResourceTypes = breakGlassResourceTypes
        self.trees = trees
    }

    /// Whether the role has `permission`.
    public func permits(_ permission: Permission) -> Bool {
        permissions.contains(permission)
    }

    /// Whether the role sees resources of `resourceType` at all (outside break-glass).
    public func canSee(resourceType: String) -> Bool {
        views[resourceType] != nil
    }

    /// The view of `resourceType`; nil when the role does not see it. Under
    /// break-glass, types in `breakGlassResourceTypes` are seen in full.
    public func view(of resourceType: String, breakGlass: Bool = false) -> ResourceView? {
        if breakGlass && breakGlassResourceTypes.contains(resourceType) {
            return .full
        }
        return views[resourceType]
    }

    /// Whether every element of a `resourceType` resource is visible, so a caller may
    /// skip `project` for resources of that type that have no `contained` resources
    /// (contained resources always follow the view of their own type).
    public func projectionIsFull(for resourceType: String, breakGlass: Bool = false) -> Bool {
        view(of: resourceType, breakGlass: breakGlass) == .full
    }
}
