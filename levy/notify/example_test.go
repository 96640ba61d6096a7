package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/levy/levytest"
	"github.com/bizapi-cn/go-sdk/levy/notify"
)

// ExampleNewVerifier verifies a notification that another web framework
// received, from its raw headers and body, and refuses one whose data was
// changed after it was signed.
func ExampleNewVerifier() {
	srv, err := levytest.NewServer() // the fake provider signs the notifications
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithCredentials(srv.ClientKey, srv.Secret))
	if err != nil {
		log.Fatal(err)
	}
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	body := srv.SignNotification("SYNC_SIGN", map[string]any{"request_id": "S1", "status": "SIGN"})

	n, err := notify.Parse(context.Background(), v, header, body)
	if err != nil {
		log.Fatal(err) // answer FAIL with a non-2xx status: the provider retries
	}
	s := n.Data.(*notify.SignNotification)
	fmt.Println(n.Operation, s.RequestID, s.Signed())

	forged := bytes.Replace(body, []byte("S1"), []byte("S2"), 1)
	_, err = notify.Parse(context.Background(), v, header, forged)
	fmt.Println(err, errors.Is(err, notify.ErrInvalidSignature))
	// Output:
	// SYNC_SIGN S1 true
	// levy: invalid signature: notification true
}

// ExampleNewHandler mounts the notification handler: it answers SUCCESS
// once the host's function returned nil, and a redelivery reaches the host
// once.
func ExampleNewHandler() {
	srv, err := levytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithCredentials(srv.ClientKey, srv.Secret))
	if err != nil {
		log.Fatal(err)
	}
	h, err := notify.NewHandler(v, func(ctx context.Context, n *notify.Notification) error {
		if o, ok := n.Data.(*notify.OrderNotification); ok {
			fmt.Println("host:", n.Operation, o.RequestID, o.Created(), o.RemitOrderList[0].Amount)
		}
		return nil // only once durably handled
	})
	if err != nil {
		log.Fatal(err)
	}
	body := srv.SignNotification("CREATE_ORDER_V2", map[string]any{"request_id": "R1", "status": "CLOSE",
		"remit_order_list": []map[string]any{{"order_id": "RO1", "tax_agent_location_id": 101, "amount": "1000.00", "remit_status": "ACCEPT"}}})
	for range 2 { // the provider delivers it twice
		r := httptest.NewRequest(http.MethodPost, "/levy/notify", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// host: CREATE_ORDER_V2 R1 true 1000.00
	// 200 SUCCESS
	// 200 SUCCESS
}
