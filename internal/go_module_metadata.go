package internal

// Version is the module's version, kept in step with its release tag
// (internal/vX.Y.Z).
const Version = "0.1.0"
