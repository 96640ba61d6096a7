package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strings"
)

//go:embed schema/*.sql
var schemaFS embed.FS

// Schema returns the statements that create the stores' tables for
// dialect, with the table prefix of opts (WithTablePrefix), for a host that
// runs its migrations with its own tool. The same text, with the default
// prefix, is in the module's schema/<dialect>.sql files. Every statement is
// idempotent (IF NOT EXISTS).
func Schema(dialect Dialect, opts ...Option) ([]string, error) {
	if err := dialect.valid(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	b, err := schemaFS.ReadFile("schema/" + dialect.String() + ".sql")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	var out []string
	for _, stmt := range strings.Split(string(b), ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		out = append(out, strings.ReplaceAll(strings.Join(lines, "\n"), DefaultTablePrefix, cfg.prefix))
	}
	return out, nil
}

// Migrate creates the stores' tables (dedup, keys, lists, each with the
// table prefix) in db unless they exist. It is safe to run at every start
// of every replica, at the same moment: on PostgreSQL, where two
// concurrent CREATE TABLE IF NOT EXISTS can fail on the catalog's unique
// index, it runs in one transaction under an advisory lock.
func Migrate(ctx context.Context, db *sql.DB, dialect Dialect, opts ...Option) error {
	if db == nil {
		return fmt.Errorf("sqlstore: Migrate with a nil *sql.DB")
	}
	stmts, err := Schema(dialect, opts...)
	if err != nil {
		return err
	}
	if dialect != Postgres {
		for _, s := range stmts {
			if _, err := db.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("sqlstore: migrate %s: %w", dialect, err)
			}
		}
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", dialect, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext('github.com/bizapi-cn/go-sdk/store/sqlstore.Migrate'))"); err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", dialect, err)
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("sqlstore: migrate %s: %w", dialect, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", dialect, err)
	}
	return nil
}
