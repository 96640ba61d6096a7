package scancode_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/bizapi-cn/go-sdk/store"
)

// keyFromEnv reads a key variable as the SDK's programs do: the key's text,
// or @path to read it from a file.
func keyFromEnv(name string) ([]byte, error) {
	v := os.Getenv(name)
	if path, ok := strings.CutPrefix(v, "@"); ok {
		return os.ReadFile(path)
	}
	if v == "" {
		return nil, fmt.Errorf("%s is not set", name)
	}
	return []byte(v), nil
}

// ExampleNewCallbackHandler is a production receiver: the platform's SM2
// key read from a file named by SCANCODE_SM2_PRIVATE_KEY=@path, the
// handler mounted on a server with read and write timeouts, each callback
// kept by tId for the front end, and logs that carry no personal data.
func ExampleNewCallbackHandler() {
	// Deployment puts the key in a file; here, the fake app's test key.
	dir, _ := os.MkdirTemp("", "scancode")
	defer os.RemoveAll(dir)
	keyFile := filepath.Join(dir, "sm2.pem")
	_ = os.WriteFile(keyFile, scancodetest.SM2PrivateKeyPEM(), 0o600)
	os.Setenv("SCANCODE_SM2_PRIVATE_KEY", "@"+keyFile)
	defer os.Unsetenv("SCANCODE_SM2_PRIVATE_KEY")

	priv, err := keyFromEnv("SCANCODE_SM2_PRIVATE_KEY")
	if err != nil {
		log.Fatal(err)
	}
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: priv, SM2Encoding: scancode.SM2EncodingC1C3C2})
	if err != nil {
		log.Fatal(err)
	}
	tids, err := scancode.NewTIDStore() // WithLists(yourRedisLists) when several processes receive
	if err != nil {
		log.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr { // no time, for a stable example output
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	h, err := scancode.NewCallbackHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
		return tids.Put(ctx, c) // nil only once stored: the app server retries otherwise
	}, scancode.WithLogger(logger), scancode.WithReadTimeout(10*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /receiveAppLogController/receiveScanData", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	// The fake app server plays a login scan: 01, then 02.
	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL("http://"+ln.Addr().String()+"/receiveAppLogController/receiveScanData"),
		scancodetest.WithPlatformCode("M1100000034"))
	if err != nil {
		log.Fatal(err)
	}
	tid := "M1100000034" + "58be5bb800ad450e99a26537ca2d1850"
	ctx := context.Background()
	if _, err := app.Send(ctx, scancode.TypeScanStatus, scancode.ScanStatus{TID: tid, IsScaned: scancode.ScanStateScanned}); err != nil {
		log.Fatal(err)
	}
	if _, err := app.Send(ctx, scancode.TypeUserInfo, scancode.UserInfo{TID: tid, PersonName: "王小五", TelephoneNum: "13900139000", IDCard: "110101199003074477", LoginUserType: scancode.LoginUserTypePerson}); err != nil {
		log.Fatal(err)
	}

	// The front end polls by the tId of the QR code it showed.
	got, err := tids.Get(ctx, tid)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range got {
		fmt.Println(c)
	}
	// Output:
	// level=DEBUG msg="scancode: callback acknowledged" type=01 tId=M110000003458be5bb800ad450e99a26537ca2d1850 duplicate=false
	// level=DEBUG msg="scancode: callback acknowledged" type=02 tId=M110000003458be5bb800ad450e99a26537ca2d1850 duplicate=false
	// Callback{type=01 platformCode=M1100000034 tId=M110000003458be5bb800ad450e99a26537ca2d1850 payload=ScanStatus{tId=M110000003458be5bb800ad450e99a26537ca2d1850 isScaned=01} raw=[142 bytes]}
	// Callback{type=02 platformCode=M1100000034 tId=M110000003458be5bb800ad450e99a26537ca2d1850 payload=UserInfo{tId=M110000003458be5bb800ad450e99a26537ca2d1850 personName=王** telephoneNum=139****9000 idCard=110***********4477 loginUserType=01} raw=[449 bytes]}
}

