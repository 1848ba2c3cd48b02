package cloudfront

import (
	"strings"

	"github.com/openfront/openfront/internal/pathpattern"
)

// checkBehaviors checks the default behaviour, then each cache behaviour in
// list order.
func checkBehaviors(c *DistributionConfig) error {
	if err := checkBehavior(c, &c.DefaultCacheBehavior, "DefaultCacheBehavior"); err != nil {
		return err
	}
	for i := range c.CacheBehaviors {
		b := &c.CacheBehaviors[i]
		if err := pathpattern.Valid(b.PathPattern); err != nil {
			return Errorf(InvalidArgument, "The path pattern %q is invalid: %v.", b.PathPattern, err)
		}
		// "/a/*" and "a/*" match the same paths, so they are duplicates too.
		// Duplicates are unconfirmed for 2012 (spec §5.7); the second could
		// never match, which is surely a mistake worth rejecting.
		key := strings.TrimPrefix(b.PathPattern, "/")
		for _, p := range c.CacheBehaviors[:i] {
			if strings.TrimPrefix(p.PathPattern, "/") == key {
				return Errorf(InvalidArgument, "The path pattern %q is used by more than one cache behavior.", b.PathPattern)
			}
		}
		if err := checkBehavior(c, b, "CacheBehavior "+b.PathPattern); err != nil {
			return err
		}
	}
	return nil
}

// checkBehavior checks everything of one behaviour but its path pattern.
func checkBehavior(c *DistributionConfig, b *CacheBehavior, name string) error {
	if !hasOrigin(c.Origins, b.TargetOriginID) && !hasOriginGroup(c.OriginGroups, b.TargetOriginID) {
		return Errorf(NoSuchOrigin, "The %s names the origin %q, which does not exist.", name, b.TargetOriginID)
	}
	if b.LegacyCacheSettings() {
		if err := checkCookies(&b.Cookies, name); err != nil {
			return err
		}
	}
	for _, s := range b.TrustedSigners.Items {
		if !validSigner(s) {
			return Errorf(InvalidArgument, "The trusted signer %q of the %s is neither %q nor a 12-digit account number.", s, name, SelfSigner)
		}
	}
	switch b.ViewerProtocolPolicy {
	case ViewerAllowAll, ViewerHTTPSOnly, ViewerRedirectToHTTPS:
	default:
		// Enum violation: code unconfirmed (spec §5.7), see checkCustomOrigin.
		return Errorf(InvalidArgument, "The ViewerProtocolPolicy of the %s must be %s, %s or %s.", name, ViewerAllowAll, ViewerHTTPSOnly, ViewerRedirectToHTTPS)
	}
	if b.MinTTL < 0 || b.MinTTL > maxMinTTL {
		// Code unconfirmed (spec §5.7); a value out of range is a bad argument.
		return Errorf(InvalidArgument, "The MinTTL of the %s must be between 0 and %d.", name, int64(maxMinTTL))
	}
	return nil
}

// checkCookies: Forward from the enum; WhitelistedNames present exactly
// when Forward is whitelist. A present but empty list with all or none is
// still present: 2012 says to omit it (later versions drop it silently).
// A whitelist with no names is accepted; it forwards no cookies.
func checkCookies(cp *CookiePreference, name string) error {
	switch cp.Forward {
	case ForwardNone, ForwardAll:
		if cp.WhitelistedNames != nil {
			return Errorf(InvalidForwardCookies, "The %s forwards %s cookies but lists WhitelistedNames.", name, cp.Forward)
		}
	case ForwardWhitelist:
		if cp.WhitelistedNames == nil {
			return Errorf(InvalidForwardCookies, "The %s forwards whitelisted cookies but has no WhitelistedNames.", name)
		}
	default:
		return Errorf(InvalidArgument, "The cookie Forward value of the %s must be %s, %s or %s.", name, ForwardNone, ForwardWhitelist, ForwardAll)
	}
	for _, n := range cp.WhitelistedNames {
		if !validCookieName(n) {
			return Errorf(InvalidArgument, "The cookie name %q of the %s is not a valid cookie name.", n, name)
		}
	}
	return nil
}

func hasOriginGroup(groups []OriginGroup, id string) bool {
	for i := range groups {
		if groups[i].ID == id {
			return true
		}
	}
	return false
}

func hasOrigin(origins []Origin, id string) bool {
	for i := range origins {
		if origins[i].ID == id {
			return true
		}
	}
	return false
}

// validSigner accepts "self" or a 12-digit account number without dashes.
func validSigner(s string) bool {
	if s == SelfSigner {
		return true
	}
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validCookieName accepts an RFC 6265 cookie-name: a non-empty token of
// visible ASCII without separators.
func validCookieName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return false
		}
	}
	return true
}
