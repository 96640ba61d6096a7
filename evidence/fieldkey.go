package evidence

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/gm"

	"github.com/bizapi-cn/go-sdk/internal/crypt"
	"github.com/bizapi-cn/go-sdk/internal/transport"
	"github.com/bizapi-cn/go-sdk/store"
)

// fieldKeys is the process's view of the application's field key, kept
// in a store.Keys shared by every process of the app. The stored value is
// either "key:" + the aeskey as update-aes-key sent it (wrapped with the
// integrator's public key: the store holds no plaintext key) or
// "fetching:" + a deadline in Unix milliseconds, the marker of the one
// process that is fetching a new key. A process fetches only when the
// store holds no key or the stored one was refused (−43037), and claims
// the fetch by compare-and-swap first, so N processes that meet −43037
// together cause one update-aes-key. Within a process one goroutine does
// the work (single flight); the mutex is never held across the network,
// and a waiter leaves when its context ends.
type fieldKeys struct {
	name string

	mu      sync.Mutex
	version int64 // store version of key; 0: none yet
	key     []byte
	flight  *keyFlight
}

type keyFlight struct {
	done    chan struct{}
	version int64
	key     []byte
	err     error
}

// keyPoll is how often a process waiting for another one's fetch looks
// at the store again.
const keyPoll = 25 * time.Millisecond

// get returns the field key and its store version. refused is the version
// the caller saw refused (0: none): a key of that version or older is not
// returned again.
func (f *fieldKeys) get(ctx context.Context, c *Client, refused int64) (int64, []byte, error) {
	return f.getForce(ctx, c, refused, false)
}

func (f *fieldKeys) getForce(ctx context.Context, c *Client, refused int64, force bool) (int64, []byte, error) {
	f.mu.Lock()
	if !force && f.key != nil && f.version > refused {
		v, k := f.version, f.key
		f.mu.Unlock()
		return v, k, nil
	}
	fl := f.flight
	if fl == nil {
		fl = &keyFlight{done: make(chan struct{})}
		f.flight = fl
		// The fetch runs on its own: a caller whose context ends leaves,
		// the others still get the key.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.timeout)
		go func() {
			defer cancel()
			fl.version, fl.key, fl.err = f.resolve(fctx, c, refused, force)
			f.mu.Lock()
			if fl.err == nil && fl.version > f.version {
				f.version, f.key = fl.version, fl.key
			}
			f.flight = nil
			f.mu.Unlock()
			close(fl.done)
		}()
	}
	f.mu.Unlock()
	select {
	case <-fl.done:
		return fl.version, fl.key, fl.err
	case <-ctx.Done():
		return 0, nil, fmt.Errorf("evidence: waiting for the field key: %w", ctx.Err())
	}
}

// resolve finds the application's key in the store, or fetches a new one
// when the store has none, holds a refused one (version ≤ refused), or
// force asks for a rotation of the version first seen.
func (f *fieldKeys) resolve(ctx context.Context, c *Client, refused int64, force bool) (int64, []byte, error) {
	ks := c.cfg.keys
	for {
		cur, err := ks.Load(ctx, f.name)
		if errors.Is(err, store.ErrNotFound) {
			cur, err = store.Versioned{}, nil
		}
		if err != nil {
			return 0, nil, fmt.Errorf("evidence: field key store: %w", err)
		}
		kind, payload, _ := strings.Cut(string(cur.Value), ":")
		if force && kind == "key" {
			refused, force = max(refused, cur.Version), false
		}
		switch {
		case kind == "key" && cur.Version > refused:
			key, err := c.unwrapKey(payload)
			if err != nil {
				return 0, nil, err
			}
			return cur.Version, key, nil
		case kind == "fetching":
			ms, _ := strconv.ParseInt(payload, 10, 64)
			if c.cfg.now().UnixMilli() < ms {
				if err := transport.Sleep(ctx, keyPoll); err != nil {
					return 0, nil, fmt.Errorf("evidence: waiting for another process's field key: %w", err)
				}
				continue
			}
		}
		// No key, a refused one, or an abandoned marker: claim the fetch.
		deadline := c.cfg.now().Add(c.cfg.timeout).UnixMilli()
		mv, ok, err := ks.CompareAndSwap(ctx, f.name, cur.Version, []byte("fetching:"+strconv.FormatInt(deadline, 10)))
		if err != nil {
			return 0, nil, fmt.Errorf("evidence: field key store: %w", err)
		}
		if !ok {
			continue // another process moved first: look again
		}
		wrapped, err := c.updateAESKey(ctx)
		var key []byte
		if err == nil {
			key, err = c.unwrapKey(wrapped)
		}
		if err != nil {
			// Give the claim back at once, so another process need not
			// wait for the deadline.
			_, _, _ = ks.CompareAndSwap(context.WithoutCancel(ctx), f.name, mv, []byte("fetching:0"))
			return 0, nil, err
		}
		kv, ok, err := ks.CompareAndSwap(ctx, f.name, mv, []byte("key:"+wrapped))
		if err != nil {
			return 0, nil, fmt.Errorf("evidence: field key store: %w", err)
		}
		if !ok {
			// Our claim expired and another process took over; its key is
			// the one the store holds.
			refused = 0
			continue
		}
		return kv, key, nil
	}
}

// updateAESKey asks the service for a new field key: the service issues
// a new one on every call and refuses the previous one from then on.
func (c *Client) updateAESKey(ctx context.Context) (string, error) {
	var out struct {
		AESKey string `json:"aeskey"`
	}
	if _, err := c.post(ctx, OperationUpdateAESKey, "", map[string]any{}, &out); err != nil {
		return "", err
	}
	return out.AESKey, nil
}

// unwrapKey opens the aeskey with the integrator's private key.
func (c *Client) unwrapKey(aeskey string) ([]byte, error) {
	wrapped, err := base64.StdEncoding.DecodeString(aeskey)
	if err != nil || len(wrapped) == 0 {
		return nil, errors.New("evidence: update-aes-key: aeskey is not base64")
	}
	var key []byte
	switch {
	case c.cfg.SM:
		key, _, err = gm.SM2DecryptAuto(c.cfg.SM2Priv, wrapped)
	case c.cfg.wrap == KeyWrapOAEP:
		key, err = crypt.DecryptOAEP(c.cfg.RSAPriv, wrapped, c.cfg.oaep)
	default:
		key, err = crypt.DecryptPKCS1v15(c.cfg.RSAPriv, wrapped)
	}
	if err != nil {
		return nil, errors.New("evidence: update-aes-key: the key does not unwrap with this private key")
	}
	if len(key) != 16 {
		return nil, fmt.Errorf("evidence: update-aes-key: unwrapped key is %d bytes, want 16", len(key))
	}
	return key, nil
}

// RotateFieldKey makes the service issue a new field key and stores it
// for every process of the application (through WithFieldKeyStore). The
// docs ask to rotate rarely: the other processes meet −43037 once, load
// the new key from the store and ask again, without fetching one of their
// own. Nothing else needs calling: the first call fetches the key when
// the store has none.
func (c *Client) RotateFieldKey(ctx context.Context) error {
	_, _, err := c.fk.getForce(ctx, c, 0, true)
	return err
}
