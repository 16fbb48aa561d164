/// Failures of the storage layer. Carries SQLite result codes and the name of the step,
/// never SQL text with values or row contents.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// SQLite returned an error; `operation` names the step, `code` is the extended code.
    case sqlite(operation: String, code: Int32, message: String)
    /// The database file's schema is newer than this build understands.
    case schemaTooNew(found: Int, supported: Int)
    /// The file is not a phidesk vault database.
    case notAVault

    public var description: String {
        switch self {
        case .sqlite(let operation, let code, let message):
            return "SQLite \(operation) failed: \(message) (code \(code))"
        case .schemaTooNew(let found, let supported):
            return "vault schema \(found) is newer than this build supports (\(supported))"
        case .notAVault:
            return "the file is not a phidesk vault database"
        }
    }
}
