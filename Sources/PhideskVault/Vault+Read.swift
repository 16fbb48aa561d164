import Foundation
import PhideskAudit
import PhideskCrypto
public import PhideskFHIR
import PhideskKeys
import PhideskStore

/// A search criterion set; fields combine with AND. `name` matches family or given names.
public struct PatientQuery: Sendable, Equatable {
    public var name: String?
    public var family: String?
    public var given: String?
    public var birthDate: String?
    public var identifier: String?
    public var limit: Int

    public init(
        name: String? = nil, family: String? = nil, given: String? = nil,
        birthDate: String? = nil, identifier: String? = nil, limit: Int = 50
    ) {
        self.name = name
        self.family = family
        self.given = given
        self.birthDate = birthDate
        self.identifier = identifier
        self.limit = limit
    }

    public var isEmpty: Bool {
        [name, family, given, birthDate, identifier].allSatisfy { ($0 ?? "").isEmpty }
    }
}

/// One search hit: the opaque patient id and the labels decrypted for the caller.
public struct PatientMatch: Sendable, Codable, Equatable {
    public var patientID: String
    public var displayName: String
    public var birthDate: String?
    public var gender: String?
    /// Set when the patient has died: the date-time as recorded, or "yes" without one.
    public var deceased: String?
}

/// A patient's resources as stored, for export and tests.
public struct PatientRecord: Sendable {
    public var fullUrl: String?
    public var resourceType: String
    public var resource: [UInt8]
    public var isFlagged: Bool
}

extension Vault {
    // MARK: - Keys and records

    /// The data cipher for a patient (nil: the vault's shared data key).
    func dataCipher(patientID: [UInt8]?) throws -> any RecordCipher {
        let cipher = try realDataCipher(patientID: patientID)
        if options.insecurePlaintextRecordsForBenchmarks {
            return InsecurePlaintextCipher(keyID: cipher.keyID)
        }
        return cipher
    }

    private func realDataCipher(patientID: [UInt8]?) throws -> AESGCM {
        guard let patientID else {
            if let cached = keyring.cachedDataKey(id: sharedDataKeyID) {
                return cached
            }
            return try unwrapDataKey(sharedDataKeyID, owner: vaultID)
        }
        guard let patient = try store.patient(patientID: patientID) else {
            throw VaultError.patientNotFound(id: patientID.hexString)
        }
        return try realDataCipher(patient: patient)
    }

    /// The data cipher for a patient row already read (saves a second lookup).
    func dataCipher(patient: PatientRow) throws -> any RecordCipher {
        let cipher = try realDataCipher(patient: patient)
        if options.insecurePlaintextRecordsForBenchmarks {
            return InsecurePlaintextCipher(keyID: cipher.keyID)
        }
        return cipher
    }

    private func realDataCipher(patient: PatientRow) throws -> AESGCM {
        let patientID = patient.patientID
        let keyID = KeyID(bytes: patient.keyID)
        if let cached = keyring.cachedDataKey(id: keyID) {
            return cached
        }
        return try unwrapDataKey(keyID, owner: patientID)
    }

    private func unwrapDataKey(_ keyID: KeyID, owner: [UInt8]) throws -> AESGCM {
        guard let stored = try store.dataKey(keyID: keyID.bytes) else {
            throw VaultError.corruptVault(detail: "data key \(keyID) is missing")
        }
        return try keyring.dataKey(id: keyID, wrapped: stored.wrapped, owner: owner)
    }

    /// Opens a stored record, mapping any authentication failure to an integrity error
    /// that names the record (by its opaque id) and nothing else.
    func openRecord(_ row: ResourceRow) throws -> [UInt8] {
        let cipher = try dataCipher(patientID: row.patientID)
        let aad = StoredRecord.aad(
            recordID: row.recordID, patientID: row.patientID, logicalKey: row.logicalKey,
            version: row.version)
        do {
            // LIMITATION: decrypted PHI leaves zeroing storage here (JSON parsing and output
            // need plain arrays); those copies are freed, not wiped.
            return try cipher.open(row.sealed, authenticating: aad).unsafeCopyToArray()
        } catch is CryptoError {
            throw VaultError.integrityFailure(recordID: row.recordID.hexString)
        }
    }

