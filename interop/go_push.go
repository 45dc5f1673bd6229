// go_push: MDM pushes to an APNs-like server with Go's net/http over
// HTTP/2, for interop/run.sh. Standard library only.
//
//	go run go_push.go URL CA CERT KEY CHECK...
//
// Each CHECK is TOKEN,TOPIC,STATUS,REASON (REASON empty for 200, which
// must carry an apns-id), or "nocert", which expects the handshake to fail
// without a client certificate. It prints one line per check and exits 1 if
// any does not match.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func transport(ca *x509.CertPool, certs []tls.Certificate) *http.Transport {
	return &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: ca, Certificates: certs},
		ForceAttemptHTTP2: true,
		MaxConnsPerHost:   1,
	}
}

func push(client *http.Client, url, token, topic string) (*http.Response, []byte, error) {
	body := `{"mdm":"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"}`
	req, err := http.NewRequest("POST", url+"/3/device/"+token, strings.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("apns-topic", topic)
	req.Header.Set("apns-push-type", "mdm")
	req.Header.Set("apns-priority", "10")
	req.Header.Set("apns-expiration", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func main() {
	if len(os.Args) < 6 {
		fmt.Fprintln(os.Stderr, "usage: go_push URL CA CERT KEY CHECK...")
		os.Exit(2)
	}
	url, caFile, certFile, keyFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		panic(err)
	}
	ca := x509.NewCertPool()
	if !ca.AppendCertsFromPEM(caPEM) {
		panic("no CA in " + caFile)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		panic(err)
	}
	client := &http.Client{Transport: transport(ca, []tls.Certificate{cert}), Timeout: 10 * time.Second}

	failed := 0
	for _, check := range os.Args[5:] {
		if check == "nocert" {
			bare := &http.Client{Transport: transport(ca, nil), Timeout: 10 * time.Second}
			_, _, err := push(bare, url, strings.Repeat("00", 32), "x")
			if err == nil {
				fmt.Println("FAIL go: no client certificate: the server answered")
				failed++
			} else {
				fmt.Printf("ok   go: no client certificate: refused (%v)\n", err)
			}
			continue
		}
		f := strings.SplitN(check, ",", 4)
		if len(f) != 4 {
			fmt.Fprintln(os.Stderr, "bad check", check)
			os.Exit(2)
		}
		token, topic, want, wantReason := f[0], f[1], f[2], f[3]
		resp, body, err := push(client, url, token, topic)
		if err != nil {
			fmt.Printf("FAIL go: %s...: %v\n", token[:8], err)
			failed++
			continue
		}
		var answer struct {
			Reason string `json:"reason"`
		}
		if len(body) > 0 {
			if err := json.Unmarshal(body, &answer); err != nil {
				fmt.Printf("FAIL go: %s...: body %q is not JSON\n", token[:8], body)
				failed++
				continue
			}
		}
		got := fmt.Sprintf("%s %d %s apns-id=%t", resp.Proto, resp.StatusCode, answer.Reason, resp.Header.Get("apns-id") != "")
		ok := resp.ProtoMajor == 2 && strconv.Itoa(resp.StatusCode) == want && answer.Reason == wantReason
		if want == "200" && resp.Header.Get("apns-id") == "" {
			ok = false
		}
		mark := "ok  "
		if !ok {
			mark = "FAIL"
			failed++
		}
		fmt.Printf("%s go: token %s... topic %s: %s (want %s %s)\n", mark, token[:8], topic, got, want, wantReason)
	}
	if failed > 0 {
		os.Exit(1)
	}
}
