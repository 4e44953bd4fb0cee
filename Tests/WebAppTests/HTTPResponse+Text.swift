@testable import WebApp

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
