import CDesktopShims
import CGTKWebKit

/// Runs async JavaScript in a page and hands back its string result, through plain GLib
/// callbacks (no Swift concurrency: the GLib loop never drains the main actor's queue).
enum JavaScriptRunner {
    /// Holds the completion until WebKit calls back (a retained box crosses the C API).
    private final class Box {
        let done: (String?, String?) -> Void
        init(_ done: @escaping (String?, String?) -> Void) { self.done = done }
    }

    /// Evaluates `body` as the body of an async function in the page's main world;
    /// `done(result, error)` gets the returned value as a string.
    static func run(
        _ body: String, in view: UnsafeMutablePointer<WebKitWebView>,
        done: @escaping (String?, String?) -> Void
    ) {
        let box = Unmanaged.passRetained(Box(done)).toOpaque()
        webkit_web_view_call_async_javascript_function(
            view, body, -1, nil, nil, nil, nil, { source, result, data in
                guard let data else { return }
                let box = Unmanaged<Box>.fromOpaque(data).takeRetainedValue()
                var error: UnsafeMutablePointer<GError>?
                let view = phidesk_as_web_view(UnsafeMutableRawPointer(source))
                let value = webkit_web_view_call_async_javascript_function_finish(
                    view, result, &error)
                if let error {
                    let message = error.pointee.message.map { String(cString: $0) } ?? "error"
                    g_error_free(error)
                    box.done(nil, message)
                    return
                }
                guard let value else { return box.done(nil, "no value") }
                let text = jsc_value_to_string(value).map { pointer -> String in
                    defer { g_free(pointer) }
                    return String(cString: pointer)
                }
                g_object_unref(UnsafeMutableRawPointer(value))
                box.done(text, nil)
            }, box)
    }

    /// Saves what the view shows (or, with `wholePage`, the whole page) as a PNG.
    static func snapshot(
        _ view: UnsafeMutablePointer<WebKitWebView>, to path: String, wholePage: Bool = false,
        done: @escaping (String?, String?) -> Void
    ) {
        let box = Unmanaged.passRetained(Box(done)).toOpaque()
        SnapshotPaths.pending[box] = path
        webkit_web_view_get_snapshot(
            view, wholePage ? WEBKIT_SNAPSHOT_REGION_FULL_DOCUMENT : WEBKIT_SNAPSHOT_REGION_VISIBLE,
            WEBKIT_SNAPSHOT_OPTIONS_NONE, nil,
            { source, result, data in
                guard let data else { return }
                let box = Unmanaged<Box>.fromOpaque(data).takeRetainedValue()
                let path = SnapshotPaths.pending.removeValue(forKey: data) ?? "/dev/null"
                let view = phidesk_as_web_view(UnsafeMutableRawPointer(source))
                var error: UnsafeMutablePointer<GError>?
                guard let texture = webkit_web_view_get_snapshot_finish(view, result, &error)
                else {
                    if let error { g_error_free(error) }
                    return box.done(nil, "snapshot failed")
                }
                let saved = gdk_texture_save_to_png(texture, path) != 0
                g_object_unref(UnsafeMutableRawPointer(texture))
                box.done(saved ? path : nil, saved ? nil : "png write failed")
            }, box)
    }
}

/// Snapshot target paths by callback box (main thread only).
enum SnapshotPaths {
    nonisolated(unsafe) static var pending: [UnsafeMutableRawPointer: String] = [:]
}
