package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/jarcoal/httpmock"
)

func writeZip(t *testing.T, entries map[string][]byte, modes map[string]os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.zip")
	f, _ := os.Create(p)
	zw := zip.NewWriter(f)
	for name, data := range entries {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		if m, ok := modes[name]; ok {
			h.SetMode(m)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

func TestUnzip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ok := writeZip(t, map[string][]byte{"a/income1.json": []byte(`{"x":1}`), "b.pdf": []byte("%PDF")}, nil)
	files, err := evidence.Unzip(ok, dir, evidence.UnzipLimits{})
	if err != nil || len(files) != 2 {
		t.Fatalf("Unzip = %v, %v", files, err)
	}
	for name, z := range map[string]string{
		"traversal": writeZip(t, map[string][]byte{"../evil": []byte("x")}, nil),
		"absolute":  writeZip(t, map[string][]byte{"/etc/evil": []byte("x")}, nil),
		"symlink":   writeZip(t, map[string][]byte{"link": []byte("/etc/passwd")}, map[string]os.FileMode{"link": os.ModeSymlink | 0o777}),
		"bomb":      writeZip(t, map[string][]byte{"zeros": bytes.Repeat([]byte{0}, 8<<20)}, nil),
	} {
		if _, err := evidence.Unzip(z, t.TempDir(), evidence.UnzipLimits{}); !errors.Is(err, evidence.ErrUnsafeZip) {
			t.Errorf("%s: Unzip = %v; want ErrUnsafeZip", name, err)
		}
	}
	many := map[string][]byte{}
	for i := range 12 {
		many[string(rune('a'+i))] = []byte("x")
	}
	if _, err := evidence.Unzip(writeZip(t, many, nil), t.TempDir(), evidence.UnzipLimits{MaxEntries: 10}); !errors.Is(err, evidence.ErrUnsafeZip) {
		t.Errorf("too many entries: %v", err)
	}
	if _, err := evidence.Unzip(ok, t.TempDir(), evidence.UnzipLimits{MaxTotalBytes: 5}); !errors.Is(err, evidence.ErrUnsafeZip) {
		t.Errorf("over total: %v", err)
	}
	// Many entries each within the per-entry ratio add up past the
	// archive's: refused under the default limits, and what was extracted
	// before the refusal is removed.
	small := map[string][]byte{}
	for i := range 100 {
		small[fmt.Sprintf("e%03d", i)] = make([]byte, 1<<20)
	}
	out := t.TempDir()
	if _, err := evidence.Unzip(writeZip(t, small, nil), out, evidence.UnzipLimits{}); !errors.Is(err, evidence.ErrUnsafeZip) {
		t.Errorf("100 × 1 MiB in a small zip: %v", err)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("%d files left after the refusal", len(left))
	}
}

func TestWaitFinal(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	var n atomic.Int64
	mt.RegisterResponder(http.MethodPost, base+"/api/das/get-da-status", func(*http.Request) (*http.Response, error) {
		switch n.Add(1) {
		case 1:
			return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"daId":"DA1","daStatus":5}}`), nil
		case 2:
			return httpmock.NewStringResponse(200, `{"errorCode":-48007,"errorMessage":"busy"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"errorCode":0,"data":{"daId":"DA1","daStatus":10,"authorizedTs":1700000000000}}`), nil
	})
	c := newClient(t, mt)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s, err := c.WaitFinal(ctx, &evidence.GetStatusRequest{DaID: "DA1"}, time.Millisecond)
	if err != nil || !s.Downloadable() || n.Load() != 3 {
		t.Errorf("WaitFinal = %+v, %v after %d polls", s, err, n.Load())
	}
}
