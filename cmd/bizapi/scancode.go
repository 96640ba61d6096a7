package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/bizapi-cn/go-sdk/internal/diag"
	"github.com/bizapi-cn/go-sdk/internal/gm"
)

// scancodeCallback is what a captured callback holds.
type scancodeCallback struct {
	typ, platform   string
	encrypt, desKey string
}

func parseScancode(raw []byte) (scancodeCallback, error) {
	var c scancodeCallback
	if req, err := readRequest(raw); err == nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return c, usagef("captured request body: %v", err)
		}
		raw = body
	}
	t := bytes.TrimSpace(raw)
	var data []byte
	if bytes.HasPrefix(t, []byte("{")) {
		var r struct {
			Type         string          `json:"type"`
			PlatformCode string          `json:"platformCode"`
			Data         json.RawMessage `json:"data"`
			Encrypt      string          `json:"encrypt"`
		}
		if err := json.Unmarshal(t, &r); err != nil {
			return c, usagef("callback JSON: %v", err)
		}
		c.typ, c.platform, data = r.Type, r.PlatformCode, r.Data
		if r.Encrypt != "" && len(data) == 0 {
			data = t // the bare data envelope
		}
		if len(data) > 0 && data[0] == '"' {
			var s string
			if err := json.Unmarshal(data, &s); err != nil {
				return c, usagef("data: %v", err)
			}
			data = []byte(s)
		}
	} else {
		v, err := url.ParseQuery(string(t))
		if err != nil {
			return c, usagef("the callback is neither JSON nor a form: %v", err)
		}
		c.typ, c.platform, data = v.Get("type"), v.Get("platformCode"), []byte(v.Get("data"))
	}
	if len(data) == 0 {
		return c, usagef("the callback has no data")
	}
	var env struct {
		Encrypt string `json:"encrypt"`
		DesKey  string `json:"desKey"`
	}
	if err := json.Unmarshal(data, &env); err != nil || env.Encrypt == "" {
		return c, usagef(`data is not {"encrypt":..., "desKey":...}`)
	}
	c.encrypt, c.desKey = env.Encrypt, env.DesKey
	return c, nil
}

func b64Fix(s string) ([]byte, bool, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return b, false, nil
	}
	if fixed, changed := plusFix(s); changed {
		if b, err := base64.StdEncoding.DecodeString(fixed); err == nil {
			return b, true, nil
		}
	}
	return nil, false, err
}

