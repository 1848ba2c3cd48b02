package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// The secret of AWS's documentation examples, and the time of the 2012 example.
const (
	testKeyID   = "AKIAIOSFODNN7EXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testAccount = "111122223333"
)

var (
	testNow       = time.Date(2012, 5, 17, 19, 37, 58, 0, time.UTC)
	errStoreBroke = errors.New("database is closed")
)

// testCredentials is the key table testLookup reads.
var testCredentials = map[string]Credential{
	testKeyID:              {AccessKeyID: testKeyID, Secret: testSecret, AccountID: testAccount},
	"AKIADISABLEDEXAMPLE1": {AccessKeyID: "AKIADISABLEDEXAMPLE1", Secret: testSecret, AccountID: testAccount, Disabled: true},
	"AKIANOSECRETEXAMPLE1": {AccessKeyID: "AKIANOSECRETEXAMPLE1", AccountID: testAccount},
}

// testLookup answers like a store: not found, a closed account reported as
// an API error, a broken store, or the credential.
func testLookup(_ context.Context, id string) (Credential, error) {
	switch id {
	case "AKIACLOSEDACCOUNTEX1":
		return Credential{}, cloudfront.Errorf(cloudfront.InvalidClientTokenId, "The account is disabled.")
	case "AKIABROKENSTOREEXA1":
		return Credential{}, errStoreBroke
	}
	c, ok := testCredentials[id]
	if !ok {
		return Credential{}, fmt.Errorf("access key %s: %w", id, store.ErrNotFound)
	}
	return c, nil
}

func testVerifier() *Verifier {
	return &Verifier{Lookup: testLookup, Now: func() time.Time { return testNow }}
}

// wantAPIError checks that err is a 403 *cloudfront.Error with the code.
func wantAPIError(t *testing.T, err error, code cloudfront.Code) *cloudfront.Error {
	t.Helper()
	var e *cloudfront.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want *cloudfront.Error %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%q), want %s", e.Code, e.Message, code)
	}
	if e.Status() != http.StatusForbidden {
		t.Fatalf("status = %d, want 403", e.Status())
	}
	return e
}
