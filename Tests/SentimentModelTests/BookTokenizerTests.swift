import SentimentModel
import XCTest

/// Tokens written out by hand, each checked once against scikit-learn 1.9.1's analyzer for
/// `HashingVectorizer(tokenizer=<the book's tokenizer>)`.
final class BookTokenizerTests: XCTestCase {
    let tokenizer = BookTokenizer()

    func testTagsAreRemovedAndGlueTheWordsAroundThem() {
        XCTAssertEqual(tokenizer.tokens(in: "<br /><br />This movie was <b>great</b>!<br />"), ["movie", "great"])
        XCTAssertEqual(tokenizer.tokens(in: "no<br/>space and a <tag"), ["nospace", "tag"])
        XCTAssertEqual(tokenizer.tokens(in: "a<b>c 1<2 and 3>2"), ["ac", "12"])
        XCTAssertEqual(tokenizer.tokens(in: "5 < 6 > 4 :-)"), ["5", "4", ":)"])
    }

    func testUnclosedTagKeepsTheRestOfTheText() {
        XCTAssertEqual(tokenizer.tokens(in: "<p>unclosed tag <b bold and a > stray bracket"), ["unclosed", "tag", "stray", "bracket"])
        XCTAssertEqual(tokenizer.tokens(in: "<<<< wow <<"), ["wow"])
    }

    func testEmoticonsAreAppendedWithoutTheirNose() {
        XCTAssertEqual(tokenizer.tokens(in: "I loved it :) :-) ;) ;-) =) =-)"), ["loved", ":)", ":)", ";)", ";)", "=)", "=)"])
        XCTAssertEqual(tokenizer.tokens(in: "Terrible :( :-( ;( ;-( =( =-("), ["terrible", ":(", ":(", ";(", ";(", "=(", "=("])
        XCTAssertEqual(tokenizer.tokens(in: "great:)movie bad:(film <i>:-)</i>"), ["great", "movie", "bad", "film", ":)", ":(", ":)"])
    }

    func testUppercaseEmoticonsNeverMatchBecauseTheTextIsLowercasedFirst() {
        XCTAssertEqual(tokenizer.tokens(in: ":D :-D :P :-P =D =P ;D ;P =-P"), ["p", "p", "p", "p", "p"])
        XCTAssertEqual(tokenizer.tokens(in: ":d :p =d ;p"), ["p", "p"])
    }

    func testFirstEmoticonGluesOntoTheLastWordWhenTheTextEndsInAWordCharacter() {
        XCTAssertEqual(tokenizer.tokens(in: "Great movie :) really"), ["great", "movie", "really:)"])
        XCTAssertEqual(tokenizer.tokens(in: "Great movie really :)"), ["great", "movie", "really", ":)"])
        XCTAssertEqual(tokenizer.tokens(in: "The movie:) was"), ["movie", "was:)"], "a glued stop word is no longer a stop word")
    }

    func testUnicodeLettersAndDigitsFollowPythonsWordClassAndLowercasing() {
        XCTAssertEqual(tokenizer.tokens(in: "İstanbul ΣΑΣ ΟΔΟΣ. x_y 3²½ naïve"), ["stanbul", "σας", "οδος", "x_y", "3²½", "naïve"])
        XCTAssertEqual(tokenizer.tokens(in: "cafe\u{301} crème brûlée"), ["cafe", "crème", "brûlée"], "combining marks are not word characters")
        XCTAssertEqual(tokenizer.tokens(in: "Straße KELVIN \u{212A}"), ["straße", "kelvin", "k"])
        XCTAssertEqual(tokenizer.tokens(in: "日本語の映画 is GREAT"), ["日本語の映画", "great"])
        XCTAssertEqual(tokenizer.tokens(in: "ÀÉÎ ǅ ﬁne"), ["àéî", "ǆ", "ﬁne"])
        XCTAssertEqual(tokenizer.tokens(in: "Ⅻ ① ٣ ½"), ["ⅻ", "①", "٣", "½"])
    }

    func testUnderscoresAndDigitsAreWordCharacters() {
        XCTAssertEqual(tokenizer.tokens(in: "snake_case and __init__ 2001: A Space"), ["snake_case", "__init__", "2001", "space"])
    }

    func testStopWordsAreDropped() {
        XCTAssertEqual(tokenizer.tokens(in: "the and of a is was were to it this that"), [])
        XCTAssertEqual(tokenizer.tokens(in: "It is NOT what I expected"), ["expected"])
    }

    func testEmptyAndBlankTextsHaveNoTokens() {
        XCTAssertEqual(tokenizer.tokens(in: ""), [])
        XCTAssertEqual(tokenizer.tokens(in: "   \t  \r\n  "), [])
        XCTAssertEqual(tokenizer.tokens(in: "!!! ??? ... ,,, ;;; --- ***"), [])
    }

    func testEveryTokenComesWithItsMurmurHash() {
        tokenizer.forEachToken(in: "Wonderful acting, dreadful plot :)") { bytes, hash in
            XCTAssertEqual(hash, MurmurHash3.hash32(bytes))
        }
    }

    func testTheBundledStopWordListIsTheBooks() {
        let words = StopWords.english.words
        XCTAssertEqual(words.count, 179)
        XCTAssertEqual(words.first, "i")
        XCTAssertEqual(words.last, "wouldn't")
        XCTAssertEqual(Set(words).count, 179)
    }
}

extension BookTokenizerTests {
    func testParenthesesWithoutEyesAreNotEmoticons() {
        XCTAssertEqual(tokenizer.tokens(in: "a film (1961) by him)"), ["film", "1961"])
        XCTAssertEqual(tokenizer.tokens(in: "wow :-x) ok"), ["wow", "x", "ok"])
    }
}

extension BookTokenizerTests {
    func testStopWordLookupFindsEveryWordOfTheListAndNothingElse() {
        let english = StopWords.english
        for word in english.words { XCTAssertTrue(english.contains(word), word) }
        for word in ["movie", "th", "thee", "theme", "themselves2", "", "I", "wouldnt"] {
            XCTAssertFalse(english.contains(word), word)
        }
        let custom = StopWords(["a", "sixteen-bytes-ok", "seventeen-bytes-x", "supercalifragilistic"])
        for word in custom.words { XCTAssertTrue(custom.contains(word), word) }
        XCTAssertFalse(custom.contains("seventeen-bytes-y"))
        XCTAssertEqual(BookTokenizer(stopWords: custom).tokens(in: "A supercalifragilistic film"), ["film"])
    }
}
