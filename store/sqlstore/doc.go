// Package sqlstore implements the store module's contracts (store.Dedup,
// store.Runner, store.Keys, store.Lists) on a SQL database through
// database/sql, for PostgreSQL, MySQL/MariaDB and SQLite. It imports no
// driver: the host opens the database with the one it already uses
// (github.com/jackc/pgx/v5/stdlib, github.com/go-sql-driver/mysql or
// modernc.org/sqlite) and names its Dialect. A host that needs none of
// this downloads no driver: the SDK's provider modules depend only on the
// store module's contracts.
//
// # Usage
//
//	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL"))
//	...
//	if err := sqlstore.Migrate(ctx, db, sqlstore.Postgres); err != nil { ... }
//	dedup, err := sqlstore.NewTxDedup(db, sqlstore.Postgres)
//	...
//	h, err := levy.NewNotificationHandler(v, func(ctx context.Context, n *levy.Notification) error {
//		tx, ok := sqlstore.Tx(ctx) // the transaction the done record commits in
//		if !ok {
//			return errors.New("not run by a sqlstore.TxDedup")
//		}
//		return applyNotice(ctx, tx, n) // the host's writes, through tx
//	}, levy.WithDedupStore(dedup))
//
// # Two modes
//
// [Dedup] runs the claim protocol of store.Dedup (Acquire, then Complete
// or Release): at-least-once handling, with duplicates suppressed while
// the lease and the retention hold. The host's writes are its own: a crash
// after they committed and before Complete lets the notification be
// handled again once the lease runs out, and a handler slower than the
// lease lets a duplicate run beside it.
//
// [TxDedup] is a Dedup that also implements store.Runner, and a handler
// given one uses it: the host's function runs inside a transaction whose
// first statement records the key as done, and takes that transaction
// from its context with [Tx]. The host's writes and the done record commit
// together or not at all, so a crash at any point neither loses nor
// doubles a notification: exactly once for what the function writes
// through the transaction. Duplicates wait on the done row's unique key
// rather than on a lease. The host chooses it by constructing it; nothing
// switches it on behind the host's back, because it asks something of the
// host's function (write through the transaction, never commit it).
//
// # Schema
//
// [Migrate] creates three tables, named with the prefix of
// [WithTablePrefix] ("bizapi_" by default): <prefix>dedup, <prefix>keys and
// <prefix>lists. The same statements are in the module's
// schema/postgres.sql, schema/mysql.sql and schema/sqlite.sql, and
// [Schema] returns them for a host that runs migrations with its own tool.
// Times are stored as milliseconds since the Unix epoch from the host's
// clock ([WithClock]), so leases work below a second; keep a fleet's
// clocks synchronised.
//
// # Sweeping
//
// Lapsed claims and done keys past the retention are ignored at once and
// deleted by Sweep, in batches the host bounds, so a sweep never holds many
// locks; [RunSweeper] runs the sweeps on a timer in a goroutine the host
// starts. Lists past their retention are swept the same way. Keys never
// expire.
//
// # Monitoring
//
// [Dedup.InFlight] reports the claims held now and the lapsed claims
// (leases that ran out before Complete or Release: a handler that died or
// outlived the lease). Watch both; in the transactional mode, watch the
// database's lock waits and long transactions instead.
//
// # SQLite
//
// SQLite is the embedded default that needs no server, for one machine.
// Open the file with a busy timeout and immediate transactions
// (modernc.org/sqlite: "file:app.db?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate"):
// every write, and every TxDedup handler, takes the database's write lock
// in turn.
package sqlstore
