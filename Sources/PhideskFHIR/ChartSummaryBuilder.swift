/// Accumulates the parts of a `ChartSummary` one resource at a time.
///
/// Extracted values are copied into Swift strings immediately, so no parsed
/// document has to outlive the resource it came from.
struct ChartSummaryBuilder {
    static let shownTypes: Set<String> = [
        "Condition", "MedicationRequest", "AllergyIntolerance", "Observation", "Medication",
    ]

    private var patient = ChartSummary.Patient(displayName: "(no name)", gender: nil,
                                               birthDate: nil, isDeceased: false,
                                               deceasedDateTime: nil)
    private var problems: [ChartSummary.Problem] = []
    private var medications: [(reference: MedicationReference?, item: ChartSummary.Medication)]
        = []
    private var medicationNames: [String: String] = [:]
    private var allergies: [ChartSummary.Allergy] = []
    private var vitals: [String: ChartSummary.Vital] = [:]
    private var counts: [String: Int] = [:]

    mutating func setPatient(_ node: JSONNode) throws(FHIRError) {
        let demographics = try PatientDemographics(node: node)
        patient = ChartSummary.Patient(
            displayName: demographics.displayName,
            gender: demographics.gender,
            birthDate: demographics.birthDate,
            isDeceased: demographics.isDeceased,
            deceasedDateTime: demographics.deceasedDateTime
        )
    }

    mutating func count(_ type: String) {
        counts[type, default: 0] += 1
    }

    mutating func add(_ node: JSONNode, type: String) {
        switch type {
        case "Condition":
            addCondition(node)
        case "MedicationRequest":
            addMedicationRequest(node)
        case "Medication":
            if let id = node["id"]?.stringValue {
                medicationNames[id] = Self.conceptDisplay(node["code"])
            }
        case "AllergyIntolerance":
            // An entry recorded in error, or refuted, is not an allergy of this patient.
            let verification = Self.codes(node["verificationStatus"])
            guard !verification.contains("entered-in-error"), !verification.contains("refuted")
            else { break }
            allergies.append(ChartSummary.Allergy(
                display: Self.conceptDisplay(node["code"]),
                criticality: node["criticality"]?.stringValue,
                clinicalStatus: Self.firstCode(node["clinicalStatus"])
            ))
        case "Observation":
            addObservation(node)
        default:
            break
        }
    }

    private mutating func addCondition(_ node: JSONNode) {
        guard Self.codes(node["clinicalStatus"]).contains("active") else {
            return
        }
        let onset = node["onsetDateTime"]?.stringValue
            ?? node["onsetPeriod"]?["start"]?.stringValue
            ?? node["onsetString"]?.stringValue
        problems.append(ChartSummary.Problem(display: Self.conceptDisplay(node["code"]),
                                             onset: onset))
    }

    private mutating func addMedicationRequest(_ node: JSONNode) {
        guard node["status"]?.stringValue == "active" else {
            return
        }
        let reference = node["medicationReference"]
        var display: String
        if let concept = node["medicationCodeableConcept"] {
            display = Self.conceptDisplay(concept)
        } else {
            display = reference?["display"]?.stringValue ?? ""
        }
        if display.isEmpty, let local = reference?["reference"]?.stringValue,
           local.hasPrefix("#") {
            let id = String(local.dropFirst())
            let contained = (node["contained"]?.elements ?? []).first {
                $0["resourceType"]?.stringValue == "Medication" && $0["id"]?.stringValue == id
            }
            display = contained.map { Self.conceptDisplay($0["code"]) } ?? ""
        }
        let item = ChartSummary.Medication(display: display,
                                           authoredOn: node["authoredOn"]?.stringValue)
        let unresolved = display.isEmpty
            ? reference?["reference"]?.stringValue.flatMap(MedicationReference.init(parsing:))
            : nil
        medications.append((unresolved, item))
    }

    private mutating func addObservation(_ node: JSONNode) {
        let categories = node["category"]?.elements ?? []
        guard categories.contains(where: { Self.codes($0).contains("vital-signs") }) else {
            return
        }
        let code = node["code"]
        let key = Self.codingKey(code) ?? code?["text"]?.stringValue ?? "?"
        let date = node["effectiveDateTime"]?.stringValue
            ?? node["effectivePeriod"]?["start"]?.stringValue
            ?? node["effectiveInstant"]?.stringValue
            ?? node["issued"]?.stringValue
        // LIMITATION: dates compare as text, so differing UTC offsets are not normalised.
        if let existing = vitals[key], (existing.date ?? "") >= (date ?? "") {
            return
        }
        let (value, unit) = Self.value(of: node)
        let components = (node["component"]?.elements ?? []).map { component in
            let (value, unit) = Self.value(of: component)
            return ChartSummary.VitalComponent(
                code: Self.codingKey(component["code"]),
                display: Self.conceptDisplay(component["code"]), value: value, unit: unit)
        }
        vitals[key] = ChartSummary.Vital(code: key, display: Self.conceptDisplay(code),
                                         value: value, unit: unit, components: components,
                                         date: date)
    }

