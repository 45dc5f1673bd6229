// go_client: the Go side of interop/bench/run.sh. MDM pushes through one
// net/http Transport (HTTP/2, MaxConnsPerHost 1: one connection), CONCURRENCY
// goroutines at a time, then one line of JSON like the Rust bench example's.
//
//	go run go_client.go URL CA CERT KEY TOKENS TOTAL CONCURRENCY
//	go run go_client.go URL CA CERT KEY TOKENS idle N
//
// The topic is read from the file "topic" beside CERT. The idle form opens N
// Transports (one connection each, one push each) and reports the RSS with
// one and with N open.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const body = `{"mdm":"5D0B0B4D-6A1B-4B8E-9F10-2A3B4C5D6E7F"}`

var dials int64

func newClient(ca *x509.CertPool, cert tls.Certificate) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	t := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: ca, Certificates: []tls.Certificate{cert}},
		ForceAttemptHTTP2: true,
		MaxConnsPerHost:   1,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			atomic.AddInt64(&dials, 1)
			return dialer.DialContext(ctx, network, addr)
		},
	}
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

func push(c *http.Client, url, token, topic string) (bool, error) {
	req, err := http.NewRequest("POST", url+"/3/device/"+token, strings.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("apns-topic", topic)
	req.Header.Set("apns-push-type", "mdm")
	req.Header.Set("apns-priority", "10")
	req.Header.Set("apns-expiration", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == 200 && resp.ProtoMajor == 2, nil
}

func statusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_client:", err)
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) != 8 {
		fmt.Fprintln(os.Stderr, "usage: go_client URL CA CERT KEY TOKENS TOTAL|idle CONCURRENCY|N")
		os.Exit(2)
	}
	url, caFile, certFile, keyFile, tokensFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	caPEM, err := os.ReadFile(caFile)
	must(err)
	ca := x509.NewCertPool()
	ca.AppendCertsFromPEM(caPEM)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	must(err)
	topicB, err := os.ReadFile(filepath.Join(filepath.Dir(certFile), "topic"))
	must(err)
	topic := strings.TrimSpace(string(topicB))
	tb, err := os.ReadFile(tokensFile)
	must(err)
	tokens := strings.Fields(string(tb))

	if os.Args[6] == "idle" {
		n, err := strconv.Atoi(os.Args[7])
		must(err)
		var clients []*http.Client
		var rss []int64
		for i := 0; i < n; i++ {
			c := newClient(ca, cert)
			ok, err := push(c, url, tokens[0], topic)
			must(err)
			if !ok {
				must(fmt.Errorf("idle setup push not delivered"))
			}
			clients = append(clients, c)
			rss = append(rss, statusKB("VmRSS:"))
		}
		per := float64(rss[len(rss)-1]-rss[0]) / float64(max(n, 2)-1)
		fmt.Printf("{\"client\":\"go-net/http\",\"mode\":\"idle\",\"connections\":%d,\"rss_kb_1\":%d,\"rss_kb_n\":%d,\"kb_per_connection\":%.1f}\n",
			len(clients), rss[0], rss[len(rss)-1], per)
		return
	}

	total, err := strconv.Atoi(os.Args[6])
	must(err)
	concurrency, err := strconv.Atoi(os.Args[7])
	must(err)
	client := newClient(ca, cert)
	// One push first, untimed: the connection is open (and its SETTINGS
	// read) before the clock starts, so the goroutines share it rather than
	// racing to dial.
	if ok, err := push(client, url, tokens[0], topic); err != nil || !ok {
		must(fmt.Errorf("warm-up push not delivered (%v)", err))
	}
	var next, delivered, errors int64
	cpu0 := cpuSeconds()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := atomic.AddInt64(&next, 1) - 1
				if i >= int64(total) {
					return
				}
				ok, err := push(client, url, tokens[int(i)%len(tokens)], topic)
				if err != nil {
					atomic.AddInt64(&errors, 1)
				} else if ok {
					atomic.AddInt64(&delivered, 1)
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start).Seconds()
	cpu := cpuSeconds() - cpu0
	fmt.Printf("{\"client\":\"go-net/http\",\"pushes\":%d,\"concurrency\":%d,\"delivered\":%d,\"errors\":%d,\"wall_s\":%.3f,\"pushes_per_s\":%.0f,\"cpu_s\":%.3f,\"cpu_us_per_push\":%.1f,\"peak_rss_kb\":%d,\"connections\":%d}\n",
		total, concurrency, delivered, errors, wall, float64(total)/wall, cpu, cpu*1e6/float64(total), statusKB("VmHWM:"), atomic.LoadInt64(&dials))
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}
