package e2e

// Issue 6, items 3 and 8: what an origin access identity may read through
// the operator's S3 key, and where a tenant's access logs may go, is
// decided per tenant by bucket grants (`openfront admin bucket …`).

import (
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/openfront/openfront/internal/testpeer"
)

// bucketsSetup is `openfront api` and one `openfront edge` as separate
// processes, with the edge's extra flags.
type bucketsSetup struct {
	data, base, edgeAddr string
}

func bucketsStart(t *testing.T, edgeArgs ...string) *bucketsSetup {
	t.Helper()
	s := &bucketsSetup{data: t.TempDir(), edgeAddr: freeAddr(t)}
	apiAddr := freeAddr(t)
	s.base = "http://" + apiAddr
	// The test's origins and S3 server listen on loopback, which api and
	// edge refuse by default.
	start(t, `^account `, "api", "--data", s.data, "--api-addr", apiAddr, "--edge-timeout", "2s", "--allow-private-origins")
	args := append([]string{"edge", "--control-plane", s.base, "--feed-auth", edgeopsKey(t, s.data, "All"),
		"--price-class", "All", "--edge-name", "sec", "--state", filepath.Join(s.data, "edge"),
		"--edge-addr", s.edgeAddr, "--admin-addr", "", "--heartbeat", "200ms", "--allow-private-origins"}, edgeArgs...)
	start(t, `^openfront edge `, args...)
	return s
}

// bucketsAdmin runs `openfront admin --data data args…` and returns stdout.
func bucketsAdmin(t *testing.T, data string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(binary(t), append([]string{"admin", "--data", data}, args...)...).Output()
	if err != nil {
		t.Fatalf("admin %v: %v", args, err)
	}
	return out
}

// bucketsOAI creates an origin access identity as c and returns its id.
func bucketsOAI(t *testing.T, c *apiClient, ref string) string {
	t.Helper()
	r := c.must(t, "POST", "/2012-07-01/origin-access-identity/cloudfront",
		`<CloudFrontOriginAccessIdentityConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">`+
			`<CallerReference>`+ref+`</CallerReference><Comment>`+ref+`</Comment></CloudFrontOriginAccessIdentityConfig>`)
	if r.status != 201 {
		t.Fatalf("create OAI: %d %s", r.status, r.body)
	}
	return field(idRE, r.body)
}

// bucketsConfig is a distribution with one origin (XML) and logging.
func bucketsConfig(ref, origin, logBucket, logPrefix string) string {
	logging := `<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>`
	if logBucket != "" {
		var b, p strings.Builder
		xml.EscapeText(&b, []byte(logBucket))
		xml.EscapeText(&p, []byte(logPrefix))
		logging = `<Logging><Enabled>true</Enabled><IncludeCookies>false</IncludeCookies><Bucket>` + b.String() +
			`</Bucket><Prefix>` + p.String() + `</Prefix></Logging>`
	}
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2012-07-01/">` +
		`<CallerReference>` + ref + `</CallerReference><Aliases><Quantity>0</Quantity></Aliases><DefaultRootObject></DefaultRootObject>` +
		`<Origins><Quantity>1</Quantity><Items>` + origin + `</Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><MinTTL>0</MinTTL></DefaultCacheBehavior>` +
		`<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors><Comment></Comment>` + logging +
		`<PriceClass>PriceClass_All</PriceClass><Enabled>true</Enabled></DistributionConfig>`
}

func bucketsS3Origin(bucket, oaiID string) string {
	return `<Origin><Id>o</Id><DomainName>` + bucket + `.s3.amazonaws.com</DomainName><S3OriginConfig><OriginAccessIdentity>` +
		`origin-access-identity/cloudfront/` + oaiID + `</OriginAccessIdentity></S3OriginConfig></Origin>`
}

// bucketsCreate creates a distribution as c, waits until it is Deployed
// and returns its domain name.
func bucketsCreate(t *testing.T, c *apiClient, config string) string {
	t.Helper()
	return bucketsCreateIn(t, c, "2012-07-01", config)
}

