package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

// A receiver in the transactional mode on SQLite: the host's write and the
// done record commit together, a failed attempt leaves neither, and a
// redelivery of a handled notification does not run the function again.
func ExampleNewTxDedup() {
	dir, _ := os.MkdirTemp("", "sqlstore-example")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	ctx := context.Background()
	if err := sqlstore.Migrate(ctx, db, sqlstore.SQLite); err != nil {
		fmt.Println(err)
		return
	}
	_, _ = db.ExecContext(ctx, "CREATE TABLE payments (order_id TEXT PRIMARY KEY)")
	dedup, err := sqlstore.NewTxDedup(db, sqlstore.SQLite)
	if err != nil {
		fmt.Println(err)
		return
	}

	handle := func(fail bool) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			tx, _ := sqlstore.Tx(ctx)
			if _, err := tx.ExecContext(ctx, "INSERT INTO payments (order_id) VALUES (?)", "o-1"); err != nil {
				return err
			}
			if fail {
				return errors.New("downstream unavailable")
			}
			return nil
		}
	}
	for _, fail := range []bool{true, false, false} { // a failure, its redelivery, a duplicate
		ran, err := dedup.RunOnce(ctx, "levy:notice:o-1", handle(fail))
		var n int
		_ = db.QueryRowContext(ctx, "SELECT COUNT(*) FROM payments").Scan(&n)
		fmt.Printf("ran=%v err=%v payments=%d\n", ran, err, n)
	}
	// Output:
	// ran=false err=downstream unavailable payments=0
	// ran=true err=<nil> payments=1
	// ran=false err=<nil> payments=1
}
