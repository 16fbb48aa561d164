import Foundation
import PhideskAudit
import PhideskCrypto
import PhideskFHIR
import PhideskStore

extension Vault {
    /// Imports FHIR JSON files (Bundles or single resources).
    ///
    /// Each file is one transaction: on any error nothing of that file is stored, the
    /// failure is audited, and the error names the file and the JSON path of the fault.
    /// Files before the failing one stay imported. Re-importing a file changes nothing.
    ///
    /// - Parameters:
    ///   - files: paths as the user gave them (they appear in error messages).
    ///   - progress: called as resources are stored, with the count done in the current
    ///     file and the number of entries in it.
    public func importFiles(
        _ files: [String], progress: ImportProgress? = nil
    ) throws -> ImportReport {
        var total = ImportReport()
        for file in files {
            total.add(try importFile(file, progress: progress))
        }
        return total
    }

    /// Imports one file as one transaction.
    public func importFile(_ file: String, progress: ImportProgress? = nil) throws
        -> ImportReport
    {
        try authorize(.recordImport, action: .importBundle)
        let bytes: [UInt8]
        do {
            bytes = try Self.readFile(file)
        } catch let error as VaultError {
            try recordImportFailure(reason: error.reasonCode)
            throw error
        }

        let input: FHIRInput
        do {
            input = try FHIRInput.decode(bytes)
        } catch {
            try recordImportFailure(reason: "invalid-input")
            throw VaultError.invalidInput(file: file, problem: error)
        }

        do {
            return try inAuditedTransaction {
                var report = try store(input, file: file, progress: progress)
                report.files = 1
                try record(
                    .importBundle, outcome: .success, count: report.resources,
                    inTransaction: true)
                return report
            }
        } catch let error as VaultError {
            try recordImportFailure(reason: error.reasonCode)
            throw error
        } catch {
            try recordImportFailure(reason: "store-error")
            throw error
        }
    }

    private func recordImportFailure(reason: String) throws {
        try record(.importBundle, outcome: .failure, reasonCode: reason, severity: .info)
    }

