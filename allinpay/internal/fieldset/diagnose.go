package fieldset

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/bizapi-cn/go-sdk/internal/diag"
)

const algorithm = "SHA256withRSA (RSA2, PKCS#1 v1.5), base64, over every non-empty field except signature, " +
	"sorted by key in byte order, key=value joined by '&', values raw"

// Diagnoser diagnoses failed checks with the keys of one configuration;
// nil when diagnostics are off.
type Diagnoser struct {
	pubs []*rsa.PublicKey // the platform keys; nil with a custom Verifier
	own  *rsa.PublicKey   // the merchant's public key, when known
	v    Verifier
}

// names are the protocol's field names, for the case check.
var names = sync.OnceValue(func() []string {
	ns := make([]string, 0, len(protocolFields))
	for k := range protocolFields {
		ns = append(ns, k)
	}
	slices.Sort(ns)
	return ns
})

// report diagnoses f, whose fields were received in the order received
// returns (nil: not known). ok checks a canonical string, verifies one
// with a key (nil: in memory).
func (d *Diagnoser) report(f map[string]string, received func() []string, ok diag.Verify, verifies func(*rsa.PublicKey, []byte, string) bool) *diag.Report {
	r := &diag.Report{Algorithm: algorithm, Signed: string(diag.Canonical(diag.MaskForm(f, diag.MaskAll))), Fields: diag.SignedOrder(f)}
	var order []string
	if received != nil {
		order = received()
	}
	if order == nil {
		order = make([]string, 0, len(f))
		for k := range f {
			order = append(order, k)
		}
		slices.Sort(order)
	} else if !slices.Equal(order, r.Fields) {
		r.Received = order
	}
	if d.pubs == nil {
		r.Keys = []string{"a custom Verifier (WithVerifier): its keys are not known here"}
	}
	diag.SignedForm(r, diag.FieldSet{Order: order, Vals: f}, f["signature"], names(),
		diag.FormKeys{Given: d.pubs, GivenAs: "WithPlatformPublicKeys", Own: d.own, OwnAs: "the merchant's public key", Verifies: verifies}, ok)
	return r
}

// verifyOK is a diag.Verify through the configured Verifier.
func (d *Diagnoser) verifyOK(ctx context.Context) diag.Verify {
	return func(msg []byte, sig string) bool {
		b, err := base64.StdEncoding.DecodeString(sig)
		return err == nil && len(b) > 0 && len(b) <= 1024 && d.v.Verify(ctx, msg, b) == nil
	}
}

// billPlaceholder stands for billData in a bill's diagnosis: the file
// stays on disk and is hashed in its place (letters only, so that no
// variant escapes it).
const billPlaceholder = "BILLDATAFROMTHEDOWNLOADEDFILE"

// billHashes bounds how often a bill's diagnosis reads the file again.
const billHashes = 8

// Bill diagnoses a bill answer f whose billData is left out of it and
// read from open (the downloaded file, from its start at each call):
// every variant hashes the file again, at most billHashes times.
func (d *Diagnoser) Bill(ctx context.Context, f map[string]string, open func() io.Reader) *diag.Report {
	g := maps.Clone(f)
	g["billData"] = billPlaceholder
	mark := []byte("billData=" + billPlaceholder)
	sums := map[string][]byte{}
	budget, exhausted := billHashes, false
	// expand writes msg with the file in the placeholder's place.
	expand := func(w io.Writer, msg []byte) bool {
		i := bytes.Index(msg, mark)
		if i < 0 {
			_, _ = w.Write(msg)
			return true
		}
		if budget == 0 {
			exhausted = true
			return false
		}
		budget--
		_, _ = w.Write(msg[:i+len("billData=")])
		if _, err := io.Copy(w, open()); err != nil {
			return false
		}
		_, _ = w.Write(msg[i+len(mark):])
		return true
	}
	sum := func(msg []byte) []byte {
		if h, ok := sums[string(msg)]; ok {
			return h
		}
		h := sha256.New()
		var out []byte
		if expand(h, msg) {
			out = h.Sum(nil)
		}
		sums[string(msg)] = out
		return out
	}
	verifies := func(pub *rsa.PublicKey, msg []byte, sig string) bool {
		b, err := base64.StdEncoding.DecodeString(sig)
		h := sum(msg)
		return err == nil && h != nil && rsa.VerifyPKCS1v15(pub, crypto.SHA256, h, b) == nil
	}
	ok := func(msg []byte, sig string) bool {
		if d.pubs != nil {
			return slices.ContainsFunc(d.pubs, func(p *rsa.PublicKey) bool { return verifies(p, msg, sig) })
		}
		var b bytes.Buffer
		return expand(&b, msg) && d.verifyOK(ctx)(b.Bytes(), sig)
	}
	out := d.report(g, nil, ok, verifies)
	if exhausted {
		out.Tried = append(out.Tried, fmt.Sprintf("no more variants: a bill's diagnosis reads the file at most %d times", billHashes))
	}
	return out
}
