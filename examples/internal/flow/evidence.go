package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// EvidenceConfig is the evidence example's configuration (EVIDENCE_*).
type EvidenceConfig struct {
	BaseURL, AppID, AppKey      string // empty BaseURL: the in-process fake
	PrivateKey, NotifyPublicKey []byte
	NotifyAddr                  string
	NotifyWait                  time.Duration
}

// Evidence starts an acquisition for the tax site, prints the entry URL,
// drives the fake session to success (skipped against a real host),
// receives the notification, downloads the files to a temp folder and
// lists them.
func Evidence(ctx context.Context, w io.Writer, cfg EvidenceConfig) error {
	w = locked(w)
	if cfg.NotifyWait == 0 {
		cfg.NotifyWait = 10 * time.Second
	}
	ln, notifyURL, err := listen("EVIDENCE_NOTIFY_ADDR", cfg.NotifyAddr, "/evidence/notify")
	if err != nil {
		return err
	}
	var fake *evidencetest.Server
	if cfg.BaseURL == "" {
		if fake, err = evidencetest.NewServer(); err != nil {
			return err
		}
		defer fake.Close()
		fake.SetNotifyURL(notifyURL)
		cfg.BaseURL, cfg.AppID, cfg.AppKey, cfg.PrivateKey, cfg.NotifyPublicKey = fake.URL, fake.AppID, fake.AppKey, fake.PrivateKey, fake.NotifyPublicKey
		fmt.Fprintln(w, "  service: in-process fake (set EVIDENCE_BASE_URL and the keys for the operator's test environment)")
	} else {
		fmt.Fprintf(w, "  service: %s, notifications to %s\n", cfg.BaseURL, notifyURL)
	}
	c, err := evidence.NewClient(evidence.WithApp(cfg.AppID, cfg.AppKey), evidence.WithPrivateKey(cfg.PrivateKey),
		evidence.WithNotifyPublicKey(cfg.NotifyPublicKey), evidence.WithBaseURL(cfg.BaseURL))
	if err != nil {
		return err
	}
	got := make(chan *evidence.Notification, 4)
	defer serve(ln, c.NotificationHandler(func(_ context.Context, n *evidence.Notification) error {
		fmt.Fprintf(w, "  notification %s for %s verified (daStatus %d)\n", n.Func, n.Data.DaID, n.Data.DaStatus)
		select {
		case got <- n:
		default:
		}
		return nil
	}, evidence.NewMemoryDedupStore(0)))()

	var daID string
	dir, err := os.MkdirTemp("", "evidence-example")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	steps := []struct {
		name string
		fn   func() error
	}{
		{"start acquisition for tax", func() error {
			r, err := c.StartAcquisition(ctx, &evidence.StartRequest{Site: "tax", BizNo: fmt.Sprintf("EX%d", time.Now().Unix()), OpenID: "example-user"})
			if err == nil {
				daID = r.DaID
				fmt.Fprintf(w, "  daId %s, entry URL %s\n", r.DaID, r.RedirectURL)
			}
			return err
		}},
		{"user completes the session", func() error {
			if fake == nil {
				fmt.Fprintln(w, "  skipped: a real user has to open the entry URL")
				return nil
			}
			return fake.Complete(daID, map[string][]byte{"income1.pdf": []byte("%PDF-1.4 tax income"), "personal.pdf": []byte("%PDF-1.4 personal")})
		}},
		{"receive the notification", func() error {
			select {
			case <-got:
				return nil
			case <-time.After(cfg.NotifyWait):
				if fake == nil {
					fmt.Fprintf(w, "  skipped: no notification within %s\n", cfg.NotifyWait)
					return nil
				}
				return errors.New("no notification arrived")
			}
		}},
		{"download the files", func() error {
			s, err := c.GetStatus(ctx, daID)
			if err != nil {
				return err
			}
			if !s.Downloadable() {
				fmt.Fprintf(w, "  skipped: daStatus %d (%s) is not downloadable yet\n", s.DaStatus, evidence.DaStatus(s.DaStatus))
				return nil
			}
			files, err := c.GetOriginalFiles(ctx, daID)
			if err != nil {
				return err
			}
			for i, u := range files.FileURLs {
				name := path.Base(u[:len(u)-len(fileQuery(u))])
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%02d-%s", i, name)))
				if err != nil {
					return err
				}
				n, err := c.Download(ctx, u, files.FileKey, f)
				f.Close()
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "  %s: %d bytes\n", name, n)
			}
			return nil
		}},
	}
	for _, s := range steps {
		if err := Step(w, s.name, s.fn); err != nil {
			return err
		}
	}
	return nil
}

func fileQuery(u string) string {
	for i := len(u) - 1; i >= 0; i-- {
		if u[i] == '?' {
			return u[i:]
		}
	}
	return ""
}
