package buckets

import (
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

func TestSet(t *testing.T) {
	const a, b, c = "111111111111", "222222222222", "333333333333"
	s := NewSet([]Grant{
		{Bucket: "media", AccountID: a},
		{Bucket: "Shared", OAIID: "E2"}, // names compare without case, as S3 host names do
		{Bucket: Every, AccountID: b},
		{Bucket: "uploads", AccountID: a, Write: true},
		{Bucket: "drop", OAIID: "E2", Write: true},
		{Bucket: Every, AccountID: c, Write: true},
		{Bucket: Every, OAIID: "E4"},
		{Bucket: "inbox", OAIID: "E4", Write: true}, // writes one bucket, reads every one
	})
	tests := []struct {
		name                 string
		bucket, account, oai string
		read, write, logs    bool
	}{
		{"account grant, its OAI", "media", a, "E1", true, false, true},
		{"account grant, no OAI", "media", a, "", false, false, true},
		{"account grant, other bucket", "other", a, "E1", false, false, false},
		{"OAI grant", "shared", a, "E2", true, false, false},
		{"OAI grant, other OAI", "shared", a, "E3", false, false, false},
		{"every bucket", "anything", b, "E9", true, false, true},
		{"another account's bucket", "media", b + "0", "E1", false, false, false},
		{"empty account", "media", "", "E1", false, false, false},
		{"account write grant", "uploads", a, "E1", true, true, true},
		{"account write grant, no OAI", "uploads", a, "", false, false, true},
		{"OAI write grant", "drop", b + "0", "E2", true, true, false},
		{"OAI write grant, other OAI", "drop", b + "0", "E3", false, false, false},
		{"every bucket, to write", "anything", c, "E9", true, true, true},
		{"every bucket to read, one to write", "inbox", "", "E4", true, true, false},
		{"every bucket to read, another", "other", "", "E4", true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.CanRead(tt.bucket, tt.account, tt.oai); got != tt.read {
				t.Errorf("CanRead = %v, want %v", got, tt.read)
			}
			if got := s.CanWrite(tt.bucket, tt.account, tt.oai); got != tt.write {
				t.Errorf("CanWrite = %v, want %v", got, tt.write)
			}
			if got := s.CanWriteLogs(tt.bucket, tt.account); got != tt.logs {
				t.Errorf("CanWriteLogs = %v, want %v", got, tt.logs)
			}
		})
	}
	var none *Set
	if none.CanRead("media", a, "E1") || none.CanWrite("media", a, "E1") || none.CanWriteLogs("media", a) {
		t.Error("a nil Set grants something")
	}
}

func TestGrantValidate(t *testing.T) {
	tests := []struct {
		g  Grant
		ok bool
	}{
		{Grant{Bucket: "media", AccountID: "111111111111"}, true},
		{Grant{Bucket: Every, OAIID: "E2"}, true},
		{Grant{Bucket: "media"}, false},
		{Grant{Bucket: "media", AccountID: "1", OAIID: "E2"}, false},
		{Grant{Bucket: "Media", AccountID: "1"}, false},
		{Grant{Bucket: "me", AccountID: "1"}, false},
		{Grant{Bucket: "192.168.5.4", AccountID: "1"}, false},
		{Grant{Bucket: "media", AccountID: "1 2"}, false},
		{Grant{Bucket: "", AccountID: "1"}, false},
	}
	for _, tt := range tests {
		if err := tt.g.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v: %v, want ok=%v", tt.g, err, tt.ok)
		}
	}
	// Keys of different grants differ.
	if (Grant{Bucket: "a.b", AccountID: "1"}).Key() == (Grant{Bucket: "a.b", OAIID: "1"}).Key() {
		t.Error("an account grant and an OAI grant share a key")
	}
	// A principal has one grant per bucket, whatever it may do.
	if (Grant{Bucket: "a.b", OAIID: "1"}).Key() != (Grant{Bucket: "a.b", OAIID: "1", Write: true}).Key() {
		t.Error("a write grant and a read grant of one principal have different keys")
	}
}

// TestOf: Logging/Bucket values and S3 origins' DomainNames.
func TestOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"myawslogbucket.s3.amazonaws.com", "myawslogbucket"},
		{"MyAWSLogBucket.S3.amazonaws.com", "myawslogbucket"},
		{"logs.s3-eu-west-1.amazonaws.com", "logs"},
		{"logs.s3.eu-west-1.amazonaws.com", "logs"},
		{"my.s3bucket.s3.amazonaws.com", "my.s3bucket"},
		{"a.s3.b.s3.amazonaws.com", "a.s3.b"},
		{"logs.s3", "logs"},
		{"logs.s3.amazonaws.com.", "logs"},
		{"plainname", "plainname"},
		{".s3.amazonaws.com", ".s3.amazonaws.com"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Of(tt.in); got != tt.want {
				t.Fatalf("Of(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzOfMatchesControlPlane: for every S3 origin DomainName the control
// plane accepts, Of names the bucket the control plane validated, so that
// the edge checks the grant of the bucket its request reaches.
func FuzzOfMatchesControlPlane(f *testing.F) {
	for _, s := range []string{
		"media.s3.amazonaws.com", "a.s3.b.s3.amazonaws.com", "a.s3-b.s3-eu-west-1.amazonaws.com",
		"a.s3.b.s3.eu-west-1.amazonaws.com", "Media.S3.amazonaws.com", "x.s3.s3.amazonaws.com",
		"a-s3.s3.amazonaws.com", "a.s3-website-us-east-1.amazonaws.com",
	} {
		f.Add(s)
	}
	rules := cloudfront.Rules{}
	f.Fuzz(func(t *testing.T, host string) {
		want, ok := rules.S3BucketName(host)
		if !ok {
			return
		}
		if got := Of(host); got != want {
			t.Fatalf("Of(%q) = %q, the control plane validated bucket %q", host, got, want)
		}
	})
}

// TestAccountOnly: CanAccountRead and CanAccountWrite, an origin access
// control's checks, count only grants to the account, never an OAI's.
func TestAccountOnly(t *testing.T) {
	s := NewSet([]Grant{
		{Bucket: "media", AccountID: "111122223333"},
		{Bucket: "up", AccountID: "111122223333", Write: true},
		{Bucket: "media", OAIID: "E2QWRUHAPOMQZL", Write: true},
		{Bucket: Every, OAIID: "E3AAAAAAAAAAAA", Write: true},
	})
	cases := []struct {
		bucket, account string
		read, write     bool
	}{
		{"media", "111122223333", true, false},
		{"up", "111122223333", true, true},
		{"other", "111122223333", false, false},
		{"media", "999988887777", false, false},
		{"media", "", false, false},
	}
	for _, c := range cases {
		if r, w := s.CanAccountRead(c.bucket, c.account), s.CanAccountWrite(c.bucket, c.account); r != c.read || w != c.write {
			t.Errorf("%s by %q: read %t write %t, want %t %t", c.bucket, c.account, r, w, c.read, c.write)
		}
	}
	var none *Set
	if none.CanAccountRead("media", "111122223333") || none.CanAccountWrite("media", "111122223333") {
		t.Error("a nil set grants")
	}
}
