package evidence_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/store"
)

// ExampleClient_StartAcquisition uploads the user's agreement, starts a
// session with every member the docs require, lets it finish on the fake
// service, takes the daUserAuthorized notification and downloads the
// files it lists, each with its classification.
func ExampleClient_StartAcquisition() {
	srv, err := evidencetest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithNotifyPublicKey(srv.NotifyPublicKey), evidence.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	v, err := c.NotificationVerifier()
	if err != nil {
		log.Fatal(err)
	}
	authorized := make(chan *evidence.Notification, 1)
	h, err := evidence.NewNotificationHandler(v, func(_ context.Context, n *evidence.Notification) error {
		if n.Func == evidence.FuncDaUserAuthorized {
			authorized <- n
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	recv := httptest.NewServer(h)
	defer recv.Close()
	srv.SetNotifyURL(recv.URL)

	ctx := context.Background()
	_, err = c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: "110101199003074477", Site: evidence.SiteTaxIncome,
		Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 signed agreement"))}})
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.StartAcquisition(ctx, &evidence.StartAcquisitionRequest{
		Site: evidence.SiteTaxIncome, BizNo: "B-example", OpenID: "user-1",
		IDNo: "110101199003074477", UserName: "张三", UserClaim: "The user completed face recognition",
		UA: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", Width: 390, Height: 844,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Complete(st.DaID, nil); err != nil { // the user finishes
		log.Fatal(err)
	}
	n := <-authorized
	for _, f := range n.Files() {
		size, err := c.Download(ctx, f, io.Discard)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s, %d bytes\n", f.Class().Description(), size)
	}
	// Output:
	// personal income tax details, current year, 21 bytes
	// personal income tax details, year T-1, 23 bytes
	// personal income tax details, year T-2, 23 bytes
}

// ExampleNewClient builds a production client: keys from files, the
// host's *http.Client and logger, and the field key shared by every
// process of the app (here the in-memory store; use a Redis or SQL
// store.Keys in production).
func ExampleNewClient() {
	dir, _ := os.MkdirTemp("", "keys")
	defer os.RemoveAll(dir)
	srv, _ := evidencetest.NewServer()
	defer srv.Close()
	_ = os.WriteFile(filepath.Join(dir, "private.pem"), srv.PrivateKey, 0o600) // as deployed

	privateKey, err := os.ReadFile(filepath.Join(dir, "private.pem"))
	if err != nil {
		log.Fatal(err)
	}
	c, err := evidence.NewClient(
		evidence.WithApp(srv.AppID, srv.AppKey),
		evidence.WithPrivateKey(privateKey),
		evidence.WithBaseURL(srv.URL), // the operator's host
		evidence.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		evidence.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		evidence.WithFieldKeyStore(store.NewMemoryKeys()),
	)
	if err != nil {
		log.Fatal(err)
	}
	st, err := c.GetSitesState(context.Background(), &evidence.GetSitesStateRequest{Sites: []evidence.Site{evidence.SiteTaxIncome}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Sites[0].Site, st.Sites[0].Available())
	// Output: app-tax-income true
}

// ExampleParseNotification verifies a notification inside another web
// framework: only the appKey and the operator's public key are needed,
// never the private key.
func ExampleParseNotification() {
	srv, _ := evidencetest.NewServer()
	defer srv.Close()
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		log.Fatal(err)
	}
	body, hash, sig := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": "DA1", "bizNo": "B1", "daStatus": 25})

	// In the framework's handler: its header map and the raw body.
	header := http.Header{"Content-Type": {"application/json"}, "Decshash": {hash}, "Decssign": {sig}}
	n, err := evidence.ParseNotification(context.Background(), v, header, body)
	if err != nil {
		log.Fatal(err) // answer non-2xx: the operator delivers again
	}
	fmt.Println(n.Func, n.Data.DaID, n.Data.DaStatus)
	// Output: daFailed DA1 user terminated
}

// Example_outcomeUnknown: a start whose answer was lost is not repeated.
// The docs have no query by bizNo: ReconcileStart finds the session in the
// reconciliation file of the day (or the notifications, which carry
// bizNo, tell first).
func Example_outcomeUnknown() {
	srv, _ := evidencetest.NewServer()
	defer srv.Close()
	c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL))
	ctx := context.Background()
	req := &evidence.StartAcquisitionRequest{Site: evidence.SiteTaxIncome, BizNo: "B-lost", OpenID: "user-1",
		IDNo: "110101199003074477", UserName: "张三", UserClaim: "The user completed face recognition",
		UA: "Mozilla/5.0", Width: 390, Height: 844}
	if err := c.RotateFieldKey(ctx); err != nil { // fetch the key before the fault
		log.Fatal(err)
	}
	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultProcessThenDrop})
	_, err := c.StartAcquisition(ctx, req)
	var ou *evidence.OutcomeUnknownError
	if errors.As(err, &ou) {
		fmt.Println("outcome unknown for bizNo", ou.Key)
		// Once the day's file exists (ReconReadyAt); the fake has it at once.
		row, err := c.ReconcileStart(ctx, err, time.Now().AddDate(0, 0, -2))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("the service opened a session:", row.DaID != "")
	}
	// Output:
	// outcome unknown for bizNo B-lost
	// the service opened a session: true
}

