/// What one import did, in counts only (no PHI), for the CLI and the audit trail.
public struct ImportReport: Sendable, Codable, Equatable {
    /// Files whose resources were committed.
    public var files = 0
    /// Resources stored for the first time.
    public var created = 0
    /// Resources that existed and whose content changed (stored as a new version).
    public var updated = 0
    /// Resources that existed with identical content (re-import; nothing written).
    public var unchanged = 0
    /// Bundle entries without a resource (DELETE/GET requests), not stored.
    public var skippedEntries = 0
    /// References that point to nothing in the file or the vault; kept as written.
    public var unresolvedReferences = 0
    /// Resources flagged because they carry a modifierExtension the app cannot interpret.
    public var flaggedModifierExtensions = 0
    /// Patients created by this import.
    public var newPatients = 0
    /// Resources per FHIR resource type.
    public var resourcesByType: [String: Int] = [:]

    public init() {}

    public var resources: Int { created + updated + unchanged }

    /// The sum of two reports.
    public func merging(_ other: ImportReport) -> ImportReport {
        var sum = self
        sum.add(other)
        return sum
    }

    mutating func add(_ other: ImportReport) {
        files += other.files
        created += other.created
        updated += other.updated
        unchanged += other.unchanged
        skippedEntries += other.skippedEntries
        unresolvedReferences += other.unresolvedReferences
        flaggedModifierExtensions += other.flaggedModifierExtensions
        newPatients += other.newPatients
        resourcesByType.merge(other.resourcesByType, uniquingKeysWith: +)
    }
}

/// Progress callback: resources stored so far in the current file, entries in that file.
public typealias ImportProgress = (_ done: Int, _ total: Int) -> Void
