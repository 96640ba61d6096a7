package validate

import (
	"slices"
	"testing"
)

type color string

func TestCollector(t *testing.T) {
	t.Parallel()
	var c Collector
	if !c.OK() {
		t.Fatal("zero Collector is not OK")
	}
	c.Required("a", "")
	c.MaxRunes("b", "张三丰", 2)
	c.MaxBytes("c", "张三", 3)
	c.MaxBytes("c2", "ab张", 4)
	c.ExactRunes("d", "123", 4)
	OneOf(&c, "e", color("red"), "green", "blue")
	OneOf(&c, "e2", color("green"), "green", "blue")
	c.ExactlyOne([]string{"x", "y"}, "1", "2")
	c.Nest("list[1]", []Problem{{Field: "z", Message: "bad"}})
	got := make([]string, 0)
	for _, p := range c.Problems() {
		got = append(got, p.String())
	}
	want := []string{
		"a: is required",
		"b: is 3 characters, at most 2 allowed",
		"c: is 4 bytes (a Chinese character counts 2), at most 3 allowed",
		"d: must be 4 characters",
		`e: is "red", want one of green, blue`,
		"x|y: exactly one of x, y is required, got 2",
		"list[1].z: bad",
	}
	if !slices.Equal(want, got) {
		t.Errorf("Problems() = %q\nwant %q", got, want)
	}
	if GBKBytes("a张") != 3 || !Digits("0123") || Digits("") || Digits("1a") {
		t.Error("GBKBytes or Digits wrong")
	}
}

func TestHTTPURL(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{
		"https://api.example/v1": true, "http://127.0.0.1:8080": true,
		"": false, "api.example/v1": false, "ftp://api.example": false,
		"https://": false, "https:///path": false, "/relative": false,
		"this is test string": false, "https://a b": false, "\x00garbage": false,
	} {
		if got := HTTPURL(s); got != want {
			t.Errorf("HTTPURL(%q) = %v; want %v", s, got, want)
		}
	}
}
