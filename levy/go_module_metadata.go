package levy

// Version is this module's release; it moves with the tag levy/vX.Y.Z and
// is sent in the User-Agent.
const Version = "0.1.0"
