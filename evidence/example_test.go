package evidence_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// ExampleClient_StartAcquisition starts a session on the fake service,
// lets it finish, takes the daUserAuthorized notification and downloads
// the files it lists, each with its classification.
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
	authorized := make(chan *evidence.Notification, 1)
	recv := httptest.NewServer(c.NotificationHandler(func(_ context.Context, n *evidence.Notification) error {
		if n.Func == evidence.FuncDaUserAuthorized {
			authorized <- n
		}
		return nil
	}, evidence.NewMemoryDedupStore(0)))
	defer recv.Close()
	srv.SetNotifyURL(recv.URL)

	ctx := context.Background()
	st, err := c.StartAcquisition(ctx, &evidence.StartRequest{Site: evidence.SiteTaxIncome, BizNo: "B-example", OpenID: "user-1"})
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
