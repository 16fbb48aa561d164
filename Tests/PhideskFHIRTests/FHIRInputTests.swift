import Foundation
import PhideskSampleData
import Testing
@testable import PhideskFHIR

@Suite struct FHIRInputTests {
    static let syntheaEntries: [String: Int] = [
        "8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json": 66,
        "Gustavo_Mejía_59a8543c-e24f-4a01-b28b-47ccde6bc11d.json": 78,
        "6c8f3e83-c351-ed33-c38d-6be101c275d2.json": 134,
        "María_Eugenia_Medina_54ed4123-8908-4d62-aef5-0ef79230ec73.json": 118,
        "0-hospitalInformation1625911868739.json": 388,
        "0-practitionerInformation1625911868739.json": 390,
        "e2053282-a9da-7d0c-8683-481ae0b8c75c.json": 398,
        "Adán_Pulido_7694b55e-b670-44a5-b426-c56027e97986.json": 562,
        "Ramona980_Godínez202_6eb9f136-121e-2f36-9115-d450c210dced.json": 623,
        "76f217df-3176-7627-8fef-e60a9b3574c2.json": 1137,
        "Minh_Monahan_65d69e49-3195-4d72-aa39-d29d6db26dcc.json": 543,
        "b62462f8-e515-7cdd-449d-e03b38e976e1.json": 2054,
    ]

