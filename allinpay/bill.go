package allinpay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/mask"
	"github.com/bizapi-cn/go-sdk/internal/validate"
)

// BillRow is one detail line of a reconciliation file (22 columns).
// Amounts are minor units of their currency.
type BillRow struct {
	TransDate        string // yyyyMMdd
	MchNo            string
	MchName          string
	TerminalNo       string
	OrderNo          string
	TransType        TransType
	CardNo           string
	CardOrganization string
	BatchNo          string
	SwiftNo          string
	TransTime        time.Time // yyyy-MM-dd HH:mm:ss, UTC+8
	TransCurrency    Currency
	PayAmount        Amount
	TipsAmount       Amount
	SettleCurrency   Currency
	SettleAmount     Amount
	Fee              Amount
	TotalAmount      Amount
	Discount         Amount
	ExchangeRate     string
	OriOrderNo       string
	Remarks          string
}

type billRowView BillRow

func (r BillRow) view() billRowView {
	v := billRowView(r)
	v.CardNo = mask.BankCard(v.CardNo)
	return v
}

// Format prints the row with CardNo masked.
func (r BillRow) Format(s fmt.State, verb rune) { fmt.Fprintf(s, fmt.FormatString(s, verb), r.view()) }

// LogValue implements slog.LogValuer with CardNo masked.
func (r BillRow) LogValue() slog.Value { return slog.AnyValue(r.view()) }

// BillSummary is the last line (9 columns).
type BillSummary struct {
	Label          string // "Summary" (or its translation)
	TransDate      string
	SettleCurrency Currency
	PayAmount      Amount
	Fee            Amount
	SettleAmount   Amount
	Count          int64
	TotalAmount    Amount
	Discount       Amount
}

// ErrBillMismatch reports a summary line whose count or totals differ from
// the detail rows: the file is incomplete or altered.
var ErrBillMismatch = errors.New("allinpay: bill summary does not match its rows")

// BillReader reads a reconciliation file line by line, in memory
// independent of the file's size.
type BillReader struct {
	r       *bufio.Reader
	pending []byte // the line read ahead: the last one is the summary
	line    int
	sum     BillSummary
	got     BillSummary // totals of the rows read
	err     error
}

// NewBillReader reads a decoded reconciliation file.
func NewBillReader(r io.Reader) *BillReader {
	return &BillReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// readLine returns the next non-empty line without CR/LF, or io.EOF.
func (b *BillReader) readLine() ([]byte, error) {
	for {
		line, err := b.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("allinpay: bill line %d is longer than 64 KiB", b.line+1)
		}
		if len(line) == 0 && err != nil {
			return nil, err
		}
		b.line++
		line = bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(line)) == 0 {
			if err != nil {
				return nil, err
			}
			continue
		}
		return append([]byte(nil), line...), nil
	}
}

// Next returns the next detail row; at the end it returns io.EOF, after
// checking the summary against the rows (ErrBillMismatch).
func (b *BillReader) Next() (*BillRow, error) {
	if b.err != nil {
		return nil, b.err
	}
	if b.pending == nil {
		line, err := b.readLine()
		if err != nil {
			b.err = fmt.Errorf("allinpay: bill has no summary line: %w", err)
			if errors.Is(err, io.EOF) {
				b.err = errors.New("allinpay: bill is empty (no summary line)")
			}
			return nil, b.err
		}
		b.pending = line
	}
	next, err := b.readLine()
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
		return nil, err
	}
	cur := b.pending
	if errors.Is(err, io.EOF) { // cur is the summary
		b.pending = nil
		if b.err = b.parseSummary(cur); b.err == nil {
			b.err = b.check()
		}
		if b.err == nil {
			b.err = io.EOF
		}
		return nil, b.err
	}
	b.pending = next
	row, perr := parseRow(cur, b.line-1)
	if perr != nil {
		b.err = perr
		return nil, perr
	}
	b.got.Count++
	b.got.PayAmount += row.PayAmount
	b.got.Fee += row.Fee
	b.got.SettleAmount += row.SettleAmount
	b.got.TotalAmount += row.TotalAmount
	b.got.Discount += row.Discount
	return row, nil
}

// Summary returns the summary line once Next returned io.EOF.
func (b *BillReader) Summary() BillSummary { return b.sum }

func parseRow(line []byte, n int) (*BillRow, error) {
	s := string(line) // one allocation; the fields share it
	f := strings.Split(s, ",")
	if len(f) != 22 {
		return nil, fmt.Errorf("allinpay: bill line %d has %d columns, want 22", n, len(f))
	}
	r := &BillRow{TransDate: f[0], MchNo: f[1], MchName: f[2], TerminalNo: f[3], OrderNo: f[4], TransType: TransType(f[5]), CardNo: f[6],
		CardOrganization: f[7], BatchNo: f[8], SwiftNo: f[9], TransCurrency: Currency(f[11]), SettleCurrency: Currency(f[14]),
		ExchangeRate: f[19], OriOrderNo: f[20], Remarks: f[21]}
	if f[10] != "" {
		t, err := time.ParseInLocation("2006-01-02 15:04:05", f[10], cst)
		if err != nil {
			return nil, fmt.Errorf("allinpay: bill line %d: transaction time %q", n, f[10])
		}
		r.TransTime = t
	}
	for _, a := range []struct {
		dst *Amount
		col int
	}{{&r.PayAmount, 12}, {&r.TipsAmount, 13}, {&r.SettleAmount, 15}, {&r.Fee, 16}, {&r.TotalAmount, 17}, {&r.Discount, 18}} {
		v, err := minorUnits(f[a.col], 2)
		if err != nil {
			return nil, fmt.Errorf("allinpay: bill line %d column %d: %w", n, a.col+1, err)
		}
		*a.dst = Amount(v)
	}
	return r, nil
}

