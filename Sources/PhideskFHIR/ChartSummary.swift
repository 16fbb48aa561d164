/// A one-screen clinical summary of one patient, for `phidesk show`.
///
/// Built from the Patient resource and all resources of that patient. Only the
/// resource types the summary shows are parsed, so large records stay fast.
public struct ChartSummary: Codable, Sendable, Equatable {
    /// Who the chart belongs to.
    public struct Patient: Codable, Sendable, Equatable {
        public let displayName: String
        public let gender: String?
        public let birthDate: String?
        public let isDeceased: Bool
        public let deceasedDateTime: String?
    }

    /// A Condition whose clinical status is `active`.
    public struct Problem: Codable, Sendable, Equatable {
        public let display: String
        /// `onsetDateTime`, `onsetPeriod.start` or `onsetString`, as written.
        public let onset: String?
    }

    /// A MedicationRequest whose status is `active`.
    public struct Medication: Codable, Sendable, Equatable {
        public let display: String
        public let authoredOn: String?
    }

    /// An AllergyIntolerance (any status; the status is shown).
    public struct Allergy: Codable, Sendable, Equatable {
        public let display: String
        public let criticality: String?
        public let clinicalStatus: String?
    }

    /// One measured part of a vital sign, e.g. the systolic blood pressure.
    public struct VitalComponent: Codable, Sendable, Equatable {
        /// LOINC codes of a blood pressure's parts (as `system|code`).
        public static let systolicCode = "http://loinc.org|8480-6"
        public static let diastolicCode = "http://loinc.org|8462-4"

        /// `system|code` of the component's first coding, e.g. `http://loinc.org|8480-6`.
        public let code: String?
        public let display: String
        /// The number as written in the source (`120`, `36.60`).
        public let value: String?
        public let unit: String?
    }

    /// The latest Observation of one vital-sign code.
    public struct Vital: Codable, Sendable, Equatable {
        /// `system|code` of the first coding (or the code text); groups observations.
        public let code: String
        public let display: String
        /// Value as written in the source; nil when only components carry values.
        public let value: String?
        public let unit: String?
        /// Components such as systolic/diastolic blood pressure.
        public let components: [VitalComponent]
        /// `effectiveDateTime`, `effectivePeriod.start`, `effectiveInstant` or `issued`.
        public let date: String?

        /// Systolic and diastolic values when both parts are there with one unit, for the
        /// usual "systolic/diastolic" reading whatever order the source lists them in.
        public var bloodPressure: (systolic: String, diastolic: String, unit: String?)? {
            let part = { (code: String) in components.first { $0.code == code } }
            guard let systolic = part(VitalComponent.systolicCode)?.value,
                  let diastolic = part(VitalComponent.diastolicCode)?.value,
                  part(VitalComponent.systolicCode)?.unit
                    == part(VitalComponent.diastolicCode)?.unit
            else { return nil }
            return (systolic, diastolic, part(VitalComponent.systolicCode)?.unit)
        }
    }

    /// Number of resources of one type.
    public struct TypeCount: Codable, Sendable, Equatable {
        public let resourceType: String
        public let count: Int
    }

    public let patient: Patient
    /// Most recent onset first.
    public let problems: [Problem]
    /// Most recently authored first.
    public let medications: [Medication]
    /// Sorted by display text.
    public let allergies: [Allergy]
    /// One per vital-sign code, sorted by display text.
    public let vitals: [Vital]
    /// Counts of all given resources by type, most frequent first.
    public let resourceCounts: [TypeCount]

    /// Total number of resources the summary was built from.
    public var totalResources: Int {
        resourceCounts.reduce(0) { $0 + $1.count }
    }

    /// Builds the summary from decoded resources. `resources` are all resources
    /// of the patient (the Patient itself is counted only if included there).
    public static func build(
        patient: FHIRResource,
        resources: [FHIRResource]
    ) throws(FHIRError) -> ChartSummary {
        var builder = ChartSummaryBuilder()
        let patientDocument = try JSONDocument.parse(patient.serialized)
        try builder.setPatient(patientDocument.root)
        for resource in resources {
            builder.count(resource.resourceType)
            guard ChartSummaryBuilder.mayContribute(type: resource.resourceType,
                                                    bytes: resource.serialized) else {
                continue
            }
            let document = try JSONDocument.parse(resource.serialized)
            builder.add(document.root, type: resource.resourceType)
        }
        return builder.finish()
    }

    /// Builds the summary from stored JSON bytes (one resource per element). `lookUp`
    /// answers a Medication reference that none of `resourcesJSON` resolves, with the
    /// referenced resource's JSON or nil.
    public static func build(
        patientJSON: [UInt8],
        resourcesJSON: [[UInt8]],
        lookUp: (MedicationReference) -> [UInt8]? = { _ in nil }
    ) throws(FHIRError) -> ChartSummary {
        var builder = ChartSummaryBuilder()
        let patientDocument = try JSONDocument.parse(patientJSON)
        try builder.setPatient(patientDocument.root)
        for bytes in resourcesJSON {
            if let type = ChartSummaryBuilder.sniffResourceType(bytes) {
                builder.count(type)
                guard ChartSummaryBuilder.mayContribute(type: type, bytes: bytes) else {
                    continue
                }
                let document = try JSONDocument.parse(bytes)
                builder.add(document.root, type: type)
                continue
            }
            let document = try JSONDocument.parse(bytes)
            let type = try FHIRResource.resourceType(of: document.root, path: JSONPath.root)
            builder.count(type)
            builder.add(document.root, type: type)
        }
        return builder.finish(lookUp: lookUp)
    }

    init(
        patient: Patient,
        problems: [Problem],
        medications: [Medication],
        allergies: [Allergy],
        vitals: [Vital],
        resourceCounts: [TypeCount]
    ) {
        self.patient = patient
        self.problems = problems
        self.medications = medications
        self.allergies = allergies
        self.vitals = vitals
        self.resourceCounts = resourceCounts
    }
}

/// A prescription's `medicationReference` that names a Medication: `urn:uuid:ID`, or
/// `Medication/ID` (relative, or at the end of an absolute URL, optionally with
/// `/_history/N`). A reference to any other type, or to a contained resource, is not one.
public struct MedicationReference: Sendable, Equatable {
    /// The reference as written.
    public let reference: String
    /// The Medication id it names (for `urn:uuid:`, the UUID, which Synthea also uses as
    /// the id).
    public let id: String

    public init?(parsing reference: String) {
        let uuidPrefix = "urn:uuid:"
        if reference.hasPrefix(uuidPrefix) {
            let uuid = reference.dropFirst(uuidPrefix.count)
            guard !uuid.isEmpty else { return nil }
            self.reference = reference
            id = String(uuid)
            return
        }
        var parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 4, parts[parts.count - 2] == "_history" {
            parts.removeLast(2)
        }
        guard parts.count >= 2, parts[parts.count - 2] == "Medication",
              let last = parts.last, !last.isEmpty else {
            return nil
        }
        self.reference = reference
        id = String(last)
    }
}
