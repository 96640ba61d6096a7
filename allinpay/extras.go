package allinpay

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/nonce"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// BankCode is a bank of appendix 1.8.1. (The seed's PDF extraction spells
// some codes with Cyrillic look-alikes, ВОС for BOC; these are the ASCII
// codes.)
type BankCode string

// Bank codes (§1.8.1).
const (
	BankCodeICBC BankCode = "ICBC" // Industrial and Commercial Bank of China
	BankCodeABC  BankCode = "ABC"  // The Agricultural Bank of China
	BankCodeBOC  BankCode = "BOC"  // Bank of China
	BankCodeCCB  BankCode = "CCB"  // China Construction Bank
	BankCodeCMB  BankCode = "CMB"  // China Merchants Bank
	BankCodeBOCM BankCode = "BOCM" // Bank of Communications
	BankCodeCMBC BankCode = "CMBC" // China Minsheng Banking Corp
	BankCodeCNCB BankCode = "CNCB" // China Citic Bank
	BankCodeCEBB BankCode = "CEBB" // China Everbright Bank
	BankCodeCIB  BankCode = "CIB"  // Industrial Bank Co
	BankCodeBOB  BankCode = "BOB"  // Bank of Beijing
	BankCodeGDB  BankCode = "GDB"  // China Guangfa Bank
	BankCodeHXB  BankCode = "HXB"  // Hua Xia Bank Co
	BankCodePSBC BankCode = "PSBC" // Postal Savings Bank of China
	BankCodeSPDB BankCode = "SPDB" // Shanghai Pudong Development Bank
	BankCodePAB  BankCode = "PAB"  // Ping An Bank Co
	BankCodeBOS  BankCode = "BOS"  // Bank of Shanghai
	BankCodeBOHC BankCode = "BOHC" // China Bohai Bank Co
	BankCodeBOJ  BankCode = "BOJ"  // Bank of Jiangsu
)

// NewOutTransNo returns a merchant order number as §1.3 advises ("set the
// first several numbers as date"): Beijing time to the second
// (yyyyMMddHHmmss) and 14 random letters and digits, 28 characters.
func NewOutTransNo() string { return nonce.TimeID(time.Now(), 14) }

// QueryPacer keeps a caller's own query loop to the spec's rule: no query
// of one order sooner than MinQueryInterval after the previous one. It
// remembers the last orders it paced (at most 10,000, the oldest forgotten
// first). The zero value is ready to use and safe for concurrent use.
type QueryPacer struct {
	mu    sync.Mutex
	last  map[string]time.Time
	order []string
}

// Wait blocks until outTransNo may be queried again, or ctx ends, and
// records the query as made now.
func (p *QueryPacer) Wait(ctx context.Context, outTransNo string) error {
	return p.wait(ctx, outTransNo, MinQueryInterval)
}

func (p *QueryPacer) wait(ctx context.Context, outTransNo string, d time.Duration) error {
	for {
		p.mu.Lock()
		if p.last == nil {
			p.last = map[string]time.Time{}
		}
		now := time.Now()
		last, seen := p.last[outTransNo]
		if !seen || !now.Before(last.Add(d)) {
			if !seen {
				p.order = append(p.order, outTransNo)
				if len(p.order) > 10_000 {
					delete(p.last, p.order[0])
					p.order = p.order[1:]
				}
			}
			p.last[outTransNo] = now
			p.mu.Unlock()
			return nil
		}
		wait := last.Add(d).Sub(now)
		p.mu.Unlock()
		if err := transport.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// RawRequest is a consumeTrans call with fields the typed requests lack
// (discountAmount, organId, terminalId, totalAmount, webNotifyUrl, …). The
// header fields (requestNo unless set, version, accessCode, mchNo,
// signType) are the client's; Fields may not set them.
type RawRequest struct {
	RequestNo  string
	TransType  TransType
	OutTransNo string // sent as outTransNo; the key to reconcile by
	Fields     map[string]string
}

// RawResponse is the verified answer of a raw call.
type RawResponse struct{ Result }

// Do signs and sends a raw consumeTrans call and verifies its answer like
// every typed call: a state-changing transType (anything but TRANS_QUERY)
// without a verified, definite answer is ErrOutcomeUnknown.
//
// Allinpay API: consumeTrans, any transType.
func (c *Client) Do(ctx context.Context, r *RawRequest) (*RawResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: Do: nil request")
	}
	var v validate.Collector
	v.Required("transType", string(r.TransType))
	v.MaxBytes("requestNo", r.RequestNo, 32)
	v.MaxBytes("outTransNo", r.OutTransNo, 32)
	for k := range r.Fields {
		switch {
		case k == "" || strings.ContainsAny(k, "=&"):
			v.Addf(k, "is not a field name")
		case k == "signature" || k == "outTransNo" || k == "requestNo" || k == "version" || k == "accessCode" || k == "mchNo" || k == "signType" || k == "transType":
			v.Addf(k, "is set by the client")
		}
	}
	if err := validationError(r.TransType, &v); err != nil {
		return nil, err
	}
	h := c.header(r.TransType, r.RequestNo)
	fields := map[string]string{"requestNo": h.RequestNo, "version": h.Version, "accessCode": h.Access, "transType": string(h.TransType),
		"signType": h.SignType, "mchNo": h.MchNo}
	if r.OutTransNo != "" {
		fields["outTransNo"] = r.OutTransNo
	}
	for k, val := range r.Fields {
		fields[k] = val
	}
	o := op{t: r.TransType, path: pathConsume, state: r.TransType != TransTypeTransQuery, key: reconcileKey(r.TransType, r.OutTransNo, r.Fields["oriOutTransNo"]),
		echoOut: r.OutTransNo, h: h}
	f, m, err := c.call(ctx, o, mapForm(fields))
	if err != nil {
		return nil, err
	}
	d := newDecoder(f)
	return &RawResponse{d.result(m)}, nil
}

// mapForm is a raw field set to sign as it is.
type mapForm map[string]string
