package v20120701

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"

	"github.com/openfront/openfront/internal/wire/xmlwire"
)

// badCase is a document that must not decode, and the code it must get.
type badCase struct {
	name string
	body string
	want cloudfront.Code
}

// edit returns the seed request with the first occurrence of old replaced;
// it panics if old is missing, so a stale case cannot pass silently.
func edit(seed, old, new string) string {
	if !strings.Contains(seed, old) {
		panic("test edit: " + old + " not in the document")
	}
	return strings.Replace(seed, old, new, 1)
}

// oneLineSeed is the seed request as the seed page prints it: one line,
// one space between tags, which keeps the edits short.
func oneLineSeed(t testing.TB) string {
	return regexp.MustCompile(`>\s+<`).ReplaceAllString(string(readSeed(t)), "> <")
}

// nested returns a DistributionConfig holding depth nested elements.
func nested(depth int) string {
	return "<DistributionConfig>" + strings.Repeat("<a>", depth) + strings.Repeat("</a>", depth) + "</DistributionConfig>"
}

func badDistributionConfigs(seed string) []badCase {
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	wl := "<WhitelistedNames> <Quantity>1</Quantity> <Items> <Name>a</Name> </Items> </WhitelistedNames>"
	return []badCase{
		{"empty", "", cloudfront.MissingBody},
		{"whitespace", " \r\n\t ", cloudfront.MissingBody},
		{"byte order mark only", "\xef\xbb\xbf\n", cloudfront.MissingBody},
		{"not XML", "hello", mx},
		{"prolog only", `<?xml version="1.0"?>`, mx},
		{"unclosed root", "<DistributionConfig>", mx},
		{"truncated", seed[:len(seed)/2], mx},
		{"mismatched tags", edit(seed, "</Comment>", "</Commentary>"), mx},
		{"undefined entity", edit(seed, "example comment", "&nbsp;"), mx},
		{"illegal character", edit(seed, "example comment", "\x01"), mx},
		{"invalid UTF-8", edit(seed, "example comment", "\xff\xfe"), mx},
		{"non-UTF-8 encoding", edit(seed, `encoding="UTF-8"`, `encoding="ISO-8859-1"`), mx},
		{"wrong root", "<InvalidationBatch/>", mx},
		{"wrong namespace", edit(seed, "doc/2012-07-01/", "doc/2012-05-05/"), mx},
		{"undeclared prefix on root", "<x:DistributionConfig/>", mx},
		{"two roots", seed + "<DistributionConfig/>", mx},
		{"text after root", seed + "junk", mx},
		{"text before root", "junk" + seed, mx},
		{"empty root", "<DistributionConfig/>", mx},
		{"missing CallerReference", edit(seed, "<CallerReference>example.com2012-04-11-5:09pm</CallerReference>", ""), mx},
		{"missing DefaultCacheBehavior", seed[:strings.Index(seed, "<DefaultCacheBehavior>")] + seed[strings.Index(seed, "</DefaultCacheBehavior>")+len("</DefaultCacheBehavior>"):], mx},
		{"missing Origins/Quantity", edit(seed, "<Quantity>2</Quantity>", ""), mx},
		{"missing Origin/Id", edit(seed, "<Id>example-custom-origin</Id>", ""), mx},
		{"missing OriginAccessIdentity", edit(seed, "<OriginAccessIdentity>origin-access-identity/cloudfront/E74FTE3AEXAMPLE</OriginAccessIdentity>", ""), mx},
		{"missing HTTPSPort", edit(seed, "<HTTPSPort>443</HTTPSPort>", ""), mx},
		{"missing Cookies", edit(seed, "<Cookies> <Forward>all</Forward> </Cookies>", ""), mx},
		{"missing Forward", edit(seed, "<Forward>all</Forward>", ""), mx},
		{"missing TrustedSigners/Enabled", edit(seed, "<Enabled>true</Enabled> <Quantity>2</Quantity>", "<Quantity>2</Quantity>"), mx},
		{"missing PathPattern", edit(seed, "<PathPattern>*.jpg</PathPattern>", ""), mx},
		{"missing MinTTL", edit(seed, "<MinTTL>86400</MinTTL>", ""), mx},
		{"missing Logging/Prefix", edit(seed, "<Prefix>example.com.</Prefix>", ""), mx},
		{"missing PriceClass", edit(seed, "<PriceClass>PriceClass_All</PriceClass>", ""), mx},
		{"missing Enabled", edit(seed, "<Enabled>true</Enabled> </DistributionConfig>", "</DistributionConfig>"), mx},
		{"unknown root child", edit(seed, "<Comment>", "<ViewerCertificate/><Comment>"), mx},
		{"unknown Items child", edit(seed, "<CNAME>www.example.com</CNAME>", "<Alias>www.example.com</Alias>"), mx},
		{"PathPattern in DefaultCacheBehavior", edit(seed, "<TargetOriginId>example-Amazon S3-origin</TargetOriginId>", "<PathPattern>*</PathPattern><TargetOriginId>example-Amazon S3-origin</TargetOriginId>"), mx},
		{"repeated Comment", edit(seed, "<Comment>", "<Comment>x</Comment><Comment>"), mx},
		{"repeated Quantity", edit(seed, "<Quantity>1</Quantity>", "<Quantity>1</Quantity><Quantity>1</Quantity>"), mx},
		{"repeated Items", edit(seed, "</Items> </Aliases>", "</Items><Items/></Aliases>"), mx},
		{"repeated S3OriginConfig", edit(seed, "</S3OriginConfig>", "</S3OriginConfig><S3OriginConfig><OriginAccessIdentity/></S3OriginConfig>"), mx},
		{"boolean True", edit(seed, "<QueryString>true</QueryString>", "<QueryString>True</QueryString>"), mx},
		{"boolean 1", edit(seed, "<IncludeCookies>true</IncludeCookies>", "<IncludeCookies>1</IncludeCookies>"), mx},
		{"boolean empty", edit(seed, "<Enabled>true</Enabled> </DistributionConfig>", "<Enabled></Enabled></DistributionConfig>"), mx},
		{"integer word", edit(seed, "<MinTTL>0</MinTTL>", "<MinTTL>zero</MinTTL>"), mx},
		{"integer empty", edit(seed, "<HTTPPort>80</HTTPPort>", "<HTTPPort></HTTPPort>"), mx},
		{"integer fraction", edit(seed, "<MinTTL>0</MinTTL>", "<MinTTL>1.5</MinTTL>"), mx},
		{"integer hex", edit(seed, "<HTTPPort>80</HTTPPort>", "<HTTPPort>0x50</HTTPPort>"), mx},
		{"integer plus", edit(seed, "<HTTPPort>80</HTTPPort>", "<HTTPPort>+80</HTTPPort>"), mx},
		{"integer minus only", edit(seed, "<HTTPPort>80</HTTPPort>", "<HTTPPort>-</HTTPPort>"), mx},
		{"integer inner space", edit(seed, "<HTTPPort>80</HTTPPort>", "<HTTPPort>8 0</HTTPPort>"), mx},
		{"MinTTL overflow", edit(seed, "<MinTTL>0</MinTTL>", "<MinTTL>9223372036854775808</MinTTL>"), mx},
		{"Quantity overflow", edit(seed, "<Quantity>1</Quantity>", "<Quantity>99999999999999999999</Quantity>"), mx},
		{"text in container", edit(seed, "<Aliases>", "<Aliases>www.example.com"), mx},
		{"text in Items", edit(seed, "<Items> <CNAME>", "<Items>x<CNAME>"), mx},
		{"element in string", edit(seed, "<Comment>example comment</Comment>", "<Comment><b>example</b></Comment>"), mx},
		{"element in integer", edit(seed, "<MinTTL>0</MinTTL>", "<MinTTL><a/>0</MinTTL>"), mx},
		{"empty CacheBehavior", edit(seed, seed[strings.Index(seed, "<CacheBehavior>"):strings.Index(seed, "</CacheBehavior>")+len("</CacheBehavior>")], "<CacheBehavior/>"), mx},
		{"empty CacheBehavior with space", edit(seed, seed[strings.Index(seed, "<CacheBehavior>"):strings.Index(seed, "</CacheBehavior>")+len("</CacheBehavior>")], "<CacheBehavior> </CacheBehavior>"), mx},
		{"too deep", nested(xmlwire.MaxDepth), mx},
		{"too many elements", "<DistributionConfig><Aliases><Items>" + strings.Repeat("<CNAME/>", xmlwire.MaxElements) + "</Items></Aliases></DistributionConfig>", mx},
		{"malformed beats inconsistent", edit(edit(seed, "<Quantity>1</Quantity>", "<Quantity>5</Quantity>"), "<PriceClass>PriceClass_All</PriceClass>", ""), mx},

		// Values of later API versions that 2012-07-01's schema lacks.
		{"viewer redirect-to-https", edit(seed, "<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>", "<ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>"), cloudfront.InvalidArgument},
		{"origin https-only", edit(seed, "<OriginProtocolPolicy>match-viewer</OriginProtocolPolicy>", "<OriginProtocolPolicy>https-only</OriginProtocolPolicy>"), cloudfront.InvalidArgument},
		{"price class None", edit(seed, "<PriceClass>PriceClass_All</PriceClass>", "<PriceClass>None</PriceClass>"), cloudfront.InvalidArgument},

		// Every Quantity/Items pair.
		{"Aliases more items", edit(seed, "<Quantity>1</Quantity>", "<Quantity>0</Quantity>"), iq},
		{"Aliases fewer items", edit(seed, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), iq},
		{"Aliases Items omitted", edit(seed, "<Items> <CNAME>www.example.com</CNAME> </Items>", ""), iq},
		{"Aliases negative", edit(seed, "<Quantity>1</Quantity>", "<Quantity>-1</Quantity>"), iq},
		{"Origins", edit(seed, "<Quantity>2</Quantity>", "<Quantity>3</Quantity>"), iq},
		{"Origins Items empty", edit(seed, "<Quantity>2</Quantity>", "<Quantity>0</Quantity>"), iq},
		{"default WhitelistedNames", edit(seed, "<Quantity>1</Quantity> <Items> <Name>", "<Quantity>2</Quantity> <Items> <Name>"), iq},
		{"default WhitelistedNames Items omitted", edit(seed, "<Items> <Name>example-cookie</Name> </Items>", ""), iq},
		{"behaviour WhitelistedNames", edit(seed, "<Forward>all</Forward>", "<Forward>all</Forward>"+strings.Replace(wl, "<Quantity>1", "<Quantity>0", 1)), iq},
		{"default TrustedSigners", edit(seed, "<Quantity>3</Quantity>", "<Quantity>4</Quantity>"), iq},
		{"behaviour TrustedSigners", edit(seed, "<Enabled>true</Enabled> <Quantity>2</Quantity>", "<Enabled>true</Enabled> <Quantity>1</Quantity>"), iq},
		{"CacheBehaviors", edit(seed, "<CacheBehaviors> <Quantity>1</Quantity>", "<CacheBehaviors> <Quantity>2</Quantity>"), iq},
		{"CacheBehaviors Items omitted", edit(seed, seed[strings.Index(seed, "<CacheBehaviors>"):strings.Index(seed, "</CacheBehaviors>")], "<CacheBehaviors><Quantity>1</Quantity>"), iq},
	}
}

