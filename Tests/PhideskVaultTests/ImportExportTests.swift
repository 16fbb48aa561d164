import Foundation
import PhideskFHIR
import Testing

@testable import PhideskVault

@Suite("Import and export on the shared data")
struct ImportExportTests {
    /// Expected per-type counts, counted independently with Foundation over every file.
    /// Resources that appear in several files with the same type and id count once.
    static func expectedCounts() -> [String: Int] {
        var seen = Set<String>()
        var counts: [String: Int] = [:]
        let files = SharedData.files(in: SharedData.synthea)
            + SharedData.files(in: SharedData.specExamples)
        for file in files {
            let root = SharedData.json(file)
            var resources: [(resource: [String: Any], fullUrl: String?)] = []
            if root["resourceType"] as? String == "Bundle" {
                for entry in root["entry"] as? [[String: Any]] ?? [] {
                    if let resource = entry["resource"] as? [String: Any] {
                        resources.append((resource, entry["fullUrl"] as? String))
                    }
                }
            } else {
                resources.append((root, nil))
            }
            for (resource, fullUrl) in resources {
                let type = resource["resourceType"] as! String
                let identity = type + "/"
                    + ((resource["id"] as? String) ?? fullUrl ?? UUID().uuidString)
                if seen.insert(identity).inserted {
                    counts[type, default: 0] += 1
                }
            }
        }
        return counts
    }