// bucketsCreateIn is bucketsCreate through API version.
func bucketsCreateIn(t *testing.T, c *apiClient, version, config string) string {
	t.Helper()
	r := c.must(t, "POST", "/"+version+"/distribution", config)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := field(idRE, r.body)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if field(statusRE, c.must(t, "GET", "/"+version+"/distribution/"+id, "").body) == "Deployed" {
			return field(domainRE, r.body)
		}
	}
	t.Fatalf("%s not Deployed within 10s", id)
	return ""
}

// bucketsStartOnMoto stores objects (path, body pairs) privately on a
// moto_server of its own, turns on its checks (every signature against
// its IAM's keys; anonymous writes refused, as S3 does), and starts api
// and edge with that server as S3 and its key as the operator's.
func bucketsStartOnMoto(t *testing.T, objects ...string) *bucketsSetup {
	t.Helper()
	m := testpeer.MotoServerIAM(t)
	for i := 0; i+1 < len(objects); i += 2 {
		bucketsMotoPut(t, m.Endpoint, objects[i], objects[i+1])
	}
	m.Enforce(t)
	return bucketsStart(t, "--s3-endpoint", m.Endpoint, "--s3-access-key", m.Key.AccessKeyID, "--s3-secret-key", m.Key.SecretAccessKey)
}

// bucketsMotoPut stores body at path on moto_server, privately.
func bucketsMotoPut(t *testing.T, endpoint, path, body string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, endpoint+path, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("PUT %s: %d", path, res.StatusCode)
	}
}

// TestSecurityOAICannotReadAnotherTenantsBucket: with one operator S3 key
// on the edge, account B names account A's private bucket as the origin of
// its own distribution with its own OAI. The edge signs only for OAIs the
// bucket is granted to, so B's request goes out anonymous and S3 answers
// 403 itself; A's OAI, granted the bucket, reads it. A revoke stops A too.
func TestSecurityOAICannotReadAnotherTenantsBucket(t *testing.T) {
	const secret = "tenant A's private bytes"
	s := bucketsStartOnMoto(t, "/abucket", "", "/abucket/secret.txt", secret, "/abucket/later.txt", secret,
		"/bbucket", "", "/bbucket/own.txt", "tenant B's bytes")
	if out := strings.TrimSpace(string(bucketsAdmin(t, s.data, "--json", "bucket", "list"))); out != "[]" {
		t.Fatalf("openfront api granted buckets by itself: %s", out)
	}

	_, a := tenant(t, s.data, s.base, "tenant-a")
	accountB, b := tenant(t, s.data, s.base, "tenant-b")
	oaiA, oaiB := bucketsOAI(t, a, "a-oai"), bucketsOAI(t, b, "b-oai")
	// The bucket policy, as the operator states it: A's OAI reads abucket;
	// B's account (any of its OAIs) reads bbucket.
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "abucket", "--oai", oaiA)
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "bbucket", "--account", accountB)

	domainA := bucketsCreate(t, a, bucketsConfig("a", bucketsS3Origin("abucket", oaiA), "", ""))
	domainB := bucketsCreate(t, b, bucketsConfig("b", bucketsS3Origin("abucket", oaiB), "", ""))
	domainBOwn := bucketsCreate(t, b, bucketsConfig("b-own", bucketsS3Origin("bbucket", oaiB), "", ""))

	cases := []struct {
		name, domain, path string
		status             int
		body               string
	}{
		{"B names A's bucket with B's OAI", domainB, "/secret.txt", 403, ""},
		{"A reads its bucket with its OAI", domainA, "/secret.txt", 200, secret},
		{"B reads its own bucket through its account's grant", domainBOwn, "/own.txt", 200, "tenant B's bytes"},
		// A grant lets an OAI read objects (s3:GetObject), not list the
		// bucket: without a DefaultRootObject, "/" reaches S3 as a
		// listing, which goes out unsigned, and S3 answers 403 (moto_server
		// 500: status -1 takes any refusal).
		{"A's distribution does not list A's bucket", domainA, "/", -1, ""},
		{"nor with a listing's query", domainA, "/?list-type=2", -1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, body := viewer(t, "http", s.edgeAddr, tc.domain, "GET", tc.path)
			if tc.status == -1 && r.StatusCode >= 400 {
				tc.status = r.StatusCode
			}
			if r.StatusCode != tc.status || !strings.Contains(body, tc.body) {
				t.Fatalf("got %d %q, want %d containing %q", r.StatusCode, body, tc.status, tc.body)
			}
			if tc.status != 200 && (strings.Contains(body, secret) || strings.Contains(body, "secret.txt")) {
				t.Fatalf("the private object or its name leaked: %q", body)
			}
		})
	}

	// After the operator revokes A's grant, the edge stops signing for A's
	// OAI as soon as the feed brings the change (the edge acknowledges a
	// later revision); an object not cached yet is then refused.
	bucketsAdminApplied(t, s.data, "bucket", "revoke", "--bucket", "abucket", "--oai", oaiA)
	if r, body := viewer(t, "http", s.edgeAddr, domainA, "GET", "/later.txt"); r.StatusCode != 403 || strings.Contains(body, secret) {
		t.Fatalf("after the revoke: %d %q", r.StatusCode, body)
	}
}

