// Command oracle_go is the Go crypto/x509 oracle of the differential
// certificate corpus. It uses the standard library only.
//
// Input (file named by the first argument, or stdin): one case per line,
// four or five tab-separated fields
//
//	id  anchors-PEM-path  unix-seconds  base64(leaf bytes)  [carried]
//
// The optional fifth field holds the CA certificates the upload carried beside
// the leaf, each as base64 DER, separated by commas. They are added to the
// Intermediates pool (never to Roots, even when self-signed); one that does not
// parse is skipped.
//
// Output (stdout): one line per case, "id<TAB>accept|refuse<TAB>reason".
//
// A case is accepted when x509.ParseCertificate accepts the leaf bytes and
// leaf.Verify succeeds with the anchors split into Roots (certificates whose
// raw subject equals their raw issuer) and Intermediates (all others), at the
// given instant, for the clientAuth extended key usage.
package main

import (
	"bufio"
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

type anchorSet struct {
	roots, intermediates *x509.CertPool
	err                  error
}

func loadAnchors(path string) *anchorSet {
	data, err := os.ReadFile(path)
	if err != nil {
		return &anchorSet{err: err}
	}
	a := &anchorSet{roots: x509.NewCertPool(), intermediates: x509.NewCertPool()}
	n := 0
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
			a.err = fmt.Errorf("anchor #%d: %v", n, err)
			return a
		}
		if bytes.Equal(c.RawSubject, c.RawIssuer) {
			a.roots.AddCert(c)
		} else {
			a.intermediates.AddCert(c)
		}
		n++
	}
	if n == 0 {
		a.err = errors.New("no certificate in anchors file")
	}
	return a
}

func check(cache map[string]*anchorSet, path, unix, b64, carried string) (verdict, reason string) {
	defer func() {
		if r := recover(); r != nil {
			verdict, reason = "refuse", fmt.Sprintf("panic: %v", r)
		}
	}()
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "refuse", "input: " + err.Error()
	}
	secs, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return "refuse", "input: " + err.Error()
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return "refuse", "parse: " + err.Error()
	}
	a, ok := cache[path]
	if !ok {
		a = loadAnchors(path)
		cache[path] = a
	}
	if a.err != nil {
		return "refuse", "anchors: " + a.err.Error()
	}
	inters := a.intermediates
	skipped := 0
	if carried != "" {
		inters = a.intermediates.Clone()
		for _, s := range strings.Split(carried, ",") {
			der, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return "refuse", "input: " + err.Error()
			}
			c, err := x509.ParseCertificate(der)
			if err != nil {
				skipped++
				continue
			}
			inters.AddCert(c)
		}
	}
	_, err = leaf.Verify(x509.VerifyOptions{
		Roots:         a.roots,
		Intermediates: inters,
		CurrentTime:   time.Unix(secs, 0).UTC(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		if skipped > 0 {
			return "refuse", fmt.Sprintf("verify: %v (%d carried certificate(s) unparseable, skipped)", err, skipped)
		}
		return "refuse", "verify: " + err.Error()
	}
	return "accept", "-"
}

func clean(s string) string {
	s = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func main() {
	var in io.Reader = os.Stdin
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	cache := map[string]*anchorSet{}
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 && len(f) != 5 {
			fmt.Fprintf(os.Stderr, "bad input line: %q\n", line)
			os.Exit(2)
		}
		carried := ""
		if len(f) == 5 {
			carried = f[4]
		}
		verdict, reason := check(cache, f[1], f[2], f[3], carried)
		fmt.Fprintf(w, "%s\t%s\t%s\n", f[0], verdict, clean(reason))
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
