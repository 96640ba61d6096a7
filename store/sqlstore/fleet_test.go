package sqlstore_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/sqlstore"
)

// The fleet test: replicas (this test binary started again as child
// processes) behind a round-robin loopback proxy share one database
// through a TxDedup. The provider model sends distinct signed
// notifications, 10 % of them delivered twice at the same moment (so to
// different replicas), and redelivers every one until it is acknowledged;
// the host fails 10 % of the time at random, after its write; one replica
// is killed with SIGKILL in the middle of a handler and started again.
// Counted from the database: every notification's write is there exactly
// once, every acknowledged notification's write was committed when its
// acknowledgement arrived, and none is left unacknowledged.
//
//	go test -run '^TestFleet$' ./store/sqlstore/                       # 500 notifications
//	BIZAPI_FLEET_FULL=1 go test -run '^TestFleet$' -timeout 30m ./store/sqlstore/  # 10,000

const (
	fleetReplicas = 3
	fleetSecret   = "fleet-test-secret"
)

type notification struct {
	ID      string `json:"id"`
	Payload string `json:"payload"`
}

func sign(body []byte) string {
	m := hmac.New(sha256.New, []byte(fleetSecret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestFleet(t *testing.T) {
	if os.Getenv("FLEET_CHILD") == "1" {
		fleetChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts replica processes")
	}
	n := 500
	if os.Getenv("BIZAPI_FLEET_FULL") != "" {
		n = 10_000
	}
	for _, e := range engines {
		for _, mode := range []string{"tx", "claim"} {
			t.Run(e.name+"/"+mode, func(t *testing.T) { fleetOn(t, e, mode, n) })
		}
	}
}

// fleetOn runs the fleet on engine e. Mode "tx" is the transactional mode
// (TxDedup.RunOnce, the host writing in its transaction): exactly once. Mode
// "claim" is the control: the claim protocol (Acquire, Complete, Release)
// with the host writing outside any transaction, which must show the
// doubles that a failure after the write causes, or the test proves
// nothing.
func fleetOn(t *testing.T, e engine, mode string, n int) {
	if mode == "claim" && n > 500 {
		n = 500
	}
	db := e.open(t)
	dsn := ""
	switch e.dialect {
	case sqlstore.SQLite:
		// The replicas share the file of this test's database.
		var file string
		if err := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
			t.Fatal(err)
		}
		dsn = "file:" + file + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_txlock=immediate"
	case sqlstore.Postgres:
		dsn = env("BIZAPI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	case sqlstore.MySQL:
		dsn = mysqlDSN(env("BIZAPI_TEST_MYSQL_URL", "root@tcp(127.0.0.1:3306)/test"))
	}
	prefix := fresh(t, e, db)
	effects := prefix + "effects"
	if _, err := db.Exec("CREATE TABLE " + effects + " (id VARCHAR(100) NOT NULL, replica INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.Exec("DROP TABLE IF EXISTS " + effects) })
	f := runFleet(t, fleetConfig{
		n: n,
		env: []string{"FLEET_CHILD=1", "FLEET_DIALECT=" + strconv.Itoa(int(e.dialect)),
			"FLEET_DSN=" + dsn, "FLEET_PREFIX=" + prefix, "FLEET_MODE=" + mode},
		exact: mode == "tx",
		committed: func(id string) (int, error) {
			var c int
			q := "SELECT COUNT(*) FROM " + effects + " WHERE id = ?"
			if e.dialect == sqlstore.Postgres {
				q = strings.Replace(q, "?", "$1", 1)
			}
			err := db.QueryRow(q, id).Scan(&c)
			return c, err
		},
	})
	// Counted from the database.
	var rows, distinct int
	if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT id) FROM "+effects).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s %s: %d notifications (%d delivered twice at once, %d of those pairs on two replicas), %d deliveries, %d duplicates answered done, %d host failures, %d in flight answers, %d proxy errors, %d replica killed, %.0f notifications/s per replica; counted: %d writes of %d notifications",
		e.name, mode, n, f.dupes, f.split.Load(), f.deliveries.Load(), f.doneAnswers.Load(), f.failures.Load(), f.inFlight.Load(), f.proxyErrors.Load(), f.killed, float64(n)/f.elapsed.Seconds()/fleetReplicas, rows, distinct)
	if f.killed != 1 {
		t.Errorf("%d replicas killed mid-handler; want 1", f.killed)
	}
	if distinct != n {
		t.Errorf("the database holds writes of %d distinct notifications; want %d", distinct, n)
	}
	if mode == "claim" {
		if rows <= n {
			t.Errorf("the control (claim protocol, writes outside a transaction) wrote %d times for %d notifications; want doubles, or the fleet test cannot see them", rows, n)
		}
		return
	}
	if rows != n {
		t.Errorf("the database holds %d writes of %d notifications; want exactly %d", rows, n, n)
	}
}

type fleetConfig struct {
	n         int
	env       []string
	committed func(id string) (int, error) // writes of id in the database
	exact     bool                         // an acknowledged id has exactly one write
}

type fleetResult struct {
	dupes                                                    int
	deliveries, failures, inFlight, proxyErrors, doneAnswers atomic.Int64
	split                                                    atomic.Int64 // duplicate pairs answered by two replicas
	killed                                                   int
	elapsed                                                  time.Duration // from the first delivery to the last acknowledgement
}

// replica is one child process.
type replica struct {
	cmd   *exec.Cmd
	stdin io.Closer
	addr  string
}

func startReplica(t *testing.T, i int, env []string, inHandler chan<- int) *replica {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFleet$", "-test.timeout=0")
	cmd.Env = append(os.Environ(), append(env, "FLEET_REPLICA="+strconv.Itoa(i))...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // the child exits when it closes
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listen := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "FLEET LISTEN "):
				listen <- strings.TrimPrefix(line, "FLEET LISTEN ")
			case strings.HasPrefix(line, "FLEET IN HANDLER"):
				select {
				case inHandler <- i:
				default:
				}
			}
		}
	}()
	select {
	case addr := <-listen:
		return &replica{cmd: cmd, stdin: stdin, addr: addr}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("replica %d did not start", i)
	}
	return nil
}

