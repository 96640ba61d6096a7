package fieldset

import (
	"testing"
	"time"
)

// refParseTime is ParseTime as it was: time.ParseInLocation alone.
func refParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("20060102150405", s, CST)
	if err != nil {
		return time.Time{}
	}
	return t
}

func checkParseTime(t *testing.T, s string) {
	got, want := ParseTime(s), refParseTime(s)
	if !got.Equal(want) || got.Location() != want.Location() || got.IsZero() != want.IsZero() || got != want {
		t.Fatalf("ParseTime(%q) = %v; time.ParseInLocation: %v", s, got, want)
	}
}

func TestParseTimeFastPath(t *testing.T) {
	for _, s := range []string{"", "20240101000000", "20180626172001", "00000101000000", "99991228235959", "20240229120000", "20230229120000",
		"20241301000000", "20240001000000", "20240100000000", "20240131240000", "20240131236000", "20240131235960", "2024010100000", "202401010000000",
		"2024-01-01T00", "+0240101000000", "2024010100000a", "20240431000000", "20240430000000", "2024013123595\xff", "1970010108000０"} {
		checkParseTime(t, s)
	}
}

func FuzzParseTime(f *testing.F) {
	f.Add("20240101000000")
	f.Add("20240229235959")
	f.Fuzz(checkParseTime)
}