// ExampleParseCallback receives a callback in another web framework: all
// it needs is the request's header and body, and it writes the app
// server's answer itself.
func ExampleParseCallback() {
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: scancodetest.SM2PrivateKeyPEM()})
	if err != nil {
		log.Fatal(err)
	}
	// What the framework hands its handler.
	onScanData := func(ctx context.Context, header http.Header, body []byte) (status int, answer string) {
		c, err := scancode.ParseCallback(ctx, dec, header, body)
		if err != nil {
			fmt.Println("refused:", err)
			return http.StatusBadRequest, `{"header":{"ret":"1","msg":"malformed callback"},"data":null}`
		}
		fmt.Println(c.Type, c.Payload)
		// … store it (by c.EventID(), deduplicated by c.IdempotencyKey()) …
		return http.StatusOK, `{"header":{"ret":"0","msg":"ok"},"data":null}`
	}

	app, err := scancodetest.NewApp(scancodetest.WithBody(scancodetest.BodyJSON))
	if err != nil {
		log.Fatal(err)
	}
	env, err := app.Envelope(scancode.ExitContinuousSign{TID: "M1100000034" + "58be5bb800ad450e99a26537ca2d1850", PID: "张三", Source: scancode.ExitSourceApp, ExitType: "12"})
	if err != nil {
		log.Fatal(err)
	}
	ct, body, _ := app.Request(scancode.TypeExitContinuousSign, env)
	ctx := context.Background()
	fmt.Println(onScanData(ctx, http.Header{"Content-Type": {ct}}, body))
	fmt.Println(onScanData(ctx, http.Header{"Content-Type": {ct}}, bytes.Replace(body, []byte(`"type":"12"`), []byte(`"type":"012"`), 1)))
	// Output:
	// 12 ExitContinuousSign{tid=M110000003458be5bb800ad450e99a26537ca2d1850 pid=张* source=00 exitType=12}
	// 200 {"header":{"ret":"0","msg":"ok"},"data":null}
	// refused: scancode: malformed callback: type is not two letters or digits (3 bytes)
	// 400 {"header":{"ret":"1","msg":"malformed callback"},"data":null}
}

// hostDedup stands for a host's own store.Dedup (Redis, SQL): one
// implementation serves the handlers of every module of the SDK.
type hostDedup struct {
	mu   sync.Mutex
	keys map[string]string // key -> token while in flight, "done" after
}

func (s *hostDedup) Acquire(_ context.Context, key string) (store.Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch v := s.keys[key]; {
	case v == "done":
		return store.Claim{Key: key, State: store.StateDone}, nil
	case v != "":
		return store.Claim{Key: key, State: store.StateInFlight}, nil
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	s.keys[key] = token
	return store.Claim{Key: key, State: store.StateAcquired, Token: token}, nil
}

func (s *hostDedup) Complete(_ context.Context, c store.Claim) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[c.Key] = "done"
	return nil
}

func (s *hostDedup) Release(_ context.Context, c store.Claim) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys[c.Key] == c.Token {
		delete(s.keys, c.Key)
	}
	return nil
}

// ExampleWithDedupStore plugs the host's own dedup store in: the app
// server's redelivery of a handled callback is acknowledged without
// reaching the host again.
func ExampleWithDedupStore() {
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: scancodetest.SM2PrivateKeyPEM()})
	if err != nil {
		log.Fatal(err)
	}
	handled := 0
	h, err := scancode.NewCallbackHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
		handled++
		return nil
	}, scancode.WithDedupStore(&hostDedup{keys: map[string]string{}}))
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	app, err := scancodetest.NewApp(scancodetest.WithReceiverURL("http://" + ln.Addr().String()))
	if err != nil {
		log.Fatal(err)
	}
	env, _ := app.Envelope(scancode.SignCert{TID: "M1100000034" + "58be5bb800ad450e99a26537ca2d1850", SignCertSn: "2001"})
	ct, body, _ := app.Request(scancode.TypeSignCert, env)
	for range 2 { // the same callback, delivered twice
		res, err := app.SendRaw(context.Background(), ct, body)
		fmt.Println(res.Last.Ret, err)
	}
	fmt.Println("handled:", handled)
	// Output:
	// 0 <nil>
	// 0 <nil>
	// handled: 1
}

// ExampleParseQRCode reads the content of a login QR code.
func ExampleParseQRCode() {
	q := scancode.QRCode{Type: "06", TID: "M1100000034" + "58be5bb800ad450e99a26537ca2d1850"}
	got, err := scancode.ParseQRCode(q.Encode())
	fmt.Println(got.Type, got.TID, err, scancode.ValidateTID(got.TID))
	// Output: 06 M110000003458be5bb800ad450e99a26537ca2d1850 <nil> <nil>
}
