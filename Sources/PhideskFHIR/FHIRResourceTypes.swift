/// The resource types defined by FHIR R4 (4.0.1), so a file claiming to hold a type that
/// does not exist is refused rather than stored as an unreadable blob.
public enum FHIRResourceTypes {
    public static let r4: Set<String> = [
        "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment",
        "AppointmentResponse", "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct",
        "BodyStructure", "Bundle", "CapabilityStatement", "CarePlan", "CareTeam",
        "CatalogEntry", "ChargeItem", "ChargeItemDefinition", "Claim", "ClaimResponse",
        "ClinicalImpression", "CodeSystem", "Communication", "CommunicationRequest",
        "CompartmentDefinition", "Composition", "ConceptMap", "Condition", "Consent",
        "Contract", "Coverage", "CoverageEligibilityRequest", "CoverageEligibilityResponse",
        "DetectedIssue", "Device", "DeviceDefinition", "DeviceMetric", "DeviceRequest",
        "DeviceUseStatement", "DiagnosticReport", "DocumentManifest", "DocumentReference",
        "EffectEvidenceSynthesis", "Encounter", "Endpoint", "EnrollmentRequest",
        "EnrollmentResponse", "EpisodeOfCare", "EventDefinition", "Evidence",
        "EvidenceVariable", "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory",
        "Flag", "Goal", "GraphDefinition", "Group", "GuidanceResponse", "HealthcareService",
        "ImagingStudy", "Immunization", "ImmunizationEvaluation", "ImmunizationRecommendation",
        "ImplementationGuide", "InsurancePlan", "Invoice", "Library", "Linkage", "List",
        "Location", "Measure", "MeasureReport", "Media", "Medication",
        "MedicationAdministration", "MedicationDispense", "MedicationKnowledge",
        "MedicationRequest", "MedicationStatement", "MedicinalProduct",
        "MedicinalProductAuthorization", "MedicinalProductContraindication",
        "MedicinalProductIndication", "MedicinalProductIngredient",
        "MedicinalProductInteraction", "MedicinalProductManufactured",
        "MedicinalProductPackaged", "MedicinalProductPharmaceutical",
        "MedicinalProductUndesirableEffect", "MessageDefinition", "MessageHeader",
        "MolecularSequence", "NamingSystem", "NutritionOrder", "Observation",
        "ObservationDefinition", "OperationDefinition", "OperationOutcome", "Organization",
        "OrganizationAffiliation", "Parameters", "Patient", "PaymentNotice",
        "PaymentReconciliation", "Person", "PlanDefinition", "Practitioner",
        "PractitionerRole", "Procedure", "Provenance", "Questionnaire",
        "QuestionnaireResponse", "RelatedPerson", "RequestGroup", "ResearchDefinition",
        "ResearchElementDefinition", "ResearchStudy", "ResearchSubject", "RiskAssessment",
        "RiskEvidenceSynthesis", "Schedule", "SearchParameter", "ServiceRequest", "Slot",
        "Specimen", "SpecimenDefinition", "StructureDefinition", "StructureMap",
        "Subscription", "Substance", "SubstanceNucleicAcid", "SubstancePolymer",
        "SubstanceProtein", "SubstanceReferenceInformation", "SubstanceSourceMaterial",
        "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task",
        "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet",
        "VerificationResult", "VisionPrescription",
    ]

    /// FHIR ids: 1 to 64 characters from `[A-Za-z0-9\-.]`.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= 64 else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E
        }
    }
}