func runFleet(t *testing.T, cfg fleetConfig) *fleetResult {
	res := &fleetResult{}
	inHandler := make(chan int, 1)
	var mu sync.Mutex
	reps := make([]*replica, fleetReplicas)
	for i := range reps {
		reps[i] = startReplica(t, i, cfg.env, inHandler)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range reps {
			_ = r.stdin.Close()
			_ = r.cmd.Process.Kill()
			_ = r.cmd.Wait()
		}
	})

	// The round-robin proxy in front of the replicas.
	var next atomic.Uint64
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := int(next.Add(1) % fleetReplicas)
			mu.Lock()
			addr := reps[i].addr
			mu.Unlock()
			pr.SetURL(&url.URL{Scheme: "http", Host: addr})
		},
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) {
			res.proxyErrors.Add(1)
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: proxy}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	target := "http://" + ln.Addr().String() + "/notify"

	// The kill: the first handler of the "crash" notification tells the
	// parent it is in the middle of its work, after its write.
	killDone := make(chan struct{})
	go func() {
		defer close(killDone)
		select {
		case i := <-inHandler:
			mu.Lock()
			old := reps[i]
			mu.Unlock()
			_ = old.cmd.Process.Kill() // SIGKILL
			_ = old.cmd.Wait()
			_ = old.stdin.Close()
			res.killed++
			r := startReplica(t, i, cfg.env, make(chan int, 1))
			mu.Lock()
			reps[i] = r
			mu.Unlock()
		case <-time.After(10 * time.Minute):
		}
	}()

	client := &http.Client{Timeout: 30 * time.Second}
	var failed atomic.Bool
	// deliver sends nt until it is acknowledged and returns the replica
	// that answered first.
	deliver := func(nt notification) (first string) {
		body, _ := json.Marshal(nt)
		for attempt := 0; attempt < 500 && !failed.Load(); attempt++ {
			res.deliveries.Add(1)
			req, _ := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
			req.Header.Set("X-Signature", sign(body))
			resp, err := client.Do(req)
			if err != nil {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if first == "" {
				first = resp.Header.Get("X-Replica")
			}
			switch resp.StatusCode {
			case http.StatusOK:
				if resp.Header.Get("X-Outcome") == "done" {
					res.doneAnswers.Add(1)
				}
				// Acknowledged: the write must be committed by now.
				c, err := cfg.committed(nt.ID)
				if err != nil || c < 1 || (cfg.exact && c != 1) {
					failed.Store(true)
					t.Errorf("%s acknowledged with %d writes committed (%v); want 1", nt.ID, c, err)
				}
				return first
			case http.StatusInternalServerError:
				res.failures.Add(1)
			case http.StatusConflict:
				res.inFlight.Add(1)
			}
			time.Sleep(time.Duration(5+rand.IntN(20)) * time.Millisecond) // the provider's redelivery
		}
		failed.Store(true)
		t.Errorf("%s never acknowledged", nt.ID)
		return first
	}

	began := time.Now()
	work := make(chan []notification)
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range work {
				var bw sync.WaitGroup
				start := make(chan struct{})
				firsts := make([]string, len(batch))
				for j, nt := range batch {
					bw.Add(1)
					go func() { defer bw.Done(); <-start; firsts[j] = deliver(nt) }()
				}
				close(start) // duplicates at the same moment
				bw.Wait()
				if len(batch) == 2 && firsts[0] != firsts[1] {
					res.split.Add(1)
				}
			}
		}()
	}
	for i := range cfg.n {
		nt := notification{ID: fmt.Sprintf("n%06d", i), Payload: "order " + strconv.Itoa(i)}
		if i == cfg.n/2 {
			nt.Payload = "crash"
		}
		batch := []notification{nt}
		if i%10 == 3 {
			batch = append(batch, nt)
			res.dupes++
		}
		work <- batch
	}
	close(work)
	wg.Wait()
	res.elapsed = time.Since(began)
	<-killDone
	return res
}

