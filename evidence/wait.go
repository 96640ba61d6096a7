package evidence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// WaitFinal polls get-da-status every interval (60 s when 0, as the docs
// recommend) until the session is final, bounded by ctx alone (the docs
// poll for at most 20 minutes after the daId was issued: give ctx that
// deadline). A success is final only with authorizedTs > 0 and a final
// jsonResult (or none expected): files and parse results can then be
// pulled. A transient failure (transport error, 5xx, retryable
// errorCode) does not end the wait; any other error does.
func (c *Client) WaitFinal(ctx context.Context, r *GetStatusRequest, interval time.Duration) (*GetStatusResponse, error) {
	if r == nil {
		r = &GetStatusRequest{}
	}
	if err := daIDRequired(OperationGetStatus, r.DaID); err != nil {
		return nil, err
	}
	if interval <= 0 {
		interval = time.Minute
	}
	var last *GetStatusResponse
	for {
		s, err := c.GetStatus(ctx, r)
		if err == nil {
			last = s
			if s.Final() && (s.DaStatus != DaStatusSuccess || s.AuthorizedTs > 0 && (s.JSONResult == 0 || s.JSONResult.Final())) {
				return s, nil
			}
		}
		if err != nil && ctx.Err() == nil && !transient(err) {
			return last, err
		}
		if serr := transport.Sleep(ctx, interval); serr != nil {
			return last, fmt.Errorf("evidence: WaitFinal %s: %w", r.DaID, serr)
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
