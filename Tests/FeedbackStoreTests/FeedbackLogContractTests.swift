import FeedbackLogContract
import FeedbackStore
import TestSupport
import XCTest

/// Every promise of `FeedbackLog` (`FeedbackLogContract`), kept by the SQLite store: the same
/// checks `PostgreSQLFeedbackLogContractTests` runs on PostgreSQL.
final class FeedbackLogContractTests: ScratchFolderTestCase {
    // Each check is named here, as in PostgreSQLFeedbackLogContractTests: XCTest on Linux runs only the test methods a
    // class declares itself, not those it inherits, so a shared base class would run none.
    var contract: FeedbackLogContract {
        FeedbackLogContract { [unowned self] in try FeedbackStore(path: folder.path("feedback.sqlite")) }
    }

    func testInsertedRowsComeBackInIdOrderWithTheirFields() throws { try contract.checkInsertedRowsComeBackInIdOrderWithTheirFields() }

    func testRowsAreReadInBatchesAfterAnIdAndThroughAnId() throws { try contract.checkRowsAreReadInBatchesAfterAnIdAndThroughAnId() }
    func testTheNewsAreTheGenerationAndTheRowsAfterAnId() throws { try contract.checkTheNewsAreTheGenerationAndTheRowsAfterAnId() }

    func testRejectingAndAcceptingMoveTheGenerationOnlyWhenARowChanges() throws {
        try contract.checkRejectingAndAcceptingMoveTheGenerationOnlyWhenARowChanges()
    }

    func testAnotherLogsInsertAndDecisionAreReportedOnce() throws { try contract.checkAnotherLogsInsertAndDecisionAreReportedOnce() }

    func testAClientsRepeatOfATextOrANearVariantWithTheSameLabelIsARepeatButAnotherLabelCounts() throws {
        try contract.checkAClientsRepeatOfATextOrANearVariantWithTheSameLabelIsARepeatButAnotherLabelCounts()
    }

    func testPastItsBudgetAClientsRowsAreHeldAndPastItsLimitRefused() throws {
        try contract.checkPastItsBudgetAClientsRowsAreHeldAndPastItsLimitRefused()
    }

    func testCorrectingAConfidentVerdictNeedsAgreementFromDistinctClients() throws {
        try contract.checkCorrectingAConfidentVerdictNeedsAgreementFromDistinctClients()
    }

    func testAgreementCountsTheClientsOfEveryWriter() throws { try contract.checkAgreementCountsTheClientsOfEveryWriter() }

    func testRejectedRowsDoNotCountTowardsAgreement() throws { try contract.checkRejectedRowsDoNotCountTowardsAgreement() }

    func testAcceptingAHeldRowMakesItCountAndMovesTheGeneration() throws { try contract.checkAcceptingAHeldRowMakesItCountAndMovesTheGeneration() }

    func testTheBusiestClientsAreSummedUpWithTheirCountedAndHeldRows() throws {
        try contract.checkTheBusiestClientsAreSummedUpWithTheirCountedAndHeldRows()
    }

    func testWithTheRulesOffEveryRowCounts() throws { try contract.checkWithTheRulesOffEveryRowCounts() }
}
