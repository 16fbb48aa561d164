import CDesktopShims
import CGTKWebKit
import Foundation

/// The `app://phidesk/…` scheme: bundled UI files and the IPC endpoint, nothing else.
public final class AppScheme {
    public static let scheme = "app"
    public static let base = "app://phidesk/"
    public static let ipcURI = "app://phidesk/ipc"
    /// Every HTML response carries this policy. `connect-src` names the IPC endpoint
    /// exactly; WebKit matches custom-scheme sources by scheme, host and path like http.
    public static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src app://phidesk/ipc; object-src 'none'; base-uri 'none'; "
        + "form-action 'none'; frame-ancestors 'none'"

    let root: String
    let router: IPCRouter
    /// Our one web view, to recognise requests from it (set once the view exists).
    var webView: UnsafeMutablePointer<WebKitWebView>?
    /// The attack suite's view of what was served (nil outside the suite: no logging).
    var servedLog: [(uri: String, status: Int32, csp: Bool)]?

    public init(root: String, router: IPCRouter) {
        self.root = root
        self.router = router
    }

    /// Registers the scheme on `context` as secure and CORS-enabled (so fetch works).
    func register(on context: OpaquePointer) {
        let data = Unmanaged.passUnretained(self).toOpaque()
        webkit_web_context_register_uri_scheme(context, Self.scheme, { request, data in
            guard let request, let data else { return }
            Unmanaged<AppScheme>.fromOpaque(data).takeUnretainedValue().serve(request)
        }, data, nil)
        let security = webkit_web_context_get_security_manager(context)
        webkit_security_manager_register_uri_scheme_as_secure(security, Self.scheme)
        webkit_security_manager_register_uri_scheme_as_cors_enabled(security, Self.scheme)
    }

    func serve(_ request: OpaquePointer) {
        let uri = webkit_uri_scheme_request_get_uri(request).map { String(cString: $0) } ?? ""
        guard let path = Self.encodedPath(of: uri) else {
            return respond(request, status: 404, type: "text/plain", body: [])
        }
        if path == "/ipc" {
            return respond(request, status: 200, type: "application/json",
                           body: router.handle(sender: sender(of: request),
                                               body: body(of: request)))
        }
        guard let segments = PathCanonicaliser.segments(ofEncodedPath: path),
            let file = PathCanonicaliser.resolve(segments, under: root),
            let type = PathCanonicaliser.mimeType(of: file),
            let bytes = FileManager.default.contents(atPath: file)
        else {
            return respond(request, status: 404, type: "text/plain", body: [])
        }
        respond(request, status: 200, type: type, body: Array(bytes))
    }

    /// The encoded path of an `app://phidesk/…` URI (query and fragment dropped).
    static func encodedPath(of uri: String) -> String? {
        guard uri.hasPrefix(base) else { return nil }
        var rest = uri.dropFirst(base.count - 1)
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<cut]
        }
        return String(rest)
    }

    func sender(of request: OpaquePointer) -> IPCSender {
        let view = webkit_uri_scheme_request_get_web_view(request)
        let headers = webkit_uri_scheme_request_get_http_headers(request)
        let origin = headers.flatMap { soup_message_headers_get_one($0, "Origin") }
        let contentType = headers.flatMap { soup_message_headers_get_one($0, "Content-Type") }
        let method = webkit_uri_scheme_request_get_http_method(request)
        let viewURI = view.flatMap { webkit_web_view_get_uri($0) }
        return IPCSender(
            isOurView: view != nil && view == webView,
            method: method.map { String(cString: $0) },
            origin: origin.map { String(cString: $0) },
            contentType: contentType.map { String(cString: $0) },
            viewURI: viewURI.map { String(cString: $0) })
    }

    /// The request body, read synchronously (WebKit hands it over in memory), or nil when
    /// larger than the IPC cap.
    func body(of request: OpaquePointer) -> [UInt8]? {
        guard let stream = webkit_uri_scheme_request_get_http_body(request) else { return [] }
        defer { g_object_unref(stream) }
        let cap = IPCCommand.maximumBodyBytes
        var buffer = [UInt8](repeating: 0, count: cap + 1)
        var read: gsize = 0
        let ok = buffer.withUnsafeMutableBytes {
            g_input_stream_read_all(stream, $0.baseAddress, gsize(cap + 1), &read, nil, nil)
        }
        guard ok != 0, Int(read) <= cap else { return nil }
        return Array(buffer[..<Int(read)])
    }

    func respond(_ request: OpaquePointer, status: Int32, type: String, body: [UInt8]) {
        if servedLog != nil {
            let uri = webkit_uri_scheme_request_get_uri(request).map { String(cString: $0) }
            servedLog?.append((uri ?? "", status, type.hasPrefix("text/html")))
        }
        let bytes = body.withUnsafeBytes { g_bytes_new($0.baseAddress, gsize($0.count)) }
        let stream = g_memory_input_stream_new_from_bytes(bytes)
        g_bytes_unref(bytes)
        let response = webkit_uri_scheme_response_new(stream, gint64(body.count))
        g_object_unref(stream)
        webkit_uri_scheme_response_set_status(response, guint(status), nil)
        webkit_uri_scheme_response_set_content_type(response, type)
        let headers = soup_message_headers_new(SOUP_MESSAGE_HEADERS_RESPONSE)
        // set_http_headers replaces the whole header map, so Content-Type must be in it:
        // with `nosniff`, WebKit applies a stylesheet only if the Content-Type *header*
        // says text/css (the MIME type set above is not enough). Without this line
        // app.css was served 200 but became an empty sheet (check `stylesheet-applied`).
        soup_message_headers_append(headers, "Content-Type", type)
        soup_message_headers_append(headers, "X-Content-Type-Options", "nosniff")
        soup_message_headers_append(headers, "Cache-Control", "no-store")
        soup_message_headers_append(headers, "Referrer-Policy", "no-referrer")
        if type.hasPrefix("text/html") {
            soup_message_headers_append(headers, "Content-Security-Policy",
                                        Self.contentSecurityPolicy)
        }
        // Takes ownership of the headers.
        webkit_uri_scheme_response_set_http_headers(response, headers)
        webkit_uri_scheme_request_finish_with_response(request, response)
        unref(response)
    }
}
