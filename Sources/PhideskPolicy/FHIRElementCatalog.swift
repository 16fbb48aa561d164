/// FHIR R4 (4.0.1) element names used to validate policy field paths.
///
/// Written from the R4 specification for the resource types that appear in the
/// shared data and the policies. Choice elements are listed in their `[x]` form
/// (`value[x]`); a path may name them in full (`valueQuantity`) or by the wildcard.
///
/// LIMITATION: only top-level elements of the listed resource types, the backbone
/// elements and datatypes in `backbones`/`datatypes` are known. Deeper segments
/// below any other element are accepted without checking.
enum FHIRElementCatalog {
    /// Elements every DomainResource has.
    static let domainResource = [
        "id", "meta", "implicitRules", "language", "text", "contained", "extension",
        "modifierExtension",
    ]

    /// Elements every backbone element and complex datatype has.
    static let element = ["id", "extension", "modifierExtension"]

    /// Types that hold money or coverage, the rest being "clinical" for break-glass
    /// (see `Role.breakGlassResourceTypes`).
    static let financialTypes: Set<String> = ["Claim", "ExplanationOfBenefit", "Coverage"]

    /// Top-level elements per resource type, without the DomainResource ones.
    static let resources: [String: [String]] = [
        "AllergyIntolerance": [
            "identifier", "clinicalStatus", "verificationStatus", "type", "category",
            "criticality", "code", "patient", "encounter", "onset[x]", "recordedDate",
            "recorder", "asserter", "lastOccurrence", "note", "reaction",
        ],
        "Basic": ["identifier", "code", "subject", "created", "author"],
        "CarePlan": [
            "identifier", "instantiatesCanonical", "instantiatesUri", "basedOn", "replaces",
            "partOf", "status", "intent", "category", "title", "description", "subject",
            "encounter", "period", "created", "author", "contributor", "careTeam",
            "addresses", "supportingInfo", "goal", "activity", "note",
        ],
        "CareTeam": [
            "identifier", "status", "category", "name", "subject", "encounter", "period",
            "participant", "reasonCode", "reasonReference", "managingOrganization",
            "telecom", "note",
        ],
        "Claim": [
            "identifier", "status", "type", "subType", "use", "patient", "billablePeriod",
            "created", "enterer", "insurer", "provider", "priority", "fundsReserve",
            "related", "prescription", "originalPrescription", "payee", "referral",
            "facility", "careTeam", "supportingInfo", "diagnosis", "procedure",
            "insurance", "accident", "item", "total",
        ],
        "Composition": [
            "identifier", "status", "type", "category", "subject", "encounter", "date",
            "author", "title", "confidentiality", "attester", "custodian", "relatesTo",
            "event", "section",
        ],
        "Condition": [
            "identifier", "clinicalStatus", "verificationStatus", "category", "severity",
            "code", "bodySite", "subject", "encounter", "onset[x]", "abatement[x]",
            "recordedDate", "recorder", "asserter", "stage", "evidence", "note",
        ],
        "Coverage": [
            "identifier", "status", "type", "policyHolder", "subscriber", "subscriberId",
            "beneficiary", "dependent", "relationship", "period", "payor", "class", "order",
            "network", "costToBeneficiary", "subrogation", "contract",
        ],
        "Device": [
            "identifier", "definition", "udiCarrier", "status", "statusReason",
            "distinctIdentifier", "manufacturer", "manufactureDate", "expirationDate",
            "lotNumber", "serialNumber", "deviceName", "modelNumber", "partNumber", "type",
            "specialization", "version", "property", "patient", "owner", "contact",
            "location", "url", "note", "safety", "parent",
        ],
        "DiagnosticReport": [
            "identifier", "basedOn", "status", "category", "code", "subject", "encounter",
            "effective[x]", "issued", "performer", "resultsInterpreter", "specimen",
            "result", "imagingStudy", "media", "conclusion", "conclusionCode",
            "presentedForm",
        ],
        "DocumentReference": [
            "masterIdentifier", "identifier", "status", "docStatus", "type", "category",
            "subject", "date", "author", "authenticator", "custodian", "relatesTo",
            "description", "securityLabel", "content", "context",
        ],
        "Encounter": [
            "identifier", "status", "statusHistory", "class", "classHistory", "type",
            "serviceType", "priority", "subject", "episodeOfCare", "basedOn", "participant",
            "appointment", "period", "length", "reasonCode", "reasonReference", "diagnosis",
            "account", "hospitalization", "location", "serviceProvider", "partOf",
        ],
        "ExplanationOfBenefit": [
            "identifier", "status", "type", "subType", "use", "patient", "billablePeriod",
            "created", "enterer", "insurer", "provider", "priority", "fundsReserveRequested",
            "fundsReserve", "related", "prescription", "originalPrescription", "payee",
            "referral", "facility", "claim", "claimResponse", "outcome", "disposition",
            "preAuthRef", "preAuthRefPeriod", "careTeam", "supportingInfo", "diagnosis",
            "procedure", "precedence", "insurance", "accident", "item", "addItem",
            "adjudication", "total", "payment", "formCode", "form", "processNote",
            "benefitPeriod", "benefitBalance",
        ],
        "Goal": [
            "identifier", "lifecycleStatus", "achievementStatus", "category", "priority",
            "description", "subject", "start[x]", "target", "statusDate", "statusReason",
            "expressedBy", "addresses", "note", "outcomeCode", "outcomeReference",
        ],
        "ImagingStudy": [
            "identifier", "status", "modality", "subject", "encounter", "started", "basedOn",
            "referrer", "interpreter", "endpoint", "numberOfSeries", "numberOfInstances",
            "procedureReference", "procedureCode", "location", "reasonCode",
            "reasonReference", "note", "description", "series",
        ],
        "Immunization": [
            "identifier", "status", "statusReason", "vaccineCode", "patient", "encounter",
            "occurrence[x]", "recorded", "primarySource", "reportOrigin", "location",
            "manufacturer", "lotNumber", "expirationDate", "site", "route", "doseQuantity",
            "performer", "note", "reasonCode", "reasonReference", "isSubpotent",
            "subpotentReason", "education", "programEligibility", "fundingSource",
            "reaction", "protocolApplied",
        ],
        "Location": [
            "identifier", "status", "operationalStatus", "name", "alias", "description",
            "mode", "type", "telecom", "address", "physicalType", "position",
            "managingOrganization", "partOf", "hoursOfOperation", "availabilityExceptions",
            "endpoint",
        ],
        "Medication": [
            "identifier", "code", "status", "manufacturer", "form", "amount", "ingredient",
            "batch",
        ],
        "MedicationAdministration": [
            "identifier", "instantiates", "partOf", "status", "statusReason", "category",
            "medication[x]", "subject", "context", "supportingInformation", "effective[x]",
            "performer", "reasonCode", "reasonReference", "request", "device", "note",
            "dosage", "eventHistory",
        ],
        "MedicationRequest": [
            "identifier", "status", "statusReason", "intent", "category", "priority",
            "doNotPerform", "reported[x]", "medication[x]", "subject", "encounter",
            "supportingInformation", "authoredOn", "requester", "performer",
            "performerType", "recorder", "reasonCode", "reasonReference",
            "instantiatesCanonical", "instantiatesUri", "basedOn", "groupIdentifier",
            "courseOfTherapyType", "insurance", "note", "dosageInstruction",
            "dispenseRequest", "substitution", "priorPrescription", "detectedIssue",
            "eventHistory",
        ],
        "MedicationStatement": [
            "identifier", "basedOn", "partOf", "status", "statusReason", "category",
            "medication[x]", "subject", "context", "effective[x]", "dateAsserted",
            "informationSource", "derivedFrom", "reasonCode", "reasonReference", "note",
            "dosage",
        ],
        "Observation": [
            "identifier", "basedOn", "partOf", "status", "category", "code", "subject",
            "focus", "encounter", "effective[x]", "issued", "performer", "value[x]",
            "dataAbsentReason", "interpretation", "note", "bodySite", "method", "specimen",
            "device", "referenceRange", "hasMember", "derivedFrom", "component",
        ],
        "Organization": [
            "identifier", "active", "type", "name", "alias", "telecom", "address", "partOf",
            "contact", "endpoint",
        ],
        "Patient": [
            "identifier", "active", "name", "telecom", "gender", "birthDate", "deceased[x]",
            "address", "maritalStatus", "multipleBirth[x]", "photo", "contact",
            "communication", "generalPractitioner", "managingOrganization", "link",
        ],
        "Practitioner": [
            "identifier", "active", "name", "telecom", "address", "gender", "birthDate",
            "photo", "qualification", "communication",
        ],
        "PractitionerRole": [
            "identifier", "active", "period", "practitioner", "organization", "code",
            "specialty", "location", "healthcareService", "telecom", "availableTime",
            "notAvailable", "availabilityExceptions", "endpoint",
        ],
        "Procedure": [
            "identifier", "instantiatesCanonical", "instantiatesUri", "basedOn", "partOf",
            "status", "statusReason", "category", "code", "subject", "encounter",
            "performed[x]", "recorder", "asserter", "performer", "location", "reasonCode",
            "reasonReference", "bodySite", "outcome", "report", "complication",
            "complicationDetail", "followUp", "note", "focalDevice", "usedReference",
            "usedCode",
        ],
        "Provenance": [
            "target", "occurred[x]", "recorded", "policy", "location", "reason", "activity",
            "agent", "entity", "signature",
        ],
        // Synthea puts a referral ServiceRequest inside every ExplanationOfBenefit.
        "ServiceRequest": [
            "identifier", "instantiatesCanonical", "instantiatesUri", "basedOn", "replaces",
            "requisition", "status", "intent", "category", "priority", "doNotPerform", "code",
            "orderDetail", "quantity[x]", "subject", "encounter", "occurrence[x]",
            "asNeeded[x]", "authoredOn", "requester", "performerType", "performer",
            "locationCode", "locationReference", "reasonCode", "reasonReference",
            "insurance", "supportingInfo", "specimen", "bodySite", "note",
            "patientInstruction", "relevantHistory",
        ],
        "SupplyDelivery": [
            "identifier", "basedOn", "partOf", "status", "patient", "type", "suppliedItem",
            "occurrence[x]", "supplier", "destination", "receiver",
        ],
    ]

