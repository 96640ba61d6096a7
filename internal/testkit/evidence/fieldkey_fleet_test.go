package evidence_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/redis/go-redis/v9"
	_ "modernc.org/sqlite"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/redisstore"
	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

// An engine the field key is shared through, as a host deploys it.
type fkEngine struct {
	name, driver string
	dialect      sqlstore.Dialect
	dsn          func(t *testing.T) string
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

var fkEngines = []fkEngine{
	{"sqlite", "sqlite", sqlstore.SQLite, func(t *testing.T) string {
		return "file:" + filepath.Join(t.TempDir(), "keys.db") + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_txlock=immediate"
	}},
	{"postgres", "pgx", sqlstore.Postgres, func(*testing.T) string {
		return envOr("BIZAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}},
	{"mysql", "mysql", sqlstore.MySQL, func(*testing.T) string {
		return mysqlDSN(envOr("BIZAPI_TEST_MYSQL_URL", "root@tcp(127.0.0.1:3306)/test"))
	}},
	{"redis", "", 0, func(*testing.T) string { return envOr("BIZAPI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0") }},
}

// mysqlDSN turns a mysql:// URL into the driver's DSN form.
func mysqlDSN(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "mysql" {
		return s
	}
	dsn := ""
	if u.User != nil {
		dsn = u.User.String() + "@"
	}
	return dsn + "tcp(" + u.Host + ")" + u.Path
}

// openKeys opens the shared store.Keys of an engine (a fresh prefix).
func openKeys(ctx context.Context, engine, dsn, prefix string) (store.Keys, func(), error) {
	for _, e := range fkEngines {
		if e.name != engine {
			continue
		}
		if e.driver == "" {
			opt, err := redis.ParseURL(dsn)
			if err != nil {
				return nil, nil, err
			}
			rdb := redis.NewClient(opt)
			if err := rdb.Ping(ctx).Err(); err != nil {
				rdb.Close()
				return nil, nil, err
			}
			k, err := redisstore.NewKeys(rdb, redisstore.WithKeyPrefix(prefix))
			if err != nil {
				rdb.Close()
				return nil, nil, err
			}
			return k, func() {
				// Only the parent (the test itself) removes the shared keys.
				if os.Getenv("FK_CHILD") != "1" {
					if keys, _ := rdb.Keys(ctx, prefix+"*").Result(); len(keys) > 0 {
						rdb.Del(ctx, keys...)
					}
				}
				rdb.Close()
			}, nil
		}
		db, err := sql.Open(e.driver, dsn)
		if err != nil {
			return nil, nil, err
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, nil, err
		}
		if err := sqlstore.Migrate(ctx, db, e.dialect, sqlstore.WithTablePrefix(prefix)); err != nil {
			db.Close()
			return nil, nil, err
		}
		k, err := sqlstore.NewKeys(db, e.dialect, sqlstore.WithTablePrefix(prefix))
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		return k, func() { db.Close() }, nil
	}
	return nil, nil, fmt.Errorf("unknown engine %q", engine)
}

// TestFieldKeyAcrossProcesses: four processes of one application share
// the field key through each store. In steady state none meets −43037
// and one update-aes-key serves them all; after the service rotated the
// key, exactly one of the four fetches it again. (Processes with separate
// caches fight instead: TestSeparateKeyCachesFight.)
func TestFieldKeyAcrossProcesses(t *testing.T) {
	if os.Getenv("FK_CHILD") == "1" {
		fieldKeyChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, e := range fkEngines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			b := make([]byte, 4)
			_, _ = rand.Read(b)
			prefix := "fk" + hex.EncodeToString(b) + "_"
			dsn := e.dsn(t)
			_, closeKeys, err := openKeys(ctx, e.name, dsn, prefix) // migrates, and tells whether the server answers
			if err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("%s does not answer: %v", e.name, err)
				}
				t.Skipf("%s does not answer (%v): start it, or set its BIZAPI_TEST_*_URL", e.name, err)
			}
			defer closeKeys()
			srv, err := evidencetest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			keyFile := filepath.Join(t.TempDir(), "private.pem")
			if err := os.WriteFile(keyFile, srv.PrivateKey, 0o600); err != nil {
				t.Fatal(err)
			}
			round := func(tag string) {
				t.Helper()
				var wg sync.WaitGroup
				outs := make([]string, 4)
				errs := make([]error, 4)
				for i := range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cmd := exec.Command(os.Args[0], "-test.run=^TestFieldKeyAcrossProcesses$")
						cmd.Env = append(os.Environ(), "FK_CHILD=1", "FK_ENGINE="+e.name, "FK_DSN="+dsn, "FK_PREFIX="+prefix,
							"FK_URL="+srv.URL, "FK_APP_ID="+srv.AppID, "FK_APP_KEY="+srv.AppKey, "FK_KEY_FILE="+keyFile,
							fmt.Sprintf("FK_TAG=%s-%d", tag, i))
						out, err := cmd.CombinedOutput()
						outs[i], errs[i] = string(out), err
					}()
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Fatalf("%s: process %d failed: %v\n%s", tag, i, err, outs[i])
					}
				}
			}
			round("first")
			if n, r := srv.Calls(evidence.OperationUpdateAESKey), srv.Answers(evidence.ErrorCodeAESDecrypt); n != 1 || r != 0 {
				t.Errorf("first round of 4 processes: %d update-aes-key, %d × −43037; want 1 and 0", n, r)
			}
			round("steady")
			if n, r := srv.Calls(evidence.OperationUpdateAESKey), srv.Answers(evidence.ErrorCodeAESDecrypt); n != 1 || r != 0 {
				t.Errorf("steady state: %d update-aes-key, %d × −43037; want 1 and 0", n, r)
			}
			srv.RotateKey()
			round("rotated")
			if n := srv.Calls(evidence.OperationUpdateAESKey); n != 2 {
				t.Errorf("after a rotation: %d update-aes-key in all; want 2 (one among the four processes)", n)
			}
			t.Logf("evidence: 4 processes sharing the field key through %s: %d update-aes-key in 3 rounds of 20 starts, one rotation; %d × −43037",
				e.name, srv.Calls(evidence.OperationUpdateAESKey), srv.Answers(evidence.ErrorCodeAESDecrypt))
		})
	}
}

// fieldKeyChild is one process of the application: its own client and
// cache, the shared store, five concurrent starts.
func fieldKeyChild(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	keys, closeKeys, err := openKeys(ctx, os.Getenv("FK_ENGINE"), os.Getenv("FK_DSN"), os.Getenv("FK_PREFIX"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeKeys()
	priv, err := os.ReadFile(os.Getenv("FK_KEY_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := evidence.NewClient(evidence.WithApp(os.Getenv("FK_APP_ID"), os.Getenv("FK_APP_KEY")), evidence.WithPrivateKey(priv),
		evidence.WithBaseURL(os.Getenv("FK_URL")), evidence.WithFieldKeyStore(keys))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for j := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bizNo := strings.ReplaceAll(fmt.Sprintf("%s-%d", os.Getenv("FK_TAG"), j), "_", "-")
			_, err := c.StartAcquisition(ctx, fill(&evidence.StartAcquisitionRequest{Site: "tax", BizNo: bizNo}))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
