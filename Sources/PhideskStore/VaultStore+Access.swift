/// A user's sealed record and the key slot their password opens.
public struct UserRow: Sendable, Equatable {
    public var userID: [UInt8]
    public var sealed: [UInt8]
}

/// Sign-in failure counters for one login name (or the whole machine), kept in clear
/// because they are needed before anyone is authenticated.
public struct LoginFailureRow: Sendable, Equatable {
    public var windowStart: Int64
    public var failures: Int64
    public var lockCount: Int64
    public var lockedUntil: Int64

    public init(windowStart: Int64, failures: Int64, lockCount: Int64, lockedUntil: Int64) {
        self.windowStart = windowStart
        self.failures = failures
        self.lockCount = lockCount
        self.lockedUntil = lockedUntil
    }
}

/// An emergency-access grant as stored; reason text and review are sealed.
public struct BreakGlassRow: Sendable, Equatable {
    public var grantID: [UInt8]
    public var userID: [UInt8]
    public var sessionID: [UInt8]
    public var patientID: [UInt8]?
    public var startedAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?
    public var sealedReason: [UInt8]
    public var reviewedAt: Int64?
    public var reviewerID: [UInt8]?
    public var sealedReview: [UInt8]?

    public init(
        grantID: [UInt8], userID: [UInt8], sessionID: [UInt8], patientID: [UInt8]?,
        startedAt: Int64, expiresAt: Int64, sealedReason: [UInt8]
    ) {
        self.grantID = grantID
        self.userID = userID
        self.sessionID = sessionID
        self.patientID = patientID
        self.startedAt = startedAt
        self.expiresAt = expiresAt
        self.sealedReason = sealedReason
    }
}

extension VaultStore {
    // MARK: - Users and key slots

    public func insertUser(userID: [UInt8], sealed: [UInt8]) throws {
        let insert = try database.statement(
            "INSERT INTO users(user_id, sealed, created_at, updated_at) VALUES(?, ?, ?, ?)")
        try insert.bind(1, userID).bind(2, sealed).bind(3, Self.now()).bind(4, Self.now())
        try insert.run()
    }

    public func updateUser(userID: [UInt8], sealed: [UInt8]) throws {
        let update = try database.statement(
            "UPDATE users SET sealed = ?, updated_at = ? WHERE user_id = ?")
        try update.bind(1, sealed).bind(2, Self.now()).bind(3, userID)
        try update.run()
    }

    public func user(userID: [UInt8]) throws -> UserRow? {
        let query = try database.statement("SELECT sealed FROM users WHERE user_id = ?")
        try query.bind(1, userID)
        defer { query.reset() }
        return try query.step() ? UserRow(userID: userID, sealed: query.blob(0)) : nil
    }

    public func allUsers() throws -> [UserRow] {
        let query = try database.statement("SELECT user_id, sealed FROM users")
        defer { query.reset() }
        var rows: [UserRow] = []
        while try query.step() {
            rows.append(UserRow(userID: query.blob(0), sealed: query.blob(1)))
        }
        return rows
    }

    /// Adds or replaces the key slot of a user (a new password replaces the old slot).
    public func setKeySlot(lookup: [UInt8], userID: [UInt8], enrolment: [UInt8]) throws {
        let delete = try database.statement("DELETE FROM key_slots WHERE user_id = ?")
        try delete.bind(1, userID)
        try delete.run()
        let insert = try database.statement(
            "INSERT INTO key_slots(lookup, user_id, enrolment, updated_at) VALUES(?, ?, ?, ?)")
        try insert.bind(1, lookup).bind(2, userID).bind(3, enrolment).bind(4, Self.now())
        try insert.run()
    }

    public func keySlot(lookup: [UInt8]) throws -> (userID: [UInt8], enrolment: [UInt8])? {
        let query = try database.statement(
            "SELECT user_id, enrolment FROM key_slots WHERE lookup = ?")
        try query.bind(1, lookup)
        defer { query.reset() }
        return try query.step() ? (query.blob(0), query.blob(1)) : nil
    }

    public func keySlotLookup(userID: [UInt8]) throws -> [UInt8]? {
        let query = try database.statement("SELECT lookup FROM key_slots WHERE user_id = ?")
        try query.bind(1, userID)
        defer { query.reset() }
        return try query.step() ? query.blob(0) : nil
    }

    // MARK: - Sign-in failures

    public func loginFailures(lookup: [UInt8]) throws -> LoginFailureRow? {
        let query = try database.statement(
            "SELECT window_start, failures, lock_count, locked_until FROM login_failures "
                + "WHERE lookup = ?")
        try query.bind(1, lookup)
        defer { query.reset() }
        guard try query.step() else { return nil }
        return LoginFailureRow(
            windowStart: query.int64(0), failures: query.int64(1), lockCount: query.int64(2),
            lockedUntil: query.int64(3))
    }

