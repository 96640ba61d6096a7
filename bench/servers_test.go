package bench

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
)

// The servers below answer one fixed, correctly signed response, so that a
// benchmark measures the client: the SDK and its floor hit the same server.

const levySecret = "levy-test-secret-7f3a"

// levyResponse is a QUERY_ORDER_V2 answer with its Api-Sign.
var levyResponse = []byte(`{"name":"QUERY_ORDER_V2","code":"0","message":"成功","data":{"request_id":"R20220630000001","status":"CLOSE","remit_order_list":[]}}`)

func hmacB64(key, msg []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// serve starts h on a loopback HTTP server closed when tb ends.
func serve(tb testing.TB, h http.Handler) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// newLevyServer serves levyHandler.
func newLevyServer(tb testing.TB) *httptest.Server { tb.Helper(); return serve(tb, levyHandler()) }

// levyHandler answers every POST with levyResponse and Api-Sign; it checks
// that a req and a sign arrived, and nothing else, so that it costs the same
// whoever calls it.
func levyHandler() http.Handler {
	sig := hmacB64([]byte(levySecret), levyResponse)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("req") == "" || r.PostForm.Get("sign") == "" {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Header().Set("Api-Sign", sig)
		w.Write(levyResponse)
	})
}

// DECS: the docs' app key; responses carry no signature.
const (
	decsAppID  = "IDAkEBvb"
	decsAppKey = "FcuMaP8q39Q4IigraXdDKpvaOhF2PqNptq86ZHYRvtMjAdVZIOSEfW4t6IdxUJu9"
)

var decsResponse = []byte(`{"errorCode":0,"errorMessage":"OK","data":{"daId":"DA1","bizNo":"B1","daStatus":10,"jsonResult":10,"authorizedTs":1700000000000,"ext":{"daSubStatus":"","childDaList":[]}}}`)

// newDECSServer serves decsHandler.
func newDECSServer(tb testing.TB) *httptest.Server { tb.Helper(); return serve(tb, decsHandler()) }

// decsHandler answers every POST that carries a DECSHASH with decsResponse.
func decsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil || r.Header.Get("DECSHASH") == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(decsResponse)
	})
}

// allinpayKeys holds the vector keys: the merchant signs, the platform
// answers.
type allinpayKeys struct {
	merchant    *rsa.PrivateKey
	platform    *rsa.PrivateKey
	platformPub *rsa.PublicKey
}

func loadAllinpayKeys(tb testing.TB) allinpayKeys {
	tb.Helper()
	var k allinpayKeys
	for _, x := range []struct {
		file string
		dst  **rsa.PrivateKey
	}{{"keys/merchant_rsa_private_pkcs1.pem", &k.merchant}, {"keys/platform_rsa_private_pkcs1.pem", &k.platform}} {
		b, err := testvectors.Read(x.file)
		if err != nil {
			tb.Fatal(err)
		}
		if *x.dst, err = keys.ParseRSAPrivateKey(b); err != nil {
			tb.Fatal(err)
		}
	}
	k.platformPub = &k.platform.PublicKey
	return k
}

// canonicalFields is the allinpay canonical string of a raw field set, the
// straightforward stdlib way.
func canonicalFields(m map[string]string) string {
	ks := make([]string, 0, len(m))
	for k, v := range m {
		if k != "signature" && v != "" {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	var b strings.Builder
	for i, k := range ks {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + m[k])
	}
	return b.String()
}

func rsaSignB64(k *rsa.PrivateKey, msg string) string {
	sum := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// newAllinpayServer serves allinpayHandler.
func newAllinpayServer(tb testing.TB, k allinpayKeys) *httptest.Server {
	tb.Helper()
	return serve(tb, allinpayHandler(tb, k))
}

// allinpayHandler answers a TRANS_QUERY with allinpayAnswer.
func allinpayHandler(tb testing.TB, k allinpayKeys) http.Handler {
	tb.Helper()
	body := allinpayAnswer(tb, k)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("signature") == "" {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		w.Write(body)
	})
}

// allinpayAnswer is a TRANS_QUERY answer signed by the platform key over
// all its fields.
func allinpayAnswer(tb testing.TB, k allinpayKeys) []byte {
	tb.Helper()
	fields := map[string]string{
		"requestNo": "Q-1", "version": "V1.0", "accessCode": "20000000", "transType": "TRANS_QUERY",
		"signType": "RSA2", "mchNo": "6666666600003", "transAmount": "1", "currency": "HKD",
		"transNo": "T900001", "payTime": "20180626172001", "returnCode": "0000", "returnMsg": "succeed",
		"resultCode": "0000", "resultMsg": "transact successfully", "outTransNo": "20180626171856517",
	}
	fields["signature"] = rsaSignB64(k.platform, canonicalFields(fields))
	body, err := json.Marshal(fields)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// postForm is the floor's transport step: a form POST read whole.
func postForm(c *http.Client, u string, form url.Values) ([]byte, http.Header, error) {
	resp, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	return b, resp.Header, err
}
