package sqlstore

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/store"
)

// Dialect is the SQL engine behind a *sql.DB. The package imports no
// driver: the host opens the database with its own
// (github.com/jackc/pgx/v5/stdlib, github.com/go-sql-driver/mysql or
// modernc.org/sqlite) and says which engine it is.
type Dialect int

const (
	// Postgres is PostgreSQL (11 or later), for example through
	// github.com/jackc/pgx/v5/stdlib.
	Postgres Dialect = iota + 1
	// MySQL is MySQL 8 or MariaDB 10.5 or later with InnoDB tables, for
	// example through github.com/go-sql-driver/mysql.
	MySQL
	// SQLite is SQLite 3.35 or later, for example modernc.org/sqlite.
	SQLite
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case Postgres:
		return "postgres"
	case MySQL:
		return "mysql"
	case SQLite:
		return "sqlite"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

func (d Dialect) valid() error {
	switch d {
	case Postgres, MySQL, SQLite:
		return nil
	}
	return fmt.Errorf("sqlstore: unknown dialect %d", int(d))
}

// q rewrites a query written with ? placeholders and {p} for the table
// prefix for dialect d.
func (d Dialect) q(prefix, query string) string {
	query = strings.ReplaceAll(query, "{p}", prefix)
	if d != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// insertIgnore is the dialect's "insert unless the key exists" prefix and
// suffix around "INTO t (...) VALUES (...)".
func (d Dialect) insertIgnore(into, conflict string) string {
	if d == MySQL {
		return "INSERT IGNORE " + into
	}
	return "INSERT " + into + " ON CONFLICT (" + conflict + ") DO NOTHING"
}

// checkKey refuses what the key columns cannot hold exactly.
func checkKey(what, k string) error {
	switch {
	case k == "":
		return fmt.Errorf("sqlstore: empty %s", what)
	case len(k) > MaxKeyBytes:
		return fmt.Errorf("sqlstore: %s of %d bytes, longer than %d", what, len(k), MaxKeyBytes)
	case !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0:
		return fmt.Errorf("sqlstore: %s is not UTF-8 text without NUL", what)
	}
	return nil
}

// sqlStater is implemented by pgx's *pgconn.PgError; coder by
// modernc.org/sqlite's *sqlite.Error. MySQL's *mysql.MySQLError is
// recognised by its message, "Error 1205 (HY000): ...".
type sqlStater interface{ SQLState() string }
type coder interface{ Code() int }

// contended reports whether err means that another transaction holds the
// key now (a lock timeout, a deadlock, a serialization failure, a busy
// SQLite database): the delivery is in flight elsewhere, and a retry will
// find it done or free.
func contended(err error) bool {
	var s sqlStater
	if errors.As(err, &s) {
		switch s.SQLState() {
		case "55P03", "40001", "40P01": // lock_not_available, serialization_failure, deadlock_detected
			return true
		}
	}
	var c coder
	if errors.As(err, &c) {
		switch c.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg := e.Error()
		for _, p := range []string{"Error 1205 ", "Error 1213 "} { // ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK
			if strings.HasPrefix(msg, p) {
				return true
			}
		}
	}
	return false
}

func inFlight(err error) error {
	return fmt.Errorf("%w (%w)", store.ErrInFlight, err)
}
