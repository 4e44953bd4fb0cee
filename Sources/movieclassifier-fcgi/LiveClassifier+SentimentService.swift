import FeedbackStore
import LiveModel
import WebApp

extension LiveClassifier: SentimentService {}
