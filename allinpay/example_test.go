package allinpay_test

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
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/store"
)

// ExampleClient_Pay creates an Alipay QR order on the fake gateway, lets
// the customer pay, and receives the notification.
func ExampleClient_Pay() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey), allinpay.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	paid := make(chan *allinpay.Notification, 1)
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(_ context.Context, n *allinpay.Notification) error {
		paid <- n
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	recv := httptest.NewServer(h)
	defer recv.Close()

	resp, err := c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode,
		OutTransNo: "ORDER-1", TransAmount: 1050, Currency: allinpay.CurrencyHKD, NotifyURL: recv.URL})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("waiting for scan:", resp.Processing(), resp.CodeURL != "")
	_ = srv.SimulatePay("ORDER-1")
	n := <-paid
	fmt.Println(n.OutTransNo, n.Succeeded(), n.TransAmount, n.Currency)
	// Output:
	// waiting for scan: true true
	// ORDER-1 true 10.50 HKD
}

// Example_production builds the client a production host runs: keys read
// from files (or from environment variables holding PEM), its own
// *http.Client and logger. It runs here against the fake, whose keys are
// written to a temporary folder first.
func Example_production() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "allinpay-keys")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "merchant.pem"), srv.MerchantPrivateKey, 0o600)
	_ = os.WriteFile(filepath.Join(dir, "platform.pem"), srv.PlatformPublicKey, 0o644)

	// What a production host does (ProdBaseURL instead of srv.URL):
	priv, err := os.ReadFile(filepath.Join(dir, "merchant.pem"))
	if err != nil {
		log.Fatal(err)
	}
	platform, err := os.ReadFile(filepath.Join(dir, "platform.pem"))
	if err != nil {
		log.Fatal(err)
	}
	c, err := allinpay.NewClient(
		allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithKeys(priv, platform),
		allinpay.WithBaseURL(srv.URL), // allinpay.ProdBaseURL
		allinpay.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		allinpay.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	)
	if err != nil {
		log.Fatal(err)
	}
	q, err := c.QueryOrder(context.Background(), &allinpay.QueryOrderRequest{OriOutTransNo: "NEVER-SENT"})
	var ae *allinpay.APIError
	fmt.Println(q == nil, errors.As(err, &ae) && ae.ResultCode == allinpay.ResultCodeOrderNotExist)
	// Output: true true
}

// ExampleOutcomeUnknownError: the answer to a payment was lost after the
// platform took it. The call is not repeated; Reconcile queries the order
// by the outTransNo the error keeps.
func ExampleOutcomeUnknownError() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey), allinpay.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	srv.Inject(allinpaytest.Fault{Kind: allinpaytest.FaultProcessThenDrop, Count: 1})
	_, err = c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayMicropay, OutTransNo: "ORDER-7",
		TransAmount: 300, Currency: allinpay.CurrencyHKD, NotifyURL: "https://shop.example.com/allinpay", AuthCode: "134567890123456789"})
	var ou *allinpay.OutcomeUnknownError
	if errors.As(err, &ou) {
		fmt.Println("outcome unknown, reconciling", ou.Key)
		q, err := c.Reconcile(context.Background(), err)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(q.ResultCode == allinpay.ResultCodeSuccess, q.TransAmount, q.Currency)
	}
	// Output:
	// outcome unknown, reconciling ORDER-7
	// true 3.00 HKD
}

// redisLike is a host's own store.Dedup (here a map standing in for Redis:
// Acquire is SET NX with a lease, Complete marks done, Release deletes
// while the token still holds the key). The same value serves every
// module's handler.
type redisLike struct {
	mu sync.Mutex
	m  map[string]string // key -> token or "done"
	n  int
}

func (r *redisLike) Acquire(_ context.Context, key string) (store.Claim, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch v := r.m[key]; {
	case v == "done":
		return store.Claim{Key: key, State: store.StateDone}, nil
	case v != "":
		return store.Claim{Key: key, State: store.StateInFlight}, nil
	}
	r.n++
	tok := fmt.Sprint(r.n)
	r.m[key] = tok
	return store.Claim{Key: key, State: store.StateAcquired, Token: tok}, nil
}

func (r *redisLike) Complete(_ context.Context, c store.Claim) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[c.Key] = "done"
	return nil
}

func (r *redisLike) Release(_ context.Context, c store.Claim) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m[c.Key] == c.Token {
		delete(r.m, c.Key)
	}
	return nil
}

// ExampleWithDedupStore plugs a host's own store into the handler: a
// redelivered notification reaches the host once.
func ExampleWithDedupStore() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		log.Fatal(err)
	}
	handled := 0
	h, err := allinpay.NewNotificationHandler(v, func(_ context.Context, n *allinpay.Notification) error {
		handled++
		return nil
	}, allinpay.WithDedupStore(&redisLike{m: map[string]string{}}))
	if err != nil {
		log.Fatal(err)
	}
	body := srv.SignNotification(map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "ORDER-1", "transAmount": "1050",
		"currency": "HKD", "resultCode": "0000", "transNo": "T1"})
	for range 2 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/allinpay/notify", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Body.String())
	}
	fmt.Println("handled", handled)
	// Output:
	// SUCCESS
	// SUCCESS
	// handled 1
}
