package flow

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

// capture collects every log record (at the lowest level), every printed
// line and every error string of a run.
type capture struct {
	mu   sync.Mutex
	logs bytes.Buffer
	out  bytes.Buffer
	errs []string
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

func (c *capture) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(&lockedBuf{c: c}, &slog.HandlerOptions{Level: slog.Level(-100), AddSource: true}))
}

func (c *capture) err(err error) {
	if err != nil {
		c.mu.Lock()
		c.errs = append(c.errs, err.Error())
		c.mu.Unlock()
	}
}

type lockedBuf struct{ c *capture }

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	return l.c.logs.Write(p)
}

// secret is one value that must never appear, in the forms it could take.
type secret struct {
	name  string
	forms []string
}

func rawSecret(name string, b []byte) secret {
	return secret{name, []string{string(b), base64.StdEncoding.EncodeToString(b), hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b))}}
}

// pemSecret: any 40-character run of a key's base64 body.
func pemSecret(name string, pem []byte) secret {
	body := ""
	for _, line := range strings.Split(string(pem), "\n") {
		if !strings.HasPrefix(line, "-----") {
			body += strings.TrimSpace(line)
		}
	}
	var forms []string
	for i := 0; i+40 <= len(body); i += 40 {
		forms = append(forms, body[i:i+40])
	}
	return secret{name, forms}
}

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := testvectors.Read("keys/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNoSecretsInLogsOrErrors runs every example flow and the failure
// paths of every module with a debug logger that keeps everything, and
// checks that no key, secret, field key, file key, full ID card, bank card
// or phone number appears in a log record, a printed line or an error.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	cap := &capture{}
	log := cap.logger()
	ctx := context.Background()
	const idCard, bankCard, phone, phone2 = "110101199003074477", "6222020200112233445", "13800138000", "13900139000"
	secrets := []secret{
		{"levy secret", []string{levytest.DefaultSecret}},
		{"ID card", []string{idCard}}, {"bank card", []string{bankCard}}, {"phone", []string{phone, phone2}},
		pemSecret("merchant RSA key", read(t, "merchant_rsa_private_pkcs8.pem")),
		pemSecret("merchant RSA key (PKCS#1)", read(t, "merchant_rsa_private_pkcs1.pem")),
		pemSecret("SM2 key", read(t, "sm2_private.pem")),
	}
	sm2Priv, _ := gm.ParseSM2PrivateKey(read(t, "sm2_private.pem"))
	secrets = append(secrets, secret{"SM2 key scalar", []string{fmt.Sprintf("%064x", sm2Priv.D)}})

	// The example flows, each with the logger.
	steps := map[string]func() error{
		"levy":     func() error { return Levy(ctx, cap, LevyConfig{Logger: log, NoticeWait: 5 * time.Second}) },
		"allinpay": func() error { return Allinpay(ctx, cap, AllinpayConfig{Logger: log, NotifyWait: 5 * time.Second}) },
		"evidence": func() error {
			return Evidence(ctx, cap, EvidenceConfig{Logger: log, NotifyWait: 5 * time.Second, onFake: func(s *evidencetest.Server) {
				secrets = append(secrets, secret{"evidence appKey", []string{s.AppKey}}, rawSecret("evidence field key", s.FieldKey()), secret{"evidence fileKey", []string{s.FileKey()}})
			}})
		},
		"scancode": func() error { return Scancode(ctx, cap, ScancodeConfig{Logger: log}) },
	}
	for name, run := range steps {
		if err := run(); err != nil {
			t.Fatalf("%s flow: %v", name, err)
		}
	}

	// Failure paths.
	levyFailures(t, ctx, cap, log)
	allinpayFailures(t, ctx, cap, log, &secrets)
	evidenceFailures(t, ctx, cap, log, &secrets)
	scancodeFailures(t, ctx, cap, log, &secrets)

	cap.mu.Lock()
	defer cap.mu.Unlock()
	if cap.logs.Len() == 0 || len(cap.errs) < 20 {
		t.Fatalf("captured %d bytes of logs and %d errors: the runs did not exercise enough", cap.logs.Len(), len(cap.errs))
	}
	found := leaks(cap, secrets)
	for _, l := range found {
		t.Error(l)
	}
	// The scan itself finds a planted leak in each channel, in the forms
	// the SDK's records would carry it (a JSON log attribute, a printed
	// line, an error string).
	control := &capture{}
	control.logger().Info("control", slog.String("key", string(read(t, "sm2_private.pem"))))
	fmt.Fprintf(control, "phone %s\n", phone)
	control.err(fmt.Errorf("id %s", idCard))
	got := strings.Join(leaks(control, secrets), "\n")
	for _, want := range []string{"logs: SM2 key appears", "output: phone appears", "errors: ID card appears"} {
		if !strings.Contains(got, want) {
			t.Errorf("the scan missed a planted leak (%s); found:\n%s", want, got)
		}
	}
	t.Logf("secrets: %d values in %d forms checked against %d log bytes, %d output bytes and %d error strings; %d found",
		len(secrets), countForms(secrets), cap.logs.Len(), cap.out.Len(), len(cap.errs), len(found))
}

