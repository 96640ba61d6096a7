package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/testkit/benchdata"
	"github.com/bizapi-cn/go-sdk/levy"
)

// The hostile-answer benchmarks: one call per operation against a server
// that sends an answer a forger or a broken proxy could send (unsigned or
// wrongly signed), and the heap that call needs before it refuses (or,
// where nothing is signed, accepts) it. The target (issue #20) is a peak
// heap growth of at most 4× the call's response limit for any answer;
// the benchmarks report the figure and never fail on it.
//
// Reported per shape: "peak-heap-MiB" (the largest heap growth over the
// call: benchdata.Measure's 2 ms samples and one more as the call
// returns, so that a call shorter than a sample still counts; garbage the
// call made and no GC has collected yet is part of it, as it is of the
// process's heap), "x-limit" (that over the call's limit), "alloc-MiB"
// (bytes allocated during the call) and "refused" (1 when the call
// returned an error). Each benchmark's first shape, "control", is the
// valid answer the other benchmarks use: the fixed cost of a call.

// The default response limits of the calls measured (levy's is
// unexported; TestHostileLimits holds these to the clients' behaviour).
const (
	allinpayQueryLimit = allinpay.DefaultMaxResponseBytes // consumeTrans
	levyQueryLimit     = 1 << 20                          // levy: config.maxBody
)

var (
	evidenceStatusLimit = evidence.DefaultMaxResponseBytes(evidence.OperationGetStatus) // get-da-status
)

// hostileShape is one hostile answer.
type hostileShape struct {
	name   string
	body   func() []byte // built when its sub-benchmark runs
	header http.Header   // sent as is; nil: none beyond Content-Type
}

// hostileCall builds one call to url on a client with its default limits
// and no retries.
type hostileCall func(tb testing.TB, url string) func(ctx context.Context) error

// The calls measured: one attempt each.
var (
	hostileAllinpay hostileCall = func(tb testing.TB, url string) func(context.Context) error {
		return allinpayQuery(tb, url, allinpay.WithRetries(0))
	}
	hostileEvidence hostileCall = func(tb testing.TB, url string) func(context.Context) error {
		return evidenceStatus(tb, url, evidence.WithRetries(0))
	}
	hostileLevy hostileCall = func(tb testing.TB, url string) func(context.Context) error {
		return levyQuery(tb, url, levy.WithRetries(0))
	}
)

// hostileServer answers every request with s, its Content-Length set.
func hostileServer(tb testing.TB, s hostileShape) string {
	tb.Helper()
	body := s.body()
	return serve(tb, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range s.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})).URL
}

// callPeak runs call once and returns its peak heap growth, the bytes it
// allocated and its error.
func callPeak(call func() error) (peak, alloc uint64, err error) {
	var start, end runtime.MemStats
	p, _ := benchdata.Measure(func() error {
		runtime.ReadMemStats(&start)
		err = call()
		runtime.ReadMemStats(&end)
		return nil
	})
	peak = p.Heap
	if end.HeapAlloc > start.HeapAlloc {
		peak = max(peak, end.HeapAlloc-start.HeapAlloc)
	}
	return peak, end.TotalAlloc - start.TotalAlloc, err
}

