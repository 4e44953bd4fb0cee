import FeedbackStore
import Glibc
import LiveModel
import SentimentModel
import Support
import WebApp

extension LiveClassifier: SentimentService {}
