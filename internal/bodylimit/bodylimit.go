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