    private func decodeError(_ text: String) -> FHIRError? {
        do {
            _ = try FHIRInput.decode(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func everySyntheaFileDecodesWithTheDocumentedEntryCount() throws {
        let files = try SampleDataLocation.fhirFileNames(in: "synthea")
        #expect(files.count == 12)
        for file in files {
            let input = try FHIRInput.decode(SampleDataLocation.fhirBytes("synthea", file))
            #expect(input.isBundle)
            #expect(input.entries.count == Self.syntheaEntries[file], "\(file)")
            #expect(input.skippedEntryCount == 0)
            let expectedType = file.hasPrefix("0-") ? "batch" : "transaction"
            #expect(input.bundleType == expectedType)
        }
    }

    @Test func everySpecExampleDecodes() throws {
        let files = try SampleDataLocation.fhirFileNames(in: "spec-examples")
        #expect(files.count == 16)
        let bundles = ["Bundle-bundle-example.json": 2, "Bundle-bundle-transaction.json": 6,
                       "Bundle-father.json": 8]
        for file in files {
            let bytes = try SampleDataLocation.fhirBytes("spec-examples", file)
            let input = try FHIRInput.decode(bytes)
            #expect(input.entries.count == bundles[file] ?? 1, "\(file)")
            if bundles[file] == nil {
                let entry = try #require(input.entries.first)
                #expect(entry.jsonPath == "$")
                #expect(file.hasPrefix(entry.resource.resourceType + "-"))
                #expect(try JSONDocument.jsonEqual(entry.resource.serialized, bytes), "\(file)")
            }
        }
    }

    @Test func transactionEntriesWithoutResourceAreSkipped() throws {
        let input = try FHIRInput.decode(
            SampleDataLocation.fhirBytes("spec-examples", "Bundle-bundle-transaction.json"))
        #expect(input.bundleType == "transaction")
        #expect(input.skippedEntryCount == 4)
        #expect(input.skippedEntryPaths
            == ["$.entry[5]", "$.entry[6]", "$.entry[8]", "$.entry[9]"])
        #expect(input.entries.map(\.index) == [0, 1, 2, 3, 4, 7])
        #expect(input.entries.map(\.requestMethod)
            == ["POST", "POST", "PUT", "PUT", "PUT", "POST"])
        let conditional = input.entries.compactMap(\.ifNoneExist)
        #expect(conditional == ["identifier=http:/example.org/fhir/ids|234234"])
        #expect(input.entries[0].jsonPath == "$.entry[0].resource")
    }

    @Test func perTypeCountsOfLargestBundle() throws {
        let input = try FHIRInput.decode(
            SampleDataLocation.fhirBytes("synthea", "b62462f8-e515-7cdd-449d-e03b38e976e1.json"))
        var counts: [String: Int] = [:]
        for entry in input.entries {
            counts[entry.resource.resourceType, default: 0] += 1
        }
        #expect(counts == [
            "Observation": 932, "Claim": 289, "MedicationRequest": 214, "DiagnosticReport": 177,
            "SupplyDelivery": 103, "Encounter": 75, "DocumentReference": 75,
            "ExplanationOfBenefit": 75, "Procedure": 41, "Condition": 23, "Immunization": 13,
            "Device": 9, "Medication": 7, "MedicationAdministration": 7, "CareTeam": 6,
            "CarePlan": 6, "Patient": 1, "Provenance": 1,
        ])
        let first = try #require(input.entries.first)
        #expect(first.fullUrl == "urn:uuid:b62462f8-e515-7cdd-449d-e03b38e976e1")
        #expect(first.requestMethod == "POST")
        #expect(first.requestURL == "Patient")
    }

    @Test func serializedResourcesMatchTheOriginalEntries() throws {
        let file = "Gustavo_Mejía_59a8543c-e24f-4a01-b28b-47ccde6bc11d.json"
        let input = try FHIRInput.decode(SampleDataLocation.fhirBytes("synthea", file))
        let original = try TestData.foundationJSON("synthea", file)
        let entries = try #require(original["entry"] as? [[String: Any]])
        #expect(entries.count == input.entries.count)
        for (entry, decoded) in zip(entries, input.entries) {
            let expected = try #require(entry["resource"] as? NSDictionary)
            let data = Data(decoded.resource.serialized)
            let actual = try #require(
                try JSONSerialization.jsonObject(with: data) as? NSDictionary)
            #expect(actual == expected)
            #expect(decoded.fullUrl == entry["fullUrl"] as? String)
        }

        // Export then re-import gives the same resources.
        let exported = FHIRBundleWriter.collection(
            entries: input.entries.map { ($0.fullUrl, $0.resource.serialized) })
        let reimported = try FHIRInput.decode(exported)
        #expect(reimported.bundleType == "collection")
        #expect(reimported.entries.count == input.entries.count)
        for (a, b) in zip(input.entries, reimported.entries) {
            #expect(a.fullUrl == b.fullUrl)
            #expect(try JSONDocument.jsonEqual(a.resource.serialized, b.resource.serialized))
        }
    }

    @Test func decimalTextSurvives() throws {
        let bytes = try SampleDataLocation.fhirBytes("spec-examples", "Observation-decimal.json")
        let resource = try FHIRResource(bytes: bytes)
        let text = String(decoding: resource.serialized, as: UTF8.self)
        for literal in ["1.00", "1E-22", "-1.000000000000000000E+245",
                        "1.000000000000000000E-245", "1000000000000000000"] {
            #expect(text.contains(":" + literal + "}") || text.contains(":" + literal + ","),
                    "\(literal)")
        }
    }

    @Test func modifierExtensionIsFlagged() throws {
        let basic = try FHIRResource(
            bytes: SampleDataLocation.fhirBytes("spec-examples", "Basic-referral.json"))
        #expect(basic.resourceType == "Basic")
        #expect(basic.hasUnknownModifierExtension)
        let plain = try FHIRResource(
            bytes: SampleDataLocation.fhirBytes("spec-examples", "Patient-example.json"))
        #expect(!plain.hasUnknownModifierExtension)
        #expect(plain.id == "example")
        #expect(plain.identifiers.count == 1)
        #expect(plain.identifiers.first?.system == "urn:oid:1.2.36.146.595.217.0.1")
        #expect(plain.identifiers.first?.value == "12345")
    }

    @Test func referencesAndOwners() throws {
        let input = try FHIRInput.decode(
            SampleDataLocation.fhirBytes("synthea", "8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json"))
        let patientURL = "urn:uuid:8a4c9c04-1524-9f1c-d65b-9b17e4520fef"
        let observation = try #require(input.entries.first {
            $0.resource.resourceType == "Observation"
        })
        #expect(observation.resource.ownerReferences.map(\.reference) == [patientURL])
        let owner = try #require(observation.resource.ownerReferences.first)
        #expect(owner.jsonPath == observation.jsonPath + ".subject.reference")
        #expect(observation.resource.references.contains(owner))

        let claim = try #require(input.entries.first { $0.resource.resourceType == "Claim" })
        #expect(claim.resource.ownerReferences.map(\.reference) == [patientURL])
        #expect(!claim.resource.references.contains { $0.reference.hasPrefix("#") })
        #expect(claim.resource.references.contains {
            $0.reference.hasPrefix("Organization?identifier=")
        })
    }

    @Test func badInputsGiveSpecificErrors() {
        #expect(decodeError(#"{"id":"x"}"#) == .missingResourceType(path: "$.resourceType"))
        #expect(decodeError(#"{"resourceType":7}"#)
            == .resourceTypeNotString(path: "$.resourceType"))
        #expect(decodeError(#"{"resourceType":"patient"}"#)
            == .invalidResourceType(path: "$.resourceType"))
        #expect(decodeError(#"{"resourceType":"Bundle","entry":{}}"#)
            == .unexpectedType(path: "$.entry", expected: "an array"))
        #expect(decodeError(#"{"resourceType":"Bundle","entry":[{"resource":{"id":"1"}}]}"#)
            == .missingResourceType(path: "$.entry[0].resource.resourceType"))
        #expect(decodeError(
            #"{"resourceType":"Bundle","entry":[{},{"resource":{"resourceType":"Pat ient"}}]}"#)
            == .entryWithoutResource(path: "$.entry[0]"))
        #expect(decodeError(
            #"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Pat ient"}}]}"#)
            == .invalidResourceType(path: "$.entry[0].resource.resourceType"))
        #expect(decodeError(
            #"{"resourceType":"Bundle","entry":[{"request":{"method":"POST","url":"x"}}]}"#)
            == .entryWithoutResource(path: "$.entry[0]"))
        #expect(decodeError(
            #"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle"}}]}"#)
            == .nestedBundle(path: "$.entry[0].resource"))
        #expect(decodeError("[1]") == .unexpectedType(path: "$", expected: "an object"))
        #expect(decodeError(#"{"resourceType":"Basic","x":1e999}"#)
            == .numberOutOfRange(path: "$.x"))
    }

    @Test func errorMessagesCarryNoData() {
        let secret = "Zandra428"
        let inputs = [
            #"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"\#(secret)!"}}]}"#,
            #"{"resourceType":"Patient","name":"\#(secret)""#,
            #"{"resourceType":"\#(secret)","\#(secret) key":[99999999999999999999999]}"#,
        ]
        for input in inputs {
            let error = decodeError(input)
            #expect(error != nil)
            #expect(!(error?.description.contains(secret) ?? true))
        }
    }

    @Test func bundleWriterEscapesFullUrl() throws {
        let bytes = FHIRBundleWriter.collection(entries: [
            (#"urn:"quote"\/ü"#, Array(#"{"resourceType":"Basic"}"#.utf8)),
            (nil, Array(#"{"resourceType":"Basic","id":"2"}"#.utf8)),
        ])
        let input = try FHIRInput.decode(bytes)
        #expect(input.entries.map(\.fullUrl) == [#"urn:"quote"\/ü"#, nil])
        #expect(input.entries[1].resource.id == "2")
    }
}
