package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// awscli2Find returns the path of an AWS CLI v2: Debian's awscli package
// puts one at /usr/bin/aws, but an AWS CLI v1 (pip's) may come earlier on
// PATH, so each candidate is asked for its version. Without one the test
// skips, except in CI (CI=true), whose .ci/run installs it: there a
// missing v2 is a failure, not a silent skip.
func awscli2Find(t *testing.T) string {
	t.Helper()
	candidates := []string{"/usr/bin/aws"}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir != "" {
			candidates = append(candidates, filepath.Join(dir, "aws"))
		}
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err != nil || fi.IsDir() {
			continue
		}
		cmd := exec.Command(c, "--version")
		cmd.Env = append(os.Environ(), "AWS_PAGER=")
		out, err := cmd.CombinedOutput()
		if err == nil && strings.HasPrefix(strings.TrimSpace(string(out)), "aws-cli/2") {
			return c
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no AWS CLI v2 (aws --version: aws-cli/2…) is installed; .ci/run installs Debian's awscli")
	}
	t.Skip("no AWS CLI v2 installed (Debian's awscli package has one)")
	return ""
}

// awscli2 runs one `aws cloudfront` command against the API. It returns
// the decoded JSON output (nil when there is none), and for a failed
// command its exit code and stderr.
type awscli2 struct {
	t      *testing.T
	bin    string
	apiURL string
	env    []string
}

func (a *awscli2) run(args ...string) (out any, code int, stderr string) {
	a.t.Helper()
	cmd := exec.Command(a.bin, append([]string{"cloudfront", "--endpoint-url", a.apiURL, "--output", "json"}, args...)...)
	cmd.Env = a.env
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return nil, exit.ExitCode(), se.String()
	case err != nil:
		a.t.Fatalf("aws cloudfront %s: %v", strings.Join(args, " "), err)
	}
	if s := strings.TrimSpace(so.String()); s != "" {
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			a.t.Fatalf("aws cloudfront %s: %v\n%s", args[0], err, s)
		}
	}
	return out, 0, se.String()
}

