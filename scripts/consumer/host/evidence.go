package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// evidenceLeg asks the fake for its sites' state and then receives a
// signed notification it pushes, through a receiver built from the appKey
// and the operator's public key alone.
func evidenceLeg(ctx context.Context, st *hostStore) error {
	srv, err := evidencetest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()
	c, err := evidence.NewClient(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithPrivateKey(srv.PrivateKey),
		evidence.WithBaseURL(srv.URL), evidence.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}))
	if err != nil {
		return err
	}
	sites, err := c.GetSitesState(ctx, &evidence.GetSitesStateRequest{Sites: []evidence.Site{evidence.SiteTaxIncome}})
	if err != nil {
		return fmt.Errorf("GetSitesState: %w", err)
	}
	if len(sites.Sites) != 1 {
		return fmt.Errorf("GetSitesState answered %d sites; want 1", len(sites.Sites))
	}
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(srv.AppID, srv.AppKey), evidence.WithNotifyPublicKey(srv.NotifyPublicKey))
	if err != nil {
		return err
	}
	got := make(chan *evidence.Notification, 4)
	h, err := evidence.NewNotificationHandler(v, func(_ context.Context, n *evidence.Notification) error {
		got <- n
		return nil
	}, evidence.WithDedupStore(st))
	if err != nil {
		return err
	}
	url, err := receive(ctx, h)
	if err != nil {
		return err
	}
	body, hash, sig := srv.Notification(evidence.FuncDaFailed, map[string]any{"daId": "DA-HOST", "bizNo": "B-HOST", "daStatus": 25})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytesReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("DECSHASH", hash)
	req.Header.Set("DECSSIGN", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the handler answered %d to a genuine notification", resp.StatusCode)
	}
	n, err := waitFor(ctx, got, "evidence notification")
	if err != nil {
		return err
	}
	if n.Data.DaID != "DA-HOST" {
		return fmt.Errorf("notification for %q; want DA-HOST", n.Data.DaID)
	}
	return nil
}
