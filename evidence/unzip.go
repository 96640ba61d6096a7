package evidence

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// UnzipLimits bound what Unzip extracts.
type UnzipLimits struct {
	MaxEntries    int   // 1000 by default
	MaxTotalBytes int64 // 1 GiB by default (bytes actually written)
	// MaxRatio bounds uncompressed/compressed, 200 by default, per entry
	// and for the whole archive: the bytes written in all may not exceed
	// the archive's size × MaxRatio (+ 1 MiB), so many small entries or
	// entries sharing one compressed stream cannot add up to a bomb.
	MaxRatio int64
}

// ErrUnsafeZip reports an archive Unzip refuses: a path that escapes the
// target folder, an absolute path, a link, or one over the limits.
var ErrUnsafeZip = errors.New("evidence: unsafe zip archive")

// Unzip extracts the zip archive at src (parsed results, 12123 and Alipay
// data) into dir, refusing path traversal, absolute paths, symbolic links
// and zip bombs. It returns the extracted files' paths; when it refuses an
// entry, it removes what it had extracted, so nothing half-trusted stays.
func Unzip(src, dir string, lim UnzipLimits) (out []string, err error) {
	if lim.MaxEntries <= 0 {
		lim.MaxEntries = 1000
	}
	if lim.MaxTotalBytes <= 0 {
		lim.MaxTotalBytes = 1 << 30
	}
	if lim.MaxRatio <= 0 {
		lim.MaxRatio = 200
	}
	st, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("evidence: unzip: %w", err)
	}
	if byRatio := st.Size()*lim.MaxRatio + 1<<20; byRatio < lim.MaxTotalBytes {
		lim.MaxTotalBytes = byRatio
	}
	r, err := zip.OpenReader(src)
	if err != nil {
		return nil, fmt.Errorf("evidence: unzip: %w", err)
	}
	defer r.Close()
	defer func() {
		if err != nil {
			for _, p := range out {
				os.Remove(p)
			}
			out = nil
		}
	}()
	if len(r.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%w: %d entries, at most %d", ErrUnsafeZip, len(r.File), lim.MaxEntries)
	}
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, f := range r.File {
		name := filepath.FromSlash(f.Name)
		target := filepath.Join(root, name)
		if filepath.IsAbs(name) || strings.HasPrefix(f.Name, "/") || !strings.HasPrefix(target, root+string(os.PathSeparator)) {
			return out, fmt.Errorf("%w: entry path leaves the folder", ErrUnsafeZip)
		}
		mode := f.Mode()
		if mode&os.ModeSymlink != 0 || mode&os.ModeDevice != 0 {
			return out, fmt.Errorf("%w: entry is a link or device", ErrUnsafeZip)
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o750); err != nil {
				return out, err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
			return out, err
		}
		n, err := extract(f, target, lim, lim.MaxTotalBytes-total)
		total += n
		if err != nil {
			return out, err
		}
		out = append(out, target)
	}
	return out, nil
}

// extract copies one entry, never trusting its declared sizes: the copy
// stops at the budget and at the ratio limit.
func extract(f *zip.File, target string, lim UnzipLimits, budget int64) (int64, error) {
	maxOut := budget
	if byRatio := int64(min(f.CompressedSize64, 1<<62))*lim.MaxRatio + 1<<20; byRatio < maxOut { //nolint:gosec // capped below 2^62
		maxOut = byRatio
	}
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("evidence: unzip: %w", err)
	}
	defer rc.Close()
	w, err := os.OpenFile(target, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("evidence: unzip: %w", err)
	}
	n, err := io.Copy(w, io.LimitReader(rc, maxOut+1))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(target)
		return n, fmt.Errorf("evidence: unzip: %w", err)
	}
	if n > maxOut {
		os.Remove(target)
		return n, fmt.Errorf("%w: entry expands beyond the size or ratio limit", ErrUnsafeZip)
	}
	return n, nil
}
