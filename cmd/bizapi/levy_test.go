package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

type levyVectors struct {
	Requests []struct {
		Secret, Req, Sign string
	}
	Response struct {
		Secret  string
		Body    string
		APISign string `json:"api_sign"`
	}
}

func loadLevy(t *testing.T) (levyVectors, map[string]string) {
	var v levyVectors
	vec(t, "levy_hmac.json", &v)
	return v, map[string]string{"LEVY_SECRET": v.Requests[0].Secret}
}

// personalOf lists the personal values of a levy request's data.
func personalOf(t *testing.T, req string) []string {
	var m struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal([]byte(req), &m); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range []string{"id_card", "name", "cellphone", "bankcard_no"} {
		if s, ok := m.Data[k].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestLevySignVectors(t *testing.T) {
	v, env := loadLevy(t)
	for i, rq := range v.Requests {
		r := bz(t, env, []byte(rq.Req+"\n"), "levy", "sign", "--secret-env", "LEVY_SECRET")
		wantCode(t, r, exitOK)
		wantLine(t, r, "sign", rq.Sign)
		wantAbsent(t, r, append(personalOf(t, rq.Req), rq.Secret)...)
		checkGolden(t, fmt.Sprintf("levy_sign_%d", i), r)

		r = bz(t, env, []byte(rq.Req), "levy", "sign", "--secret-env", "LEVY_SECRET", "--reveal")
		wantLine(t, r, "req", rq.Req)
		wantLine(t, r, "form", url.Values{"req": {rq.Req}, "sign": {rq.Sign}}.Encode())
	}
}

// TestLevySignData builds the envelope from the data object alone.
func TestLevySignData(t *testing.T) {
	v, env := loadLevy(t)
	for _, rq := range v.Requests {
		var e struct {
			Name      string          `json:"name"`
			ClientKey string          `json:"client_key"`
			Timestamp string          `json:"timestamp"`
			Data      json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal([]byte(rq.Req), &e); err != nil {
			t.Fatal(err)
		}
		var spaced bytes.Buffer
		_ = json.Indent(&spaced, e.Data, "", "  ") // as a person would write the file
		r := bz(t, env, spaced.Bytes(), "levy", "sign", "--secret-env", "LEVY_SECRET",
			"--name", e.Name, "--client", e.ClientKey, "--timestamp", e.Timestamp)
		wantCode(t, r, exitOK)
		wantLine(t, r, "sign", rq.Sign)
	}
	r := bz(t, env, []byte(`{"a":1}`), "levy", "sign", "--secret-env", "LEVY_SECRET")
	wantCode(t, r, exitUsage)
}

func TestLevyVerifyVectors(t *testing.T) {
	v, env := loadLevy(t)
	secretFile := tmp(t, "secret", []byte(v.Response.Secret+"\n"))

	r := bz(t, env, []byte(v.Response.Body), "levy", "verify", "--secret-file", secretFile, "--api-sign", v.Response.APISign)
	wantCode(t, r, exitOK)
	checkGolden(t, "levy_verify_answer", r)

	capture := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Sign: " + v.Response.APISign + "\r\n\r\n" + v.Response.Body
	r = bz(t, env, []byte(capture), "levy", "verify", "--secret-env", "LEVY_SECRET")
	wantCode(t, r, exitOK)
	// As curl -i saves an HTTP/2 answer (lowercase header names).
	capture = "HTTP/2 200 \r\ncontent-type: application/json\r\napi-sign: " + v.Response.APISign + "\r\n\r\n" + v.Response.Body
	r = bz(t, env, []byte(capture), "levy", "verify", "--secret-env", "LEVY_SECRET")
	wantCode(t, r, exitOK)

	for i, rq := range v.Requests {
		form := url.Values{"req": {rq.Req}, "sign": {rq.Sign}}.Encode()
		r := bz(t, env, []byte(form+"\n"), "levy", "verify", "--secret-env", "LEVY_SECRET")
		wantCode(t, r, exitOK)
		wantAbsent(t, r, append(personalOf(t, rq.Req), rq.Secret)...)
		if i == 0 {
			checkGolden(t, "levy_verify_notice", r)
		}
		post := "POST /notify HTTP/1.1\r\nHost: m.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
			fmt.Sprint(len(form)) + "\r\n\r\n" + form
		wantCode(t, bz(t, env, []byte(post), "levy", "verify", "--secret-env", "LEVY_SECRET"), exitOK)
		j, _ := json.Marshal(map[string]string{"req": rq.Req, "sign": rq.Sign})
		wantCode(t, bz(t, env, j, "levy", "verify", "--secret-env", "LEVY_SECRET"), exitOK)
	}
}

// TestLevyCauseReencoded: the provider's answer is Python-style spaced JSON;
// a framework that re-serialises it compactly breaks the signature, and the
// tool says so.
func TestLevyCauseReencoded(t *testing.T) {
	v, env := loadLevy(t)
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(v.Response.Body)); err != nil {
		t.Fatal(err)
	}
	r := bz(t, env, compact.Bytes(), "levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", v.Response.APISign)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "likely cause:", "the body was re-encoded", `written spaced (", " and ": ")`, "the body checked is written compact",
		"fields in order:  name, code, message, data, data.request_id, data.status", "HMAC-SHA256", "key tried:")
	checkGolden(t, "levy_cause_reencoded", r)

	// Go's json.Marshal of a decoded map: compact and sorted.
	var m map[string]any
	_ = json.Unmarshal([]byte(v.Response.Body), &m)
	sorted, _ := json.Marshal(m)
	r = bz(t, env, sorted, "levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", v.Response.APISign)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "field order: the body checked has its keys sorted at every level")

	// A trailing newline added when the body was saved.
	r = bz(t, env, []byte(v.Response.Body+"\n"), "levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", v.Response.APISign)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "white space (a line ending)")
}

// TestLevyCausePlus: the Api-Sign went through a URL decoder (a log
// pipeline, a proxy that put it in a query string) and lost its '+'.
func TestLevyCausePlus(t *testing.T) {
	v, env := loadLevy(t)
	if !strings.Contains(v.Response.APISign, "+") {
		t.Fatal("vector has no '+'")
	}
	damaged, _ := url.QueryUnescape(v.Response.APISign)
	r := bz(t, env, []byte(v.Response.Body), "levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", damaged)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "URL-decoding damage: the signature has spaces where '+' was")
	checkGolden(t, "levy_cause_plus", r)
}

// TestLevyWrongSecret: no cause is claimed when none is recognised, and the
// secret tried is named by fingerprint only.
func TestLevyWrongSecret(t *testing.T) {
	v, _ := loadLevy(t)
	env := map[string]string{"LEVY_SECRET": "not-the-secret"}
	r := bz(t, env, []byte(v.Response.Body), "levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", v.Response.APISign)
	wantCode(t, r, exitFailed)
	wantContains(t, r, "none recognised", "sha256 ")
	wantAbsent(t, r, "not-the-secret")
}

// TestLevyCauseHex: a sender that wrote the HMAC in hex.
func TestLevyCauseHex(t *testing.T) {
	v, env := loadLevy(t)
	raw, _ := base64.StdEncoding.DecodeString(v.Response.APISign)
	r := bz(t, env, []byte(v.Response.Body), "levy", "verify", "--secret-env", "LEVY_SECRET", "--api-sign", hex.EncodeToString(raw))
	wantCode(t, r, exitFailed)
	wantContains(t, r, "the signature is hex, not base64")
}
