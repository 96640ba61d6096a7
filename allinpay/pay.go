package allinpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// Amount is an amount in minor units (cents). It reads a JSON number or a
// numeric string: the platform sends both.
type Amount int64

// UnmarshalJSON implements json.Unmarshaler.
func (a *Amount) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*a = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("allinpay: amount is not an integer of minor units")
	}
	*a = Amount(n)
	return nil
}

// TradeInformation is the tradeInformation JSON the Alipay PC/H5/APP
// payments carry. BusinessType "1".."5" (several separated by spaces);
// the fields each type needs are checked by Validate.
type TradeInformation struct {
	BusinessType       string `json:"business_type"`
	HotelName          string `json:"hotel_name,omitempty"`
	CheckInTime        string `json:"check_in_time,omitempty"`  // yyyy-MM-dd, type 1
	CheckOutTime       string `json:"check_out_time,omitempty"` // yyyy-MM-dd, type 1
	FlightNumber       string `json:"flight_number,omitempty"`  // type 2
	DepartureTime      string `json:"departure_time,omitempty"` // type 2
	AdmissionNoticeURL string `json:"admission_notice_url,omitempty"`
	GoodsInfo          string `json:"goods_info,omitempty"`     // type 4: "pencil^2|eraser^5"
	TotalQuantity      string `json:"total_quantity,omitempty"` // type 4
	OtherBusinessType  string `json:"other_business_type,omitempty"`
}

func (t *TradeInformation) validate(c *validate.Collector) {
	types := strings.Fields(strings.ReplaceAll(t.BusinessType, "|", " "))
	if len(types) == 0 {
		c.Addf("tradeInformation.business_type", "is required")
	}
	need := func(cond bool, field string, bt string) {
		if cond {
			c.Addf("tradeInformation."+field, "is required for business_type %s", bt)
		}
	}
	for _, bt := range types {
		switch bt {
		case "1":
			need(t.HotelName == "", "hotel_name", bt)
			need(!isDate(t.CheckInTime), "check_in_time", bt)
			need(!isDate(t.CheckOutTime), "check_out_time", bt)
		case "2":
			need(t.FlightNumber == "", "flight_number", bt)
			need(!isDate(t.DepartureTime), "departure_time", bt)
		case "3":
			need(t.AdmissionNoticeURL == "", "admission_notice_url", bt)
		case "4":
			need(t.GoodsInfo == "", "goods_info", bt)
			need(t.TotalQuantity == "", "total_quantity", bt)
		case "5":
			need(t.OtherBusinessType == "", "other_business_type", bt)
		default:
			c.Addf("tradeInformation.business_type", "%q is not 1 to 5", bt)
		}
	}
}

func isDate(s string) bool { _, err := time.Parse("2006-01-02", s); return err == nil }

// PayRequest is the payment interface (§1.5.2.1) for every payment type.
type PayRequest struct {
	RequestNo          string // generated when empty
	TransType          TransType
	OutTransNo         string
	TransAmount        int64 // minor units, tips included
	TipsAmount         int64
	Currency           Currency
	NotifyURL          string
	StoreID            string
	LimitPay           string
	AuthCode           string // MICROPAY: the customer's code
	ExpireTime         int    // minutes; 0 = the platform's default
	OpenID             string // WXPAY_BRANCH_MP
	TerminalIP         string // WXPAY_BRANCH_MP, WXPAY_APP
	SubAppID           string // WXPAY_BRANCH_MP
	GoodsSubject       string // order subject (public clients send it; the seed's table lacks it)
	GoodsDetail        string
	ReturnURL          string // ALIPAY_APP, ALIPAY_H5
	ReferURL           string // ALIPAY_PCWEB, _APP, _H5
	PaymentInstitution string // ALIPAY_PCWEB, _APP, _H5: ALIPAYHK or ALIPAYCN
	Supplier           string
	Appenv             string // ALIPAY_APP, e.g. "system=android^version=3.0.1.2"
	TradeInformation   *TradeInformation
}

