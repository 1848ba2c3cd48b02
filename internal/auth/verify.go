package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/sync/singleflight"

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
	// Service is the signing name a SigV4 or SigV4A credential scope must
	// name, such as "cloudfront-keyvaluestore"; "" means "cloudfront".
	Service string

	// lookups collapses concurrent lookups of one access key into one: a
	// flood of requests naming a real key id (ids are not secret) costs
	// one store read at a time, not one each, and a signed request does not
	// queue behind them. Nothing is cached beyond the flight, so a disabled
	// key is refused from the next lookup on.
	lookups singleflight.Group
	// v4aKeys holds SigV4A public keys derived from credentials.
	v4aKeys v4aKeyCache
}

// Verify checks r's signature. body is the request body already read: SigV4
// and SigV4A hash it unless X-Amz-Content-Sha256 is UNSIGNED-PAYLOAD. Verify returns
// the verified credential, or a *cloudfront.Error (see the package comment
// for the codes). The one exception is a Lookup failure other than
// not-found (a broken store): that error is returned wrapped, so the caller
// can log it, and cloudfront.AsError turns it into InternalError.
//
// A server should not read the body before it knows who sends it: it calls
// VerifyHeaders, reads the body (bounded), then Pending.VerifyBody. Verify
// is the two in one, for callers that hold the body already.
func (v *Verifier) Verify(r *http.Request, body []byte) (Credential, error) {
	p, err := v.VerifyHeaders(r)
	if err != nil {
		return Credential{}, err
	}
	return p.VerifyBody(body)
}

// VerifyHeaders checks everything r's headers decide, without its body:
// the Authorization header, the date, the scope, the access key, and the
// signature itself unless it covers a body hash that only the body can
// give (SigV4 or SigV4A without X-Amz-Content-Sha256). Errors are Verify's.
func (v *Verifier) VerifyHeaders(r *http.Request) (*Pending, error) {
	values := r.Header["Authorization"]
	if len(values) == 0 || values[0] == "" {
		return nil, cloudfront.NewError(cloudfront.MissingAuthenticationToken)
	}
	if len(values) > 1 {
		return nil, cloudfront.Errorf(cloudfront.IncompleteSignature, "The request carries more than one Authorization header.")
	}
	a, err := parseAuthorization(values[0])
	if err != nil {
		return nil, err
	}
	if a.scheme == schemeLegacy {
		c, err := v.verifyLegacy(r, a)
		if err != nil {
			return nil, err
		}
		// The 2012 scheme signs the date only: the body is not covered.
		return &Pending{cred: c, verified: true}, nil
	}
	return v.verifyV4Headers(r, a)
}

// Pending is a request whose headers VerifyHeaders accepted. What is left
// to check needs the body.
type Pending struct {
	cred Credential
	// verified: the signature is checked already, so the sender holds the
	// secret; what remains is at most the body's hash.
	verified bool
	// statedHash is X-Amz-Content-Sha256 as sent ("" if absent): the body
	// must hash to it.
	statedHash string
	// finish checks the SigV4 or SigV4A signature over the body's hash,
	// when verified is false.
	finish func(payloadHash string) error
}

// AccessKeyID is the access key the request names (verified or not).
func (p *Pending) AccessKeyID() string { return p.cred.AccessKeyID }

// Verified reports whether the signature is verified already, so that the
// body comes from the key's holder. When false, the sender has named a
// usable access key but is not authenticated until VerifyBody.
func (p *Pending) Verified() bool { return p.verified }

// VerifyBody finishes the check with the body and returns the credential.
func (p *Pending) VerifyBody(body []byte) (Credential, error) {
	if p.statedHash == unsignedPayload {
		return p.cred, nil
	}
	if p.verified && p.statedHash == "" {
		return p.cred, nil // the 2012 scheme
	}
	actual := sha256Hex(body)
	if p.statedHash != "" && p.statedHash != actual {
		return Credential{}, cloudfront.Errorf(cloudfront.SignatureDoesNotMatch,
			"The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	if !p.verified {
		if err := p.finish(actual); err != nil {
			return Credential{}, err
		}
	}
	return p.cred, nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) service() string {
	if v.Service != "" {
		return v.Service
	}
	return v4Service
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
	// The lookup runs without the caller's cancellation: other callers may
	// be waiting on it.
	ch := v.lookups.DoChan(accessKeyID, func() (any, error) {
		return v.Lookup(context.WithoutCancel(ctx), accessKeyID)
	})
	var c Credential
	var err error
	select {
	case res := <-ch:
		c, _ = res.Val.(Credential)
		err = res.Err
	case <-ctx.Done():
		return Credential{}, ctx.Err()
	}
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