    /// `lookUp` answers references to Medications outside the patient's own resources (a
    /// Medication stored once for many patients); it returns the resource's JSON, or nil.
    func finish(lookUp: (MedicationReference) -> [UInt8]? = { _ in nil }) -> ChartSummary {
        var names = medicationNames
        // Many prescriptions name the same Medication: ask about each reference once.
        var asked: Set<String> = []
        let meds = medications.map { entry -> ChartSummary.Medication in
            if let reference = entry.reference, names[reference.id] == nil,
               asked.insert(reference.reference).inserted,
               let name = Self.medicationName(lookUp(reference)) {
                names[reference.id] = name
            }
            guard let reference = entry.reference, let name = names[reference.id] else {
                let display = entry.item.display.isEmpty ? "(unnamed medication)"
                    : entry.item.display
                return ChartSummary.Medication(display: display,
                                               authoredOn: entry.item.authoredOn)
            }
            return ChartSummary.Medication(display: name, authoredOn: entry.item.authoredOn)
        }
        let newestFirst = { (a: String?, b: String?) in (a ?? "") > (b ?? "") }
        return ChartSummary(
            patient: patient,
            problems: problems.sorted {
                $0.onset == $1.onset ? $0.display < $1.display : newestFirst($0.onset, $1.onset)
            },
            medications: meds.sorted {
                $0.authoredOn == $1.authoredOn ? $0.display < $1.display
                    : newestFirst($0.authoredOn, $1.authoredOn)
            },
            // What a clinician must see first: active high-criticality allergies, then the
            // other active ones, then inactive or resolved ones; by name within each.
            allergies: allergies.sorted {
                (Self.urgency(of: $0), $0.display) < (Self.urgency(of: $1), $1.display)
            },
            vitals: vitals.values.sorted { ($0.display, $0.code) < ($1.display, $1.code) },
            resourceCounts: counts.map { ChartSummary.TypeCount(resourceType: $0, count: $1) }
                .sorted { ($1.count, $0.resourceType) < ($0.count, $1.resourceType) }
        )
    }

    /// `system|code` of a CodeableConcept's first coding (nil: no coding).
    private static func codingKey(_ concept: JSONNode?) -> String? {
        concept?["coding"]?.element(at: 0).map {
            ($0["system"]?.stringValue ?? "") + "|" + ($0["code"]?.stringValue ?? "")
        }
    }

    /// 0 for an active high-criticality allergy, 1 for another active one (or one with no
    /// status), 2 for an inactive or resolved one.
    private static func urgency(of allergy: ChartSummary.Allergy) -> Int {
        let active = allergy.clinicalStatus == nil || allergy.clinicalStatus == "active"
        guard active else { return 2 }
        return allergy.criticality == "high" ? 0 : 1
    }

    /// The display name of a Medication given as JSON (nil: absent or another type).
    private static func medicationName(_ json: [UInt8]?) -> String? {
        guard let json, let document = try? JSONDocument.parse(json),
              document.root["resourceType"]?.stringValue == "Medication" else {
            return nil
        }
        return conceptDisplay(document.root["code"])
    }

    /// Value text and unit of a `value[x]` (Quantity, CodeableConcept, string…).
    private static func value(of node: JSONNode) -> (String?, String?) {
        if let quantity = node["valueQuantity"] {
            let unit = quantity["unit"]?.stringValue ?? quantity["code"]?.stringValue
            return (quantity["value"]?.numberText, unit)
        }
        if let concept = node["valueCodeableConcept"] {
            return (conceptDisplay(concept), nil)
        }
        if let text = node["valueString"]?.stringValue {
            return (text, nil)
        }
        if let number = node["valueInteger"]?.numberText {
            return (number, nil)
        }
        return (nil, nil)
    }

    /// CodeableConcept text, else the first coding's display, else its code.
    static func conceptDisplay(_ concept: JSONNode?) -> String {
        if let text = concept?["text"]?.stringValue, !text.isEmpty {
            return text
        }
        for coding in concept?["coding"]?.elements ?? [] {
            if let display = coding["display"]?.stringValue, !display.isEmpty {
                return display
            }
        }
        return firstCode(concept) ?? "(unknown)"
    }

    private static func firstCode(_ concept: JSONNode?) -> String? {
        concept?["coding"]?.element(at: 0)?["code"]?.stringValue
    }

    private static func codes(_ concept: JSONNode?) -> [String] {
        (concept?["coding"]?.elements ?? []).compactMap { $0["code"]?.stringValue }
    }
}