type payWire struct {
	header
	OutTransNo         string `kv:"outTransNo"`
	TransAmount        int64  `kv:"transAmount"`
	TipsAmount         int64  `kv:"tipsAmount,omitzero"`
	Currency           string `kv:"currency"`
	NotifyURL          string `kv:"notifyUrl"`
	StoreID            string `kv:"storeId"`
	LimitPay           string `kv:"limitPay"`
	AuthCode           string `kv:"authCode"`
	ExpireTime         int    `kv:"expireTime,omitzero"`
	OpenID             string `kv:"openId"`
	TerminalIP         string `kv:"terminalIp"`
	SubAppID           string `kv:"subAppid"`
	GoodsSubject       string `kv:"goodsSubject"`
	GoodsDetail        string `kv:"goodsDetail"`
	ReturnURL          string `kv:"returnUrl"`
	ReferURL           string `kv:"referUrl"`
	PaymentInstitution string `kv:"paymentInstitution"`
	Supplier           string `kv:"supplier"`
	Appenv             string `kv:"appenv"`
	TradeInformation   string `kv:"tradeInformation"`
}

// Validate reports every bad field; lengths count bytes, a Chinese
// character as 2.
func (r *PayRequest) Validate() error {
	var c validate.Collector
	if c.Required("transType", string(r.TransType)) {
		validate.OneOf(&c, "transType", r.TransType, payTypes...)
	}
	if c.Required("outTransNo", r.OutTransNo) {
		c.MaxBytes("outTransNo", r.OutTransNo, 32)
	}
	c.MaxBytes("requestNo", r.RequestNo, 32)
	if r.TransAmount <= 0 {
		c.Addf("transAmount", "must be positive (minor units)")
	}
	if r.TransAmount > 999_999_999_999 {
		c.Addf("transAmount", "exceeds 12 digits")
	}
	if r.TipsAmount < 0 || r.TipsAmount > r.TransAmount {
		c.Addf("tipsAmount", "must be between 0 and transAmount")
	}
	if c.Required("currency", string(r.Currency)) {
		validate.OneOf(&c, "currency", r.Currency, CurrencyCNY, CurrencyHKD, CurrencyUSD, CurrencyCAD, CurrencySGD)
	}
	if c.Required("notifyUrl", r.NotifyURL) {
		c.MaxBytes("notifyUrl", r.NotifyURL, 256)
	}
	if r.ExpireTime < 0 {
		c.Addf("expireTime", "must not be negative")
	}
	need := func(cond bool, field string) {
		if cond {
			c.Addf(field, "is required for %s", r.TransType)
		}
	}
	switch r.TransType {
	case TransTypeWxpayMicropay, TransTypeAlipayMicropay, TransTypeUnionpayMicropay:
		need(r.AuthCode == "", "authCode")
	case TransTypeWxpayBranchMP:
		need(r.OpenID == "", "openId")
		need(r.TerminalIP == "", "terminalIp")
		need(r.SubAppID == "", "subAppid")
	case TransTypeWxpayApp:
		need(r.TerminalIP == "", "terminalIp")
	case TransTypeAlipayPCWeb, TransTypeAlipayH5, TransTypeAlipayApp:
		need(r.ReferURL == "", "referUrl")
		need(r.PaymentInstitution == "", "paymentInstitution")
		if r.PaymentInstitution != "" && r.PaymentInstitution != "ALIPAYHK" && r.PaymentInstitution != "ALIPAYCN" {
			c.Addf("paymentInstitution", "must be ALIPAYHK or ALIPAYCN")
		}
		if r.TransType != TransTypeAlipayPCWeb {
			need(r.ReturnURL == "", "returnUrl")
		}
		if r.TransType == TransTypeAlipayApp {
			need(r.Appenv == "", "appenv")
		}
		need(r.PaymentInstitution == "ALIPAYCN" && r.TradeInformation == nil, "tradeInformation")
	}
	if r.TradeInformation != nil {
		r.TradeInformation.validate(&c)
	}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"storeId", r.StoreID, 20}, {"limitPay", r.LimitPay, 20}, {"openId", r.OpenID, 128}, {"subAppid", r.SubAppID, 32},
		{"goodsSubject", r.GoodsSubject, 128}, {"goodsDetail", r.GoodsDetail, 1000}, {"returnUrl", r.ReturnURL, 256}, {"referUrl", r.ReferURL, 256}} {
		c.MaxBytes(f.name, f.v, f.max)
	}
	return validationError(r.TransType, &c)
}

// Result is the common part of every answer.
type Result struct {
	RequestNo  string     `json:"requestNo"`
	TransType  TransType  `json:"transType"`
	MchNo      string     `json:"mchNo"`
	OutTransNo string     `json:"outTransNo"`
	ReturnCode string     `json:"returnCode"`
	ReturnMsg  string     `json:"returnMsg"`
	ResultCode ResultCode `json:"resultCode"`
	ResultMsg  string     `json:"resultMsg"`
	// Fields are all the fields received (the signed set), unknown included.
	Fields Fields `json:"-"`
}

