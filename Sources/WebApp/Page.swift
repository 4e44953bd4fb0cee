import Glibc
import Mustache
import SentimentModel
import Support

/// The pages the application renders, each from `<name>.mustache`.
enum Page: String, CaseIterable {
    case form, results, thanks, error
}