// bucketsAdminApplied runs an admin command that changes what the only
// edge must know (a grant) and returns once the edge has acknowledged a
// revision after it.
func bucketsAdminApplied(t *testing.T, data string, args ...string) {
	t.Helper()
	acked := bucketsSettledAck(t, data)
	bucketsAdmin(t, data, args...)
	for deadline := time.Now().Add(10 * time.Second); bucketsAckedRevision(t, data) <= acked; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the edge did not acknowledge %v within 10s", args)
		}
	}
}

// bucketsSettledAck is the only edge's acknowledged revision once the
// store has caught up with it. Acks reach the store in batches (feed's
// liveness flush, every 100 ms), while Deployed is answered from the
// node's memory: a revision read right after a create can be an older
// one, and the next flush would then pass for the ack of a later change.
func bucketsSettledAck(t *testing.T, data string) int64 {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	prev := bucketsAckedRevision(t, data)
	for {
		time.Sleep(500 * time.Millisecond)
		now := bucketsAckedRevision(t, data)
		if now == prev {
			return now
		}
		if time.Now().After(deadline) {
			t.Fatal("the edge's acknowledged revision did not settle within 10s")
		}
		prev = now
	}
}

// bucketsAckedRevision is the revision the only edge has acknowledged.
func bucketsAckedRevision(t *testing.T, data string) int64 {
	t.Helper()
	var es []struct {
		AckedRevision int64 `json:"acked_revision"`
	}
	if err := json.Unmarshal(bucketsAdmin(t, data, "--json", "edge", "list"), &es); err != nil || len(es) != 1 {
		t.Fatalf("edge list: %v %+v", err, es)
	}
	return es[0].AckedRevision
}

