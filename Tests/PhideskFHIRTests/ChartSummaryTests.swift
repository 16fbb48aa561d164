import Foundation
import PhideskSampleData
import Testing
@testable import PhideskFHIR

@Suite struct ChartSummaryTests {
    /// Expected values computed independently with Foundation's JSON parser.
    private struct Expected {
        var activeConditions = 0
        var allergies = 0
        var activeMedications = 0
        var vitalCodes = Set<String>()
        var total = 0
    }

    private func expected(_ file: String) throws -> Expected {
        let bundle = try TestData.foundationJSON("synthea", file)
        var result = Expected()
        for entry in bundle["entry"] as? [[String: Any]] ?? [] {
            guard let resource = entry["resource"] as? [String: Any] else {
                continue
            }
            result.total += 1
            let codings = { (key: String) -> [String] in
                let concept = resource[key] as? [String: Any]
                let list = concept?["coding"] as? [[String: Any]] ?? []
                return list.compactMap { $0["code"] as? String }
            }
            switch resource["resourceType"] as? String {
            case "Condition":
                if codings("clinicalStatus").contains("active") {
                    result.activeConditions += 1
                }
            case "AllergyIntolerance":
                result.allergies += 1
            case "MedicationRequest":
                if resource["status"] as? String == "active" {
                    result.activeMedications += 1
                }
            case "Observation":
                let categories = resource["category"] as? [[String: Any]] ?? []
                let isVital = categories.contains { category in
                    (category["coding"] as? [[String: Any]] ?? []).contains {
                        $0["code"] as? String == "vital-signs"
                    }
                }
                let code = (resource["code"] as? [String: Any])?["coding"] as? [[String: Any]]
                if isVital, let first = code?.first {
                    result.vitalCodes.insert("\(first["system"] ?? "")|\(first["code"] ?? "")")
                }
            default:
                break
            }
        }
        return result
    }

    private func summary(_ file: String) throws -> ChartSummary {
        let input = try FHIRInput.decode(SampleDataLocation.fhirBytes("synthea", file))
        let resources = input.entries.map(\.resource)
        let patient = try #require(resources.first { $0.resourceType == "Patient" })
        return try ChartSummary.build(patient: patient, resources: resources)
    }

    @Test(arguments: [
        "6c8f3e83-c351-ed33-c38d-6be101c275d2.json",
        "Minh_Monahan_65d69e49-3195-4d72-aa39-d29d6db26dcc.json",
        "b62462f8-e515-7cdd-449d-e03b38e976e1.json",
        "Adán_Pulido_7694b55e-b670-44a5-b426-c56027e97986.json",
    ])
    func countsMatchIndependentComputation(file: String) throws {
        let chart = try summary(file)
        let want = try expected(file)
        #expect(chart.problems.count == want.activeConditions)
        #expect(chart.allergies.count == want.allergies)
        #expect(chart.medications.count == want.activeMedications)
        #expect(Set(chart.vitals.map(\.code)) == want.vitalCodes)
        #expect(chart.totalResources == want.total)
    }

    @Test func largestPatientChart() throws {
        let chart = try summary("b62462f8-e515-7cdd-449d-e03b38e976e1.json")
        #expect(chart.patient.displayName == "Dexter530 Price929")
        #expect(chart.patient.gender == "male")
        #expect(chart.patient.birthDate == "1946-12-31")
        #expect(chart.patient.isDeceased)
        #expect(chart.patient.deceasedDateTime?.hasPrefix("2020-03-09") == true)
        #expect(chart.resourceCounts.first == .init(resourceType: "Observation", count: 932))
        #expect(chart.totalResources == 2054)
        let pressure = try #require(chart.vitals.first { $0.code.hasSuffix("|85354-9") })
        #expect(pressure.components.count == 2)
        #expect(pressure.value == nil)
        #expect(pressure.components.allSatisfy { $0.unit == "mm[Hg]" && $0.value != nil })

        let text = chart.renderText()
        #expect(text.hasPrefix("Dexter530 Price929\n"))
        #expect(text.contains("Latest vitals (\(chart.vitals.count))"))
        #expect(text.contains("Records (2054): Observation 932, Claim 289"))
        #expect(text.contains("mm[Hg]"))
    }

    @Test func allergiesAndVitalValuesAreKeptAsText() throws {
        let chart = try summary("Minh_Monahan_65d69e49-3195-4d72-aa39-d29d6db26dcc.json")
        #expect(chart.allergies.count == 7)
        #expect(chart.allergies.allSatisfy { !$0.display.isEmpty && $0.clinicalStatus != nil })
        let weight = try #require(chart.vitals.first { $0.code == "http://loinc.org|29463-7" })
        #expect(weight.unit == "kg")
        #expect(weight.value.map { Double($0) != nil } == true)

        let encoded = try JSONEncoder().encode(chart)
        #expect(try JSONDecoder().decode(ChartSummary.self, from: encoded) == chart)
    }

    @Test func rawBytesVariantMatches() throws {
        let file = "6c8f3e83-c351-ed33-c38d-6be101c275d2.json"
        let input = try FHIRInput.decode(SampleDataLocation.fhirBytes("synthea", file))
        let patient = try #require(input.entries.first).resource
        let fromBytes = try ChartSummary.build(
            patientJSON: patient.serialized,
            resourcesJSON: input.entries.map(\.resource.serialized))
        #expect(fromBytes == (try summary(file)))
    }

