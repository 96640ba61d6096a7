package allinpay_test

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/allinpay"
)

// The reader's hand-written parsers (transaction time, CSV fields, amounts)
// are checked here against what it used before: time.ParseInLocation, and
// copies of the former splitCSV and micros.

var billCST = time.FixedZone("CST", 8*3600)

// quoteCSV quotes s as one CSV field.
func quoteCSV(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// rowWith is payRow with column col (0-based) replaced by field, as is.
func rowWith(col int, field string) string {
	f := strings.Split(payRow, ",")
	f[col] = field
	return strings.Join(f, ",")
}

// firstRow reads the first row of line followed by a summary.
func firstRow(line string) (*allinpay.BillRow, error) {
	return allinpay.NewBillReader(strings.NewReader(line + "\nSummary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00\n")).Next()
}

// checkTransTime compares the reader's transaction time of s with
// time.ParseInLocation's.
func checkTransTime(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(s, "\n") {
		return // another line
	}
	r, err := firstRow(rowWith(10, quoteCSV(s)))
	if s == "" {
		if err != nil || !r.TransTime.IsZero() {
			t.Errorf("empty time: %v, %v; want the zero time", r, err)
		}
		return
	}
	want, werr := time.ParseInLocation("2006-01-02 15:04:05", s, billCST)
	switch {
	case werr != nil && err == nil:
		t.Errorf("time %q: accepted as %v; time.ParseInLocation: %v", s, r.TransTime, werr)
	case werr != nil:
		if !strings.Contains(err.Error(), "transaction time") {
			t.Errorf("time %q: %v; want a transaction time error", s, err)
		}
	case err != nil:
		t.Errorf("time %q: %v; time.ParseInLocation = %v", s, err, want)
	case !r.TransTime.Equal(want) || r.TransTime.Format(time.RFC3339Nano+" MST") != want.Format(time.RFC3339Nano+" MST"):
		t.Errorf("time %q = %v; time.ParseInLocation = %v", s, r.TransTime, want)
	}
}

// TestBillTransTimeLikeTimeParse: the transaction time is accepted and
// read exactly as time.ParseInLocation("2006-01-02 15:04:05", s, UTC+8)
// would, on the edges of every range and on the forms time.Parse takes
// beyond the layout's own.
func TestBillTransTimeLikeTimeParse(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", "2024-01-01 10:00:00", "0000-01-01 00:00:00", "9999-12-31 23:59:59", "1970-01-01 00:00:00",
		"2023-02-29 10:00:00", "2024-02-29 10:00:00", "1900-02-29 10:00:00", "2000-02-29 10:00:00", "2100-02-29 00:00:00", "0000-02-29 00:00:00",
		"2024-02-30 10:00:00", "2024-04-31 10:00:00", "2024-06-30 10:00:00", "2024-12-32 10:00:00",
		"2024-13-01 10:00:00", "2024-00-01 10:00:00", "2024-01-00 10:00:00", "2024-99-99 99:99:99",
		"2024-01-01 24:00:00", "2024-01-01 23:60:00", "2024-01-01 23:59:60", "2024-01-01 23:59:59",
		"+024-01-01 10:00:00", "-024-01-01 10:00:00", "2024-+1-01 10:00:00", "2024-01-+1 10:00:00", "2024-01-01 +1:00:00", "2024-01-01 -1:00:00",
		"2024-01-01 10:+0:00", "2024-01-01 10:00:-0", " 2024-01-01 10:00:00", "2024-01-01 10:00:00 ", "2024-01-01  10:00:00",
		"2024-01-01\t10:00:00", "2024-01-01 1:00:00", "2024-01-01 01:0:00", "2024-1-01 10:00:00", "2024-01-1 10:00:00",
		"2024-01-01 10:00:00.5", "2024-01-01 10:00:00,123456789", "2024-01-01 10:00:00.1234567891", "2024-01-01 10:00:00.",
		"2024-01-01 10:00:00Z", "2024-01-01T10:00:00", "2024/01/01 10:00:00", "20240101 10:00:00", "2024-01-01", "10:00:00",
		"２０２４-01-01 10:00:00", "2024-01-01 10:00:0", "2024-01-01 10:00:000", "a024-01-01 10:00:00", "2024-01-01 10:00:0a",
		"2024-01-01 10:00:00\r", "2024-01-01 10:00:00\x00", "\"2024-01-01 10:00:00\"",
	} {
		checkTransTime(t, s)
	}
	// Every month and day on the edges of the leap year rules, and every
	// hour, minute and second from 00 to 99.
	for _, y := range []string{"0000", "0004", "1900", "1999", "2000", "2023", "2024", "2100", "2400", "9999"} {
		for mo := 0; mo <= 13; mo++ {
			for d := 0; d <= 32; d++ {
				checkTransTime(t, fmt.Sprintf("%s-%02d-%02d 12:34:56", y, mo, d))
			}
		}
	}
	for v := 0; v < 100; v++ {
		checkTransTime(t, fmt.Sprintf("2024-03-15 %02d:30:30", v))
		checkTransTime(t, fmt.Sprintf("2024-03-15 12:%02d:30", v))
		checkTransTime(t, fmt.Sprintf("2024-03-15 12:30:%02d", v))
	}
	// Every byte in every position.
	base := "2024-02-29 23:59:59"
	for i := range len(base) {
		for c := range 256 {
			checkTransTime(t, base[:i]+string([]byte{byte(c)})+base[i+1:])
			if c < 0x80 {
				checkTransTime(t, base[:i]+string(rune(c))+base[i:])
			}
		}
		checkTransTime(t, base[:i]+base[i+1:])
	}
}