    /// Whether the JSON text has a `"contained"` key anywhere (a cheap byte search; a
    /// false positive only costs a full projection).
    static func mentionsContained(_ json: [UInt8]) -> Bool {
        let needle = Array("\"contained\"".utf8)
        guard json.count >= needle.count else { return false }
        var index = 0
        let last = json.count - needle.count
        while index <= last {
            if json[index] == needle[0] && json[index + 1] == needle[1]
                && Array(json[index..<(index + needle.count)]) == needle
            {
                return true
            }
            index += 1
        }
        return false
    }

    static func parsePatientID(_ text: String) throws -> [UInt8] {
        guard text.count == 32, let bytes = [UInt8](hexString: text.lowercased()) else {
            throw VaultError.malformedPatientID
        }
        return bytes
    }

    // MARK: - Search

    /// Finds patients by blind index. The audit event records that a search happened and
    /// how many matched, never the terms.
    public func search(_ query: PatientQuery) throws -> [PatientMatch] {
        guard !query.isEmpty else { throw VaultError.emptySearch }
        let context = try authorize(.patientSearch, action: .search)
        guard context.role.canSee(resourceType: "Patient") else {
            throw VaultError.accessDenied(reason: "the role cannot see patients")
        }

        var required: [[UInt8]] = []
        if let family = query.family, !family.isEmpty {
            required.append(try blindIndex.token(.family, SearchNormalizer.queryKey(family)))
        }
        if let given = query.given, !given.isEmpty {
            required.append(try blindIndex.token(.given, SearchNormalizer.queryKey(given)))
        }
        if let birthDate = query.birthDate, !birthDate.isEmpty {
            let key = SearchNormalizer.birthDateKey(birthDate) ?? birthDate
            required.append(try blindIndex.token(.birthDate, key))
        }
        if let identifier = query.identifier, !identifier.isEmpty {
            required.append(
                try blindIndex.token(.identifier, SearchNormalizer.identifierKey(identifier)))
        }

        var ids: [[UInt8]] = []
        if let name = query.name, !name.isEmpty {
            // A bare name may be a family or a given name: union of the two AND-searches.
            let key = SearchNormalizer.queryKey(name)
            var seen = Set<[UInt8]>()
            for field in [BlindIndex.Field.family, .given] {
                let tokens = required + [try blindIndex.token(field, key)]
                for id in try store.patients(matchingAll: tokens, limit: query.limit)
                where seen.insert(id).inserted && ids.count < query.limit {
                    ids.append(id)
                }
            }
        } else {
            ids = try store.patients(matchingAll: required, limit: query.limit)
        }

        var matches: [PatientMatch] = []
        matches.reserveCapacity(ids.count)
        let restricted = try store.restrictedPatients()
        for id in ids {
            guard let patient = try store.patient(patientID: id) else { continue }
            let cipher = try dataCipher(patient: patient)
            let summary: PatientSummary
            do {
                summary = try PatientSummary.open(patient.summary, with: cipher, for: id)
            } catch {
                throw VaultError.integrityFailure(recordID: id.hexString)
            }
            // Search results follow the role's view of Patient, and a restricted patient
            // shows only its id unless a break-glass grant covers it.
            if restricted.contains(id), !breakGlassCovers(id) {
                matches.append(
                    PatientMatch(
                        patientID: id.hexString, displayName: "(restricted record)",
                        birthDate: nil, gender: nil, deceased: nil))
                continue
            }
            let role = context.role
            let breakGlass = breakGlassCovers(id)
            matches.append(
                PatientMatch(
                    patientID: id.hexString,
                    displayName: role.shows("name", of: "Patient", breakGlass: breakGlass)
                        ? summary.displayName : "(name hidden for this role)",
                    birthDate: role.shows("birthDate", of: "Patient", breakGlass: breakGlass)
                        ? summary.birthDate : nil,
                    gender: role.shows("gender", of: "Patient", breakGlass: breakGlass)
                        ? summary.gender : nil,
                    deceased: role.showsChoice(
                        "deceased", types: ["DateTime", "Boolean"], of: "Patient",
                        breakGlass: breakGlass) ? summary.deceased : nil))
        }
        try record(.search, outcome: .success, count: matches.count)
        return matches
    }