func (b *BillReader) parseSummary(line []byte) error {
	f := strings.Split(string(line), ",")
	if len(f) != 9 {
		return fmt.Errorf("allinpay: bill summary has %d columns, want 9", len(f))
	}
	s := BillSummary{Label: f[0], TransDate: f[1], SettleCurrency: Currency(f[2])}
	for _, a := range []struct {
		dst *Amount
		col int
	}{{&s.PayAmount, 3}, {&s.Fee, 4}, {&s.SettleAmount, 5}, {&s.TotalAmount, 7}, {&s.Discount, 8}} {
		v, err := minorUnits(f[a.col], 2)
		if err != nil {
			return fmt.Errorf("allinpay: bill summary column %d: %w", a.col+1, err)
		}
		*a.dst = Amount(v)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(f[6]), 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("allinpay: bill summary count %q", f[6])
	}
	s.Count = n
	b.sum = s
	return nil
}

func (b *BillReader) check() error {
	s, g := b.sum, b.got
	switch {
	case s.Count != g.Count:
		return fmt.Errorf("%w: summary counts %d transactions, file has %d", ErrBillMismatch, s.Count, g.Count)
	case s.PayAmount != g.PayAmount:
		return fmt.Errorf("%w: payment amount %d vs rows %d", ErrBillMismatch, s.PayAmount, g.PayAmount)
	case s.Fee != g.Fee:
		return fmt.Errorf("%w: service charge %d vs rows %d", ErrBillMismatch, s.Fee, g.Fee)
	case s.SettleAmount != g.SettleAmount:
		return fmt.Errorf("%w: settlement %d vs rows %d", ErrBillMismatch, s.SettleAmount, g.SettleAmount)
	case s.TotalAmount != g.TotalAmount:
		return fmt.Errorf("%w: total %d vs rows %d", ErrBillMismatch, s.TotalAmount, g.TotalAmount)
	case s.Discount != g.Discount:
		return fmt.Errorf("%w: discount %d vs rows %d", ErrBillMismatch, s.Discount, g.Discount)
	}
	return nil
}

// minorUnits parses a decimal amount ("12.34", "-1.5", "", "7") into minor
// units with exp digits, rejecting more digits than exp.
func minorUnits(s string, exp int) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > exp || whole == "" || len(whole) > 15 {
		return 0, fmt.Errorf("amount %q", s)
	}
	for len(frac) < exp {
		frac += "0"
	}
	n, err := strconv.ParseUint(whole+frac, 10, 63)
	if err != nil {
		return 0, fmt.Errorf("amount %q", s)
	}
	if neg {
		return -int64(n), nil
	}
	return int64(n), nil
}

// DownloadBillRequest asks for the reconciliation file of a day.
type DownloadBillRequest struct {
	RequestNo string    // generated when empty
	BillDate  time.Time // the day, in UTC+8; the file exists from the next day on
}

// DownloadBillResponse is DOWNLOAD_CHECK_BILL's answer.
type DownloadBillResponse struct {
	Result
	BillData string // base64 of the file; empty: no transactions
}

// Reader returns a BillReader over the base64 billData, decoded as read.
func (r *DownloadBillResponse) Reader() *BillReader {
	return NewBillReader(base64.NewDecoder(base64.StdEncoding, strings.NewReader(r.BillData)))
}

// DownloadBill fetches the reconciliation file of a day (available from
// the next day on, so today's or a future day is refused before sending).
// It is retried like a query.
//
// Allinpay API: downloadbill, transType DOWNLOAD_CHECK_BILL.
func (c *Client) DownloadBill(ctx context.Context, r *DownloadBillRequest) (*DownloadBillResponse, error) {
	if r == nil {
		return nil, errors.New("allinpay: DownloadBill: nil request")
	}
	var v validate.Collector
	day := r.BillDate.In(cst).Format("20060102")
	switch {
	case r.BillDate.IsZero():
		v.Addf("billDate", "is required")
	case day >= c.cfg.now().In(cst).Format("20060102"):
		v.Addf("billDate", "is not over yet: the file exists from the next day on")
	}
	v.MaxBytes("requestNo", r.RequestNo, 32)
	if err := validationError(TransTypeDownloadCheckBill, &v); err != nil {
		return nil, err
	}
	h := c.header(TransTypeDownloadCheckBill, r.RequestNo)
	w := struct {
		RequestNo string    `kv:"requestNo"`
		Version   string    `kv:"version"`
		Access    string    `kv:"accessCode"`
		TransType TransType `kv:"transType"`
		SignType  string    `kv:"signType"`
		MchNo     string    `kv:"mchNo"`
		BillDate  string    `kv:"billDate"`
	}{h.RequestNo, h.Version, h.Access, h.TransType, h.SignType, h.MchNo, day}
	o := op{t: TransTypeDownloadCheckBill, path: pathDownload, h: h}
	f, m, err := c.call(ctx, o, &w)
	if err != nil {
		return nil, err
	}
	d := &decoder{f: f}
	return &DownloadBillResponse{Result: d.result(m), BillData: d.str("billData")}, nil
}
