package api

import (
	"context"
	"strings"
	"testing"

	"github.com/openfront/openfront/internal/buckets"
)

// withLogging turns on a config's logging into bucket with prefix.
func withLogging(config, bucket, prefix string) string {
	for _, off := range []string{
		"<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>",
		"<Logging><Enabled>false</Enabled><Bucket></Bucket><Prefix></Prefix></Logging>",
	} {
		on := strings.Replace(strings.Replace(off, "false", "true", 1), "<Bucket></Bucket><Prefix></Prefix>",
			"<Bucket>"+bucket+"</Bucket><Prefix>"+prefix+"</Prefix>", 1)
		config = strings.Replace(config, off, on, 1)
	}
	return config
}

// TestLogBucketGrants: an account logs only into buckets granted to it.
// CloudFront refuses a log bucket the caller may not write with
// AccessDenied (403) "You don't have permission to access the S3 bucket
// for CloudFront logs: <bucket>" when a distribution is created or its log
// bucket changes (hashicorp/terraform-provider-aws#3622 quotes it).
func TestLogBucketGrants(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { testLogBucketGrants(t, newTestEnvOn(t, b.open)) })
	}
}

func testLogBucketGrants(t *testing.T, e *testEnv) {
	ctx := context.Background()
	other, key2, err := e.svc.CreateAccount(ctx, "", "tenant-b")
	if err != nil {
		t.Fatal(err)
	}
	grant := func(g buckets.Grant) {
		t.Helper()
		if _, err := e.svc.GrantBucket(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	// The env's account holds "*"; tenant B holds its own bucket, and its
	// OAI may read "media", which gives no right to write logs there.
	grant(buckets.Grant{Bucket: "blogs", AccountID: other.ID})
	res := e.doAs(key2, "POST", "/2012-07-01/origin-access-identity/cloudfront", oaiConfig("b-oai", "b"))
	if res.status != 201 {
		t.Fatalf("create OAI: %d %s", res.status, res.body)
	}
	grant(buckets.Grant{Bucket: "media", OAIID: firstID(res.body)})

	const path = "/2012-07-01/distribution"
	tests := []struct {
		name, ref, bucket string
		status            int
	}{
		{"another tenant's bucket", "b-1", "alogs.s3.amazonaws.com", 403},
		{"a bucket only its OAI may read", "b-2", "media.s3.amazonaws.com", 403},
		{"its own bucket", "b-3", "blogs.s3.amazonaws.com", 201},
		{"its own bucket, regional endpoint", "b-4", "blogs.s3-eu-west-1.amazonaws.com", 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.doAs(key2, "POST", path, withLogging(distConfig("ref", tt.ref), tt.bucket, "b/"))
			if r.status != tt.status {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if tt.status == 403 && errorCode(r.body) != "AccessDenied" {
				t.Fatalf("code %q", errorCode(r.body))
			}
		})
	}
	denied := e.doAs(key2, "POST", path, withLogging(distConfig("ref", "b-golden"), "alogs.s3.amazonaws.com", ""))
	golden(t, "logbucket.denied.xml", denied.body)

	// Streaming distributions follow the same rule.
	if r := e.doAs(key2, "POST", streamingPath, withLogging(streamingConfig("ref", "bs-1"), "alogs.s3.amazonaws.com", "")); r.status != 403 || errorCode(r.body) != "AccessDenied" {
		t.Errorf("streaming into another tenant's bucket: %d %s", r.status, r.body)
	}
	if r := e.doAs(key2, "POST", streamingPath, withLogging(streamingConfig("ref", "bs-2"), "blogs.s3.amazonaws.com", "")); r.status != 201 {
		t.Errorf("streaming into its own bucket: %d %s", r.status, r.body)
	}

	// After a revoke, an update that keeps the bucket passes (the edge no
	// longer delivers there); one that moves to an ungranted bucket fails.
	created := e.doAs(key2, "POST", path, withLogging(distConfig("ref", "b-upd"), "blogs.s3.amazonaws.com", "b/"))
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	id, etag := firstID(created.body), created.header.Get("ETag")
	if err := e.svc.RevokeBucket(ctx, buckets.Grant{Bucket: "blogs", AccountID: other.ID}); err != nil {
		t.Fatal(err)
	}
	upd := e.doAs(key2, "PUT", path+"/"+id+"/config", withLogging(distConfig("ref", "b-upd", "comment", "x"), "blogs.s3.amazonaws.com", "c/"), "If-Match", etag)
	if upd.status != 200 {
		t.Fatalf("update keeping the bucket: %d %s", upd.status, upd.body)
	}
	moved := e.doAs(key2, "PUT", path+"/"+id+"/config", withLogging(distConfig("ref", "b-upd"), "alogs.s3.amazonaws.com", "c/"), "If-Match", upd.header.Get("ETag"))
	if moved.status != 403 || errorCode(moved.body) != "AccessDenied" {
		t.Fatalf("update into another tenant's bucket: %d %s", moved.status, moved.body)
	}

	// The env's account holds "*": any well-formed bucket.
	if r := e.do("POST", path, withLogging(distConfig("ref", "a-1"), "alogs.s3.amazonaws.com", "a/")); r.status != 201 {
		t.Errorf("account with every bucket: %d %s", r.status, r.body)
	}
	// Bad names are InvalidArgument before any grant is looked at.
	for _, bad := range [][2]string{{"alogs.s3.amazonaws.com", "a/../b/"}, {"alogs.s3.amazonaws.com", "$(id)"}, {"al_ogs.s3.amazonaws.com", ""}} {
		if r := e.do("POST", path, withLogging(distConfig("ref", "bad-"+bad[1]), bad[0], bad[1])); r.status != 400 || errorCode(r.body) != "InvalidArgument" {
			t.Errorf("bucket %q prefix %q: %d %s", bad[0], bad[1], r.status, r.body)
		}
	}
}