// leaks lists every form of every secret found in c's logs, output or
// errors (the caller holds no lock on c).
func leaks(c *capture, secrets []secret) []string {
	var out []string
	for where, text := range map[string]string{"logs": c.logs.String(), "output": c.out.String(), "errors": strings.Join(c.errs, "\n")} {
		for _, s := range secrets {
			for _, f := range s.forms {
				if f != "" && strings.Contains(text, f) {
					out = append(out, fmt.Sprintf("%s: %s appears (%q)", where, s.name, f))
				}
			}
		}
	}
	return out
}

func countForms(ss []secret) int {
	n := 0
	for _, s := range ss {
		n += len(s.forms)
	}
	return n
}

func post(h http.Handler, ct string, hdr http.Header, body []byte) {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	for k, v := range hdr {
		r.Header[k] = v
	}
	r.Header.Set("Content-Type", ct)
	h.ServeHTTP(rec, r)
}

func levyFailures(t *testing.T, ctx context.Context, cap *capture, log *slog.Logger) {
	srv, err := levytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, _ := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL), levy.WithLogger(log), levy.WithRetries(0))
	profit := levy.Yuan(1000)
	bad := &levy.CreateOrderRequest{RequestID: "R-x", IDCard: "110101199003074477X", Name: "李四", Cellphone: "13800138000x", BankcardNo: "6222020200112233445x", Profit: &profit}
	_, err = c.CreateOrder(ctx, bad) // validation: the values must not be echoed
	cap.err(err)
	wrong, _ := levy.NewClient(levy.WithCredentials(srv.ClientKey, "wrong-"+srv.Secret), levy.WithBaseURL(srv.URL), levy.WithLogger(log))
	_, err = wrong.QueryOrder(ctx, &levy.QueryOrderRequest{RequestID: "R-1"})
	cap.err(err)
	for _, f := range []levytest.FaultKind{levytest.FaultBadSignature, levytest.FaultProcessThenDrop, levytest.FaultStatus500, levytest.FaultTruncated} {
		srv.Inject(levytest.Fault{Kind: f, Count: 1})
		_, err = c.SignUp(ctx, &levy.SignUpRequest{IDCard: "110101199003074477", Name: "张三", Cellphone: "13800138000", BankcardNo: "6222020200112233445", Limit2: true, TaxAgentParentID: "12", CreditCode: "91110000MA01ABCD1X"})
		cap.err(err)
	}
	for _, v := range []any{*bad, bad} { // values and pointers alike
		slog.New(log.Handler()).Info("request", "req", v)
		cap.err(fmt.Errorf("%v %+v %s", v, v, v))
	}
	h, err := levy.NewNotificationHandler(c.NotificationVerifier(), func(context.Context, *levy.Notification) error { return errors.New("db down for 110101199003074477") })
	if err != nil {
		t.Fatal(err)
	}
	good := srv.SignNotification(string(levy.OperationSyncSign), map[string]any{"request_id": "S1", "status": "SIGN", "id_card": "110101199003074477"})
	post(h, "application/x-www-form-urlencoded", nil, good) // the host fails with personal data in its error
	post(h, "application/x-www-form-urlencoded", nil, bytes.Replace(good, []byte("SIGN"), []byte("FAIL"), 1))
	_, err = levy.ParseNotification(ctx, c.NotificationVerifier(), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, bytes.Replace(good, []byte("SIGN"), []byte("FAIL"), 1))
	cap.err(err)
}

