package notify

import (
	"net/url"
	"path"
	"strings"
	"time"
)

// RemoteFile is one downloadable file: its presigned URL, the SSE-C key
// and the name the URL carries. The evidence client downloads it
// (Client.Open, Client.Download).
type RemoteFile struct {
	URL     string
	FileKey string // base64 SSE-C key; empty when the bucket has no SSE-C
	Name    string // the object name, e.g. "…_app-tax-income_income1.html"
	// Authorized is the session's authorization time; when set, the
	// client's Download refuses a file past the retention without calling
	// COS.
	Authorized time.Time
}

// Class classifies the file by its name (ClassifyFile).
func (f RemoteFile) Class() FileClass { return ClassifyFile(f.Name) }

func fileList(urls []string, key string, authorized time.Time) []RemoteFile {
	out := make([]RemoteFile, 0, len(urls))
	for _, u := range urls {
		out = append(out, RemoteFile{URL: u, FileKey: key, Name: FileName(u), Authorized: authorized})
	}
	return out
}

// FileName returns the object name of a presigned URL: the last path
// segment, unescaped, without the query. It is safe to use as a file name
// in a folder: never empty-but-for-dots, never with a separator of any
// platform ("" when the URL has no usable name).
func FileName(rawURL string) string {
	p, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	name := path.Base(strings.ReplaceAll(p.Path, `\`, "/"))
	if name == "/" || name == "." || name == ".." || strings.ContainsRune(name, 0) {
		return ""
	}
	return name
}
