package edge

import (
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/openfront/openfront/internal/certs"
	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// TestViewerTLSIncrementalMatchesFull applies random sequences of
// creates, updates and deletes of distributions (CNAMEs that collide,
// wildcards, certificates of the account, of another account or
// missing, unknown policies) and of certificate imports, replacements
// and deletions, and after every revision compares what the edge's
// selector, updated revision by revision, answers for every name with
// what a selector built from that snapshot alone answers.
func TestViewerTLSIncrementalMatchesFull(t *testing.T) {
	const acctA, acctB = "111111111111", "222222222222"
	defC, defK := certstest.Pair(t, "default", "*.cloudfront.test")
	def, err := tls.X509KeyPair(defC, defK)
	if err != nil {
		t.Fatal(err)
	}
	base := &tls.Config{Certificates: []tls.Certificate{def}, MinVersion: tls.VersionTLS12}
	type pem struct{ c, k string }
	var pairs []pem
	for i := range 4 {
		c, k := certstest.Pair(t, fmt.Sprint("cert-", i), "www.example")
		pairs = append(pairs, pem{string(c), string(k)})
	}
	arns := []string{"arn:a1", "arn:a2", "arn:b1", "arn:gone"}
	owner := map[string]string{"arn:a1": acctA, "arn:a2": acctA, "arn:b1": acctB, "arn:gone": acctA}
	names := []string{"www.a.example", "shop.a.example", "*.a.example", "www.b.example", "*.b.example", "x.y.b.example", "shared.example"}
	probes := append(slices.Clone(names), "deep.shop.a.example", "q.b.example", "nobody.example", "", "WWW.A.EXAMPLE.")
	for id := range 12 {
		probes = append(probes, fmt.Sprintf("d%02d.cloudfront.test", id))
	}
	log := slog.New(slog.DiscardHandler)
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			s := &Server{log: log}
			inc := &viewerTLS{sel: certs.NewSelector(base), parsed: map[string]parsedCert{}}
			var snap *feed.Snapshot
			for step := range 150 {
				d := &feed.Delta{From: 0, Revision: int64(step + 1)}
				if snap != nil {
					d.From = snap.Revision
				}
				for range 1 + r.IntN(3) {
					id := r.IntN(12)
					switch r.IntN(10) {
					case 0, 1:
						d.DeletedDistributions = append(d.DeletedDistributions, fmt.Sprintf("E%02d", id))
					case 2:
						arn := arns[r.IntN(len(arns))]
						if r.IntN(3) == 0 {
							d.DeletedCertificates = append(d.DeletedCertificates, arn)
						} else {
							p := pairs[r.IntN(len(pairs))]
							d.Certificates = append(d.Certificates, feed.Certificate{ARN: arn, AccountID: owner[arn], CertificatePEM: p.c, PrivateKeyPEM: p.k})
						}
					default:
						dist := cloudfront.Distribution{ID: fmt.Sprintf("E%02d", id), DomainName: fmt.Sprintf("d%02d.cloudfront.test", id),
							AccountID: []string{acctA, acctB}[r.IntN(2)]}
						for range r.IntN(3) {
							dist.Config.Aliases = append(dist.Config.Aliases, names[r.IntN(len(names))])
						}
						dist.Config.HTTPVersion = []string{"", "http1.1", "http2", "http3", "http2and3"}[r.IntN(5)]
						if r.IntN(3) > 0 {
							dist.Config.ViewerCertificate = &cloudfront.ViewerCertificate{ACMCertificateARN: arns[r.IntN(len(arns))],
								MinimumProtocolVersion: []string{"TLSv1", "TLSv1.2_2021", "TLSv1.3_2025", "bogus"}[r.IntN(4)]}
						}
						d.Distributions = append(d.Distributions, dist)
					}
				}
				next, err := feed.Merge(snap, d)
				if err != nil {
					t.Fatal(err)
				}
				snap = next
				inc.apply(s, snap)
				full := &viewerTLS{sel: certs.NewSelector(base), parsed: map[string]parsedCert{}}
				full.apply(s, snap)
				for _, n := range probes {
					if got, want := describeSelection(inc.sel, n), describeSelection(full.sel, n); got != want {
						t.Fatalf("step %d, %q: incremental %s, full rebuild %s", step, n, got, want)
					}
				}
			}
		})
	}
}

// describeSelection is what a viewer naming name meets: for a TLS 1.3
// and a TLS 1.0 ClientHello, the certificate, versions, suites and ALPN
// list, and whether QUIC handshakes.
func describeSelection(sel *certs.Selector, name string) string {
	out := ""
	for _, v := range []uint16{tls.VersionTLS13, tls.VersionTLS10} {
		c, err := sel.GetConfigForClient(&tls.ClientHelloInfo{ServerName: name, SupportedVersions: []uint16{v}})
		if err != nil {
			out += "error " + err.Error()
			continue
		}
		leaf := sha256.Sum256(c.Certificates[0].Certificate[0])
		out += fmt.Sprintf("[cert %x min %x max %x suites %v alpn %v] ", leaf[:4], c.MinVersion, c.MaxVersion, c.CipherSuites, c.NextProtos)
	}
	_, err := sel.HTTP3Config().GetConfigForClient(&tls.ClientHelloInfo{ServerName: name, SupportedVersions: []uint16{tls.VersionTLS13}})
	return out + fmt.Sprintf("h3 %v", err == nil)
}
