import CDesktopShims
import CGTKWebKit

/// Builds the one web view: private context with our scheme, ephemeral storage, and
/// settings that turn off everything the UI does not need.
enum WebViewFactory {
    /// Returns the view (a floating GtkWidget reference, owned by the window once added).
    static func make(scheme: AppScheme, devtools: Bool) -> UnsafeMutablePointer<GtkWidget> {
        // A private context, so the scheme and its security flags apply to our view only.
        let context = webkit_web_context_new()!
        // WebKitGTK 6.0 always runs web processes in the bubblewrap sandbox: the
        // webkit_web_context_set_sandbox_enabled() call of 4.x no longer exists (the test
        // `sandbox-active` checks the processes instead).
        webkit_web_context_set_cache_model(context, WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER)
        scheme.register(on: context)

        // Nothing persistent: cookies, cache, local storage and IndexedDB stay in memory.
        let session = webkit_network_session_new_ephemeral()!

        let settings = webkit_settings_new()!
        webkit_settings_set_enable_developer_extras(settings, devtools ? 1 : 0)
        webkit_settings_set_enable_webgl(settings, 0)
        webkit_settings_set_enable_media(settings, 0)
        webkit_settings_set_enable_media_stream(settings, 0)
        webkit_settings_set_enable_mediasource(settings, 0)
        webkit_settings_set_enable_encrypted_media(settings, 0)
        webkit_settings_set_enable_webrtc(settings, 0)
        webkit_settings_set_enable_webaudio(settings, 0)
        webkit_settings_set_javascript_can_open_windows_automatically(settings, 0)
        webkit_settings_set_enable_html5_local_storage(settings, 0)
        webkit_settings_set_enable_html5_database(settings, 0)
        webkit_settings_set_enable_page_cache(settings, 0)
        webkit_settings_set_enable_back_forward_navigation_gestures(settings, 0)
        webkit_settings_set_enable_dns_prefetching(settings, 0)

        let content = webkit_user_content_manager_new()!
        let view = phidesk_web_view_new(context, session, settings, content)!
        // The view holds its own references to these.
        unref(content)
        unref(settings)
        unref(session)
        unref(context)
        return view
    }
}

/// g_object_unref for the opaque pointers Swift imports final GObject types as.
func unref(_ object: OpaquePointer?) {
    if let object { g_object_unref(UnsafeMutableRawPointer(object)) }
}
