package allinpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// TradeInformation is the tradeInformation JSON the Alipay PC/H5/APP
// payments carry. BusinessType "1".."5", several separated by "|" ("1|4");
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
	types := strings.FieldsFunc(t.BusinessType, func(r rune) bool { return r == '|' })
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
	TransAmount        Amount // tips included
	TipsAmount         Amount
	Currency           Currency
	NotifyURL          string
	StoreID            string
	LimitPay           string
	AuthCode           string // MICROPAY: the customer's code (a bearer credential: masked when printed)
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

type payRequestView PayRequest

func (r PayRequest) view() payRequestView {
	v := payRequestView(r)
	v.AuthCode, v.OpenID = mask.Secret(v.AuthCode), mask.Middle(v.OpenID, 2, 2)
	return v
}

// Format prints the request with AuthCode and OpenID masked.
func (r PayRequest) Format(s fmt.State, verb rune) {
	fmt.Fprintf(s, fmt.FormatString(s, verb), r.view())
}

// LogValue implements slog.LogValuer with AuthCode and OpenID masked.
func (r PayRequest) LogValue() slog.Value { return slog.AnyValue(r.view()) }

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

// maxTradeInformation is tradeInformation's cut length "ANSx6…" read as
// 600 bytes (the spec's own example is over 64).
const maxTradeInformation = 600

var currencies = []Currency{CurrencyCNY, CurrencyHKD, CurrencyUSD, CurrencyCAD, CurrencySGD}

func amountN12(c *validate.Collector, field string, a Amount) {
	if a <= 0 {
		c.Addf(field, "must be positive (minor units)")
	}
	if a > 999_999_999_999 {
		c.Addf(field, "exceeds 12 digits")
	}
}

