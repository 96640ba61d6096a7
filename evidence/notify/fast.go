package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"

	"github.com/bizapi-cn/go-sdk/internal/sortedjson"
)

// decodeFast reads a verified, UTF-8 body of the common shape in one pass
// and returns what decodeTree returns for it. It only ever accepts: on
// anything it is not sure of (a key with an escape or a non-ASCII byte,
// two keys of an object equal under case folding, even exactly, any
// escape in a string, a known member of another type or null, a number
// that may not fit, deep nesting, a large object, a syntax error) it
// answers false and decodeTree gives the verdict and the error. What it
// accepts, decodeTree accepts with the same result: the body is JSON
// whose every object has keys distinct under folding (so the tree check
// passes, and encoding/json matches each key to at most one field,
// ASCII-case-insensitively, as here); each value it stores decodes there
// to the same value; the data member is either already sortedjson's form
// (compact, keys in byte order, no escapes: Canonicalize gives it back)
// or put in it by sortedjson.Canonicalize.
func decodeFast(body []byte) (*Notification, bool) {
	d := fastDec{b: body, s: string(body)}
	var n Notification
	var data []byte // the data member's text; nil: absent or null
	canon := false
	hasFunc := false
	d.space()
	ok := d.object(1, func(k []byte, depth int) bool {
		switch {
		case foldIs(k, "func"):
			s, ok := d.str()
			n.Func, hasFunc = Func(s), ok
			return ok
		case foldIs(k, "v"):
			s, ok := d.str()
			n.V = s
			return ok
		case foldIs(k, "auth"):
			return d.object(depth, func(k []byte, depth int) bool {
				if foldIs(k, "nonce") {
					s, ok := d.str()
					n.Nonce = s
					return ok
				}
				return d.skip(depth)
			})
		case foldIs(k, "data"):
			if d.literal("null") {
				data = nil
				return true
			}
			start := d.i
			d.canon = true
			if !d.data(depth, &n.Data) {
				return false
			}
			data, canon = d.b[start:d.i], d.canon
			return true
		}
		return d.skip(depth)
	})
	if !ok || !hasFunc || n.Func == "" {
		return nil, false
	}
	d.space()
	if d.i != len(d.b) {
		return nil, false
	}
	switch {
	case data == nil:
		data = []byte("null")
	case !canon:
		var err error
		if data, err = sortedjson.Canonicalize(data); err != nil {
			return nil, false
		}
	}
	n.Raw = append(json.RawMessage(nil), body...)
	sum := sha256.Sum256(data)
	var hx [2 * sha256.Size]byte
	hex.Encode(hx[:], sum[:])
	n.key = string(n.Func) + ":" + string(hx[:])
	return &n, true
}

// Bounds of the one-pass reading; beyond them decodeTree reads the body.
const (
	fastMaxDepth   = 32 // nesting (sortedjson allows 64, encoding/json 10000)
	fastMaxMembers = 32 // members of one object (pairwise folded compare)
)

// fastDec is the one-pass reader: b is the body, s the same bytes as one
// string the decoded strings are cut from, i the position.
type fastDec struct {
	b     []byte
	s     string
	i     int
	canon bool // no whitespace between tokens and keys in byte order since set
}

func (d *fastDec) space() {
	start := d.i
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
			continue
		}
		break
	}
	if d.i != start {
		d.canon = false
	}
}

// object reads an object at d.i. For each member it calls member with the
// key, d.i at the value and the value's depth; member reads the value.
func (d *fastDec) object(depth int, member func(k []byte, depth int) bool) bool {
	if depth > fastMaxDepth || d.i >= len(d.b) || d.b[d.i] != '{' {
		return false
	}
	d.i++
	d.space()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return true
	}
	var keys [fastMaxMembers][]byte
	for n := 0; ; n++ {
		d.space()
		k, ok := d.key()
		if !ok || n == fastMaxMembers {
			return false
		}
		for _, p := range keys[:n] {
			if bytes.EqualFold(p, k) { // ASCII keys: strings.ToLower equality
				return false
			}
		}
		if n > 0 && bytes.Compare(keys[n-1], k) >= 0 {
			d.canon = false
		}
		keys[n] = k
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return false
		}
		d.i++
		d.space()
		if !member(k, depth+1) {
			return false
		}
		d.space()
		if d.i >= len(d.b) {
			return false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			continue
		case '}':
			d.i++
			return true
		}
		return false
	}
}

