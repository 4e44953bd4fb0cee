import ArgumentParser
import FeedbackStore
import LiveModel
import ModelUpdate
import SentimentModel

enum CSV {
    /// A field as pandas' `to_csv` (QUOTE_MINIMAL) writes it: in quotes, with quotes doubled,
    /// when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        guard
            text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        else {
            return text
        }
        var quoted = "\""
        for character in text.unicodeScalars {
            if character == "\"" { quoted += "\"" }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "\""
    }
}
