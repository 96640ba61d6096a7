package main

import (
	"bufio"
	"bytes"
	"net/http"
	"strings"
)

// diagnosis is what the tool prints when a signature or hash does not
// verify: what took part, and the causes it recognised.
type diagnosis struct {
	algorithm string
	keys      []string // the keys tried, by fingerprint
	signed    string   // the string-to-sign, personal values masked
	fields    []string // the fields, in the order they were signed
	received  []string // the fields in the order received, when that differs
	tried     []string // variants tried that did not match
	causes    []string // recognised likely causes
}

func (d *diagnosis) cause(format string) { d.causes = append(d.causes, format) }

func (d *diagnosis) print(o out) {
	o.text("diagnosis:")
	if d.algorithm != "" {
		o.text("  algorithm:        %s", d.algorithm)
	}
	for _, k := range d.keys {
		o.text("  key tried:        %s", k)
	}
	if d.fields != nil {
		o.text("  fields in order:  %s", strings.Join(d.fields, ", "))
	}
	if d.received != nil {
		o.text("  fields received:  %s", strings.Join(d.received, ", "))
	}
	if d.signed != "" {
		o.text("  string-to-sign:   %s", d.signed)
	}
	for _, t := range d.tried {
		o.text("  tried, no match:  %s", t)
	}
	if len(d.causes) == 0 {
		o.text("  likely cause:     none recognised: the key/secret is not the one the sender used, or the message is not the one signed")
	}
	for _, c := range d.causes {
		o.text("  likely cause:     %s", c)
	}
}

// plusFix undoes the URL-decoding damage that turns '+' into ' '. It reports
// whether anything changed.
func plusFix(s string) (string, bool) {
	if !strings.Contains(s, " ") {
		return s, false
	}
	return strings.ReplaceAll(s, " ", "+"), true
}

// readRequest parses a captured HTTP request (as a proxy or a server log
// saves it). An HTTP/2 or HTTP/3 request line is read as HTTP/1.1: only the
// headers and the body matter here.
func readRequest(raw []byte) (*http.Request, error) {
	line, rest, ok := bytes.Cut(raw, []byte("\n"))
	if ok {
		l := bytes.TrimRight(line, "\r")
		for _, v := range []string{" HTTP/2", " HTTP/3", " HTTP/2.0", " HTTP/3.0"} {
			if bytes.HasSuffix(l, []byte(v)) {
				l = append(append([]byte(nil), l[:len(l)-len(v)]...), " HTTP/1.1"...)
				raw = append(append(l, "\r\n"...), rest...)
				break
			}
		}
	}
	return http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
}
