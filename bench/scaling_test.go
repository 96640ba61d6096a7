package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/testkit/transporttest"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/levy"
)

// The scaling benchmarks: 1, 8 and 64 goroutines × scalingPerCaller calls
// on one client against a TLS loopback server (HTTP/1.1, so that the idle
// pool, not stream multiplexing, decides how many connections open), per
// operation. Legs: "sdk" is the SDK with its default transport settings
// (transport.DefaultTransport, cloned only to trust the test certificate);
// "tuned" is the floor on a hand-written net/http client whose idle pool
// fits the callers. Reported: new connections, calls per second, p50 and
// p99 per call.

const scalingPerCaller = 50

// scalingCall is one call of a scaling leg.
type scalingCall func(ctx context.Context) error

// scalingLeg builds a leg's call against srv; hc is the leg's HTTP client
// (sdkHTTPClient or tunedHTTPClient).
type scalingLeg func(tb testing.TB, srv *httptest.Server, hc *http.Client) scalingCall

// sdkHTTPClient is the SDK's default transport, cloned only to trust srv's
// certificate.
func sdkHTTPClient(srv *httptest.Server) *http.Client {
	t := transport.DefaultTransport().Clone()
	t.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig
	return &http.Client{Transport: t}
}

// tunedHTTPClient is a hand-written client trusting srv whose idle pool
// holds pool connections per host.
func tunedHTTPClient(srv *httptest.Server, pool int) *http.Client {
	tlsCfg := srv.Client().Transport.(*http.Transport).TLSClientConfig
	return &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg, MaxIdleConnsPerHost: pool, MaxIdleConns: 4 * pool}}
}

// benchScaling runs every leg (in order) at 1, 8 and 64 callers, each on a
// fresh server serving h.
func benchScaling(b *testing.B, h http.Handler, names []string, legs map[string]scalingLeg) {
	for _, callers := range []int{1, 8, 64} {
		for _, name := range names {
			b.Run(fmt.Sprintf("callers=%d/%s", callers, name), func(b *testing.B) {
				srv, conns := transporttest.NewCountingTLSServer(b, h)
				var hc *http.Client
				switch name {
				case "sdk":
					hc = sdkHTTPClient(srv)
				case "small-pool":
					hc = tunedHTTPClient(srv, runtime.GOMAXPROCS(0)+1)
				default:
					hc = tunedHTTPClient(srv, callers)
				}
				runCallers(b, callers, conns, legs[name](b, srv, hc))
			})
		}
		b.Run(fmt.Sprintf("callers=%d/paired", callers), func(b *testing.B) {
			runPaired(b, callers, h, "sdk", legs["tuned"], legs["sdk"], sdkHTTPClient)
		})
		// The tuned code on the SDK's default transport, paired with
		// itself on the tuned one: the part of the ratio above that is
		// the transport's settings (the timeouts item 1 asks for).
		b.Run(fmt.Sprintf("callers=%d/paired-transport", callers), func(b *testing.B) {
			runPaired(b, callers, h, "sdk-transport", legs["tuned"], legs["tuned"], sdkHTTPClient)
		})
	}
}

