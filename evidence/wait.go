package evidence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// WaitFinal polls get-da-status every interval (60 s when 0) until the
// session is final or timeout (20 min when 0) passes: the fallback for a
// notification that never came. A transient failure (transport error,
// 5xx, retryable errorCode) does not end the wait; any other error does.
func (c *Client) WaitFinal(ctx context.Context, daID string, interval, timeout time.Duration) (*Status, error) {
	if interval <= 0 {
		interval = time.Minute
	}
	if timeout <= 0 {
		timeout = 20 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		s, err := c.GetStatus(ctx, daID)
		if err == nil && s.Final() {
			return s, nil
		}
		if err != nil && ctx.Err() == nil && !transient(err) {
			return s, err
		}
		if serr := transport.Sleep(ctx, interval); serr != nil {
			return s, fmt.Errorf("evidence: WaitFinal %s: %w", daID, serr)
		}
	}
}

// transient reports a failure a later poll may not see again.
func transient(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code.Retryable()
	}
	var ve *ValidationError
	return !errors.As(err, &ve) && !errors.Is(err, ErrMalformedResponse) && !errors.Is(err, ErrFieldDecrypt)
}
