// Command modproxy writes a Go module proxy (GOPROXY=file://DIR) holding the
// tree's modules at their release versions, the way the real proxy would
// serve them after tagging: for each module folder, @v/list, .info, .mod
// and a .zip made by golang.org/x/mod/zip (which leaves out nested modules,
// vendor folders and files a module zip may not hold).
//
//	go run ./tools/modproxy -out /tmp/proxy internal store levy allinpay evidence scancode
//
// A module's version is its go_module_metadata.go Version constant
// ("0.1.0" becomes v0.1.0), or -version DIR=vX.Y.Z. The command refuses a
// module whose go.mod requires another SDK module at a version that is not
// a release (v0.0.0-…): no proxy would serve it.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

const sdkPrefix = "github.com/bizapi-cn/go-sdk/"

type versions map[string]string

func (v versions) String() string { return fmt.Sprint(map[string]string(v)) }
func (v versions) Set(s string) error {
	dir, ver, ok := strings.Cut(s, "=")
	if !ok || !semver.IsValid(ver) {
		return fmt.Errorf("want DIR=vX.Y.Z, got %q", s)
	}
	v[dir] = ver
	return nil
}

func main() {
	out := flag.String("out", "", "folder to write the proxy into (created)")
	root := flag.String("root", ".", "the repository's root")
	over := versions{}
	flag.Var(over, "version", "DIR=vX.Y.Z: the version of the module in DIR (repeatable)")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: modproxy -out DIR [-root REPO] [-version DIR=vX.Y.Z] MODULE_DIR...")
		os.Exit(2)
	}
	if err := run(*out, *root, flag.Args(), over); err != nil {
		fmt.Fprintln(os.Stderr, "modproxy:", err)
		os.Exit(1)
	}
}

func run(out, root string, dirs []string, over versions) error {
	var errs []error
	for _, d := range dirs {
		if err := add(out, root, d, over); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", d, err))
		}
	}
	return errors.Join(errs...)
}

var versionConst = regexp.MustCompile(`(?m)^const Version = "([^"]+)"`)

// release returns the version dir is published at.
func release(root, dir string, over versions) (string, error) {
	if v, ok := over[dir]; ok {
		return v, nil
	}
	b, err := os.ReadFile(filepath.Join(root, dir, "go_module_metadata.go"))
	if err != nil {
		return "", fmt.Errorf("no -version given and no go_module_metadata.go: %w", err)
	}
	m := versionConst.FindSubmatch(b)
	if m == nil {
		return "", errors.New("go_module_metadata.go has no `const Version = \"…\"`")
	}
	v := "v" + string(m[1])
	if !semver.IsValid(v) {
		return "", fmt.Errorf("version %q is not a semantic version", m[1])
	}
	return v, nil
}

func add(out, root, dir string, over versions) error {
	src := filepath.Join(root, dir)
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return err
	}
	mf, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return err
	}
	path := mf.Module.Mod.Path
	for _, r := range mf.Require {
		if strings.HasPrefix(r.Mod.Path, sdkPrefix) && module.IsPseudoVersion(r.Mod.Version) {
			return fmt.Errorf("requires %s@%s, a version no proxy serves: require a release (and keep the replace for the workspace)", r.Mod.Path, r.Mod.Version)
		}
	}
	ver, err := release(root, dir, over)
	if err != nil {
		return err
	}
	esc, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	vdir := filepath.Join(out, filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	mv := module.Version{Path: path, Version: ver}
	zf, err := os.Create(filepath.Join(vdir, ver+".zip"))
	if err != nil {
		return err
	}
	if err := zip.CreateFromDir(zf, mv, src); err != nil {
		zf.Close()
		return err
	}
	if err := zf.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(vdir, ver+".mod"), gomod, 0o644); err != nil {
		return err
	}
	info, _ := json.Marshal(struct {
		Version string
		Time    time.Time
	}{ver, time.Now().UTC().Truncate(time.Second)})
	if err := os.WriteFile(filepath.Join(vdir, ver+".info"), info, 0o644); err != nil {
		return err
	}
	return appendList(filepath.Join(vdir, "list"), ver)
}

func appendList(name, ver string) error {
	b, _ := os.ReadFile(name)
	for _, l := range strings.Split(string(b), "\n") {
		if l == ver {
			return nil
		}
	}
	return os.WriteFile(name, append(b, ver+"\n"...), 0o644)
}
