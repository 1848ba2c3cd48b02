package cloudfront

import (
	"strings"
	"testing"
)

// policyValidationCase is a case of a policy validation table: a change
// to a valid config (C), the rules to check it under, and the code it gets
// ("" for a valid config).
type policyValidationCase[C any] struct {
	name   string
	base   func() *C // nil: the table's valid config
	mutate func(c *C)
	rules  Rules
	want   Code
	inMsg  string // the message names the offending value
}

// runPolicyValidationCases runs each case as a subtest: it changes a fresh
// config (the case's base or valid), normalizes it, validates it and checks
// the code and the message.
func runPolicyValidationCases[C any](t *testing.T, cases []policyValidationCase[C], valid func() *C, normalize func(*C), validate func(Rules, *C) error) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := tc.base
			if base == nil {
				base = valid
			}
			c := base()
			tc.mutate(c)
			normalize(c)
			err := validate(tc.rules, c)
			if got := validationCode(t, err); got != tc.want {
				t.Fatalf("code %q (%v), want %q", got, err, tc.want)
			}
			if tc.inMsg != "" && !strings.Contains(err.Error(), tc.inMsg) {
				t.Errorf("message %q does not name %s", err.Error(), tc.inMsg)
			}
		})
	}
}
