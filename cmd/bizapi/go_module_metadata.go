package main

// Version is the module's version, kept in step with its release tag
// (cmd/bizapi/vX.Y.Z).
const Version = "0.1.0"