func allinpayFailures(t *testing.T, ctx context.Context, cap *capture, log *slog.Logger, secrets *[]secret) {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, _ := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey),
		allinpay.WithBaseURL(srv.URL), allinpay.WithLogger(log), allinpay.WithRetries(0))
	_, err = c.Pay(ctx, &allinpay.PayRequest{TransType: "NOPE", OutTransNo: "", TransAmount: -1})
	cap.err(err)
	for _, f := range []allinpaytest.FaultKind{allinpaytest.FaultBadSignature, allinpaytest.FaultProcessThenDrop, allinpaytest.FaultStatus500, allinpaytest.FaultTruncated} {
		srv.Inject(allinpaytest.Fault{Kind: f, Count: 1})
		_, err = c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayScancode, OutTransNo: fmt.Sprint("S", f), TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "https://x.invalid/n"})
		cap.err(err)
	}
	_, err = allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo), allinpay.WithKeys([]byte("-----BEGIN PRIVATE KEY-----\nMIIBroken\n-----END PRIVATE KEY-----"), srv.PlatformPublicKey))
	cap.err(err)
	h, _ := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(context.Context, *allinpay.Notification) error { return nil })
	body := srv.SignNotification(map[string]string{"outTransNo": "O-1", "transAmount": "100", "currency": "HKD", "resultCode": "0000", "transNo": "T1"})
	post(h, "application/x-www-form-urlencoded", nil, bytes.Replace(body, []byte("transAmount=100"), []byte("transAmount=900"), 1))
	_, err = allinpay.ParseNotification(ctx, c.NotificationVerifier(), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, bytes.Replace(body, []byte("transAmount=100"), []byte("transAmount=900"), 1))
	cap.err(err)
}

