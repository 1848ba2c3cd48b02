package testpeer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MotoIAM is a moto_server that can be made to check requests as S3
// does: once Enforce is called it verifies every request's SigV4
// signature against the access keys of its IAM (a wrong signature is
// SignatureDoesNotMatch) and refuses anonymous requests to private
// buckets, writes included, which it otherwise takes.
type MotoIAM struct {
	Endpoint string
	// Key is an access key whose user may do anything: the operator's.
	Key aws.Credentials
}

// MotoServerIAM starts moto_server as MotoServer does and makes an IAM
// user with an access key allowed everything. Until Enforce, requests
// are not checked, so a test can set up buckets and objects anonymously.
func MotoServerIAM(t testing.TB) *MotoIAM {
	t.Helper()
	m := &MotoIAM{Endpoint: MotoServer(t)}
	m.iam(t, url.Values{"Action": {"CreateUser"}, "UserName": {"operator"}})
	var created struct {
		AccessKeyID     string `xml:"CreateAccessKeyResult>AccessKey>AccessKeyId"`
		SecretAccessKey string `xml:"CreateAccessKeyResult>AccessKey>SecretAccessKey"`
	}
	if err := xml.Unmarshal(m.iam(t, url.Values{"Action": {"CreateAccessKey"}, "UserName": {"operator"}}), &created); err != nil || created.AccessKeyID == "" {
		t.Fatalf("moto_server CreateAccessKey: %v %+v", err, created)
	}
	m.Key = aws.Credentials{AccessKeyID: created.AccessKeyID, SecretAccessKey: created.SecretAccessKey}
	m.iam(t, url.Values{"Action": {"PutUserPolicy"}, "UserName": {"operator"}, "PolicyName": {"everything"},
		"PolicyDocument": {`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}})
	return m
}

// iam calls moto_server's IAM query API. Requests are routed by the
// service their signature names, so it signs them (with any key: none is
// checked before Enforce).
func (m *MotoIAM) iam(t testing.TB, form url.Values) []byte {
	t.Helper()
	form.Set("Version", "2010-05-08")
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, m.Endpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "AKIDSETUP", SecretAccessKey: "setup"},
		req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("moto_server IAM %s: %d %s", form.Get("Action"), res.StatusCode, b)
	}
	return b
}

// Enforce makes moto_server check every later request.
func (m *MotoIAM) Enforce(t testing.TB) {
	t.Helper()
	res, err := http.Post(m.Endpoint+"/moto-api/reset-auth", "text/plain", strings.NewReader("0"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("moto_server reset-auth: %d", res.StatusCode)
	}
}
