package diag

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

// scEnvelope is an envelope whose desKey unwraps only in layout, and
// whose encrypt opens only in ECB under key; calls counts Unwrap.
func scEnvelope(layout string, calls *int) Envelope {
	wrapped := bytes.Repeat([]byte{'+' >> 2, 0xfb}, 60) // base64 with '+' in it
	key := []byte("0123456789abcdef")
	ct := bytes.Repeat([]byte{0xfb, 0xef}, 16) // 32 bytes, base64 with '+' and '/'
	return Envelope{
		Encrypt: base64.StdEncoding.EncodeToString(ct), DesKey: base64.StdEncoding.EncodeToString(wrapped),
		Layouts: []string{"C1C3C2"}, Mode: "ECB",
		Unwrap: func(c []byte, l string) ([]byte, bool) {
			*calls++
			if l == layout && bytes.Equal(c, wrapped) {
				return key, true
			}
			return nil, false
		},
		Open: func(k, iv, c []byte) ([]byte, bool) {
			if iv == nil && bytes.Equal(k, key) && bytes.Equal(c, ct) {
				return []byte(`{"idCard":"110101199003074477"}`), true
			}
			return nil, false
		},
	}
}

func TestEnvelopeDiagnosis(t *testing.T) {
	cases := []struct {
		name   string
		layout string
		damage func(*Envelope)
		want   string
	}{
		{"layout", "ASN.1", func(e *Envelope) { e.Stage = StageDesKeySM2 }, CauseEncoding},
		{"plus in desKey", "C1C3C2", func(e *Envelope) { e.DesKey = strings.ReplaceAll(e.DesKey, "+", " ") }, CausePlusSpace},
		{"plus in encrypt", "C1C3C2", func(e *Envelope) {
			e.Stage, e.Key = StageEncryptText, []byte("0123456789abcdef")
			e.Encrypt = strings.ReplaceAll(e.Encrypt, "+", " ")
		}, CausePlusSpace},
		{"another key", "none", func(e *Envelope) { e.Stage = StageDesKeySM2 }, CauseKey},
		{"encrypt cut", "C1C3C2", func(e *Envelope) {
			e.Stage, e.Key, e.Encrypt = StageEncryptText, []byte("0123456789abcdef"), e.Encrypt[:20]
		}, CauseTruncated},
		{"desKey cut", "C1C3C2", func(e *Envelope) { e.Stage, e.DesKey = StageDesKeySM2, e.DesKey[:40] }, CauseTruncated},
	}
	for _, c := range cases {
		calls := 0
		e := scEnvelope(c.layout, &calls)
		c.damage(&e)
		r := &Report{}
		EnvelopeDiagnosis(r, e)
		if !r.Has(c.want) {
			t.Errorf("%s: causes %v; want %s", c.name, r.Causes, c.want)
		}
		if calls > MaxSM2Tries {
			t.Errorf("%s: %d Unwrap calls; want at most %d", c.name, calls, MaxSM2Tries)
		}
		if strings.Contains(r.String(), "110101199003074477") {
			t.Errorf("%s: the report holds a payload value:\n%s", c.name, r)
		}
	}
}