// array reads an array at d.i, calling elem for each element (d.i at it).
func (d *fastDec) array(depth int, elem func(depth int) bool) bool {
	if depth > fastMaxDepth || d.i >= len(d.b) || d.b[d.i] != '[' {
		return false
	}
	d.i++
	d.space()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return true
	}
	for {
		d.space()
		if !elem(depth + 1) {
			return false
		}
		d.space()
		if d.i >= len(d.b) {
			return false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
			continue
		case ']':
			d.i++
			return true
		}
		return false
	}
}

// key reads an object key: printable ASCII without escapes only.
func (d *fastDec) key() ([]byte, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return d.b[start:j], true
		case c < 0x20 || c == '\\' || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// strRange reads a string without escapes; its contents are b[i:j].
func (d *fastDec) strRange() (i, j int, ok bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return 0, 0, false
	}
	start := d.i + 1
	for j := start; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return start, j, true
		case c < 0x20 || c == '\\':
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// str reads a string without escapes (its value is its bytes: the body is
// UTF-8).
func (d *fastDec) str() (string, bool) {
	i, j, ok := d.strRange()
	return d.s[i:j], ok
}

// number reads a JSON number and returns its text; a number float64 may
// not hold (encoding/json refuses it in the tree) is not read.
func (d *fastDec) number() ([]byte, bool) {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return nil, false
	}
	exp := false
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		exp = true
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return nil, false
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	lit := b[d.i:i]
	// Without an exponent, 300 characters stay below 1e300.
	if exp || len(lit) > 300 {
		if _, err := strconv.ParseFloat(string(lit), 64); err != nil {
			return nil, false
		}
	}
	d.i = i
	return lit, true
}

// literal reads the literal lit (true, false or null) if it is at d.i.
func (d *fastDec) literal(lit string) bool {
	if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
		d.i += len(lit)
		return true
	}
	return false
}

// skip reads any value.
func (d *fastDec) skip(depth int) bool {
	if d.i >= len(d.b) {
		return false
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.object(depth, func(_ []byte, depth int) bool { return d.skip(depth) })
	case c == '[':
		return d.array(depth, d.skip)
	case c == '"':
		_, _, ok := d.strRange()
		return ok
	case c == '-' || c >= '0' && c <= '9':
		_, ok := d.number()
		return ok
	}
	return d.literal("true") || d.literal("false") || d.literal("null")
}

// smallInt is strconv.ParseInt(string(b), 10, 64) (and so strconv.Atoi)
// for an optional sign and 1 to 18 digits; anything else is not read.
// plus allows a '+' sign (Atoi does, a JSON number does not).
func smallInt(b []byte, plus bool) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || plus && b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// integer reads a number into an int or int64 field (encoding/json:
// ParseInt of the text).
func (d *fastDec) integer() (int64, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '-' && (d.b[d.i] < '0' || d.b[d.i] > '9') {
		return 0, false
	}
	lit, ok := d.number()
	if !ok {
		return 0, false
	}
	return smallInt(lit, false)
}

// intOrString reads what intOrString (DaStatus, JSONResult) decodes: a
// number, or a string of digits ("" is 0); not null.
func (d *fastDec) intOrString() (int, bool) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		i, j, ok := d.strRange()
		if !ok {
			return 0, false
		}
		if i == j {
			return 0, true
		}
		n, ok := smallInt(d.b[i:j], true)
		return int(n), ok
	}
	n, ok := d.integer()
	return int(n), ok
}

// code reads what Code.UnmarshalJSON decodes: a string or a number's
// text; not null.
func (d *fastDec) code() (Code, bool) {
	if d.i < len(d.b) && d.b[d.i] == '"' {
		s, ok := d.str()
		return Code(s), ok
	}
	if d.i >= len(d.b) || d.b[d.i] != '-' && (d.b[d.i] < '0' || d.b[d.i] > '9') {
		return "", false
	}
	start := d.i
	if _, ok := d.number(); !ok {
		return "", false
	}
	return Code(d.s[start:d.i]), true
}

