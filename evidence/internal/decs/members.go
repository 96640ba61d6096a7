package decs

import "bytes"

// AtMostOneMember reports whether the JSON object raw has at most one
// top-level member whose name matches name as encoding/json matches a
// field name (case folded), and no top-level member whose name is escaped
// (it is not read without unescaping). It does not validate raw: for
// anything that is not a JSON object its answer only has to be safe, and
// false always is, since the caller then takes the slower exact path.
func AtMostOneMember(raw []byte, name string) bool {
	depth, seen := 0, 0
	inObject, expectKey := false, false // at depth 1
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '{', '[':
			depth++
			if depth == 1 {
				inObject = raw[i] == '{'
				expectKey = inObject
			}
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1 && inObject
		case '"':
			j, esc := i+1, false
			for ; j < len(raw) && raw[j] != '"'; j++ {
				if raw[j] == '\\' {
					esc = true
					j++
				}
			}
			if j >= len(raw) {
				return false
			}
			if depth == 1 && expectKey {
				expectKey = false
				if esc {
					return false
				}
				if bytes.EqualFold(raw[i+1:j], []byte(name)) {
					if seen++; seen > 1 {
						return false
					}
				}
			}
			i = j
		}
	}
	return true
}
