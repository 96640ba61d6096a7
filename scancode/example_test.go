package scancode_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
)

// ExampleNewHandler receives a login scan (type 01, then 02) from the fake
// app server and prints the typed payloads, personal data masked.
func ExampleNewHandler() {
	privPEM, _ := testvectors.Read("keys/sm2_private.pem") // your platform's SM2 key
	pubPEM, _ := testvectors.Read("keys/sm2_public.pem")
	dec, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: privPEM})
	if err != nil {
		log.Fatal(err)
	}
	h := scancode.NewHandler(dec, func(ctx context.Context, c *scancode.Callback) error {
		switch p := c.Payload.(type) {
		case *scancode.ScanStatus:
			fmt.Println("scanned:", p.IsScaned == scancode.ScanStateScanned)
		case *scancode.UserInfo:
			fmt.Println(p)
		}
		return nil
	}, scancode.WithDedupStore(scancode.NewMemoryDedupStore(0)))
	srv := httptest.NewServer(h)
	defer srv.Close()

	app, _ := scancodetest.NewApp(scancodetest.Config{ReceiverURL: srv.URL, SM2PublicKey: pubPEM, PlatformCode: "M1100000034"})
	tid := "M1100000034" + "58be5bb800ad450e99a26537ca2d1850"
	ctx := context.Background()
	if _, err := app.Send(ctx, scancode.TypeScanStatus, scancode.ScanStatus{TID: tid, IsScaned: scancode.ScanStateScanned}); err != nil {
		log.Fatal(err)
	}
	if _, err := app.Send(ctx, scancode.TypeUserInfo, scancode.UserInfo{TID: tid, PersonName: "王小五", TelephoneNum: "13900139000", IDCard: "110101199003074477", LoginUserType: scancode.LoginUserTypePerson}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// scanned: true
	// UserInfo{tId=M110000003458be5bb800ad450e99a26537ca2d1850 personName=王** telephoneNum=139****9000 idCard=110***********4477 loginUserType=01}
}

// ExampleParseQRCode reads the content of a login QR code.
func ExampleParseQRCode() {
	q := scancode.QRCode{Type: "06", TID: "M1100000034" + "58be5bb800ad450e99a26537ca2d1850"}
	got, err := scancode.ParseQRCode(q.Encode())
	fmt.Println(got.Type, got.TID, err, scancode.ValidateTID(got.TID))
	// Output: 06 M110000003458be5bb800ad450e99a26537ca2d1850 <nil> <nil>
}
