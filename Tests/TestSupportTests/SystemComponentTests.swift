import Foundation
import TestSupport
import XCTest

final class SystemComponentTests: XCTestCase {
    let missing = SystemComponent(program: "movieclassifier-no-such-program", package: "no-such-package")

    func testAMissingComponentSkipsNamingItsPackageUnlessTheTestCommandRequiresIt() throws {
        let required = ProcessInfo.processInfo.environment[SystemComponent.requireVariable] == "1"
        XCTAssertThrowsError(try SystemComponent.require(.nginx, missing)) { error in
            if required {
                XCTAssertTrue(error is SystemComponent.Missing, "\(error)")
            } else {
                XCTAssertTrue(error is XCTSkip, "\(error)")
            }
            XCTAssertTrue("\(error)".contains("no-such-package"), "\(error)")
            XCTAssertFalse("\(error)".contains("Debian package nginx"), "only the missing one is named: \(error)")
        }
    }

    func testAnInstalledComponentIsFoundInThePathOrTheSystemFolders() throws {
        let shell = try XCTUnwrap(SystemComponent(program: "sh", package: "dash").location)
        XCTAssertTrue(shell.hasSuffix("/sh") && access(shell, X_OK) == 0, shell)
        XCTAssertNil(missing.location)
        XCTAssertEqual(SystemComponent(program: "/bin/sh", package: "dash").location, "/bin/sh")
    }
}
