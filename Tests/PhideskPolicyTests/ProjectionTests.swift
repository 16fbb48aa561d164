import PhideskFHIR
import PhideskPolicy
import PhideskSampleData
import Testing

@Suite struct ProjectionTests {
    static func json(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    static func policy(_ roles: String) throws -> AccessPolicy {
        try AccessPolicy.load(json("""
        {"format":"phidesk-policy","version":1,"roles":{\(roles)}}
        """))
    }

    /// Projects `resource` and returns compact JSON text (or nil).
    static func project(
        _ resource: String,
        _ policy: AccessPolicy,
        _ role: String,
        breakGlass: Bool = false
    ) throws -> String? {
        let role = try #require(policy.role(named: role))
        return try policy.project(json(resource), as: role, breakGlass: breakGlass)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func decimalTextSurvivesProjection() throws {
        let policy = try AccessPolicy.bundledDefault()
        let bytes = try SampleDataLocation.fhirBytes("spec-examples", "Observation-decimal.json")
        let clinician = try #require(policy.role(named: "clinician"))
        let output = try #require(try policy.project(bytes, as: clinician))
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("1.00"))
        #expect(try JSONDocument.jsonEqual(output, bytes))

        // Through a rebuilt tree too, not only the unchanged fast path.
        let narrow = try Self.policy("""
        "r":{"permissions":["record.read"],"resources":{"Observation":{"view":"exclude",
        "paths":["text"]}}}
        """)
        let role = try #require(narrow.role(named: "r"))
        let rebuilt = try #require(try narrow.project(bytes, as: role))
        let values = ProjectionChecker.values(
            at: ["component", "valueQuantity", "value"][...],
            in: try JSONDocument.parse(rebuilt).root).compactMap(\.numberText)
        let expected = ProjectionChecker.values(
            at: ["component", "valueQuantity", "value"][...],
            in: try JSONDocument.parse(bytes).root).compactMap(\.numberText)
        #expect(values == expected)
        #expect(values.contains("1.00"))
        #expect(!String(decoding: rebuilt, as: UTF8.self).contains("\"div\""))
    }

    @Test func includeKeepsListedSubtreesInOrder() throws {
        let policy = try Self.policy("""
        "r":{"permissions":["record.read"],"resources":{"Patient":{"view":"include",
        "paths":["name.family","birthDate","id"]}}}
        """)
        let output = try Self.project("""
        {"resourceType":"Patient","id":"p1","text":{"div":"x"},"birthDate":"2000-01-01",
        "_birthDate":{"extension":[{"url":"u","valueDateTime":"2000-01-01T10:00:00Z"}]},
        "name":[{"use":"official","family":"A","given":["B"]},{"text":"C"}],"gender":"male"}
        """, policy, "r")
        #expect(output == #"{"resourceType":"Patient","id":"p1","birthDate":"2000-01-01","#
                + #""_birthDate":{"extension":[{"url":"u","valueDateTime":"#
                + #""2000-01-01T10:00:00Z"}]},"name":[{"family":"A"}]}"#)
    }

    @Test func excludeWorksAlongArraysAndChoices() throws {
        let policy = try Self.policy("""
        "r":{"permissions":["record.read"],"resources":{"Observation":{"view":"exclude",
        "paths":["component.value[x]","note","effectiveDateTime"]}}}
        """)
        let output = try Self.project("""
        {"resourceType":"Observation","status":"final","effectiveDateTime":"2020",
        "component":[{"code":{"text":"a"},"valueQuantity":{"value":1.50}},
        {"valueString":"s"},{"code":{"text":"b"}}],"note":[{"text":"n"}]}
        """, policy, "r")
        #expect(output == #"{"resourceType":"Observation","status":"final","component":"#
                + #"[{"code":{"text":"a"}},{"code":{"text":"b"}}]}"#)
    }

    @Test func unchangedResourcesComeBackAsTheyWere() throws {
        let policy = try AccessPolicy.bundledDefault()
        let clinician = try #require(policy.role(named: "clinician"))
        let bytes = try SampleDataLocation.fhirBytes("spec-examples", "Patient-example.json")
        #expect(try policy.project(bytes, as: clinician) == bytes)
    }

    @Test func containedFollowsItsOwnTypeView() throws {
        let policy = try Self.policy("""
        "r":{"permissions":["record.read"],"resources":{
        "ExplanationOfBenefit":{"view":"exclude","paths":["total"]},
        "ServiceRequest":{"view":"exclude","paths":["note"]},
        "Patient":{"view":"include","paths":["name"]}}}
        """)
        let eob = """
        {"resourceType":"ExplanationOfBenefit","contained":[
        {"resourceType":"Coverage","id":"coverage"},
        {"resourceType":"ServiceRequest","id":"referral","note":[{"text":"n"}]},
        {"resourceType":"ExplanationOfBenefit","id":"e","total":[]}],"total":[]}
        """
        let output = try Self.project(eob, policy, "r")
        #expect(output == #"{"resourceType":"ExplanationOfBenefit","contained":["#
                + #"{"resourceType":"ServiceRequest","id":"referral"},"#
                + #"{"resourceType":"ExplanationOfBenefit","id":"e"}]}"#)

        // An include view drops `contained` unless listed.
        let patient = """
        {"resourceType":"Patient","name":[{"text":"x"}],"contained":[{"resourceType":"Patient"}]}
        """
        #expect(try Self.project(patient, policy, "r")
                == #"{"resourceType":"Patient","name":[{"text":"x"}]}"#)

        // An exclude view that lists `contained` drops it.
        let noContained = try Self.policy("""
        "r":{"permissions":["record.read"],"resources":{
        "MedicationRequest":{"view":"exclude","paths":["contained"]},
        "Medication":{"view":"full"}}}
        """)
        let request = """
        {"resourceType":"MedicationRequest","status":"active",\
        "contained":[{"resourceType":"Medication","id":"m"}]}
        """
        #expect(try Self.project(request, noContained, "r")
                == #"{"resourceType":"MedicationRequest","status":"active"}"#)
    }

    @Test func hiddenTypesAndUnknownTypesGiveNil() throws {
        let policy = try AccessPolicy.bundledDefault()
        for name in ["admin", "auditor", "billing"] {
            #expect(try Self.project(#"{"resourceType":"Observation"}"#, policy, name) == nil)
        }
        #expect(try Self.project(#"{"resourceType":"Unheard"}"#, policy, "clinician") == nil)
        #expect(try Self.project(#"{"resourceType":"Coverage"}"#, policy, "clinician") == nil)
    }

    @Test func adminAndAuditorSeeNothingOfTheSharedData() throws {
        let policy = try AccessPolicy.bundledDefault()
        let bytes = try SampleDataLocation.fhirBytes(
            "synthea", "8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json")
        let bundle = try JSONDocument.parse(bytes)
        for entry in bundle.root["entry"]?.elements ?? [] {
            let resource = try #require(entry["resource"]).serialized()
            for name in ["admin", "auditor"] {
                let role = try #require(policy.role(named: name))
                #expect(try policy.project(resource, as: role) == nil)
            }
        }
    }

    @Test func invalidInputIsAnErrorWithoutData() throws {
        let policy = try AccessPolicy.bundledDefault()
        let clinician = try #require(policy.role(named: "clinician"))
        #expect(throws: PolicyError.invalidResource(
            reason: "missing or non-string resourceType")) {
            try policy.project(Self.json(#"{"name":"Secret Person"}"#), as: clinician)
        }
        do {
            _ = try policy.project(Self.json(#"{"name":"Secret Person""#), as: clinician)
            Issue.record("truncated JSON accepted")
        } catch {
            #expect(!error.description.contains("Secret"))
        }
    }

    @Test func breakGlassWidensOnlyAllowedTypes() throws {
        let policy = try Self.policy("""
        "doc":{"permissions":["record.read","breakglass.start"],
        "resources":{"Observation":{"view":"exclude","paths":["note"]}},
        "breakGlassResources":["Observation","Condition"]},
        "clerk":{"permissions":["record.read"],
        "resources":{"Observation":{"view":"include","paths":["status"]}}}
        """)
        let observation = #"{"resourceType":"Observation","status":"final","note":[{"text":"n"}]}"#
        #expect(try Self.project(observation, policy, "doc")
                == #"{"resourceType":"Observation","status":"final"}"#)
        let widened = try Self.project(observation, policy, "doc", breakGlass: true)
        #expect(widened == observation)

        // A type outside the view becomes visible only when in the allowance.
        let condition = #"{"resourceType":"Condition","note":[{"text":"n"}]}"#
        #expect(try Self.project(condition, policy, "doc") == nil)
        #expect(try Self.project(condition, policy, "doc", breakGlass: true) == condition)
        let claim = #"{"resourceType":"Claim"}"#
        #expect(try Self.project(claim, policy, "doc", breakGlass: true) == nil)

        let doc = try #require(policy.role(named: "doc"))
        #expect(!doc.projectionIsFull(for: "Observation"))
        #expect(doc.projectionIsFull(for: "Observation", breakGlass: true))

        #expect(throws: PolicyError.breakGlassNotPermitted(role: "clerk")) {
            try Self.project(observation, policy, "clerk", breakGlass: true)
        }
    }

    @Test func defaultClinicianBreakGlassKeepsFinancialLimits() throws {
        let policy = try AccessPolicy.bundledDefault()
        let claim = #"{"resourceType":"Claim","total":{"value":1.00,"currency":"USD"}}"#
        #expect(try Self.project(claim, policy, "clinician", breakGlass: true)
                == #"{"resourceType":"Claim"}"#)
        let observation = try SampleDataLocation.fhirBytes(
            "spec-examples", "Observation-blood-pressure.json")
        let clinician = try #require(policy.role(named: "clinician"))
        #expect(try policy.project(observation, as: clinician, breakGlass: true) == observation)
    }
}