func scancodeDecrypt(fs *flag.FlagSet) func(*env, []string) error {
	in := inputFlag(fs, "the captured callback: form (type=...&data=...&platformCode=...), JSON, or an HTTP request")
	key := keyFlags(fs, "key", "the platform's SM2 private key (unwraps desKey)")
	sm4Key := secretFlags(fs, "sm4-key", "a pre-shared SM4 key (32 hex characters or base64), when the callback carries no desKey")
	mode := fs.String("mode", "auto", "SM4 mode of encrypt: auto (ECB, then CBC when --iv-hex is given), ecb or cbc")
	ivHex := fs.String("iv-hex", "", "the SM4-CBC IV, hex")
	reveal := fs.Bool("reveal", false, "show personal data and the SM4 key in full")
	return func(e *env, _ []string) error {
		raw, err := in.read(e)
		if err != nil {
			return err
		}
		c, err := parseScancode(raw)
		if err != nil {
			return err
		}
		o := out{e.stdout}
		o.line("type", "%s", c.typ)
		if c.platform != "" {
			o.line("platformCode", "%s", c.platform)
		}
		d := &diag.Report{}
		ct, damaged, err := b64Fix(c.encrypt)
		if err != nil {
			return failf("encrypt is not base64")
		}
		if damaged {
			o.text("note: URL-decoding damage: encrypt had spaces where '+' was; they were turned back into '+'")
		}
		var symKey []byte
		switch {
		case c.desKey != "":
			if !key.given() {
				return usagef("the callback carries a desKey: give --key-file or --key-env with the SM2 private key")
			}
			kb, err := key.read(e)
			if err != nil {
				return err
			}
			priv, err := gm.ParseSM2PrivateKey(kb)
			if err != nil {
				return usagef("--key (%s): %v", key.label(), err)
			}
			fp := fingerprint(&priv.PublicKey)
			wrapped, damaged, err := b64Fix(c.desKey)
			if err != nil {
				return failf("desKey is not base64")
			}
			if damaged {
				o.text("note: URL-decoding damage: desKey had spaces where '+' was; they were turned back into '+'")
			}
			o.line("key", "SM2 private key, public half %s", fp)
			for _, enc := range []gm.SM2Encoding{gm.SM2C1C3C2, gm.SM2C1C2C3, gm.SM2ASN1} {
				k, err := gm.SM2Decrypt(priv, wrapped, enc)
				if err != nil {
					o.line("desKey "+enc.String(), "no (%v)", err)
					d.Try("desKey as " + enc.String())
					continue
				}
				o.line("desKey "+enc.String(), "yes: SM3 check passed")
				symKey = k
				break
			}
			if symKey == nil {
				d.Algorithm = "SM2 decryption of desKey (C1C3C2, C1C2C3, ASN.1), SM3 check"
				d.Keys = []string{"SM2 private key, public half " + fp}
				d.Cause(diag.CauseKey, "desKey was not encrypted to this key in any of the three encodings: the platform encrypts it to the SM2 public key registered for you; compare fingerprints (bizapi keys inspect), or desKey was altered")
				o.line("result", "FAILED: desKey does not decrypt")
				printReport(o, d)
				return failf("desKey does not decrypt")
			}
		case sm4Key.given():
			kb, err := sm4Key.get(e)
			if err != nil {
				return err
			}
			s := strings.TrimSpace(string(kb))
			if symKey, err = hex.DecodeString(s); err != nil {
				if symKey, err = base64.StdEncoding.DecodeString(s); err != nil {
					return usagef("the SM4 key is neither hex nor base64")
				}
			}
			o.line("key", "pre-shared SM4 key")
		default:
			return usagef("the callback carries no desKey: give the pre-shared key with --sm4-key-env or --sm4-key-file")
		}
		o.line("SM4 key", "%s", secretPrint(symKey, *reveal, true))
		if *reveal {
			o.line("SM4 key hex", "%s", hex.EncodeToString(symKey))
		}
		var iv []byte
		if *ivHex != "" {
			if iv, err = hex.DecodeString(*ivHex); err != nil || len(iv) != 16 {
				return usagef("--iv-hex is 32 hex characters")
			}
		}
		var modes []string
		switch *mode {
		case "auto":
			modes = []string{"ecb"}
			if iv != nil {
				modes = append(modes, "cbc")
			}
		case "ecb", "cbc":
			modes = []string{*mode}
			if *mode == "cbc" && iv == nil {
				return usagef("--mode cbc needs --iv-hex")
			}
		default:
			return usagef("--mode is auto, ecb or cbc")
		}
		var payload []byte
		for _, m := range modes {
			var pt []byte
			var err error
			if m == "ecb" {
				pt, err = gm.SM4ECBDecrypt(symKey, ct)
			} else {
				pt, err = gm.SM4CBCDecrypt(symKey, iv, ct)
			}
			if err == nil && json.Valid(pt) {
				o.line("encrypt", "SM4-%s, PKCS#7: yes", strings.ToUpper(m))
				payload = pt
				break
			}
			o.line("encrypt", "SM4-%s, PKCS#7: no", strings.ToUpper(m))
			d.Try("encrypt as SM4-" + strings.ToUpper(m))
		}
		if payload == nil {
			d.Algorithm = "SM4 (" + strings.Join(modes, ", ") + "), PKCS#7, of base64 encrypt"
			d.Keys = []string{"SM4 key " + secretPrint(symKey, false, false)}
			switch {
			case len(ct)%16 != 0:
				d.Cause(diag.CauseTruncated, fmt.Sprintf("encrypt is %d bytes, not a multiple of 16: truncated or not SM4", len(ct)))
			case c.desKey != "" && iv == nil:
				d.Cause(diag.CauseEncoding, "the SM4 key from desKey is right (its SM3 check passed), so the data's mode differs: try --mode cbc --iv-hex")
			case c.desKey != "":
				d.Cause(diag.CauseEncoding, "the SM4 key from desKey is right (its SM3 check passed), but neither mode gives JSON: the IV or the mode differs")
			default:
				d.Cause(diag.CauseKey, "the pre-shared SM4 key is not the one the platform used, or the mode differs")
			}
			o.line("result", "FAILED: encrypt does not decrypt")
			printReport(o, d)
			return failf("encrypt does not decrypt")
		}
		o.line("payload", "%s", maskJSON(payload, *reveal))
		if n, err := diag.ParseJSON(payload); err == nil {
			o.line("fields", "%s", strings.Join(n.FieldOrder("", nil), ", "))
			tid := n.Member("tId")
			if tid == nil {
				tid = n.Member("TId")
			}
			if tid != nil && c.platform != "" && !strings.HasPrefix(tid.Str(), c.platform) {
				o.text("note: tId %s does not start with platformCode %s", tid.Str(), c.platform)
			}
		}
		o.line("result", "OK: decrypted")
		return nil
	}
}
