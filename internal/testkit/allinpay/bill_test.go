package allinpay_test

import (
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/google/go-cmp/cmp"
)

func readAll(br *allinpay.BillReader) (int, error) {
	n := 0
	for {
		_, err := br.Next()
		if err != nil {
			return n, err
		}
		n++
	}
}

const (
	payRow    = "20240101,M1,Shop,T1,O1,ALIPAY_SCANCODE,,,,,2024-01-01 10:00:00,HKD,10.50,0.00,HKD,10.44,0.06,10.50,0.00,1.0000,,"
	refundNeg = "20240101,M1,Shop,T1,R1,ALIPAY_RETURN,,,,,2024-01-01 11:00:00,HKD,-2.00,0.00,HKD,-2.00,0.00,-2.00,0.00,1.0000,O1,"
	refundPos = "20240101,M1,Shop,T1,R1,ALIPAY_RETURN,,,,,2024-01-01 11:00:00,HKD,2.00,0.00,HKD,2.00,0.00,2.00,0.00,1.0000,O1,"
)

// TestBillRefundsAndCurrencies (issue 18): refund rows count against the
// payments whether the file signs them or not; a net or a gross summary
// matches; totals come per kind and currency; a quoted merchant name with
// a comma is one column.
func TestBillRefundsAndCurrencies(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		file string
		err  error
	}{
		"refund negative, net summary":   {payRow + "\n" + refundNeg + "\nSummary,20240101,HKD,8.50,0.06,8.44,2,8.50,0.00\n", nil},
		"refund positive, net summary":   {payRow + "\n" + refundPos + "\nSummary,20240101,HKD,8.50,0.06,8.44,2,8.50,0.00\n", nil},
		"refund positive, gross summary": {payRow + "\n" + refundPos + "\nSummary,20240101,HKD,12.50,0.06,12.44,2,12.50,0.00\n", nil},
		"refund, wrong summary":          {payRow + "\n" + refundPos + "\nSummary,20240101,HKD,10.50,0.06,10.44,2,10.50,0.00\n", allinpay.ErrBillMismatch},
		"quoted comma":                   {strings.Replace(payRow, "Shop", `"Shop, Kowloon ""Main"""`, 1) + "\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n", nil},
		"row arithmetic":                 {strings.Replace(payRow, "HKD,10.44,0.06", "HKD,10.40,0.06", 1) + "\nSummary,20240101,HKD,10.50,0.06,10.40,1,10.50,0.00\n", allinpay.ErrBillMismatch},
		"two currencies, HKD summary":    {payRow + "\n" + strings.NewReplacer("HKD", "USD", "O1", "O2").Replace(payRow) + "\nSummary,20240101,HKD,10.50,0.06,10.44,2,10.50,0.00\n", nil},
		// §1.5.3.1's summary: "3. Settlement Currency"; the rows are all
		// settled in USD, so the summary is not theirs.
		"USD rows, HKD summary": {strings.ReplaceAll(payRow, "HKD", "USD") + "\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n", allinpay.ErrBillMismatch},
	} {
		br := allinpay.NewBillReader(strings.NewReader(c.file))
		_, err := readAll(br)
		if c.err == nil && !errors.Is(err, io.EOF) || c.err != nil && !errors.Is(err, c.err) {
			t.Errorf("%s: %v; want %v", name, err, c.err)
		}
	}
	br := allinpay.NewBillReader(strings.NewReader(payRow + "\n" + refundNeg + "\n" + strings.NewReplacer("HKD", "USD", "O1", "O2").Replace(payRow) +
		"\nSummary,20240101,HKD,8.50,0.06,8.44,3,8.50,0.00\n"))
	if _, err := readAll(br); !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	want := []allinpay.BillTotal{
		{Kind: allinpay.KindPayment, Currency: "HKD", Count: 1, PayAmount: 1050, Fee: 6, SettleAmount: 1044, TotalAmount: 1050},
		{Kind: allinpay.KindRefund, Currency: "HKD", Count: 1, PayAmount: 200, SettleAmount: 200, TotalAmount: 200},
		{Kind: allinpay.KindPayment, Currency: "USD", Count: 1, PayAmount: 1050, Fee: 6, SettleAmount: 1044, TotalAmount: 1050},
	}
	if diff := cmp.Diff(want, br.Totals()); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
}

// TestBillOfTheRequestedDay (issue 18): the rows and the summary must be
// of the day asked for; an absent billData is an empty bill.
func TestBillOfTheRequestedDay(t *testing.T) {
	t.Parallel()
	file := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for name, c := range map[string]struct {
		data string
		err  error
	}{
		"the day":            {file(payRow + "\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n"), io.EOF},
		"a row of another":   {file(strings.Replace(payRow, "20240101", "20231231", 1) + "\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n"), allinpay.ErrBillMismatch},
		"summary of another": {file(payRow + "\nSummary,20231231,HKD,10.50,0.06,10.44,1,10.50,0.00\n"), allinpay.ErrBillMismatch},
		"no billData":        {"", io.EOF},
	} {
		r := &allinpay.DownloadBillResponse{BillData: c.data, BillDate: "20240101"}
		if _, err := readAll(r.Reader()); !errors.Is(err, c.err) {
			t.Errorf("%s: %v; want %v", name, err, c.err)
		}
	}
}
