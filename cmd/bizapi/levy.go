package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/sign"
)

const levyAlgorithm = "HMAC-SHA256(key = secret, message = req or raw body), base64"

func levySign(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the request: a whole envelope {name, client_key, timestamp, data} or, with --name and --client, its data object")
	secret := secretFlags(fs, "secret", "the levy secret")
	name := fs.String("name", "", "interface name (e.g. CREATE_ORDER_V2) when the input is the data object")
	clientKey := fs.String("client", "", "the envelope's client_key (an identifier, not a secret) when the input is the data object")
	ts := fs.String("timestamp", "", `timestamp "2006-01-02T15:04:05.000" (Beijing time; default now) when the input is the data object`)
	reveal := fs.Bool("reveal", false, "show personal data and the form body in full")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		key, err := secret.get(e)
		if err != nil {
			return err
		}
		raw = trimNL(raw)
		n, err := parseJSON(raw)
		if err != nil || n.kind != '{' {
			return usagef("input is not a JSON object")
		}
		var req []byte
		if n.member("name") != nil && n.member("data") != nil {
			if *name != "" || *clientKey != "" {
				return usagef("the input is a whole envelope; --name and --client are for a data object")
			}
			req = raw // signed exactly as given: these are the bytes to send
		} else {
			if *name == "" || *clientKey == "" {
				return usagef("the input is a data object: give --name and --client (or give the whole envelope)")
			}
			t := *ts
			if t == "" {
				t = time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04:05.000")
			}
			var data bytes.Buffer
			if err := json.Compact(&data, raw); err != nil {
				return usagef("data: %v", err)
			}
			var b bytes.Buffer
			b.WriteString(`{"name":`)
			writeString(&b, *name, style{})
			b.WriteString(`,"client_key":`)
			writeString(&b, *clientKey, style{})
			b.WriteString(`,"timestamp":`)
			writeString(&b, t, style{})
			b.WriteString(`,"data":`)
			b.Write(data.Bytes())
			b.WriteByte('}')
			req = b.Bytes()
		}
		s := sign.NewHMACSHA256(key).Base64(req)
		o := out{e.stdout}
		o.line("algorithm", "%s", levyAlgorithm)
		o.line("secret", "%s", secretPrint(key, *reveal, false))
		o.line("req", "%s", maskJSON(req, *reveal))
		o.line("sign", "%s", s)
		if *reveal {
			o.line("form", "%s", url.Values{"req": {string(req)}, "sign": {s}}.Encode())
		} else {
			o.line("form", "hidden: it carries personal data; add --reveal")
		}
		return nil
	}
}

// levyMessage is what a capture holds: the signed bytes and the signature.
type levyMessage struct {
	kind string // "notice" or "answer"
	msg  []byte
	sig  string
}

func parseLevyCapture(raw []byte, apiSign string) (levyMessage, error) {
	if apiSign != "" {
		return levyMessage{"answer", raw, apiSign}, nil
	}
	if bytes.HasPrefix(raw, []byte("HTTP/")) {
		// curl -i writes "HTTP/2 200" for HTTP/2; the parser wants x.y.
		for _, v := range []string{"HTTP/2 ", "HTTP/3 "} {
			if bytes.HasPrefix(raw, []byte(v)) {
				raw = append([]byte("HTTP/1.1 "), raw[len(v):]...)
			}
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
		if err != nil {
			return levyMessage{}, usagef("captured response: %v", err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return levyMessage{}, usagef("captured response body: %v", err)
		}
		s := resp.Header.Get("Api-Sign")
		if s == "" {
			return levyMessage{}, failf("the captured answer has no Api-Sign header")
		}
		return levyMessage{"answer", body, s}, nil
	}
	if req, err := readRequest(raw); err == nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return levyMessage{}, usagef("captured request body: %v", err)
		}
		raw = body
	}
	t := trimNL(raw)
	if len(t) > 0 && t[0] == '{' {
		var m struct {
			Req  *string `json:"req"`
			Sign *string `json:"sign"`
		}
		if json.Unmarshal(t, &m) == nil && m.Req != nil && m.Sign != nil {
			return levyMessage{"notice", []byte(*m.Req), *m.Sign}, nil
		}
		return levyMessage{}, usagef("this looks like an answer body: give its Api-Sign with --api-sign, or capture the response with its headers")
	}
	v, err := url.ParseQuery(string(t))
	if err != nil || v.Get("req") == "" || v.Get("sign") == "" {
		return levyMessage{}, usagef("input is neither a notice form (req=...&sign=...) nor an answer (give --api-sign)")
	}
	return levyMessage{"notice", []byte(v.Get("req")), v.Get("sign")}, nil
}

