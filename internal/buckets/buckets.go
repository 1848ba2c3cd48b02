// Package buckets decides which tenant may use which S3 bucket through the
// operator's credentials. In CloudFront the bucket's own policy names the
// origin access identities that may read it, and the bucket's ACL decides
// whether CloudFront may write logs into it. openfront signs every S3
// request with one operator key, so the operator states the same thing as
// grants: a bucket (or "*", every bucket) granted to an account or to one
// origin access identity.
//
//   - An origin request is signed only when the distribution's OAI may read
//     the bucket: a grant names the OAI, or names the distribution's account
//     (an account's distributions may only use its own OAIs). An origin
//     access control signs as the distribution's account: only a grant to
//     the account covers it (CanAccountRead), never an OAI's. Otherwise it
//     goes out unsigned, as S3 treats a principal its bucket policy does not
//     name, and a private bucket answers 403 itself.
//   - A write grant also has the edge sign object writes (PUT, POST and
//     DELETE of one object, multipart uploads included), as a bucket
//     policy that lets the OAI s3:PutObject and s3:DeleteObject; a plain
//     grant only reads.
//   - Access logs go only into a bucket granted to the distribution's
//     account; an OAI grant gives no right to write logs.
package buckets

import (
	"errors"
	"fmt"
	"strings"

	"github.com/openfront/openfront/internal/cloudfront"
)

// Every is the bucket of a grant that covers every bucket.
const Every = "*"

// Grant lets a principal use a bucket. Exactly one of AccountID and OAIID
// is set.
type Grant struct {
	Bucket    string // a bucket name, or Every
	AccountID string `json:",omitempty"`
	OAIID     string `json:",omitempty"`
	// Write: the principal's OAIs write objects too, not only read them.
	// An edge older than the field ignores it and signs only reads.
	Write bool `json:",omitempty"`
}

// Key identifies the grant: "<bucket> account:<id>" or "<bucket> oai:<id>".
// Bucket names hold no spaces, so keys of different grants differ. Write
// is not part of it: a principal has one grant per bucket, to read or to
// read and write.
func (g Grant) Key() string {
	if g.OAIID != "" {
		return g.Bucket + " oai:" + g.OAIID
	}
	return g.Bucket + " account:" + g.AccountID
}

// Access is "read" or "read and write", for people.
func (g Grant) Access() string {
	if g.Write {
		return "read and write"
	}
	return "read"
}

// Principal is "account <id>" or "oai <id>", for people.
func (g Grant) Principal() string {
	if g.OAIID != "" {
		return "oai " + g.OAIID
	}
	return "account " + g.AccountID
}

// Validate checks the form of g: a bucket name by S3's rules (or Every),
// and exactly one principal. Whether the principal exists is the store's
// question.
func (g Grant) Validate() error {
	if g.Bucket != Every && !cloudfront.ValidBucketName(g.Bucket) {
		return fmt.Errorf("bucket %q: not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-') nor %q", g.Bucket, Every)
	}
	if (g.AccountID == "") == (g.OAIID == "") {
		return errors.New("a grant names exactly one of an account and an origin access identity")
	}
	if strings.ContainsAny(g.AccountID+g.OAIID, " \t\r\n") {
		return errors.New("account and origin access identity ids hold no spaces")
	}
	return nil
}

// Set answers questions about a list of grants. The zero value and nil
// grant nothing. It is immutable, so one Set serves concurrent readers.
type Set struct {
	accounts map[string]bool // "<bucket> <account>": whether it writes
	oais     map[string]bool // "<bucket> <oai>": whether it writes
}

// NewSet indexes gs.
func NewSet(gs []Grant) *Set {
	s := &Set{accounts: map[string]bool{}, oais: map[string]bool{}}
	for _, g := range gs {
		b := strings.ToLower(g.Bucket)
		if g.OAIID != "" {
			s.oais[b+" "+g.OAIID] = g.Write
		} else if g.AccountID != "" {
			s.accounts[b+" "+g.AccountID] = g.Write
		}
	}
	return s
}

// has reports whether m grants id bucket (or every bucket), and to write
// only when write.
func (s *Set) has(m map[string]bool, bucket, id string, write bool) bool {
	if id == "" {
		return false
	}
	if w, ok := m[Every+" "+id]; ok && (w || !write) {
		return true
	}
	w, ok := m[strings.ToLower(bucket)+" "+id]
	return ok && (w || !write)
}

// CanRead reports whether an origin access identity oaiID, used by a
// distribution of accountID, may read bucket: a grant names the OAI or
// the account. An empty oaiID (no OAI) reads nothing signed.
func (s *Set) CanRead(bucket, accountID, oaiID string) bool {
	if s == nil || oaiID == "" {
		return false
	}
	return s.has(s.oais, bucket, oaiID, false) || s.has(s.accounts, bucket, accountID, false)
}

// CanWrite reports whether oaiID, used by a distribution of accountID,
// may write objects in bucket: a write grant names the OAI or the
// account.
func (s *Set) CanWrite(bucket, accountID, oaiID string) bool {
	if s == nil || oaiID == "" {
		return false
	}
	return s.has(s.oais, bucket, oaiID, true) || s.has(s.accounts, bucket, accountID, true)
}

// CanAccountRead reports whether a grant to accountID lets its
// distributions read bucket as the account itself: the principal of an
// origin access control, which no OAI grant covers.
func (s *Set) CanAccountRead(bucket, accountID string) bool {
	return s != nil && accountID != "" && s.has(s.accounts, bucket, accountID, false)
}

// CanAccountWrite is CanAccountRead for object writes: a write grant to
// accountID.
func (s *Set) CanAccountWrite(bucket, accountID string) bool {
	return s != nil && accountID != "" && s.has(s.accounts, bucket, accountID, true)
}

// CanWriteLogs reports whether the distributions of accountID may have
// their access logs delivered into bucket.
func (s *Set) CanWriteLogs(bucket, accountID string) bool {
	if s == nil {
		return false
	}
	return s.has(s.accounts, bucket, accountID, false)
}

// Of is the bucket an S3 endpoint host names (an S3 origin's DomainName,
// a Logging/Bucket): the part before its last ".s3." or ".s3-" label, or
// a final ".s3", lower-cased ("media.s3.amazonaws.com" gives "media"). The
// last, because a bucket's own name may hold ".s3." (a.s3.b.s3.amazonaws.com
// is bucket a.s3.b, as S3 reads the host and the control plane validates
// it): a grant must be checked for the bucket a request reaches. A value
// without such a label is taken as the bucket name itself.
func Of(host string) string {
	b := strings.ToLower(strings.TrimSuffix(host, "."))
	i := max(strings.LastIndex(b, ".s3."), strings.LastIndex(b, ".s3-"))
	if strings.HasSuffix(b, ".s3") {
		i = len(b) - len(".s3")
	}
	if i > 0 {
		b = b[:i]
	}
	return b
}
