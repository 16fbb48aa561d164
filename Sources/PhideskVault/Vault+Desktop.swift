import Foundation
import PhideskAudit

/// Audit hooks for the desktop broker: refusals of requests coming from the (untrusted)
/// web renderer. Events carry only a fixed reason code, never the refused payload.
extension Vault {
    /// Records one refused renderer request (or a summary of `count` suppressed ones) as a
    /// denied `security.alert` event in this vault's chain.
    public func recordRendererRejection(reasonCode: String, count: Int? = nil) throws {
        try record(.alert, outcome: .denied, reasonCode: reasonCode, count: count,
                   severity: .alert)
    }

    /// The same before sign-in (no audit key yet): spooled, and sealed into the chain,
    /// marked as recorded before authentication, at the next successful sign-in or open.
    public static func spoolRendererRejection(
        at location: VaultLocation, reasonCode: String, actor: String, count: Int? = nil
    ) throws {
        try spool(
            try AuditEvent(action: .alert, outcome: .denied, actor: actor,
                           reasonCode: reasonCode, count: count, severity: .alert),
            at: location)
    }
}
