import Foundation
import PhideskFHIR
import PhideskPolicy
import PhideskSampleData
import Testing

/// Every role of the default policy against every resource of the shared data.
@Suite struct SyntheaProjectionTests {
    /// The resources of one shared bundle as compact JSON.
    static func resources(of file: String) throws -> [[UInt8]] {
        let bundle = try JSONDocument.parse(SampleDataLocation.fhirBytes("synthea", file))
        return (bundle.root["entry"]?.elements ?? []).compactMap {
            $0["resource"]?.serialized()
        }
    }

    @Test func everyRoleOnEverySharedResource() throws {
        let policy = try AccessPolicy.bundledDefault()
        var seenTypes: Set<String> = []
        var checked = 0
        for file in try SampleDataLocation.fhirFileNames(in: "synthea") {
            for bytes in try Self.resources(of: file) {
                let input = try JSONDocument.parse(bytes)
                let type = input.root["resourceType"]?.stringValue ?? ""
                seenTypes.insert(type)
                for name in policy.roleNames {
                    let role = try #require(policy.role(named: name))
                    let projected = try policy.project(bytes, as: role)
                    guard role.canSee(resourceType: type) else {
                        #expect(projected == nil, "\(name) sees \(type) in \(file)")
                        continue
                    }
                    let output = try JSONDocument.parse(try #require(projected))
                    try ProjectionChecker.check(input: input.root, output: output.root,
                                                role: role, context: "\(name) \(type) \(file)")
                    checked += 1
                }
            }
        }
        #expect(seenTypes.count >= 20)
        #expect(checked > 5_000)
    }

    @Test func clinicianClaimsAndExplanationsHaveNoAmounts() throws {
        let policy = try AccessPolicy.bundledDefault()
        let clinician = try #require(policy.role(named: "clinician"))
        var claims = 0
        for bytes in try Self.resources(of: "76f217df-3176-7627-8fef-e60a9b3574c2.json") {
            let input = try JSONDocument.parse(bytes).root
            let type = input["resourceType"]?.stringValue
            guard type == "Claim" || type == "ExplanationOfBenefit" else {
                continue
            }
            let output = try JSONDocument.parse(
                try #require(try policy.project(bytes, as: clinician))).root
            #expect(output["total"] == nil)
            #expect(output["payment"] == nil)
            let items = output["item"]?.elements ?? []
            #expect(!items.isEmpty)
            for item in items {
                #expect(item["net"] == nil)
                #expect(item["adjudication"] == nil)
                #expect(item["productOrService"] != nil)
            }
            // The contained Coverage is billing's business; the referral stays.
            let contained = output["contained"]?.elements ?? []
            #expect(contained.allSatisfy { $0["resourceType"]?.stringValue != "Coverage" })
            claims += 1
        }
        #expect(claims > 50)
    }

    @Test func billingSeesDemographicsWithoutNarrative() throws {
        let policy = try AccessPolicy.bundledDefault()
        let billing = try #require(policy.role(named: "billing"))
        let resources = try Self.resources(of: "e2053282-a9da-7d0c-8683-481ae0b8c75c.json")
        let patientBytes = try #require(resources.first)
        let patient = try JSONDocument.parse(
            try #require(try policy.project(patientBytes, as: billing))).root
        #expect(patient["name"] != nil)
        #expect(patient["birthDate"] != nil)
        #expect(patient["identifier"] != nil)
        #expect(patient["text"] == nil)
        #expect(patient["extension"] == nil)
        #expect(patient["maritalStatus"] == nil)

        var observations = 0
        for bytes in resources {
            let type = try JSONDocument.parse(bytes).root["resourceType"]?.stringValue
            if type == "Observation" {
                #expect(try policy.project(bytes, as: billing) == nil)
                observations += 1
            }
        }
        #expect(observations > 0)
    }
}
