-- Schema of github.com/bizapi-cn/go-sdk/store/sqlstore for SQLite.
-- Migrate applies it with the table prefix in place of "bizapi_".
-- Times are milliseconds since the Unix epoch, from the host's clock.

CREATE TABLE IF NOT EXISTS bizapi_dedup (
    k          TEXT NOT NULL PRIMARY KEY,
    token      TEXT NOT NULL,
    done       INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bizapi_dedup_expires ON bizapi_dedup (expires_ms);

CREATE TABLE IF NOT EXISTS bizapi_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    value      BLOB NOT NULL,
    version    INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS bizapi_lists (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    k          TEXT NOT NULL,
    value      BLOB NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bizapi_lists_k ON bizapi_lists (k, id);
CREATE INDEX IF NOT EXISTS bizapi_lists_created ON bizapi_lists (created_ms);
