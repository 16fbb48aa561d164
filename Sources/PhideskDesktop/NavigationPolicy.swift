import CDesktopShims
import CGTKWebKit

/// Keeps the view on `app://phidesk/`: every other navigation, every new window and
/// every permission request is refused (WebKit's defaults would allow navigation and
/// leave permissions pending).
final class NavigationPolicy {
    private let broker: Broker
    private let devtools: Bool
    /// Counters for the attack suite's report.
    private(set) var blockedNavigations = 0
    private(set) var deniedPermissions = 0
    private(set) var refusedWindows = 0

    init(broker: Broker, devtools: Bool) {
        self.broker = broker
        self.devtools = devtools
    }

    static func isAppURI(_ uri: String) -> Bool {
        uri.hasPrefix(AppScheme.base)
    }

    func attach(to view: UnsafeMutablePointer<GtkWidget>) {
        let data = Unmanaged.passUnretained(self).toOpaque()
        typealias Decide = @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<WebKitPolicyDecision>?, WebKitPolicyDecisionType,
            gpointer?
        ) -> gboolean
        let decide: Decide = { _, decision, type, data in
            guard let decision, let data else { return 0 }
            return Unmanaged<NavigationPolicy>.fromOpaque(data).takeUnretainedValue()
                .decide(decision, type: type) ? 1 : 0
        }
        phidesk_signal_connect(view, "decide-policy", unsafeBitCast(decide, to: GCallback.self),
                               data)

        typealias Create = @convention(c) (OpaquePointer?, OpaquePointer?, gpointer?)
            -> UnsafeMutablePointer<GtkWidget>?
        let create: Create = { _, _, data in
            // window.open and target=_blank never get a view: NULL refuses.
            if let data {
                Unmanaged<NavigationPolicy>.fromOpaque(data).takeUnretainedValue()
                    .refused(reason: "renderer-window-refused")
            }
            return nil
        }
        phidesk_signal_connect(view, "create", unsafeBitCast(create, to: GCallback.self), data)

        typealias Permission = @convention(c) (OpaquePointer?, OpaquePointer?, gpointer?)
            -> gboolean
        let permission: Permission = { _, request, data in
            if let request { webkit_permission_request_deny(request) }
            if let data {
                Unmanaged<NavigationPolicy>.fromOpaque(data).takeUnretainedValue()
                    .refused(reason: "renderer-permission-denied")
            }
            return 1
        }
        phidesk_signal_connect(view, "permission-request",
                               unsafeBitCast(permission, to: GCallback.self), data)

        typealias Menu = @convention(c) (
            OpaquePointer?, OpaquePointer?, OpaquePointer?, gpointer?
        ) -> gboolean
        let menu: Menu = { _, _, _, data in
            // No context menu (reload, inspect, open link) unless debugging.
            guard let data else { return 1 }
            return Unmanaged<NavigationPolicy>.fromOpaque(data).takeUnretainedValue()
                .devtools ? 0 : 1
        }
        phidesk_signal_connect(view, "context-menu", unsafeBitCast(menu, to: GCallback.self),
                               data)
    }

    /// True when handled (decided here), false to let WebKit apply its default.
    func decide(
        _ decision: UnsafeMutablePointer<WebKitPolicyDecision>, type: WebKitPolicyDecisionType
    ) -> Bool {
        switch type {
        case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
            let uri = phidesk_decision_target_uri(decision).map { String(cString: $0) } ?? ""
            if Self.isAppURI(uri) {
                webkit_policy_decision_use(decision)
            } else {
                webkit_policy_decision_ignore(decision)
                refused(reason: "renderer-navigation-blocked")
            }
            return true
        case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
            // No second window ever; external links go through `link.open`.
            webkit_policy_decision_ignore(decision)
            refused(reason: "renderer-window-refused")
            return true
        default:
            return false
        }
    }

    func refused(reason: String) {
        switch reason {
        case "renderer-navigation-blocked": blockedNavigations += 1
        case "renderer-permission-denied": deniedPermissions += 1
        default: refusedWindows += 1
        }
        broker.rejections.record(reasonCode: reason)
    }
}
