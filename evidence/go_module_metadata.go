package evidence

// Version is the module's version, kept in step with its release tag
// (evidence/vX.Y.Z). The default User-Agent carries it.
const Version = "0.1.0"
