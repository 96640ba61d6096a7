package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

// printReport prints what the tool found when a signature or hash does
// not verify: what took part, and the causes it recognised.
func printReport(o out, r *diag.Report) {
	o.text("diagnosis:")
	for _, l := range r.Lines() {
		o.text("  %s", l)
	}
}

// plusFix undoes the URL-decoding damage that turns '+' into ' '.
func plusFix(s string) (string, bool) { return diag.PlusFix(s) }

// masking is how the tool masks: personal data unless --reveal.
func masking(reveal bool) diag.Masking {
	if reveal {
		return diag.Reveal
	}
	return diag.MaskPersonal
}

// maskJSON masks the personal values of raw in place, unless reveal.
func maskJSON(raw []byte, reveal bool) string {
	if !reveal {
		if _, err := diag.ParseJSON(raw); err != nil {
			return fmt.Sprintf("[%d bytes, not JSON: hidden; add --reveal to show]", len(raw))
		}
	}
	return diag.MaskJSON(raw, masking(reveal))
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