// benchHostile runs one sub-benchmark per shape and reports the worst
// call of each against limit.
func benchHostile(b *testing.B, limit int64, shapes []hostileShape, newCall hostileCall) {
	for _, s := range shapes {
		b.Run(s.name, func(b *testing.B) {
			body := s.body()
			s.body = func() []byte { return body }
			call := newCall(b, hostileServer(b, s))
			ctx := context.Background()
			var peak, alloc uint64
			refused := 1.0
			for b.Loop() {
				p, a, err := callPeak(func() error { return call(ctx) })
				peak, alloc = max(peak, p), max(alloc, a)
				if err == nil {
					refused = 0
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(peak)/float64(limit), "x-limit")
			b.ReportMetric(float64(alloc)/(1<<20), "alloc-MiB")
			b.ReportMetric(refused, "refused")
			b.ReportMetric(float64(len(body))/(1<<20), "answer-MiB")
		})
	}
}

// fill returns prefix, then unit(i) for i = 0, 1, … while the whole stays
// within size bytes, then suffix.
func fill(size int, prefix, suffix string, unit func(i int) string) []byte {
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(prefix)
	for i := 0; ; i++ {
		u := unit(i)
		if b.Len()+len(u)+len(suffix) > size {
			break
		}
		b.WriteString(u)
	}
	b.WriteString(suffix)
	return b.Bytes()
}

// member is the i-th `"key":"1",` of an object with distinct short
// lower-case keys (base 36).
func member(i int) string { return `"` + strconv.FormatInt(int64(i), 36) + `":"1",` }

// allinpayHostile: a TRANS_QUERY answer claiming success, with a
// signature that does not verify (every byte must be parsed into fields
// before the canonical string can be checked).
func allinpayHostile(tb testing.TB) []hostileShape {
	const head = `{"returnCode":"0000","resultCode":"0000","signature":"AAAA",`
	return []hostileShape{
		{name: "control", body: func() []byte { return allinpayAnswer(tb, loadAllinpayKeys(tb)) }},
		{name: "64MiB-object", body: func() []byte { return fill(64<<20, head, `"z":"z"}`, member) }},
		{name: "tiny-fields-at-limit", body: func() []byte { return fill(allinpayQueryLimit, head, `"_":"_"}`, member) }},
	}
}

func BenchmarkHostileAllinpay(b *testing.B) {
	benchHostile(b, allinpayQueryLimit, allinpayHostile(b), hostileAllinpay)
}

// allinpayQuery is QueryOrder on a client of the vectors' keys, with
// opts.
func allinpayQuery(tb testing.TB, url string, opts ...allinpay.Option) func(context.Context) error {
	c := newAllinpayClient(tb, append([]allinpay.Option{allinpay.WithBaseURL(url)}, opts...)...)
	return func(ctx context.Context) error {
		_, err := c.QueryOrder(ctx, &allinpay.QueryOrderRequest{RequestNo: "Q-1", OriOutTransNo: "20180626171856517"})
		return err
	}
}

// evidenceHostile: get-da-status answers (DECS signs no answer, so any
// bytes from the network are what a forger sends) at the limit.
func evidenceHostile() []hostileShape {
	const head = `{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA1","ext":{"childDaList":[`
	depth := int(evidenceStatusLimit-100) / 2
	return []hostileShape{
		{name: "control", body: func() []byte { return decsResponse }},
		{name: "empty-objects", body: func() []byte {
			return fill(int(evidenceStatusLimit), head+`{}`, `]}}}`, func(int) string { return `,{}` })
		}},
		{name: "nested-arrays", body: func() []byte {
			return []byte(head + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `]}}}`)
		}},
		{name: "huge-string", body: func() []byte {
			return fill(int(evidenceStatusLimit), `{"errorCode":0,"errorMessage":"OK","data":{"daId":"`, `"}}`,
				func(int) string { return strings.Repeat("x", 4096) })
		}},
	}
}

func BenchmarkHostileEvidence(b *testing.B) {
	benchHostile(b, evidenceStatusLimit, evidenceHostile(), hostileEvidence)
}

// evidenceStatus is GetStatus on a client of the docs' keys, with opts.
func evidenceStatus(tb testing.TB, url string, opts ...evidence.Option) func(context.Context) error {
	c := newEvidenceClient(tb, append([]evidence.Option{evidence.WithBaseURL(url)}, opts...)...)
	return func(ctx context.Context) error {
		_, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: "DA1"})
		return err
	}
}

// levyHostile: a QUERY_ORDER_V2 answer at the limit made of empty remit
// orders, with an Api-Sign over other bytes, or none.
func levyHostile() []hostileShape {
	body := func() []byte {
		return fill(levyQueryLimit, `{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R20220630000001","status":"CLOSE","remit_order_list":[{}`,
			`]}}`, func(int) string { return `,{}` })
	}
	return []hostileShape{
		{name: "control", body: func() []byte { return levyResponse }, header: http.Header{"Api-Sign": {hmacB64([]byte(levySecret), levyResponse)}}},
		{name: "tiny-objects/bad-sign", body: body, header: http.Header{"Api-Sign": {hmacB64([]byte(levySecret), levyResponse)}}},
		{name: "tiny-objects/unsigned", body: body},
	}
}

func BenchmarkHostileLevy(b *testing.B) {
	benchHostile(b, levyQueryLimit, levyHostile(), hostileLevy)
}

// levyQuery is QueryOrder on a client of the bench's secret, with opts.
func levyQuery(tb testing.TB, url string, opts ...levy.Option) func(context.Context) error {
	c, err := levy.NewClient(append([]levy.Option{levy.WithCredentials("dawjoj12d123faiw", levySecret), levy.WithBaseURL(url)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return func(ctx context.Context) error {
		_, err := c.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R20220630000001"})
		return err
	}
}

// TestHostileLimits: the limits above are the clients' defaults (an answer
// one byte over is refused as over that limit, one at it is not), and
// every shape is within its limit except allinpay's 64 MiB object.
func TestHostileLimits(t *testing.T) {
	pad := func(n int) []byte {
		return fill(n, `{"errorCode":0,"data":{"daId":"`, `"}}`, func(int) string { return "x" })
	}
	for _, c := range []struct {
		name  string
		limit int64
		call  hostileCall
	}{
		{"allinpay", allinpayQueryLimit, hostileAllinpay},
		{"evidence", evidenceStatusLimit, hostileEvidence},
		{"levy", levyQueryLimit, hostileLevy},
	} {
		over := fmt.Sprintf("over %d bytes", c.limit)
		for _, n := range []int64{c.limit, c.limit + 1} {
			err := c.call(t, hostileServer(t, hostileShape{body: func() []byte { return pad(int(n)) }}))(context.Background())
			if got := err != nil && strings.Contains(err.Error(), over); got != (n > c.limit) {
				t.Errorf("%s: a %d-byte answer: error %v; want %q only past %d", c.name, n, err, over, c.limit)
			}
		}
	}
	for _, m := range []struct {
		limit  int64
		shapes []hostileShape
	}{{allinpayQueryLimit, allinpayHostile(t)}, {evidenceStatusLimit, evidenceHostile()}, {levyQueryLimit, levyHostile()}} {
		for _, s := range m.shapes {
			if s.name == "64MiB-object" {
				continue
			}
			if n := int64(len(s.body())); n > m.limit {
				t.Errorf("%s: %d bytes, over the limit %d", s.name, n, m.limit)
			}
		}
	}
}
