package api

import (
	"fmt"
	"strings"
)

// minimalConfig is a valid DistributionConfig with one custom origin; the
// {placeholders} are filled by distConfig.
const minimalConfig = `<?xml version="1.0" encoding="UTF-8"?>
<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">
<CallerReference>{ref}</CallerReference>
<Aliases>{aliases}</Aliases>
<DefaultRootObject>{root}</DefaultRootObject>
<Origins>{origins}</Origins>
<DefaultCacheBehavior>
<TargetOriginId>{target}</TargetOriginId>
<ForwardedValues><QueryString>false</QueryString><Cookies>{cookies}</Cookies></ForwardedValues>
<TrustedSigners>{signers}</TrustedSigners>
<ViewerProtocolPolicy>{viewer}</ViewerProtocolPolicy>
<MinTTL>{minttl}</MinTTL>
</DefaultCacheBehavior>
<CacheBehaviors>{behaviors}</CacheBehaviors>
<Comment>{comment}</Comment>
<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>
<PriceClass>{priceclass}</PriceClass>
<Enabled>{enabled}</Enabled>
</DistributionConfig>`

var configDefaults = map[string]string{
	"ref":        "ref-1",
	"aliases":    "<Quantity>0</Quantity>",
	"root":       "",
	"origins":    customOrigins(1),
	"target":     "origin-0",
	"cookies":    "<Forward>none</Forward>",
	"signers":    "<Enabled>false</Enabled><Quantity>0</Quantity>",
	"viewer":     "allow-all",
	"minttl":     "0",
	"behaviors":  "<Quantity>0</Quantity>",
	"comment":    "",
	"priceclass": "PriceClass_All",
	"enabled":    "true",
}

// distConfig fills minimalConfig; kv overrides placeholders in pairs.
func distConfig(kv ...string) string {
	vals := map[string]string{}
	for k, v := range configDefaults {
		vals[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		vals[kv[i]] = kv[i+1]
	}
	out := minimalConfig
	for k, v := range vals {
		out = strings.ReplaceAll(out, "{"+k+"}", v)
	}
	return out
}

func list(n int, item func(i int) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<Quantity>%d</Quantity>", n)
	if n > 0 {
		b.WriteString("<Items>")
		for i := 0; i < n; i++ {
			b.WriteString(item(i))
		}
		b.WriteString("</Items>")
	}
	return b.String()
}

func customOrigins(n int) string {
	return list(n, func(i int) string {
		return fmt.Sprintf(`<Origin><Id>origin-%d</Id><DomainName>origin%d.example.com</DomainName>`+
			`<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>`+
			`<OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin>`, i, i)
	})
}

func aliases(names ...string) string {
	return list(len(names), func(i int) string { return "<CNAME>" + names[i] + "</CNAME>" })
}

func numberedAliases(n int) string {
	return list(n, func(i int) string { return fmt.Sprintf("<CNAME>a%d.example.com</CNAME>", i) })
}

func signers(accounts ...string) string {
	return "<Enabled>true</Enabled>" + list(len(accounts), func(i int) string {
		return "<AwsAccountNumber>" + accounts[i] + "</AwsAccountNumber>"
	})
}

func behaviors(n int) string {
	return list(n, func(i int) string {
		return fmt.Sprintf(`<CacheBehavior><PathPattern>/p%d/*</PathPattern><TargetOriginId>origin-0</TargetOriginId>`+
			`<ForwardedValues><QueryString>true</QueryString><Cookies><Forward>all</Forward></Cookies></ForwardedValues>`+
			`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>`+
			`<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></CacheBehavior>`, i)
	})
}

func whitelist(n int) string {
	return "<Forward>whitelist</Forward><WhitelistedNames>" +
		list(n, func(i int) string { return fmt.Sprintf("<Name>c%d</Name>", i) }) + "</WhitelistedNames>"
}

func s3Origin(domain, oai string) string {
	return list(1, func(int) string {
		return `<Origin><Id>origin-0</Id><DomainName>` + domain + `</DomainName><S3OriginConfig><OriginAccessIdentity>` +
			oai + `</OriginAccessIdentity></S3OriginConfig></Origin>`
	})
}

func invalidationBatch(ref string, paths ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		"<Paths>" + list(len(paths), func(i int) string { return "<Path>" + paths[i] + "</Path>" }) + "</Paths>" +
		"<CallerReference>" + ref + "</CallerReference></InvalidationBatch>"
}

func oaiConfig(ref, comment string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><CloudFrontOriginAccessIdentityConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		"<CallerReference>" + ref + "</CallerReference><Comment>" + comment + "</Comment></CloudFrontOriginAccessIdentityConfig>"
}