// must runs a command that has to succeed and returns its output as a map.
func (a *awscli2) must(args ...string) map[string]any {
	a.t.Helper()
	out, code, stderr := a.run(args...)
	if code != 0 {
		a.t.Fatalf("aws cloudfront %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	m, _ := out.(map[string]any)
	return m
}

// fails runs a command that has to fail as the service refused it: exit
// code 254 ("The command successfully parsed and a request was made to
// the specified service but the service returned an error", AWS CLI user
// guide, "Command line return codes") and CloudFront's error code in
// stderr ("An error occurred (Code) when calling the Op operation").
func (a *awscli2) fails(code string, args ...string) {
	a.t.Helper()
	_, exit, stderr := a.run(args...)
	if exit != 254 || !strings.Contains(stderr, "An error occurred ("+code+")") {
		a.t.Fatalf("aws cloudfront %s: exit %d, want 254 with %s\n%s", strings.Join(args, " "), exit, code, stderr)
	}
}

// file writes v as JSON into a file of the test and returns its file:// URL.
func awscli2File(t *testing.T, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return "file://" + p
}

// TestAWSCLI2: Debian's AWS CLI v2 drives the real binary through a
// distribution's whole life: create with --origin-domain-name and with
// --distribution-config file://, get, list (paginated, one per page),
// an invalidation and its waiter, tags, Terraform's disable (what
// get-distribution-config returned, sent back with Enabled=false, comes
// back unchanged), the distribution-deployed waiter, delete, and
// CloudFront's errors as the CLI reports them.
func TestAWSCLI2(t *testing.T) {
	bin := awscli2Find(t)
	apiURL, edgeAddr, env := api2020Serve(t)
	// The CLI's own files (history, caches) stay in the test's folder.
	env = append(env, "HOME="+t.TempDir())
	a := &awscli2{t: t, bin: bin, apiURL: apiURL, env: env}
	o := newOrigin(t)

	short := a.must("create-distribution", "--origin-domain-name", "origin.example.com")
	shortID, _ := api2020Get(short, "Distribution", "Id").(string)
	shortETag, _ := short["ETag"].(string)
	if got := api2020Get(short, "Distribution", "DistributionConfig", "Origins", "Quantity"); shortID == "" || shortETag == "" || got != float64(1) {
		t.Fatalf("create-distribution --origin-domain-name: %v", short)
	}

	host, port := hostPort(t, o.http.URL)
	cfg := map[string]any{
		"CallerReference": "cli2-e2e", "Comment": "AWS CLI v2", "Enabled": true,
		"Origins": map[string]any{"Quantity": 1, "Items": []any{map[string]any{
			"Id": "o", "DomainName": host,
			"CustomOriginConfig": map[string]any{"HTTPPort": port, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"},
		}}},
		"DefaultCacheBehavior": map[string]any{
			"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all", "MinTTL": 0,
			"ForwardedValues": map[string]any{"QueryString": false, "Cookies": map[string]any{"Forward": "none"}},
		},
	}
	created := a.must("create-distribution", "--distribution-config", awscli2File(t, "create.json", cfg))
	id, _ := api2020Get(created, "Distribution", "Id").(string)
	domain, _ := api2020Get(created, "Distribution", "DomainName").(string)
	arn, _ := api2020Get(created, "Distribution", "ARN").(string)
	if loc, _ := created["Location"].(string); id == "" || !strings.HasSuffix(loc, "/2020-05-31/distribution/"+id) {
		t.Fatalf("create-distribution --distribution-config: Location %q for %q", loc, id)
	}
	a.must("wait", "distribution-deployed", "--id", id)
	if got := api2020Get(a.must("get-distribution", "--id", id), "Distribution", "Status"); got != "Deployed" {
		t.Fatalf("get-distribution after the waiter: Status %v", got)
	}

	res, body := viewer(t, "http", edgeAddr, domain, "GET", "/page.html")
	if res.StatusCode != 200 || !strings.Contains(body, "path=/page.html") {
		t.Fatalf("edge: %d %s", res.StatusCode, body)
	}

	// One distribution per page: the CLI follows NextMarker to the end.
	listed, code, stderr := a.run("list-distributions", "--page-size", "1", "--query", "DistributionList.Items[].Id")
	var ids []string
	for _, v := range asSlice(listed) {
		s, _ := v.(string)
		ids = append(ids, s)
	}
	sort.Strings(ids)
	want := []string{id, shortID}
	sort.Strings(want)
	if code != 0 || !reflect.DeepEqual(ids, want) {
		t.Fatalf("list-distributions --page-size 1: %v (exit %d %s), want %v", ids, code, stderr, want)
	}

	inv := a.must("create-invalidation", "--distribution-id", id, "--paths", "/page.html")
	invID, _ := api2020Get(inv, "Invalidation", "Id").(string)
	a.must("wait", "invalidation-completed", "--distribution-id", id, "--id", invID)
	if res, _ := viewer(t, "http", edgeAddr, domain, "GET", "/page.html"); res.StatusCode != 200 || o.count("/page.html") != 2 {
		t.Fatalf("after the invalidation: %d, origin asked %d times, want 2", res.StatusCode, o.count("/page.html"))
	}

	a.must("tag-resource", "--resource", arn, "--tags", "Items=[{Key=team,Value=web},{Key=env,Value=test}]")
	a.must("untag-resource", "--resource", arn, "--tag-keys", "Items=env")
	tags := a.must("list-tags-for-resource", "--resource", arn)
	if got := api2020Get(tags, "Tags", "Items"); !reflect.DeepEqual(got, []any{map[string]any{"Key": "team", "Value": "web"}}) {
		t.Fatalf("list-tags-for-resource: %v", got)
	}

	// Terraform's disable: what get-distribution-config returned, sent back
	// with Enabled=false, is what the update returns.
	got := a.must("get-distribution-config", "--id", id)
	conf, _ := got["DistributionConfig"].(map[string]any)
	etag, _ := got["ETag"].(string)
	conf["Enabled"] = false
	upd := a.must("update-distribution", "--id", id, "--if-match", etag, "--distribution-config", awscli2File(t, "disable.json", conf))
	if after := api2020Get(upd, "Distribution", "DistributionConfig"); !reflect.DeepEqual(after, any(conf)) {
		t.Fatalf("update-distribution changed the config:\n sent %v\n got  %v", conf, after)
	}
	newETag, _ := upd["ETag"].(string)
	if newETag == "" || newETag == etag {
		t.Fatalf("update-distribution: ETag %q after %q", newETag, etag)
	}
	a.must("wait", "distribution-deployed", "--id", id)
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, _ := viewer(t, "http", edgeAddr, domain, "GET", "/page.html")
		if res.StatusCode == 403 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the disabled distribution still answers %d", res.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// CloudFront's errors, as the CLI reports them (each CLI start costs
	// about a second of CPU, so a few: the codes are the API tests' job).
	a.fails("DistributionNotDisabled", "delete-distribution", "--id", shortID, "--if-match", shortETag)
	a.fails("PreconditionFailed", "delete-distribution", "--id", id, "--if-match", etag)

	a.must("delete-distribution", "--id", id, "--if-match", newETag)
	a.fails("NoSuchDistribution", "get-distribution", "--id", id)
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
