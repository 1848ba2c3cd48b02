package cloudfront

import (
	"encoding/json"
	"reflect"
	"testing"
)

// oldRecord is a DistributionConfig as the store kept it before the 2020
// members existed: encoding/json of the 2012-07-01 model, as the model of
// commit ffa37de marshals it.
const oldRecord = `{"CallerReference":"ref","Aliases":["www.example.com"],"DefaultRootObject":"index.html",` +
	`"Origins":[{"ID":"o","DomainName":"origin.example.com","S3":null,"Custom":{"HTTPPort":80,"HTTPSPort":443,"OriginProtocolPolicy":"http-only"}}],` +
	`"DefaultCacheBehavior":{"PathPattern":"","TargetOriginID":"o","QueryString":true,"Cookies":{"Forward":"whitelist","WhitelistedNames":["a"]},` +
	`"TrustedSigners":{"Enabled":false,"Items":null},"ViewerProtocolPolicy":"allow-all","MinTTL":60},` +
	`"CacheBehaviors":null,"Comment":"c","Logging":{"Enabled":false,"IncludeCookies":false,"Bucket":"","Prefix":""},` +
	`"PriceClass":"PriceClass_All","Enabled":true}`

// TestOldRecordLoads: a record stored before 2020-05-31 loads, is valid,
// is already in normal form (its 2020 members are at their defaults), and
// is written back as a record that loads to the same config, no larger:
// the new members add nothing to a config that does not use them (and
// since members are omitted when zero, it is written shorter).
func TestOldRecordLoads(t *testing.T) {
	var c DistributionConfig
	if err := json.Unmarshal([]byte(oldRecord), &c); err != nil {
		t.Fatal(err)
	}
	if err := DefaultRules().ValidateDistributionConfig(&c); err != nil {
		t.Fatal(err)
	}
	var n DistributionConfig
	json.Unmarshal([]byte(oldRecord), &n)
	NormalizeDistributionConfig(&n)
	if !EqualDistributionConfigs(&c, &n) {
		t.Fatalf("normalizing an old record changed it:\n%+v\n%+v", c, n)
	}
	if b := c.DefaultCacheBehavior; b.EffectiveDefaultTTL() != DefaultDefaultTTL || b.EffectiveMaxTTL() != DefaultMaxTTL || !b.LegacyCacheSettings() {
		t.Fatalf("defaults of an old behaviour: %d %d %v", b.EffectiveDefaultTTL(), b.EffectiveMaxTTL(), b.LegacyCacheSettings())
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var again DistributionConfig
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, again) || len(out) > len(oldRecord) {
		t.Fatalf("an old record is written back as another config, or longer:\n%s\n%s", out, oldRecord)
	}
}
