package bodylimit

import (
	"errors"
	"strings"
	"testing"
)

func TestReadAll(t *testing.T) {
	t.Parallel()
	if b, err := ReadAll(strings.NewReader("12345"), 5); err != nil || string(b) != "12345" {
		t.Errorf("ReadAll(5 bytes, 5) = %q, %v", b, err)
	}
	if _, err := ReadAll(strings.NewReader("123456"), 5); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadAll(6 bytes, 5) error = %v; want ErrTooLarge", err)
	}
	if b, err := ReadAll(strings.NewReader("x"), 0); err != nil || string(b) != "x" {
		t.Errorf("ReadAll(x, 0) = %q, %v; want the default limit", b, err)
	}
}
