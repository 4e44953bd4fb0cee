import ArgumentParser
import CFastCGI
import CWorkerSignals
import FeedbackStore
import Glibc
import PoolSupervision
import WebApp

/// Where a worker finds its model, database and pages.
struct WorkerSettings {
    let model: String
    let database: String
    let www: String
}
