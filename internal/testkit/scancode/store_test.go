package scancode_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/scancode"
	"github.com/bizapi-cn/go-sdk/scancode/scancodetest"
	"github.com/bizapi-cn/go-sdk/store"
	"github.com/google/go-cmp/cmp"
)

// hostLists is a host's own store.Lists, as a Redis (RPUSH + EXPIRE,
// LRANGE) or SQL implementation would be: plain keys and byte values, no
// type of this module. normalize re-encodes every value as a JSON store
// (a jsonb column) would: keys sorted, white space gone.
type hostLists struct {
	mu        sync.Mutex
	m         map[string][][]byte
	normalize bool
	fail      error
}

func (h *hostLists) Append(_ context.Context, key string, v []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return h.fail
	}
	if h.normalize {
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return err
		}
		v, _ = json.Marshal(x)
	}
	h.m[key] = append(h.m[key], append([]byte(nil), v...))
	return nil
}

func (h *hostLists) List(_ context.Context, key string) ([][]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.fail != nil {
		return nil, h.fail
	}
	return append([][]byte(nil), h.m[key]...), nil
}

// parsed returns what ParseCallback makes of payload sent as typ.
func parsed(t *testing.T, typ scancode.Type, payload string) *scancode.Callback {
	t.Helper()
	d, app := fixture(t, scancodetest.BodyForm, scancode.SM2EncodingC1C3C2)
	env, err := app.Envelope([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	ct, body, _ := app.Request(typ, env)
	c, err := parse(context.Background(), ct, body, d)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTIDStoreRoundTrip: every type's callback, an unknown type's and one
// whose JSON has white space inside come back from the default store, from
// a host's Lists and from a JSON-normalizing one exactly as ParseCallback
// returned them: the same Type, PlatformCode, typed Payload, Raw bytes and
// IdempotencyKey.
func TestTIDStoreRoundTrip(t *testing.T) {
	t.Parallel()
	var cs []*scancode.Callback
	for _, c := range []struct {
		typ     scancode.Type
		payload string
	}{
		{scancode.TypeScanStatus, `{"tId":"` + testTID + `","isScaned":"01","qRCodeType":"06"}`},
		{scancode.TypeUserInfo, `{"TId":"` + testTID + `","personName":"王五","idCard":"110101199003074477","telephoneNum":"13900139000"}`},
		{scancode.TypeSealWithdrawal, `{"TId":"` + testTID + `","useStatus":"01"}`},
		{scancode.TypeEncryptionCert, `{"TId":"` + testTID + `","encPubCert":"E"}`},
		{scancode.TypeDecryptResult, `{"TId":"` + testTID + `","decryptInfoList":[{"key":"k","decryptStr":"d"}]}`},
		{scancode.TypeSignCert, `{"tId":"` + testTID + `","pubCert":"PC"}`},
		{scancode.TypeScannerUserInfo, `{"TId":"` + testTID + `","personName":"李四"}`},
		{scancode.TypeExitContinuousSign, `{"tid":"` + testTID + `","pid":"张三","source":"01"}`},
		{scancode.TypeSignerUserInfo, `{"TId":"` + testTID + `","algorithmType":"00"}`},
		{scancode.TypeSignatureValues, `{"TId":"` + testTID + `","signatureValueList":"h1,h2"}`},
		{"99", `{"tId":"` + testTID + `","newField":[1,{"a":"b"}]}`},
		{scancode.TypeUserInfo, "{ \"TId\" : \"" + testTID + "\",\n \"personName\" : \"王六\" }"},
	} {
		cs = append(cs, parsed(t, c.typ, c.payload))
	}
	backends := map[string]func() scancode.TIDStoreOption{
		"default":    nil,
		"host Lists": func() scancode.TIDStoreOption { return scancode.WithLists(&hostLists{m: map[string][][]byte{}}) },
		"normalized JSON": func() scancode.TIDStoreOption {
			return scancode.WithLists(&hostLists{m: map[string][][]byte{}, normalize: true})
		},
	}
	for name, opt := range backends {
		var opts []scancode.TIDStoreOption
		if opt != nil {
			opts = append(opts, opt())
		}
		s, err := scancode.NewTIDStore(opts...)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for _, c := range cs {
			if err := s.Put(ctx, c); err != nil {
				t.Fatalf("%s: Put(%s) = %v", name, c.Type, err)
			}
		}
		got, err := s.Get(ctx, testTID)
		if err != nil {
			t.Fatalf("%s: Get = %v", name, err)
		}
		if diff := cmp.Diff(cs, got); diff != "" {
			t.Errorf("%s: Get mismatch (-put +got):\n%s", name, diff)
		}
		for i := range got {
			if i < len(cs) && got[i].IdempotencyKey() != cs[i].IdempotencyKey() {
				t.Errorf("%s: callback %d key %s; want %s", name, i, got[i].IdempotencyKey(), cs[i].IdempotencyKey())
			}
		}
	}
}

// TestTIDStore runs the behaviour the front end relies on, in the manner
// of store/storetest: absent tIds, order, isolation, redeliveries,
// retention, concurrency, refusals and a failing backend.
func TestTIDStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	other := "M1100000034" + strings.Repeat("0", 32)
	c01 := parsed(t, scancode.TypeScanStatus, `{"tId":"`+testTID+`","isScaned":"01"}`)
	c02 := parsed(t, scancode.TypeUserInfo, `{"TId":"`+testTID+`","personName":"王五"}`)
	cOther := parsed(t, scancode.TypeScanStatus, `{"tId":"`+other+`","isScaned":"01"}`)
	newStore := func(t *testing.T, opts ...store.MemoryOption) *scancode.TIDStore {
		t.Helper()
		l, err := store.NewMemoryLists(opts...)
		if err != nil {
			t.Fatal(err)
		}
		s, err := scancode.NewTIDStore(scancode.WithLists(l))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	types := func(cs []*scancode.Callback) string {
		var b []string
		for _, c := range cs {
			b = append(b, string(c.Type)+"/"+c.EventID()[:12])
		}
		return strings.Join(b, " ")
	}
	put := func(t *testing.T, s *scancode.TIDStore, cs ...*scancode.Callback) {
		t.Helper()
		for _, c := range cs {
			if err := s.Put(ctx, c); err != nil {
				t.Fatalf("Put: %v", err)
			}
		}
	}
	get := func(t *testing.T, s *scancode.TIDStore, tid string) string {
		t.Helper()
		cs, err := s.Get(ctx, tid)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		return types(cs)
	}
	t.Run("absent is empty", func(t *testing.T) {
		t.Parallel()
		if got := get(t, newStore(t), testTID); got != "" {
			t.Errorf("Get(absent) = %s; want none", got)
		}
	})
	t.Run("oldest first, tIds apart", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		put(t, s, c01, cOther, c02)
		if got, want := get(t, s, testTID), types([]*scancode.Callback{c01, c02}); got != want {
			t.Errorf("Get = %s; want %s", got, want)
		}
		if got, want := get(t, s, other), types([]*scancode.Callback{cOther}); got != want {
			t.Errorf("Get(other) = %s; want %s", got, want)
		}
	})
	t.Run("a redelivery stored twice shows once", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		put(t, s, c01, c01, c02, c01)
		if got, want := get(t, s, testTID), types([]*scancode.Callback{c01, c02}); got != want {
			t.Errorf("Get = %s; want %s", got, want)
		}
	})
	t.Run("expires after retention, renewed by a Put", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		now := time.Unix(1_700_000_000, 0)
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		s := newStore(t, store.WithRetention(time.Minute), store.WithClock(clock))
		put(t, s, c01, cOther)
		advance(40 * time.Second)
		put(t, s, c02)
		advance(40 * time.Second)
		if got := get(t, s, other); got != "" {
			t.Errorf("Get(expired) = %s; want none", got)
		}
		if got, want := get(t, s, testTID), types([]*scancode.Callback{c01, c02}); got != want {
			t.Errorf("Get(renewed) = %s; want %s", got, want)
		}
	})
	t.Run("concurrent puts all land", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		const n = 32
		var wg sync.WaitGroup
		for i := range n {
			c := &scancode.Callback{Type: "99", Raw: []byte(fmt.Sprintf(`{"tId":"%s","i":%d}`, testTID, i))}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Put(ctx, c); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		cs, err := s.Get(ctx, testTID)
		if err != nil || len(cs) != n {
			t.Errorf("Get = %d callbacks, %v; want %d", len(cs), err, n)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		for name, c := range map[string]*scancode.Callback{
			"nil":            nil,
			"no Raw":         {Type: "01", Payload: &scancode.ScanStatus{TID: testTID}},
			"no tId":         {Type: "99", Raw: []byte(`{"x":1}`)},
			"tId too long":   {Type: "99", Raw: []byte(`{"tId":"` + strings.Repeat("a", 65) + `"}`)},
			"control in tId": {Type: "99", Raw: []byte(`{"tId":"a\nb"}`)},
			"type of 3":      {Type: "011", Raw: []byte(`{"tId":"` + testTID + `"}`)},
			"bad platform":   {Type: "01", PlatformCode: "M1", Raw: []byte(`{"tId":"` + testTID + `"}`)},
			"Raw not JSON":   {Type: "99", Raw: []byte(`{"tId":"` + testTID + `"`)},
			"Raw ambiguous":  {Type: "99", Raw: []byte(`{"tId":"` + testTID + `","TID":"x"}`)},
		} {
			if err := s.Put(ctx, c); err == nil || !strings.HasPrefix(err.Error(), "scancode: TIDStore.Put: ") {
				t.Errorf("Put(%s) = %v; want a TIDStore.Put error", name, err)
			}
		}
		if _, err := s.Get(ctx, ""); err == nil {
			t.Error("Get(\"\") = nil error")
		}
		for name, opts := range map[string][]scancode.TIDStoreOption{
			"WithLists(nil)": {scancode.WithLists(nil)},
			"nil option":     {nil},
		} {
			if _, err := scancode.NewTIDStore(opts...); err == nil {
				t.Errorf("NewTIDStore(%s) = nil error", name)
			}
		}
	})
	t.Run("backend errors and unreadable values are errors", func(t *testing.T) {
		t.Parallel()
		down := errors.New("redis: connection refused")
		h := &hostLists{m: map[string][][]byte{}, fail: down}
		s, _ := scancode.NewTIDStore(scancode.WithLists(h))
		if err := s.Put(ctx, c01); !errors.Is(err, down) {
			t.Errorf("Put on a failing store = %v; want it wrapped", err)
		}
		if _, err := s.Get(ctx, testTID); !errors.Is(err, down) {
			t.Errorf("Get on a failing store = %v; want it wrapped", err)
		}
		h.fail = nil
		key := "scancode:tid:" + testTID // the documented key layout
		for name, v := range map[string]string{
			"not JSON":        `garbage`,
			"another version": `{"v":2,"type":"01","raw":"e30="}`,
			"bad type":        `{"v":1,"type":"1","raw":"e30="}`,
			"raw not object":  `{"v":1,"type":"01","raw":"W10="}`,
		} {
			h.m[key] = [][]byte{[]byte(v)}
			if _, err := s.Get(ctx, testTID); !errors.Is(err, scancode.ErrMalformedCallback) {
				t.Errorf("Get of %s = %v; want ErrMalformedCallback", name, err)
			}
		}
		h.m[key] = nil
		if err := s.Put(ctx, c01); err != nil || len(h.m[key]) != 1 {
			t.Errorf("Put stored %d values under %q (%v); want 1", len(h.m[key]), key, err)
		}
	})
}