    public func setLoginFailures(lookup: [UInt8], _ row: LoginFailureRow) throws {
        let upsert = try database.statement(
            "INSERT INTO login_failures(lookup, window_start, failures, lock_count, locked_until) "
                + "VALUES(?, ?, ?, ?, ?) ON CONFLICT(lookup) DO UPDATE SET "
                + "window_start = excluded.window_start, failures = excluded.failures, "
                + "lock_count = excluded.lock_count, locked_until = excluded.locked_until")
        try upsert.bind(1, lookup).bind(2, row.windowStart).bind(3, row.failures)
        try upsert.bind(4, row.lockCount).bind(5, row.lockedUntil)
        try upsert.run()
    }

    public func clearLoginFailures(lookup: [UInt8]) throws {
        let delete = try database.statement("DELETE FROM login_failures WHERE lookup = ?")
        try delete.bind(1, lookup)
        try delete.run()
    }

    // MARK: - Break-glass

    public func insertBreakGlass(_ row: BreakGlassRow) throws {
        let insert = try database.statement(
            "INSERT INTO breakglass_grants(grant_id, user_id, session_id, patient_id, "
                + "started_at, expires_at, sealed_reason) VALUES(?, ?, ?, ?, ?, ?, ?)")
        try insert.bind(1, row.grantID).bind(2, row.userID).bind(3, row.sessionID)
        try insert.bind(4, optional: row.patientID).bind(5, row.startedAt)
        try insert.bind(6, row.expiresAt).bind(7, row.sealedReason)
        try insert.run()
    }

    public func endBreakGlass(grantID: [UInt8], at time: Int64) throws {
        let update = try database.statement(
            "UPDATE breakglass_grants SET ended_at = ? WHERE grant_id = ? AND ended_at IS NULL")
        try update.bind(1, time).bind(2, grantID)
        try update.run()
    }

    public func reviewBreakGlass(
        grantID: [UInt8], reviewerID: [UInt8], sealedReview: [UInt8], at time: Int64
    ) throws -> Bool {
        let update = try database.statement(
            "UPDATE breakglass_grants SET reviewed_at = ?, reviewer_id = ?, sealed_review = ? "
                + "WHERE grant_id = ? AND reviewed_at IS NULL")
        try update.bind(1, time).bind(2, reviewerID).bind(3, sealedReview).bind(4, grantID)
        try update.run()
        return database.changes == 1
    }

    /// Grants, oldest first; `unreviewedOnly` gives the review queue.
    public func breakGlassGrants(unreviewedOnly: Bool) throws -> [BreakGlassRow] {
        let query = try database.statement(
            "SELECT grant_id, user_id, session_id, patient_id, started_at, expires_at, "
                + "ended_at, sealed_reason, reviewed_at, reviewer_id, sealed_review "
                + "FROM breakglass_grants WHERE (? = 0 OR reviewed_at IS NULL) "
                + "ORDER BY started_at")
        try query.bind(1, unreviewedOnly ? Int64(1) : Int64(0))
        defer { query.reset() }
        var rows: [BreakGlassRow] = []
        while try query.step() {
            var row = BreakGlassRow(
                grantID: query.blob(0), userID: query.blob(1), sessionID: query.blob(2),
                patientID: query.isNull(3) ? nil : query.blob(3), startedAt: query.int64(4),
                expiresAt: query.int64(5), sealedReason: query.blob(7))
            row.endedAt = query.isNull(6) ? nil : query.int64(6)
            row.reviewedAt = query.isNull(8) ? nil : query.int64(8)
            row.reviewerID = query.isNull(9) ? nil : query.blob(9)
            row.sealedReview = query.isNull(10) ? nil : query.blob(10)
            rows.append(row)
        }
        return rows
    }

    // MARK: - Restricted patients

    public func setRestricted(patientID: [UInt8], _ restricted: Bool) throws {
        if restricted {
            let insert = try database.statement(
                "INSERT OR IGNORE INTO restricted_patients(patient_id, since) VALUES(?, ?)")
            try insert.bind(1, patientID).bind(2, Self.now())
            try insert.run()
        } else {
            let delete = try database.statement(
                "DELETE FROM restricted_patients WHERE patient_id = ?")
            try delete.bind(1, patientID)
            try delete.run()
        }
    }

    /// Every restricted patient id (a short list, read once per search).
    public func restrictedPatients() throws -> Set<[UInt8]> {
        let query = try database.statement("SELECT patient_id FROM restricted_patients")
        defer { query.reset() }
        var ids = Set<[UInt8]>()
        while try query.step() {
            ids.insert(query.blob(0))
        }
        return ids
    }

    public func isRestricted(patientID: [UInt8]) throws -> Bool {
        let query = try database.statement(
            "SELECT 1 FROM restricted_patients WHERE patient_id = ?")
        try query.bind(1, patientID)
        defer { query.reset() }
        return try query.step()
    }
}

extension VaultStore {
    /// Every key slot: lookup, user id and enrolment, ordered by lookup.
    public func allKeySlots() throws -> [(lookup: [UInt8], userID: [UInt8], enrolment: [UInt8])] {
        let query = try database.statement(
            "SELECT lookup, user_id, enrolment FROM key_slots ORDER BY lookup")
        defer { query.reset() }
        var rows: [(lookup: [UInt8], userID: [UInt8], enrolment: [UInt8])] = []
        while try query.step() {
            rows.append((query.blob(0), query.blob(1), query.blob(2)))
        }
        return rows
    }
}
