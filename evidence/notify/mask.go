package notify

import (
	"fmt"
	"log/slog"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Masking: a RemoteFile and a notification carry secrets (the fileKey,
// PDF passwords, presigned URLs); each prints a masked copy through fmt
// (%v, %+v, %s, as a value or a pointer) and slog. The plain* types are
// the same structs without methods, so printing the masked copy does not
// recurse.

type plainRemoteFile RemoteFile

func (f RemoteFile) masked() plainRemoteFile {
	f.URL, f.FileKey = decs.MaskURL(f.URL), mask.Secret(f.FileKey)
	return plainRemoteFile(f)
}

// Format prints the file with its presigned URL and SSE-C key masked.
func (f RemoteFile) Format(s fmt.State, verb rune) { decs.FormatMasked(s, verb, f.masked()) }

// LogValue masks the URL and key.
func (f RemoteFile) LogValue() slog.Value { return slog.AnyValue(f.masked()) }

type plainNotificationExt NotificationExt

func (e NotificationExt) masked() plainNotificationExt {
	e.FileKey, e.PDFPassword = mask.Secret(e.FileKey), decs.MaskSecrets(e.PDFPassword)
	return plainNotificationExt(e)
}

// Format prints ext with fileKey and PDF passwords masked.
func (e NotificationExt) Format(f fmt.State, verb rune) { decs.FormatMasked(f, verb, e.masked()) }

// LogValue masks the secrets.
func (e NotificationExt) LogValue() slog.Value { return slog.AnyValue(e.masked()) }

type plainNotificationData NotificationData

func (d NotificationData) masked() plainNotificationData {
	d.FileURLList = decs.MaskURLs(d.FileURLList)
	d.Ext = NotificationExt(d.Ext.masked()) // for slog's JSON handler, which ignores Format
	return plainNotificationData(d)
}

// Format prints data with the file URLs and ext's secrets masked.
func (d NotificationData) Format(f fmt.State, verb rune) { decs.FormatMasked(f, verb, d.masked()) }

// LogValue masks URLs and secrets.
func (d NotificationData) LogValue() slog.Value { return slog.AnyValue(d.masked()) }

type plainNotification Notification

func (n Notification) masked() plainNotification {
	n.Raw = nil // the raw body carries the fileKey and URLs
	n.Data = NotificationData(n.Data.masked())
	return plainNotification(n)
}

// Format prints the notification without its raw body, data masked.
func (n Notification) Format(f fmt.State, verb rune) { decs.FormatMasked(f, verb, n.masked()) }

// LogValue masks URLs and secrets.
func (n Notification) LogValue() slog.Value { return slog.AnyValue(n.masked()) }
