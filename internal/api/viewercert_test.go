package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/certs/certstest"
	"github.com/openfront/openfront/internal/controlplane"
)

// TestViewerCertificateChecks: a distribution's ACMCertificateArn must
// name a certificate of the caller's account that covers every CNAME, else
// CloudFront's InvalidViewerCertificate (400), with its messages.
func TestViewerCertificateChecks(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	mine, mineKey := certstest.Pair(t, "mine", "www.example.com", "*.img.example.com", "*.wild.example.com")
	c, err := e.svc.ImportCertificate(ctx, e.account.ID, mine, mineKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := e.svc.CreateAccount(ctx, "", "other")
	if err != nil {
		t.Fatal(err)
	}
	theirs, theirsKey := certstest.Pair(t, "theirs", "www.example.com")
	tc, err := e.svc.ImportCertificate(ctx, other.ID, theirs, theirsKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	vc := func(inner string) string {
		return "<ViewerCertificate>" + inner + "<SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>"
	}
	acm := func(arn string) string { return vc("<ACMCertificateArn>" + arn + "</ACMCertificateArn>") }
	for i, tt := range []struct {
		name    string
		aliases []string
		cert    string
		code    string // "" is created
		message string
	}{
		{"own certificate covering the CNAMEs", []string{"www.example.com", "a.img.example.com"}, acm(c.ARN), "", ""},
		{"own certificate, wildcard CNAME with the same wildcard", []string{"*.wild.example.com"}, acm(c.ARN), "", ""},
		{"no CNAMEs", nil, acm(c.ARN), "", ""},
		{"CNAME not covered", []string{"shop.example.com"}, acm(c.ARN), "InvalidViewerCertificate", "you must attach a trusted certificate"},
		{"wildcard CNAME above the certificate's wildcard", []string{"*.example.com"}, acm(c.ARN), "InvalidViewerCertificate", "you must attach a trusted certificate"},
		{"two labels under a wildcard", []string{"a.b.img.example.com"}, acm(c.ARN), "InvalidViewerCertificate", "you must attach a trusted certificate"},
		{"another account's certificate", nil, acm(tc.ARN), "InvalidViewerCertificate", "doesn't exist, isn't in us-east-1"},
		{"unknown certificate", nil, acm(strings.Replace(c.ARN, "certificate/", "certificate/0", 1)), "InvalidViewerCertificate", "doesn't exist"},
		{"another region", nil, acm(strings.Replace(c.ARN, "us-east-1", "eu-west-1", 1)), "InvalidViewerCertificate", ""},
		// CloudFront: "The specified MinimumProtocolVersion cannot be used
		// with the specified SSLSupportMethod".
		{"SSLv3 with sni-only", nil, "<ViewerCertificate><ACMCertificateArn>" + c.ARN + "</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod><MinimumProtocolVersion>SSLv3</MinimumProtocolVersion></ViewerCertificate>", "InvalidMinimumProtocolVersion", "cannot be used with the specified SSLSupportMethod"},
		{"TLSv1.2_2021 with vip", nil, "<ViewerCertificate><ACMCertificateArn>" + c.ARN + "</ACMCertificateArn><SSLSupportMethod>vip</SSLSupportMethod><MinimumProtocolVersion>TLSv1.2_2021</MinimumProtocolVersion></ViewerCertificate>", "InvalidMinimumProtocolVersion", "cannot be used"},
		{"TLSv1 with vip", nil, "<ViewerCertificate><ACMCertificateArn>" + c.ARN + "</ACMCertificateArn><SSLSupportMethod>vip</SSLSupportMethod><MinimumProtocolVersion>TLSv1</MinimumProtocolVersion></ViewerCertificate>", "", ""},
		{"IAM certificate", nil, vc("<IAMCertificateId>ASCAEXAMPLE</IAMCertificateId>"), "InvalidViewerCertificate", "doesn't exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			aliases := "<Quantity>0</Quantity>"
			if len(tt.aliases) > 0 {
				aliases = "<Quantity>" + string(rune('0'+len(tt.aliases))) + "</Quantity><Items><CNAME>" + strings.Join(tt.aliases, "</CNAME><CNAME>") + "</CNAME></Items>"
			}
			cfg := strings.ReplaceAll(distConfig("ref", "vc-"+string(rune('a'+i)), "aliases", aliases), "2012-07-01", "2020-05-31")
			cfg = strings.Replace(cfg, "</DistributionConfig>", tt.cert+"</DistributionConfig>", 1)
			res := e.do("POST", prefix2020+"/distribution", cfg)
			if tt.code == "" {
				mustStatus(t, res, http.StatusCreated)
				return
			}
			if res.status != http.StatusBadRequest || errorCode(res.body) != tt.code || !strings.Contains(string(res.body), tt.message) {
				t.Fatalf("status %d, body %s; want 400 %s with %q", res.status, res.body, tt.code, tt.message)
			}
		})
	}
	// ACM refuses deleting a certificate in use; one not in use goes.
	if err := e.svc.DeleteCertificate(ctx, c.ARN); err == nil || !strings.Contains(err.Error(), controlplane.ErrCertificateInUse.Error()) {
		t.Errorf("delete in use: %v", err)
	}
	if err := e.svc.DeleteCertificate(ctx, tc.ARN); err != nil {
		t.Errorf("delete unused: %v", err)
	}
}