// Processing reports whether the order's result is not final yet.
func (r *Result) Processing() bool { return r.ResultCode.Processing() }

// PayResponse is the payment answer. A Processing answer (P000, 9997) is
// not an error: the customer still has to scan or confirm.
type PayResponse struct {
	Result
	CodeURL     string `json:"codeUrl"` // the QR content to show
	PayInfo     string `json:"payInfo"`
	BankUserID  string `json:"bankUserId"`
	TransNo     string `json:"transNo"`
	PayTime     string `json:"payTime"`
	BankTradeNo string `json:"bankTradeNo"`
}

// Pay creates a payment of any payment type. It is never retried once the
// request may have left: an ambiguous failure is ErrOutcomeUnknown, and
// QueryOrder tells what happened.
//
// Allinpay API: consumeTrans, transType WXPAY_*/ALIPAY_*/UNIONPAY_*/PAYNOW_SCANCODE.
func (c *Client) Pay(ctx context.Context, r *PayRequest) (*PayResponse, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	w := payWire{header: c.header(r.TransType, r.RequestNo), OutTransNo: r.OutTransNo, TransAmount: r.TransAmount, TipsAmount: r.TipsAmount,
		Currency: string(r.Currency), NotifyURL: r.NotifyURL, StoreID: r.StoreID, LimitPay: r.LimitPay, AuthCode: r.AuthCode, ExpireTime: r.ExpireTime,
		OpenID: r.OpenID, TerminalIP: r.TerminalIP, SubAppID: r.SubAppID, GoodsSubject: r.GoodsSubject, GoodsDetail: r.GoodsDetail,
		ReturnURL: r.ReturnURL, ReferURL: r.ReferURL, PaymentInstitution: r.PaymentInstitution, Supplier: r.Supplier, Appenv: r.Appenv}
	if r.TradeInformation != nil {
		b, err := json.Marshal(r.TradeInformation)
		if err != nil {
			return nil, fmt.Errorf("allinpay: tradeInformation: %w", err)
		}
		w.TradeInformation = string(b)
	}
	var out PayResponse
	f, err := c.call(ctx, PathConsume, r.TransType, &w, &out, false)
	out.Fields = f
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// QueryResponse is TRANS_QUERY's answer.
type QueryResponse struct {
	Result
	TransAmount Amount   `json:"transAmount"`
	Currency    Currency `json:"currency"`
	TransNo     string   `json:"transNo"`
	PayTime     string   `json:"payTime"`
	BankUserID  string   `json:"bankUserId"`
	BankTradeNo string   `json:"bankTradeNo"`
}

// QueryOrder asks for an order's state by the merchant's outTransNo; it is
// retried on transport errors and 5xx.
//
// Allinpay API: consumeTrans, transType TRANS_QUERY.
func (c *Client) QueryOrder(ctx context.Context, oriOutTransNo string) (*QueryResponse, error) {
	var v validate.Collector
	if v.Required("oriOutTransNo", oriOutTransNo) {
		v.MaxBytes("oriOutTransNo", oriOutTransNo, 32)
	}
	if err := validationError(TransTypeTransQuery, &v); err != nil {
		return nil, err
	}
	w := struct {
		header
		OriOutTransNo string `kv:"oriOutTransNo"`
	}{c.header(TransTypeTransQuery, ""), oriOutTransNo}
	var out QueryResponse
	f, err := c.call(ctx, PathConsume, TransTypeTransQuery, &w, &out, true)
	out.Fields = f
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// WaitFinal queries the order every interval (at least 10 s, the
// platform's rule) until its result is final or ctx ends.
func (c *Client) WaitFinal(ctx context.Context, oriOutTransNo string, interval time.Duration) (*QueryResponse, error) {
	interval = max(interval, 10*time.Second)
	for {
		q, err := c.QueryOrder(ctx, oriOutTransNo)
		if err != nil || !q.Processing() {
			return q, err
		}
		if err := transport.Sleep(ctx, interval); err != nil {
			return q, fmt.Errorf("allinpay: WaitFinal: %w", err)
		}
	}
}

// RefundRequest is a refund (*_RETURN). The platform checks the total
// against the original; the client rejects a non-positive amount.
type RefundRequest struct {
	RequestNo     string
	TransType     TransType // e.g. TransTypeAlipayReturn, or payType.ReturnType()
	OutTransNo    string    // the refund's own number
	OriOutTransNo string
	TransAmount   int64
	Currency      Currency
	RefundReason  string // wire name refundReson, as the seed spells it
	NotifyURL     string
}

// RefundResponse is a refund's answer.
type RefundResponse struct {
	Result
	TransAmount Amount `json:"transAmount"`
	TransNo     string `json:"transNo"`
	BankTradeNo string `json:"bankTradeNo"`
}

// Refund refunds part or all of a payment; never retried once sent.
//
// Allinpay API: consumeTrans, transType *_RETURN.
func (c *Client) Refund(ctx context.Context, r *RefundRequest) (*RefundResponse, error) {
	var v validate.Collector
	validate.OneOf(&v, "transType", r.TransType, TransTypeWxpayReturn, TransTypeAlipayReturn, TransTypeUnionpayReturn, TransTypePaynowReturn)
	v.Required("transType", string(r.TransType))
	orderRefs(&v, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	if r.TransAmount <= 0 {
		v.Addf("transAmount", "must be positive (minor units)")
	}
	if v.Required("currency", string(r.Currency)) {
		validate.OneOf(&v, "currency", r.Currency, CurrencyCNY, CurrencyHKD, CurrencyUSD, CurrencyCAD, CurrencySGD)
	}
	v.MaxBytes("refundReson", r.RefundReason, 256)
	if err := validationError(r.TransType, &v); err != nil {
		return nil, err
	}
	w := struct {
		header
		OutTransNo    string `kv:"outTransNo"`
		OriOutTransNo string `kv:"oriOutTransNo"`
		TransAmount   int64  `kv:"transAmount"`
		Currency      string `kv:"currency"`
		RefundReson   string `kv:"refundReson"`
		NotifyURL     string `kv:"notifyUrl"`
	}{c.header(r.TransType, r.RequestNo), r.OutTransNo, r.OriOutTransNo, r.TransAmount, string(r.Currency), r.RefundReason, r.NotifyURL}
	var out RefundResponse
	f, err := c.call(ctx, PathConsume, r.TransType, &w, &out, false)
	out.Fields = f
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func orderRefs(v *validate.Collector, out, ori, notify string) {
	if v.Required("outTransNo", out) {
		v.MaxBytes("outTransNo", out, 32)
	}
	if v.Required("oriOutTransNo", ori) {
		v.MaxBytes("oriOutTransNo", ori, 32)
	}
	if v.Required("notifyUrl", notify) {
		v.MaxBytes("notifyUrl", notify, 256)
	}
}

// VoidRequest voids a same-day successful payment (*_CANCEL), or closes an
// unpaid order (CLOSE_ORDER, via CloseOrder).
type VoidRequest struct {
	RequestNo     string
	TransType     TransType
	OutTransNo    string
	OriOutTransNo string
	NotifyURL     string
}

// Void voids a payment of the same day; never retried once sent.
//
// Allinpay API: consumeTrans, transType *_CANCEL.
func (c *Client) Void(ctx context.Context, r *VoidRequest) (*Result, error) {
	var v validate.Collector
	if v.Required("transType", string(r.TransType)) {
		validate.OneOf(&v, "transType", r.TransType, TransTypeWxpayCancel, TransTypeAlipayCancel, TransTypeUnionpayCancel, TransTypePaynowCancel)
	}
	return c.voidOrClose(ctx, r, &v)
}

// CloseOrder closes an unpaid order so that it can no longer be paid.
//
// Allinpay API: consumeTrans, transType CLOSE_ORDER.
func (c *Client) CloseOrder(ctx context.Context, r *VoidRequest) (*Result, error) {
	cp := *r
	cp.TransType = TransTypeCloseOrder
	var v validate.Collector
	return c.voidOrClose(ctx, &cp, &v)
}

func (c *Client) voidOrClose(ctx context.Context, r *VoidRequest, v *validate.Collector) (*Result, error) {
	orderRefs(v, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	if err := validationError(r.TransType, v); err != nil {
		return nil, err
	}
	w := struct {
		header
		OutTransNo    string `kv:"outTransNo"`
		OriOutTransNo string `kv:"oriOutTransNo"`
		NotifyURL     string `kv:"notifyUrl"`
	}{c.header(r.TransType, r.RequestNo), r.OutTransNo, r.OriOutTransNo, r.NotifyURL}
	var out Result
	f, err := c.call(ctx, PathConsume, r.TransType, &w, &out, false)
	out.Fields = f
	if err != nil {
		return nil, err
	}
	return &out, nil
}