// Validate reports every bad field; lengths count bytes, a Chinese
// character as 2.
func (r *PayRequest) Validate() error {
	var c validate.Collector
	if c.Required("transType", string(r.TransType)) {
		validate.OneOf(&c, "transType", r.TransType, payTypes...)
	}
	requiredField(&c, "outTransNo", r.OutTransNo, classAN, 32) // ANx32
	field(&c, "requestNo", r.RequestNo, classAN, 32)           // ANx32
	amountN12(&c, "transAmount", r.TransAmount)
	if r.TipsAmount < 0 || r.TipsAmount > r.TransAmount {
		c.Addf("tipsAmount", "must be between 0 and transAmount")
	}
	if c.Required("currency", string(r.Currency)) {
		validate.OneOf(&c, "currency", r.Currency, currencies...)
	}
	requiredField(&c, "notifyUrl", r.NotifyURL, classANS, 256) // ANSx2… (AS256 in §1.5.2.3-5)
	if r.ExpireTime < 0 || r.ExpireTime > 9_999_999_999 {
		c.Addf("expireTime", "must be 0 to 10 digits of minutes (N 10)")
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
	if r.LimitPay != "" && !strings.HasPrefix(string(r.TransType), "WXPAY_") && !strings.HasPrefix(string(r.TransType), "ALIPAY_") {
		// §1.5.2.1: "It is only for Wechat Pay and Alipay".
		c.Addf("limitPay", "is only for WeChat Pay and Alipay")
	}
	if r.TradeInformation != nil {
		r.TradeInformation.validate(&c)
	}
	if r.TradeInformation != nil {
		// tradeInformation ANSx6…: the marshalled JSON.
		if b, err := json.Marshal(r.TradeInformation); err == nil {
			field(&c, "tradeInformation", string(b), classANS, maxTradeInformation)
		}
	}
	// The lengths of §1.5.2.1's table; where the seed cuts the length
	// ("ANSx1…") the package doc, "Field classes and lengths", gives the
	// reading.
	for _, f := range []struct {
		name, v string
		k       class
		max     int
	}{
		{"storeId", r.StoreID, classAN, 20},                      // AN 20
		{"limitPay", r.LimitPay, classAN, 20},                    // AN 20
		{"authCode", r.AuthCode, classANS, 128},                  // ANSx1…
		{"openId", r.OpenID, classAN, 256},                       // ANx25…
		{"terminalIp", r.TerminalIP, classANS, 256},              // ANSx2…
		{"subAppid", r.SubAppID, classAN, 32},                    // AN 32
		{"goodsSubject", r.GoodsSubject, classANS, 128},          // not in the seed's table
		{"goodsDetail", r.GoodsDetail, classANS, 1000},           // ANx10… ("kids clothing": text)
		{"returnUrl", r.ReturnURL, classANS, 256},                // ANSx 2…
		{"referUrl", r.ReferURL, classANS, 256},                  // ANSx 2…
		{"supplier", r.Supplier, classANS, 128},                  // ANSx 1…
		{"appenv", r.Appenv, classANS, 512},                      // ANSx5…
		{"paymentInstitution", r.PaymentInstitution, classAN, 8}, // Ax 8 (ALIPAYHK, ALIPAYCN)
	} {
		field(&c, f.name, f.v, f.k, f.max)
	}
	return validationError(r.TransType, &c)
}

// Result is the common part of every answer, read from the verified field
// set by exact name.
type Result struct {
	RequestNo  string
	TransType  TransType
	MchNo      string
	OutTransNo string
	ReturnCode ReturnCode
	ReturnMsg  string
	ResultCode ResultCode
	ResultMsg  string
	// Fields are the signed set: every field received with a value,
	// unknown included (an empty one is outside the signature).
	Fields   Fields
	Metadata Metadata
}

// Processing reports whether the order's result is not final yet.
func (r *Result) Processing() bool { return r.ResultCode.Processing() }

func (d *decoder) result(m Metadata) Result {
	return Result{RequestNo: d.Str("requestNo"), TransType: TransType(d.Str("transType")), MchNo: d.Str("mchNo"), OutTransNo: d.Str("outTransNo"),
		ReturnCode: ReturnCode(d.Str("returnCode")), ReturnMsg: d.Str("returnMsg"), ResultCode: ResultCode(d.Str("resultCode")),
		ResultMsg: d.Str("resultMsg"), Fields: d.F, Metadata: m}
}

// decoded finishes a call: a field that does not decode makes the answer
// malformed, and for a state-changing call, of unknown outcome.
func decoded(o op, d *decoder) error {
	if d.Err == nil {
		return nil
	}
	err := fmt.Errorf("allinpay: %s: %w: %w", o.t, ErrMalformedResponse, d.Err)
	if o.state {
		return &OutcomeUnknownError{Operation: o.t, Key: o.key, Err: err}
	}
	return err
}

// PayResponse is the payment answer. A Processing answer (P000, 9997,
// 0051) is not an error: the customer still has to scan or confirm.
type PayResponse struct {
	Result
	CodeURL     string // the QR content to show
	PayInfo     string // as sent: a string, or an object's JSON text
	BankUserID  string // the customer's wallet id (masked when printed)
	TransNo     string
	PayTime     Time
	BankTradeNo string
}

type payResponseView PayResponse

// Format prints the response with BankUserID masked.
func (r PayResponse) Format(s fmt.State, verb rune) {
	v := payResponseView(r)
	v.BankUserID = mask.Middle(v.BankUserID, 2, 2)
	fmt.Fprintf(s, fmt.FormatString(s, verb), v)
}

// LogValue implements slog.LogValuer with BankUserID masked.
func (r PayResponse) LogValue() slog.Value {
	v := payResponseView(r)
	v.BankUserID = mask.Middle(v.BankUserID, 2, 2)
	return slog.AnyValue(v)
}

// Pay creates a payment of any payment type. It is never retried once the
// request may have left: without a verified, definite answer it returns
// an *OutcomeUnknownError (ErrOutcomeUnknown); Reconcile tells what
// happened.
//
// Allinpay API: consumeTrans, transType WXPAY_*/ALIPAY_*/UNIONPAY_*/PAYNOW_SCANCODE.
func (c *Client) Pay(ctx context.Context, r *PayRequest) (*PayResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: Pay: nil request")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	w := payWire{header: c.header(r.TransType, r.RequestNo), OutTransNo: r.OutTransNo, TransAmount: int64(r.TransAmount), TipsAmount: int64(r.TipsAmount),
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
	o := op{t: r.TransType, path: pathConsume, state: true, key: r.OutTransNo, echoOut: r.OutTransNo, h: w.header}
	f, m, err := c.call(ctx, o, &w)
	if err != nil {
		return nil, err
	}
	d := newDecoder(f)
	out := &PayResponse{Result: d.result(m), CodeURL: d.Str("codeUrl"), PayInfo: d.Str("payInfo"), BankUserID: d.Str("bankUserId"),
		TransNo: d.Str("transNo"), PayTime: d.time("payTime"), BankTradeNo: d.Str("bankTradeNo")}
	if out.ResultCode == ResultCodeSuccess {
		d.Required("transNo")
	}
	if err := decoded(o, d); err != nil {
		return nil, err
	}
	return out, nil
}

// QueryOrderRequest asks for an order's state (TRANS_QUERY).
type QueryOrderRequest struct {
	RequestNo     string // generated when empty
	OriOutTransNo string // the order's outTransNo
}

// QueryOrderResponse is TRANS_QUERY's answer.
type QueryOrderResponse struct {
	Result
	TransAmount Amount
	Currency    Currency
	TransNo     string
	PayTime     Time
	BankUserID  string // masked when printed
	BankTradeNo string
}

type queryResponseView QueryOrderResponse

// Format prints the response with BankUserID masked.
func (r QueryOrderResponse) Format(s fmt.State, verb rune) {
	v := queryResponseView(r)
	v.BankUserID = mask.Middle(v.BankUserID, 2, 2)
	fmt.Fprintf(s, fmt.FormatString(s, verb), v)
}

// LogValue implements slog.LogValuer with BankUserID masked.
func (r QueryOrderResponse) LogValue() slog.Value {
	v := queryResponseView(r)
	v.BankUserID = mask.Middle(v.BankUserID, 2, 2)
	return slog.AnyValue(v)
}

// QueryOrder asks for an order's state by the merchant's outTransNo. The
// spec asks for 10 s between queries of an order, so a query is retried
// only when it provably never left; loop with WaitFinal.
//
// Allinpay API: consumeTrans, transType TRANS_QUERY.
func (c *Client) QueryOrder(ctx context.Context, r *QueryOrderRequest) (*QueryOrderResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: QueryOrder: nil request")
	}
	var v validate.Collector
	requiredField(&v, "oriOutTransNo", r.OriOutTransNo, classAS, 32) // AS 32
	field(&v, "requestNo", r.RequestNo, classAN, 32)                 // ANx32
	if err := validationError(TransTypeTransQuery, &v); err != nil {
		return nil, err
	}
	w := struct {
		header
		OriOutTransNo string `kv:"oriOutTransNo"`
	}{c.header(TransTypeTransQuery, r.RequestNo), r.OriOutTransNo}
	o := op{t: TransTypeTransQuery, path: pathConsume, key: r.OriOutTransNo, echoOut: r.OriOutTransNo, h: w.header}
	f, m, err := c.call(ctx, o, &w)
	if err != nil {
		return nil, err
	}
	d := newDecoder(f)
	out := &QueryOrderResponse{Result: d.result(m), TransAmount: d.amount("transAmount"), Currency: Currency(d.Str("currency")),
		TransNo: d.Str("transNo"), PayTime: d.time("payTime"), BankUserID: d.Str("bankUserId"), BankTradeNo: d.Str("bankTradeNo")}
	if err := decoded(o, d); err != nil {
		return nil, err
	}
	return out, nil
}