func levyVerify(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the captured notice (req=...&sign=... form, or an HTTP request) or answer (raw body with --api-sign, or an HTTP response with headers)")
	secret := secretFlags(fs, "secret", "the levy secret")
	apiSign := fs.String("api-sign", "", "the answer's Api-Sign header value, when the input is a bare answer body")
	reveal := fs.Bool("reveal", false, "show personal data in full")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		m, err := parseLevyCapture(raw, *apiSign)
		if err != nil {
			return err
		}
		key, err := secret.get(e)
		if err != nil {
			return err
		}
		o := out{e.stdout}
		what := "req field of the notice"
		if m.kind == "answer" {
			what = "raw answer body (Api-Sign)"
		}
		o.line("message", "%s, %d bytes", what, len(m.msg))
		o.line("algorithm", "%s", levyAlgorithm)
		o.line("secret", "%s", secretPrint(key, *reveal, false))
		o.line("signed", "%s", maskJSON(m.msg, *reveal))
		o.line("sign", "%s", m.sig)
		h := sign.NewHMACSHA256(key)
		if h.VerifyBase64(m.msg, m.sig) == nil {
			o.line("result", "OK: the signature verifies")
			return nil
		}
		d := &diagnosis{algorithm: levyAlgorithm, keys: []string{"secret " + secretPrint(key, false, false)}}
		d.signed = maskJSON(m.msg, *reveal)
		if n, err := parseJSON(m.msg); err == nil {
			d.fields = n.fieldOrder("", nil)
		}
		diagnoseHMAC(d, h, m.msg, m.sig)
		o.line("result", "FAILED: the signature does not verify")
		d.print(o)
		return failf("signature does not verify")
	}
}

// diagnoseHMAC looks for the usual reasons an HMAC over a JSON body fails.
func diagnoseHMAC(d *diagnosis, h *sign.HMAC, msg []byte, sig string) {
	ok := func(m []byte, s string) bool { return h.VerifyBase64(m, s) == nil }
	if len(sig) == 2*h.Size() && strings.EqualFold(hex.EncodeToString(h.Sum(msg)), sig) {
		d.cause("the signature is hex, not base64: the sender encoded the HMAC differently")
		return
	}
	if fixed, changed := plusFix(sig); changed {
		if ok(msg, fixed) {
			d.cause("URL-decoding damage: the sign has spaces where '+' was (the form was decoded twice, or '+' was not escaped); with '+' restored it verifies")
			return
		}
		sig = fixed
		d.tried = append(d.tried, "the sign with its spaces turned back into '+'")
	}
	if fixed, changed := plusFix(string(msg)); changed {
		if ok([]byte(fixed), sig) {
			d.cause("URL-decoding damage: the body has spaces where '+' was; with '+' restored it verifies")
			return
		}
		d.tried = append(d.tried, "the body with every space turned into '+'")
	}
	if t := bytes.TrimSpace(msg); !bytes.Equal(t, msg) {
		if ok(t, sig) {
			d.cause("the captured body has white space (a line ending) around it that was not signed: it was added when the body was saved")
			return
		}
		d.tried = append(d.tried, "the body without surrounding white space")
	}
	n, err := parseJSON(bytes.TrimSpace(msg))
	if err != nil {
		d.tried = append(d.tried, "re-encodings of the JSON (the body is not JSON: "+err.Error()+")")
		return
	}
	tried := 0
	for _, s := range styles() {
		v := n.encode(s)
		if bytes.Equal(v, msg) {
			continue
		}
		tried++
		if ok(v, sig) {
			d.cause(fmt.Sprintf("the body was re-encoded: the bytes signed were this JSON written %s, the body checked is written %s. "+
				"Verify over the raw bytes exactly as received, before any JSON decoding or re-serialising", s, describeStyle(n, msg)))
			if s.sorted {
				d.cause("field order differs: the signed body had its keys sorted")
			}
			return
		}
	}
	d.tried = append(d.tried, fmt.Sprintf("%d re-encodings of the JSON (compact/spaced, received/sorted key order, \\u escapes, HTML escapes)", tried))
	if n.keysSorted() {
		d.cause("field order: the body checked has its keys sorted at every level, as a JSON library writes a decoded map; " +
			"if it was decoded and re-encoded, the order that was signed is lost: verify over the raw bytes as received")
	}
}

// describeStyle says how msg, the JSON n as received, is written.
func describeStyle(n *node, msg []byte) string {
	for _, s := range styles() {
		if bytes.Equal(n.encode(s), msg) {
			return s.String()
		}
	}
	return "in some other way (white space or escapes of its own)"
}
