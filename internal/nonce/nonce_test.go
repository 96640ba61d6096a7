package nonce

import (
	"regexp"
	"testing"
	"time"
)

func TestAlnum(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^[0-9a-zA-Z]{32}$`)
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 2000 {
		s := Alnum(32)
		if !re.MatchString(s) {
			t.Fatalf("Alnum(32) = %q", s)
		}
		if seen[s] {
			t.Fatalf("Alnum(32) repeated %q", s)
		}
		seen[s] = true
		for _, r := range s {
			counts[r]++
		}
	}
	if len(counts) != 62 {
		t.Errorf("2000 draws used %d of 62 characters", len(counts))
	}
	if Alnum(0) != "" {
		t.Error("Alnum(0) not empty")
	}
}

func TestTimeID(t *testing.T) {
	t.Parallel()
	id := TimeID(time.Date(2022, 6, 30, 16, 0, 0, 0, time.UTC), 8)
	if len(id) != 22 || id[:14] != "20220701000000" {
		t.Errorf("TimeID = %q; want 20220701000000 + 8 characters (UTC+8)", id)
	}
}
