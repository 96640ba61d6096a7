package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/levy"
)

// newLevyTLSServer is newLevyServer over TLS (HTTP/1.1, so that the idle
// pool, not stream multiplexing, decides how many connections open),
// counting the connections it accepts.
func newLevyTLSServer(tb testing.TB) (*httptest.Server, *atomic.Int64) {
	tb.Helper()
	plain := newLevyServer(tb) // for its handler
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(plain.Config.Handler)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	return srv, &conns
}

// BenchmarkScalingLevy: 1, 8 and 64 goroutines × 50 QUERY_ORDER_V2 calls
// on one client against a TLS loopback server, per operation. Legs:
// "sdk" is the SDK with its default transport settings
// (transport.DefaultTransport, cloned only to trust the test certificate);
// "tuned" is a hand-written net/http client whose idle pool fits the
// callers; "small-pool" is the same with resty's default pool
// (GOMAXPROCS+1 per host), which every SDK client had before. Reported:
// new connections, calls per second, p50 and p99 per call.
func BenchmarkScalingLevy(b *testing.B) {
	const perCaller = 50
	for _, callers := range []int{1, 8, 64} {
		for _, leg := range []string{"tuned", "sdk", "small-pool"} {
			b.Run(fmt.Sprintf("callers=%d/%s", callers, leg), func(b *testing.B) {
				srv, conns := newLevyTLSServer(b)
				tlsCfg := srv.Client().Transport.(*http.Transport).TLSClientConfig
				var call func(ctx context.Context) error
				switch leg {
				case "sdk":
					t := transport.DefaultTransport().Clone()
					t.TLSClientConfig = tlsCfg
					c, err := levy.NewClient(levy.WithCredentials("dawjoj12d123faiw", levySecret), levy.WithBaseURL(srv.URL),
						levy.WithHTTPClient(&http.Client{Transport: t}))
					if err != nil {
						b.Fatal(err)
					}
					call = func(ctx context.Context) error {
						_, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R20220630000001"})
						return err
					}
				default:
					pool := callers
					if leg == "small-pool" {
						pool = runtime.GOMAXPROCS(0) + 1
					}
					hc := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg, MaxIdleConnsPerHost: pool, MaxIdleConns: 4 * pool}}
					now := time.Now()
					call = func(context.Context) error {
						_, err := levyFloor(hc, srv.URL, "dawjoj12d123faiw", levySecret, "R20220630000001", now)
						return err
					}
				}
				ctx := context.Background()
				var mu sync.Mutex
				lat := make([]time.Duration, 0, b.N*callers*perCaller)
				conns.Store(0)
				b.ResetTimer()
				start := time.Now()
				for range b.N {
					var wg sync.WaitGroup
					for range callers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							mine := make([]time.Duration, 0, perCaller)
							for range perCaller {
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
						}()
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
			})
		}
	}
}
