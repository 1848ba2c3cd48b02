package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/store"
)

// Credential is an access key as the verifier needs it.
type Credential struct {
	AccessKeyID, Secret, AccountID string
	Disabled                       bool
}

// Lookup finds a credential by access key id. It returns an error wrapping
// store.ErrNotFound when there is none. It may also return a
// *cloudfront.Error (for example InvalidClientTokenId for a key of a
// disabled account), which Verify passes on unchanged.
type Lookup func(ctx context.Context, accessKeyID string) (Credential, error)

// DefaultMaxSkew is how far a request's date may be from the server's clock.
const DefaultMaxSkew = 15 * time.Minute

// Verifier checks request signatures. Its fields are read-only once it is in
// use, so one Verifier serves concurrent requests.
type Verifier struct {
	// Lookup finds credentials. It must not be nil.
	Lookup Lookup
	// Now is the server clock; nil means time.Now.
	Now func() time.Time
	// MaxSkew is the largest accepted distance between the request's date
	// and Now; 0 means DefaultMaxSkew.
	MaxSkew time.Duration
}

// Verify checks r's signature. body is the request body already read: SigV4
// hashes it unless X-Amz-Content-Sha256 is UNSIGNED-PAYLOAD. Verify returns
// the verified credential, or a *cloudfront.Error (see the package comment
// for the codes). The one exception is a Lookup failure other than
// not-found (a broken store): that error is returned wrapped, so the caller
// can log it, and cloudfront.AsError turns it into InternalError.
func (v *Verifier) Verify(r *http.Request, body []byte) (Credential, error) {
	values := r.Header["Authorization"]
	if len(values) == 0 || values[0] == "" {
		return Credential{}, cloudfront.NewError(cloudfront.MissingAuthenticationToken)
	}
	if len(values) > 1 {
		return Credential{}, cloudfront.Errorf(cloudfront.IncompleteSignature, "The request carries more than one Authorization header.")
	}
	a, err := parseAuthorization(values[0])
	if err != nil {
		return Credential{}, err
	}
	if a.scheme == schemeLegacy {
		return v.verifyLegacy(r, a)
	}
	return v.verifyV4(r, body, a)
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) maxSkew() time.Duration {
	if v.MaxSkew > 0 {
		return v.MaxSkew
	}
	return DefaultMaxSkew
}

// credential looks the key up and turns every way of not having a usable
// key into InvalidClientTokenId.
func (v *Verifier) credential(ctx context.Context, accessKeyID string) (Credential, error) {
	if v.Lookup == nil {
		return Credential{}, cloudfront.NewError(cloudfront.InvalidClientTokenId)
	}
	c, err := v.Lookup(ctx, accessKeyID)
	if errors.Is(err, store.ErrNotFound) {
		return Credential{}, cloudfront.NewError(cloudfront.InvalidClientTokenId)
	}
	var apiErr *cloudfront.Error
	if errors.As(err, &apiErr) {
		return Credential{}, apiErr
	}
	if err != nil {
		return Credential{}, fmt.Errorf("auth: looking up access key %q: %w", accessKeyID, err)
	}
	// An empty secret would make every HMAC computable by anyone.
	if c.Disabled || c.Secret == "" {
		return Credential{}, cloudfront.NewError(cloudfront.InvalidClientTokenId)
	}
	return c, nil
}

// skewed reports whether t is more than MaxSkew away from now.
func (v *Verifier) skewed(t, now time.Time) bool {
	d := now.Sub(t)
	return d > v.maxSkew() || d < -v.maxSkew()
}
