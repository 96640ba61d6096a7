package evidence

import "github.com/bizapi-cn/go-sdk/evidence/internal/decs"

// Test-only shims over the unexported plumbing, for docs_test.go.

// Body is the exact request bytes for arg, with a fresh nonce.
func (c *Client) Body(arg any) ([]byte, error) {
	n, err := c.newNonce()
	if err != nil {
		return nil, err
	}
	return c.body(arg, n)
}

// DECSHash is the DECSHASH of sorted.
func (c *Client) DECSHash(sorted []byte) string { return decs.Hash(c.mac, c.cfg.AppKey, sorted) }
