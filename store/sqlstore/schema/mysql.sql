-- Schema of github.com/bizapi-cn/go-sdk/store/sqlstore for MySQL and MariaDB.
-- Migrate applies it with the table prefix in place of "bizapi_".
-- Times are milliseconds since the Unix epoch, from the host's clock.
-- Keys are VARBINARY so that they compare byte for byte ("K" is not "k").

CREATE TABLE IF NOT EXISTS bizapi_dedup (
    k          VARBINARY(512) NOT NULL PRIMARY KEY,
    token      VARBINARY(64) NOT NULL,
    done       SMALLINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    KEY bizapi_dedup_expires (expires_ms)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS bizapi_keys (
    name       VARBINARY(512) NOT NULL PRIMARY KEY,
    value      MEDIUMBLOB NOT NULL,
    version    BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS bizapi_lists (
    id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    k          VARBINARY(512) NOT NULL,
    value      MEDIUMBLOB NOT NULL,
    created_ms BIGINT NOT NULL,
    KEY bizapi_lists_k (k, id),
    KEY bizapi_lists_created (created_ms)
) ENGINE=InnoDB;
