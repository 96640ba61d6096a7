package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/jsonkeys"
	"github.com/bizapi-cn/go-sdk/levy/internal/wire"
)

// Parse verifies and decodes a notification from its request
// headers and raw body (the form req=…&sign=…), for any web framework.
// The signature is checked in constant time over req exactly as received,
// before anything is decoded; a missing or wrong one is a *SignatureError
// (ErrInvalidSignature; with a diagnosis under WithDiagnostics), anything
// else refused is ErrMalformedNotification.
func Parse(ctx context.Context, v *Verifier, h http.Header, body []byte) (*Notification, error) {
	if !v.made() {
		return nil, errors.New("levy: notify.Parse: the verifier was not made by notify.NewVerifier")
	}
	if ct := h.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/x-www-form-urlencoded" {
			return nil, fmt.Errorf("%w: content type %.40q", ErrMalformedNotification, mt)
		}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: body is not a form", ErrMalformedNotification)
	}
	if len(form["req"]) != 1 || len(form["sign"]) != 1 {
		return nil, fmt.Errorf("%w: want exactly one req and one sign", ErrMalformedNotification)
	}
	req := []byte(form.Get("req"))
	sig, err := base64.StdEncoding.DecodeString(form.Get("sign"))
	if err != nil || len(sig) == 0 {
		return nil, &SignatureError{detail: "notification sign is not base64",
			diag: diagnosis(v.diag.Run(ctx, "req (sign)", req, form.Get("sign"), diag.LevyAnswerOrder, body))}
	}
	if err := v.verifier.Verify(ctx, req, sig); err != nil {
		return nil, &SignatureError{detail: "notification",
			diag: diagnosis(v.diag.Run(ctx, "req (sign)", req, form.Get("sign"), diag.LevyAnswerOrder, body))}
	}
	if !utf8.Valid(req) {
		return nil, fmt.Errorf("%w: req is not UTF-8", ErrMalformedNotification)
	}
	var env struct {
		Name    Operation       `json:"name"`
		Code    Code            `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := jsonkeys.Check(req); err != nil && json.Valid(req) {
		return nil, fmt.Errorf("%w: %w", ErrMalformedNotification, jsonkeys.ErrAmbiguous)
	}
	if err := json.Unmarshal(req, &env); err != nil || env.Name == "" {
		return nil, fmt.Errorf("%w: req is not a notification envelope", ErrMalformedNotification)
	}
	sum := sha256.Sum256(req)
	n := &Notification{Operation: env.Name, Code: env.Code, Message: env.Message, Raw: env.Data,
		dedupKey: string(env.Name) + ":" + hex.EncodeToString(sum[:])}
	var data any
	switch env.Name {
	case OperationSyncSign:
		data = new(SignNotification)
	case OperationSignUp:
		data = new(SignUpNotification)
	case OperationCreateOrder:
		data = new(OrderNotification)
	case OperationUploadTaxpayerAgreement:
		data = new(AgreementNotification)
	case OperationUploadIDCardImage:
		data = new(IDCardImageNotification)
	case OperationCloseOrderNotice:
		data = new(CloseOrderNotification)
	}
	if data != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, data); err != nil {
			return nil, fmt.Errorf("%w: %s data does not decode: %s", ErrMalformedNotification, env.Name, wire.SafeJSONError(err))
		}
		n.Data = data
	}
	return n, nil
}