    @Test func medicationsNamedByReferenceAreResolved() throws {
        let patient = #"{"resourceType":"Patient","id":"p1"}"#
        let contained = #"""
            {"resourceType":"MedicationRequest","status":"active","authoredOn":"2024-01-03",
             "contained":[{"resourceType":"Medication","id":"m1",
                           "code":{"text":"Contained tablet"}}],
             "medicationReference":{"reference":"#m1"}}
            """#
        let shared = #"""
            {"resourceType":"MedicationRequest","status":"active","authoredOn":"2024-01-02",
             "medicationReference":{"reference":"urn:uuid:shared-1"}}
            """#
        let missing = #"""
            {"resourceType":"MedicationRequest","status":"active","authoredOn":"2024-01-01",
             "medicationReference":{"reference":"Medication/nowhere"}}
            """#
        // Names a Medication's id, but as another type: never resolved to that Medication.
        let wrongType = #"""
            {"resourceType":"MedicationRequest","status":"active","authoredOn":"2023-12-31",
             "medicationReference":{"reference":"Observation/own-1"}}
            """#
        let ownMedication = #"""
            {"resourceType":"Medication","id":"own-1","code":{"text":"Own tablet"}}
            """#
        let sharedMedication = #"""
            {"resourceType":"Medication","id":"shared-1",
             "code":{"coding":[{"display":"Shared syringe"}]}}
            """#
        var asked: [String] = []

        let resources = [patient, contained, shared, missing, missing, wrongType, ownMedication]
        let chart = try ChartSummary.build(
            patientJSON: Array(patient.utf8), resourcesJSON: resources.map { Array($0.utf8) }
        ) { reference in
            asked.append(reference.reference)
            return reference.id == "shared-1" ? Array(sharedMedication.utf8) : nil
        }

        #expect(chart.medications.map(\.display) == [
            "Contained tablet", "Shared syringe", "(unnamed medication)",
            "(unnamed medication)", "(unnamed medication)",
        ])
        // Only Medication references the patient's own resources leave open are looked up,
        // each once.
        #expect(asked.sorted() == ["Medication/nowhere", "urn:uuid:shared-1"])
    }

    /// Active high-criticality allergies come first, then other active ones, then
    /// resolved ones; entries recorded in error or refuted are not shown.
    @Test func allergiesAreOrderedByUrgency() throws {
        func allergy(_ name: String, _ status: String, _ criticality: String,
                     verification: String = "confirmed") -> String {
            #"{"resourceType":"AllergyIntolerance","code":{"text":"\#(name)"},"#
                + #""criticality":"\#(criticality)","clinicalStatus":{"coding":[{"code":"#
                + #""\#(status)"}]},"verificationStatus":{"coding":[{"code":"\#(verification)"}]}}"#
        }
        let patient = #"{"resourceType":"Patient","id":"p1"}"#
        let resources = [
            patient,
            allergy("Aspirin", "resolved", "high"),
            allergy("Bee venom", "active", "low"),
            allergy("Latex", "active", "high"),
            allergy("Cat dander", "active", "low"),
            allergy("Penicillin", "active", "high", verification: "entered-in-error"),
            allergy("Peanut", "active", "high", verification: "refuted"),
        ]
        let chart = try ChartSummary.build(
            patientJSON: Array(patient.utf8), resourcesJSON: resources.map { Array($0.utf8) })
        #expect(chart.allergies.map(\.display) == ["Latex", "Bee venom", "Cat dander", "Aspirin"])
    }

    /// Synthea lists diastolic before systolic; the text shows systolic/diastolic.
    @Test func bloodPressureReadsSystolicOverDiastolic() throws {
        let patient = #"{"resourceType":"Patient","id":"p1"}"#
        let pressure = #"""
            {"resourceType":"Observation","status":"final",
             "category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}],
                     "text":"Blood Pressure"},
             "effectiveDateTime":"2020-03-26T10:00:00Z",
             "component":[
               {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},
                "valueQuantity":{"value":74,"unit":"mm[Hg]"}},
               {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
                "valueQuantity":{"value":118,"unit":"mm[Hg]"}}]}
            """#
        let chart = try ChartSummary.build(
            patientJSON: Array(patient.utf8),
            resourcesJSON: [patient, pressure].map { Array($0.utf8) })

        let vital = try #require(chart.vitals.first)
        #expect(vital.bloodPressure?.systolic == "118")
        #expect(vital.bloodPressure?.diastolic == "74")
        #expect(chart.renderText().contains("118/74 mm[Hg]"))
    }

    @Test func medicationReferenceGrammar() {
        let named = [
            ("urn:uuid:5e73", "5e73"), ("Medication/m1", "m1"),
            ("https://fhir.example/R4/Medication/m1", "m1"),
            ("Medication/m1/_history/2", "m1"),
        ]
        for (text, id) in named {
            #expect(MedicationReference(parsing: text)?.id == id, "\(text)")
        }
        for text in ["#m1", "Patient/m1", "Observation/m1", "Medication/", "urn:uuid:", "m1",
                     "https://fhir.example/Patient/m1/_history/2"] {
            #expect(MedicationReference(parsing: text) == nil, "\(text)")
        }
    }
}
