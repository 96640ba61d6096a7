-- Schema of github.com/bizapi-cn/go-sdk/store/sqlstore for PostgreSQL.
-- Migrate applies it with the table prefix in place of "bizapi_".
-- Times are milliseconds since the Unix epoch, from the host's clock.

CREATE TABLE IF NOT EXISTS bizapi_dedup (
    k          TEXT COLLATE "C" PRIMARY KEY,
    token      TEXT NOT NULL,
    done       SMALLINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS bizapi_dedup_expires ON bizapi_dedup (expires_ms);

CREATE TABLE IF NOT EXISTS bizapi_keys (
    name       TEXT COLLATE "C" PRIMARY KEY,
    value      BYTEA NOT NULL,
    version    BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS bizapi_lists (
    id         BIGSERIAL PRIMARY KEY,
    k          TEXT COLLATE "C" NOT NULL,
    value      BYTEA NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS bizapi_lists_k ON bizapi_lists (k, id);
CREATE INDEX IF NOT EXISTS bizapi_lists_created ON bizapi_lists (created_ms);
