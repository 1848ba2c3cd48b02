package edge

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"testing"

	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/feed"
)

// BenchmarkViewerTLSOneChange is an edge's certificate-selector work per
// revision: one distribution of 10,000 (each with a CNAME, one in ten on
// an imported certificate of its account) changes, alternately to and
// from the same two records, as feed.Merge hands them on.
func BenchmarkViewerTLSOneChange(b *testing.B) {
	const n = 10000
	defC, defK := certstest.Pair(b, "default", "*.cloudfront.test")
	def, err := tls.X509KeyPair(defC, defK)
	if err != nil {
		b.Fatal(err)
	}
	full := &feed.Delta{Revision: 1, Full: true}
	for i := range 10 {
		c, k := certstest.Pair(b, fmt.Sprint("cert", i), fmt.Sprintf("*.t%d.example", i))
		full.Certificates = append(full.Certificates, feed.Certificate{ARN: fmt.Sprint("arn:", i), AccountID: fmt.Sprintf("%012d", i),
			CertificatePEM: string(c), PrivateKeyPEM: string(k)})
	}
	for i := range n {
		acct := fmt.Sprintf("%012d", i%10)
		d := cloudfront.Distribution{ID: fmt.Sprintf("E%08d", i), DomainName: fmt.Sprintf("d%08d.cloudfront.test", i), AccountID: acct}
		d.Config.Aliases = []string{fmt.Sprintf("www%d.t%d.example", i, i%10)}
		if i%10 == 0 {
			d.Config.ViewerCertificate = &cloudfront.ViewerCertificate{ACMCertificateARN: fmt.Sprint("arn:", i%10), MinimumProtocolVersion: "TLSv1.2_2021"}
		}
		full.Distributions = append(full.Distributions, d)
	}
	a, err := feed.Merge(nil, full)
	if err != nil {
		b.Fatal(err)
	}
	changed := *a.Distributions[n/2]
	changed.Config.HTTPVersion = "http1.1"
	bb, err := feed.Merge(a, &feed.Delta{From: 1, Revision: 2, Distributions: []cloudfront.Distribution{changed}})
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{log: slog.New(slog.DiscardHandler)}
	s.TLSConfig(&tls.Config{Certificates: []tls.Certificate{def}})
	s.applyViewerTLS(a)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		snap := bb
		if i%2 == 1 {
			snap = a
		}
		s.applyViewerTLS(snap)
	}
}
