package sqlstore_test

import (
	"testing"
	"time"

	"github.com/bizapi-cn/go-sdk/store"
	"github.com/bizapi-cn/go-sdk/store/sqlstore"
	"github.com/bizapi-cn/go-sdk/store/storetest"
)

func TestConformance(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			e.open(t) // skip (or fail under CI) once, before the kit's subtests
			t.Run("Dedup", func(t *testing.T) {
				storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
					db := e.open(t)
					d, err := sqlstore.NewDedup(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)), sqlstore.WithLease(lease))
					if err != nil {
						t.Fatal(err)
					}
					return d
				})
			})
			t.Run("TxDedup", func(t *testing.T) {
				storetest.TestDedup(t, func(t *testing.T, lease time.Duration) store.Dedup {
					db := e.open(t)
					d, err := sqlstore.NewTxDedup(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)), sqlstore.WithLease(lease))
					if err != nil {
						t.Fatal(err)
					}
					return d
				})
			})
			t.Run("TxDedup as Runner", func(t *testing.T) {
				storetest.TestRunner(t, func(t *testing.T) store.Runner {
					db := e.open(t)
					d, err := sqlstore.NewTxDedup(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)))
					if err != nil {
						t.Fatal(err)
					}
					return d
				})
			})
			t.Run("Keys", func(t *testing.T) {
				storetest.TestKeys(t, func(t *testing.T) store.Keys {
					db := e.open(t)
					k, err := sqlstore.NewKeys(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)))
					if err != nil {
						t.Fatal(err)
					}
					return k
				})
			})
			t.Run("Lists", func(t *testing.T) {
				storetest.TestLists(t, func(t *testing.T, retention time.Duration) store.Lists {
					db := e.open(t)
					l, err := sqlstore.NewLists(db, e.dialect, sqlstore.WithTablePrefix(fresh(t, e, db)), sqlstore.WithRetention(retention))
					if err != nil {
						t.Fatal(err)
					}
					return l
				})
			})
		})
	}
}