// fleetChild is a replica: a receiver that verifies the signature and
// runs the host's function once through the shared TxDedup.
func fleetChild(t *testing.T) {
	dialect, _ := strconv.Atoi(os.Getenv("FLEET_DIALECT"))
	e := engine{dialect: sqlstore.Dialect(dialect)}
	driver := map[sqlstore.Dialect]string{sqlstore.SQLite: "sqlite", sqlstore.Postgres: "pgx", sqlstore.MySQL: "mysql"}[e.dialect]
	db, err := sql.Open(driver, os.Getenv("FLEET_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(20)
	prefix := os.Getenv("FLEET_PREFIX")
	replicaN, _ := strconv.Atoi(os.Getenv("FLEET_REPLICA"))
	var d store.Dedup
	if os.Getenv("FLEET_MODE") == "tx" {
		d, err = sqlstore.NewTxDedup(db, e.dialect, sqlstore.WithTablePrefix(prefix))
	} else {
		d, err = sqlstore.NewDedup(db, e.dialect, sqlstore.WithTablePrefix(prefix), sqlstore.WithLease(time.Second))
	}
	if err != nil {
		t.Fatal(err)
	}
	insert := "INSERT INTO " + prefix + "effects (id, replica) VALUES (?, ?)"
	if e.dialect == sqlstore.Postgres {
		insert = "INSERT INTO " + prefix + "effects (id, replica) VALUES ($1, $2)"
	}
	var stdout sync.Mutex
	say := func(s string) { stdout.Lock(); fmt.Fprintln(os.Stdout, s); stdout.Unlock() }
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil || !hmac.Equal([]byte(sign(body)), []byte(r.Header.Get("X-Signature"))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var nt notification
		if err := json.Unmarshal(body, &nt); err != nil {
			http.Error(w, "malformed", http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Replica", strconv.Itoa(replicaN))
		ran, err := runOnce(r.Context(), d, "fleet:"+nt.ID, func(ctx context.Context) error {
			var x interface {
				ExecContext(context.Context, string, ...any) (sql.Result, error)
			} = db
			if tx, ok := sqlstore.Tx(ctx); ok {
				x = tx
			}
			if _, err := x.ExecContext(ctx, insert, nt.ID, replicaN); err != nil {
				return err
			}
			if nt.Payload == "crash" {
				say("FLEET IN HANDLER")
				time.Sleep(300 * time.Millisecond) // killed here, the first time
			}
			time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
			if rand.IntN(10) == 0 {
				return errors.New("the host failed")
			}
			return nil
		})
		switch {
		case errors.Is(err, store.ErrInFlight):
			http.Error(w, "in flight", http.StatusConflict)
		case err != nil:
			http.Error(w, "failed", http.StatusInternalServerError)
		default:
			if !ran {
				w.Header().Set("X-Outcome", "done")
			}
			w.WriteHeader(http.StatusOK) // acknowledged after the commit
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = http.Serve(ln, h) }()
	say("FLEET LISTEN " + ln.Addr().String())
	_, _ = io.Copy(io.Discard, os.Stdin) // until the parent goes
	os.Exit(0)
}

// runOnce is the handlers' protocol (internal/dedup.Run): RunOnce for a
// store.Runner, otherwise Acquire, then Complete after success or Release
// after failure.
func runOnce(ctx context.Context, d store.Dedup, key string, fn func(context.Context) error) (bool, error) {
	if r, ok := d.(store.Runner); ok {
		return r.RunOnce(ctx, key, fn)
	}
	c, err := d.Acquire(ctx, key)
	if err != nil {
		return false, err
	}
	switch c.State {
	case store.StateDone:
		return false, nil
	case store.StateInFlight:
		return false, store.ErrInFlight
	}
	bg := context.WithoutCancel(ctx)
	if err := fn(ctx); err != nil {
		_ = d.Release(bg, c)
		return false, err
	}
	return true, d.Complete(bg, c)
}