// runPaired measures the ratio the target is set on, sdk's throughput
// over tuned's, with the two legs interleaved: each operation runs
// callers × scalingPerCaller calls of one leg, then of the other (the
// order alternating), each on a server of its own, so that a drift of the
// machine (on these 2-core machines it moves one leg's figure by ±15%
// from run to run) falls on both legs alike. Reported: each leg's calls
// per second and sdk/tuned, their ratio (≥ 0.9 is the target). The
// tuned leg runs on tunedHTTPClient, the sdk leg on the client that
// client builds (sdkHTTPClient: the SDK's default transport); name is the
// second leg's in the metrics.
func runPaired(b *testing.B, callers int, h http.Handler, name string, tuned, sdk scalingLeg, client func(*httptest.Server) *http.Client) {
	ctx := context.Background()
	srvT, _ := transporttest.NewCountingTLSServer(b, h)
	srvS, _ := transporttest.NewCountingTLSServer(b, h)
	calls := [2]scalingCall{tuned(b, srvT, tunedHTTPClient(srvT, callers)), sdk(b, srvS, client(srvS))}
	burst := func(call scalingCall) func(int) {
		return func(perCaller int) {
			var wg sync.WaitGroup
			for range callers {
				wg.Go(func() {
					for range perCaller {
						if err := call(ctx); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
		}
	}
	took := alternate(b, [2]func(int){burst(calls[0]), burst(calls[1])}, scalingPerCaller)
	n := float64(b.N * callers * scalingPerCaller)
	t, s := n/took[0].Seconds(), n/took[1].Seconds()
	b.ReportMetric(t, "tuned-calls/s")
	b.ReportMetric(s, name+"-calls/s")
	b.ReportMetric(s/t, name+"/tuned")
}

// alternate is the core of the paired legs: legs[i](k) runs k calls of
// leg i (per caller). Each leg first runs once with k = 1, untimed (the
// connections and pools warm up, see runCallers); then every operation
// runs both with k = per, the order alternating. It returns each leg's
// time.
func alternate(b *testing.B, legs [2]func(int), per int) [2]time.Duration {
	var took [2]time.Duration
	run := func(i, k int) {
		start := time.Now()
		legs[i](k)
		took[i] += time.Since(start)
	}
	run(0, 1)
	run(1, 1)
	took = [2]time.Duration{}
	b.ResetTimer()
	for i := range b.N {
		run(i%2, per)
		run(1-i%2, per)
	}
	b.StopTimer()
	return took
}

// runCallers runs callers goroutines × scalingPerCaller calls per
// operation and reports connections opened (conns, reset first, the
// warm-up's included), calls per second, p50 and p99.
//
// The timed part starts after a warm-up round, every caller making one
// call at once, so that the handshakes of the connections the callers
// open are not timed. They cost the same whichever leg opens them (one
// per caller), but timed they were spread over b.N operations, and b.N
// differs between legs: at 64 callers on one CPU, 64 TLS handshakes were
// half of a short run, and the slower leg's fewer operations paid more of
// them each, which made it slower still.
func runCallers(b *testing.B, callers int, conns *atomic.Int64, call scalingCall) {
	ctx := context.Background()
	var mu sync.Mutex
	lat := make([]time.Duration, 0, b.N*callers*scalingPerCaller)
	conns.Store(0)
	var warm sync.WaitGroup
	for range callers {
		warm.Go(func() {
			if err := call(ctx); err != nil {
				b.Error(err)
			}
		})
	}
	warm.Wait()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				mine := make([]time.Duration, 0, scalingPerCaller)
				for range scalingPerCaller {
					t0 := time.Now()
					if err := call(ctx); err != nil {
						b.Error(err)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(conns.Load())/float64(b.N), "conns/op")
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkScalingLevy: QUERY_ORDER_V2. "small-pool" is the tuned leg
// with resty's default pool (GOMAXPROCS+1 per host), which every SDK
// client had before.
func BenchmarkScalingLevy(b *testing.B) {
	floor := func(_ testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
		now := time.Now()
		return func(context.Context) error {
			_, err := levyFloor(hc, srv.URL, "dawjoj12d123faiw", levySecret, "R20220630000001", now)
			return err
		}
	}
	benchScaling(b, levyHandler(), []string{"tuned", "sdk", "small-pool"}, map[string]scalingLeg{
		"tuned": floor, "small-pool": floor,
		"sdk": func(tb testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
			return levyQuery(tb, srv.URL, levy.WithHTTPClient(hc))
		},
	})
}

// BenchmarkScalingAllinpay: TRANS_QUERY, its answer signed by the
// platform key (RSA2 both ways: the merchant signs every request).
func BenchmarkScalingAllinpay(b *testing.B) {
	k := loadAllinpayKeys(b)
	benchScaling(b, allinpayHandler(b, k), []string{"tuned", "sdk"}, map[string]scalingLeg{
		"tuned": func(_ testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
			return func(context.Context) error {
				_, err := allinpayFloor(hc, srv.URL, k.merchant, k.platformPub, "Q-1", "20180626171856517")
				return err
			}
		},
		"sdk": func(tb testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
			return allinpayQuery(tb, srv.URL, allinpay.WithHTTPClient(hc))
		},
	})
}

// BenchmarkScalingEvidence: get-da-status (DECSHASH, no response
// signature: the cheapest DECS call).
func BenchmarkScalingEvidence(b *testing.B) {
	benchScaling(b, decsHandler(), []string{"tuned", "sdk"}, map[string]scalingLeg{
		"tuned": func(_ testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
			return func(context.Context) error {
				_, err := decsFloor(hc, srv.URL, decsAppID, decsAppKey, "DA1")
				return err
			}
		},
		"sdk": func(tb testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
			return evidenceStatus(tb, srv.URL, evidence.WithHTTPClient(hc))
		},
	})
}

// newAllinpayClient is an allinpay client with the vectors' merchant and
// platform keys.
func newAllinpayClient(tb testing.TB, opts ...allinpay.Option) *allinpay.Client {
	tb.Helper()
	mp, err := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	if err != nil {
		tb.Fatal(err)
	}
	pp, err := testvectors.Read("keys/platform_rsa_public.pem")
	if err != nil {
		tb.Fatal(err)
	}
	all := append([]allinpay.Option{allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp)}, opts...)
	c, err := allinpay.NewClient(all...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