// TestSecurityLogsStayInTheirTenantsBucket: B cannot make its access logs
// land in A's bucket (the API refuses as CloudFront does, AccessDenied);
// log names outside S3's rules or unsafe as paths are InvalidArgument; and
// a tenant whose log destination fails cannot crowd the other tenant's
// lines out of the edge's shared log buffer, with the folder sink and the
// S3 sink (moto_server) alike.
func TestSecurityLogsStayInTheirTenantsBucket(t *testing.T) {
	t.Run("folder", func(t *testing.T) {
		logs := filepath.Join(t.TempDir(), "logs")
		// A's log folder cannot be created (a file is in the way): every
		// delivery of A's logs fails.
		if err := os.MkdirAll(logs, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(logs, "alogs"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		bucketsLogsTest(t, []string{"--log-dir", logs}, func() int {
			return bucketsCountLines(t, filepath.Join(logs, "blogs", "b"))
		})
		if fi, err := os.Stat(filepath.Join(logs, "alogs")); err != nil || fi.IsDir() {
			t.Fatalf("A's blocked log folder changed: %v", err)
		}
	})
	t.Run("s3", func(t *testing.T) {
		moto := testpeer.MotoServer(t)
		// Only B's bucket exists: every delivery of A's logs fails.
		bucketsMotoPut(t, moto, "/blogs", "")
		bucketsLogsTest(t, []string{"--log-s3-endpoint", moto, "--log-s3-access-key", "AKIDOPERATOR", "--log-s3-secret-key", "operator-secret"},
			func() int { return bucketsCountS3Lines(t, moto, "blogs", "b/") })
	})
}

// bucketsLogsTest runs the logs scenario on an edge with sinkArgs, where
// tenant A's log bucket "alogs" refuses every file and B's "blogs" works;
// countB counts the log lines delivered for B.
func bucketsLogsTest(t *testing.T, sinkArgs []string, countB func() int) {
	o := newOrigin(t)
	host, port := hostPort(t, o.http.URL)
	origin := `<Origin><Id>o</Id><DomainName>` + host + `</DomainName><CustomOriginConfig><HTTPPort>` + itoa(port) +
		`</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin>`
	// A 16 KiB buffer: about 60 lines, so one tenant could fill it in a blink.
	s := bucketsStart(t, append(sinkArgs, "--log-flush", "100ms", "--log-buffer", "16384")...)
	accountA, a := tenant(t, s.data, s.base, "tenant-a")
	accountB, b := tenant(t, s.data, s.base, "tenant-b")
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "alogs", "--account", accountA)
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "blogs", "--account", accountB)

	refused := []struct {
		name, bucket, prefix string
		status               int
		code                 string
	}{
		{"B logs into A's bucket", "alogs.s3.amazonaws.com", "b/", 403, "AccessDenied"},
		{"B logs into an ungranted bucket", "clogs.s3.amazonaws.com", "b/", 403, "AccessDenied"},
		{"prefix climbs out of the bucket", "blogs.s3.amazonaws.com", "../alogs/", 400, "InvalidArgument"},
		{"prefix with a newline", "blogs.s3.amazonaws.com", "b\nx/", 400, "InvalidArgument"},
		{"prefix with shell characters", "blogs.s3.amazonaws.com", "$(touch x);/", 400, "InvalidArgument"},
		{"120-level folder tree", "blogs.s3.amazonaws.com", strings.Repeat("d/", 120), 400, "InvalidArgument"},
		{"bucket name outside S3's rules", "B_Logs.s3.amazonaws.com", "", 400, "InvalidArgument"},
		{"bucket name formatted as an IP address", "10.0.0.1.s3.amazonaws.com", "", 400, "InvalidArgument"},
	}
	for i, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			r := b.must(t, "POST", "/2012-07-01/distribution", bucketsConfig("refused-"+itoa(i), origin, tc.bucket, tc.prefix))
			if r.status != tc.status || field(bucketsCodeRE, r.body) != tc.code {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tc.status, tc.code)
			}
		})
	}

	// A floods the edge: ten requests for each of B's.
	domainA := bucketsCreate(t, a, bucketsConfig("a", origin, "alogs.s3.amazonaws.com", "a/"))
	domainB := bucketsCreate(t, b, bucketsConfig("b", origin, "blogs.s3.amazonaws.com", "b/"))
	const linesB = 100
	for i := range linesB {
		for j := range 10 {
			viewer(t, "http", s.edgeAddr, domainA, "GET", "/flood/"+itoa(i)+"/"+itoa(j))
		}
		viewer(t, "http", s.edgeAddr, domainB, "GET", "/b/"+itoa(i))
	}
	var got int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = countB(); got >= linesB {
			break
		}
	}
	if got != linesB {
		t.Fatalf("%d of B's %d log lines delivered while A's log bucket failed", got, linesB)
	}
	t.Logf("B: %d/%d lines delivered while A sent %d requests into a failing log bucket", got, linesB, 10*linesB)
}

