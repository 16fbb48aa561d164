extension VaultStore {
    /// (record id, version) of every record of a patient (nil: records of no patient),
    /// ordered by record id, as input to the patient's manifest MAC.
    public func recordVersions(patientID: [UInt8]?) throws -> [([UInt8], Int64)] {
        let query: SQLiteStatement
        if let patientID {
            query = try database.statement(
                "SELECT record_id, version FROM resources WHERE patient_id = ? "
                    + "ORDER BY record_id")
            try query.bind(1, patientID)
        } else {
            query = try database.statement(
                "SELECT record_id, version FROM resources WHERE patient_id IS NULL "
                    + "ORDER BY record_id")
        }
        defer { query.reset() }
        var rows: [([UInt8], Int64)] = []
        while try query.step() {
            rows.append((query.blob(0), query.int64(1)))
        }
        return rows
    }

    public func setPatientManifest(patientID: [UInt8], manifest: [UInt8]) throws {
        let update = try database.statement(
            "UPDATE patients SET manifest = ? WHERE patient_id = ?")
        try update.bind(1, manifest).bind(2, patientID)
        try update.run()
    }

    /// One patient's stored manifest (nil before the first import wrote one).
    public func patientManifest(patientID: [UInt8]) throws -> [UInt8]? {
        let query = try database.statement("SELECT manifest FROM patients WHERE patient_id = ?")
        try query.bind(1, patientID)
        defer { query.reset() }
        guard try query.step(), !query.isNull(0) else { return nil }
        return query.blob(0)
    }

    /// Every patient id with its stored manifest (nil before the first import wrote one),
    /// ordered by patient id.
    public func patientManifests() throws -> [(patientID: [UInt8], manifest: [UInt8]?)] {
        let query = try database.statement(
            "SELECT patient_id, manifest FROM patients ORDER BY patient_id")
        defer { query.reset() }
        var rows: [(patientID: [UInt8], manifest: [UInt8]?)] = []
        while try query.step() {
            rows.append((query.blob(0), query.isNull(1) ? nil : query.blob(1)))
        }
        return rows
    }

    /// Every patient id and sealed summary, for checks.
    public func allPatients() throws -> [PatientRow] {
        let query = try database.statement("SELECT patient_id, key_id, summary FROM patients")
        defer { query.reset() }
        var rows: [PatientRow] = []
        while try query.step() {
            rows.append(
                PatientRow(patientID: query.blob(0), keyID: query.blob(1), summary: query.blob(2)))
        }
        return rows
    }

    /// The search tokens stored for a patient.
    public func searchTokens(patientID: [UInt8]) throws -> Set<[UInt8]> {
        let query = try database.statement(
            "SELECT token FROM search_tokens WHERE patient_id = ?")
        try query.bind(1, patientID)
        defer { query.reset() }
        var tokens = Set<[UInt8]>()
        while try query.step() {
            tokens.insert(query.blob(0))
        }
        return tokens
    }
}

extension VaultStore {
    /// The MAC stored with one audit event, and the highest sequence stored.
    public func auditMAC(sequence: UInt64) throws -> [UInt8]? {
        let query = try database.statement("SELECT mac FROM audit_events WHERE sequence = ?")
        try query.bind(1, Int64(sequence))
        defer { query.reset() }
        return try query.step() ? query.blob(0) : nil
    }
}