// MinQueryInterval is the spec's least time between two queries of one
// order (§1.5.2.2).
const MinQueryInterval = 10 * time.Second

// WaitFinal queries the order every interval (at least MinQueryInterval)
// until its result is final or ctx ends. The first query goes at once
// unless this client queried the order less than interval ago (through
// WaitFinal: its pacing holds across calls). A query that fails with a
// transport error, a 5xx, a busy platform (9996) or a malformed answer is
// tried again at the next interval; a verified refusal (*APIError) or a
// *ValidationError ends the wait. When ctx ends, the error wraps ctx's
// error and the last query's error.
func (c *Client) WaitFinal(ctx context.Context, r *QueryOrderRequest, interval time.Duration) (*QueryOrderResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: WaitFinal: nil request")
	}
	interval = max(interval, MinQueryInterval)
	var (
		last    *QueryOrderResponse
		lastErr error
	)
	for {
		if err := c.pacer.wait(ctx, r.OriOutTransNo, interval); err != nil {
			if lastErr != nil {
				return nil, fmt.Errorf("allinpay: WaitFinal: %w (last query: %w)", err, lastErr)
			}
			return last, fmt.Errorf("allinpay: WaitFinal: %w", err)
		}
		cp := *r
		q, err := c.QueryOrder(ctx, &cp)
		var ae *APIError
		var ve *ValidationError
		switch {
		case err == nil && !q.Processing():
			return q, nil
		case errors.As(err, &ae) && ae.bound && ae.Meaning() != MeaningRetryLater && ae.Meaning() != MeaningOutcomeUnknown, errors.As(err, &ve):
			// A verified refusal naming this query (0033 and 0034
			// included); 9996 (busy), 9999 and 0040 (the query's own
			// outcome unknown) are waited out.
			return nil, err
		}
		last, lastErr = q, err
	}
}

