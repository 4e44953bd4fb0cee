import Foundation
import Glibc
import TestSupport

/// A W3C WebDriver session with Debian's headless Chromium, through chromedriver: just the
/// commands a visitor's journey needs (navigate, find, type, click, read, check shown, screenshot).
final class WebDriver {
    private let driver: pid_t
    private let base: URL
    private var session = ""

    enum Failure: Error, CustomStringConvertible {
        case command(String, String)
        var description: String {
            switch self {
            case .command(let what, let detail): return "WebDriver \(what) failed: \(detail)"
            }
        }
    }

    init(port: Int) throws {
        try SystemComponent.require(.chromium, .chromedriver)
        driver = try Stack.spawn("/usr/bin/chromedriver", ["--port=\(port)"], stderr: "/dev/null")
        base = URL(string: "http://127.0.0.1:\(port)")!
        try Stack.waitFor("chromedriver") { (try? self.call("GET", "/status")) != nil }
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": "/usr/bin/chromium",
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1100,900"],
                    ],
                    // The console, where Chromium reports errors and Content-Security-Policy violations.
                    "goog:loggingPrefs": ["browser": "ALL"],
                ]
            ]
        ]
        let created = try call("POST", "/session", capabilities)
        session = (created as? [String: Any])?["sessionId"] as? String ?? ""
    }

    func quit() {
        _ = try? call("DELETE", "/session/\(session)")
        kill(driver, SIGTERM)
        var status: Int32 = 0
        waitpid(driver, &status, 0)
    }

    func open(_ url: URL) throws {
        _ = try call("POST", "/session/\(session)/url", ["url": url.absoluteString])
    }

    /// The element the CSS selector finds first.
    func element(_ selector: String) throws -> String {
        let found = try call("POST", "/session/\(session)/element", ["using": "css selector", "value": selector])
        guard let element = (found as? [String: Any])?.values.first as? String else {
            throw Failure.command("find \(selector)", "\(String(describing: found))")
        }
        return element
    }

    func type(_ text: String, into selector: String) throws {
        _ = try call("POST", "/session/\(session)/element/\(try element(selector))/value", ["text": text])
    }

    func click(_ selector: String) throws {
        _ = try call("POST", "/session/\(session)/element/\(try element(selector))/click", [String: Any]())
    }

    func text(_ selector: String) throws -> String {
        try call("GET", "/session/\(session)/element/\(try element(selector))/text") as? String ?? ""
    }

    /// Whether the element `selector` finds first is shown (laid out, not hidden by CSS).
    func isDisplayed(_ selector: String) throws -> Bool {
        try call("GET", "/session/\(session)/element/\(try element(selector))/displayed") as? Bool ?? false
    }

    /// The texts of every element `selector` finds, in document order.
    func texts(_ selector: String) throws -> [String] {
        let found = try call("POST", "/session/\(session)/elements", ["using": "css selector", "value": selector])
        let elements = (found as? [[String: Any]] ?? []).compactMap { $0.values.first as? String }
        return try elements.map { try call("GET", "/session/\(session)/element/\($0)/text") as? String ?? "" }
    }

    var title: String {
        get throws { try call("GET", "/session/\(session)/title") as? String ?? "" }
    }

    /// The console's messages since the last call, as `LEVEL message` (`SEVERE` for errors and
    /// for what the Content-Security-Policy refused).
    func consoleMessages() throws -> [String] {
        let entries = try call("POST", "/session/\(session)/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
        return entries.map { "\($0["level"] as? String ?? "?") \($0["message"] as? String ?? "")" }
    }

    /// A PNG of the whole page, however long (Chromium's own command).
    func fullPageScreenshot() throws -> Data {
        let metrics = try call("POST", "/session/\(session)/goog/cdp/execute", ["cmd": "Page.getLayoutMetrics", "params": [:]]) as? [String: Any]
        let size = (metrics?["cssContentSize"] ?? metrics?["contentSize"]) as? [String: Any]
        let height = (size?["height"] as? Double) ?? 900
        _ = try call(
            "POST", "/session/\(session)/goog/cdp/execute",
            [
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": ["width": 1100, "height": Int(height.rounded(.up)), "deviceScaleFactor": 1, "mobile": false],
            ])
        defer { _ = try? call("POST", "/session/\(session)/goog/cdp/execute", ["cmd": "Emulation.clearDeviceMetricsOverride", "params": [:]]) }
        return try screenshot()
    }

    /// A PNG of the viewport.
    func screenshot() throws -> Data {
        guard let encoded = try call("GET", "/session/\(session)/screenshot") as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure.command("screenshot", "no image")
        }
        return data
    }

    private func call(_ method: String, _ path: String, _ body: Any? = nil) throws -> Any? {
        let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        let response = try HTTP.send(
            method: method, url: base.appendingPathComponent(path), contentType: body == nil ? nil : "application/json", body: payload)
        let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        let value = json?["value"]
        if response.status != 200 {
            throw Failure.command("\(method) \(path)", "\((value as? [String: Any])?["message"] ?? response.body)")
        }
        return value
    }
}