// bucketsCountS3Lines counts the log records of the objects under prefix
// in bucket on the S3 server at endpoint, read with the AWS SDK.
func bucketsCountS3Lines(t *testing.T, endpoint, bucket, prefix string) int {
	t.Helper()
	ctx := t.Context()
	client := s3.New(s3.Options{BaseEndpoint: aws.String(endpoint), UsePathStyle: true, Region: "us-east-1",
		Credentials: awscreds.NewStaticCredentialsProvider("AKIDREADER", "reader-secret", "")})
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range list.Contents {
		obj, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(obj.Body)
		if err != nil {
			t.Fatalf("%s: %v", aws.ToString(o.Key), err)
		}
		b, _ := io.ReadAll(zr)
		obj.Body.Close()
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				n++
			}
		}
	}
	return n
}

var bucketsCodeRE = regexp.MustCompile(`<Code>([^<]+)</Code>`)

// bucketsCountLines counts the log records in the files under dir.
func bucketsCountLines(t *testing.T, dir string) int {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	ids := map[string]bool{}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") { // not a file being written
			id, _, _ := strings.Cut(e.Name(), ".")
			ids[id] = true
		}
	}
	n := 0
	for id := range ids {
		n += len(readLogs(t, dir, id))
	}
	return n
}

// TestSecurityServeQuickStartKeepsEveryBucket: the single-tenant quick
// start stays as easy as before grants: serve's bootstrap account holds
// every bucket ("*"), so its OAIs and logs work with no admin step.
func TestSecurityServeQuickStartKeepsEveryBucket(t *testing.T) {
	data := t.TempDir()
	p := start(t, `^account `, "serve", "--data", data, "--api-addr", freeAddr(t), "--edge-addr", freeAddr(t), "--admin-addr", "")
	account := regexp.MustCompile(`(?m)^account (\d{12})$`).FindStringSubmatch(p.output())
	if account == nil {
		t.Fatalf("no account line in:\n%s", p.output())
	}
	var gs []struct {
		Bucket    string `json:"bucket"`
		AccountID string `json:"account_id"`
	}
	if err := json.Unmarshal(bucketsAdmin(t, data, "--json", "bucket", "list"), &gs); err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Bucket != "*" || gs[0].AccountID != account[1] {
		t.Fatalf("grants after serve's first start: %+v, want * for %s", gs, account[1])
	}
}

// bucketsWritableConfig is a 2020-05-31 distribution of one S3 origin
// with the OAI oaiID, whose default behaviour allows every method.
func bucketsWritableConfig(ref, bucket, oaiID string) string {
	return `<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>` + ref + `</CallerReference>` +
		`<Origins><Quantity>1</Quantity><Items>` + bucketsS3Origin(bucket, oaiID) + `</Items></Origins>` +
		`<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy>` +
		`<AllowedMethods><Quantity>7</Quantity><Items><Method>GET</Method><Method>HEAD</Method><Method>OPTIONS</Method>` +
		`<Method>PUT</Method><Method>PATCH</Method><Method>POST</Method><Method>DELETE</Method></Items>` +
		`<CachedMethods><Quantity>2</Quantity><Items><Method>GET</Method><Method>HEAD</Method></Items></CachedMethods></AllowedMethods>` +
		`<ForwardedValues><QueryString>true</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues>` +
		`<MinTTL>0</MinTTL><DefaultTTL>0</DefaultTTL><MaxTTL>0</MaxTTL></DefaultCacheBehavior>` +
		`<Comment /><Enabled>true</Enabled></DistributionConfig>`
}

