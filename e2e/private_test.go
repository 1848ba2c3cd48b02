package e2e

import (
	"compress/gzip"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/signedurl"
)

// privateConfig trusts "self" for /private/* and logs to bucket "logs".
func privateConfig(t *testing.T, o *origin) string {
	host, port := hostPort(t, o.http.URL)
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<CallerReference>private</CallerReference><Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject></DefaultRootObject>` +
		`<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>` + host + `</DomainName>` +
		`<CustomOriginConfig><HTTPPort>` + itoa(port) + `</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ForwardedValues><QueryString>true</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>1</Quantity><Items><CacheBehavior><PathPattern>/private/*</PathPattern><TargetOriginId>o</TargetOriginId>` +
		`<ForwardedValues><QueryString>true</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>true</Enabled><Quantity>1</Quantity><Items><AwsAccountNumber>self</AwsAccountNumber></Items></TrustedSigners>` +
		`<ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></CacheBehavior></Items></CacheBehaviors>` +
		`<Comment></Comment><Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>logs.s3.amazonaws.com</Bucket><Prefix>e2e/</Prefix></Logging>` +
		`<PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled></DistributionConfig>`
}

// TestPrivateContentAndLogs: a behaviour that trusts "self" serves only
// URLs signed with the account's key pair (made by `admin keypair
// create`); the API lists that key pair as active; the edge writes access
// logs for the distribution into the log folder.
func TestPrivateContentAndLogs(t *testing.T) {
	o := newOrigin(t)
	c := newCluster(t, o)
	e := c.startEdge("a", "100")
	c.waitEdges(1)
	account := regexp.MustCompile(`(?m)^account (\d{12})$`).FindStringSubmatch(c.api.output())
	if account == nil {
		t.Fatalf("no account line in:\n%s", c.api.output())
	}
	// `openfront api` grants no bucket: the operator lets the account log into "logs".
	if out, err := exec.Command(binary(t), "admin", "--data", c.data, "bucket", "grant", "--bucket", "logs", "--account", account[1]).CombinedOutput(); err != nil {
		t.Fatalf("bucket grant: %v: %s", err, out)
	}
	keyFile := filepath.Join(t.TempDir(), "signer.pem")
	out, err := exec.Command(binary(t), "admin", "--data", c.data, "--json", "keypair", "create",
		"--account", account[1], "--private-key-out", keyFile).Output()
	if err != nil {
		t.Fatalf("keypair create: %v", err)
	}
	var kp map[string]any
	json.Unmarshal(out, &kp)
	keyPairID, _ := kp["key_pair_id"].(string)

	res := c.client.must(t, "POST", "/2012-07-01/distribution", privateConfig(t, o))
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if !strings.Contains(res.body, "<KeyPairId>"+keyPairID+"</KeyPairId>") {
		t.Errorf("ActiveTrustedSigners lacks %s: %s", keyPairID, res.body)
	}
	id, domain := field(idRE, res.body), field(domainRE, res.body)
	c.waitDeployed(id, 5*time.Second)

	pemBytes, _ := os.ReadFile(keyFile)
	blk, _ := pem.Decode(pemBytes)
	key, err := x509.ParsePKCS1PrivateKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(path string, expires time.Time) string {
		u, err := signedurl.SignCanned("http://"+domain+path, expires, keyPairID, (*rsa.PrivateKey)(key))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u, "http://"+domain)
	}
	cases := []struct {
		name, path string
		status     int
		body       string
	}{
		{"public path needs no signature", "/public.html", 200, "path=/public.html"},
		{"unsigned private path", "/private/a.html", 403, "<Code>MissingKey</Code>"},
		{"signed private path; the origin does not see the signature", sign("/private/a.html?size=1", time.Now().Add(time.Hour)), 200, "query=size=1 "},
		{"expired signature", sign("/private/a.html?size=1", time.Now().Add(-time.Minute)), 403, "<Code>AccessDenied</Code>"},
		{"signature for another path", strings.Replace(sign("/private/a.html", time.Now().Add(time.Hour)), "a.html", "b.html", 1), 403, "<Code>AccessDenied</Code>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, body := viewer(t, "http", e.httpAddr, domain, "GET", tc.path)
			if r.StatusCode != tc.status || !strings.Contains(body, tc.body) {
				t.Fatalf("got %d %q, want %d containing %q", r.StatusCode, body, tc.status, tc.body)
			}
		})
	}

	// The edge flushes its access logs every 100ms.
	var lines []string
	deadline := time.Now().Add(5 * time.Second)
	for len(lines) < len(cases) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		lines = readLogs(t, filepath.Join(c.data, "logs", "logs", "e2e"), id)
	}
	if len(lines) < len(cases) {
		t.Fatalf("%d log lines, want %d: %q", len(lines), len(cases), lines)
	}
	f := strings.Split(lines[0], "\t")
	// CloudFront's current standard format, the default: 33 fields.
	if len(f) != 33 || f[6] != domain || f[5] != "GET" {
		t.Errorf("log line %q: want 33 tab-separated fields with the distribution's domain", lines[0])
	}
}

// readLogs returns the records of every log file of distribution id.
func readLogs(t *testing.T, dir, id string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, id+".*.gz"))
	var lines []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(zr)
		f.Close()
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
	}
	return lines
}

func itoa(n int) string { return strconv.Itoa(n) }
