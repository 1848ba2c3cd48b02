package cloudfront

import (
	"errors"
	"testing"
)

// FuzzParseARN: ParseARN reads the Resource parameter of the tagging
// operations. Whatever it accepts, the ARN functions write back exactly.
func FuzzParseARN(f *testing.F) {
	for _, s := range []string{DistributionARN("111122223333", "E1"), StreamingDistributionARN("1", "E2"),
		"arn:aws:cloudfront::1:function/f", KeyValueStoreARN("1", "8aa76c93-3198-462c-aaf6-0123456789ab"),
		"arn:aws:cloudfront::1:public-key/K1", "arn:aws:cloudfront:::distribution/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arn string) {
		acct, kind, id, ok := ParseARN(arn)
		if !ok {
			return
		}
		want := map[string]string{
			"distribution":           DistributionARN(acct, id),
			"streaming-distribution": StreamingDistributionARN(acct, id),
			"function":               FunctionARN(acct, id),
			"key-value-store":        KeyValueStoreARN(acct, id),
		}[kind]
		if want != arn {
			t.Fatalf("ParseARN(%q) = %q %q %q, which writes %q", arn, acct, kind, id, want)
		}
	})
}

// FuzzValidateTags: any key and value get nil or InvalidTagging.
func FuzzValidateTags(f *testing.F) {
	f.Add("env", "prod")
	f.Add("aws:x", "")
	f.Add("", "v")
	f.Fuzz(func(t *testing.T, key, value string) {
		err := ValidateTags([]Tag{{Key: key, Value: value}})
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Code != InvalidTagging) {
			t.Fatalf("ValidateTags(%q, %q) = %v", key, value, err)
		}
	})
}
