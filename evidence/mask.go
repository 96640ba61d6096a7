package evidence

import (
	"fmt"
	"log/slog"

	"github.com/bizapi-cn/go-sdk/evidence/internal/decs"
	"github.com/bizapi-cn/go-sdk/internal/mask"
)

// Masking: every request and answer that carries personal data (idNo,
// userName, openId) or a secret (fileKey, PDF passwords, presigned URLs,
// the entry link) prints a masked copy through fmt (%v, %+v, %s, as a
// value or a pointer) and slog. The plain* types are the same structs
// without methods, so printing the masked copy does not recurse.
// RemoteFile and the notification types mask themselves in package
// notify.

type plainStartAcquisitionRequest StartAcquisitionRequest

func (r StartAcquisitionRequest) masked() plainStartAcquisitionRequest {
	r.OpenID, r.IDNo, r.UserName = mask.Middle(r.OpenID, 2, 2), mask.IDCard(r.IDNo), mask.Name(r.UserName)
	r.Ext = nil // host-supplied: may carry anything
	return plainStartAcquisitionRequest(r)
}

// Format prints the request with openId, idNo and userName masked.
func (r StartAcquisitionRequest) Format(f fmt.State, verb rune) {
	decs.FormatMasked(f, verb, r.masked())
}

// LogValue masks personal data.
func (r StartAcquisitionRequest) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainStartAcquisitionResponse StartAcquisitionResponse

func (r StartAcquisitionResponse) masked() plainStartAcquisitionResponse {
	r.RedirectURL = decs.MaskURL(r.RedirectURL)
	return plainStartAcquisitionResponse(r)
}

// Format prints the answer with the entry link masked (it opens the
// user's session).
func (r StartAcquisitionResponse) Format(f fmt.State, verb rune) {
	decs.FormatMasked(f, verb, r.masked())
}

// LogValue masks the entry link.
func (r StartAcquisitionResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainGetOriginalFilesResponse GetOriginalFilesResponse

func (r GetOriginalFilesResponse) masked() plainGetOriginalFilesResponse {
	r.FileURLs, r.FileKey, r.PDFPasswords = decs.MaskURLs(r.FileURLs), mask.Secret(r.FileKey), decs.MaskSecrets(r.PDFPasswords)
	return plainGetOriginalFilesResponse(r)
}

// Format prints the answer with URLs, fileKey and PDF passwords masked.
func (r GetOriginalFilesResponse) Format(f fmt.State, verb rune) {
	decs.FormatMasked(f, verb, r.masked())
}

// LogValue masks URLs and secrets.
func (r GetOriginalFilesResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainGetParseResultResponse GetParseResultResponse

func (r GetParseResultResponse) masked() plainGetParseResultResponse {
	r.JSONFileURLs, r.FileKey = decs.MaskURLs(r.JSONFileURLs), mask.Secret(r.FileKey)
	return plainGetParseResultResponse(r)
}

// Format prints the answer with URLs and fileKey masked.
func (r GetParseResultResponse) Format(f fmt.State, verb rune) {
	decs.FormatMasked(f, verb, r.masked())
}

// LogValue masks URLs and secrets.
func (r GetParseResultResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainGetReconFileResponse GetReconFileResponse

func (r GetReconFileResponse) masked() plainGetReconFileResponse {
	r.FileURL = decs.MaskURL(r.FileURL)
	return plainGetReconFileResponse(r)
}

// Format prints the answer with the URL masked.
func (r GetReconFileResponse) Format(f fmt.State, verb rune) { decs.FormatMasked(f, verb, r.masked()) }

// LogValue masks the URL.
func (r GetReconFileResponse) LogValue() slog.Value { return slog.AnyValue(r.masked()) }

type plainUploadUserProtocolRequest UploadUserProtocolRequest

func (r UploadUserProtocolRequest) masked() plainUploadUserProtocolRequest {
	r.IDNo = mask.IDCard(r.IDNo)
	return plainUploadUserProtocolRequest(r)
}

// Format prints the request with idNo masked.
func (r UploadUserProtocolRequest) Format(f fmt.State, verb rune) {
	decs.FormatMasked(f, verb, r.masked())
}

// LogValue masks idNo.
func (r UploadUserProtocolRequest) LogValue() slog.Value { return slog.AnyValue(r.masked()) }
