package allinpay_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
)

// ExampleClient_Pay creates an Alipay QR order on the fake gateway, lets
// the customer pay, and receives the notification.
func ExampleClient_Pay() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := allinpay.NewClient(allinpay.WithMerchant(srv.AccessCode, srv.MchNo),
		allinpay.WithKeys(srv.MerchantPrivateKey, srv.PlatformPublicKey), allinpay.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	paid := make(chan *allinpay.Notification, 1)
	h, err := allinpay.NewNotificationHandler(c.NotificationVerifier(), func(_ context.Context, n *allinpay.Notification) error {
		paid <- n
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	recv := httptest.NewServer(h)
	defer recv.Close()

	resp, err := c.Pay(context.Background(), &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayScancode,
		OutTransNo: "ORDER-1", TransAmount: 1050, Currency: allinpay.CurrencyHKD, NotifyURL: recv.URL})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("waiting for scan:", resp.Processing(), resp.CodeURL != "")
	_ = srv.SimulatePay("ORDER-1")
	n := <-paid
	fmt.Println(n.OutTransNo, n.Succeeded(), n.TransAmount, n.Currency)
	// Output:
	// waiting for scan: true true
	// ORDER-1 true 10.50 HKD
}

func allinpaytestServer() (*allinpaytest.Server, error) { return allinpaytest.NewServer() }
