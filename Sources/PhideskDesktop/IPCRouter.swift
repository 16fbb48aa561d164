import Foundation
import PhideskFHIR
import PhideskVault

/// Who sent an IPC request, as established by the broker (never by the page).
///
/// How the sender is established: the request reached our `app` scheme handler, and
/// 1. `webkit_uri_scheme_request_get_web_view` is our one web view (not another view
///    sharing the context),
/// 2. that view's current URI is on `app://phidesk/` (it cannot have navigated away:
///    decide-policy refuses every other URI),
/// 3. the method is POST with `Content-Type: application/json`: a cross-origin page
///    could only send that after a CORS preflight (OPTIONS), which is refused,
/// 4. the `Origin` header is absent or exactly `app://phidesk`. Measured with WebKitGTK
///    2.50: same-origin fetches to a custom scheme carry NO `Origin` header, while
///    cross-origin requests always do (`null` for opaque origins such as data: or
///    sandboxed frames), and script cannot set or remove `Origin` (forbidden header),
/// 5. no script but our own files runs in that view: the CSP has `default-src 'none'`
///    (no framed URLs, workers or objects) and `script-src 'self'` without
///    `unsafe-inline`/`unsafe-eval`. An `about:blank` frame that our own script creates
///    is same-origin and can send requests too, but only as our page's own script could.
/// Together this pins the sender to our app's documents in our view.
public struct IPCSender: Sendable, Equatable {
    public var isOurView: Bool
    public var method: String?
    public var origin: String?
    public var contentType: String?
    public var viewURI: String?

    public init(
        isOurView: Bool, method: String?, origin: String?, contentType: String?,
        viewURI: String?
    ) {
        self.isOurView = isOurView
        self.method = method
        self.origin = origin
        self.contentType = contentType
        self.viewURI = viewURI
    }

    public static let expectedOrigin = "app://phidesk"

    public var isTrusted: Bool {
        isOurView && method == "POST" && (origin == nil || origin == Self.expectedOrigin)
            && contentType?.split(separator: ";").first == "application/json"
            && (viewURI ?? "").hasPrefix(AppScheme.base)
    }
}

/// Opens external links after the user agrees; the attack suite substitutes a recorder.
public protocol LinkOpener: AnyObject {
    /// Returns what happens next: "confirming" (dialog shown) or, in tests, "would-open".
    func open(_ url: String) -> String
}

/// Validates and dispatches IPC requests; replies are small JSON objects with projected
/// data only (the vault projects by role), never keys, tokens or error details.
public final class IPCRouter {
    let broker: Broker
    let linkOpener: any LinkOpener

    public init(broker: Broker, linkOpener: any LinkOpener) {
        self.broker = broker
        self.linkOpener = linkOpener
    }

    /// Handles one request. `body` is nil when it exceeded the size cap.
    public func handle(sender: IPCSender, body: [UInt8]?) -> [UInt8] {
        let command: IPCCommand
        do throws(IPCRejection) {
            guard sender.isTrusted else { throw .wrongSender }
            guard let body else { throw .oversize }
            command = try IPCCommand.decode(body)
        } catch {
            broker.rejections.record(error)
            return Self.failure("rejected")
        }
        return execute(command)
    }

    func execute(_ command: IPCCommand) -> [UInt8] {
        do {
            switch command {
            case .sessionStatus:
                return Self.success(status())
            case .signIn(let login, let password, let code):
                try broker.signIn(login: login, password: password, code: code)
                return Self.success(status())
            case .lock:
                broker.lock(because: .locked)
                return Self.success(status())
            case .search(let query):
                let matches = try broker.activeVault().search(query)
                return Self.success(matches.map(Self.match))
            case .summary(let patientID):
                let (chart, damaged) = try broker.activeVault().chart(patientID: patientID)
                var encoded = try JSONSerialization.jsonObject(
                    with: JSONEncoder().encode(chart)) as? [String: Any] ?? [:]
                encoded["damagedRecords"] = damaged.count
                return Self.success(encoded)
            case .openLink(let url):
                return Self.success(["action": linkOpener.open(url)])
            }
        } catch let error as VaultError {
            return Self.failure(Self.code(for: error))
        } catch {
            return Self.failure("unavailable")
        }
    }

    func status() -> [String: Any] {
        guard broker.enforceExpiry(), let session = broker.vault?.access?.session else {
            return ["signedIn": false]
        }
        var user: [String: Any] = ["role": session.role]
        if let name = broker.displayName { user["displayName"] = name }
        return ["signedIn": true, "user": user, "idleTimeoutSeconds": Int(session.idleTimeout)]
    }

    static func match(_ match: PatientMatch) -> [String: Any] {
        var result: [String: Any] = ["patientID": match.patientID,
                                     "displayName": match.displayName]
        if let birthDate = match.birthDate { result["birthDate"] = birthDate }
        if let deceased = match.deceased { result["deceased"] = deceased }
        if let gender = match.gender { result["gender"] = gender }
        return result
    }

    /// Short, PHI-free error codes the page can act on.
    static func code(for error: VaultError) -> String {
        switch error {
        case .notSignedIn, .sessionEnded: return "locked"
        case .signInFailed, .totpReplayed, .accountDisabled: return "signin-failed"
        case .accountLocked: return "locked-out"
        case .accessDenied, .reauthenticationRequired: return "denied"
        case .patientNotFound: return "not-found"
        case .malformedPatientID, .emptySearch: return "invalid"
        default: return "unavailable"
        }
    }

    /// `{"ok": true, "data": …}` — the shape the UI's ipc.js expects.
    static func success(_ data: Any) -> [UInt8] {
        json(["ok": true, "data": data])
    }

    static func failure(_ code: String) -> [UInt8] {
        json(["ok": false, "error": code])
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Array(data ?? Data(#"{"ok":false,"error":"unavailable"}"#.utf8))
    }
}
