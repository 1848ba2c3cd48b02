package v20200531

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// edit returns doc with the first occurrence of old replaced; it panics if
// old is missing, so a stale case cannot pass silently.
func edit(doc, old, new string) string {
	if !strings.Contains(doc, old) {
		panic("test edit: " + old + " not in the document")
	}
	return strings.Replace(doc, old, new, 1)
}

// TestDecodeBad: documents that must not decode, with the code each gets.
func TestDecodeBad(t *testing.T) {
	min := string(read(t, "minimal.request.xml"))
	full := string(read(t, "full.request.xml"))
	const (
		mx = cloudfront.MalformedXML
		iq = cloudfront.InconsistentQuantities
		ia = cloudfront.InvalidArgument
	)
	fv := "<ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>"
	tests := []struct {
		name string
		body string
		want cloudfront.Code
	}{
		{"empty", "", cloudfront.MissingBody},
		{"not XML", "hello", mx},
		{"2012 namespace", edit(min, "doc/2020-05-31/", "doc/2012-07-01/"), mx},
		{"wrong root", "<InvalidationBatch/>", mx},
		{"missing CallerReference", edit(min, "<CallerReference>cli-1</CallerReference>", ""), mx},
		{"missing Comment", edit(min, "<Comment />", ""), mx},
		{"missing Enabled", edit(min, "<Enabled>true</Enabled></DistributionConfig>", "</DistributionConfig>"), mx},
		{"missing ViewerProtocolPolicy", edit(min, "<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>", ""), mx},
		{"unknown member", edit(min, "<Comment />", "<Comment /><Colour>red</Colour>"), mx},
		{"repeated member", edit(min, "<Comment />", "<Comment /><Comment />"), mx},
		{"boolean 1", edit(min, "<Enabled>true</Enabled></DistributionConfig>", "<Enabled>1</Enabled></DistributionConfig>"), mx},
		{"DefaultTTL word", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><DefaultTTL>day</DefaultTTL>"), mx},
		{"ConnectionAttempts overflow", edit(min, "<Id>o</Id>", "<Id>o</Id><ConnectionAttempts>99999999999999999999</ConnectionAttempts>"), mx},
		{"OriginGroup without Members", edit(min, "<Comment />", "<OriginGroups><Quantity>1</Quantity><Items><OriginGroup><Id>g</Id><FailoverCriteria><StatusCodes><Quantity>1</Quantity><Items><StatusCode>500</StatusCode></Items></StatusCodes></FailoverCriteria></OriginGroup></Items></OriginGroups><Comment />"), mx},
		{"Tag without Key", "<Tags><Items><Tag><Value>v</Value></Tag></Items></Tags>", mx},
		{"Tags with Quantity", "<Tags><Quantity>0</Quantity></Tags>", mx},
		{"malformed beats refused", edit(edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><FieldLevelEncryptionId>F1</FieldLevelEncryptionId>"), "<CallerReference>cli-1</CallerReference>", ""), mx},
		{"TenantConfig unknown member", edit(min, "<Comment />", "<Comment /><TenantConfig><x/></TenantConfig>"), mx},
		{"ParameterDefinitions item name", edit(min, "<Comment />", "<Comment /><TenantConfig><ParameterDefinitions><ParameterDefinition><Name>a</Name><Definition/></ParameterDefinition></ParameterDefinitions></TenantConfig>"), mx},
		{"StringSchema without Required", edit(min, "<Comment />", "<Comment /><TenantConfig><ParameterDefinitions><member><Name>a</Name><Definition><StringSchema/></Definition></member></ParameterDefinitions></TenantConfig>"), mx},
		{"VpcOriginConfig without VpcOriginId", edit(min, "<Id>o</Id>", "<Id>o</Id><VpcOriginConfig><OwnerAccountId>111122223333</OwnerAccountId></VpcOriginConfig>"), mx},
		{"TrustStoreConfig without TrustStoreId", edit(min, "<Comment />", "<Comment /><ViewerMtlsConfig><TrustStoreConfig/></ViewerMtlsConfig>"), mx},
		{"GrpcConfig without Enabled", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><GrpcConfig/>"), mx},

		{"Origins quantity", edit(min, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), iq},
		{"Aliases quantity", edit(full, "<Quantity>2</Quantity></Aliases>", "<Quantity>3</Quantity></Aliases>"), iq},
		{"CachedMethods quantity", edit(full, "</Items><Quantity>3</Quantity></CachedMethods>", "</Items><Quantity>2</Quantity></CachedMethods>"), iq},
		{"Locations quantity", edit(full, "<Quantity>2</Quantity><RestrictionType>", "<Quantity>1</Quantity><RestrictionType>"), iq},
		{"inconsistent beats refused", edit(edit(min, "<Quantity>1</Quantity>", "<Quantity>2</Quantity>"), "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><FieldLevelEncryptionId>F1</FieldLevelEncryptionId>"), iq},

		{"neither policy nor forwarded values", edit(min, fv, ""), ia},
		{"Lambda@Edge", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><LambdaFunctionAssociations><Quantity>1</Quantity><Items><LambdaFunctionAssociation><LambdaFunctionARN>arn:aws:lambda:us-east-1:1:function:f:1</LambdaFunctionARN><EventType>origin-request</EventType></LambdaFunctionAssociation></Items></LambdaFunctionAssociations>"), cloudfront.InvalidLambdaFunctionAssociation},
		{"field-level encryption", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><FieldLevelEncryptionId>F1</FieldLevelEncryptionId>"), cloudfront.NoSuchFieldLevelEncryptionConfig},
		{"real-time logs", edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><RealtimeLogConfigArn>arn:x</RealtimeLogConfigArn>"), cloudfront.NoSuchRealtimeLogConfig},
		// Required members the model gives a minimum length of 1 (or that
		// mean nothing empty): "" in the model always means absent.
		{"empty VpcOriginId", edit(min, "<Id>o</Id>", "<Id>o</Id><VpcOriginConfig><VpcOriginId></VpcOriginId></VpcOriginConfig>"), ia},
		{"empty TrustStoreId", edit(min, "<Comment />", "<Comment /><ViewerMtlsConfig><TrustStoreConfig><TrustStoreId/></TrustStoreConfig></ViewerMtlsConfig>"), ia},
		{"empty connection function Id", edit(min, "<Comment />", "<Comment /><ConnectionFunctionAssociation><Id></Id></ConnectionFunctionAssociation>"), ia},
		{"empty cache tag header", edit(min, "<Comment />", "<Comment /><CacheTagConfig><HeaderName/></CacheTagConfig>"), ia},
		{"empty origin client certificate", edit(min, "<OriginProtocolPolicy>http-only</OriginProtocolPolicy>", "<OriginProtocolPolicy>http-only</OriginProtocolPolicy><OriginMtlsConfig><ClientCertificateArn/></OriginMtlsConfig>"), ia},
	}
	// The codes the service model lists for CreateDistribution; MalformedXML
	// is the protocol's own and listed for no operation.
	var modelErrors map[string][]string
	b, err := os.ReadFile("../../cloudfront/testdata/operation-errors-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &modelErrors); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want != mx && !slices.Contains(modelErrors["CreateDistribution"], string(tt.want)) {
				t.Fatalf("the model does not list %s for CreateDistribution", tt.want)
			}
			var err error
			switch {
			case strings.Contains(tt.body, "<Tags"):
				_, err = DecodeTags([]byte(tt.body))
			default:
				_, err = DecodeDistributionConfig([]byte(tt.body))
			}
			var e *cloudfront.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *cloudfront.Error %s", err, err, tt.want)
			}
			if e.Code != tt.want {
				t.Fatalf("code %s (%s), want %s", e.Code, e.Message, tt.want)
			}
		})
	}
}

// TestDecodeAccepted: what clients really send that must decode.
func TestDecodeAccepted(t *testing.T) {
	min := string(read(t, "minimal.request.xml"))
	for name, body := range map[string]string{
		"no namespace":             edit(min, ` xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"`, ""),
		"empty Items self-closing": edit(min, "<Comment />", "<Aliases><Items/><Quantity>0</Quantity></Aliases><Comment />"),
		"empty Items with space":   edit(min, "<Comment />", "<Aliases><Items /><Quantity>0</Quantity></Aliases><Comment />"),
		"empty Items pair":         edit(min, "<Comment />", "<Aliases><Items></Items><Quantity>0</Quantity></Aliases><Comment />"),
		"empty Lambda list":        edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>"),
		"gRPC off":                 edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><GrpcConfig><Enabled>false</Enabled></GrpcConfig>"),
		"connection mode direct":   edit(min, "<Comment />", "<Comment /><ConnectionMode>direct</ConnectionMode>"),
		"empty anycast list":       edit(min, "<Comment />", "<Comment /><AnycastIpListId></AnycastIpListId>"),
		"gRPC on":                  edit(min, "<MinTTL>0</MinTTL>", "<MinTTL>0</MinTTL><GrpcConfig><Enabled>true</Enabled></GrpcConfig>"),
		"VPC origin":               edit(min, "<Id>o</Id>", "<Id>o</Id><VpcOriginConfig><VpcOriginId>v</VpcOriginId></VpcOriginConfig>"),
		"tenant config":            edit(min, "<Comment />", "<Comment /><TenantConfig><ParameterDefinitions/></TenantConfig>"),
		"connection mode tenant":   edit(min, "<Comment />", "<Comment /><ConnectionMode>tenant-only</ConnectionMode>"),
		"anycast list":             edit(min, "<Comment />", "<Comment /><AnycastIpListId>a</AnycastIpListId>"),
		"empty viewer mTLS":        edit(min, "<Comment />", "<Comment /><ViewerMtlsConfig/>"),
	} {
		if _, err := DecodeDistributionConfig([]byte(body)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
