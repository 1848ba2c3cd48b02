package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	kvs "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore"
	kvstypes "github.com/aws/aws-sdk-go-v2/service/cloudfrontkeyvaluestore/types"
	"github.com/aws/smithy-go"

	"github.com/openfront/openfront/internal/cloudfront"
)

// The AWS SDK for Go v2's KeyValueStore client, pointed at a real server
// whose handler runs a Verifier: the peer test of SigV4A, since every SDK
// signs this API with it.

const (
	kvsARN  = "arn:aws:cloudfront::111122223333:key-value-store/9b7a1f3e-2c4d-4e5f-8a6b-7c8d9e0f1a2b"
	kvsETag = "ETVPDKIKX0DER"
)

// kvsRequest is what the server saw of a request.
type kvsRequest struct {
	method, host, auth, regionSet, body string
	err                                 error // Verify's
	accountID                           string
}

// kvsSeen holds the last request the server saw.
type kvsSeen struct {
	mu   sync.Mutex
	last kvsRequest
}

func (s *kvsSeen) get() kvsRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// newKVSServer starts a server that verifies each request with v and
// answers as the KeyValueStore API does: a minimal valid JSON for the
// operation, or the error's status with its code in X-Amzn-ErrorType
// (restJson1's error shape, which the SDK reads into smithy.APIError).
func newKVSServer(t *testing.T, v *Verifier) (*httptest.Server, *kvsSeen) {
	t.Helper()
	seen := &kvsSeen{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c, err := v.Verify(r, body)
		seen.mu.Lock()
		seen.last = kvsRequest{method: r.Method, host: r.Host, auth: r.Header.Get("Authorization"), regionSet: r.Header.Get(headerAmzRegionSet),
			body: string(body), err: err, accountID: c.AccountID}
		seen.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			e := cloudfront.AsError(err)
			w.Header().Set("X-Amzn-ErrorType", string(e.Code))
			w.WriteHeader(e.Status())
			json.NewEncoder(w).Encode(map[string]string{"Message": e.Message})
			return
		}
		w.Header().Set("ETag", kvsETag)
		store := "/key-value-stores/" + kvsARN
		switch {
		case r.Method == "GET" && r.URL.Path == store:
			io.WriteString(w, `{"KvsARN":"`+kvsARN+`","Name":"kvs1","Created":1.7e9,"Status":"READY","ItemCount":1,"TotalSizeInBytes":4}`)
		case r.Method == "GET" && r.URL.Path == store+"/keys":
			io.WriteString(w, `{"Items":[{"Key":"k1","Value":"v1"}]}`)
		case r.Method == "GET":
			io.WriteString(w, `{"Key":"k1","Value":"v1","ItemCount":1,"TotalSizeInBytes":4}`)
		default: // PutKey, DeleteKey, UpdateKeys
			io.WriteString(w, `{"ItemCount":1,"TotalSizeInBytes":4}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// doer is the SDK client's HTTP client: it sends every request to the test
// server, whatever the host (the SDK puts the ARN's account id in front of
// the endpoint's host), after tamper changes it, as a man in the middle
// would, once the SDK has signed it.
type doer struct {
	client *http.Client
	tamper func(r *http.Request)
}

func (d doer) Do(r *http.Request) (*http.Response, error) {
	if d.tamper != nil {
		d.tamper(r)
	}
	return d.client.Do(r)
}

func newKVSClient(t *testing.T, srv *httptest.Server, keyID, secret string, tamper func(*http.Request)) *kvs.Client {
	t.Helper()
	addr := srv.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return kvs.New(kvs.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(keyID, secret, ""),
		HTTPClient:       doer{client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, tamper: tamper},
		RetryMaxAttempts: 1,
	})
}

// kvsOps are the data-plane operations, each called as an application
// would.
var kvsOps = map[string]func(ctx context.Context, c *kvs.Client) error{
	"DescribeKeyValueStore": func(ctx context.Context, c *kvs.Client) error {
		out, err := c.DescribeKeyValueStore(ctx, &kvs.DescribeKeyValueStoreInput{KvsARN: aws.String(kvsARN)})
		if err == nil && aws.ToString(out.KvsARN) != kvsARN {
			err = errors.New("DescribeKeyValueStore answered for another store")
		}
		return err
	},
	"GetKey": func(ctx context.Context, c *kvs.Client) error {
		_, err := c.GetKey(ctx, &kvs.GetKeyInput{KvsARN: aws.String(kvsARN), Key: aws.String("k1")})
		return err
	},
	"ListKeys": func(ctx context.Context, c *kvs.Client) error {
		// A token that needs escaping in the query.
		_, err := c.ListKeys(ctx, &kvs.ListKeysInput{KvsARN: aws.String(kvsARN), MaxResults: aws.Int32(10), NextToken: aws.String("a/b+c d==")})
		return err
	},
	"PutKey": func(ctx context.Context, c *kvs.Client) error {
		_, err := c.PutKey(ctx, &kvs.PutKeyInput{KvsARN: aws.String(kvsARN), IfMatch: aws.String(kvsETag), Key: aws.String("k1"), Value: aws.String("v1")})
		return err
	},
	"DeleteKey": func(ctx context.Context, c *kvs.Client) error {
		_, err := c.DeleteKey(ctx, &kvs.DeleteKeyInput{KvsARN: aws.String(kvsARN), IfMatch: aws.String(kvsETag), Key: aws.String("k 1/ü")})
		return err
	},
	"UpdateKeys": func(ctx context.Context, c *kvs.Client) error {
		_, err := c.UpdateKeys(ctx, &kvs.UpdateKeysInput{KvsARN: aws.String(kvsARN), IfMatch: aws.String(kvsETag),
			Puts:    []kvstypes.PutKeyRequestListItem{{Key: aws.String("k1"), Value: aws.String("v1")}},
			Deletes: []kvstypes.DeleteKeyRequestListItem{{Key: aws.String("k2")}}})
		return err
	},
}

// TestKVSClient: every operation the SDK signs verifies, with SigV4A for
// cloudfront-keyvaluestore and the region set "*".
func TestKVSClient(t *testing.T) {
	for _, name := range []string{"DescribeKeyValueStore", "GetKey", "ListKeys", "PutKey", "DeleteKey", "UpdateKeys"} {
		t.Run(name, func(t *testing.T) {
			srv, seen := newKVSServer(t, kvsVerifierNow())
			c := newKVSClient(t, srv, testKeyID, testSecret, nil)
			if err := kvsOps[name](t.Context(), c); err != nil {
				t.Fatalf("%v (server: %v)", err, seen.get().err)
			}
			s := seen.get()
			if s.err != nil || s.accountID != testAccount {
				t.Fatalf("server: %v, account %q", s.err, s.accountID)
			}
			if want := v4aAlgorithm + " Credential=" + testKeyID + "/"; !strings.HasPrefix(s.auth, want) || !strings.Contains(s.auth, "/"+kvsService+"/aws4_request,") {
				t.Errorf("Authorization %q: not SigV4A for %s", s.auth, kvsService)
			}
			if s.regionSet != "*" {
				t.Errorf("X-Amz-Region-Set = %q", s.regionSet)
			}
			if !strings.HasPrefix(s.host, testAccount+".") {
				t.Errorf("host %q lacks the account prefix", s.host)
			}
			if (s.method == "PUT" || s.method == "POST") && s.body == "" {
				t.Errorf("%s without a body", s.method)
			}
		})
	}
}

// kvsVerifierNow is the KeyValueStore's verifier on the real clock, which
// the SDK signs with.
func kvsVerifierNow() *Verifier {
	return &Verifier{Lookup: testLookup, Service: kvsService}
}

// TestKVSClientRefused: what is not the key holder's request, as sent, is
// refused with the code the SigV4 path gives, and the SDK reads that code.
func TestKVSClientRefused(t *testing.T) {
	replaceBody := func(old, new string) func(*http.Request) {
		return func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			b = bytes.Replace(b, []byte(old), []byte(new), 1)
			r.Body = io.NopCloser(bytes.NewReader(b))
			r.GetBody = nil
		}
	}
	cases := []struct {
		name, op      string
		keyID, secret string
		verifier      func(v *Verifier)
		tamper        func(*http.Request)
		code          cloudfront.Code
		message       string // a prefix of the message, when it matters
	}{
		{name: "wrong secret", op: "DescribeKeyValueStore", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY", code: cloudfront.SignatureDoesNotMatch},
		{name: "wrong secret, PUT", op: "PutKey", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY", code: cloudfront.SignatureDoesNotMatch},
		{name: "unknown access key", op: "DescribeKeyValueStore", keyID: "AKIAUNKNOWNEXAMPLE11", code: cloudfront.InvalidClientTokenId},
		{name: "disabled access key", op: "PutKey", keyID: "AKIADISABLEDEXAMPLE1", code: cloudfront.InvalidClientTokenId},
		{name: "tampered body", op: "PutKey", tamper: replaceBody(`"v1"`, `"v2"`), code: cloudfront.SignatureDoesNotMatch},
		{name: "tampered body, UpdateKeys", op: "UpdateKeys", tamper: replaceBody(`"k2"`, `"k3"`), code: cloudfront.SignatureDoesNotMatch},
		{name: "tampered If-Match", op: "PutKey", tamper: func(r *http.Request) { r.Header.Set("If-Match", "E2QWRUHAPOMQZL") },
			code: cloudfront.SignatureDoesNotMatch},
		{name: "tampered region set", op: "DescribeKeyValueStore", tamper: func(r *http.Request) { r.Header.Set(headerAmzRegionSet, "us-east-1") },
			code: cloudfront.SignatureDoesNotMatch},
		{name: "region set stripped", op: "DescribeKeyValueStore", tamper: func(r *http.Request) { r.Header.Del(headerAmzRegionSet) },
			code: cloudfront.IncompleteSignature},
		{name: "another store's ARN", op: "GetKey", tamper: func(r *http.Request) {
			r.URL.Path = strings.Replace(r.URL.Path, "9b7a1f3e", "0000aaaa", 1)
			r.URL.RawPath = strings.Replace(r.URL.RawPath, "9b7a1f3e", "0000aaaa", 1)
		}, code: cloudfront.SignatureDoesNotMatch},
		{name: "tampered query", op: "ListKeys", tamper: func(r *http.Request) { r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "10", "11", 1) },
			code: cloudfront.SignatureDoesNotMatch},
		{name: "control-plane verifier", op: "DescribeKeyValueStore", verifier: func(v *Verifier) { v.Service = "" },
			code: cloudfront.SignatureDoesNotMatch, message: "Credential should be scoped to correct service: 'cloudfront'."},
		{name: "verifier of another service", op: "PutKey", verifier: func(v *Verifier) { v.Service = "s3" },
			code: cloudfront.SignatureDoesNotMatch, message: "Credential should be scoped to correct service: 's3'."},
		{name: "expired", op: "DescribeKeyValueStore", verifier: func(v *Verifier) { v.Now = func() time.Time { return time.Now().Add(20 * time.Minute) } },
			code: cloudfront.SignatureDoesNotMatch, message: "Signature expired"},
		{name: "not yet current", op: "PutKey", verifier: func(v *Verifier) { v.Now = func() time.Time { return time.Now().Add(-20 * time.Minute) } },
			code: cloudfront.SignatureDoesNotMatch, message: "Signature not yet current"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := kvsVerifierNow()
			if tc.verifier != nil {
				tc.verifier(v)
			}
			keyID, secret := testKeyID, testSecret
			if tc.keyID != "" {
				keyID = tc.keyID
			}
			if tc.secret != "" {
				secret = tc.secret
			}
			srv, seen := newKVSServer(t, v)
			c := newKVSClient(t, srv, keyID, secret, tc.tamper)
			err := kvsOps[tc.op](t.Context(), c)
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want an API error %s (server: %v)", err, tc.code, seen.get().err)
			}
			if apiErr.ErrorCode() != string(tc.code) || !strings.HasPrefix(apiErr.ErrorMessage(), tc.message) {
				t.Fatalf("error %s: %q, want %s: %q...", apiErr.ErrorCode(), apiErr.ErrorMessage(), tc.code, tc.message)
			}
			if s := seen.get(); s.accountID != "" {
				t.Fatalf("server accepted the request for account %q", s.accountID)
			}
		})
	}
}
