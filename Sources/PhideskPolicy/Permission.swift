/// The closed set of actions a role may be granted.
///
/// A policy naming anything else fails to load, so a typo can never silently
/// grant or withhold access.
public enum Permission: String, CaseIterable, Sendable, Hashable {
    /// Find patients by name, identifier or birth date.
    case patientSearch = "patient.search"
    /// Read resources, through the role's resource views.
    case recordRead = "record.read"
    /// Import FHIR files (writes PHI; the importer sees only counts).
    case recordImport = "record.import"
    /// Export resources (still through the role's resource views).
    case recordExport = "record.export"
    /// Erase a patient's record.
    case recordErase = "record.erase"
    /// Start a break-glass session (see `Role.breakGlassResourceTypes`).
    case breakGlassStart = "breakglass.start"
    /// Review break-glass sessions after the fact.
    case breakGlassReview = "breakglass.review"
    /// Create, disable and reset user accounts.
    case userManage = "user.manage"
    /// Assign roles to users.
    case roleManage = "role.manage"
    /// Read the audit trail.
    case auditRead = "audit.read"
    /// Rotate and back up vault keys.
    case keyManage = "key.manage"
    /// Mark a patient's record as restricted (VIP, staff member).
    case patientRestrict = "patient.restrict"
}

/// How much of one resource type a role sees.
///
/// Field paths are dot-separated FHIR element names from the resource root, e.g.
/// `item.net` or `component.valueQuantity`. Arrays are traversed transparently, so
/// `item.net` means `net` in every element of `item`. Choice elements are written in
/// full (`valueQuantity`) or with the `[x]` wildcard (`value[x]`: every `value…`
/// choice). A path also covers the element's primitive extension (`_birthDate` for
/// `birthDate`), which can carry data about the value.
public enum ResourceView: Equatable, Sendable {
    /// Every element.
    case full
    /// Only the listed paths with everything below them, plus `resourceType`.
    /// `id` and `meta` are kept only when listed; `contained` only when listed.
    case include([String])
    /// Every element except the listed paths, wherever they occur along arrays.
    case exclude([String])

    /// The policy-file spelling of the view kind.
    public var kind: String {
        switch self {
        case .full: return "full"
        case .include: return "include"
        case .exclude: return "exclude"
        }
    }
}
