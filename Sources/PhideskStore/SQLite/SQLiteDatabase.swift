internal import CSQLite
internal import CPhideskShims
#if canImport(Glibc)
import Glibc
#endif

/// One SQLite connection. Owned by one thread or actor at a time (SQLite is built
/// serialized here, but statements are not shareable state).
public final class SQLiteDatabase {
    let handle: OpaquePointer
    private var statementCache: [String: SQLiteStatement] = [:]

    /// Opens (creating if asked) the database at `path` with phidesk's pragmas:
    /// WAL, `synchronous=FULL` (a commit is on disk when it returns), foreign keys,
    /// `secure_delete` (freed pages are zeroed, so erased ciphertext does not linger) and
    /// in-memory temp storage (no spill files).
    public init(path: String, create: Bool) throws {
        var connection: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW
        if create {
            flags |= SQLITE_OPEN_CREATE
        }
        let previousMask = umask(0o077)
        let status = sqlite3_open_v2(path, &connection, flags, nil)
        umask(previousMask)
        guard status == SQLITE_OK, let connection else {
            let code = connection.map { sqlite3_extended_errcode($0) } ?? status
            if let connection { sqlite3_close_v2(connection) }
            throw StoreError.sqlite(
                operation: "open", code: code, message: String(cString: sqlite3_errstr(code)))
        }
        handle = connection
        sqlite3_extended_result_codes(handle, 1)
        // Before anything else: another process may hold the lock (or be recovering the
        // WAL) for a moment; wait for it rather than fail.
        sqlite3_busy_timeout(handle, 10_000)

        // Must precede WAL mode and the first table; a no-op for an existing file.
        try execute("PRAGMA page_size=16384")
        try execute("PRAGMA journal_mode=WAL")
        // The checkpoint threshold counts pages: keep it at SQLite's default of about
        // 4 MiB of WAL whatever the page size (16 KiB for new vaults, 4 KiB for older
        // ones), so checkpoints are neither postponed nor made more frequent.
        let pageSizeQuery = try statement("PRAGMA page_size")
        _ = try pageSizeQuery.step()
        let pageSize = max(Int(pageSizeQuery.int64(0)), 512)
        pageSizeQuery.reset()
        try execute("PRAGMA wal_autocheckpoint=\((4 << 20) / pageSize)")
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
        try execute("PRAGMA secure_delete=ON")
        try execute("PRAGMA temp_store=MEMORY")
        // The default 2 MiB page cache is smaller than one large import, so SQLite spilled
        // dirty pages to the WAL mid-transaction and read them back; 32 MiB holds a big
        // bundle. Only memory use changes: commits are exactly as durable.
        try execute("PRAGMA cache_size=-32768")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs SQL that takes no parameters and returns no rows we need.
    public func execute(_ sql: String) throws {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error("exec") }
    }

    /// A cached prepared statement for static SQL; values are always bound, never spliced.
    public func statement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statementCache[sql] {
            cached.reset()
            return cached
        }
        let prepared = try SQLiteStatement(database: self, sql: sql)
        statementCache[sql] = prepared
        return prepared
    }

    /// Like ``statement(_:)``, for a statement run once per imported resource: the caller
    /// keeps it in `slot`, so later calls neither hash the SQL text for the cache lookup
    /// nor build it (`sql` is only evaluated the first time).
    public func statement(
        cachedIn slot: inout SQLiteStatement?, _ sql: @autoclosure () -> String
    ) throws -> SQLiteStatement {
        if let cached = slot {
            cached.reset()
            return cached
        }
        let prepared = try statement(sql())
        slot = prepared
        return prepared
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed (durably) if it returns,
    /// rolled back if it throws, so a failed step leaves nothing behind.
    public func inTransaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ operation: String) -> StoreError {
        let code = sqlite3_extended_errcode(handle)
        return .sqlite(
            operation: operation, code: code, message: String(cString: sqlite3_errstr(code)))
    }
}

/// A prepared statement. Bind with 1-based indexes; read columns with 0-based indexes.
public final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let database: SQLiteDatabase

    init(database: SQLiteDatabase, sql: String) throws {
        var prepared: OpaquePointer?
        let status = sqlite3_prepare_v3(
            database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared else { throw database.error("prepare") }
        statement = prepared
        self.database = database
    }

    deinit {
        sqlite3_finalize(statement)
    }

    public func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    @discardableResult
    public func bind(_ index: Int32, _ bytes: [UInt8]) throws -> SQLiteStatement {
        let status = bytes.withUnsafeBytes { buffer in
            // An empty blob must still be a blob, not NULL: give SQLite a valid pointer.
            phidesk_sqlite_bind_blob_copy(
                statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                Int32(buffer.count))
        }
        guard status == SQLITE_OK else { throw database.error("bind") }
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: Int64) throws -> SQLiteStatement {
        guard sqlite3_bind_int64(statement, index, value) == SQLITE_OK else {
            throw database.error("bind")
        }
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ text: String) throws -> SQLiteStatement {
        let status = text.withCString { chars in
            phidesk_sqlite_bind_text_copy(statement, index, chars, Int32(text.utf8.count))
        }
        guard status == SQLITE_OK else { throw database.error("bind") }
        return self
    }

    @discardableResult
    public func bindNull(_ index: Int32) throws -> SQLiteStatement {
        guard sqlite3_bind_null(statement, index) == SQLITE_OK else {
            throw database.error("bind")
        }
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, optional bytes: [UInt8]?) throws -> SQLiteStatement {
        if let bytes {
            return try bind(index, bytes)
        }
        return try bindNull(index)
    }

    /// Advances to the next row; false when done.
    public func step() throws -> Bool {
        let status = sqlite3_step(statement)
        switch status {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            let failure = database.error("step")
            sqlite3_reset(statement)
            throw failure
        }
    }

    /// Runs a statement that returns no rows.
    public func run() throws {
        while try step() {}
        sqlite3_reset(statement)
    }

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let base = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Reads a blob in place, without copying; the pointer is valid only inside `body`.
    public func withBlob<Result>(
        _ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let count = Int(sqlite3_column_bytes(statement, column))
        let base = sqlite3_column_blob(statement, column)
        return try body(UnsafeRawBufferPointer(start: count > 0 ? base : nil, count: count))
    }

    public func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    public func text(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: text)
    }
}
