import ModelTraining
import SentimentModel

/// Every test of `UpdateToolTests` again, on a model of the n-gram variant: the workers and
/// the update tool learn it alike, bit for bit, as they do the book's. (XCTest on Linux finds
/// only the tests a class declares itself, hence the overrides.)
final class NGramUpdateToolTests: UpdateToolTests {
    override var initialModel: SentimentClassifier { Self.ngramModel }

    static let ngramModel = NGramTrainer().train((0..<120).map(review(number:)))

    override func testUpdateLeavesACaughtUpWorkersPredictionsBitIdenticalAndSoDoesARestart() throws {
        try super.testUpdateLeavesACaughtUpWorkersPredictionsBitIdenticalAndSoDoesARestart()
    }
    override func testAnAdminSeesTheHeldRowsAndTheBusiestClientsAndAcceptsAClientsRowsWhichWorkersAndUpdateThenLearnAlike() throws {
        try super.testAnAdminSeesTheHeldRowsAndTheBusiestClientsAndAcceptsAClientsRowsWhichWorkersAndUpdateThenLearnAlike()
    }
    override func testRunningUpdateTwiceFoldsNothingTwice() throws { try super.testRunningUpdateTwiceFoldsNothingTwice() }
    override func testRowsStoredDuringAnUpdateAreFoldedByTheNextRunNoneLostNoneDoubled() throws {
        try super.testRowsStoredDuringAnUpdateAreFoldedByTheNextRunNoneLostNoneDoubled()
    }
    override func testKilledAtRandomPointsTheModelIsOldOrNewAndTheNextRunCompletes() throws {
        try super.testKilledAtRandomPointsTheModelIsOldOrNewAndTheNextRunCompletes()
    }
    override func testARejectionWhileTheUpdateRunsStopsItBeforeTheModelIsReplaced() throws {
        try super.testARejectionWhileTheUpdateRunsStopsItBeforeTheModelIsReplaced()
    }
    override func testRollbackThenReplayGivesBackTheSameLiveModel() throws { try super.testRollbackThenReplayGivesBackTheSameLiveModel() }
    override func testRejectThenRollbackTakesAFoldedRowOutOfTheLiveModel() throws {
        try super.testRejectThenRollbackTakesAFoldedRowOutOfTheLiveModel()
    }
    override func testDryRunChangesNothingAndCountsWhereTheModelWasWrong() throws {
        try super.testDryRunChangesNothingAndCountsWhereTheModelWasWrong()
    }
    override func testBackupsAreNamedByUTCTimeUniqueWithinASecondAndOnlyTheNewestKept() throws {
        try super.testBackupsAreNamedByUTCTimeUniqueWithinASecondAndOnlyTheNewestKept()
    }
    override func testTheBooksOwnDatabaseIsMigratedInPlaceAndFolded() throws { try super.testTheBooksOwnDatabaseIsMigratedInPlaceAndFolded() }
    override func testACorruptModelFileIsRefusedNamingItAndNothingIsWritten() throws {
        try super.testACorruptModelFileIsRefusedNamingItAndNothingIsWritten()
    }
    override func testAMissingDatabaseIsRefusedAndNotCreated() throws { try super.testAMissingDatabaseIsRefusedAndNotCreated() }
    override func testADatabaseFromANewerSchemaIsRefusedAndNothingIsWritten() throws {
        try super.testADatabaseFromANewerSchemaIsRefusedAndNothingIsWritten()
    }
    override func testRollbackRestoresAModelFileThatNoLongerLoads() throws { try super.testRollbackRestoresAModelFileThatNoLongerLoads() }
    override func testFeedbackListShowRejectAcceptAndExport() throws { try super.testFeedbackListShowRejectAcceptAndExport() }
    override func testTheExportReadsBackAsTheBooksCSV() throws { try super.testTheExportReadsBackAsTheBooksCSV() }
}
