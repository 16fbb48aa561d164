import CDesktopShims
import CGTKWebKit
import Foundation

/// Asks the user before opening an allowlisted external link in their default browser.
final class DialogLinkOpener: LinkOpener {
    /// The parent window for the dialog (set once the window exists).
    var window: UnsafeMutablePointer<GtkWindow>?
    /// URIs waiting for the user's answer, by dialog.
    private var pending: [OpaquePointer: String] = [:]

    func open(_ url: String) -> String {
        // One question at a time: a page asking in a loop gets "busy", not a pile of
        // modal dialogs.
        guard pending.isEmpty else { return "busy" }
        guard let dialogWidget = phidesk_confirm_dialog_new(
            window, "Open this page in your web browser?\n\n\(url)")
        else { return "unavailable" }
        let dialog = OpaquePointer(dialogWidget)
        pending[dialog] = url
        typealias Response = @convention(c) (OpaquePointer?, gint, gpointer?) -> Void
        let response: Response = { dialog, answer, data in
            guard let dialog, let data else { return }
            let opener = Unmanaged<DialogLinkOpener>.fromOpaque(data).takeUnretainedValue()
            opener.answered(dialog, accepted: answer == GTK_RESPONSE_OK.rawValue)
        }
        phidesk_signal_connect(dialogWidget, "response",
                               unsafeBitCast(response, to: GCallback.self),
                               Unmanaged.passUnretained(self).toOpaque())
        gtk_widget_show(dialogWidget)
        return "confirming"
    }

    private func answered(_ dialog: OpaquePointer, accepted: Bool) {
        let url = pending.removeValue(forKey: dialog)
        gtk_window_destroy(phidesk_as_window(UnsafeMutableRawPointer(dialog)))
        guard accepted, let url, IPCCommand.isAllowedLink(url) else { return }
        if g_app_info_launch_default_for_uri(url, nil, nil) == 0 {
            FileHandle.standardError.write(
                Data("phidesk-desktop: no browser to open the link\n".utf8))
        }
    }
}

/// For the attack suite: reports what would happen, opens nothing.
final class RecordingLinkOpener: LinkOpener {
    private(set) var requested: [String] = []

    func open(_ url: String) -> String {
        requested.append(url)
        return "would-open-after-confirmation"
    }
}