func TestDecodeDistributionConfigBad(t *testing.T) {
	for _, tt := range badDistributionConfigs(oneLineSeed(t)) {
		t.Run(tt.name, func(t *testing.T) {
			checkBad(t, tt, func(b []byte) error { _, err := DecodeDistributionConfig(b); return err })
		})
	}
}

func badOriginAccessIdentityConfigs() []badCase {
	const mx = cloudfront.MalformedXML
	ok := "<CloudFrontOriginAccessIdentityConfig><CallerReference>r</CallerReference><Comment>c</Comment></CloudFrontOriginAccessIdentityConfig>"
	return []badCase{
		{"empty", "", cloudfront.MissingBody},
		{"whitespace", "\n\n", cloudfront.MissingBody},
		{"wrong root", "<OriginAccessIdentityConfig/>", mx},
		{"missing CallerReference", edit(ok, "<CallerReference>r</CallerReference>", ""), mx},
		{"missing Comment", edit(ok, "<Comment>c</Comment>", ""), mx},
		{"repeated Comment", edit(ok, "<Comment>c</Comment>", "<Comment>c</Comment><Comment/>"), mx},
		{"unknown element", edit(ok, "<Comment>", "<Id/><Comment>"), mx},
		{"text in root", edit(ok, "<Comment>", "x<Comment>"), mx},
		{"element in Comment", edit(ok, "<Comment>c</Comment>", "<Comment><c/></Comment>"), mx},
		{"unclosed", ok[:len(ok)-1], mx},
	}
}