    /// Reads the whole file straight into an array (sized by fstat), without the
    /// Data-then-Array double copy of FileHandle. Reads to EOF, so a pipe or a file that
    /// grows is read whole, but never more than `limit` bytes: `/dev/zero` or an endless
    /// pipe is refused as too large instead of filling memory.
    static func readFile(
        _ file: String, limit: Int = JSONLimits().maxInputBytes
    ) throws -> [UInt8] {
        let descriptor = Glibc.open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw VaultError.unreadableFile(file: file, errno: errno)
        }
        defer { _ = Glibc.close(descriptor) }
        var status = stat()
        let expected = fstat(descriptor, &status) == 0 ? max(Int(status.st_size), 0) : 0
        var bytes = [UInt8]()
        // One byte past the limit tells "exactly the limit" from "more".
        var capacity = min(expected + 1, limit + 1)
        while true {
            var failure: Int32 = 0
            let reachedEnd = readChunk(descriptor, into: &bytes, upTo: capacity, error: &failure)
            if failure != 0 {
                throw VaultError.unreadableFile(file: file, errno: failure)
            }
            if bytes.count > limit {
                throw VaultError.invalidInput(file: file, problem: .inputTooLarge(limit: limit))
            }
            if reachedEnd { return bytes }
            capacity = min(max(capacity * 2, 64 << 10), limit + 1)
        }
    }

    /// Appends to `bytes` until it holds `capacity` bytes or EOF; true at EOF.
    private static func readChunk(
        _ descriptor: Int32, into bytes: inout [UInt8], upTo capacity: Int, error: inout Int32
    ) -> Bool {
        let start = bytes.count
        var reachedEnd = false
        bytes.append(contentsOf: repeatElement(0, count: capacity - start))
        var filled = start
        bytes.withUnsafeMutableBytes { buffer in
            while filled < capacity {
                let got = Glibc.read(descriptor, buffer.baseAddress! + filled, capacity - filled)
                if got < 0 {
                    if errno == EINTR { continue }
                    error = errno
                    return
                }
                if got == 0 {
                    reachedEnd = true
                    return
                }
                filled += got
            }
        }
        bytes.removeLast(capacity - filled)
        return reachedEnd
    }

    // MARK: - The import itself (runs inside the transaction)

    private func store(
        _ input: FHIRInput, file: String, progress: ImportProgress?
    ) throws -> ImportReport {
        var report = ImportReport()
        report.skippedEntries = input.skippedEntryCount
        let entries = input.entries
        let resolver = ReferenceResolver(entries: entries, blindIndex: blindIndex, store: store)

        let logicalKeys = try entries.map { try logicalKey(of: $0) }
        let existing = try logicalKeys.map { try store.resource(logicalKey: $0) }
        let owners = try findOwners(entries: entries, resolver: resolver, file: file)
        // Record ids for new rows, drawn in one go: a RAND_bytes call per record cost more
        // than sealing it. Each 16-byte slice is used for at most one record.
        let newRecordIDs = try SystemRandom.bytes(count: 16 * entries.count)

        // A file that touches a restricted patient is refused unless break-glass covers it.
        var existingPatients = Set<[UInt8]>()
        for (position, owner) in owners.enumerated() {
            if case .existingPatient(let id) = owner { existingPatients.insert(id) }
            if let id = existing[position]?.patientID { existingPatients.insert(id) }
        }
        try requireWriteAccess(to: existingPatients, action: .importBundle)

        // Patients first, so their data keys exist before their resources are sealed.
        var patientIDs: [Int: [UInt8]] = [:]
        for (position, entry) in entries.enumerated()
        where entry.resource.resourceType == "Patient" {
            let (patientID, isNew) = try upsertPatient(entry.resource, existing: existing[position])
            patientIDs[position] = patientID
            if isNew {
                report.newPatients += 1
            }
        }

        var touchedPatients = Set<[UInt8]>()
        for (position, entry) in entries.enumerated() {
            if position % 256 == 0 {
                progress?(position, entries.count)
            }
            let patientID: [UInt8]?
            switch owners[position] {
            case .entry(let patientEntry):
                patientID = patientIDs[patientEntry]
            case .existingPatient(let id):
                patientID = id
            case .none:
                patientID = nil
            }
            let outcome = try storeResource(
                entry, logicalKey: logicalKeys[position], existing: existing[position],
                patientID: patientID,
                newRecordID: Array(newRecordIDs[(16 * position)..<(16 * position + 16)]))
            for owner in [patientID, existing[position]?.patientID].compactMap({ $0 }) {
                touchedPatients.insert(owner)
            }
            switch outcome {
            case .created: report.created += 1
            case .updated: report.updated += 1
            case .unchanged: report.unchanged += 1
            }
            if entry.resource.hasUnknownModifierExtension {
                report.flaggedModifierExtensions += 1
            }
            report.resourcesByType[entry.resource.resourceType, default: 0] += 1

            for reference in entry.resource.references
            where try resolver.resolve(reference.reference) == .unresolved {
                report.unresolvedReferences += 1
            }
        }
        try refreshManifests(patients: touchedPatients)
        return report
    }

    /// The keyed identity of a resource: its type and id, or (for resources without an id,
    /// as in transaction POSTs) its fullUrl, or failing both a keyed digest of its content,
    /// so the same file imported twice maps every resource to the same row.
    private func logicalKey(of entry: FHIREntry) throws -> [UInt8] {
        let resource = entry.resource
        if let id = resource.id {
            return try blindIndex.token(.resourceIdentity, resource.resourceType + "/" + id)
        }
        if let fullUrl = entry.fullUrl {
            return try blindIndex.token(.resourceIdentity, resource.resourceType + "|" + fullUrl)
        }
        return try blindIndex.digest(Array(resource.resourceType.utf8) + resource.serialized)
    }

    enum Owner: Equatable {
        case entry(Int)
        case existingPatient([UInt8])
    }

    /// Finds which patient owns each entry by following subject/patient/beneficiary (and
    /// Provenance.target) references until a Patient is reached. Iterative, so a long
    /// chain cannot exhaust the stack; a loop is an input error.
    private func findOwners(
        entries: [FHIREntry], resolver: ReferenceResolver, file: String
    ) throws -> [Owner?] {
        var owners = [Owner?](repeating: nil, count: entries.count)
        var settled = [Bool](repeating: false, count: entries.count)

        for start in entries.indices where !settled[start] {
            var chain: [Int] = []
            var onChain = Set<Int>()
            var current = start
            var result: Owner?

            walk: while true {
                if settled[current] {
                    result = owners[current]
                    break walk
                }
                chain.append(current)
                onChain.insert(current)
                if entries[current].resource.resourceType == "Patient" {
                    result = .entry(current)
                    break walk
                }

                var next: Int?
                for reference in entries[current].resource.ownerReferences {
                    switch try resolver.resolve(reference.reference) {
                    case .entry(let target):
                        if onChain.contains(target) {
                            throw VaultError.referenceCycle(file: file, path: reference.jsonPath)
                        }
                        next = target
                    case .record(_, let patientID?):
                        result = .existingPatient(patientID)
                        break walk
                    case .record, .contained, .unresolved:
                        continue
                    }
                    if next != nil { break }
                }
                guard let next else { break walk }
                current = next
            }

            for position in chain {
                owners[position] = result
                settled[position] = true
            }
        }
        return owners
    }

    private enum StoreOutcome { case created, updated, unchanged }

    private func storeResource(
        _ entry: FHIREntry, logicalKey: [UInt8], existing: ResourceRow?, patientID: [UInt8]?,
        newRecordID: [UInt8]
    ) throws -> StoreOutcome {
        let resource = entry.resource
        let flags = resource.hasUnknownModifierExtension ? StoredRecord.flagUnknownModifier : 0
        let plaintext = StoredRecord(
            resourceType: resource.resourceType, fullUrl: entry.fullUrl, flags: flags,
            resource: resource.serialized
        ).encoded()
        let cipher = try dataCipher(patientID: patientID)

        var outcome = StoreOutcome.created
        var row = ResourceRow(
            recordID: newRecordID, patientID: patientID,
            keyID: cipher.keyID.bytes, logicalKey: logicalKey, version: 1, sealed: [])
        if let existing {
            let previous = try openRecord(existing)
            if previous == plaintext, existing.patientID == patientID {
                return .unchanged
            }
            row.recordID = existing.recordID
            row.version = existing.version + 1
            outcome = .updated
        }

        let aad = StoredRecord.aad(
            recordID: row.recordID, patientID: patientID, logicalKey: logicalKey,
            version: row.version)
        row.sealed = try cipher.seal(plaintext, authenticating: aad)
        if outcome == .created {
            try store.insertResource(row)
        } else {
            try store.updateResource(row)
        }

        for identifier in resource.identifiers {
            let key = ReferenceResolver.identifierKey(
                type: resource.resourceType, system: identifier.system, value: identifier.value)
            try store.setLookupToken(
                try blindIndex.token(.resourceIdentifier, key), recordID: row.recordID)
        }
        return outcome
    }

    /// Creates the patient (id, data key, sealed summary) on first sight; refreshes the
    /// summary and search tokens every time.
    private func upsertPatient(
        _ resource: FHIRResource, existing: ResourceRow?
    ) throws -> (patientID: [UInt8], isNew: Bool) {
        let demographics = try PatientDemographics(resource: resource)
        let summary = PatientSummary(demographics: demographics)

        if let existing, let patientID = existing.patientID {
            let cipher = try dataCipher(patientID: patientID)
            try store.updatePatientSummary(
                patientID: patientID, summary: try summary.sealed(with: cipher, for: patientID))
            try store.replaceSearchTokens(
                patientID: patientID, tokens: try searchTokens(for: demographics))
            return (patientID, false)
        }

        let patientID = try SystemRandom.bytes(count: 16)
        let dataKey = try keyring.makeDataKey(owner: patientID)
        try store.insertDataKey(
            keyID: dataKey.cipher.keyID.bytes, wrapped: dataKey.wrapped,
            kekID: keyring.masterKeyID.bytes)
        let cipher: any RecordCipher = options.insecurePlaintextRecordsForBenchmarks
            ? InsecurePlaintextCipher(keyID: dataKey.cipher.keyID) : dataKey.cipher
        try store.insertPatient(
            patientID: patientID, keyID: dataKey.cipher.keyID.bytes,
            summary: try summary.sealed(with: cipher, for: patientID))
        try store.replaceSearchTokens(
            patientID: patientID, tokens: try searchTokens(for: demographics))
        return (patientID, true)
    }

    func searchTokens(for demographics: PatientDemographics) throws -> Set<[UInt8]> {
        var tokens = Set<[UInt8]>()
        // A name given only as text (e.g. "张无忌" in the spec's Chinese example) is
        // searchable as a family name.
        for family in demographics.familyNames + demographics.nameTexts {
            for key in SearchNormalizer.nameKeys(family) {
                tokens.insert(try blindIndex.token(.family, key))
            }
        }
        for given in demographics.givenNames {
            for key in SearchNormalizer.nameKeys(given) {
                tokens.insert(try blindIndex.token(.given, key))
            }
        }
        if let birthDate = demographics.birthDate,
            let key = SearchNormalizer.birthDateKey(birthDate)
        {
            tokens.insert(try blindIndex.token(.birthDate, key))
        }
        for key in demographics.identifierSearchKeys {
            tokens.insert(try blindIndex.token(.identifier, key))
        }
        return tokens
    }
}