    // MARK: - Chart and export

    /// Every stored resource of a patient, decrypted, Patient first.
    ///
    /// Records that fail authentication are reported in `damaged` instead of stopping the
    /// read, so one corrupted row does not hide the rest of the chart.
    func patientRecords(
        _ patientID: [UInt8], projectedFor context: AccessContext? = nil
    ) throws -> (
        records: [PatientRecord], damaged: [String]
    ) {
        let breakGlass = breakGlassCovers(patientID)
        guard try store.patient(patientID: patientID) != nil else {
            throw VaultError.patientNotFound(id: patientID.hexString)
        }
        var records: [PatientRecord] = []
        var damaged: [String] = []
        do {
            try verifyManifest(patientID: patientID)
        } catch VaultError.integrityFailure(let id) {
            // Some record of this patient was deleted or rolled back: say so, but still
            // show what authenticates.
            damaged.append(id)
        }
        try store.forEachResource(patientID: patientID) { row in
            do {
                let plaintext = try openRecord(row)
                guard let stored = plaintext.withUnsafeBytes({ StoredRecord(decoding: $0) })
                else {
                    damaged.append(row.recordID.hexString)
                    return
                }
                var resource = stored.resource
                if let context {
                    // Minimum necessary: only what the role may see leaves the data layer.
                    // A full view of a resource with no contained resources needs no work.
                    let isFull = context.role.projectionIsFull(
                        for: stored.resourceType, breakGlass: breakGlass)
                    if !isFull || Self.mentionsContained(resource) {
                        guard let projected = try context.role.project(
                            resource, breakGlass: breakGlass)
                        else { return }
                        resource = projected
                    }
                }
                records.append(
                    PatientRecord(
                        fullUrl: stored.fullUrl, resourceType: stored.resourceType,
                        resource: resource,
                        isFlagged: stored.hasUnknownModifier))
            } catch VaultError.integrityFailure(let recordID) {
                damaged.append(recordID)
            }
        }
        // Patient first, then a stable order, so exports of the same data are identical.
        func sortKey(_ record: PatientRecord) -> (Int, String, String) {
            (record.resourceType == "Patient" ? 0 : 1, record.resourceType, record.fullUrl ?? "")
        }
        records.sort { sortKey($0) < sortKey($1) }
        return (records, damaged)
    }

    /// The chart summary of one patient: demographics, active problems, medications,
    /// allergies and latest vitals.
    public func chart(patientID text: String) throws -> (chart: ChartSummary, damaged: [String]) {
        let patientID = try Self.parsePatientID(text)
        let context = try authorize(.recordRead, patientID: patientID, action: .read)
        do {
            let read = try patientRecords(patientID, projectedFor: context)
            let records = read.records
            var damaged = read.damaged
            guard let patient = records.first(where: { $0.resourceType == "Patient" }) else {
                throw VaultError.accessDenied(reason: "the role cannot see this patient")
            }
            // A damaged shared Medication is reported like a damaged record of the patient;
            // any other failure while looking one up fails the read.
            var lookUpError: (any Error)?
            let chart = try ChartSummary.build(
                patientJSON: patient.resource, resourcesJSON: records.map(\.resource)
            ) { reference in
                do {
                    return try referencedMedication(
                        reference, patientID: patientID, context: context)
                } catch VaultError.integrityFailure(let recordID) {
                    damaged.append(recordID)
                } catch {
                    lookUpError = lookUpError ?? error
                }
                return nil
            }
            if let lookUpError { throw lookUpError }
            try record(
                .read, outcome: damaged.isEmpty ? .success : .failure, resourceType: "Patient",
                objectIDs: [patientID.hexString],
                reasonCode: damaged.isEmpty ? nil : "integrity-error", count: records.count)
            return (chart, damaged)
        } catch let error as VaultError {
            try record(
                .read, outcome: .failure, resourceType: "Patient",
                objectIDs: [patientID.hexString], reasonCode: error.reasonCode)
            throw error
        }
    }

