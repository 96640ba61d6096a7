package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

// engine is one database the tests run on.
type engine struct {
	name    string
	dialect sqlstore.Dialect
	open    func(t testing.TB) *sql.DB
}

var engines = []engine{
	{"sqlite", sqlstore.SQLite, openSQLite},
	{"postgres", sqlstore.Postgres, openPostgres},
	{"mysql", sqlstore.MySQL, openMySQL},
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// unavailable skips the test, or fails it under CI=true, where a store
// test never skips.
func unavailable(t testing.TB, what, envName, addr string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s at %s does not answer (%v); under CI=true the store tests do not skip", what, addr, err)
	}
	skipped.Store(what, fmt.Sprintf("%s legs skipped: nothing answers at %s; start it, or set %s", what, addr, envName))
	t.Skipf("%s at %s does not answer (%v): start it, or set %s to a server that does", what, addr, err, envName)
}

func openSQLite(t testing.TB) *sql.DB {
	t.Helper()
	dir := t.TempDir()
	dsn := "file:" + filepath.Join(dir, "store.db") + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// skipped holds a line per engine whose legs were skipped, printed at the
// end of the run even without -v.
var skipped sync.Map

func TestMain(m *testing.M) {
	code := m.Run()
	skipped.Range(func(_, v any) bool {
		fmt.Fprintln(os.Stderr, "sqlstore:", v)
		return true
	})
	os.Exit(code)
}

var dbs sync.Map // DSN -> *sql.DB shared by the tests of one run

func openShared(t testing.TB, driver, dsn, what, envName, addr string) *sql.DB {
	t.Helper()
	if v, ok := dbs.Load(driver + dsn); ok {
		return v.(*sql.DB)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		unavailable(t, what, envName, addr, err)
	}
	db.SetMaxOpenConns(40)
	db.SetMaxIdleConns(40)
	if v, loaded := dbs.LoadOrStore(driver+dsn, db); loaded {
		db.Close()
		return v.(*sql.DB)
	}
	return db
}

func openPostgres(t testing.TB) *sql.DB {
	t.Helper()
	dsn := env("BIZAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	return openShared(t, "pgx", dsn, "PostgreSQL", "BIZAPI_TEST_POSTGRES_URL", redact(dsn))
}

// mysqlDSN takes a go-sql-driver DSN or a mysql://user:pass@host:port/db URL.
func mysqlDSN(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "mysql" {
		return s
	}
	dsn := ""
	if u.User != nil {
		dsn = u.User.String() + "@"
	}
	dsn += "tcp(" + u.Host + ")" + u.Path
	if u.RawQuery != "" {
		dsn += "?" + u.RawQuery
	}
	return dsn
}

func openMySQL(t testing.TB) *sql.DB {
	t.Helper()
	dsn := mysqlDSN(env("BIZAPI_TEST_MYSQL_URL", "root@tcp(127.0.0.1:3306)/test"))
	return openShared(t, "mysql", dsn, "MySQL/MariaDB", "BIZAPI_TEST_MYSQL_URL", redact(dsn))
}

// redact drops a password from what a skip message prints.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxx")
		}
		return u.String()
	}
	if at := strings.LastIndex(dsn, "@"); at >= 0 {
		if c := strings.Index(dsn[:at], ":"); c >= 0 {
			return dsn[:c] + ":xxx" + dsn[at:]
		}
	}
	return dsn
}

// fresh gives the test its own tables (a random prefix), created by
// Migrate and dropped when the test ends.
func fresh(t testing.TB, e engine, db *sql.DB) string {
	t.Helper()
	var b [5]byte
	_, _ = rand.Read(b[:])
	prefix := "t" + hex.EncodeToString(b[:]) + "_"
	ctx := context.Background()
	if err := sqlstore.Migrate(ctx, db, e.dialect, sqlstore.WithTablePrefix(prefix)); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	t.Cleanup(func() {
		for _, tab := range []string{"dedup", "keys", "lists"} {
			if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+prefix+tab); err != nil {
				t.Errorf("drop %s%s: %v", prefix, tab, err)
			}
		}
	})
	return prefix
}
