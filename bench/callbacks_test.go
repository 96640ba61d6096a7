package bench

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/bizapi-cn/go-sdk/allinpay"
	"github.com/bizapi-cn/go-sdk/evidence"
	"github.com/bizapi-cn/go-sdk/internal/gm"
	"github.com/bizapi-cn/go-sdk/internal/testvectors"
	"github.com/bizapi-cn/go-sdk/levy"
	"github.com/bizapi-cn/go-sdk/scancode"
)

// The callback floors are the bare crypto a module's verification cannot
// avoid: the SDK's verify + decode of one notification is held to ≤ 1.2x.

// levyNotice is a CREATE_ORDER_V2 result notice's req JSON.
var levyNotice = []byte(`{"name":"CREATE_ORDER_V2","client_key":"dawjoj12d123faiw","timestamp":"2022-06-30T09:00:00.123","data":{"request_id":"R1","status":"PROCESS","remit_order_list":[{"remit_order_id":"RO1","status":"ACCEPT","amount":"1234.50"}],"fail_reason":""}}`)

func BenchmarkCallbackLevy(b *testing.B) {
	sig := hmacB64([]byte(levySecret), levyNotice)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(sha256.New, []byte(levySecret))
			m.Write(levyNotice)
			got := base64.StdEncoding.EncodeToString(m.Sum(nil))
			if !hmac.Equal([]byte(got), []byte(sig)) {
				b.Fatal("bad sign")
			}
		}
	})
	v, err := levy.NewNotificationVerifier(levy.WithCredentials("k", levySecret))
	if err != nil {
		b.Fatal(err)
	}
	hdr := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	body := []byte(url.Values{"req": {string(levyNotice)}, "sign": {sig}}.Encode())
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if n, err := levy.ParseNotification(ctx, v, hdr, body); err != nil || n.Data == nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCallbackAllinpay(b *testing.B) {
	k := loadAllinpayKeys(b)
	fields := map[string]string{
		"outTransNo": "20180626171856517", "transAmount": "100", "currency": "HKD", "resultCode": "0000",
		"transNo": "T900001", "bankTradeNo": "4200000001", "payTime": "20180626172001", "bankUserId": "u1",
		"mchNo": "6666666600003", "transType": "ALIPAY_SCANCODE", "signType": "RSA2",
		"requestNo": "N20180626172001", "version": "V1.0", "accessCode": "20000000",
	}
	canon := []byte(canonicalFields(fields))
	sig, _ := base64.StdEncoding.DecodeString(rsaSignB64(k.platform, string(canon)))
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sum := sha256.Sum256(canon)
			if err := rsa.VerifyPKCS1v15(k.platformPub, crypto.SHA256, sum[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	mp, _ := testvectors.Read("keys/merchant_rsa_private_pkcs1.pem")
	pp, _ := testvectors.Read("keys/platform_rsa_public.pem")
	_ = mp
	v, err := allinpay.NewNotificationVerifier(allinpay.WithMerchant("20000000", "6666666600003"), allinpay.WithPlatformPublicKeys(pp))
	if err != nil {
		b.Fatal(err)
	}
	form := url.Values{"signature": {base64.StdEncoding.EncodeToString(sig)}}
	for k, v := range fields {
		form.Set(k, v)
	}
	body := []byte(form.Encode())
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := allinpay.ParseNotification(ctx, v, nil, body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// decsNotice is a daFileParsed notification body, already in sorted form.
var decsNotice = []byte(`{"auth":{"nonce":"n0nce0000000000000000000000000001"},"data":{"authorizedTs":1700000000000,"bizAppId":"IDAkEBvb","bizNo":"B1","daId":"DA1","daStatus":10,"ext":{"daSubStatus":"","fileKey":"MDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkNERUY="},"fileUrlList":["https://cos.example.com/f1.pdf"],"jsonResult":10,"site":"tax"},"func":"daFileParsed","v":"2.0.0"}`)

func BenchmarkCallbackEvidence(b *testing.B) {
	k := loadAllinpayKeys(b) // any RSA pair stands in for the operator's key
	m := hmac.New(sha256.New, []byte(decsAppKey))
	m.Write(decsNotice)
	m.Write([]byte(decsAppKey))
	hash := []byte(hex.EncodeToString(m.Sum(nil)))
	for i, c := range hash {
		if c >= 'a' {
			hash[i] = c - 'a' + 'A'
		}
	}
	sum := sha256.Sum256(hash)
	sig, _ := rsa.SignPKCS1v15(nil, k.platform, crypto.SHA256, sum[:])
	floor := func() error {
		m := hmac.New(sha256.New, []byte(decsAppKey))
		m.Write(decsNotice)
		m.Write([]byte(decsAppKey))
		var hx [64]byte
		hex.Encode(hx[:], m.Sum(nil))
		for i, c := range hx {
			if c >= 'a' {
				hx[i] = c - 'a' + 'A'
			}
		}
		if !hmac.Equal(hx[:], hash) {
			return errors.New("bad hash")
		}
		s := sha256.Sum256(hx[:])
		return rsa.VerifyPKCS1v15(k.platformPub, crypto.SHA256, s[:], sig)
	}
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := floor(); err != nil {
				b.Fatal(err)
			}
		}
	})
	v, err := newEvidenceClient(b).NotificationVerifier()
	if err != nil {
		b.Fatal(err)
	}
	sigB64 := base64.StdEncoding.EncodeToString(sig)
	hdr := http.Header{"Decshash": {string(hash)}, "Decssign": {sigB64}}
	ctx := context.Background()
	sdk := func() error {
		n, err := evidence.ParseNotification(ctx, v, hdr, decsNotice)
		if err == nil && n.Data.DaStatus != 10 {
			err = fmt.Errorf("daStatus %d", n.Data.DaStatus)
		}
		return err
	}
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := sdk(); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The two alternately (see runPairedCalls): the ratio to read.
	b.Run("paired", func(b *testing.B) { runPairedCalls(b, floor, sdk) })
}

func BenchmarkCallbackScancode(b *testing.B) {
	var v testvectors.Scancode
	if err := testvectors.Load("scancode_sm2_sm4.json", &v); err != nil {
		b.Fatal(err)
	}
	priv, err := gm.ParseSM2PrivateKey([]byte(v.SM2PrivateHex))
	if err != nil {
		b.Fatal(err)
	}
	desKey, _ := base64.StdEncoding.DecodeString(v.DesKey.C1C3C2B64)
	var enc []byte
	for _, m := range v.Messages {
		if m.Type == "02" {
			enc, _ = base64.StdEncoding.DecodeString(m.EncryptB64)
		}
	}
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			key, err := gm.SM2Decrypt(priv, desKey, gm.SM2C1C3C2)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := gm.SM4ECBDecrypt(key, enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	d, err := scancode.NewDecrypter(scancode.DecrypterConfig{SM2PrivateKey: []byte(v.SM2PrivateHex), SM2Encoding: scancode.SM2EncodingC1C3C2})
	if err != nil {
		b.Fatal(err)
	}
	data := `{"encrypt":"` + base64.StdEncoding.EncodeToString(enc) + `","desKey":"` + v.DesKey.C1C3C2B64 + `"}`
	body := []byte(url.Values{"type": {"02"}, "data": {data}, "platformCode": {"A3401314520"}}.Encode()) // the 02 vector tId's first 11 characters
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := scancode.ParseCallback(ctx, d, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body); err != nil {
				b.Fatal(err)
			}
		}
	})
}
