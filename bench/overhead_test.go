package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/levy"
)

// TestFloorsWork runs each floor once against its server, so a broken floor
// cannot make a benchmark meaningless.
func TestFloorsWork(t *testing.T) {
	c := &http.Client{}
	now := time.Date(2022, 6, 30, 9, 0, 0, 0, time.UTC)
	if st, err := levyFloor(c, newLevyServer(t).URL, "dawjoj12d123faiw", levySecret, "R20220630000001", now); err != nil || st != "CLOSE" {
		t.Errorf("levyFloor = %q, %v; want CLOSE", st, err)
	}
	if st, err := decsFloor(c, newDECSServer(t).URL, decsAppID, decsAppKey, "DA1"); err != nil || st != 10 {
		t.Errorf("decsFloor = %d, %v; want 10", st, err)
	}
	k := loadAllinpayKeys(t)
	if rc, err := allinpayFloor(c, newAllinpayServer(t, k).URL, k.merchant, k.platformPub, "Q-1", "20180626171856517"); err != nil || rc != "0000" {
		t.Errorf("allinpayFloor = %q, %v; want 0000", rc, err)
	}
}

// The call-overhead benchmarks: one exchange per op against the same
// in-process server, from as many goroutines as -cpu allows (both legs
// share one client: this is also the scaling figure).
//
// "paired" runs the two legs alternately from one goroutine, 20 calls of
// each per op (the order alternating), and reports each leg's time per
// call and sdk/floor, their ratio: the figure to read against a target,
// since legs run one after the other drift apart on a busy machine
// (run C: the same floor took 30-36 us in one run, 38-47 us in the next).

func BenchmarkCallLevy(b *testing.B) {
	srv := newLevyServer(b)
	c := srv.Client()
	now := time.Now()
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := levyFloor(c, srv.URL, "dawjoj12d123faiw", levySecret, "R20220630000001", now); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	sdk, err := levy.NewClient(levy.WithCredentials("dawjoj12d123faiw", levySecret), levy.WithBaseURL(srv.URL), levy.WithHTTPClient(c))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if r, err := sdk.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R20220630000001"}); err != nil || r.Status != levy.OrderStatusClose {
					b.Fatal(r, err)
				}
			}
		})
	})
	b.Run("paired", func(b *testing.B) {
		runPairedCalls(b, func() error {
			_, err := levyFloor(c, srv.URL, "dawjoj12d123faiw", levySecret, "R20220630000001", now)
			return err
		}, func() error {
			_, err := sdk.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R20220630000001"})
			return err
		})
	})
}

func BenchmarkCallEvidence(b *testing.B) {
	srv := newDECSServer(b)
	c := srv.Client()
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := decsFloor(c, srv.URL, decsAppID, decsAppKey, "DA1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	sdk := newEvidenceClient(b, evidence.WithBaseURL(srv.URL), evidence.WithHTTPClient(c))
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if s, err := sdk.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"}); err != nil || !s.Downloadable() {
					b.Fatal(s, err)
				}
			}
		})
	})
	b.Run("paired", func(b *testing.B) {
		runPairedCalls(b, func() error {
			_, err := decsFloor(c, srv.URL, decsAppID, decsAppKey, "DA1")
			return err
		}, func() error {
			_, err := sdk.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"})
			return err
		})
	})
}

// newEvidenceClient is a DECS client with the docs' app key and private
// key, and the operator's notification key (the vectors' platform key).
func newEvidenceClient(tb testing.TB, opts ...evidence.Option) *evidence.Client {
	tb.Helper()
	var v testvectors.DECSDocs
	if err := testvectors.Load("evidence_decs_docs.json", &v); err != nil {
		tb.Fatal(err)
	}
	pub, _ := testvectors.Read("keys/platform_rsa_public.pem")
	all := append([]evidence.Option{evidence.WithApp(decsAppID, decsAppKey), evidence.WithPrivateKey([]byte(v.AESKey.PrivateKeyPKCS8B64)),
		evidence.WithNotifyPublicKey(pub), evidence.WithBaseURL("https://decs.invalid")}, opts...)
	c, err := evidence.NewClient(all...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func BenchmarkCallAllinpay(b *testing.B) {
	k := loadAllinpayKeys(b)
	srv := newAllinpayServer(b, k)
	c := srv.Client()
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := allinpayFloor(c, srv.URL, k.merchant, k.platformPub, "Q-1", "20180626171856517"); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	sdk := newAllinpayClient(b, allinpay.WithBaseURL(srv.URL), allinpay.WithHTTPClient(c))
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if q, err := sdk.QueryOrder(ctx, &allinpay.QueryOrderRequest{RequestNo: "Q-1", OriOutTransNo: "20180626171856517"}); err != nil || q.ResultCode != allinpay.ResultCodeSuccess {
					b.Fatal(q, err)
				}
			}
		})
	})
	b.Run("paired", func(b *testing.B) {
		runPairedCalls(b, func() error {
			_, err := allinpayFloor(c, srv.URL, k.merchant, k.platformPub, "Q-1", "20180626171856517")
			return err
		}, func() error {
			_, err := sdk.QueryOrder(ctx, &allinpay.QueryOrderRequest{RequestNo: "Q-1", OriOutTransNo: "20180626171856517"})
			return err
		})
	})
}

// TestDECSFloorNonce: the DECS floor is a correct client, as the SDK must
// be: every request carries a nonce of 32 letters and digits, never the
// same twice (the protocol's rule; a floor that repeated one nonce was
// cheaper than any client DECS would accept).
func TestDECSFloorNonce(t *testing.T) {
	alnum32 := regexp.MustCompile(`^[0-9A-Za-z]{32}$`)
	var mu sync.Mutex
	seen := map[string]bool{}
	h := decsHandler()
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Auth struct {
				Nonce string `json:"nonce"`
			} `json:"auth"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &req); err != nil || !alnum32.MatchString(req.Auth.Nonce) {
			t.Errorf("floor request %s: want a nonce of 32 letters and digits", b)
		}
		mu.Lock()
		if seen[req.Auth.Nonce] {
			t.Errorf("floor repeated nonce %q", req.Auth.Nonce)
		}
		seen[req.Auth.Nonce] = true
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		h.ServeHTTP(w, r)
	}))
	for range 20 {
		if _, err := decsFloor(srv.Client(), srv.URL, decsAppID, decsAppKey, "DA1"); err != nil {
			t.Fatal(err)
		}
	}
}

// runPairedCalls is the "paired" leg: see above.
func runPairedCalls(b *testing.B, floor, sdk func() error) {
	const chunk = 20
	seq := func(call func() error) func(int) {
		return func(k int) {
			for range k {
				if err := call(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	took := alternate(b, [2]func(int){seq(floor), seq(sdk)}, chunk)
	calls := float64(b.N * chunk)
	b.ReportMetric(took[0].Seconds()*1e6/calls, "floor-us/call")
	b.ReportMetric(took[1].Seconds()*1e6/calls, "sdk-us/call")
	b.ReportMetric(took[1].Seconds()/took[0].Seconds(), "sdk/floor")
}
