import CDesktopShims
import CGTKWebKit
import Foundation

/// Asks with a modal GTK dialog (OK / Cancel) on the app window.
final class DialogDeepLinkConfirmer: DeepLinkConfirmer {
    var window: UnsafeMutablePointer<GtkWindow>?
    private var pending: [OpaquePointer: (Bool) -> Void] = [:]

    func confirm(_ link: DeepLink, answer: @escaping (Bool) -> Void) {
        guard let widget = phidesk_confirm_dialog_new(window, link.confirmationText) else {
            return answer(false)
        }
        let dialog = OpaquePointer(widget)
        pending[dialog] = answer
        typealias Response = @convention(c) (OpaquePointer?, gint, gpointer?) -> Void
        let response: Response = { dialog, reply, data in
            guard let dialog, let data else { return }
            let confirmer = Unmanaged<DialogDeepLinkConfirmer>.fromOpaque(data)
                .takeUnretainedValue()
            confirmer.answered(dialog, accepted: reply == GTK_RESPONSE_OK.rawValue)
        }
        phidesk_signal_connect(widget, "response", unsafeBitCast(response, to: GCallback.self),
                               Unmanaged.passUnretained(self).toOpaque())
        gtk_widget_show(widget)
    }

    private func answered(_ dialog: OpaquePointer, accepted: Bool) {
        let answer = pending.removeValue(forKey: dialog)
        gtk_window_destroy(phidesk_as_window(UnsafeMutableRawPointer(dialog)))
        answer?(accepted)
    }
}

/// For the attack suite: answers as scripted and counts the questions.
final class ScriptedDeepLinkConfirmer: DeepLinkConfirmer {
    var nextAnswer = false
    private(set) var asked: [DeepLink] = []

    func confirm(_ link: DeepLink, answer: @escaping (Bool) -> Void) {
        asked.append(link)
        answer(nextAnswer)
    }
}

extension DesktopApp {
    /// Handles one `phidesk://` link from the command line (first launch, or forwarded by
    /// GApplication from a second launch). Order: grammar, then session, then the user's
    /// confirmation; only then does the page run the normal (audited) search or read.
    /// Returns what happened, for the attack suite and logs (never the link itself).
    @discardableResult
    func handleDeepLink(_ raw: String) -> String {
        let link: DeepLink
        switch DeepLink.parse(raw) {
        case .failure(let rejection):
            return reject(rejection)
        case .success(let parsed):
            link = parsed
        }
        // Signed out (or the session just expired): remember nothing, show sign-in.
        guard broker.enforceExpiry() else {
            return reject(.signedOut)
        }
        deepLinkConfirmer.confirm(link) { [weak self] accepted in
            guard let self else { return }
            // The session must still be open when the user answers.
            guard accepted, self.broker.enforceExpiry(),
                let view = self.webView
            else { return }
            let call: String
            switch link {
            case .patient(let id): call = "window.phideskDeepLink('patient', '\(id)')"
            case .search(let family): call = "window.phideskDeepLink('search', '\(family)')"
            }
            // Values are validated (hex or ASCII letters), so quoting them is safe.
            JavaScriptRunner.run("if (window.phideskDeepLink) \(call); return 'ok';", in: view) {
                _, _ in
            }
        }
        return "confirming"
    }

    private func reject(_ rejection: DeepLink.Rejection) -> String {
        broker.rejections.record(reasonCode: rejection.rawValue)
        print(stderr: "phidesk-desktop: link refused (\(rejection.rawValue))")
        if let window { gtk_window_present(phidesk_as_window(window)) }
        if rejection == .signedOut {
            // The page re-asks the broker and shows the sign-in (lock) screen.
            askPageToRecheckSession()
        }
        return rejection.rawValue
    }
}