// FuzzBillTransTime: the reader's transaction time is time.ParseInLocation's.
func FuzzBillTransTime(f *testing.F) {
	for _, s := range []string{"2024-01-01 10:00:00", "2023-02-29 10:00:00", "2024-01-01 24:00:00", "2024-13-01 10:00:00", "+024-01-01 10:00:00",
		"2024-01-01  1:00:00", "2024-01-01 10:00:00,5", ""} {
		f.Add(s)
	}
	f.Fuzz(checkTransTime)
}

// oldSplitCSV is the reader's former field splitter.
func oldSplitCSV(line string) ([]string, error) {
	if !strings.Contains(line, `"`) {
		return strings.Split(line, ","), nil
	}
	var out []string
	for i := 0; ; {
		if i < len(line) && line[i] == '"' {
			var sb strings.Builder
			j := i + 1
			for {
				k := strings.IndexByte(line[j:], '"')
				if k < 0 {
					return nil, errors.New("unterminated quoted field")
				}
				sb.WriteString(line[j : j+k])
				j += k + 1
				if j < len(line) && line[j] == '"' {
					sb.WriteByte('"')
					j++
					continue
				}
				break
			}
			out = append(out, sb.String())
			if j == len(line) {
				return out, nil
			}
			if line[j] != ',' {
				return nil, errors.New("text after a quoted field")
			}
			i = j + 1
			continue
		}
		k := strings.IndexByte(line[i:], ',')
		if k < 0 {
			return append(out, line[i:]), nil
		}
		out = append(out, line[i:i+k])
		i += k + 1
	}
}