// TestSecurityViewersCannotWieldTheOperatorKey: the edge signs S3
// requests with one operator key, which can do anything in every bucket,
// so what it signs for a tenant must be no more than its grant says (read
// the bucket). Tenant B, granted its own bucket, allows every method on
// its distribution and, as a viewer, tries to make the edge copy tenant
// A's private object into B's bucket (PUT with X-Amz-Copy-Source, which
// moto_server, like S3, performs for the operator's key) and to delete in
// its own bucket. Writes go to S3 unsigned and the viewer's x-amz-*
// headers do not reach S3, so A's bytes are never copied nor readable
// through B, and S3 (moto_server checking signatures) refuses the
// anonymous writes.
func TestSecurityViewersCannotWieldTheOperatorKey(t *testing.T) {
	const secret = "tenant A's private bytes"
	s := bucketsStartOnMoto(t, "/abucket", "", "/abucket/secret.txt", secret, "/bbucket", "", "/bbucket/own.txt", "tenant B's bytes")
	_, a := tenant(t, s.data, s.base, "tenant-a")
	accountB, b := tenant(t, s.data, s.base, "tenant-b")
	oaiA, oaiB := bucketsOAI(t, a, "a-oai"), bucketsOAI(t, b, "b-oai")
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "abucket", "--oai", oaiA)
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "bbucket", "--account", accountB)
	domainB := bucketsCreateIn(t, b, "2020-05-31", bucketsWritableConfig("b-writable", "bbucket", oaiB))

	send := func(method, path string, header ...string) (int, string) {
		t.Helper()
		r, body := viewer(t, "http", s.edgeAddr, domainB, method, path, header...)
		return r.StatusCode, body
	}
	// Reads are what B's grant is for.
	if status, body := send("GET", "/own.txt"); status != 200 || body != "tenant B's bytes" {
		t.Fatalf("B's own object: %d %q", status, body)
	}
	for _, tc := range []struct {
		name, method, path string
		header             []string
		refused            bool // S3 (moto_server) must refuse it
	}{
		{"copy A's object into B's bucket", "PUT", "/stolen1.txt", []string{"X-Amz-Copy-Source", "/abucket/secret.txt"}, true},
		{"copy with the source unrooted", "PUT", "/stolen2.txt", []string{"X-Amz-Copy-Source", "abucket/secret.txt"}, true},
		{"copy into a part of a multipart upload", "PUT", "/stolen3.txt?partNumber=1&uploadId=x", []string{"X-Amz-Copy-Source", "abucket/secret.txt"}, true},
		{"delete an object", "DELETE", "/own.txt", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := send(tc.method, tc.path, tc.header...)
			if strings.Contains(body, secret) || tc.refused && status < 400 {
				t.Fatalf("%s %s: %d %q", tc.method, tc.path, status, body)
			}
		})
	}
	// A's bytes are nowhere in B's bucket (read through B's distribution,
	// signed), and B's object is still there.
	for i := 1; i <= 3; i++ {
		path := fmt.Sprintf("/stolen%d.txt", i)
		if status, body := send("GET", path); strings.Contains(body, secret) {
			t.Fatalf("GET %s after the attempts: %d %q", path, status, body)
		}
	}
	if status, body := send("GET", "/own.txt"); status != 200 || body != "tenant B's bytes" {
		t.Fatalf("B's own object after the attempts: %d %q", status, body)
	}
}

