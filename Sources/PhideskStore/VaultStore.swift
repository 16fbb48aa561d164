#if canImport(Glibc)
import Glibc
#endif

/// A stored FHIR resource: opaque ids, the key that sealed it, and the sealed bytes.
public struct ResourceRow: Sendable, Equatable {
    public var recordID: [UInt8]
    public var patientID: [UInt8]?
    public var keyID: [UInt8]
    public var logicalKey: [UInt8]
    public var version: Int64
    public var sealed: [UInt8]

    public init(
        recordID: [UInt8], patientID: [UInt8]?, keyID: [UInt8], logicalKey: [UInt8],
        version: Int64, sealed: [UInt8]
    ) {
        self.recordID = recordID
        self.patientID = patientID
        self.keyID = keyID
        self.logicalKey = logicalKey
        self.version = version
        self.sealed = sealed
    }
}

/// A patient: an opaque id, the id of the patient's data key, and a sealed summary
/// (display name, birth date, gender) used to label search results.
public struct PatientRow: Sendable, Equatable {
    public var patientID: [UInt8]
    public var keyID: [UInt8]
    public var summary: [UInt8]
}

/// Typed access to the vault database. All SQL is static; values are bound.
///
/// The caller owns transactions (``inTransaction(_:)``), so one import, with its audit
/// event, commits or rolls back as a unit.
public final class VaultStore {
    public let database: SQLiteDatabase
    public static let supportedSchemaVersion = VaultSchema.currentVersion

    // Statements run for every resource of an import, kept here (see
    // `SQLiteDatabase.statement(cachedIn:_:)`).
    private var resourceByLogicalKey: SQLiteStatement?
    private var resourceOwnerByRecordID: SQLiteStatement?
    private var resourceInsert: SQLiteStatement?
    private var lookupTokenUpsert: SQLiteStatement?
    private var recordIDByLookupToken: SQLiteStatement?

    /// Opens the vault database at `path`, creating and migrating it if `create` is set.
    public init(path: String, create: Bool) throws {
        database = try SQLiteDatabase(path: path, create: create)
        try migrate()
    }

    private func migrate() throws {
        let versionQuery = try database.statement("PRAGMA user_version")
        _ = try versionQuery.step()
        let version = Int(versionQuery.int64(0))
        versionQuery.reset()
        guard version <= VaultSchema.currentVersion else {
            throw StoreError.schemaTooNew(found: version, supported: VaultSchema.currentVersion)
        }
        guard version < VaultSchema.currentVersion else { return }

        try database.inTransaction {
            for index in version..<VaultSchema.currentVersion {
                try database.execute(VaultSchema.migrations[index])
            }
            try database.execute("PRAGMA user_version=\(VaultSchema.currentVersion)")
        }
    }

