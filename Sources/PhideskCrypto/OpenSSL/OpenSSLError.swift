internal import COpenSSL

extension CryptoError {
    /// Wraps the oldest queued OpenSSL error, clearing the queue so later calls start clean.
    static func openSSL(_ operation: String) -> CryptoError {
        let code = ERR_get_error()
        ERR_clear_error()
        return .libraryFailure(operation: operation, code: UInt(code))
    }
}
