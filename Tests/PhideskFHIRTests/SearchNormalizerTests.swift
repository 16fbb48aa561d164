import PhideskSampleData
import Testing
@testable import PhideskFHIR

@Suite struct SearchNormalizerTests {
    @Test func foldsDiacriticsAndCase() {
        #expect(SearchNormalizer.nameKeys("Mejía") == ["mejia"])
        #expect(SearchNormalizer.queryKey("MEJIA") == "mejia")
        #expect(SearchNormalizer.queryKey("Ｍｅｊíａ") == "mejia")
    }

    @Test func syntheaSuffixAndApostrophe() {
        let keys = SearchNormalizer.nameKeys("O'Hara248")
        #expect(keys == ["ohara248", "ohara"])
        #expect(SearchNormalizer.queryKey("o'hara") == "ohara")
        #expect(SearchNormalizer.queryKey("ohara248") == "ohara248")
        #expect(SearchNormalizer.nameKeys("248") == ["248"])
    }

    @Test func multiWordGivenName() {
        let keys = SearchNormalizer.nameKeys("María Eugenia")
        #expect(keys == ["mariaeugenia", "maria", "eugenia"])
        #expect(keys.contains(SearchNormalizer.queryKey("maria eugenia")))
        #expect(SearchNormalizer.nameKeys("Smith-Jones") == ["smithjones", "smith", "jones"])
    }

    @Test func nonLatinScriptsKeepLetters() {
        #expect(SearchNormalizer.nameKeys("张无忌") == ["张无忌"])
        #expect(SearchNormalizer.queryKey(" 张无忌 ") == "张无忌")
        #expect(SearchNormalizer.nameKeys("!!!").isEmpty)
    }

    @Test func birthDates() {
        #expect(SearchNormalizer.birthDateKey("1946-12-31") == "1946-12-31")
        #expect(SearchNormalizer.birthDateKey(" 2000-02-29 ") == "2000-02-29")
        #expect(SearchNormalizer.birthDateKey("1900-02-29") == nil)
        #expect(SearchNormalizer.birthDateKey("1946-13-01") == nil)
        #expect(SearchNormalizer.birthDateKey("1946-12") == "1946-12")
        #expect(SearchNormalizer.birthDateKey("1946") == "1946")
        #expect(SearchNormalizer.birthDateKey("46-12-31") == nil)
        #expect(SearchNormalizer.birthDateKey("1946/12/31") == nil)
    }

    @Test func identifiers() {
        #expect(SearchNormalizer.identifierKey("999-12-3456") == "999123456")
        #expect(SearchNormalizer.identifierKey(" 999 12 3456 ") == "999123456")
        #expect(SearchNormalizer.identifierKey("AbC-12") == "abc12")
    }

    @Test func demographicsOfSpecPatients() throws {
        let example = try FHIRResource(
            bytes: SampleDataLocation.fhirBytes("spec-examples", "Patient-example.json"))
        let demo = try PatientDemographics(resource: example)
        #expect(demo.displayName == "Peter James Chalmers")
        #expect(demo.familyNames == ["Chalmers", "Windsor"])
        #expect(demo.givenNames == ["Peter", "James", "Jim", "Peter", "James"])
        #expect(demo.birthDate == "1974-12-25")
        #expect(demo.gender == "male")
        #expect(demo.identifierValues == ["12345"])
        #expect(!demo.isDeceased)

        let chinese = try FHIRResource(bytes: SampleDataLocation.fhirBytes("spec-examples",
                                                             "Patient-ch-example.json"))
        let chineseDemo = try PatientDemographics(resource: chinese)
        #expect(chineseDemo.displayName == "张无忌")
        #expect(chineseDemo.nameSearchKeys.contains("张无忌"))

        let newborn = try FHIRResource(bytes: SampleDataLocation.fhirBytes("spec-examples",
                                                             "Patient-newborn.json"))
        let newbornDemo = try PatientDemographics(resource: newborn)
        #expect(newbornDemo.displayName == "(no name)")
        #expect(newbornDemo.nameSearchKeys.isEmpty)
        #expect(newbornDemo.birthDate == "2017-09-05")

        let basic = try FHIRResource(
            bytes: SampleDataLocation.fhirBytes("spec-examples", "Basic-referral.json"))
        #expect(throws: FHIRError.wrongResourceType(path: "$", expected: "Patient")) {
            try PatientDemographics(resource: basic)
        }
    }

    @Test func demographicsOfSyntheaPatients() throws {
        let file = "María_Eugenia_Medina_54ed4123-8908-4d62-aef5-0ef79230ec73.json"
        let input = try FHIRInput.decode(SampleDataLocation.fhirBytes("synthea", file))
        let demo = try PatientDemographics(resource: input.entries[0].resource)
        #expect(demo.givenNames == ["María Eugenia"])
        #expect(demo.displayName == "María Eugenia Medina")
        #expect(demo.nameSearchKeys.isSuperset(of: ["maria", "eugenia", "mariaeugenia", "medina"]))

        let infant = try FHIRInput.decode(
            SampleDataLocation.fhirBytes("synthea", "8a4c9c04-1524-9f1c-d65b-9b17e4520fef.json"))
        let infantDemo = try PatientDemographics(resource: infant.entries[0].resource)
        #expect(infantDemo.displayName == "Zandra428 O'Hara248")
        #expect(infantDemo.nameSearchKeys == ["zandra428", "zandra", "ohara248", "ohara"])
        #expect(infantDemo.birthDate == "2021-04-03")
        #expect(infantDemo.gender == "female")
    }
}
