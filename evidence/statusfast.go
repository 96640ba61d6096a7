package evidence

import (
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/onepass"
)

// decodeStatusFast reads the usual get-da-status answer, errorCode 0 and a
// data object, in one pass into out, where decodeSuccess has encoding/json
// decode it by reflection (about five times the time and 13 times the
// allocations: BenchmarkDecodeStatus).
// It reports whether it did; on false out is zero again and decodeSuccess,
// then decodeAnswer, decide as they always have. It only ever accepts
// what decodeSuccess accepts with the same result (TestDecodeStatusFast,
// FuzzDecodeStatusFast): the answer is UTF-8 (encoding/json would replace
// an invalid byte in a string) and JSON whose every object has keys
// distinct under case folding (so "data" is there once, as decodeSuccess
// requires, and encoding/json matches each key to the one field matched
// here); each value stored decodes there to the same value; anything
// else (an escape, null, a member of another type, deep nesting: see
// onepass) is not read here. The strings of out share one copy of raw,
// which is at most the answer's bound (DefaultMaxResponseBytes).
func decodeStatusFast(raw []byte, out *GetStatusResponse) bool {
	if !utf8.Valid(raw) {
		return false
	}
	d := onepass.New(raw)
	var code int64
	hasCode, hasData := false, false
	d.Space()
	ok := d.Object(1, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case onepass.FoldIs(k, "errorCode"):
			code, ok = d.Integer()
			hasCode = ok
		case onepass.FoldIs(k, "errorMessage"):
			_, ok = d.Str()
		case onepass.FoldIs(k, "data"):
			ok = readStatus(d, depth, out)
			hasData = ok
		default:
			ok = d.Skip(depth)
		}
		return ok
	})
	if !ok || !hasCode || code != 0 || !hasData || !d.AtEnd() {
		*out = GetStatusResponse{}
		return false
	}
	return true
}

// readStatus reads get-da-status's data object into s.
func readStatus(d *onepass.Reader, depth int, s *GetStatusResponse) bool {
	return d.Object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case onepass.FoldIs(k, "daStatus"):
			var n int
			n, ok = d.IntOrString()
			s.DaStatus = DaStatus(n)
		case onepass.FoldIs(k, "browsingSite"):
			var v string
			v, ok = d.Str()
			s.BrowsingSite = Site(v)
		case onepass.FoldIs(k, "daId"):
			s.DaID, ok = d.Str()
		case onepass.FoldIs(k, "bizNo"):
			s.BizNo, ok = d.Str()
		case onepass.FoldIs(k, "jsonResult"):
			var n int
			n, ok = d.IntOrString()
			s.JSONResult = JSONResult(n)
		case onepass.FoldIs(k, "certResult"):
			var n int64
			n, ok = d.Integer()
			s.CertResult = int(n)
		case onepass.FoldIs(k, "appId"):
			s.AppID, ok = d.Str()
		case onepass.FoldIs(k, "authorizedTs"):
			s.AuthorizedTs, ok = d.Integer()
		case onepass.FoldIs(k, "ext"):
			ok = readStatusExt(d, depth, &s.Ext)
		default:
			ok = d.Skip(depth)
		}
		return ok
	})
}

// readStatusExt reads data.ext into e.
func readStatusExt(d *onepass.Reader, depth int, e *StatusExt) bool {
	return d.Object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case onepass.FoldIs(k, "daSubStatus"):
			var v string
			v, ok = d.Code()
			e.DaSubStatus = Code(v)
		case onepass.FoldIs(k, "childDaList"):
			e.ChildDaList, ok = onepass.ChildDaList(d, depth, childFields)
		case onepass.FoldIs(k, "province"):
			e.Province, ok = d.Str()
		case onepass.FoldIs(k, "city"):
			e.City, ok = d.Str()
		default:
			ok = d.Skip(depth)
		}
		return ok
	})
}

// childFields is where onepass.ChildDaList puts an element's members.
func childFields(c *ChildDa) (daID, site *string, daStatus *int, daSubStatus *string) {
	return &c.DaID, (*string)(&c.Site), (*int)(&c.DaStatus), (*string)(&c.DaSubStatus)
}
