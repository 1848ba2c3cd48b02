package feed

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/openfront/openfront/internal/store"
)

// Identity is the one edge a feed credential may act as. An edge key acts
// as the edge whose id is the key's id, in the key's price class; the
// shared secret acts as Server.SecretEdge. Registering, polling,
// acknowledging and heartbeating as any other edge is refused (403), so a
// leaked or misused credential can neither add edges nor keep a ghost
// edge live nor acknowledge for an edge that purged nothing.
type Identity struct {
	EdgeID     string
	PriceClass string // a cloudfront.PriceClass constant
	KeyID      string // the edge key; "" for the shared secret
}

// errForbidden is a credential acting beyond its identity.
func errForbidden(format string, args ...any) error {
	return &httpError{status: http.StatusForbidden, msg: fmt.Sprintf(format, args...)}
}

// allows refuses requests about another edge than the identity's.
func (id Identity) allows(edgeID string) error {
	if edgeID != id.EdgeID {
		return errForbidden("this credential acts as edge %q only, not %q", id.EdgeID, edgeID)
	}
	return nil
}

// allowsRegister refuses a registration under another id or price class.
func (id Identity) allowsRegister(req RegisterRequest) error {
	if err := id.allows(req.ID); err != nil {
		return err
	}
	if req.PriceClass != id.PriceClass {
		return errForbidden("this credential registers edge %q in %s only, not %s (check --price-class)",
			id.EdgeID, id.PriceClass, req.PriceClass)
	}
	return nil
}

var errBadCredentials = errors.New("authorization: bad credentials")

// authenticate returns the identity the request's credential acts as. An
// error other than an *httpError is answered 401.
func (s *Server) authenticate(r *http.Request) (Identity, error) {
	if s.Auth != nil {
		return s.Auth(r)
	}
	keyID, secret, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return Identity{}, err
	}
	if keyID == SharedKeyID {
		if s.Secret == "" || s.SecretEdge.EdgeID == "" ||
			subtle.ConstantTimeCompare([]byte(secret), []byte(s.Secret)) != 1 {
			return Identity{}, errBadCredentials
		}
		return s.SecretEdge, nil
	}
	k, err := s.edgeKey(r.Context(), keyID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Identity{}, fmt.Errorf("authorization: %w", err)
	}
	// Compare even for an unknown key, so timing tells nothing.
	ok := subtle.ConstantTimeCompare([]byte(secret), []byte(k.Secret)) == 1
	if err != nil || !ok || k.Secret == "" {
		return Identity{}, errBadCredentials
	}
	pc, err := NormalizeEdgePriceClass(k.PriceClass)
	if err != nil {
		// Keys made before keys were bound to an edge have no price class.
		return Identity{}, errForbidden("edge key %s is bound to no price class: make a new one with "+
			"'openfront admin edge-key create --price-class 100|200|All' and delete this one", k.ID)
	}
	return Identity{EdgeID: k.ID, PriceClass: pc, KeyID: k.ID}, nil
}

// keyCacheTTL is how long a node trusts an edge key it read: a revoked
// key may go on polling and acknowledging for that long (registering
// always reads the store again). Reading the key for every request cost
// two store reads per edge per change, which with 50 edges took the
// read connections the API's own requests need.
const keyCacheTTL = time.Second

type cachedKey struct {
	key  store.EdgeKey
	read time.Time
}

// edgeKey reads key id from the store, or from what this node read of it
// less than keyCacheTTL ago. Unknown keys are not remembered.
func (s *Server) edgeKey(ctx context.Context, id string) (store.EdgeKey, error) {
	now := s.now()
	s.keysMu.Lock()
	c, ok := s.keys[id]
	s.keysMu.Unlock()
	if ok && now.Sub(c.read) < keyCacheTTL && !now.Before(c.read) {
		return c.key, nil
	}
	var k store.EdgeKey
	err := s.Store.View(ctx, func(tx store.Tx) error {
		var err error
		k, err = tx.EdgeKey(id)
		return err
	})
	s.keysMu.Lock()
	defer s.keysMu.Unlock()
	if err != nil {
		delete(s.keys, id)
		return k, err
	}
	if s.keys == nil {
		s.keys = map[string]cachedKey{}
	}
	s.keys[id] = cachedKey{k, now}
	return k, nil
}
