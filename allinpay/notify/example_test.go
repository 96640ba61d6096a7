package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/allinpay/allinpaytest"
	"github.com/bizapi-cn/go-sdk/allinpay/notify"
)

// A receiver needs the merchant's accessCode and mchNo and the platform's
// public key; the fake gateway signs a notification as the platform does.
func ExampleNewVerifier() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithMerchant(srv.AccessCode, srv.MchNo), notify.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	body := srv.SignNotification(map[string]string{"transType": "ALIPAY_SCANCODE", "outTransNo": "ORDER-1", "transAmount": "1050",
		"currency": "HKD", "resultCode": "0000", "transNo": "T1"})
	n, err := notify.Parse(context.Background(), v, nil, body)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.OutTransNo, n.Kind, n.TransAmount, n.Currency, n.Succeeded())

	tampered := bytes.Replace(body, []byte("transAmount=1050"), []byte("transAmount=1"), 1)
	_, err = notify.Parse(context.Background(), v, nil, tampered)
	fmt.Println(err, errors.Is(err, notify.ErrInvalidSignature))
	// Output:
	// ORDER-1 payment 10.50 HKD true
	// allinpay: invalid signature true
}

// The handler answers SUCCESS once the function returned nil, and only
// then: a redelivery of a handled notification is acknowledged without
// calling it again.
func ExampleNewHandler() {
	srv, err := allinpaytest.NewServer()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithMerchant(srv.AccessCode, srv.MchNo), notify.WithPlatformPublicKeys(srv.PlatformPublicKey))
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := notify.NewHandler(v, func(_ context.Context, n *notify.Notification) error {
		fmt.Println("paid:", n.OutTransNo, n.Succeeded())
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	body := srv.SignNotification(map[string]string{"transType": "WXPAY_SCANCODE", "outTransNo": "ORDER-2", "transAmount": "200",
		"currency": "CNY", "resultCode": "0000", "transNo": "T2"})
	for range 2 {
		r := httptest.NewRequest(http.MethodPost, "/notify", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// paid: ORDER-2 true
	// 200 SUCCESS
	// 200 SUCCESS
}