// checkSplit compares how the reader splits line (a detail row, or the
// summary when summary is set) with the former splitter.
func checkSplit(t *testing.T, line string, summary bool) {
	t.Helper()
	if strings.ContainsAny(line, "\r\n") || strings.TrimSpace(line) == "" {
		return
	}
	want, werr := oldSplitCSV(line)
	if summary {
		br := allinpay.NewBillReader(strings.NewReader(line + "\n"))
		_, err := br.Next()
		switch {
		case werr != nil:
			if err == nil || !strings.Contains(err.Error(), "bill summary: "+werr.Error()) {
				t.Errorf("summary %q: %v; want %v", line, err, werr)
			}
		case len(want) != 9:
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("summary has %d columns, want 9", len(want))) {
				t.Errorf("summary %q: %v; want %d columns", line, err, len(want))
			}
		case errors.Is(err, io.EOF) || errors.Is(err, allinpay.ErrBillMismatch):
			s := br.Summary()
			if s.Label != want[0] || s.TransDate != want[1] || string(s.SettleCurrency) != want[2] {
				t.Errorf("summary %q = %+v; want %q", line, s, want)
			}
		}
		return
	}
	r, err := firstRow(line)
	switch {
	case werr != nil:
		if err == nil || !strings.Contains(err.Error(), ": "+werr.Error()) {
			t.Errorf("row %q: %v; want %v", line, err, werr)
		}
	case len(want) != 22:
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("has %d columns, want 22", len(want))) {
			t.Errorf("row %q: %v; want %d columns", line, err, len(want))
		}
	case err == nil:
		got := []string{r.TransDate, r.MchNo, r.MchName, r.TerminalNo, r.OrderNo, string(r.TransType), r.CardNo, r.CardOrganization, r.BatchNo, r.SwiftNo,
			string(r.TransCurrency), string(r.SettleCurrency), r.ExchangeRate, r.OriOrderNo, r.Remarks}
		w := append(append(append([]string{}, want[:10]...), want[11], want[14]), want[19:]...)
		if strings.Join(got, "\x00") != strings.Join(w, "\x00") {
			t.Errorf("row %q = %q; want %q", line, got, w)
		}
	}
}

// TestBillFieldsLikeBefore: quoted fields, "" escapes, stray quotes,
// column counts and their errors are as the former splitter had them.
func TestBillFieldsLikeBefore(t *testing.T) {
	t.Parallel()
	for _, name := range []string{`"Shop, Kowloon ""Main"""`, `"Shop"`, `""`, `""""`, `"a""b"`, `"a""`, `"a"b`, `"a" `, `a"b`, `a""b`, `"`, `"a,b`, `"a`,
		`"a"",b"`, `"x""y""z"`, `"""a"`, `"a"""`, `"a,b,c"`, `Shop"`} {
		checkSplit(t, rowWith(2, name), false)
		checkSplit(t, rowWith(21, name), false)
		checkSplit(t, rowWith(0, name), false)
		checkSplit(t, "Summary,20240101,HKD,10.50,0.06,10.44,1,10.50,"+name, true)
		checkSplit(t, name+",20240101,HKD,10.50,0.06,10.44,1,10.50,0.00", true)
	}
	checkSplit(t, payRow+",", false)
	checkSplit(t, payRow+`,""`, false)
	checkSplit(t, payRow+`,"`, false)
	checkSplit(t, strings.Repeat(",", 21), false)
	checkSplit(t, strings.Repeat(",", 40), false)
	checkSplit(t, strings.Repeat(",", 40)+`"`, false)
	checkSplit(t, "a", false)
	checkSplit(t, "Summary,20240101,HKD,10.50,0.06,10.44,1,10.50", true)
	checkSplit(t, "Summary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00,", true)
	checkSplit(t, strings.Repeat(",", 100), true)
}

// FuzzBillFields: the reader splits a row and a summary as the former
// splitter did.
func FuzzBillFields(f *testing.F) {
	f.Add(payRow)
	f.Add(rowWith(2, `"Shop, Kowloon ""Main"""`))
	f.Add(rowWith(2, `"Shop`))
	f.Add("Summary,20240101,HKD,10.50,0.06,10.44,1,10.50,0.00")
	f.Fuzz(func(t *testing.T, line string) {
		checkSplit(t, line, false)
		checkSplit(t, line, true)
	})
}

