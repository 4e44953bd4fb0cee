import Foundation

// A CGI answer through Foundation, so that Foundation is linked and initialised as it is in
// movieclassifier-fcgi.
FileHandle.standardOutput.write(Data("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n".utf8))
