package allinpay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/jarcoal/httpmock"
)

// billAnswer is a signed DOWNLOAD_CHECK_BILL answer to form, with billData
// written as raw JSON text (so tests can escape it) and extra members.
func billAnswer(t testing.TB, form map[string]string, billData string, extra map[string]string) []byte {
	f := map[string]string{"requestNo": form["requestNo"], "version": "V1.0", "accessCode": form["accessCode"], "transType": "DOWNLOAD_CHECK_BILL",
		"signType": "RSA2", "mchNo": form["mchNo"], "returnCode": "0000", "returnMsg": "succeed", "resultCode": "0000", "resultMsg": "ok"}
	for k, v := range extra {
		f[k] = v
	}
	signed := map[string]string{}
	for k, v := range f {
		signed[k] = v
	}
	var decoded string
	if billData != "" && billData != "null" {
		_ = json.Unmarshal([]byte(billData), &decoded)
	}
	signed["billData"] = decoded
	f["signature"] = platformSign(t, signed)
	b, _ := json.Marshal(f)
	if billData != "" {
		b = append(b[:len(b)-1], `,"billData":`+billData+`}`...)
	}
	return b
}

// TestBillStreamed: billData is read from the answer to a temporary file,
// verified there, removed by Close; its JSON forms (escaped '/', null,
// absent) read as FieldsFromJSON would, and junk is refused.
func TestBillStreamed(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	file := "20240101,M1,Shop,T1,O1,ALIPAY_SCANCODE,,,,,2024-01-01 10:00:00,HKD,10.50,0.00,HKD,10.44,0.06,10.50,0.00,1.0000,,\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n"
	// A remark of "???" makes base64 write '/' ("??" encodes as "Pz8/").
	file = strings.Replace(file, "1.0000,,", "1.0000,,???", 1)
	b64 := base64.StdEncoding.EncodeToString([]byte(file))
	escaped, _ := json.Marshal(b64)
	escaped = bytes.ReplaceAll(escaped, []byte("/"), []byte(`\/`))
	if !bytes.Contains(escaped, []byte(`\/`)) {
		t.Fatal("the test bill has no '/' to escape")
	}
	day := &allinpay.DownloadBillRequest{BillDate: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}
	for name, c := range map[string]struct {
		billData string
		extra    map[string]string
		edit     func([]byte) []byte
		rows     int
		err      error
	}{
		"plain":               {billData: string(escaped), rows: 1},
		"null":                {billData: "null", rows: 0},
		"absent":              {rows: 0},
		"unknown member kept": {billData: string(escaped), extra: map[string]string{"x": "y"}, rows: 1},
		"trailing data":       {billData: string(escaped), edit: func(b []byte) []byte { return append(b, "{}"...) }, err: allinpay.ErrMalformedResponse},
		"billData a number":   {billData: "12", err: allinpay.ErrMalformedResponse},
		"billData not base64": {billData: `"AB&C"`, err: allinpay.ErrMalformedResponse},
		"BILLDATA twin":       {billData: string(escaped), edit: func(b []byte) []byte { return append(b[:len(b)-1], `,"BILLDATA":""}`...) }, err: allinpay.ErrMalformedResponse},
		// A field twice and names alike in case are refused in a bill's
		// answer as in any other, with billData empty or absent too.
		"billData empty, then again":    {billData: string(escaped), edit: func(b []byte) []byte { return append([]byte(`{"billData":"",`), b[1:]...) }, err: allinpay.ErrMalformedResponse},
		"RESULTCODE twin, no billData":  {edit: func(b []byte) []byte { return append([]byte(`{"RESULTCODE":"",`), b[1:]...) }, err: allinpay.ErrMalformedResponse},
		"BILLDATA twin, billData empty": {billData: `""`, edit: func(b []byte) []byte { return append(b[:len(b)-1], `,"BILLDATA":""}`...) }, err: allinpay.ErrMalformedResponse},
		"BILLDATA twin, billData null":  {billData: "null", edit: func(b []byte) []byte { return append(b[:len(b)-1], `,"BILLDATA":""}`...) }, err: allinpay.ErrMalformedResponse},
		"tampered row":                  {billData: string(escaped), edit: func(b []byte) []byte { return bytes.Replace(b, []byte(b64[:8]), []byte("AAAAAAAA"), 1) }, err: allinpay.ErrInvalidSignature},
	} {
		c2, mt := mockClient(t, "REQ-B")
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			_ = r.ParseForm()
			form := map[string]string{}
			for k, v := range r.PostForm {
				form[k] = v[0]
			}
			body := billAnswer(t, form, c.billData, c.extra)
			if c.edit != nil {
				body = c.edit(body)
			}
			return httpmock.NewBytesResponse(200, body), nil
		})
		resp, err := c2.DownloadBill(context.Background(), day)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%s: %v; want %v", name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		n, err := readAll(resp.Reader())
		if !errors.Is(err, io.EOF) || n != c.rows {
			t.Errorf("%s: %d rows, %v; want %d", name, n, err, c.rows)
		}
		if _, ok := resp.Fields["billData"]; ok {
			t.Errorf("%s: billData kept in Fields", name)
		}
		_ = resp.Close()
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "allinpay-bill-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// BenchmarkDownloadBill: a 100,000-row bill downloaded, verified and read
// row by row (target: ≥ 100 MB/s of file, heap held ≤ 0.1× the file; the
// heap is measured live, after a collection, halfway through the rows).
func BenchmarkDownloadBill(b *testing.B) {
	file := billFile(100_000)
	b64 := base64.StdEncoding.EncodeToString(file)
	answer := billAnswerB(b, map[string]string{"requestNo": "REQ-BENCH", "accessCode": "20000000", "mchNo": "6666666600003"}, b64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(answer) }))
	defer srv.Close()
	mp, pp, _, _ := vectorKeys(b)
	c, err := allinpay.NewClient(allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithKeys(mp, pp), allinpay.WithBaseURL(srv.URL),
		allinpay.WithRequestNoFunc(func() string { return "REQ-BENCH" }))
	if err != nil {
		b.Fatal(err)
	}
	req := &allinpay.DownloadBillRequest{BillDate: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(len(file)))
	live := func() uint64 {
		runtime.GC()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	base := live()
	var held uint64
	for b.Loop() {
		resp, err := c.DownloadBill(context.Background(), req)
		if err != nil {
			b.Fatal(err)
		}
		br := resp.Reader()
		for i := 0; i < 100_000; i++ {
			if _, err := br.Next(); err != nil {
				b.Fatal(i, err)
			}
			if i == 50_000 && held == 0 {
				// What the download holds while it is read: the live heap
				// halfway through, garbage collected.
				b.StopTimer()
				held = max(live(), base) - base
				b.StartTimer()
			}
		}
		if _, err := br.Next(); !errors.Is(err, io.EOF) {
			b.Fatal(err)
		}
		resp.Close()
	}
	b.ReportMetric(float64(held)/float64(len(file)), "held-heap/bill")
}

func billAnswerB(b *testing.B, form map[string]string, b64 string) []byte {
	f := map[string]string{"requestNo": form["requestNo"], "version": "V1.0", "accessCode": form["accessCode"], "transType": "DOWNLOAD_CHECK_BILL",
		"signType": "RSA2", "mchNo": form["mchNo"], "returnCode": "0000", "returnMsg": "succeed", "resultCode": "0000", "resultMsg": "ok", "billData": b64}
	f["signature"] = platformSign(b, f)
	out, _ := json.Marshal(f)
	return out
}
