// Package bodylimit reads a body through a size limit. It imports nothing
// beyond the standard library, so callback-only code (every module's
// notification handler, scancode as a whole) links no HTTP client library.
package bodylimit

import (
	"errors"
	"io"
)

// Default is the limit ReadAll applies when given none: 10 MiB.
const Default = 10 << 20

// ErrTooLarge reports a body longer than its limit.
var ErrTooLarge = errors.New("body exceeds size limit")

// ReadAll reads r to the end, failing with ErrTooLarge past limit bytes
// (Default when limit is not positive). It reads at most limit+1 bytes.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = Default
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}

// Reader returns a reader of r that fails with ErrTooLarge once more than
// limit bytes arrive (Default when limit is not positive), where
// io.LimitReader would end quietly: a streamed parser (a CSV file) then
// sees an error, not a shorter file that looks whole.
func Reader(r io.Reader, limit int64) io.Reader {
	if limit <= 0 {
		limit = Default
	}
	return &limited{r: r, left: limit}
}

type limited struct {
	r    io.Reader
	left int64 // bytes still allowed
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n + int(l.left), ErrTooLarge
	}
	return n, err
}

// ReadAllSized is ReadAll for a body that announced its size (an HTTP
// Content-Length; -1 when unknown): the buffer is allocated once at that
// size instead of doubling its way there (io.ReadAll holds about twice a
// large body before it is done). A size over limit is not trusted: at
// most limit+1 bytes are allocated and read, whatever was announced.
func ReadAllSized(r io.Reader, size, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = Default
	}
	if size < 0 {
		return ReadAll(r, limit)
	}
	// An announced size over the limit is read into one buffer of the
	// limit (+1, to see that it is over) instead of doubling up to it: a
	// hostile answer costs the limit once.
	size = min(size, limit)
	b := make([]byte, 0, size+1) // +1: the read that sees EOF
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // longer than announced
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// MaxJSONContainers bounds the objects and arrays an answer that is
// decoded without a signature may hold (DenseJSON): far more than any
// real answer of the providers, and few enough that decoding them into
// structs costs at most a few tens of MiB whatever their shape.
const MaxJSONContainers = 1 << 17

// DenseJSON reports whether raw holds more than limit objects and arrays
// ('{' and '[' outside strings). It is one linear scan without allocation,
// run before json.Unmarshal of unauthenticated bytes: 10 MiB of "{}," is
// 3.5 million empty structs, hundreds of MiB once decoded, while the bytes
// themselves passed every size limit.
func DenseJSON(raw []byte, limit int) bool {
	return countOver(raw, limit, func(c byte) bool { return c == '{' || c == '[' })
}

// ManyMembers reports whether raw holds more than limit object members
// (':' outside strings), at any depth: a cheap refusal before a form of
// unsigned members is built into a map.
func ManyMembers(raw []byte, limit int) bool {
	return countOver(raw, limit, func(c byte) bool { return c == ':' })
}

// countOver counts the bytes outside JSON strings that counts says to,
// stopping as soon as there are more than limit.
func countOver(raw []byte, limit int, counts func(byte) bool) bool {
	n, inString, escaped := 0, false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case counts(c):
			n++
			if n > limit {
				return true
			}
		}
	}
	return false
}
