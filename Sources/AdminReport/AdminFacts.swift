import FeedbackStore

/// Everything the admin page shows, already computed: the renderer only lays it out, so a
/// test can check the numbers apart from the HTML, and the server and the `report` command
/// show the same page from the same facts.
public struct AdminFacts: Sendable, Equatable {
    /// The model file and the live model built from it.
    public struct ModelCard: Sendable, Equatable {
        public var path: String
        /// The file's size, its CRC-32 (its trailer, 8 hex digits) and the last feedback row
        /// folded into it; nil when the file now at the path does not load (`problem` says why).
        public var sizeBytes: Int64?
        public var digest: String?
        public var fileWatermark: Int64?
        /// `ModelVariant`'s name: `book` or `ngram`.
        public var variant: String
        /// Labelled reviews and epochs the live model's file was trained on, where it records them.
        public var trainingRows: UInt64?
        public var epochs: UInt32?
        /// The last feedback row the live model has applied: the feedback it learned.
        public var liveWatermark: Int64
        /// The version the API reports (`LiveClassifier.modelVersion`).
        public var modelVersion: String
        /// Why the file now at the path is not the one the live model uses, if it is not.
        public var problem: String?

        public init(
            path: String, sizeBytes: Int64?, digest: String?, fileWatermark: Int64?, variant: String, trainingRows: UInt64?, epochs: UInt32?,
            liveWatermark: Int64, modelVersion: String, problem: String?
        ) {
            self.path = path
            self.sizeBytes = sizeBytes
            self.digest = digest
            self.fileWatermark = fileWatermark
            self.variant = variant
            self.trainingRows = trainingRows
            self.epochs = epochs
            self.liveWatermark = liveWatermark
            self.modelVersion = modelVersion
            self.problem = problem
        }
    }

    /// A previous model file kept by `update` and `rollback`.
    public struct Backup: Sendable, Equatable {
        public var path: String
        /// Its watermark, nil when it does not load (then `problem` says why).
        public var watermark: Int64?
        public var problem: String?

        public init(path: String, watermark: Int64?, problem: String?) {
            self.path = path
            self.watermark = watermark
            self.problem = problem
        }
    }

    /// Terms that share a slot of the model, and so its weight.
    public struct Word: Sendable, Equatable {
        /// The distinct names seen in the feedback, most frequent first, at most a few.
        public var names: [String]
        /// How many times its terms occur in the texts read.
        public var occurrences: Int
        /// Its weight in the live model and in the model file (per unit of its value).
        public var liveWeight: Double
        public var fileWeight: Double

        public init(names: [String], occurrences: Int, liveWeight: Double, fileWeight: Double) {
            self.names = names
            self.occurrences = occurrences
            self.liveWeight = liveWeight
            self.fileWeight = fileWeight
        }

        /// How far learning the feedback moved it since the model file.
        public var change: Double { liveWeight - fileWeight }
    }

    public var model: ModelCard
    /// The model files `update` and `rollback` kept beside the model, newest first (one host).
    public var backups: [Backup]
    /// With a log that several hosts share (PostgreSQL), the model's versions in it, newest
    /// first: the newest is the one every host serves, the earlier ones are the backups (and
    /// `backups` is empty). Nil on one host.
    public var sharedVersions: [ModelVersion]?
    public var statistics: FeedbackStatistics
    /// The busiest clients first.
    public var clients: [ClientSummary]
    /// The live model's strongest words towards each side, strongest first.
    public var strongestPositive: [Word]
    public var strongestNegative: [Word]
    /// The words whose weight learning the feedback moved most, most first.
    public var movers: [Word]
    /// How many of the newest feedback texts the words were recovered from.
    public var textsRead: Int
    /// When the facts were gathered, `YYYY-MM-DD HH:MM:SS` UTC, as the log's dates.
    public var generated: String

    public init(
        model: ModelCard, backups: [Backup], statistics: FeedbackStatistics, clients: [ClientSummary], strongestPositive: [Word],
        strongestNegative: [Word], movers: [Word], textsRead: Int, generated: String, sharedVersions: [ModelVersion]? = nil
    ) {
        self.model = model
        self.backups = backups
        self.sharedVersions = sharedVersions
        self.statistics = statistics
        self.clients = clients
        self.strongestPositive = strongestPositive
        self.strongestNegative = strongestNegative
        self.movers = movers
        self.textsRead = textsRead
        self.generated = generated
    }
}