    private static let claimItemCommon = [
        "sequence", "revenue", "category", "productOrService", "modifier", "programCode",
        "quantity", "unitPrice", "factor", "net", "udi",
    ]

    private static let itemTop = [
        "careTeamSequence", "diagnosisSequence", "procedureSequence", "informationSequence",
        "serviced[x]", "location[x]", "bodySite", "subSite", "encounter", "detail",
    ]

    private static let addItemCommon = [
        "productOrService", "modifier", "quantity", "unitPrice", "factor", "net",
        "noteNumber", "adjudication",
    ]

    /// Backbone elements, keyed by their path from the resource type, without the
    /// common `element` names.
    static let backbones: [String: [String]] = [
        "Claim.item": claimItemCommon + itemTop,
        "Claim.item.detail": claimItemCommon + ["subDetail"],
        "Claim.item.detail.subDetail": claimItemCommon,
        "ExplanationOfBenefit.item": claimItemCommon + itemTop + ["noteNumber", "adjudication"],
        "ExplanationOfBenefit.item.adjudication": ["category", "reason", "amount", "value"],
        "ExplanationOfBenefit.item.detail": claimItemCommon
            + ["noteNumber", "adjudication", "subDetail"],
        "ExplanationOfBenefit.item.detail.subDetail": claimItemCommon
            + ["noteNumber", "adjudication"],
        "ExplanationOfBenefit.addItem": addItemCommon + [
            "itemSequence", "detailSequence", "subDetailSequence", "provider", "programCode",
            "serviced[x]", "location[x]", "bodySite", "subSite", "detail",
        ],
        "ExplanationOfBenefit.addItem.detail": addItemCommon + ["subDetail"],
        "ExplanationOfBenefit.addItem.detail.subDetail": addItemCommon,
        "ExplanationOfBenefit.adjudication": ["category", "reason", "amount", "value"],
        "ExplanationOfBenefit.total": ["category", "amount"],
        "ExplanationOfBenefit.payment": [
            "type", "adjustment", "adjustmentReason", "date", "amount", "identifier",
        ],
        "ExplanationOfBenefit.benefitBalance": [
            "category", "excluded", "name", "description", "network", "unit", "term",
            "financial",
        ],
        "Observation.component": [
            "code", "value[x]", "dataAbsentReason", "interpretation", "referenceRange",
        ],
    ]

