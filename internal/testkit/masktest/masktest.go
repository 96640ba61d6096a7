// Package masktest checks, in a module's tests, that no value of an
// exported type prints personal data or a secret in full: through fmt (%v,
// %+v, %s) or slog (text and JSON handlers), as a value or a pointer. It is
// for tests only.
package masktest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Sensitive is the default pattern of field names that carry personal data
// or secrets; a module passes its own to Check when its names differ.
var Sensitive = regexp.MustCompile(`(?i)^(idcard|idno|idcardno|cellphone|phone|mobile|bankcard(no)?|cardno|secret|appkey|privatekey|key|filekey|sseckey|ssec|sign|signature|authcode|password|pdfpassword|token|username|realname|personname|openid|fileurl|url|urls|jsonfileurl|presignedurl)$`)

// Check fills every settable string and []byte field of each value (a
// struct, or a pointer to one; nested structs, pointers and slices
// included) with a marker, prints it every way a host might log it, and
// fails for each field whose name matches pattern (nil: Sensitive) and
// whose marker shows in full. Masking may keep the first and last four
// characters.
func Check(t *testing.T, pattern *regexp.Regexp, values ...any) {
	t.Helper()
	if pattern == nil {
		pattern = Sensitive
	}
	for _, v0 := range values {
		rv := reflect.ValueOf(v0)
		typ := rv.Type()
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		ptr := reflect.New(typ)
		var fields []string // marker index -> field path
		fill(ptr.Elem(), typ.Name(), pattern, &fields, 0)
		if len(fields) == 0 {
			continue
		}
		outs := render(ptr.Interface(), ptr.Elem().Interface())
		for i, path := range fields {
			if path == "" {
				continue
			}
			mid := middle(i)
			for how, out := range outs {
				if strings.Contains(out, mid) || strings.Contains(out, fmt.Sprint([]byte(mid)) /* how fmt prints a []byte field */) {
					t.Errorf("%s printed in full through %s: %s", path, how, out)
					break
				}
			}
		}
	}
}

// marker is a value whose middle part identifies field i.
func marker(i int) string { return "0000" + middle(i) + "0000" }
func middle(i int) string { return fmt.Sprintf("LEAK%03dKAEL", i) }

// fill sets the fields of v and records, for each marker index, the path
// of a sensitive field ("" for the others).
func fill(v reflect.Value, path string, pattern *regexp.Regexp, fields *[]string, depth int) {
	if depth > 6 {
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			p := path + "." + f.Name
			switch {
			case fv.Kind() == reflect.String:
				record(fv, p, pattern.MatchString(f.Name), fields)
			case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Uint8:
				n := len(*fields)
				*fields = append(*fields, label(p, pattern.MatchString(f.Name)))
				fv.SetBytes([]byte(marker(n)))
			case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
				s := reflect.MakeSlice(fv.Type(), 1, 1)
				record(s.Index(0), p+"[0]", pattern.MatchString(f.Name), fields)
				fv.Set(s)
			default:
				fill(fv, p, pattern, fields, depth+1)
			}
		}
	case reflect.Pointer:
		if v.IsNil() && v.Type().Elem().Kind() == reflect.Struct && v.CanSet() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if !v.IsNil() {
			fill(v.Elem(), path, pattern, fields, depth+1)
		}
	case reflect.Slice:
		if v.CanSet() && v.Len() == 0 {
			s := reflect.MakeSlice(v.Type(), 1, 1)
			v.Set(s)
		}
		if v.Len() > 0 {
			fill(v.Index(0), path+"[0]", pattern, fields, depth+1)
		}
	}
}

func record(v reflect.Value, path string, sensitive bool, fields *[]string) {
	n := len(*fields)
	*fields = append(*fields, label(path, sensitive))
	v.SetString(marker(n))
}

func label(path string, sensitive bool) string {
	if sensitive {
		return path
	}
	return ""
}

// render prints ptr and val every way a host might.
func render(ptr, val any) map[string]string {
	outs := map[string]string{}
	for name, v := range map[string]any{"value": val, "pointer": ptr} {
		for _, verb := range []string{"%v", "%+v", "%s"} {
			outs[name+" "+verb] = fmt.Sprintf(verb, v)
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", v)
		outs[name+" slog text"] = text.String()
		outs[name+" slog JSON"] = js.String()
	}
	return outs
}

// Covered fails when an exported struct type declared in the non-test Go
// files of dir has a field whose name matches pattern (nil: Sensitive)
// and no value of that type is among checked (the values given to Check),
// so a new type with personal data cannot skip the check.
func Covered(t *testing.T, dir string, pattern *regexp.Regexp, checked ...any) {
	t.Helper()
	if pattern == nil {
		pattern = Sensitive
	}
	have := map[string]bool{}
	for _, v := range checked {
		typ := reflect.TypeOf(v)
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		have[typ.Name()] = true
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var missing []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !ts.Name.IsExported() || ts.Assign != 0 {
					continue
				}
				for _, fl := range st.Fields.List {
					for _, n := range fl.Names {
						if pattern.MatchString(n.Name) && !have[ts.Name.Name] {
							missing = append(missing, ts.Name.Name+"."+n.Name)
						}
					}
				}
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s carries personal data or a secret, and no value of its type is checked", m)
	}
}
