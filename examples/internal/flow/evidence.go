package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// The example's session: a site of the current docs and a sample identity
// number.
const (
	exampleSite = evidence.SiteHKTax
	exampleIDNo = "110101199003074477"
)

// EvidenceConfig is the evidence example's configuration (EVIDENCE_*).
type EvidenceConfig struct {
	BaseURL, AppID, AppKey      string // empty BaseURL: the in-process fake
	PrivateKey, NotifyPublicKey []byte
	NotifyAddr                  string
	NotifyWait                  time.Duration
	Logger                      *slog.Logger // the SDK's logs (nil: none)

	onFake func(*evidencetest.Server) // tests: sees the fake's keys
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
		if cfg.onFake != nil {
			cfg.onFake(fake)
		}
		fake.SetNotifyURL(notifyURL)
		cfg.BaseURL, cfg.AppID, cfg.AppKey, cfg.PrivateKey, cfg.NotifyPublicKey = fake.URL, fake.AppID, fake.AppKey, fake.PrivateKey, fake.NotifyPublicKey
		fmt.Fprintln(w, "  service: in-process fake (set EVIDENCE_BASE_URL and the keys for the operator's test environment)")
	} else {
		fmt.Fprintf(w, "  service: %s, notifications to %s\n", cfg.BaseURL, notifyURL)
	}
	c, err := evidence.NewClient(evidence.WithApp(cfg.AppID, cfg.AppKey), evidence.WithPrivateKey(cfg.PrivateKey),
		evidence.WithNotifyPublicKey(cfg.NotifyPublicKey), evidence.WithBaseURL(cfg.BaseURL), evidence.WithLogger(orDiscard(cfg.Logger)))
	if err != nil {
		return err
	}
	v, err := c.NotificationVerifier()
	if err != nil {
		return err
	}
	got := make(chan *evidence.Notification, 4)
	h, err := evidence.NewNotificationHandler(v, func(_ context.Context, n *evidence.Notification) error {
		fmt.Fprintf(w, "  notification %s for %s verified (daStatus %d)\n", n.Func, n.Data.DaID, n.Data.DaStatus)
		select {
		case got <- n:
		default:
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer serve(ln, h)()

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
		{"upload the user's agreement", func() error {
			_, err := c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: exampleIDNo, Site: exampleSite,
				Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 example agreement\n%%EOF\n"))}})
			return err
		}},
		{"start acquisition for " + string(exampleSite), func() error {
			r, err := c.StartAcquisition(ctx, &evidence.StartAcquisitionRequest{Site: exampleSite, BizNo: fmt.Sprintf("EX%d", time.Now().Unix()),
				OpenID: "example-user", IDNo: exampleIDNo, UserName: "Chan Tai Man", UserClaim: "The user completed face recognition",
				UA: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", Width: 390, Height: 844})
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
			for {
				st, err := fake.Step(daID, nil)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "  daStatus %d (%s)\n", st, evidence.DaStatus(st))
				if st == 10 {
					return nil
				}
			}
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
			s, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: daID})
			if err != nil {
				return err
			}
			if !s.Downloadable() {
				if sub, ok := s.SubStatus(); ok {
					fmt.Fprintf(w, "  daStatus %d (%s), daSubStatus %d: %s; %s\n", s.DaStatus, s.DaStatus, sub.Code, sub.Scenario, sub.Handling)
				}
				fmt.Fprintf(w, "  skipped: daStatus %d (%s) is not downloadable\n", s.DaStatus, s.DaStatus)
				return nil
			}
			files, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: daID})
			if err != nil {
				return err
			}
			site, _ := files.Site.Info()
			for _, f := range files.List(s.Authorized()) {
				_, n, err := downloadTo(ctx, c, f, dir)
				if err != nil {
					return err
				}
				what := f.Class().Description()
				if f.Class().Kind == evidence.FileKindUnknown && site.OfficialName != "" {
					what = site.OfficialName + " (" + site.Files + ")"
				}
				fmt.Fprintf(w, "  %s: %d bytes, %s\n", f.Name, n, what)
			}
			if len(files.PDFPasswords) > 0 {
				fmt.Fprintf(w, "  PDF passwords received: %d (not printed)\n", len(files.PDFPasswords))
			}
			if !s.Parsed() {
				fmt.Fprintf(w, "  parse results: jsonResult %d, none to pull\n", s.JSONResult)
				return nil
			}
			pr, err := c.GetParseResult(ctx, &evidence.GetParseResultRequest{DaID: daID})
			if err != nil {
				return err
			}
			for _, f := range pr.List(s.Authorized()) {
				zipPath, _, err := downloadTo(ctx, c, f, dir)
				if err != nil {
					return err
				}
				out, err := evidence.Unzip(zipPath, filepath.Join(dir, "parsed"), evidence.UnzipLimits{})
				if err != nil {
					return err
				}
				for _, p := range out {
					fmt.Fprintf(w, "  parsed %s (from %s)\n", filepath.Base(p), f.Name)
				}
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

// downloadTo writes f into dir under its object name (evidence.FileName
// keeps it inside dir), or a made-up one when the URL has none, and
// returns the file's path.
func downloadTo(ctx context.Context, c *evidence.Client, f evidence.RemoteFile, dir string) (string, int64, error) {
	name := f.Name
	if name == "" {
		name = fmt.Sprintf("file-%d", time.Now().UnixNano())
	}
	p := filepath.Join(dir, name)
	out, err := os.Create(p)
	if err != nil {
		return "", 0, err
	}
	n, err := c.Download(ctx, f, out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return p, n, err
}