    /// Complex datatypes, without the common `element` names (Meta and Narrative
    /// have no `modifierExtension`, which does no harm for validation).
    static let datatypes: [String: [String]] = [
        "Address": [
            "use", "type", "text", "line", "city", "district", "state", "postalCode", "country",
            "period",
        ],
        "Annotation": ["author[x]", "time", "text"],
        "Attachment": [
            "contentType", "language", "data", "url", "size", "hash", "title", "creation",
        ],
        "CodeableConcept": ["coding", "text"],
        "Coding": ["system", "version", "code", "display", "userSelected"],
        "ContactPoint": ["system", "value", "use", "rank", "period"],
        "HumanName": ["use", "text", "family", "given", "prefix", "suffix", "period"],
        "Identifier": ["use", "type", "system", "value", "period", "assigner"],
        "Meta": ["versionId", "lastUpdated", "source", "profile", "security", "tag"],
        "Money": ["value", "currency"],
        "Narrative": ["status", "div"],
        "Period": ["start", "end"],
        "Quantity": ["value", "comparator", "unit", "system", "code"],
        "Reference": ["reference", "type", "identifier", "display"],
    ]

    /// Datatypes of top-level elements whose name means the same in every resource.
    static let rootElementTypes: [String: String] = [
        "meta": "Meta", "text": "Narrative", "identifier": "Identifier", "note": "Annotation",
        "subject": "Reference", "patient": "Reference", "encounter": "Reference",
    ]