    @Test func storesEveryResourceOfEveryType() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }

        var stored: [String: Int] = [:]
        try vault.store.forEachResource { row in
            let plaintext = try vault.openRecord(row)
            let record = plaintext.withUnsafeBytes { StoredRecord(decoding: $0) }!
            stored[record.resourceType, default: 0] += 1
        }
        let expected = Self.expectedCounts()
        #expect(stored == expected)
        #expect(stored["Observation"] == 2662)
        #expect(stored.values.reduce(0, +) == 6517)
        // Every distinct Patient resource became one patient.
        #expect(try vault.counts().patients == expected["Patient"])
    }

    @Test func reimportCreatesNoDuplicates() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        let file = SharedData.synthea("6c8f3e83")

        let first = try vault.importFiles([file])
        let before = try vault.counts()
        let second = try vault.importFiles([file])

        #expect(first.created == 134)
        #expect(second.created == 0)
        #expect(second.updated == 0)
        #expect(second.unchanged == 134)
        #expect(try vault.counts() == before)
    }

    /// Every Synthea patient's export holds exactly the patient's resources from the source
    /// bundle, each JSON-equal to what was imported.
    @Test(arguments: SharedData.files(in: SharedData.synthea).filter { !$0.contains("/0-") })
    func exportEqualsImport(file: String) throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }
        let source = try FHIRInput.decode(try Vault.readFile(file))
        let patient = source.entries.first { $0.resource.resourceType == "Patient" }!
        let family = try PatientDemographics(resource: patient.resource).familyNames.first!
        let birthDate = try PatientDemographics(resource: patient.resource).birthDate!

        let matches = try vault.search(PatientQuery(family: family, birthDate: birthDate))
        #expect(matches.count == 1)
        let exported = try FHIRInput.decode(try vault.export(patientID: matches[0].patientID))
        #expect(exported.bundleType == "collection")

        var exportedByKey: [String: [UInt8]] = [:]
        for entry in exported.entries {
            exportedByKey[entry.resource.resourceType + "/" + entry.resource.id!] =
                entry.resource.serialized
        }
        // Shared resources (organisations, practitioners, medications) belong to no patient.
        let shared: Set<String> = [
            "Organization", "Practitioner", "PractitionerRole", "Location", "Medication",
        ]
        let owned = source.entries.filter { !shared.contains($0.resource.resourceType) }
        #expect(exported.entries.count == owned.count)
        for entry in owned {
            let key = entry.resource.resourceType + "/" + entry.resource.id!
            let bytes = try #require(exportedByKey[key])
            #expect(try JSONDocument.jsonEqual(bytes, entry.resource.serialized))
        }
    }

    @Test func decimalsKeepTheirText() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        _ = try vault.importFiles([
            SharedData.specExamples.appendingPathComponent("Observation-decimal.json").path
        ])

        var texts: [String] = []
        try vault.store.forEachResource { row in
            let plaintext = try vault.openRecord(row)
            let record = plaintext.withUnsafeBytes { StoredRecord(decoding: $0) }!
            texts.append(String(decoding: record.resource, as: UTF8.self))
        }
        let text = try #require(texts.first)
        #expect(texts.count == 1)
        for literal in ["1.0", "1.00", "1E-22", "1.000000000000000000E-245",
                        "-1.000000000000000000E+245", "1000000000000000000"] {
            #expect(text.contains("\"value\":" + literal + ","), "decimal \(literal) lost its text")
        }
    }

    @Test func unknownModifierExtensionIsFlagged() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        let report = try vault.importFiles([
            SharedData.specExamples.appendingPathComponent("Basic-referral.json").path
        ])
        #expect(report.flaggedModifierExtensions == 1)

        var flagged = 0
        try vault.store.forEachResource { row in
            let plaintext = try vault.openRecord(row)
            if plaintext.withUnsafeBytes({ StoredRecord(decoding: $0) })!.hasUnknownModifier {
                flagged += 1
            }
        }
        #expect(flagged == 1)
    }

    @Test func conditionalReferencesResolveAgainstTheVault() throws {
        let vault = try TestVaults.create()
        defer { vault.close() }
        let patientFile = SharedData.synthea("8a4c9c04")

        // Without the information bundles, the practitioner/organisation references dangle.
        let alone = try TestVaults.create()
        let unresolved = try alone.importFiles([patientFile]).unresolvedReferences
        alone.close()
        #expect(unresolved > 0)

        _ = try vault.importFiles([SharedData.synthea("0-hospital"), SharedData.synthea("0-pract")])
        let report = try vault.importFiles([patientFile])
        #expect(report.unresolvedReferences == 0)
    }

    @Test func searchFoldsCaseAccentsAndSyntheaSuffixes() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }

        let mejia = try vault.search(PatientQuery(name: "mejia"))
        #expect(mejia.map(\.displayName) == ["Gustavo Mejía"])
        #expect(try vault.search(PatientQuery(family: "MEJÍA")).count == 1)
        #expect(try vault.search(PatientQuery(family: "ohara")).map(\.displayName)
                == ["Zandra428 O'Hara248"])
        #expect(try vault.search(PatientQuery(family: "o'hara")).count == 1)
        #expect(try vault.search(PatientQuery(family: "O'Hara248")).count == 1)
        #expect(try vault.search(PatientQuery(given: "maria eugenia")).count == 1)
        #expect(try vault.search(PatientQuery(given: "eugenia")).count == 1)
        #expect(try vault.search(PatientQuery(birthDate: "1986-11-27")).count == 1)
        #expect(try vault.search(PatientQuery(family: "mejia", birthDate: "1999-01-01")).isEmpty)
        // Whole words only: no substring search.
        #expect(try vault.search(PatientQuery(family: "meji")).isEmpty)
    }

    @Test func searchByIdentifier() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }
        let patient = SharedData.json(SharedData.synthea("8a4c9c04"))
        let resource = ((patient["entry"] as! [[String: Any]])[0]["resource"]) as! [String: Any]
        let ssn = (resource["identifier"] as! [[String: Any]]).first {
            ($0["system"] as? String) == "http://hl7.org/fhir/sid/us-ssn"
        }!["value"] as! String

        let matches = try vault.search(PatientQuery(identifier: ssn))
        #expect(matches.map(\.displayName) == ["Zandra428 O'Hara248"])
    }

    @Test func chartOfTheLargestPatient() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }
        let id = try #require(
            vault.search(PatientQuery(family: "price", birthDate: "1946-12-31")).first?.patientID)
        let (chart, damaged) = try vault.chart(patientID: id)

        #expect(damaged.isEmpty)
        #expect(chart.patient.displayName == "Dexter530 Price929")
        #expect(chart.patient.isDeceased)
        // The bundle's 2,054 entries less its 7 Medication resources, which belong to no
        // patient (they are shared catalogue entries).
        #expect(chart.totalResources == 2054 - 7)
        #expect(chart.resourceCounts.first { $0.resourceType == "Observation" }?.count == 932)
        #expect(!chart.vitals.isEmpty)
    }

    @Test func chartNamesMedicationsStoredOnceForAllPatients() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }
        let id = try #require(
            vault.search(PatientQuery(family: "gislason", birthDate: "1987-07-09")).first?
                .patientID)
        let (chart, damaged) = try vault.chart(patientID: id)

        #expect(damaged.isEmpty)
        // Two of the eight active prescriptions name a Medication resource of the bundle,
        // which the import stores once as a shared resource.
        let names = Set(chart.medications.map(\.display))
        #expect(chart.medications.count == 8)
        #expect(names.contains("0.4 ML Enoxaparin sodium 100 MG/ML Prefilled Syringe"))
        #expect(names.contains("Acetaminophen 500 MG Oral Tablet"))
        #expect(!names.contains("(unnamed medication)"))
        // Shared resources are not counted as the patient's own.
        #expect(!chart.resourceCounts.contains { $0.resourceType == "Medication" })
    }

    @Test func searchMarksDeceasedPatientsForRolesThatSeeIt() throws {
        let vault = try TestVaults.open(TestVaults.everything)
        defer { vault.close() }
        let matches = try vault.search(PatientQuery(family: "price", birthDate: "1946-12-31"))
        let dexter = try #require(matches.first)
        #expect(dexter.deceased?.hasPrefix("20") == true, "a deceasedDateTime")
        let living = try #require(
            vault.search(PatientQuery(family: "gislason", birthDate: "1987-07-09")).first)
        #expect(living.deceased == nil)
    }

    /// Summaries written before the deceased field (version 1) still open.
    @Test func versionOnePatientSummariesStillDecode() throws {
        var bytes: [UInt8] = [1]
        for field in ["Ann Example", "1950-01-02", "female"] {
            let utf8 = Array(field.utf8)
            bytes += [0, UInt8(utf8.count)] + utf8
        }
        let summary = try #require(bytes.withUnsafeBytes { PatientSummary(decoding: $0) })
        #expect(summary.displayName == "Ann Example")
        #expect(summary.gender == "female")
        #expect(summary.deceased == nil)
    }
}
