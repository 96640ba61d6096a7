package levy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/bizapi-cn/go-sdk/store"
)

// ExampleClient_CreateOrder creates a levy order on the fake provider and
// receives its notification.
func ExampleClient_CreateOrder() {
	srv, err := levytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan *levy.OrderNotification, 1)
	h, err := levy.NewNotificationHandler(c.NotificationVerifier(), func(ctx context.Context, n *levy.Notification) error {
		if o, ok := n.Data.(*levy.OrderNotification); ok {
			done <- o
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	recv := httptest.NewServer(h)
	defer recv.Close()
	srv.SetNotifyURL(recv.URL)

	profit, _ := levy.ParseAmount("1000.00")
	_, err = c.CreateOrder(context.Background(), &levy.CreateOrderRequest{
		RequestID: "R-example", IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: "12",
		CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445",
		Profit: &profit, TaxMode: levy.TaxModeGeneral,
	})
	if err != nil {
		log.Fatal(err)
	}
	o := <-done
	r := o.RemitOrderList[0]
	fmt.Println(o.RequestID, o.Status, r.Amount, r.Fee, r.ActualAmount, r.RemitStatus)
	// Output: R-example CLOSE 1000.00 60.00 1060.00 ACCEPT
}

// secretSource reads a secret given as its text or as @path (the
// convention of the SDK's examples), trimming a final newline.
func secretSource(v string) (string, error) {
	if path, ok := strings.CutPrefix(v, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		v = string(b)
	}
	return strings.TrimSpace(v), nil
}

// ExampleNewClient builds a production client: the client key from the
// environment, the secret from a file only the service can read, a tuned
// *http.Client and the host's logger.
func ExampleNewClient() {
	dir, _ := os.MkdirTemp("", "levy")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "levy.secret"), []byte("secret-from-the-provider\n"), 0o600)
	os.Setenv("LEVY_CLIENT_KEY", "client-key-from-the-provider")
	os.Setenv("LEVY_SECRET", "@"+filepath.Join(dir, "levy.secret"))

	secret, err := secretSource(os.Getenv("LEVY_SECRET"))
	if err != nil {
		log.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}}
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil)) // the host's logger
	c, err := levy.NewClient(
		levy.WithCredentials(os.Getenv("LEVY_CLIENT_KEY"), secret),
		levy.WithBaseURL(levy.ProdBaseURL),
		levy.WithHTTPClient(hc),
		levy.WithLogger(logger),
		levy.WithTimeout(20*time.Second),
	)
	fmt.Println(c != nil, err)
	// Output: true <nil>
}

// ExampleParseNotification verifies a notification received by another
// web framework, from its raw headers and body; the receiver needs only
// the client key and the secret.
func ExampleParseNotification() {
	srv, _ := levytest.NewServer()
	defer srv.Close()
	v, err := levy.NewNotificationVerifier(levy.WithCredentials(srv.ClientKey, srv.Secret))
	if err != nil {
		log.Fatal(err)
	}
	// What the framework hands over: the header and the raw body.
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	body := srv.SignNotification("CLOSE_ORDER_NOTICE", map[string]any{"request_id": "R1", "remit_status": "CLOSE",
		"tax_agent_location_id": "101", "close_time": "2024-03-04T10:00:00.000", "close_reason": "72 小时未确认"})

	n, err := levy.ParseNotification(context.Background(), v, header, body)
	if err != nil {
		log.Fatal(err) // answer FAIL with a non-2xx status: the provider retries
	}
	c := n.Data.(*levy.CloseOrderNotification)
	fmt.Println(n.Operation, c.RequestID, c.TaxAgentLocationID, c.RemitStatus)
	// then answer "SUCCESS" once handled
	// Output: CLOSE_ORDER_NOTICE R1 101 CLOSE
}

// ExampleNotification_Failed: a failure comes as a code other than "0" or
// as a failed result with code "0"; Failed reads both.
func ExampleNotification_Failed() {
	srv, _ := levytest.NewServer()
	defer srv.Close()
	v, _ := levy.NewNotificationVerifier(levy.WithCredentials(srv.ClientKey, srv.Secret))
	for _, body := range [][]byte{
		srv.SignNotificationWithCode("SIGN_UP", "1010", "信息鉴权未通过", map[string]any{"id_card": "110101199003074477", "status": "UN_SIGN"}),
		srv.SignNotification("UPLOAD_TAXPAYER_AGREEMENT", map[string]any{"request_id": "U1", "status": "FAIL", "contract_id": "K1"}),
		srv.SignNotification("SYNC_SIGN", map[string]any{"request_id": "S1", "status": "SIGN"}),
	} {
		n, err := levy.ParseNotification(context.Background(), v, nil, body)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(n.Operation, n.Code, n.Failed())
	}
	// Output:
	// SIGN_UP 1010 true
	// UPLOAD_TAXPAYER_AGREEMENT 0 true
	// SYNC_SIGN 0 false
}