    /// Datatypes of other elements named in the default policy or likely in others.
    static let elementTypes: [String: String] = [
        "Claim.total": "Money",
        "Claim.billablePeriod": "Period",
        "ExplanationOfBenefit.billablePeriod": "Period",
        "Encounter.period": "Period",
        "Encounter.class": "Coding",
        "Encounter.type": "CodeableConcept",
        "Encounter.reasonCode": "CodeableConcept",
        "Patient.name": "HumanName",
        "Patient.address": "Address",
        "Patient.telecom": "ContactPoint",
        "Observation.code": "CodeableConcept",
        "Observation.component.code": "CodeableConcept",
        "ExplanationOfBenefit.total.amount": "Money",
        "ExplanationOfBenefit.total.category": "CodeableConcept",
        "ExplanationOfBenefit.payment.amount": "Money",
        "ExplanationOfBenefit.payment.adjustment": "Money",
        "ExplanationOfBenefit.item.adjudication.amount": "Money",
        "ExplanationOfBenefit.adjudication.amount": "Money",
    ]

    /// Money-typed and other item elements shared by every Claim/EOB item level.
    static let itemElementTypes: [String: String] = [
        "unitPrice": "Money", "net": "Money", "quantity": "Quantity",
        "productOrService": "CodeableConcept", "category": "CodeableConcept",
        "revenue": "CodeableConcept",
    ]

    /// FHIR type names that may end a choice element (`valueQuantity`), mapped to the
    /// datatype table to use below it (nil: a primitive or an unlisted type).
    static let choiceSuffixes: [String: String?] = {
        let primitives = [
            "Base64Binary", "Boolean", "Canonical", "Code", "Date", "DateTime", "Decimal",
            "Id", "Instant", "Integer", "Markdown", "Oid", "PositiveInt", "String", "Time",
            "UnsignedInt", "Uri", "Url", "Uuid",
        ]
        let complex = [
            "Address", "Age", "Annotation", "Attachment", "CodeableConcept", "Coding",
            "ContactPoint", "Count", "Distance", "Duration", "HumanName", "Identifier",
            "Money", "Period", "Quantity", "Range", "Ratio", "Reference", "SampledData",
            "Signature", "Timing", "ContactDetail", "Contributor", "DataRequirement",
            "Expression", "ParameterDefinition", "RelatedArtifact", "TriggerDefinition",
            "UsageContext", "Dosage", "Meta",
        ]
        var table: [String: String?] = [:]
        for name in primitives {
            table[name] = .some(nil)
        }
        for name in complex {
            // Age, Count, Distance and Duration are profiles of Quantity.
            let quantityLike: Set<String> = ["Age", "Count", "Distance", "Duration"]
            table[name] = .some(quantityLike.contains(name) ? "Quantity" : name)
        }
        return table
    }()
}

extension FHIRElementCatalog {
    /// Datatypes of complex elements inside the datatypes above; every other
    /// element of a known datatype is a primitive and has no children.
    static let datatypeElementTypes: [String: String] = [
        "CodeableConcept.coding": "Coding",
        "Identifier.type": "CodeableConcept",
        "Identifier.period": "Period",
        "Identifier.assigner": "Reference",
        "Reference.identifier": "Identifier",
        "Meta.security": "Coding",
        "Meta.tag": "Coding",
        "HumanName.period": "Period",
        "Address.period": "Period",
        "ContactPoint.period": "Period",
    ]
}