    public func inTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try database.inTransaction(body)
    }

    public static func now() -> Int64 {
        Int64(time(nil))
    }

    // MARK: - Metadata

    public func meta(_ name: String) throws -> [UInt8]? {
        let query = try database.statement("SELECT value FROM vault_meta WHERE name = ?")
        try query.bind(1, name)
        defer { query.reset() }
        return try query.step() ? query.blob(0) : nil
    }

    public func setMeta(_ name: String, _ value: [UInt8]) throws {
        let update = try database.statement(
            "INSERT INTO vault_meta(name, value) VALUES(?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET value = excluded.value")
        try update.bind(1, name).bind(2, value)
        try update.run()
    }

    // MARK: - Data keys

    public func insertDataKey(keyID: [UInt8], wrapped: [UInt8], kekID: [UInt8]) throws {
        let insert = try database.statement(
            "INSERT INTO data_keys(key_id, wrapped, kek_id, created_at) VALUES(?, ?, ?, ?)")
        try insert.bind(1, keyID).bind(2, wrapped).bind(3, kekID).bind(4, Self.now())
        try insert.run()
    }

    /// The wrapped data key and the id of the key that wrapped it.
    public func dataKey(keyID: [UInt8]) throws -> (wrapped: [UInt8], kekID: [UInt8])? {
        let query = try database.statement(
            "SELECT wrapped, kek_id FROM data_keys WHERE key_id = ?")
        try query.bind(1, keyID)
        defer { query.reset() }
        return try query.step() ? (query.blob(0), query.blob(1)) : nil
    }

    // MARK: - Patients

    public func insertPatient(patientID: [UInt8], keyID: [UInt8], summary: [UInt8]) throws {
        let insert = try database.statement(
            "INSERT INTO patients(patient_id, key_id, summary, created_at, updated_at) "
                + "VALUES(?, ?, ?, ?, ?)")
        let now = Self.now()
        try insert.bind(1, patientID).bind(2, keyID).bind(3, summary).bind(4, now).bind(5, now)
        try insert.run()
    }

    public func updatePatientSummary(patientID: [UInt8], summary: [UInt8]) throws {
        let update = try database.statement(
            "UPDATE patients SET summary = ?, updated_at = ? WHERE patient_id = ?")
        try update.bind(1, summary).bind(2, Self.now()).bind(3, patientID)
        try update.run()
    }

    public func patient(patientID: [UInt8]) throws -> PatientRow? {
        let query = try database.statement(
            "SELECT key_id, summary FROM patients WHERE patient_id = ?")
        try query.bind(1, patientID)
        defer { query.reset() }
        guard try query.step() else { return nil }
        return PatientRow(patientID: patientID, keyID: query.blob(0), summary: query.blob(1))
    }

    public func patientCount() throws -> Int {
        try count("SELECT count(*) FROM patients")
    }

    // MARK: - Resources

    public func resource(logicalKey: [UInt8]) throws -> ResourceRow? {
        let query = try database.statement(
            cachedIn: &resourceByLogicalKey,
            "SELECT record_id, patient_id, key_id, version, sealed FROM resources "
                + "WHERE logical_key = ?")
        try query.bind(1, logicalKey)
        defer { query.reset() }
        guard try query.step() else { return nil }
        return ResourceRow(
            recordID: query.blob(0),
            patientID: query.isNull(1) ? nil : query.blob(1),
            keyID: query.blob(2),
            logicalKey: logicalKey,
            version: query.int64(3),
            sealed: query.blob(4))
    }

    /// The owning patient of a record, by record id (nil when it belongs to no patient).
    public func resourceOwner(recordID: [UInt8]) throws -> (found: Bool, patientID: [UInt8]?) {
        let query = try database.statement(
            cachedIn: &resourceOwnerByRecordID,
            "SELECT patient_id FROM resources WHERE record_id = ?")
        try query.bind(1, recordID)
        defer { query.reset() }
        guard try query.step() else { return (false, nil) }
        return (true, query.isNull(0) ? nil : query.blob(0))
    }

    public func insertResource(_ row: ResourceRow) throws {
        let insert = try database.statement(
            cachedIn: &resourceInsert,
            "INSERT INTO resources(record_id, patient_id, key_id, logical_key, version, sealed, "
                + "byte_count, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
        try insert.bind(1, row.recordID).bind(2, optional: row.patientID).bind(3, row.keyID)
        try insert.bind(4, row.logicalKey).bind(5, row.version).bind(6, row.sealed)
        try insert.bind(7, Int64(row.sealed.count)).bind(8, Self.now())
        try insert.run()
    }

    public func updateResource(_ row: ResourceRow) throws {
        let update = try database.statement(
            "UPDATE resources SET patient_id = ?, key_id = ?, version = ?, sealed = ?, "
                + "byte_count = ?, updated_at = ? WHERE record_id = ?")
        try update.bind(1, optional: row.patientID).bind(2, row.keyID).bind(3, row.version)
        try update.bind(4, row.sealed).bind(5, Int64(row.sealed.count)).bind(6, Self.now())
        try update.bind(7, row.recordID)
        try update.run()
    }

    /// Calls `body` for each resource of a patient (nil: resources of no patient).
    public func forEachResource(
        patientID: [UInt8]?, _ body: (ResourceRow) throws -> Void
    ) throws {
        let query: SQLiteStatement
        if let patientID {
            query = try database.statement(
                "SELECT record_id, key_id, logical_key, version, sealed FROM resources "
                    + "WHERE patient_id = ?")
            try query.bind(1, patientID)
        } else {
            query = try database.statement(
                "SELECT record_id, key_id, logical_key, version, sealed FROM resources "
                    + "WHERE patient_id IS NULL")
        }
        defer { query.reset() }
        while try query.step() {
            try body(
                ResourceRow(
                    recordID: query.blob(0), patientID: patientID, keyID: query.blob(1),
                    logicalKey: query.blob(2), version: query.int64(3), sealed: query.blob(4)))
        }
    }

    /// Calls `body` for every resource in the vault.
    public func forEachResource(_ body: (ResourceRow) throws -> Void) throws {
        let query = try database.statement(
            "SELECT record_id, patient_id, key_id, logical_key, version, sealed FROM resources")
        defer { query.reset() }
        while try query.step() {
            try body(
                ResourceRow(
                    recordID: query.blob(0), patientID: query.isNull(1) ? nil : query.blob(1),
                    keyID: query.blob(2), logicalKey: query.blob(3), version: query.int64(4),
                    sealed: query.blob(5)))
        }
    }

    public func resourceCount() throws -> Int {
        try count("SELECT count(*) FROM resources")
    }

    // MARK: - Blind indexes

    /// Replaces a patient's search tokens (keyed hashes of normalised demographics).
    public func replaceSearchTokens(patientID: [UInt8], tokens: Set<[UInt8]>) throws {
        let delete = try database.statement("DELETE FROM search_tokens WHERE patient_id = ?")
        try delete.bind(1, patientID)
        try delete.run()

        let insert = try database.statement(
            "INSERT OR IGNORE INTO search_tokens(token, patient_id) VALUES(?, ?)")
        for token in tokens {
            insert.reset()
            try insert.bind(1, token).bind(2, patientID)
            try insert.run()
        }
    }

    /// Patients that carry every one of `tokens` (an AND search), at most `limit`.
    public func patients(matchingAll tokens: [[UInt8]], limit: Int) throws -> [[UInt8]] {
        guard let first = tokens.first else { return [] }
        // One prepared statement per arity keeps the SQL static.
        var sql = "SELECT patient_id FROM search_tokens WHERE token = ?"
        for _ in tokens.dropFirst() {
            sql += " INTERSECT SELECT patient_id FROM search_tokens WHERE token = ?"
        }
        sql += " LIMIT ?"
        let query = try database.statement(sql)
        try query.bind(1, first)
        for (offset, token) in tokens.dropFirst().enumerated() {
            try query.bind(Int32(offset + 2), token)
        }
        try query.bind(Int32(tokens.count + 1), Int64(limit))
        defer { query.reset() }

        var matches: [[UInt8]] = []
        while try query.step() {
            matches.append(query.blob(0))
        }
        return matches
    }

    public func setLookupToken(_ token: [UInt8], recordID: [UInt8]) throws {
        let upsert = try database.statement(
            cachedIn: &lookupTokenUpsert,
            "INSERT INTO lookup_tokens(token, record_id) VALUES(?, ?) "
                + "ON CONFLICT(token) DO UPDATE SET record_id = excluded.record_id")
        try upsert.bind(1, token).bind(2, recordID)
        try upsert.run()
    }

    public func recordID(lookupToken token: [UInt8]) throws -> [UInt8]? {
        let query = try database.statement(
            cachedIn: &recordIDByLookupToken,
            "SELECT record_id FROM lookup_tokens WHERE token = ?")
        try query.bind(1, token)
        defer { query.reset() }
        return try query.step() ? query.blob(0) : nil
    }

    // MARK: - Audit records

    public func appendAuditRecord(sequence: UInt64, body: [UInt8], mac: [UInt8]) throws {
        let insert = try database.statement(
            "INSERT INTO audit_events(sequence, body, mac) VALUES(?, ?, ?)")
        try insert.bind(1, Int64(sequence)).bind(2, body).bind(3, mac)
        try insert.run()
    }

    public func setAuditHead(lastSequence: UInt64, lastMAC: [UInt8], headMAC: [UInt8]) throws {
        let upsert = try database.statement(
            "INSERT INTO audit_head(singleton, last_sequence, last_mac, head_mac) "
                + "VALUES(1, ?, ?, ?) ON CONFLICT(singleton) DO UPDATE SET "
                + "last_sequence = excluded.last_sequence, last_mac = excluded.last_mac, "
                + "head_mac = excluded.head_mac")
        try upsert.bind(1, Int64(lastSequence)).bind(2, lastMAC).bind(3, headMAC)
        try upsert.run()
    }

    public func auditHead() throws -> (lastSequence: UInt64, lastMAC: [UInt8], headMAC: [UInt8])? {
        let query = try database.statement(
            "SELECT last_sequence, last_mac, head_mac FROM audit_head WHERE singleton = 1")
        defer { query.reset() }
        guard try query.step() else { return nil }
        return (UInt64(query.int64(0)), query.blob(1), query.blob(2))
    }

    /// Audit records in sequence order, from `firstSequence` on.
    public func forEachAuditRecord(
        from firstSequence: UInt64 = 0,
        _ body: (_ sequence: UInt64, _ body: [UInt8], _ mac: [UInt8]) throws -> Void
    ) throws {
        let query = try database.statement(
            "SELECT sequence, body, mac FROM audit_events WHERE sequence >= ? ORDER BY sequence")
        try query.bind(1, Int64(firstSequence))
        defer { query.reset() }
        while try query.step() {
            try body(UInt64(query.int64(0)), query.blob(1), query.blob(2))
        }
    }

    public func lastAuditSequence() throws -> UInt64 {
        UInt64(try count("SELECT coalesce(max(sequence), 0) FROM audit_events"))
    }

    // MARK: - Checks

    /// SQLite's own page-level and foreign-key checks; empty when all is well.
    public func integrityProblems() throws -> [String] {
        var problems: [String] = []
        let integrity = try database.statement("PRAGMA integrity_check")
        while try integrity.step() {
            let line = integrity.text(0)
            if line != "ok" {
                problems.append(line)
            }
        }
        integrity.reset()

        let foreignKeys = try database.statement("PRAGMA foreign_key_check")
        while try foreignKeys.step() {
            problems.append("foreign key violation in table \(foreignKeys.text(0))")
        }
        foreignKeys.reset()
        return problems
    }

    private func count(_ sql: String) throws -> Int {
        let query = try database.statement(sql)
        defer { query.reset() }
        _ = try query.step()
        return Int(query.int64(0))
    }
}
