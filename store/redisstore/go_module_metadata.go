package redisstore

// Version is this module's release; it moves with the tag store/redisstore/vX.Y.Z.
const Version = "0.1.0"
