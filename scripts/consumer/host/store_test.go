package main

import (
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/storetest"
)

// TestHostStoreConformance: the host's own store passes the SDK's
// conformance kit, from outside the SDK's module path.
func TestHostStoreConformance(t *testing.T) {
	storetest.TestDedup(t, func(_ *testing.T, lease time.Duration) store.Dedup { return newHostStoreLease(lease) })
}

// TestOneStoreForAllModules runs the host program's four legs, whose
// handlers share one hostStore.
func TestOneStoreForAllModules(t *testing.T) {
	st := newHostStore()
	for name, leg := range map[string]func(*testing.T, *hostStore){
		"levy":     func(t *testing.T, st *hostStore) { must(t, levyLeg(t.Context(), st)) },
		"allinpay": func(t *testing.T, st *hostStore) { must(t, allinpayLeg(t.Context(), st)) },
		"evidence": func(t *testing.T, st *hostStore) { must(t, evidenceLeg(t.Context(), st)) },
		"scancode": func(t *testing.T, st *hostStore) { must(t, scancodeLeg(t.Context(), st)) },
	} {
		t.Run(name, func(t *testing.T) { leg(t, st) })
	}
	if st.Len() < 4 {
		t.Errorf("the shared store holds %d keys; want at least one per module", st.Len())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