func TestDecodeOriginAccessIdentityConfigBad(t *testing.T) {
	for _, tt := range badOriginAccessIdentityConfigs() {
		t.Run(tt.name, func(t *testing.T) {
			checkBad(t, tt, func(b []byte) error { _, err := DecodeOriginAccessIdentityConfig(b); return err })
		})
	}
}

func badInvalidationBatches() []badCase {
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
	)
	ok := "<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a</Path></Items></Paths><CallerReference>r</CallerReference></InvalidationBatch>"
	return []badCase{
		{"empty", "", cloudfront.MissingBody},
		{"wrong root", "<Invalidation/>", mx},
		{"missing Paths", edit(ok, "<Paths><Quantity>1</Quantity><Items><Path>/a</Path></Items></Paths>", ""), mx},
		{"missing CallerReference", edit(ok, "<CallerReference>r</CallerReference>", ""), mx},
		{"missing Quantity", edit(ok, "<Quantity>1</Quantity>", ""), mx},
		{"unknown Items child", edit(ok, "<Path>/a</Path>", "<Item>/a</Item>"), mx},
		{"Paths as text", edit(ok, "<Paths><Quantity>1</Quantity><Items><Path>/a</Path></Items></Paths>", "<Paths>/a</Paths>"), mx},
		{"Quantity word", edit(ok, "<Quantity>1</Quantity>", "<Quantity>one</Quantity>"), mx},
		{"more paths", edit(ok, "<Quantity>1</Quantity>", "<Quantity>0</Quantity>"), iq},
		{"fewer paths", edit(ok, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), iq},
		{"Items omitted", edit(ok, "<Items><Path>/a</Path></Items>", ""), iq},
	}
}

