package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/diag"
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
		n, err := diag.ParseJSON(raw)
		if err != nil || !n.IsObject() {
			return usagef("input is not a JSON object")
		}
		var req []byte
		if n.Member("name") != nil && n.Member("data") != nil {
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
			diag.WriteString(&b, *name, diag.Style{})
			b.WriteString(`,"client_key":`)
			diag.WriteString(&b, *clientKey, diag.Style{})
			b.WriteString(`,"timestamp":`)
			diag.WriteString(&b, t, diag.Style{})
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
		d := &diag.Report{Algorithm: levyAlgorithm, Keys: []string{"secret " + secretPrint(key, false, false)}}
		d.Signed = maskJSON(m.msg, *reveal)
		diagnoseHMAC(d, h, m.msg, m.sig)
		o.line("result", "FAILED: the signature does not verify")
		printReport(o, d)
		return failf("signature does not verify")
	}
}

// diagnoseHMAC looks for the usual reasons an HMAC over a JSON body fails.
func diagnoseHMAC(d *diag.Report, h *sign.HMAC, msg []byte, sig string) {
	ok := func(m []byte, s string) bool { return h.VerifyBase64(m, s) == nil }
	diag.Body(d, ok, func(m []byte) string { return hex.EncodeToString(h.Sum(m)) }, msg, sig, diag.MaskPersonal)
}