// oldMicros is the reader's former amount parser.
func oldMicros(s string, exp int) (int64, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	t, neg := s, false
	if t[0] == '-' {
		t, neg = t[1:], true
	}
	whole, frac, _ := strings.Cut(t, ".")
	if len(frac) > 6 || whole == "" || len(whole) > 12 {
		return 0, false, fmt.Errorf("amount %q", s)
	}
	var n int64
	for i := 0; i < len(whole); i++ {
		c := whole[i]
		if c < '0' || c > '9' {
			return 0, false, fmt.Errorf("amount %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	sig := len(frac)
	for sig > 0 && frac[sig-1] == '0' {
		sig--
	}
	for i := range 6 {
		var d int64
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, false, fmt.Errorf("amount %q", s)
			}
			d = int64(c - '0')
		}
		n = n*10 + d
	}
	if neg {
		n = -n
	}
	return n, sig > exp, nil
}

// checkAmount compares the reader's reading of s as a discount (the one
// amount no row check uses) with the former parser's.
func checkAmount(t *testing.T, s string) {
	t.Helper()
	if strings.Contains(s, "\n") {
		return
	}
	r, err := firstRow(rowWith(18, quoteCSV(s)))
	v, extra, werr := oldMicros(s, 2)
	if werr != nil {
		if err == nil || !strings.Contains(err.Error(), "column 19: "+werr.Error()) {
			t.Errorf("amount %q: %v; want %v", s, err, werr)
		}
		return
	}
	if err != nil {
		t.Errorf("amount %q: %v", s, err)
		return
	}
	d := int64(10_000)
	want := (abs64(v) + d/2) / d
	if v < 0 {
		want = -want
	}
	if int64(r.Discount) != want || (r.ExtraDecimals["Discount"] != "") != extra || extra && r.ExtraDecimals["Discount"] != strings.TrimSpace(s) {
		t.Errorf("amount %q = %d, extra %q; want %d, %v", s, r.Discount, r.ExtraDecimals, want, extra)
	}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// TestBillAmountsLikeBefore: amounts are accepted, rounded and reported as
// ExtraDecimals as the former parser had them.
func TestBillAmountsLikeBefore(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", " ", "0", "0.00", "10.50", "-10.50", "10.", ".5", "-.5", "-", "--1", "+1", "1.2.3", "1..2", "1,5", " 7 ", "\t7\t",
		"\u00a07", "7\u3000", "0.006", "0.005", "-0.005", "0.0049999", "0.000001", "0.0000001", "1e3", "0x10", "999999999999", "9999999999999",
		"999999999999.999999", "-999999999999.999999", "1 2", "1. 2", "١", "00000000000012.5", "000000000000", "0000000000000", "12.340000", "12.3400000"} {
		checkAmount(t, s)
	}
	for i := range 20 {
		checkAmount(t, strings.Repeat("9", i))
		checkAmount(t, "1."+strings.Repeat("0", i))
		checkAmount(t, strings.Repeat("1", i)+".5")
	}
}

// FuzzBillAmount: the reader reads an amount as the former parser did.
func FuzzBillAmount(f *testing.F) {
	for _, s := range []string{"10.50", "-0.005", "0.0000001", "1.", "", " 1 ", "9999999999999"} {
		f.Add(s)
	}
	f.Fuzz(checkAmount)
}

// TestBillRowsKeptValid: a row's strings stay as they were read whatever
// the reader reads after it (they are not slices of a reused buffer).
func TestBillRowsKeptValid(t *testing.T) {
	t.Parallel()
	var file strings.Builder
	const n = 3000 // several bufio buffers' worth
	for i := range n {
		file.WriteString(strings.NewReplacer("O1", "O"+strconv.Itoa(i), "Shop", `"Shop, `+strconv.Itoa(i)+`"`).Replace(payRow) + "\r\n")
	}
	fmt.Fprintf(&file, "Summary,20240101,HKD,%d.%02d,%d.%02d,%d.%02d,%d,%d.%02d,0.00\n", 1050*n/100, 1050*n%100, 6*n/100, 6*n%100, 1044*n/100, 1044*n%100, n, 1050*n/100, 1050*n%100)
	br := allinpay.NewBillReader(strings.NewReader(file.String()))
	var rows []*allinpay.BillRow
	for {
		r, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if len(rows) != n {
		t.Fatalf("%d rows; want %d", len(rows), n)
	}
	for i, r := range rows {
		if r.OrderNo != "O"+strconv.Itoa(i) || r.MchName != "Shop, "+strconv.Itoa(i) || r.Remarks != "" || r.ExchangeRate != "1.0000" ||
			!r.TransTime.Equal(time.Date(2024, 1, 1, 10, 0, 0, 0, billCST)) || r.PayAmount != 1050 {
			t.Fatalf("row %d = %+v", i, r)
		}
	}
}