// TestSecurityWriteGrantWritesOnlyItsObjects: a write grant
// (`bucket grant --write`) lets a tenant upload and delete through its
// distribution, as CloudFront does for an OAI whose bucket policy allows
// s3:PutObject and s3:DeleteObject: a PUT, a multipart upload and a
// DELETE reach the bucket signed, and the objects read back. It still
// reads nothing of another tenant's bucket (a copy's source header is
// not forwarded), and granting the bucket again without --write stops
// the signed writes as soon as the edge has the change. moto_server checks
// every signature against its IAM's keys and refuses anonymous writes, as
// S3 does, so the uploads prove the edge's signatures valid.
func TestSecurityWriteGrantWritesOnlyItsObjects(t *testing.T) {
	const secret = "tenant A's private bytes"
	s := bucketsStartOnMoto(t, "/abucket", "", "/abucket/secret.txt", secret,
		"/bbucket", "", "/bbucket/old.txt", "to be deleted", "/bbucket/keep.txt", "to be kept")
	_, a := tenant(t, s.data, s.base, "tenant-a")
	accountB, b := tenant(t, s.data, s.base, "tenant-b")
	oaiA, oaiB := bucketsOAI(t, a, "a-oai"), bucketsOAI(t, b, "b-oai")
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "abucket", "--oai", oaiA)
	bucketsAdmin(t, s.data, "bucket", "grant", "--bucket", "bbucket", "--account", accountB, "--write")
	domainB := bucketsCreateIn(t, b, "2020-05-31", bucketsWritableConfig("b-writable", "bbucket", oaiB))

	send := func(method, path, body string, header ...string) (*http.Response, string) {
		t.Helper()
		var r io.Reader
		if body != "" {
			r = strings.NewReader(body)
		}
		return viewerSending(t, "http", s.edgeAddr, domainB, method, path, r, header...)
	}
	expect := func(what string, r *http.Response, body string, status int) {
		t.Helper()
		if r.StatusCode != status || strings.Contains(body, secret) {
			t.Fatalf("%s: %d %q, want %d", what, r.StatusCode, body, status)
		}
	}
	read := func(path, want string) {
		t.Helper()
		if r, body := send("GET", path, ""); r.StatusCode != 200 || body != want {
			t.Fatalf("GET %s: %d %q, want %q", path, r.StatusCode, body, want)
		}
	}

	r, body := send("PUT", "/new.txt", "uploaded through the edge", "Content-Type", "text/plain")
	expect("PUT", r, body, 200)
	read("/new.txt", "uploaded through the edge")
	// The grant reads objects, not their ACLs: unsigned, refused.
	if r, body := send("GET", "/new.txt?acl", ""); r.StatusCode < 400 || strings.Contains(body, "AccessControlPolicy") {
		t.Fatalf("GET /new.txt?acl: %d %q", r.StatusCode, body)
	}

	// A multipart upload, S3's three steps, through the edge.
	r, body = send("POST", "/big.bin?uploads", "")
	expect("create the upload", r, body, 200)
	upload := regexp.MustCompile(`<UploadId>([^<]+)</UploadId>`).FindStringSubmatch(body)
	if upload == nil {
		t.Fatalf("no UploadId in %q", body)
	}
	r, body = send("PUT", "/big.bin?partNumber=1&uploadId="+url.QueryEscape(upload[1]), "the only part")
	expect("upload a part", r, body, 200)
	complete := `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>` + r.Header.Get("ETag") + `</ETag></Part></CompleteMultipartUpload>`
	r, body = send("POST", "/big.bin?uploadId="+url.QueryEscape(upload[1]), complete)
	expect("complete the upload", r, body, 200)
	read("/big.bin", "the only part")

	r, body = send("DELETE", "/old.txt", "")
	expect("DELETE", r, body, 204)
	if r, body := send("GET", "/old.txt", ""); r.StatusCode == 200 {
		t.Fatalf("GET /old.txt after its DELETE: %d %q", r.StatusCode, body)
	}

	// A copy from A's bucket: the behaviour does not name the header, so
	// S3 gets a plain PUT of an empty body.
	r, body = send("PUT", "/stolen.txt", "", "X-Amz-Copy-Source", "/abucket/secret.txt")
	expect("a copy", r, body, 200)
	if _, body := send("GET", "/stolen.txt", ""); strings.Contains(body, secret) {
		t.Fatalf("A's object was copied into B's bucket: %q", body)
	}

	// Granted again to read only: no write is signed once the edge has it.
	bucketsAdminApplied(t, s.data, "bucket", "grant", "--bucket", "bbucket", "--account", accountB)
	r, body = send("DELETE", "/keep.txt", "")
	expect("DELETE under a read grant", r, body, 403)
	read("/keep.txt", "to be kept")
	if r, body := send("PUT", "/late.txt", "written under a read grant"); r.StatusCode < 400 {
		t.Fatalf("PUT under a read grant: %d %q", r.StatusCode, body)
	}
	if r, body := send("GET", "/late.txt", ""); r.StatusCode == 200 {
		t.Fatalf("GET /late.txt, PUT under a read grant: %d %q", r.StatusCode, body)
	}
}