func evidenceFailures(t *testing.T, ctx context.Context, cap *capture, log *slog.Logger, secrets *[]secret) {
	const site, idNo = evidence.SiteHKTax, "110101199003074477"
	start := func(bizNo string) *evidence.StartAcquisitionRequest {
		return &evidence.StartAcquisitionRequest{Site: site, BizNo: bizNo, OpenID: "u", IDNo: idNo, UserName: "张三",
			UserClaim: "face recognition", UA: "Mozilla/5.0", Width: 390, Height: 844}
	}
	for _, sm := range []bool{false, true} {
		var opts []evidencetest.ServerOption
		suite := evidence.SuiteRSA
		if sm {
			opts, suite = append(opts, evidencetest.WithSM()), evidence.SuiteSM
		}
		srv, err := evidencetest.NewServer(opts...)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithSuite(suite),
			evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL), evidence.WithLogger(log), evidence.WithRetries(0))
		_, err = c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: idNo, Site: site,
			Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 agreement\n%%EOF\n"))}})
		cap.err(err)
		st, err := c.StartAcquisition(ctx, start("B1"))
		if err != nil {
			t.Fatal(err)
		}
		*secrets = append(*secrets, secret{"evidence appKey", []string{srv.AppKey}}, rawSecret("evidence field key", srv.FieldKey()), secret{"evidence fileKey", []string{srv.FileKey()}})
		_ = srv.Complete(st.DaID, nil)
		files, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: st.DaID})
		cap.err(err)
		if files != nil {
			f := files.List(time.Time{})[0]
			log.Info("file", "value", f, "pointer", &f) // both must print masked
			fmt.Fprintf(cap, "%v %+v %s\n", f, &f, f)
			_, err = c.Download(ctx, evidence.RemoteFile{URL: f.URL, FileKey: base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))}, io.Discard)
			cap.err(err)
			srv.Advance(6 * time.Minute)
			_, err = c.Download(ctx, f, io.Discard)
			cap.err(err)
			f.Authorized = time.Now().Add(-11 * 24 * time.Hour)
			_, err = c.Download(ctx, f, io.Discard)
			cap.err(err)
		}
		_, err = c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: idNo, Site: site,
			Files: []evidence.File{evidence.FileFromBytes("a.pdf", []byte("not a pdf"))}})
		cap.err(err)
		srv.RotateKey()
		srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultProcessThenDrop})
		_, err = c.StartAcquisition(ctx, start("B2"))
		cap.err(err)
		// A wrong appKey of 64 bytes, as an appKey is: the answer is refused (-50005), not the option.
		wrong, _ := evidence.NewClient(evidence.WithApp(srv.AppID, "wrong-"+srv.AppKey[6:]), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithSuite(suite),
			evidence.WithBaseURL(srv.URL), evidence.WithLogger(log))
		_, err = wrong.GetStatus(ctx, &evidence.GetStatusRequest{DaID: st.DaID})
		cap.err(err)
		body, hash, sign := srv.Notification(evidence.FuncDaFileParsed, map[string]any{"daId": st.DaID, "daStatus": 10, "ext": map[string]any{"fileKey": srv.FileKey()}})
		tampered := bytes.Replace(body, []byte(`"daStatus":10`), []byte(`"daStatus":11`), 1)
		v, verr := c.NotificationVerifier()
		if verr != nil {
			t.Fatal(verr)
		}
		h, _ := evidence.NewNotificationHandler(v, func(context.Context, *evidence.Notification) error { return nil }, evidence.WithoutDedup())
		hdr := http.Header{"Decshash": {hash}, "Decssign": {sign}}
		post(h, "application/json", hdr, tampered)
		_, err = evidence.ParseNotification(ctx, v, hdr, tampered)
		cap.err(err)
		srv.Close()
	}
}

func scancodeFailures(t *testing.T, ctx context.Context, cap *capture, log *slog.Logger, secrets *[]secret) {
	sm4 := []byte("0123456789abcdef")
	*secrets = append(*secrets, rawSecret("SM4 key", sm4))
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: read(t, "sm2_private.pem"), SM4Key: sm4})
	if err != nil {
		t.Fatal(err)
	}
	h, err := scancode.NewCallbackHandler(d, func(context.Context, *scancode.Callback) error { return nil }, scancode.WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	app, _ := scancodetest.NewApp(scancodetest.WithSM2PublicKey(read(t, "sm2_public.pem")), scancodetest.WithPlatformCode("M1100000034"))
	other, _ := scancodetest.NewApp(scancodetest.WithSM4Key([]byte("fedcba9876543210")), scancodetest.WithPlatformCode("M1100000034"))
	payload := []byte(`{"TId":"M110000003458be5bb800ad450e99a26537ca2d1850","personName":"王五","telephoneNum":"13900139000","idCard":"110101199003074477"}`)
	for _, a := range []*scancodetest.App{app, other} {
		env, _ := a.Envelope(payload)
		raw, _ := base64.StdEncoding.DecodeString(env.Encrypt)
		raw[len(raw)-1] ^= 1
		env.Encrypt = base64.StdEncoding.EncodeToString(raw)
		ct, body, _ := a.Request(scancode.TypeUserInfo, env)
		post(h, ct, nil, body)
		_, err := scancode.ParseCallback(ctx, d, http.Header{"Content-Type": {ct}}, body)
		cap.err(err)
	}
	_, err = scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte("not a key 0123456789abcdef")})
	cap.err(err)
}
