/// The vault database schema, as an ordered list of migrations.
///
/// Every column is an opaque random id, a key id, a keyed token, a timestamp, a counter,
/// a size or a sealed box; nothing readable about a patient is stored in clear.
enum VaultSchema {
    /// Migration `n` (1-based) takes the database from version n-1 to n.
    static let migrations: [String] = [
        """
        CREATE TABLE vault_meta (
            name  TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE data_keys (
            key_id     BLOB PRIMARY KEY,
            wrapped    BLOB NOT NULL,
            kek_id     BLOB NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE patients (
            patient_id BLOB PRIMARY KEY,
            key_id     BLOB NOT NULL REFERENCES data_keys(key_id),
            summary    BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE resources (
            record_id   BLOB PRIMARY KEY,
            patient_id  BLOB REFERENCES patients(patient_id),
            key_id      BLOB NOT NULL REFERENCES data_keys(key_id),
            logical_key BLOB NOT NULL UNIQUE,
            version     INTEGER NOT NULL,
            sealed      BLOB NOT NULL,
            byte_count  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX resources_by_patient ON resources(patient_id);

        CREATE TABLE search_tokens (
            token      BLOB NOT NULL,
            patient_id BLOB NOT NULL REFERENCES patients(patient_id),
            PRIMARY KEY (token, patient_id)
        ) WITHOUT ROWID;
        CREATE INDEX search_tokens_by_patient ON search_tokens(patient_id);

        CREATE TABLE lookup_tokens (
            token     BLOB PRIMARY KEY,
            record_id BLOB NOT NULL REFERENCES resources(record_id)
        ) WITHOUT ROWID;

        CREATE TABLE audit_events (
            sequence INTEGER PRIMARY KEY,
            body     BLOB NOT NULL,
            mac      BLOB NOT NULL
        );

        CREATE TABLE audit_head (
            singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
            last_sequence INTEGER NOT NULL,
            last_mac      BLOB NOT NULL,
            head_mac      BLOB NOT NULL
        );
        """,
        // 2: users, their key slots, sign-in failure counters, break-glass grants and
        // restricted patients.
        """
        CREATE TABLE users (
            user_id    BLOB PRIMARY KEY,
            sealed     BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE key_slots (
            lookup     BLOB PRIMARY KEY,
            user_id    BLOB NOT NULL UNIQUE REFERENCES users(user_id),
            enrolment  BLOB NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE login_failures (
            lookup       BLOB PRIMARY KEY,
            window_start INTEGER NOT NULL,
            failures     INTEGER NOT NULL,
            lock_count   INTEGER NOT NULL,
            locked_until INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE breakglass_grants (
            grant_id      BLOB PRIMARY KEY,
            user_id       BLOB NOT NULL REFERENCES users(user_id),
            session_id    BLOB NOT NULL,
            patient_id    BLOB REFERENCES patients(patient_id),
            started_at    INTEGER NOT NULL,
            expires_at    INTEGER NOT NULL,
            ended_at      INTEGER,
            sealed_reason BLOB NOT NULL,
            reviewed_at   INTEGER,
            reviewer_id   BLOB,
            sealed_review BLOB
        ) WITHOUT ROWID;

        ALTER TABLE patients ADD COLUMN manifest BLOB;

        CREATE TABLE restricted_patients (
            patient_id BLOB PRIMARY KEY REFERENCES patients(patient_id),
            since      INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ]

    static var currentVersion: Int { migrations.count }
}
