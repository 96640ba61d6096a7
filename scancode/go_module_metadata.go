package scancode

// Version is this module's release; it moves with the tag scancode/vX.Y.Z.
const Version = "0.1.0"