    /// The Medication a MedicationRequest names by reference when it is not among the
    /// patient's own resources: importers such as Synthea write each Medication once, with
    /// no patient, so it is stored as a shared resource. Returned projected for the role;
    /// nil when it is not stored, is not a Medication, or belongs to another patient.
    private func referencedMedication(
        _ reference: MedicationReference, patientID: [UInt8], context: AccessContext
    ) throws -> [UInt8]? {
        // The logical keys an import gives a Medication: `Medication/id`, or the entry's
        // fullUrl when the resource has no id.
        var keys = ["Medication/" + reference.id]
        if reference.reference.hasPrefix("urn:uuid:") {
            keys.append("Medication|" + reference.reference)
        }
        for key in keys {
            let logicalKey = try blindIndex.token(.resourceIdentity, key)
            guard let row = try store.resource(logicalKey: logicalKey) else { continue }
            guard row.patientID == nil || row.patientID == patientID else { return nil }
            let plaintext = try openRecord(row)
            guard let stored = plaintext.withUnsafeBytes({ StoredRecord(decoding: $0) }) else {
                throw VaultError.integrityFailure(recordID: row.recordID.hexString)
            }
            guard stored.resourceType == "Medication" else { return nil }
            return try context.role.project(
                stored.resource, breakGlass: breakGlassCovers(patientID))
        }
        return nil
    }

    /// The patient's resources as a FHIR `collection` Bundle, each resource exactly as
    /// imported as far as the role may see it (a role with a full view gets the import
    /// back byte for byte). Needs a recent authentication. Refuses (and audits) if any
    /// record fails its integrity check.
    public func export(patientID text: String) throws -> [UInt8] {
        let patientID = try Self.parsePatientID(text)
        let context = try authorize(.recordExport, patientID: patientID, action: .export)
        try requireRecentAuthentication(for: .export)
        do {
            let (records, damaged) = try patientRecords(patientID, projectedFor: context)
            if let first = damaged.first {
                throw VaultError.integrityFailure(recordID: first)
            }
            let bundle = FHIRBundleWriter.collection(
                entries: records.map { (fullUrl: $0.fullUrl, resource: $0.resource) })
            try record(
                .export, outcome: .success, resourceType: "Patient",
                objectIDs: [patientID.hexString], count: records.count)
            return bundle
        } catch let error as VaultError {
            try record(
                .export, outcome: .failure, resourceType: "Patient",
                objectIDs: [patientID.hexString], reasonCode: error.reasonCode)
            throw error
        }
    }
}

extension VaultError {
    /// A short machine code for the audit trail (no PHI).
    var reasonCode: String {
        switch self {
        case .vaultNotFound: return "vault-not-found"
        case .vaultAlreadyExists: return "vault-exists"
        case .insecureVaultFolder: return "insecure-folder"
        case .wrongPassphrase: return "wrong-passphrase"
        case .unreadableFile: return "unreadable-file"
        case .invalidInput: return "invalid-input"
        case .referenceCycle: return "reference-cycle"
        case .patientNotFound: return "patient-not-found"
        case .malformedPatientID: return "malformed-id"
        case .integrityFailure: return "integrity-error"
        case .emptySearch: return "empty-search"
        case .auditTrailDamaged: return "audit-trail-damaged"
        case .notSignedIn: return "not-signed-in"
        case .sessionEnded: return "session-ended"
        case .signInFailed, .totpReplayed: return "sign-in-failed"
        case .accountLocked: return "account-locked"
        case .accountDisabled: return "account-disabled"
        case .accessDenied: return "access-denied"
        case .reauthenticationRequired: return "reauthentication-required"
        case .weakPassword: return "weak-password"
        case .invalidArgument: return "invalid-argument"
        case .userExists: return "user-exists"
        case .userNotFound: return "user-not-found"
        case .grantNotFound: return "grant-not-found"
        case .corruptVault: return "corrupt-vault"
        }
    }
}

extension Vault {
    /// Whether a resource with this type and id is stored. Reads no PHI (a token lookup),
    /// so it is not audited; used to check that an import is all-or-nothing.
    public func containsResource(type: String, id: String) throws -> Bool {
        try store.resource(logicalKey: try blindIndex.token(.resourceIdentity, type + "/" + id))
            != nil
    }

    /// Number of stored resources and patients (counts only).
    public func counts() throws -> (resources: Int, patients: Int) {
        (try store.resourceCount(), try store.patientCount())
    }
}