func TestDecodeInvalidationBatchBad(t *testing.T) {
	for _, tt := range badInvalidationBatches() {
		t.Run(tt.name, func(t *testing.T) {
			checkBad(t, tt, func(b []byte) error { _, err := DecodeInvalidationBatch(b); return err })
		})
	}
}

func checkBad(t *testing.T, tt badCase, decode func([]byte) error) {
	t.Helper()
	err := decode([]byte(tt.body))
	var e *cloudfront.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want a *cloudfront.Error %s", err, err, tt.want)
	}
	if e.Code != tt.want {
		t.Errorf("code = %s (%s), want %s", e.Code, e.Message, tt.want)
	}
	if e.Message == "" {
		t.Error("empty message")
	}
	t.Logf("%s: %s", e.Code, e.Message)
}

// TestDecodeLimits checks that documents just inside the limits decode
// far enough to reach the schema checks.
func TestDecodeLimits(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"depth at limit", nested(xmlwire.MaxDepth - 1)},
		{"elements at limit", "<DistributionConfig><Aliases><Items>" + strings.Repeat("<CNAME/>", xmlwire.MaxElements-3) + "</Items></Aliases></DistributionConfig>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeDistributionConfig([]byte(tt.body))
			var e *cloudfront.Error
			if !errors.As(err, &e) || e.Code != cloudfront.MalformedXML {
				t.Fatalf("err = %v, want a schema MalformedXML", err)
			}
			if strings.Contains(e.Message, "deeper") || strings.Contains(e.Message, "more than") {
				t.Errorf("limit hit inside the limit: %s", e.Message)
			}
		})
	}
}
