// Package store holds the contracts that a host's storage plugs into the
// SDK's callback handlers and clients, and in-memory implementations of
// them. It has no dependencies and names no type of any provider module, so
// one implementation (a host's Redis or SQL store) serves levy, allinpay,
// evidence and scancode alike.
//
// # Contracts
//
//   - [Dedup] records which notifications were handled, so that duplicate
//     and concurrent deliveries reach the host's function once: every
//     module's notification handler takes one (WithDedupStore).
//   - [Keys] holds small versioned values replaced by compare-and-swap:
//     evidence keeps the application's field key in one, so that every
//     process of an application uses the same key.
//   - [Lists] appends values under a key and lists them: scancode keeps the
//     callbacks of a QR code's tId in one, for the front end that polls.
//
// The conformance kit in package storetest runs the behaviour each handler
// relies on against any implementation; run it in the implementation's
// tests, as testing/fstest.TestFS is run against a file system.
//
// # Guarantees
//
// A handler built on a Dedup store gives at-least-once delivery with
// duplicates suppressed: a notification is claimed before the host's
// function runs, marked done only after it returned nil, and released after
// it failed, so the provider's redelivery runs it again. The guarantee ends
// where the store's own ends: a handler that runs longer than the lease lets
// a concurrent redelivery claim the key again, and a done key forgotten
// after the retention period is handled again if the provider still sends
// it. Exactly once together with the host's own writes needs the host's
// writes and the done record in one transaction (see the SQL store
// modules).
package store
