internal import COpenSSL

extension CryptoError {
    /// Wraps the oldest queued OpenSSL error, clearing the queue so later calls start clean.
    static func openSSL(_ operation: String) -> CryptoError {
        let code = ERR_get_error()
        ERR_clear_error()
        return .libraryFailure(operation: operation, code: UInt(code))
    }
}

/// Runs `body` with C copies of `strings` that stay valid until it returns.
///
/// `OSSL_PARAM` keeps the *pointer* to its name, and the `OSSL_*_PARAM_*` macros import as
/// Swift `String`s whose implicit C-string conversion lasts only for the one call that
/// receives it. Passing them straight to `OSSL_PARAM_construct_*` leaves the params
/// array with dangling names by the time OpenSSL reads it.
func withCStrings<Result>(
    _ strings: [String],
    _ body: ([UnsafeMutablePointer<CChar>]) throws -> Result
) rethrows -> Result {
    let copies = strings.map { string -> UnsafeMutablePointer<CChar> in
        let utf8 = string.utf8CString
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        utf8.withUnsafeBufferPointer { source in
            copy.initialize(from: source.baseAddress!, count: source.count)
        }
        return copy
    }
    defer { copies.forEach { $0.deallocate() } }
    return try body(copies)
}
