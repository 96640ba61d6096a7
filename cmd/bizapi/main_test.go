package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// result is one in-process run of the tool.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) all() string { return r.stdout + r.stderr }

// bz runs the tool with args, stdin and the environment variables env.
func bz(t *testing.T, env map[string]string, stdin []byte, args ...string) result {
	t.Helper()
	var o, e bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &o, &e, func(k string) string { return env[k] })
	return result{code, o.String(), e.String()}
}

// checkGolden compares a run's whole output and exit code with
// testdata/golden/<name>.txt (UPDATE_GOLDEN=1 rewrites it).
func checkGolden(t *testing.T, name string, r result) {
	t.Helper()
	compareGolden(t, "golden/"+name+".txt", []byte(fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)))
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\n%s", r.code, code, r.all())
	}
}

func wantLine(t *testing.T, r result, label, value string) {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label+":") + ` +` + regexp.QuoteMeta(value) + `$`)
	if !re.MatchString(r.stdout) {
		t.Fatalf("no line %q: %q in\n%s", label, value, r.all())
	}
}

func wantContains(t *testing.T, r result, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.all(), s) {
			t.Errorf("output lacks %q:\n%s", s, r.all())
		}
	}
}

func wantAbsent(t *testing.T, r result, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if s != "" && strings.Contains(r.all(), s) {
			t.Errorf("output shows %q:\n%s", s, r.all())
		}
	}
}

// vec reads and decodes one of the independent vector files.
func vec(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vectors", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

const keyDir = "testdata/vectors/keys/"

// tmp writes data to a file in a test's temporary folder.
func tmp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCopiesMatchShared checks that testdata/vectors is a byte-for-byte
// copy of the project's shared vectors, when that folder is present.
func TestCopiesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "vectors")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("shared vectors not present at %s", shared)
	}
	local := filepath.Join("testdata", "vectors")
	list := func(root string) []string {
		var out []string
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				out = append(out, filepath.ToSlash(rel))
			}
			return err
		})
		sort.Strings(out)
		return out
	}
	want, got := list(shared), list(local)
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Fatalf("files differ:\nshared %v\ncopy   %v", want, got)
	}
	for _, f := range want {
		a, _ := os.ReadFile(filepath.Join(shared, f))
		b, _ := os.ReadFile(filepath.Join(local, f))
		if !bytes.Equal(a, b) {
			t.Errorf("testdata/vectors/%s differs from the shared copy", f)
		}
	}
}

// TestNoSecretInArguments: no flag takes a secret value. Every flag whose
// name speaks of a secret or a key names a file or an environment variable.
func TestNoSecretInArguments(t *testing.T) {
	secretish := regexp.MustCompile(`secret|key|password|token|sm4|aes`)
	for name, c := range commands {
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		c.flags(fs)
		fs.VisitAll(func(f *flag.Flag) {
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				return // a switch carries no value
			}
			if !secretish.MatchString(f.Name) {
				return
			}
			if !strings.HasSuffix(f.Name, "-env") && !strings.HasSuffix(f.Name, "-file") {
				t.Errorf("%s: flag --%s would take a secret on the command line", name, f.Name)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	r := bz(t, nil, nil, "help")
	wantCode(t, r, exitOK)
	for name := range commands {
		if !strings.Contains(r.stdout, name) {
			t.Errorf("help lacks %q", name)
		}
	}
	wantCode(t, bz(t, nil, nil, "levy", "nope"), exitUsage)
	wantCode(t, bz(t, nil, nil, "levy"), exitUsage)
	wantCode(t, bz(t, nil, nil, "levy", "sign", "--secret", "x"), exitUsage) // no such flag
	// A stray argument (a secret typed by mistake) is refused, not echoed.
	r = bz(t, map[string]string{"S": "x"}, []byte(`{}`), "evidence", "hash", "--secret-env", "S", "s3cr3t-typed-here")
	wantCode(t, r, exitUsage)
	wantAbsent(t, r, "s3cr3t-typed-here")
	r = bz(t, nil, nil, "levy", "sign", "--secret", "s3cr3t-typed-here")
	wantAbsent(t, r, "s3cr3t-typed-here")
	r = bz(t, nil, nil, "version")
	wantContains(t, r, Version)
	// A secret variable that is not set is a usage error naming the flag.
	r = bz(t, nil, []byte(`{}`), "evidence", "hash", "--secret-env", "NOPE")
	wantCode(t, r, exitUsage)
	wantContains(t, r, "NOPE", "--secret-env")
}

// compareGolden compares got with testdata/<name>, or writes it there when
// UPDATE_GOLDEN=1. (The module is tagged, so its tests use no helper of the
// untagged test kit.)
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", filepath.FromSlash(name))
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (UPDATE_GOLDEN=1 go test creates it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s mismatch:\n--- want\n%s\n--- got\n%s", p, want, got)
	}
}
