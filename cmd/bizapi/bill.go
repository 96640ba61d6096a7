package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Columns of a reconciliation file (seed §1.5.3.1): 22 in a detail line,
// 9 in the summary line that ends the file.
const (
	billCols    = 22
	summaryCols = 9
)

// zeroDecimal lists the ISO 4217 currencies without minor units that a
// cross-border acquirer settles in; every other currency has two decimals.
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true, "VND": true, "CLP": true, "ISK": true, "UGX": true, "XAF": true, "XOF": true, "PYG": true}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// milli is an amount in thousandths, enough for every ISO currency.
type milli int64

func parseAmount(s string) (milli, int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 3 || len(whole) > 15 || strings.ContainsAny(whole+frac, "+-") {
		return 0, 0, fmt.Errorf("amount %q", s)
	}
	dec := len(frac)
	for len(frac) < 3 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("amount %q", s)
	}
	if neg {
		n = -n
	}
	return milli(n), dec, nil
}

func (m milli) format(cur string) string {
	d := 2
	if zeroDecimal[cur] {
		d = 0
	}
	neg := ""
	if m < 0 {
		neg, m = "-", -m
	}
	s := fmt.Sprintf("%d.%03d", m/1000, m%1000)
	switch {
	case m%10 != 0 || (d == 0 && m%1000 != 0):
		return neg + s // more decimals than the currency has: show them all
	case d == 0:
		return neg + s[:len(s)-4]
	}
	return neg + s[:len(s)-1]
}

// amount columns, by their index in a detail line, with their names, and
// the summary column each one totals into (-1: none).
var billAmounts = []struct {
	col, sumCol int
	name        string
	settle      bool // in the settlement currency (else the transaction currency)
}{
	{12, 3, "payment amount", false},
	{13, -1, "tips amount", false},
	{15, 5, "settlement amount", true},
	{16, 4, "service charge", true},
	{17, 7, "total amount", true},
	{18, 8, "total discount", true},
}