// Example_customStore plugs the host's own field-key store in: any
// store.Keys (here a wrapper that counts loads); the same store serves
// every process of the application.
func Example_customStore() {
	srv, _ := evidencetest.NewServer()
	defer srv.Close()
	shared := &countingKeys{Keys: store.NewMemoryKeys()}
	for i := 0; i < 2; i++ { // two processes
		c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
			evidence.WithBaseURL(srv.URL), evidence.WithFieldKeyStore(shared))
		_, err := c.GetOriginalFiles(context.Background(), &evidence.GetOriginalFilesRequest{DaID: "DA-none"})
		fmt.Println(err != nil)
	}
	fmt.Println("update-aes-key calls:", srv.Calls(evidence.OperationUpdateAESKey))
	// Output:
	// true
	// true
	// update-aes-key calls: 1
}

type countingKeys struct {
	store.Keys
	loads atomic.Int64
}

func (k *countingKeys) Load(ctx context.Context, name string) (store.Versioned, error) {
	k.loads.Add(1)
	return k.Keys.Load(ctx, name)
}

// ExampleLookupSubStatus explains a failed session to the user.
func ExampleLookupSubStatus() {
	s, ok := evidence.LookupSubStatus(evidence.DaStatusSourceBusinessFailV, 100518)
	fmt.Println(ok, s.Item+":", s.Scenario)
	fmt.Println(s.Handling)
	// Output:
	// true Electronic driving license: User has not applied for an electronic driving license
	// Guide the user to log in to the 12123 app, apply for an electronic driving license, confirm it succeeded, then acquire again
}

// ExampleClassifyFile tells what a downloaded file holds from its name.
func ExampleClassifyFile() {
	for _, name := range []string{
		"de1uahd81493120767678877696_7e124dc1ada11b91527e6e6961acc97a_app-alipay-any_huabei.xml",
		"jhz-original-img-2.png",
		"app-jst-bd-jqx_1.pdf",
	} {
		c := evidence.ClassifyFile(name)
		fmt.Printf("%s #%d (%s)\n", c.Description(), c.Index, c.Ext)
	}
	// Output:
	// Alipay Huabei #0 (xml)
	// marriage certificate photo #2 (png)
	// compulsory traffic insurance policy #1 (pdf)
}

// ExampleSite_Info reads the catalogue entry of a site.
func ExampleSite_Info() {
	info, _ := evidence.SiteTraffic12123.Info()
	fmt.Println(info.OfficialName)
	fmt.Println(info.ChildSites, info.Zip, info.Async)
	// Output:
	// Electronic Driver's License, Vehicle License, Safe Driving Record, etc. (as chosen)
	// [app-tmri-xsz app-tmri-jsz app-tmri-jsjl] true true
}

// The polling fallback when no notification came: the docs poll every
// 60 s for at most 20 minutes after the daId was issued, so WaitFinal is
// given the start answer's daId and issue time.
func ExampleClient_WaitFinal() {
	srv, _ := evidencetest.NewServer()
	defer srv.Close()
	c, _ := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey), evidence.WithBaseURL(srv.URL))
	ctx := context.Background()
	st, err := c.StartAcquisition(ctx, &evidence.StartAcquisitionRequest{Site: evidence.SiteTaxIncome, BizNo: "B-poll", OpenID: "user-1",
		IDNo: "110101199003074477", UserName: "张三", UserClaim: "The user completed face recognition",
		UA: "Mozilla/5.0", Width: 390, Height: 844})
	if err != nil {
		log.Fatal(err)
	}
	srv.Fail(st.DaID, evidence.DaStatusUserExited, "")
	s, err := c.WaitFinal(ctx, st.StatusRequest(), time.Millisecond) // 0: the docs' 60 s
	switch {
	case errors.Is(err, evidence.ErrPollWindowElapsed):
		fmt.Println("not final 20 minutes after the daId: reconcile from the recon file")
	case err != nil:
		log.Fatal(err)
	case s.Downloadable():
		fmt.Println("pull the files")
	default:
		fmt.Println("final failure, daStatus", int(s.DaStatus))
	}
	// Output: final failure, daStatus 25
}
