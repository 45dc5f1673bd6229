// Command oracle_go is the Go standard-library chain oracle of the signedCSR
// differential corpus (see ../README.md). It is built and run by
// ../generate.py, once for all cases.
//
// Usage: oracle_go MANIFEST
//
// Each MANIFEST line is tab-separated:
//
//	id  vendor.der  roots.pem  intermediates.pem|-  unix-time
//
// For each line it writes one tab-separated line to standard output:
//
//	id  accept|refuse  chain-length|-  reason
//
// The vendor certificate is verified with Roots = every certificate of
// roots.pem, Intermediates = every parseable certificate of intermediates.pem,
// CurrentTime = unix-time and KeyUsages = [ExtKeyUsageAny]. chain-length is
// the length of the shortest chain Verify returned.
package main

import (
	"bufio"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

func clean(s string) string {
	s = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}

// certs reads every CERTIFICATE block of a PEM file; it returns the parsed
// certificates and how many blocks failed to parse.
func certs(path string) ([]*x509.Certificate, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	var out []*x509.Certificate
	bad := 0
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			bad++
			continue
		}
		out = append(out, c)
	}
	return out, bad, nil
}

func verify(fields []string) (string, string, string) {
	der, err := os.ReadFile(fields[1])
	if err != nil {
		return "refuse", "-", "read: " + err.Error()
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return "refuse", "-", "parse vendor: " + err.Error()
	}
	roots := x509.NewCertPool()
	rc, _, err := certs(fields[2])
	if err != nil {
		return "refuse", "-", "roots: " + err.Error()
	}
	for _, c := range rc {
		roots.AddCert(c)
	}
	inters := x509.NewCertPool()
	skipped := 0
	if fields[3] != "-" {
		ic, bad, err := certs(fields[3])
		if err != nil {
			return "refuse", "-", "intermediates: " + err.Error()
		}
		skipped = bad
		for _, c := range ic {
			inters.AddCert(c)
		}
	}
	unix, err := strconv.ParseInt(fields[4], 10, 64)
	if err != nil {
		return "refuse", "-", "time: " + err.Error()
	}
	chains, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inters,
		CurrentTime:   time.Unix(unix, 0).UTC(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	note := ""
	if skipped > 0 {
		note = fmt.Sprintf(" (%d unparseable intermediates skipped)", skipped)
	}
	if err != nil {
		return "refuse", "-", err.Error() + note
	}
	shortest := 0
	for _, ch := range chains {
		if shortest == 0 || len(ch) < shortest {
			shortest = len(ch)
		}
	}
	return "accept", strconv.Itoa(shortest), "ok" + note
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle_go MANIFEST")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 5 {
			fmt.Fprintf(out, "%s\trefuse\t-\tbad manifest line\n", fields[0])
			continue
		}
		verdict, n, reason := verify(fields)
		fmt.Fprintf(out, "%s\t%s\t%s\t%s\n", fields[0], verdict, n, clean(reason))
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