func allinpayBill(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the bill: the decoded CSV file, its base64 (billData), or the whole DOWNLOAD_CHECK_BILL answer (JSON)")
	rows := fs.Bool("rows", false, "print every detail line (card numbers masked unless --reveal)")
	reveal := fs.Bool("reveal", false, "show card numbers in full with --rows")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		data, source, err := billData(raw)
		if err != nil {
			return err
		}
		o := out{e.stdout}
		o.line("input", "%s", source)
		var problems []string
		lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			lines = lines[:len(lines)-1]
		}
		if len(lines) == 0 {
			return failf("the bill is empty: it must end with a summary line")
		}
		sum := strings.Split(lines[len(lines)-1], ",")
		detail := lines[:len(lines)-1]
		if len(sum) != summaryCols {
			return failf("the last line has %d columns, a summary line has %d: the file is truncated or not a bill", len(sum), summaryCols)
		}
		settleCur := sum[2]
		if !currencyRE.MatchString(settleCur) {
			problems = append(problems, fmt.Sprintf("summary settlement currency %q is not an ISO 4217 code", settleCur))
		}
		totals := map[int]milli{}
		txCur := map[string]int{}
		txSum := map[string]milli{}
		types := map[string]int{}
		for i, line := range detail {
			n := i + 1
			f := strings.Split(line, ",")
			if len(f) != billCols {
				problems = append(problems, fmt.Sprintf("line %d has %d columns, want %d", n, len(f), billCols))
				continue
			}
			if f[0] != sum[1] {
				problems = append(problems, fmt.Sprintf("line %d is dated %s, the summary %s", n, f[0], sum[1]))
			}
			tc, sc := f[11], f[14]
			for _, c := range []struct{ name, v string }{{"transaction", tc}, {"settlement", sc}} {
				if !currencyRE.MatchString(c.v) {
					problems = append(problems, fmt.Sprintf("line %d: %s currency %q is not an ISO 4217 code", n, c.name, c.v))
				}
			}
			if sc != settleCur {
				problems = append(problems, fmt.Sprintf("line %d settles in %s, the summary in %s", n, sc, settleCur))
			}
			txCur[tc]++
			types[f[5]]++
			for _, a := range billAmounts {
				v, dec, err := parseAmount(f[a.col])
				if err != nil {
					problems = append(problems, fmt.Sprintf("line %d column %d (%s): %v", n, a.col+1, a.name, err))
					continue
				}
				cur := tc
				if a.settle {
					cur = sc
				}
				if lim := decimals(cur); dec > lim {
					problems = append(problems, fmt.Sprintf("line %d column %d (%s): %s has %d decimals, %s has %d", n, a.col+1, a.name, f[a.col], dec, cur, lim))
				}
				if a.sumCol >= 0 {
					totals[a.sumCol] += v
				}
				if a.col == 12 {
					txSum[tc] += v
				}
			}
			if *rows {
				card := f[6]
				if card == "" {
					card = "-"
				} else if !*reveal {
					card = mask.BankCard(card)
				}
				o.text("row %d: %s %s %s order %s card %s %s %s -> %s %s", n, f[0], f[10], f[5], f[4], card, f[11], f[12], f[14], f[15])
			}
		}
		count, err := strconv.ParseInt(strings.TrimSpace(sum[6]), 10, 64)
		if err != nil {
			problems = append(problems, fmt.Sprintf("summary count %q is not a number", sum[6]))
		} else if count != int64(len(detail)) {
			problems = append(problems, fmt.Sprintf("summary counts %d transactions, the file has %d detail lines", count, len(detail)))
		}
		o.line("summary", "%s, date %s, settlement currency %s", sum[0], sum[1], settleCur)
		o.line("rows", "%d detail lines, summary count %s", len(detail), strings.TrimSpace(sum[6]))
		for _, a := range billAmounts {
			if a.sumCol < 0 {
				continue
			}
			want, _, err := parseAmount(sum[a.sumCol])
			if err != nil {
				problems = append(problems, fmt.Sprintf("summary column %d (%s): %v", a.sumCol+1, a.name, err))
				continue
			}
			mark := "ok"
			if want != totals[a.sumCol] {
				mark = "MISMATCH"
				problems = append(problems, fmt.Sprintf("%s: summary %s, rows add up to %s", a.name, want.format(settleCur), totals[a.sumCol].format(settleCur)))
			}
			o.line(a.name, "summary %s, rows %s  %s", want.format(settleCur), totals[a.sumCol].format(settleCur), mark)
		}
		var curs []string
		for c := range txCur {
			curs = append(curs, c)
		}
		sort.Strings(curs)
		for _, c := range curs {
			o.line("currency "+c, "%d transactions, payment amount %s", txCur[c], txSum[c].format(c))
		}
		if len(curs) > 1 {
			o.text("note: the rows mix transaction currencies; the summary's payment amount adds them as numbers")
		}
		var ts []string
		for t := range types {
			ts = append(ts, fmt.Sprintf("%s %d", t, types[t]))
		}
		sort.Strings(ts)
		if len(ts) > 0 {
			o.line("types", "%s", strings.Join(ts, ", "))
		}
		if len(problems) > 0 {
			o.line("result", "FAILED: %d problem(s)", len(problems))
			for _, p := range problems {
				o.text("  problem: %s", p)
			}
			return failf("the bill does not check: %s", problems[0])
		}
		o.line("result", "OK: rows, totals and currencies agree with the summary")
		return nil
	}
}

func decimals(cur string) int {
	if zeroDecimal[cur] {
		return 0
	}
	return 2
}

// billData finds the CSV in the input: as is, base64 of it, or the billData
// of an answer.
func billData(raw []byte) ([]byte, string, error) {
	t := bytes.TrimSpace(raw)
	if bytes.HasPrefix(t, []byte("{")) {
		var a struct {
			BillData   string `json:"billData"`
			ReturnCode string `json:"returnCode"`
			ResultCode string `json:"resultCode"`
		}
		if err := json.Unmarshal(t, &a); err != nil {
			return nil, "", usagef("answer: %v", err)
		}
		if a.BillData == "" {
			return nil, "", failf("the answer has no billData (returnCode %q, resultCode %q)", a.ReturnCode, a.ResultCode)
		}
		b, err := base64.StdEncoding.DecodeString(a.BillData)
		if err != nil {
			if _, changed := plusFix(a.BillData); changed {
				return nil, "", failf("billData is not base64: it has spaces where '+' was (URL-decoding damage)")
			}
			return nil, "", failf("billData is not base64")
		}
		return b, "billData of a DOWNLOAD_CHECK_BILL answer (base64 decoded)", nil
	}
	if !bytes.Contains(t, []byte(",")) {
		b, err := base64.StdEncoding.DecodeString(string(bytes.Join(bytes.Fields(t), nil)))
		if err != nil {
			return nil, "", usagef("input is neither a bill (comma-separated) nor base64 of one")
		}
		return b, "base64 billData (decoded)", nil
	}
	return raw, "comma-separated bill file", nil
}
