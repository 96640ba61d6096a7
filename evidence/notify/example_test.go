package notify_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
	"github.com/bizapi-cn/go-sdk/evidence/notify"
)

// ExampleNewVerifier verifies a notification inside any web framework:
// the appKey and the operator's public key are all it takes. A body
// changed on the way is refused as a *SignatureError.
func ExampleNewVerifier() {
	srv, err := evidencetest.NewServer() // the fake operator signs the notification
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		log.Fatal(err)
	}
	body, hash, sig := srv.Notification(notify.FuncDaFailed, map[string]any{"daId": "DA1", "bizNo": "B1", "daStatus": 25})

	// In the framework's handler: its header map and the raw body.
	header := http.Header{"Content-Type": {"application/json"}, "Decshash": {hash}, "Decssign": {sig}}
	n, err := notify.Parse(context.Background(), v, header, body)
	if err != nil {
		log.Fatal(err) // answer non-2xx: the operator delivers again
	}
	fmt.Println(n.Func, n.Data.DaID, n.Data.DaStatus, n.Data.DaStatus.IsFinal())

	body[len(body)-3] = 'X'
	_, err = notify.Parse(context.Background(), v, header, body)
	var se *notify.SignatureError
	fmt.Println(errors.As(err, &se), se.Header, errors.Is(err, notify.ErrInvalidSignature))
	// Output:
	// daFailed DA1 user terminated true
	// true DECSHASH true
}

// ExampleNewHandler mounts the handler: it acknowledges a notification
// only once the host's function returned nil, and a redelivery of one
// already handled without calling the function again.
func ExampleNewHandler() {
	srv, err := evidencetest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	v, err := notify.NewVerifier(notify.WithApp(srv.AppID, srv.AppKey), notify.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		log.Fatal(err)
	}
	h, err := notify.NewHandler(v, func(_ context.Context, n *notify.Notification) error {
		sub, _ := n.SubStatus()
		fmt.Println(n.Func, n.Data.DaID, n.Data.DaStatus, "/", sub.Scenario)
		return nil // only after the notification is stored durably
	})
	if err != nil {
		log.Fatal(err)
	}
	recv := httptest.NewServer(h) // any path: the URL is registered with the operator
	defer recv.Close()
	srv.SetNotifyURL(recv.URL)

	srv.Inject(evidencetest.Fault{Kind: evidencetest.FaultDuplicateNotification})
	srv.Fail("DA-1", notify.DaStatusSourceSystemFailure, "81530") // the fake delivers daFailed twice
	srv.WaitNotifications()
	fmt.Println("acknowledged:", srv.Delivered(notify.FuncDaFailed))
	// Output:
	// daFailed DA-1 data source system failure (invalid operation) / System maintenance
	// acknowledged: 2
}
