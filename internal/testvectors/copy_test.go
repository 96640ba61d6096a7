package testvectors

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCopiesMatchShared checks that the embedded vectors are byte-identical
// to the project's shared vectors when that folder is present
// (../shared/vectors from the repository root), and that every embedded
// vector file is one of them.
func TestCopiesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "vectors")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("shared vectors not present at %s", shared)
	}
	n := 0
	err := filepath.WalkDir(shared, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(shared, path)
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := Read(filepath.ToSlash(rel))
		if err != nil {
			t.Errorf("copy of %s missing: %v", rel, err)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("vectors/%s differs from shared/vectors/%s", rel, rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no shared vector files found")
	}
	embedded := 0
	_ = fs.WalkDir(FS(), ".", func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			embedded++
		}
		return err
	})
	if embedded != n {
		t.Errorf("%d files embedded, %d shared: the copy has files the shared vectors lack", embedded, n)
	}
}

func TestLoadAll(t *testing.T) {
	var (
		l Levy
		a Allinpay
		d DECSDocs
		o OAEPSSEC
		s Scancode
	)
	for name, v := range map[string]any{
		"levy_hmac.json": &l, "allinpay_rsa2.json": &a, "evidence_decs_docs.json": &d,
		"evidence_oaep_ssec.json": &o, "scancode_sm2_sm4.json": &s,
	} {
		if err := Load(name, v); err != nil {
			t.Fatalf("Load(%s) = %v", name, err)
		}
	}
	if len(l.Requests) != 3 || len(a.Requests) != 3 || len(o.OAEP) != 7 || len(o.SSEC) != 2 || len(s.Messages) != 3 {
		t.Fatalf("vector counts changed: levy %d allinpay %d oaep %d ssec %d scancode %d",
			len(l.Requests), len(a.Requests), len(o.OAEP), len(o.SSEC), len(s.Messages))
	}
}
