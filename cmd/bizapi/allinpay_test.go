package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/keys"
)

type allinpayVectors struct {
	Requests []struct {
		Fields    map[string]string
		Canonical string
		Signature string
	}
	Response struct {
		JSON      json.RawMessage `json:"json"`
		Canonical string
	}
}

func loadAllinpay(t *testing.T) allinpayVectors {
	var v allinpayVectors
	vec(t, "allinpay_rsa2.json", &v)
	return v
}

// kvLines writes fields as key=value lines, in a fixed order.
func kvLines(fields map[string]string) []byte {
	ks := make([]string, 0, len(fields))
	for k := range fields {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var b strings.Builder
	for _, k := range ks {
		b.WriteString(k + "=" + fields[k] + "\n")
	}
	return []byte(b.String())
}

func TestAllinpayCanonicalVectors(t *testing.T) {
	v := loadAllinpay(t)
	for i, rq := range v.Requests {
		j, _ := json.Marshal(rq.Fields)
		args := []string{"allinpay", "canonical", "--key-file", keyDir + "merchant_rsa_private_pkcs1.pem", "--reveal"}
		for _, in := range []struct {
			name string
			data []byte
		}{
			{"json", j},
			{"kv", kvLines(rq.Fields)},
			{"form", []byte(urlValues(rq.Fields).Encode())},
		} {
			r := bz(t, nil, in.data, args...)
			wantCode(t, r, exitOK)
			wantLine(t, r, "format", in.name)
			wantLine(t, r, "canonical", rq.Canonical)
			wantLine(t, r, "signature", rq.Signature)
		}
		r := bz(t, nil, j, "allinpay", "canonical", "--key-env", "ALLINPAY_PRIVATE_KEY")
		wantCode(t, r, exitUsage) // the variable is not set
		env := map[string]string{"ALLINPAY_PRIVATE_KEY": "@" + keyDir + "merchant_rsa_private_pkcs8.pem"}
		r = bz(t, env, j, "allinpay", "canonical", "--key-env", "ALLINPAY_PRIVATE_KEY")
		wantCode(t, r, exitOK)
		wantLine(t, r, "signature", rq.Signature)
		checkGolden(t, fmt.Sprintf("allinpay_canonical_%d", i), r)
	}
}

func urlValues(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

func responseFields(t *testing.T, v allinpayVectors) map[string]string {
	var m map[string]any
	if err := json.Unmarshal(v.Response.JSON, &m); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, x := range m {
		out[k] = fmt.Sprint(x)
	}
	return out
}

func TestAllinpayVerifyVectors(t *testing.T) {
	v := loadAllinpay(t)
	pub := keyDir + "platform_rsa_public.pem"
	r := bz(t, nil, v.Response.JSON, "allinpay", "verify", "--pub-file", pub, "--reveal")
	wantCode(t, r, exitOK)
	wantLine(t, r, "canonical", v.Response.Canonical)
	checkGolden(t, "allinpay_verify_answer", r)

	// The same fields as a notification form, and as a captured POST.
	form := urlValues(responseFields(t, v)).Encode()
	r = bz(t, nil, []byte(form), "allinpay", "verify", "--pub-file", keyDir+"platform_rsa_public.b64")
	wantCode(t, r, exitOK)
	post := fmt.Sprintf("POST /notify HTTP/1.1\r\nHost: m\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(form), form)
	wantCode(t, bz(t, nil, []byte(post), "allinpay", "verify", "--pub-file", pub), exitOK)

	// A field changed: the signature fails and no cause is made up.
	f := responseFields(t, v)
	f["transAmount"] = "2"
	r = bz(t, nil, []byte(urlValues(f).Encode()), "allinpay", "verify", "--pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "none recognised", "fields in order:  accessCode, currency,", "key tried:        platform public key SHA256:")
}

// TestAllinpayCauseReversedKey: the merchant's own public key given as the
// platform's.
func TestAllinpayCauseReversedKey(t *testing.T) {
	v := loadAllinpay(t)
	r := bz(t, nil, v.Response.JSON, "allinpay", "verify", "--pub-file", keyDir+"merchant_rsa_public.pem",
		"--key-file", keyDir+"merchant_rsa_private_pkcs1.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "reversed key role: the key given as the platform's public key", "is the public half of your own private key")
	checkGolden(t, "allinpay_cause_reversed_key", r)

	// Without the private key: the other public key shows which one signed.
	r = bz(t, nil, v.Response.JSON, "allinpay", "verify", "--pub-file", keyDir+"merchant_rsa_public.pem",
		"--alt-pub-file", keyDir+"platform_rsa_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "reversed key role: the signature verifies with --alt-pub")

	// A request of one's own checked as if it were an answer.
	rq := v.Requests[0]
	f := map[string]string{"signature": rq.Signature}
	for k, s := range rq.Fields {
		f[k] = s
	}
	j, _ := json.Marshal(f)
	r = bz(t, nil, j, "allinpay", "verify", "--pub-file", keyDir+"platform_rsa_public.pem", "--key-file", keyDir+"merchant_rsa_private_pkcs8.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "it was signed with your private key")
}

// platformSign signs msg as the platform does, with the vectors' platform
// key, independently of the tool.
func platformSign(t *testing.T, msg string) string {
	t.Helper()
	b, err := os.ReadFile(keyDir + "platform_rsa_private_pkcs1.pem")
	if err != nil {
		t.Fatal(err)
	}
	k, err := keys.ParseRSAPrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// notifyFields is a payment notification with a '+' in a value (a base64
// payInfo) and both payTime and paymentInstitution, whose order differs
// between byte order and case-insensitive order.
func notifyFields() map[string]string {
	return map[string]string{
		"accessCode": "20000000", "mchNo": "6666666600003", "outTransNo": "P-9", "transType": "ALIPAY_H5",
		"signType": "RSA2", "version": "V1.0", "requestNo": "N-9", "transAmount": "100", "currency": "HKD",
		"paymentInstitution": "ALIPAYHK", "payTime": "20240105100000", "resultCode": "0000", "returnCode": "0000",
		"payInfo": "ab+cd/ef==", "goodsSubject": "Kids clothing A+B",
	}
}

func canonicalString(f map[string]string, less func(a, b string) bool) string {
	var ks []string
	for k, v := range f {
		if k != "signature" && v != "" {
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool { return less(ks[i], ks[j]) })
	var p []string
	for _, k := range ks {
		p = append(p, k+"="+f[k])
	}
	return strings.Join(p, "&")
}

func byteOrder(a, b string) bool { return a < b }

// rawForm writes a form without escaping '+', as a careless sender does.
func rawForm(f map[string]string) []byte {
	ks := make([]string, 0, len(f))
	for k := range f {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var p []string
	for _, k := range ks {
		p = append(p, k+"="+strings.NewReplacer(" ", "%20", "&", "%26", "=", "%3D", "/", "%2F").Replace(f[k]))
	}
	return []byte(strings.Join(p, "&"))
}

// TestAllinpayCausePlus: a sender that does not escape '+' in a form body:
// the receiver's (correct) URL decoding turns it into a space.
func TestAllinpayCausePlus(t *testing.T) {
	f := notifyFields()
	f["signature"] = platformSign(t, canonicalString(f, byteOrder))
	good := urlValues(f).Encode()
	pub := keyDir + "platform_rsa_public.pem"
	wantCode(t, bz(t, nil, []byte(good), "allinpay", "verify", "--pub-file", pub), exitOK)

	careless := rawForm(f) // the signature's '+' and the values' '+' unescaped
	r := bz(t, nil, careless, "allinpay", "verify", "--pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "URL-decoding damage")
	checkGolden(t, "allinpay_cause_plus", r)

	// Values only (the signature escaped, the values not).
	f = notifyFields()
	sig := platformSign(t, canonicalString(f, byteOrder))
	body := string(rawForm(f)) + "&signature=" + url.QueryEscape(sig)
	r = bz(t, nil, []byte(body), "allinpay", "verify", "--pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "URL-decoding damage: a '+' became a space in goodsSubject, payInfo")
}

// TestAllinpayCauseOrder: a signer that sorts keys case-insensitively
// (Java's String.CASE_INSENSITIVE_ORDER) puts paymentInstitution before
// payTime; the protocol's byte order puts payTime first.
func TestAllinpayCauseOrder(t *testing.T) {
	f := notifyFields()
	f["signature"] = platformSign(t, canonicalString(f, func(a, b string) bool { return strings.ToLower(a) < strings.ToLower(b) }))
	r := bz(t, nil, []byte(urlValues(f).Encode()), "allinpay", "verify", "--pub-file", keyDir+"platform_rsa_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "field order differs: the signer sorted the keys case-insensitively", "byte order puts payTime first, case-insensitive order paymentInstitution")
	checkGolden(t, "allinpay_cause_order", r)

	// A signer that did not sort at all.
	order := []string{"version", "accessCode", "transType", "mchNo", "requestNo", "signType"}
	g := map[string]string{}
	var p, sent []string
	for _, k := range order {
		g[k] = notifyFields()[k]
		p = append(p, k+"="+g[k])
		sent = append(sent, k+"="+url.QueryEscape(g[k]))
	}
	body := strings.Join(sent, "&") + "&signature=" + url.QueryEscape(platformSign(t, strings.Join(p, "&")))
	r = bz(t, nil, []byte(body), "allinpay", "verify", "--pub-file", keyDir+"platform_rsa_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "the signer did not sort the keys")
}

// TestAllinpayCauseCase: a gateway that capitalised one field name: the
// platform signed transAmount, the host received TransAmount.
func TestAllinpayCauseCase(t *testing.T) {
	f := notifyFields()
	f["signature"] = platformSign(t, canonicalString(f, byteOrder))
	f["TransAmount"] = f["transAmount"]
	delete(f, "transAmount")
	r := bz(t, nil, []byte(urlValues(f).Encode()), "allinpay", "verify", "--pub-file", keyDir+"platform_rsa_public.pem")
	wantCode(t, r, exitFailed)
	wantContains(t, r, `field case differs: "TransAmount" was received, the protocol names it "transAmount"`)
}

func TestAllinpayBill(t *testing.T) {
	ok, err := os.ReadFile("testdata/bill_ok.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := bz(t, nil, ok, "allinpay", "bill", "--rows")
	wantCode(t, r, exitOK)
	wantLine(t, r, "rows", "3 detail lines, summary count 3")
	wantLine(t, r, "settlement amount", "summary 133.72, rows 133.72  ok")
	wantAbsent(t, r, "6222020200112233445") // a card number, masked
	checkGolden(t, "allinpay_bill_ok", r)

	b64 := base64.StdEncoding.EncodeToString(ok)
	r2 := bz(t, nil, []byte(b64), "allinpay", "bill", "--rows")
	wantCode(t, r2, exitOK)
	answer, _ := json.Marshal(map[string]string{"returnCode": "0000", "resultCode": "0000", "billData": b64})
	r3 := bz(t, nil, answer, "allinpay", "bill", "--rows")
	wantCode(t, r3, exitOK)
	strip := func(s string) string { return s[strings.Index(s, "\n"):] }
	if strip(r.stdout) != strip(r2.stdout) || strip(r.stdout) != strip(r3.stdout) {
		t.Errorf("the three inputs give different summaries:\n%s\n%s\n%s", r.stdout, r2.stdout, r3.stdout)
	}
	r = bz(t, nil, ok, "allinpay", "bill", "--rows", "--reveal")
	wantContains(t, r, "6222020200112233445")

	bad, _ := os.ReadFile("testdata/bill_bad.csv")
	r = bz(t, nil, bad, "allinpay", "bill")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "summary counts 4 transactions, the file has 3 detail lines",
		"settlement amount: summary 133.70, rows add up to 133.72",
		`settlement currency "hkd" is not an ISO 4217 code`,
		"-20.005 has 3 decimals, HKD has 2")
	checkGolden(t, "allinpay_bill_bad", r)

	// Truncated: the summary line is missing.
	lines := strings.SplitAfter(string(ok), "\n")
	r = bz(t, nil, []byte(strings.Join(lines[:2], "")), "allinpay", "bill")
	wantCode(t, r, exitFailed)
	wantContains(t, r, "truncated")
}

// TestAllinpayCauseEmptyAndEscaped: a signer that kept empty fields, and
// one that URL-escaped the values before signing.
func TestAllinpayCauseEmptyAndEscaped(t *testing.T) {
	pub := keyDir + "platform_rsa_public.pem"
	f := notifyFields()
	f["storeId"] = ""
	var ks []string
	for k := range f {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var p []string
	for _, k := range ks {
		p = append(p, k+"="+f[k])
	}
	f["signature"] = platformSign(t, strings.Join(p, "&"))
	r := bz(t, nil, []byte(urlValues(f).Encode()), "allinpay", "verify", "--pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "the signer included empty fields")

	g := notifyFields()
	g["notifyUrl"] = "https://m.example.com/n?a=1&b=2"
	var q []string
	for _, k := range diag.SignedOrder(g) {
		q = append(q, k+"="+url.QueryEscape(g[k]))
	}
	g["signature"] = platformSign(t, strings.Join(q, "&"))
	r = bz(t, nil, []byte(urlValues(g).Encode()), "allinpay", "verify", "--pub-file", pub)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "the signer URL-escaped the values before signing")
}
