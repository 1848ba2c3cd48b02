package signedurl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Policy is one parsed policy statement (canned or custom, spec §9.2).
type Policy struct {
	Resource        string       // "" when omitted: every URL matches
	DateLessThan    time.Time    // required
	DateGreaterThan time.Time    // zero when omitted
	SourceIP        netip.Prefix // IPv4 only; invalid when omitted
}

// The JSON shape of a policy. Pointers tell omitted from zero; unknown
// fields are refused, so a condition openfront does not know (and would
// not enforce) makes the policy malformed instead of being ignored.
type (
	jsonPolicy struct {
		Statement []jsonStatement
	}
	jsonStatement struct {
		Resource  *string
		Condition *jsonCondition
	}
	jsonCondition struct {
		DateLessThan    *jsonEpoch
		DateGreaterThan *jsonEpoch
		IpAddress       *jsonIP
	}
	jsonEpoch struct {
		EpochTime *int64 `json:"AWS:EpochTime"`
	}
	jsonIP struct {
		SourceIP *string `json:"AWS:SourceIp"`
	}
)

// ParsePolicy parses policy JSON: exactly one statement, DateLessThan
// required, DateGreaterThan, IpAddress and Resource optional. Call it only
// on bytes whose signature has been verified.
func ParsePolicy(b []byte) (Policy, error) {
	var jp jsonPolicy
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jp); err != nil {
		return Policy{}, err
	}
	if _, err := dec.Token(); err == nil {
		return Policy{}, errors.New("data after the policy")
	}
	if len(jp.Statement) != 1 {
		return Policy{}, fmt.Errorf("%d statements, want exactly 1", len(jp.Statement))
	}
	st := jp.Statement[0]
	var p Policy
	if st.Resource != nil {
		if *st.Resource == "" {
			return Policy{}, errors.New("empty Resource")
		}
		p.Resource = *st.Resource
	}
	c := st.Condition
	if c == nil || c.DateLessThan == nil || c.DateLessThan.EpochTime == nil {
		return Policy{}, errors.New("no DateLessThan")
	}
	p.DateLessThan = time.Unix(*c.DateLessThan.EpochTime, 0).UTC()
	if g := c.DateGreaterThan; g != nil {
		if g.EpochTime == nil {
			return Policy{}, errors.New("DateGreaterThan without AWS:EpochTime")
		}
		p.DateGreaterThan = time.Unix(*g.EpochTime, 0).UTC()
	}
	if ip := c.IpAddress; ip != nil {
		if ip.SourceIP == nil {
			return Policy{}, errors.New("IpAddress without AWS:SourceIp")
		}
		pfx, err := parseSourceIP(*ip.SourceIP)
		if err != nil {
			return Policy{}, err
		}
		p.SourceIP = pfx
	}
	return p, nil
}

// parseSourceIP accepts one IPv4 address or CIDR range (spec §9.2).
func parseSourceIP(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		if err != nil || !pfx.Addr().Is4() {
			return netip.Prefix{}, fmt.Errorf("AWS:SourceIp %q is not an IPv4 CIDR range", s)
		}
		return pfx.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Prefix{}, fmt.Errorf("AWS:SourceIp %q is not an IPv4 address", s)
	}
	return netip.PrefixFrom(a, 32), nil
}

// Allows reports whether the policy lets the viewer at peer fetch url at
// time now, with the reason when it does not.
func (p Policy) Allows(url string, now time.Time, peer netip.Addr) (bool, string) {
	if p.Resource != "" && !match(p.Resource, url) {
		return false, "Resource does not match the URL"
	}
	if !now.Before(p.DateLessThan) {
		return false, "expired"
	}
	if !p.DateGreaterThan.IsZero() && !now.After(p.DateGreaterThan) {
		return false, "not valid yet"
	}
	if p.SourceIP.IsValid() && !p.SourceIP.Contains(peer.Unmap()) {
		return false, "viewer IP not in AWS:SourceIp"
	}
	return true, ""
}

// JSON encodes p without whitespace, in the order the AWS SDKs write:
// Resource, then IpAddress, DateGreaterThan, DateLessThan.
func (p Policy) JSON() []byte {
	b := []byte(`{"Statement":[{`)
	if p.Resource != "" {
		b = append(b, `"Resource":`...)
		b = appendJSONString(b, p.Resource)
		b = append(b, ',')
	}
	b = append(b, `"Condition":{`...)
	if p.SourceIP.IsValid() {
		b = append(b, `"IpAddress":{"AWS:SourceIp":`...)
		b = appendJSONString(b, p.SourceIP.String())
		b = append(b, "},"...)
	}
	if !p.DateGreaterThan.IsZero() {
		b = append(b, `"DateGreaterThan":{"AWS:EpochTime":`...)
		b = strconv.AppendInt(b, p.DateGreaterThan.Unix(), 10)
		b = append(b, "},"...)
	}
	b = append(b, `"DateLessThan":{"AWS:EpochTime":`...)
	b = strconv.AppendInt(b, p.DateLessThan.Unix(), 10)
	return append(b, "}}}]}"...)
}

// cannedPolicy is the policy the edge builds for Expires (spec §9.2), byte
// for byte as signers write it. expires must be decimal digits.
func cannedPolicy(url, expires string) []byte {
	b := make([]byte, 0, 96+len(url))
	b = append(b, `{"Statement":[{"Resource":`...)
	b = appendJSONString(b, url)
	b = append(b, `,"Condition":{"DateLessThan":{"AWS:EpochTime":`...)
	b = append(b, expires...)
	return append(b, "}}}]}"...)
}

// appendJSONString quotes s the way encoding/json does with HTML escaping
// off, which is what the AWS SDKs sign.
func appendJSONString(b []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

func isDigits(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// urlSafe and fromURLSafe are the substitutions of spec §9.3.
var (
	urlSafe     = strings.NewReplacer("+", "-", "=", "_", "/", "~")
	fromURLSafe = strings.NewReplacer("-", "+", "_", "=", "~", "/")
)

func encodeURLSafe(b []byte) string {
	return urlSafe.Replace(base64.StdEncoding.EncodeToString(b))
}

// decodeURLSafe reverses the substitutions and decodes, with or without
// padding.
func decodeURLSafe(s string) ([]byte, error) {
	s = strings.TrimRight(fromURLSafe.Replace(s), "=")
	return base64.RawStdEncoding.DecodeString(s)
}
