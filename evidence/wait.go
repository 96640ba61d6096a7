package evidence

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bizapi-cn/go-sdk/internal/transport"
)

// ErrPollWindowElapsed is WaitFinal's error when FinalPollWindow has passed
// since the daId was issued and the session is still not final: the docs
// poll no longer ("Maximum call duration is 20min"). Reconcile the session
// from the notifications or the next day's reconciliation file.
var ErrPollWindowElapsed = errors.New("evidence: WaitFinal: the 20-minute poll window since the daId was issued elapsed")

// WaitFinal is the docs' fallback when no notification came ("call
// interface 3.8 at regular intervals (recommended 60s) after the daId is
// generated … Maximum call duration is 20min"): it polls get-da-status
// every interval (60 s when 0) until the session is final.
//
// The window is measured from r.IssuedAt, the daId's issue time (use
// StartAcquisitionResponse.StatusRequest), on the client's clock: once
// FinalPollWindow has passed since then, WaitFinal returns the last
// answer and ErrPollWindowElapsed. Without IssuedAt only ctx bounds it.
//
// A success is final only as the docs define it: daStatus 10 and
// authorizedTs > 0 (files can be pulled), and a final jsonResult (or
// none): a daStatus 10 with authorizedTs 0 or jsonResult 5 or 100 is
// polled again. A final failure (daStatus 13..100) ends the wait. A
// transient failure (transport error, 5xx, retryable errorCode) does not
// end the wait; any other error does.
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
	var deadline time.Time
	if !r.IssuedAt.IsZero() {
		deadline = r.IssuedAt.Add(FinalPollWindow)
	}
	var last *GetStatusResponse
	for {
		s, err := c.GetStatus(ctx, r)
		if err == nil {
			last = s
			if finalAsDocumented(s) {
				return s, nil
			}
		}
		if err != nil && ctx.Err() == nil && !transient(err) {
			return last, err
		}
		wait := interval
		if !deadline.IsZero() {
			left := deadline.Sub(c.cfg.now())
			if left <= 0 {
				return last, fmt.Errorf("%w (daId %s)", ErrPollWindowElapsed, r.DaID)
			}
			wait = min(wait, left)
		}
		if serr := transport.Sleep(ctx, wait); serr != nil {
			return last, fmt.Errorf("evidence: WaitFinal %s: %w", r.DaID, serr)
		}
	}
}

// finalAsDocumented: a final failure, or daStatus 10 with authorizedTs > 0
// and a final jsonResult (or none).
func finalAsDocumented(s *GetStatusResponse) bool {
	if !s.Final() {
		return false
	}
	if s.DaStatus != DaStatusSuccess {
		return true
	}
	return s.AuthorizedTs > 0 && (s.JSONResult == 0 || s.JSONResult.Final())
}

// transient reports a failure a later poll may not see again.
func transient(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code.Retryable()
	}
	var ve *ValidationError
	return !errors.Is(err, ErrPollWindowElapsed) && !errors.As(err, &ve) && !errors.Is(err, ErrMalformedResponse) && !errors.Is(err, ErrFieldDecrypt)
}
