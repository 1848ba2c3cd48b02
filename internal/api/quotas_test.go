package api

import (
	"fmt"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// TestQuotasEitherVersion: a quota is the service's, not the API
// version's, so a request through 2012-07-01 and one through 2020-05-31
// meet the same limits: CloudFront's current defaults ("Quotas", General
// quotas on distributions: 100 alternate domain names, 75 cache
// behaviours, 25 origins per distribution), or the operator's.
func TestQuotasEitherVersion(t *testing.T) {
	cases := []struct {
		name   string
		opts   []envOption
		config string
		code   string // "" for 201 Created
	}{
		{"100 CNAMEs", nil, distConfig("aliases", numberedAliases(100)), ""},
		{"101 CNAMEs", nil, distConfig("aliases", numberedAliases(101)), "TooManyDistributionCNAMEs"},
		{"25 origins", nil, distConfig("origins", customOrigins(25), "target", "origin-0"), ""},
		{"26 origins", nil, distConfig("origins", customOrigins(26), "target", "origin-0"), "TooManyOrigins"},
		{"75 cache behaviours", nil, distConfig("origins", customOrigins(1), "target", "origin-0", "behaviors", behaviors(75)), ""},
		{"76 cache behaviours", nil, distConfig("origins", customOrigins(1), "target", "origin-0", "behaviors", behaviors(76)), "TooManyCacheBehaviors"},
		{"operator's 3 CNAMEs", []envOption{withLimits(func(l *cloudfront.Limits) { l.CNAMEsPerDistribution = 3 })},
			distConfig("aliases", numberedAliases(4)), "TooManyDistributionCNAMEs"},
		{"operator's 150 CNAMEs", []envOption{withLimits(func(l *cloudfront.Limits) { l.CNAMEsPerDistribution = 150 })},
			distConfig("aliases", numberedAliases(150)), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, tc.opts...)
			for i, version := range []string{"2012-07-01", "2020-05-31"} {
				body := strings.ReplaceAll(tc.config, "doc/2012-07-01/", "doc/"+version+"/")
				// Each version's distribution needs its own CNAMEs and reference.
				body = strings.ReplaceAll(body, ".example.com</CNAME>", fmt.Sprintf(".v%d.example.com</CNAME>", i))
				body = strings.Replace(body, "<CallerReference>", "<CallerReference>"+version, 1)
				r := e.do("POST", "/"+version+"/distribution", body)
				got := ""
				if r.status != 201 {
					got = errorCode(r.body)
				}
				if got != tc.code || tc.code != "" && r.status != 400 {
					t.Fatalf("%s: status %d code %q, want %q\n%s", version, r.status, got, tc.code, r.body)
				}
			}
		})
	}
}