// ExampleClient_ReconcileOrder: CreateOrder's connection drops after the
// provider took the order, so the outcome is unknown; the order is not
// sent again but reconciled by its request_id.
func ExampleClient_ReconcileOrder() {
	srv, _ := levytest.NewServer()
	defer srv.Close()
	c, _ := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL))
	srv.Inject(levytest.Fault{Kind: levytest.FaultProcessThenDrop, Count: 1})

	profit := levy.Yuan(100)
	ctx := context.Background()
	_, err := c.CreateOrder(ctx, &levy.CreateOrderRequest{
		RequestID: "R-lost", IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: "12",
		CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445",
		Profit: &profit, TaxMode: levy.TaxModeGeneral,
	})
	var ou *levy.OutcomeUnknownError
	if errors.As(err, &ou) {
		fmt.Println("outcome unknown for", ou.Operation, ou.Key)
		q, err := c.ReconcileOrder(ctx, err)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("the provider has it:", q.RequestID)
	}
	// Output:
	// outcome unknown for CREATE_ORDER_V2 R-lost
	// the provider has it: R-lost
}

// mapDedup is a host's own store.Dedup (here a map; in production a
// table or Redis): the one contract every module's handler takes.
type mapDedup struct {
	mu   sync.Mutex
	keys map[string]string // key -> token, or "done"
	n    int
}

func (m *mapDedup) Acquire(_ context.Context, key string) (store.Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch m.keys[key] {
	case "":
		m.n++
		tok := fmt.Sprint(m.n)
		m.keys[key] = tok
		return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
	case "done":
		return store.Claim{Key: key, State: store.StateDone}, nil
	}
	return store.Claim{Key: key, State: store.StateInFlight}, nil
}

func (m *mapDedup) Complete(_ context.Context, c store.Claim) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[c.Key] = "done"
	return nil
}

func (m *mapDedup) Release(_ context.Context, c store.Claim) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[c.Key] == c.Token {
		delete(m.keys, c.Key)
	}
	return nil
}

// ExampleWithDedupStore plugs a host's store into the handler: a
// notification delivered twice reaches the host once.
func ExampleWithDedupStore() {
	srv, _ := levytest.NewServer()
	defer srv.Close()
	v, _ := levy.NewNotificationVerifier(levy.WithCredentials(srv.ClientKey, srv.Secret))
	calls := 0
	h, err := levy.NewNotificationHandler(v, func(context.Context, *levy.Notification) error { calls++; return nil },
		levy.WithDedupStore(&mapDedup{keys: map[string]string{}}))
	if err != nil {
		log.Fatal(err)
	}
	body := srv.SignNotification("SYNC_SIGN", map[string]any{"request_id": "S1", "status": "SIGN"})
	for range 2 {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, "/levy/notify", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, r)
		fmt.Println(rec.Code, rec.Body.String())
	}
	fmt.Println("host calls:", calls)
	// Output:
	// 200 SUCCESS
	// 200 SUCCESS
	// host calls: 1
}

// ExampleWithDiagnostics diagnoses a notification that a framework passed
// on with a line ending added: the check still fails, and the diagnosis
// names the cause.
func ExampleWithDiagnostics() {
	srv, err := levytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	v, err := levy.NewNotificationVerifier(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithDiagnostics())
	if err != nil {
		log.Fatal(err)
	}
	body := srv.SignNotification(string(levy.OperationSyncSign), map[string]any{"request_id": "R1", "status": "SIGN"})
	form, _ := url.ParseQuery(string(body))
	form.Set("req", form.Get("req")+"\n") // a line ending that was not signed
	body = []byte(form.Encode())
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	_, err = levy.ParseNotification(context.Background(), v, h, body)
	fmt.Println(err)
	var se *levy.SignatureError
	if errors.As(err, &se) {
		if d, ok := se.Diagnosis(); ok {
			for _, c := range d.Causes {
				fmt.Println(c.Code)
			}
		}
	}
	// Output:
	// levy: invalid signature: notification
	// whitespace
}
