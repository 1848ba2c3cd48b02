package cloudfront

import (
	"testing"

	"github.com/openfront/openfront/internal/originaddr"
)

// A control plane with an origin policy (openfront api) refuses, at create
// time, custom origins that no edge under the same policy could reach.
func TestValidateOriginPolicy(t *testing.T) {
	multiTenant := &originaddr.Policy{}
	quickStart := &originaddr.Policy{AllowPrivate: true}
	cases := []struct {
		domain string
		policy *originaddr.Policy
		want   Code
	}{
		{"origin.example.com", multiTenant, ""},
		{"93.184.215.14", multiTenant, ""},
		{"127.0.0.1", multiTenant, InvalidArgument},
		{"10.0.0.7", multiTenant, InvalidArgument},
		{"localhost", multiTenant, InvalidArgument},
		{"app.localhost", multiTenant, InvalidArgument},
		{"169.254.169.254", multiTenant, InvalidArgument},
		{"127.0.0.1", quickStart, ""},
		{"localhost", quickStart, ""},
		{"169.254.169.254", quickStart, InvalidArgument},
		{"127.0.0.1", nil, ""},
		{"169.254.169.254", nil, ""},
	}
	for _, tc := range cases {
		c := seedDistributionConfig()
		c.Origins = append(c.Origins, testCustomOrigin("policy-origin"))
		c.Origins[len(c.Origins)-1].DomainName = tc.domain
		r := DefaultRules()
		r.Origins = tc.policy
		if got := validationCode(t, r.ValidateDistributionConfig(c)); got != tc.want {
			t.Errorf("%s with %+v: code %q, want %q", tc.domain, tc.policy, got, tc.want)
		}
	}
}
