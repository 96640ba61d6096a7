package fault

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestQueue(t *testing.T) {
	t.Parallel()
	var q Queue
	q.Add(Fault{Kind: 9}) // sticky
	q.Add(Fault{Kind: 1, Count: 2})
	q.Add(Fault{Kind: 2, Count: 1})
	sticky := func(k int) bool { return k == 9 }
	var got []int
	for {
		f, ok := q.Take(sticky)
		if !ok {
			break
		}
		got = append(got, f.Kind)
	}
	if len(got) != 3 || got[0] != 1 || got[1] != 1 || got[2] != 2 {
		t.Errorf("taken kinds = %v; want [1 1 2]", got)
	}
	if !q.Has(9) || q.Has(1) {
		t.Error("Has: the sticky fault must stay, the used ones must go")
	}
}

func TestDrop(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { Drop(w) }))
	defer srv.Close()
	if resp, err := http.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatal("a dropped connection gave an answer")
	}
	Drop(httptest.NewRecorder()) // not a Hijacker: no panic
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rec := httptest.NewRecorder()
		rec.Header().Set("X-Kept", "1")
		_, _ = rec.WriteString(`{"answer":"a long enough body"}`)
		Truncate(w, rec)
	}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil || resp.Header.Get("X-Kept") != "1" || len(b) >= 31 {
		t.Errorf("read %q, %v (header %q); want a short body and an error", b, err, resp.Header.Get("X-Kept"))
	}
}

// TestKinds: the fakes' first three kinds are these values.
func TestKinds(t *testing.T) {
	if KindDelay != 1 || KindStatus500 != 2 || KindDropConnection != 3 {
		t.Error("the shared kinds changed: the fakes' FaultKind values follow them")
	}
}
