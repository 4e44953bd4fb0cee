/// The headers of every page: HTML in UTF-8, a Content-Security-Policy that allows the
/// stylesheet and forms to this site and nothing else (no script at all), no sniffing, no
/// referrer.
enum PageHeaders {
    /// Pages with a visitor's text, and errors: never stored by a cache.
    static let `private` = make(cacheControl: "no-store")
    /// The empty form: may be cached, but checked with the server first.
    static let revalidated = make(cacheControl: "no-cache")

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    private static func make(cacheControl: String) -> [(name: String, value: String)] {
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", cacheControl),
            ("Content-Security-Policy", contentSecurityPolicy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ]
    }
}
