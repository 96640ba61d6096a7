package allinpay

// Version is this module's release; it moves with the tag allinpay/vX.Y.Z
// and is sent in the User-Agent.
const Version = "0.1.0"
