import Foundation
import SoeEngine

extension FileDescriptorSource {
    /// Reads the handle's descriptor and keeps the handle alive, so that the descriptor is not
    /// closed under the reader. Here, not in the engine, which links no Foundation.
    public init(fileHandle: FileHandle) {
        self.init(fd: fileHandle.fileDescriptor, keepingAlive: fileHandle)
    }
}