// strings reads an array of strings (an empty array is an empty, non-nil
// slice, as encoding/json makes it).
func (d *fastDec) strings(depth int) ([]string, bool) {
	out := []string{}
	ok := d.array(depth, func(int) bool {
		s, ok := d.str()
		out = append(out, s)
		return ok
	})
	return out, ok
}

// data reads the data object into nd.
func (d *fastDec) data(depth int, nd *NotificationData) bool {
	return d.object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case foldIs(k, "bizAppId"):
			nd.BizAppID, ok = d.str()
		case foldIs(k, "daId"):
			nd.DaID, ok = d.str()
		case foldIs(k, "bizNo"):
			nd.BizNo, ok = d.str()
		case foldIs(k, "site"):
			var s string
			s, ok = d.str()
			nd.Site = Site(s)
		case foldIs(k, "daStatus"):
			var n int
			n, ok = d.intOrString()
			nd.DaStatus = DaStatus(n)
		case foldIs(k, "fileUrlList"):
			nd.FileURLList, ok = d.strings(depth)
		case foldIs(k, "jsonResult"):
			var n int
			n, ok = d.intOrString()
			nd.JSONResult = JSONResult(n)
		case foldIs(k, "certResult"):
			var n int64
			n, ok = d.integer()
			nd.CertResult = int(n)
		case foldIs(k, "authorizedTs"):
			nd.AuthorizedTs, ok = d.integer()
		case foldIs(k, "submitId"):
			nd.SubmitID, ok = d.str()
		case foldIs(k, "siteList"):
			var ss []string
			if ss, ok = d.strings(depth); ok {
				nd.SiteList = make([]Site, len(ss))
				for i, s := range ss {
					nd.SiteList[i] = Site(s)
				}
			}
		case foldIs(k, "submitTime"):
			nd.SubmitTime, ok = d.str()
		case foldIs(k, "ext"):
			ok = d.ext(depth, &nd.Ext)
		default:
			ok = d.skip(depth)
		}
		return ok
	})
}

// ext reads data.ext into e.
func (d *fastDec) ext(depth int, e *NotificationExt) bool {
	return d.object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case foldIs(k, "daSubStatus"):
			e.DaSubStatus, ok = d.code()
		case foldIs(k, "childDaList"):
			e.ChildDaList = []ChildDa{}
			ok = d.array(depth, func(depth int) bool {
				var c ChildDa
				ok := d.childDa(depth, &c)
				e.ChildDaList = append(e.ChildDaList, c)
				return ok
			})
		case foldIs(k, "province"):
			e.Province, ok = d.str()
		case foldIs(k, "city"):
			e.City, ok = d.str()
		case foldIs(k, "fileKey"):
			e.FileKey, ok = d.str()
		case foldIs(k, "pdfPassword"):
			e.PDFPassword, ok = d.strings(depth)
		case foldIs(k, "attach"):
			e.Attach, ok = d.str()
		case foldIs(k, "userId"):
			e.UserID, ok = d.str()
		case foldIs(k, "exceptionPages"):
			e.ExceptionPages, ok = d.strings(depth)
		default:
			ok = d.skip(depth)
		}
		return ok
	})
}

// childDa reads one childDaList element into c.
func (d *fastDec) childDa(depth int, c *ChildDa) bool {
	return d.object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case foldIs(k, "daId"):
			c.DaID, ok = d.str()
		case foldIs(k, "site"):
			var s string
			s, ok = d.str()
			c.Site = Site(s)
		case foldIs(k, "daStatus"):
			var n int
			n, ok = d.intOrString()
			c.DaStatus = DaStatus(n)
		case foldIs(k, "daSubStatus"):
			c.DaSubStatus, ok = d.code()
		default:
			ok = d.skip(depth)
		}
		return ok
	})
}

// foldIs reports an ASCII key equal to name under ASCII case folding:
// for ASCII, how encoding/json matches a key to a field's name.
func foldIs(k []byte, name string) bool {
	if len(k) != len(name) {
		return false
	}
	for i := 0; i < len(k); i++ {
		a, b := k[i], name[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}
