// Package onepasstest has what the tests of the one-pass decoders share.
package onepasstest

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Sample is JSON of type t with every field that has a JSON name set to
// a value of its own (n numbers them), the members of an embedded struct
// without a tag inline, as encoding/json reads them: decoded by a
// one-pass reader that skips one field, it differs from encoding/json's
// result.
func Sample(t reflect.Type, n int) string {
	switch t.Kind() {
	case reflect.String:
		return strconv.Quote("s" + strconv.Itoa(n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.Itoa(n + 1)
	case reflect.Slice:
		return "[" + Sample(t.Elem(), n) + "]"
	case reflect.Struct:
		return "{" + strings.Join(members(t, n), ",") + "}"
	}
	b, _ := json.Marshal(reflect.Zero(t).Interface())
	return string(b)
}

func members(t reflect.Type, n int) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct:
			out = append(out, members(f.Type, 100*(n+i+1))...)
			continue
		case name == "" || !f.IsExported():
			continue
		}
		out = append(out, strconv.Quote(name)+":"+Sample(f.Type, n+i))
	}
	return out
}
