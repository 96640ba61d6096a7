package evidence

import (
	"fmt"
	"log/slog"
	"net/url"

	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Masking: every type that carries personal data (idNo, userName, openId)
// or a secret (fileKey, SSE-C key, PDF passwords, presigned URLs, the
// entry link) prints a masked copy through fmt (%v, %+v, %s, as a value or
// a pointer) and slog. The plain* types are the same structs without
// methods, so printing the masked copy does not recurse.

func formatMasked(f fmt.State, verb rune, v any) { fmt.Fprintf(f, fmt.FormatString(f, verb), v) }

// maskURL keeps a URL's scheme and host: the path and query of a
// presigned URL are its credential.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return mask.Secret(s)
	}
	return u.Scheme + "://" + u.Host + "/[redacted]"
}

func maskURLs(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = maskURL(s)
	}
	return out
}

func maskSecrets(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mask.Secret(s)
	}
	return out
}

type plainStartAcquisitionRequest StartAcquisitionRequest

func (r StartAcquisitionRequest) masked() plainStartAcquisitionRequest {
	r.OpenID, r.IDNo, r.UserName = mask.Middle(r.OpenID, 2, 2), mask.IDCard(r.IDNo), mask.Name(r.UserName)
	r.Ext = nil // host-supplied: may carry anything
	return plainStartAcquisitionRequest(r)
}

// Format prints the request with openId, idNo and userName masked.
func (r StartAcquisitionRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r.masked()) }

// LogValue masks personal data.
func (r StartAcquisitionRequest) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainStartAcquisitionResponse StartAcquisitionResponse

func (r StartAcquisitionResponse) masked() plainStartAcquisitionResponse {
	r.RedirectURL = maskURL(r.RedirectURL)
	return plainStartAcquisitionResponse(r)
}

// Format prints the answer with the entry link masked (it opens the
// user's session).
func (r StartAcquisitionResponse) Format(f fmt.State, verb rune) { formatMasked(f, verb, r.masked()) }

// LogValue masks the entry link.
func (r StartAcquisitionResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainRemoteFile RemoteFile

func (f RemoteFile) masked() plainRemoteFile {
	f.URL, f.FileKey = maskURL(f.URL), mask.Secret(f.FileKey)
	return plainRemoteFile(f)
}

// Format prints the file with its presigned URL and SSE-C key masked.
func (f RemoteFile) Format(s fmt.State, verb rune) { formatMasked(s, verb, f.masked()) }

// LogValue masks the URL and key.
func (f RemoteFile) LogValue() slog.Value { return slog.AnyValue(f.masked()) }

type plainGetOriginalFilesResponse GetOriginalFilesResponse

func (r GetOriginalFilesResponse) masked() plainGetOriginalFilesResponse {
	r.FileURLs, r.FileKey, r.PDFPasswords = maskURLs(r.FileURLs), mask.Secret(r.FileKey), maskSecrets(r.PDFPasswords)
	return plainGetOriginalFilesResponse(r)
}

// Format prints the answer with URLs, fileKey and PDF passwords masked.
func (r GetOriginalFilesResponse) Format(f fmt.State, verb rune) { formatMasked(f, verb, r.masked()) }

// LogValue masks URLs and secrets.
func (r GetOriginalFilesResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainGetParseResultResponse GetParseResultResponse

func (r GetParseResultResponse) masked() plainGetParseResultResponse {
	r.JSONFileURLs, r.FileKey = maskURLs(r.JSONFileURLs), mask.Secret(r.FileKey)
	return plainGetParseResultResponse(r)
}

// Format prints the answer with URLs and fileKey masked.
func (r GetParseResultResponse) Format(f fmt.State, verb rune) { formatMasked(f, verb, r.masked()) }

// LogValue masks URLs and secrets.
func (r GetParseResultResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainGetReconFileResponse GetReconFileResponse

func (r GetReconFileResponse) masked() plainGetReconFileResponse {
	r.FileURL = maskURL(r.FileURL)
	return plainGetReconFileResponse(r)
}

// Format prints the answer with the URL masked.
func (r GetReconFileResponse) Format(f fmt.State, verb rune) { formatMasked(f, verb, r.masked()) }

// LogValue masks the URL.
func (r GetReconFileResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainUploadUserProtocolRequest UploadUserProtocolRequest

func (r UploadUserProtocolRequest) masked() plainUploadUserProtocolRequest {
	r.IDNo = mask.IDCard(r.IDNo)
	return plainUploadUserProtocolRequest(r)
}

// Format prints the request with idNo masked.
func (r UploadUserProtocolRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r.masked()) }

// LogValue masks idNo.
func (r UploadUserProtocolRequest) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainNotificationExt NotificationExt

func (e NotificationExt) masked() plainNotificationExt {
	e.FileKey, e.PDFPassword = mask.Secret(e.FileKey), maskSecrets(e.PDFPassword)
	return plainNotificationExt(e)
}

// Format prints ext with fileKey and PDF passwords masked.
func (e NotificationExt) Format(f fmt.State, verb rune) { formatMasked(f, verb, e.masked()) }

// LogValue masks the secrets.
func (e NotificationExt) LogValue() slog.Value { return slog.AnyValue(e.masked()) }

type plainNotificationData NotificationData

func (d NotificationData) masked() plainNotificationData {
	d.FileURLList = maskURLs(d.FileURLList)
	d.Ext = NotificationExt(d.Ext.masked()) // for slog's JSON handler, which ignores Format
	return plainNotificationData(d)
}

// Format prints data with the file URLs and ext's secrets masked.
func (d NotificationData) Format(f fmt.State, verb rune) { formatMasked(f, verb, d.masked()) }

// LogValue masks URLs and secrets.
func (d NotificationData) LogValue() slog.Value { return slog.AnyValue(d.masked()) }

type plainNotification Notification

func (n Notification) masked() plainNotification {
	n.Raw = nil // the raw body carries the fileKey and URLs
	n.Data = NotificationData(n.Data.masked())
	return plainNotification(n)
}

// Format prints the notification without its raw body, data masked.
func (n Notification) Format(f fmt.State, verb rune) { formatMasked(f, verb, n.masked()) }

// LogValue masks URLs and secrets.
func (n Notification) LogValue() slog.Value { return slog.AnyValue(n.masked()) }
