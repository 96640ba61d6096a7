package allinpay_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/internal/keys"
	"github.com/bizapi-cn/go-sdk/internal/kv"
	"github.com/bizapi-cn/go-sdk/internal/testkit/golden"
	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"
)

// platformSign signs a response field set with the vector platform key.
func platformSign(t testing.TB, f map[string]string) string {
	t.Helper()
	_, _, pp, _ := vectorKeys(t)
	k, err := keys.ParseRSAPrivateKey(pp)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(kv.CanonicalMap(f, "signature"))
	sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, sum[:])
	return base64.StdEncoding.EncodeToString(sig)
}

type op struct {
	name    string
	path    string
	retried bool // only bills are retried after a lost answer (queries keep the 10 s rule)
	call    func(context.Context, *allinpay.Client) (any, error)
}

func ops() []op {
	n := "https://m.example.com/notify"
	return []op{
		{"pay_alipay_h5", "/gateway/pay/consumeTrans", false, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeAlipayH5, OutTransNo: "P-2", TransAmount: 100, TipsAmount: 10, Currency: allinpay.CurrencyCNY,
				NotifyURL: n, PaymentInstitution: "ALIPAYCN", ReturnURL: "https://m.example.com/r", ReferURL: "https://m.example.com", GoodsDetail: "童装 kids clothing",
				TradeInformation: &allinpay.TradeInformation{BusinessType: "4", GoodsInfo: "pencil^2|eraser^5", TotalQuantity: "7"}})
		}},
		{"pay_wx_mp", "/gateway/pay/consumeTrans", false, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.Pay(ctx, &allinpay.PayRequest{TransType: allinpay.TransTypeWxpayBranchMP, OutTransNo: "W-1", TransAmount: 1, Currency: allinpay.CurrencyHKD,
				NotifyURL: n, OpenID: "oUpF8uMuAJO", TerminalIP: "10.0.0.1", SubAppID: "wx123", GoodsSubject: "订单", ExpireTime: 5})
		}},
		{"query", "/gateway/pay/consumeTrans", false, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.QueryOrder(ctx, &allinpay.QueryOrderRequest{OriOutTransNo: "P-2"})
		}},
		{"refund", "/gateway/pay/consumeTrans", false, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.Refund(ctx, &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayReturn, OutTransNo: "R-1", OriOutTransNo: "P-2", TransAmount: 50, Currency: allinpay.CurrencyCNY, RefundReason: "退货", NotifyURL: n})
		}},
		{"void", "/gateway/pay/consumeTrans", false, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.Void(ctx, &allinpay.VoidRequest{TransType: allinpay.TransTypeUnionpayCancel, OutTransNo: "V-1", OriOutTransNo: "P-2", NotifyURL: n})
		}},
		{"close", "/gateway/pay/consumeTrans", false, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.CloseOrder(ctx, &allinpay.CloseOrderRequest{OutTransNo: "C-1", OriOutTransNo: "P-2", NotifyURL: n})
		}},
		{"bill", "/gateway/download/downloadbill", true, func(ctx context.Context, c *allinpay.Client) (any, error) {
			return c.DownloadBill(ctx, &allinpay.DownloadBillRequest{BillDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
		}},
	}
}

