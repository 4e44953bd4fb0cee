import Foundation
import Glibc
import TestSupport
import XCTest

enum StackError: Error {
    case setup(String)
}