// RefundRequest is a refund (*_RETURN). The platform checks the total
// against the original; the client rejects a non-positive amount.
type RefundRequest struct {
	RequestNo     string
	TransType     TransType // e.g. TransTypeAlipayReturn, or payType.ReturnType()
	OutTransNo    string    // the refund's own number
	OriOutTransNo string
	TransAmount   Amount
	Currency      Currency
	RefundReason  string // wire name refundReson, as the seed spells it
	NotifyURL     string
}

// Validate reports every bad field.
func (r *RefundRequest) Validate() error {
	var v validate.Collector
	if v.Required("transType", string(r.TransType)) {
		validate.OneOf(&v, "transType", r.TransType, TransTypeWxpayReturn, TransTypeAlipayReturn, TransTypeUnionpayReturn, TransTypePaynowReturn)
	}
	orderRefs(&v, r.RequestNo, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	amountN12(&v, "transAmount", r.TransAmount)
	if v.Required("currency", string(r.Currency)) {
		validate.OneOf(&v, "currency", r.Currency, currencies...)
	}
	field(&v, "refundReson", r.RefundReason, classANS, 256) // AS 256, read as text (a reason)
	return validationError(r.TransType, &v)
}

// RefundResponse is a refund's answer.
type RefundResponse struct {
	Result
	TransAmount Amount
	TransNo     string
	BankTradeNo string
}

// Refund refunds part or all of a payment; never retried once sent.
//
// Allinpay API: consumeTrans, transType *_RETURN.
func (c *Client) Refund(ctx context.Context, r *RefundRequest) (*RefundResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: Refund: nil request")
	}
	if err := r.Validate(); err != nil {
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
	}{c.header(r.TransType, r.RequestNo), r.OutTransNo, r.OriOutTransNo, int64(r.TransAmount), string(r.Currency), r.RefundReason, r.NotifyURL}
	o := op{t: r.TransType, path: pathConsume, state: true, key: r.OutTransNo, echoOut: r.OutTransNo, h: w.header}
	f, m, err := c.call(ctx, o, &w)
	if err != nil {
		return nil, err
	}
	d := newDecoder(f)
	out := &RefundResponse{Result: d.result(m), TransAmount: d.amount("transAmount"), TransNo: d.Str("transNo"), BankTradeNo: d.Str("bankTradeNo")}
	if err := decoded(o, d); err != nil {
		return nil, err
	}
	return out, nil
}