// TestOperations: each operation sends exactly its golden form (PKCS#1
// v1.5 signatures are deterministic) and decodes a signed answer; a failed
// resultCode, a tampered answer, an unsigned 0000 answer and a transport
// failure give typed errors, and only safe calls are retried.
func TestOperations(t *testing.T) {
	t.Parallel()
	for _, o := range ops() {
		t.Run(o.name, func(t *testing.T) {
			ctx := context.Background()
			url := allinpay.TestBaseURL + o.path
			answer := func(form map[string][]string, resultCode string, sign bool) map[string]string {
				f := map[string]string{"requestNo": form["requestNo"][0], "version": "V1.0", "accessCode": "20000000", "transType": form["transType"][0],
					"signType": "RSA2", "mchNo": "6666666600003", "returnCode": "0000", "returnMsg": "succeed", "resultCode": resultCode, "resultMsg": "m", "futureField": "kept", "transNo": "T1"}
				if o.name == "bill" {
					f["billData"] = base64.StdEncoding.EncodeToString([]byte("Summary,20240301,HKD,0,0,0,0,0,0\n"))
				}
				if sign {
					f["signature"] = platformSign(t, f)
				}
				return f
			}
			respond := func(resultCode string, sign, tamper bool) httpmock.Responder {
				return func(r *http.Request) (*http.Response, error) {
					_ = r.ParseForm()
					f := answer(r.PostForm, resultCode, sign)
					if tamper {
						f["resultMsg"] = "changed"
					}
					b, _ := json.Marshal(f)
					return httpmock.NewBytesResponse(200, b), nil
				}
			}

			c, mt := mockClient(t, "REQ-"+o.name)
			var sent map[string][]string
			mt.RegisterResponder(http.MethodPost, url, func(r *http.Request) (*http.Response, error) {
				_ = r.ParseForm()
				sent = r.PostForm
				return respond("0000", true, false)(r)
			})
			got, err := o.call(ctx, c)
			if err != nil {
				t.Fatalf("ok: %v", err)
			}
			b, _ := json.MarshalIndent(sent, "", "  ")
			golden.Check(t, o.name+".request.json", append(b, '\n'))
			if gj, _ := json.Marshal(got); !strings.Contains(string(gj), `"returnCode":"0000"`) {
				t.Errorf("ok: decoded %s", gj)
			}

			c, mt = mockClient(t, "REQ-"+o.name)
			mt.RegisterResponder(http.MethodPost, url, respond("0025", true, false))
			var apiErr *allinpay.APIError
			if _, err := o.call(ctx, c); !errors.As(err, &apiErr) || apiErr.ResultCode != allinpay.ResultCodeOriginalNotExist {
				t.Errorf("resultCode 0025: %v", err)
			}
			c, mt = mockClient(t, "REQ-"+o.name)
			mt.RegisterResponder(http.MethodPost, url, respond("0000", true, true))
			if _, err := o.call(ctx, c); !errors.Is(err, allinpay.ErrInvalidSignature) {
				t.Errorf("tampered: %v; want ErrInvalidSignature", err)
			}
			c, mt = mockClient(t, "REQ-"+o.name)
			mt.RegisterResponder(http.MethodPost, url, respond("0000", false, false))
			if _, err := o.call(ctx, c); !errors.Is(err, allinpay.ErrInvalidSignature) {
				t.Errorf("unsigned 0000: %v; want ErrInvalidSignature", err)
			}
			c, mt = mockClient(t, "REQ-"+o.name, allinpay.WithRetries(2))
			mt.RegisterResponder(http.MethodPost, url, httpmock.NewErrorResponder(errors.New("connection reset by peer")))
			_, err = o.call(ctx, c)
			calls := mt.GetTotalCallCount()
			state := o.name != "query" && o.name != "bill"
			if o.retried && calls != 3 || !o.retried && calls != 1 || state && !errors.Is(err, allinpay.ErrOutcomeUnknown) {
				t.Errorf("transport failure: %d calls, %v (retried=%v)", calls, err, o.retried)
			}
		})
	}
}

func TestPayValidation(t *testing.T) {
	t.Parallel()
	err := (&allinpay.PayRequest{TransType: allinpay.TransTypeAlipayApp, OutTransNo: strings.Repeat("号", 17), TransAmount: 0, Currency: "EUR",
		PaymentInstitution: "ALIPAYCN", TradeInformation: &allinpay.TradeInformation{BusinessType: "1|9"}}).Validate()
	var ve *allinpay.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate = %v", err)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Field)
	}
	want := []string{"outTransNo", "transAmount", "currency", "notifyUrl", "referUrl", "returnUrl", "appenv",
		"tradeInformation.hotel_name", "tradeInformation.check_in_time", "tradeInformation.check_out_time", "tradeInformation.business_type"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if err := (&allinpay.PayRequest{TransType: allinpay.TransTypeWxpayMicropay, OutTransNo: "o", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "n"}).Validate(); err == nil || !strings.Contains(err.Error(), "authCode") {
		t.Errorf("micropay without authCode: %v", err)
	}
	// Without a transType the error names no operation (it said "request: invalid request").
	if err := (&allinpay.PayRequest{OutTransNo: "o", TransAmount: 1, Currency: allinpay.CurrencyHKD, NotifyURL: "n"}).Validate(); err == nil || !strings.HasPrefix(err.Error(), "allinpay: invalid request: transType") {
		t.Errorf("Pay without transType: %v", err)
	}
	if _, err := (&allinpay.Client{}).Refund(context.Background(), &allinpay.RefundRequest{TransType: allinpay.TransTypeAlipayReturn, TransAmount: -1}); err == nil {
		t.Error("negative refund accepted")
	}
}
