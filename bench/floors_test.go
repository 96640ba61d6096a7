package bench

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The floors: what a careful engineer writes by hand with net/http and the
// standard library for one exchange, with the same checks the SDK makes
// (signature over the raw bytes, status, provider code). The SDK's overhead
// is its time over these.

// levyFloor performs QUERY_ORDER_V2.
func levyFloor(c *http.Client, base, clientKey, secret, requestID string, now time.Time) (string, error) {
	type envelope struct {
		Name      string `json:"name"`
		ClientKey string `json:"client_key"`
		Timestamp string `json:"timestamp"`
		Data      any    `json:"data"`
	}
	req, err := json.Marshal(envelope{
		Name: "QUERY_ORDER_V2", ClientKey: clientKey,
		Timestamp: now.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02T15:04:05.000"),
		Data:      map[string]string{"request_id": requestID},
	})
	if err != nil {
		return "", err
	}
	form := url.Values{"req": {string(req)}, "sign": {hmacB64([]byte(secret), req)}}
	body, hdr, err := postForm(c, base+"/api/levy/v1", form)
	if err != nil {
		return "", err
	}
	want := hmacB64([]byte(secret), body)
	if !hmac.Equal([]byte(want), []byte(hdr.Get("Api-Sign"))) {
		return "", errors.New("levy floor: bad Api-Sign")
	}
	var resp struct {
		Code string `json:"code"`
		Data struct {
			RequestID string `json:"request_id"`
			Status    string `json:"status"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", err
	}
	if resp.Code != "0" {
		return "", fmt.Errorf("levy floor: code %s", resp.Code)
	}
	return resp.Data.Status, nil
}

// decsFloor performs get-da-status: a fresh nonce (the protocol wants 32
// letters and digits, unique per request: 16 random bytes in hex), sorted
// compact JSON written in key order by hand, DECSHASH, POST, decode.
func decsFloor(c *http.Client, base, appID, appKey, daID string) (int, error) {
	body, hash := decsFloorBody(appID, appKey, daID)
	req, err := http.NewRequest(http.MethodPost, base+"/api/das/get-da-status", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("DECSHASH", hash)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	return decsFloorAnswer(resp)
}

// decsFloorBody is decsFloor's request body with a fresh nonce, and its
// DECSHASH.
func decsFloorBody(appID, appKey, daID string) (body []byte, hash string) {
	var nb [16]byte
	_, _ = rand.Read(nb[:]) // never fails (Go 1.24+)
	nonce := hex.EncodeToString(nb[:])
	body = []byte(`{"arg":{"daId":"` + daID + `"},"auth":{"appId":"` + appID + `","nonce":"` + nonce + `"},"v":"1.0.0"}`)
	m := hmac.New(sha256.New, []byte(appKey))
	m.Write(body)
	m.Write([]byte(appKey))
	return body, strings.ToUpper(hex.EncodeToString(m.Sum(nil)))
}

// decsFloorAnswer reads, closes and decodes decsFloor's answer.
func decsFloorAnswer(resp *http.Response) (int, error) {
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return 0, err
	}
	var out struct {
		ErrorCode int `json:"errorCode"`
		Data      struct {
			DaStatus int `json:"daStatus"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return 0, err
	}
	if out.ErrorCode != 0 {
		return 0, fmt.Errorf("decs floor: errorCode %d", out.ErrorCode)
	}
	return out.Data.DaStatus, nil
}

// allinpayFloor performs TRANS_QUERY: sign the sorted fields, POST the
// form, verify the response over every received field, decode.
func allinpayFloor(c *http.Client, base string, merchant *rsa.PrivateKey, platform *rsa.PublicKey, requestNo, oriOutTransNo string) (string, error) {
	fields := map[string]string{
		"requestNo": requestNo, "version": "V1.0", "accessCode": "20000000", "transType": "TRANS_QUERY",
		"signType": "RSA2", "mchNo": "6666666600003", "oriOutTransNo": oriOutTransNo,
	}
	form := url.Values{}
	for k, v := range fields {
		form.Set(k, v)
	}
	form.Set("signature", rsaSignB64(merchant, canonicalFields(fields)))
	body, _, err := postForm(c, base+"/gateway/pay/consumeTrans", form)
	if err != nil {
		return "", err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return "", err
	}
	got := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		got[k] = s
	}
	sig, err := base64.StdEncoding.DecodeString(got["signature"])
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(canonicalFields(got)))
	if err := rsa.VerifyPKCS1v15(platform, crypto.SHA256, sum[:], sig); err != nil {
		return "", errors.New("allinpay floor: bad signature")
	}
	if got["returnCode"] != "0000" {
		return "", fmt.Errorf("allinpay floor: returnCode %s", got["returnCode"])
	}
	return got["resultCode"], nil
}
