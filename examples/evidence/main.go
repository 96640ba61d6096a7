// Command evidence runs the DECS data-acquisition flow with the SDK's
// public API only: upload the user's signed agreement, start a session
// for a current site with every member the docs require and print its
// entry URL, let the session finish (simulated on the fake), receive the
// signed notification, download the files with SSE-C and list them, and
// unzip the parse results.
//
// Environment (without EVIDENCE_BASE_URL the in-process fake is used):
//
//	EVIDENCE_BASE_URL           the operator's API host (then all below are required)
//	EVIDENCE_APP_ID             the 8-character appId
//	EVIDENCE_APP_KEY            the appKey (text, or @path)
//	EVIDENCE_PRIVATE_KEY        the integrator's RSA private key: PEM, base64, or @path
//	EVIDENCE_NOTIFY_PUBLIC_KEY  the operator's notification public key: PEM, base64, or @path
//	EVIDENCE_NOTIFY_ADDR        host:port for notifications (default: ephemeral)
//
// The notification handler answers only after the host function returned:
// keep that function fast (the operator resends a slow answer), so a real
// receiver enqueues the notification durably and returns; this one hands
// it to the flow through a channel.
//
// It exits non-zero naming the step that failed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/evidence/evidencetest"
)

// The session: a site of the current docs and a sample user.
const (
	site     = evidence.SiteHKTax
	userIDNo = "110101199003074477"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "evidence example failed:", err)
		os.Exit(1)
	}
}

// secret reads an environment variable holding text or @path.
func secret(name string) ([]byte, error) {
	v := os.Getenv(name)
	if path, ok := strings.CutPrefix(v, "@"); ok {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return b, nil
	}
	return []byte(v), nil
}

type config struct {
	baseURL, appID, appKey      string
	privateKey, notifyPublicKey []byte
	notifyAddr                  string
}

func fromEnv() (config, error) {
	cfg := config{baseURL: os.Getenv("EVIDENCE_BASE_URL"), appID: os.Getenv("EVIDENCE_APP_ID"), notifyAddr: os.Getenv("EVIDENCE_NOTIFY_ADDR")}
	if cfg.baseURL == "" {
		return cfg, nil
	}
	appKey, err := secret("EVIDENCE_APP_KEY")
	if err != nil {
		return cfg, err
	}
	cfg.appKey = strings.TrimSpace(string(appKey))
	if cfg.privateKey, err = secret("EVIDENCE_PRIVATE_KEY"); err != nil {
		return cfg, err
	}
	if cfg.notifyPublicKey, err = secret("EVIDENCE_NOTIFY_PUBLIC_KEY"); err != nil {
		return cfg, err
	}
	if cfg.appID == "" || cfg.appKey == "" || len(cfg.privateKey) == 0 || len(cfg.notifyPublicKey) == 0 {
		return cfg, errors.New("EVIDENCE_BASE_URL is set: EVIDENCE_APP_ID, EVIDENCE_APP_KEY, EVIDENCE_PRIVATE_KEY and EVIDENCE_NOTIFY_PUBLIC_KEY are required")
	}
	return cfg, nil
}

