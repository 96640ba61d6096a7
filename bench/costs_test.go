package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// BenchmarkScalingCosts prices, one at a time, what the SDK's evidence
// get-da-status call does that the tuned floor does not, as the paired
// legs of the scaling benchmarks do (runPaired: both legs interleaved,
// each on a server of its own): the floor, paired with the floor plus one
// piece. Each leg reports <piece>/tuned, the throughput that piece leaves;
// their product is about the SDK's ratio, so they say what meeting a
// ratio target would take away. The pieces:
//   - call-bound: the call's own deadline when the context has none
//     (transport.WithTimeout with transport.DefaultTimeout);
//   - resty: the request sent through transport.Send and resty
//     (transport.NewResty over the tuned client), as every SDK call is;
//   - h2, response-header-timeout, idle-timeout: the tuned transport with
//     that one setting of the SDK's default transport (the three that
//     cost; BenchmarkScaling*/paired-transport has all of them);
//   - sdk-code: the SDK's client on the tuned transport, everything but
//     the transport's settings.
func BenchmarkScalingCosts(b *testing.B) {
	const path = "/api/das/get-da-status"
	floor := func(_ testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
		return func(context.Context) error {
			_, err := decsFloor(hc, srv.URL, decsAppID, decsAppKey, "DA1")
			return err
		}
	}
	bounded := func(_ testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
		return func(ctx context.Context) error {
			ctx, cancel := transport.WithTimeout(ctx, transport.DefaultTimeout)
			defer cancel()
			body, hash := decsFloorBody(decsAppID, decsAppKey, "DA1")
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+path, bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("DECSHASH", hash)
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			_, err = decsFloorAnswer(resp)
			return err
		}
	}
	viaResty := func(_ testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
		rc := transport.NewResty(hc)
		return func(ctx context.Context) error {
			body, hash := decsFloorBody(decsAppID, decsAppKey, "DA1")
			resp, err := transport.Send(ctx, rc, transport.Request{
				Method: http.MethodPost, URL: srv.URL + path, Body: bytes.NewReader(body), Size: int64(len(body)),
				Header: http.Header{"Content-Type": {"application/json"}, "Decshash": {hash}},
			})
			if err != nil {
				return err
			}
			_, err = decsFloorAnswer(resp)
			return err
		}
	}
	sdk := func(tb testing.TB, srv *httptest.Server, hc *http.Client) scalingCall {
		return evidenceStatus(tb, srv.URL, evidence.WithHTTPClient(hc))
	}
	sdkT := transport.DefaultTransport()
	for _, callers := range []int{1, 8} {
		tuned := func(srv *httptest.Server) *http.Client { return tunedHTTPClient(srv, callers) }
		with := func(set func(*http.Transport)) func(*httptest.Server) *http.Client {
			return func(srv *httptest.Server) *http.Client {
				hc := tunedHTTPClient(srv, callers)
				set(hc.Transport.(*http.Transport))
				return hc
			}
		}
		for _, c := range []struct {
			name   string
			leg    scalingLeg
			client func(*httptest.Server) *http.Client
		}{
			{"call-bound", bounded, tuned},
			{"resty", viaResty, tuned},
			{"h2", floor, with(func(t *http.Transport) { t.ForceAttemptHTTP2 = sdkT.ForceAttemptHTTP2 })},
			{"response-header-timeout", floor, with(func(t *http.Transport) { t.ResponseHeaderTimeout = sdkT.ResponseHeaderTimeout })},
			{"idle-timeout", floor, with(func(t *http.Transport) { t.IdleConnTimeout = sdkT.IdleConnTimeout })},
			{"sdk-code", sdk, tuned},
		} {
			b.Run(fmt.Sprintf("callers=%d/paired-%s", callers, c.name), func(b *testing.B) {
				runPaired(b, callers, decsHandler(), c.name, floor, c.leg, c.client)
			})
		}
	}
}
