package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/bizapi-cn/go-sdk/internal/onepass"
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
	d := onepass.New(body)
	var n Notification
	var data []byte // the data member's text; nil: absent or null
	canon := false
	hasFunc := false
	d.Space()
	ok := d.Object(1, func(k []byte, depth int) bool {
		switch {
		case onepass.FoldIs(k, "func"):
			s, ok := d.Str()
			n.Func, hasFunc = Func(s), ok
			return ok
		case onepass.FoldIs(k, "v"):
			s, ok := d.Str()
			n.V = s
			return ok
		case onepass.FoldIs(k, "auth"):
			return d.Object(depth, func(k []byte, depth int) bool {
				if onepass.FoldIs(k, "nonce") {
					s, ok := d.Str()
					n.Nonce = s
					return ok
				}
				return d.Skip(depth)
			})
		case onepass.FoldIs(k, "data"):
			if d.Literal("null") {
				data = nil
				return true
			}
			start := d.Offset()
			d.StartCanon()
			if !readData(d, depth, &n.Data) {
				return false
			}
			data, canon = d.Since(start), d.Canon()
			return true
		}
		return d.Skip(depth)
	})
	if !ok || !hasFunc || n.Func == "" || !d.AtEnd() {
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

// readData reads the data object into nd.
func readData(d *onepass.Reader, depth int, nd *NotificationData) bool {
	return d.Object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case onepass.FoldIs(k, "bizAppId"):
			nd.BizAppID, ok = d.Str()
		case onepass.FoldIs(k, "daId"):
			nd.DaID, ok = d.Str()
		case onepass.FoldIs(k, "bizNo"):
			nd.BizNo, ok = d.Str()
		case onepass.FoldIs(k, "site"):
			var s string
			s, ok = d.Str()
			nd.Site = Site(s)
		case onepass.FoldIs(k, "daStatus"):
			var n int
			n, ok = d.IntOrString()
			nd.DaStatus = DaStatus(n)
		case onepass.FoldIs(k, "fileUrlList"):
			nd.FileURLList, ok = d.Strings(depth)
		case onepass.FoldIs(k, "jsonResult"):
			var n int
			n, ok = d.IntOrString()
			nd.JSONResult = JSONResult(n)
		case onepass.FoldIs(k, "certResult"):
			var n int64
			n, ok = d.Integer()
			nd.CertResult = int(n)
		case onepass.FoldIs(k, "authorizedTs"):
			nd.AuthorizedTs, ok = d.Integer()
		case onepass.FoldIs(k, "submitId"):
			nd.SubmitID, ok = d.Str()
		case onepass.FoldIs(k, "siteList"):
			var ss []string
			if ss, ok = d.Strings(depth); ok {
				nd.SiteList = make([]Site, len(ss))
				for i, s := range ss {
					nd.SiteList[i] = Site(s)
				}
			}
		case onepass.FoldIs(k, "submitTime"):
			nd.SubmitTime, ok = d.Str()
		case onepass.FoldIs(k, "ext"):
			ok = readExt(d, depth, &nd.Ext)
		default:
			ok = d.Skip(depth)
		}
		return ok
	})
}

// readExt reads data.ext into e.
func readExt(d *onepass.Reader, depth int, e *NotificationExt) bool {
	return d.Object(depth, func(k []byte, depth int) bool {
		var ok bool
		switch {
		case onepass.FoldIs(k, "daSubStatus"):
			var s string
			s, ok = d.Code()
			e.DaSubStatus = Code(s)
		case onepass.FoldIs(k, "childDaList"):
			e.ChildDaList, ok = onepass.ChildDaList(d, depth, childFields)
		case onepass.FoldIs(k, "province"):
			e.Province, ok = d.Str()
		case onepass.FoldIs(k, "city"):
			e.City, ok = d.Str()
		case onepass.FoldIs(k, "fileKey"):
			e.FileKey, ok = d.Str()
		case onepass.FoldIs(k, "pdfPassword"):
			e.PDFPassword, ok = d.Strings(depth)
		case onepass.FoldIs(k, "attach"):
			e.Attach, ok = d.Str()
		case onepass.FoldIs(k, "userId"):
			e.UserID, ok = d.Str()
		case onepass.FoldIs(k, "exceptionPages"):
			e.ExceptionPages, ok = d.Strings(depth)
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
