package bodylimit

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
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

func TestDenseJSON(t *testing.T) {
	for _, c := range []struct {
		raw  string
		max  int
		want bool
	}{
		{`{"a":[{},{}]}`, 4, false},
		{`{"a":[{},{}]}`, 3, true},
		{`{"a":"{{{{[[[["}`, 1, false},      // inside a string
		{`{"a":"\"{{{{","b":[]}`, 2, false}, // an escaped quote does not end the string
		{`{"a":"\\","b":[{},{}]}`, 3, true}, // an escaped backslash does
		{strings.Repeat("{},", 1000), 999, true},
	} {
		if got := DenseJSON([]byte(c.raw), c.max); got != c.want {
			t.Errorf("DenseJSON(%q, %d) = %v, want %v", c.raw, c.max, got, c.want)
		}
	}
}

func TestManyMembers(t *testing.T) {
	if ManyMembers([]byte(`{"a":"x:y:z","b":{"c":1}}`), 3) {
		t.Error("colons inside a string counted")
	}
	if !ManyMembers([]byte(`{"a":1,"b":{"c":1}}`), 2) {
		t.Error("three members not over 2")
	}
}

func TestReadAllSized(t *testing.T) {
	for _, c := range []struct {
		body        string
		size, limit int64
		ok          bool
	}{
		{"12345", 5, 5, true},
		{"12345", 3, 10, true},  // longer than announced: read whole
		{"12345", 9, 10, true},  // shorter than announced
		{"12345", 3, 4, false},  // the limit holds whatever was announced
		{"12345", -1, 4, false}, // unknown size
		{"12345", 99, 5, true},  // an announced size over the limit is not trusted
		{"123456", 99, 5, false},
		{"12", 1 << 40, 5, true}, // a lying size allocates no more than the limit
	} {
		b, err := ReadAllSized(strings.NewReader(c.body), c.size, c.limit)
		if c.ok != (err == nil) || (c.ok && string(b) != c.body) {
			t.Errorf("ReadAllSized(%q, %d, %d) = %q, %v", c.body, c.size, c.limit, b, err)
		}
		if !c.ok && err != nil && !errors.Is(err, ErrTooLarge) {
			t.Errorf("ReadAllSized(%q, %d, %d): %v, want ErrTooLarge", c.body, c.size, c.limit, err)
		}
	}
}

// TestReadAllSizedOverLimitAllocatesOnce: an answer announcing more than
// the limit is read into one buffer of the limit, not grown to it.
func TestReadAllSizedOverLimitAllocatesOnce(t *testing.T) {
	body := strings.Repeat("x", 1<<20)
	allocs := testing.AllocsPerRun(10, func() {
		if _, err := ReadAllSized(strings.NewReader(body), 1<<30, 64<<10); !errors.Is(err, ErrTooLarge) {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("%.0f allocations reading past a 64 KiB limit; want one buffer", allocs)
	}
}

func TestReaderFailsPastLimit(t *testing.T) {
	for _, tc := range []struct {
		size, limit int
		wantErr     bool
	}{{0, 4, false}, {4, 4, false}, {5, 4, true}, {1 << 16, 100, true}, {100, 1 << 16, false}} {
		in := strings.Repeat("x", tc.size)
		got, err := io.ReadAll(Reader(iotest.OneByteReader(strings.NewReader(in)), int64(tc.limit)))
		if tc.wantErr {
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%d bytes through %d: err %v, want ErrTooLarge", tc.size, tc.limit, err)
			}
			if len(got) > tc.limit {
				t.Errorf("%d bytes through %d: %d bytes read past the limit", tc.size, tc.limit, len(got))
			}
			continue
		}
		if err != nil || string(got) != in {
			t.Errorf("%d bytes through %d: %d bytes, %v", tc.size, tc.limit, len(got), err)
		}
	}
	// Big reads too, not only one byte at a time.
	if _, err := io.ReadAll(Reader(strings.NewReader(strings.Repeat("y", 10)), 9)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("10 bytes through 9 in one read: %v", err)
	}
}