func orderRefs(v *validate.Collector, requestNo, out, ori, notify string) {
	// §1.5.2.3-5: requestNo ANx32, outTransNo and oriOutTransNo AS32,
	// notifyUrl AS256 (a URL: checked as the payment's ANS, so that a query
	// string stays possible).
	field(v, "requestNo", requestNo, classAN, 32)
	requiredField(v, "outTransNo", out, classAS, 32)
	requiredField(v, "oriOutTransNo", ori, classAS, 32)
	requiredField(v, "notifyUrl", notify, classANS, 256)
}

// VoidRequest voids a same-day successful payment (*_CANCEL).
type VoidRequest struct {
	RequestNo     string
	TransType     TransType // e.g. TransTypeAlipayCancel, or payType.CancelType()
	OutTransNo    string    // the void's own number
	OriOutTransNo string
	NotifyURL     string
}

// Validate reports every bad field.
func (r *VoidRequest) Validate() error {
	var v validate.Collector
	if v.Required("transType", string(r.TransType)) {
		validate.OneOf(&v, "transType", r.TransType, TransTypeWxpayCancel, TransTypeAlipayCancel, TransTypeUnionpayCancel, TransTypePaynowCancel)
	}
	orderRefs(&v, r.RequestNo, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	return validationError(r.TransType, &v)
}

// VoidResponse is a void's answer.
type VoidResponse struct {
	Result
	BankTradeNo string
}

// Void voids a payment of the same day; never retried once sent.
//
// Allinpay API: consumeTrans, transType *_CANCEL.
func (c *Client) Void(ctx context.Context, r *VoidRequest) (*VoidResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: Void: nil request")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	res, err := c.voidOrClose(ctx, r.TransType, r.RequestNo, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	if err != nil {
		return nil, err
	}
	return &VoidResponse{Result: res, BankTradeNo: res.Fields["bankTradeNo"]}, nil
}

// CloseOrderRequest closes an unpaid order (CLOSE_ORDER).
type CloseOrderRequest struct {
	RequestNo     string
	OutTransNo    string // the close request's own number
	OriOutTransNo string
	NotifyURL     string
}

// Validate reports every bad field.
func (r *CloseOrderRequest) Validate() error {
	var v validate.Collector
	orderRefs(&v, r.RequestNo, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	return validationError(TransTypeCloseOrder, &v)
}

// CloseOrderResponse is CLOSE_ORDER's answer.
type CloseOrderResponse struct{ Result }

// CloseOrder closes an unpaid order so that it can no longer be paid;
// never retried once sent. Its *OutcomeUnknownError's Key is the original
// order's outTransNo (OriOutTransNo), not the close's own: a close is not
// an order that can be queried, and Reconcile then reads the original's
// state (closed or not).
//
// Allinpay API: consumeTrans, transType CLOSE_ORDER.
func (c *Client) CloseOrder(ctx context.Context, r *CloseOrderRequest) (*CloseOrderResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: CloseOrder: nil request")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	res, err := c.voidOrClose(ctx, TransTypeCloseOrder, r.RequestNo, r.OutTransNo, r.OriOutTransNo, r.NotifyURL)
	if err != nil {
		return nil, err
	}
	return &CloseOrderResponse{res}, nil
}

func (c *Client) voidOrClose(ctx context.Context, t TransType, requestNo, outTransNo, ori, notify string) (Result, error) {
	w := struct {
		header
		OutTransNo    string `kv:"outTransNo"`
		OriOutTransNo string `kv:"oriOutTransNo"`
		NotifyURL     string `kv:"notifyUrl"`
	}{c.header(t, requestNo), outTransNo, ori, notify}
	o := op{t: t, path: pathConsume, state: true, key: reconcileKey(t, outTransNo, ori), echoOut: outTransNo, h: w.header}
	f, m, err := c.call(ctx, o, &w)
	if err != nil {
		return Result{}, err
	}
	d := newDecoder(f)
	return d.result(m), nil
}