// lockedWriter serializes writes: the notification handler prints from the
// server's goroutines while the flow prints from its own.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func run(ctx context.Context, out io.Writer) error {
	w := &lockedWriter{w: out}
	cfg, err := fromEnv()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "evidence: DECS data-acquisition flow")
	addr := cfg.notifyAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("EVIDENCE_NOTIFY_ADDR: %w", err)
	}
	notifyURL := "http://" + ln.Addr().String() + "/evidence/notify"

	var fake *evidencetest.Server
	if cfg.baseURL == "" {
		if fake, err = evidencetest.NewServer(); err != nil {
			return err
		}
		defer fake.Close()
		fake.SetNotifyURL(notifyURL)
		cfg.baseURL, cfg.appID, cfg.appKey, cfg.privateKey, cfg.notifyPublicKey = fake.URL, fake.AppID, fake.AppKey, fake.PrivateKey, fake.NotifyPublicKey
		fmt.Fprintln(w, "  service: in-process fake (set EVIDENCE_BASE_URL and the keys for the operator's test environment)")
	} else {
		fmt.Fprintf(w, "  service: %s, notifications to %s\n", cfg.baseURL, notifyURL)
	}

	// The API client holds the private key; the receiver needs only the
	// appKey and the operator's public key.
	c, err := evidence.NewClient(evidence.WithApp(cfg.appID, cfg.appKey), evidence.WithPrivateKey(cfg.privateKey), evidence.WithBaseURL(cfg.baseURL))
	if err != nil {
		return err
	}
	v, err := evidence.NewNotificationVerifier(evidence.WithApp(cfg.appID, cfg.appKey), evidence.WithNotifyPublicKey(cfg.notifyPublicKey))
	if err != nil {
		return err
	}
	got := make(chan *evidence.Notification, 4)
	h, err := evidence.NewNotificationHandler(v, func(_ context.Context, n *evidence.Notification) error {
		fmt.Fprintf(w, "  notification %s for %s verified (daStatus %d)\n", n.Func, n.Data.DaID, n.Data.DaStatus)
		select { // enqueue and return: the operator wants a fast answer
		case got <- n:
		default:
		}
		return nil
	})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, WriteTimeout: 15 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	dir, err := os.MkdirTemp("", "evidence-example")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	var daID string
	steps := []struct {
		name string
		fn   func() error
	}{
		{"upload the user's agreement", func() error {
			_, err := c.UploadUserProtocol(ctx, &evidence.UploadUserProtocolRequest{IDNo: userIDNo, Site: site,
				Files: []evidence.File{evidence.FileFromBytes("agreement.pdf", []byte("%PDF-1.4 example agreement\n%%EOF\n"))}})
			return err
		}},
		{"start acquisition for " + string(site), func() error {
			r, err := c.StartAcquisition(ctx, &evidence.StartAcquisitionRequest{
				Site: site, BizNo: fmt.Sprintf("EX%d", time.Now().Unix()), OpenID: "example-user",
				IDNo: userIDNo, UserName: "Chan Tai Man", UserClaim: "The user completed face recognition",
				UA: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", Width: 390, Height: 844,
				AccessWay: evidence.AccessWayH5,
			})
			if err != nil {
				return err
			}
			daID = r.DaID
			fmt.Fprintf(w, "  daId %s, entry URL valid until %s (open it once)\n", r.DaID, r.LinkExpires.Format(time.TimeOnly))
			return nil
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
				fmt.Fprintf(w, "  daStatus %d (%s)\n", st, st)
				if st == evidence.DaStatusSuccess {
					return nil
				}
			}
		}},
		{"receive the notification", func() error {
			select {
			case <-got:
				return nil
			case <-time.After(10 * time.Second):
				if fake == nil {
					fmt.Fprintln(w, "  skipped: no notification within 10s")
					return nil
				}
				return errors.New("no notification arrived")
			}
		}},
		{"download the files", func() error { return download(ctx, w, c, daID, dir) }},
	}
	for _, s := range steps {
		fmt.Fprintf(w, "- %s\n", s.name)
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func download(ctx context.Context, w io.Writer, c *evidence.Client, daID, dir string) error {
	s, err := c.GetStatus(ctx, &evidence.GetStatusRequest{DaID: daID})
	if err != nil {
		return err
	}
	if !s.Downloadable() {
		if sub, ok := s.SubStatus(); ok {
			fmt.Fprintf(w, "  daSubStatus %d: %s; %s\n", sub.Code, sub.Scenario, sub.Handling)
		}
		fmt.Fprintf(w, "  skipped: daStatus %d (%s) is not downloadable\n", s.DaStatus, s.DaStatus)
		return nil
	}
	files, err := c.GetOriginalFiles(ctx, &evidence.GetOriginalFilesRequest{DaID: daID})
	if err != nil {
		return err
	}
	for _, f := range files.List(s.Authorized()) {
		_, n, err := save(ctx, c, f, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s: %d bytes, %s\n", f.Name, n, f.Class().Description())
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
		zipPath, _, err := save(ctx, c, f, dir)
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
}

// save writes f into dir under its object name (evidence.FileName keeps
// it inside dir) and returns the file's path and size.
func save(ctx context.Context, c *evidence.Client, f evidence.RemoteFile, dir string) (string, int64, error) {
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
