package levy_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/levy/levytest"
)

// ExampleClient_CreateOrder creates a levy order on the fake provider and
// receives its notice.
func ExampleClient_CreateOrder() {
	srv := levytest.NewServer()
	defer srv.Close()
	c, err := levy.NewClient(levy.WithCredentials(srv.ClientKey, srv.Secret), levy.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan *levy.OrderNotice, 1)
	recv := httptest.NewServer(c.NoticeHandler(func(ctx context.Context, n *levy.Notice) error {
		if o, ok := n.Data.(*levy.OrderNotice); ok {
			done <- o
		}
		return nil
	}))
	defer recv.Close()
	srv.SetNotifyURL(recv.URL)

	profit, _ := levy.ParseAmount("1000.00")
	_, err = c.CreateOrder(context.Background(), &levy.CreateOrderRequest{
		RequestID: "R-example", IDCard: "110101199003074477", Name: "李四", TaxAgentParentID: 12,
		CreditCode: "91110000MA01ABCD1X", Cellphone: "13800138000", BankcardNo: "6222020200112233445",
		Profit: &profit, TaxMode: levy.TaxModeGeneral,
	})
	if err != nil {
		log.Fatal(err)
	}
	o := <-done
	r := o.RemitOrderList[0]
	fmt.Println(o.RequestID, o.Status, r.Amount, r.Fee, r.ActualAmount, r.RemitStatus)
	// Output: R-example CLOSE 1000.00 60.00 1060.00 ACCEPT
}
