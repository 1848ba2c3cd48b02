package cloudfront

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CloudFront's tag rules (TagKey and TagValue in the 2020-05-31 model, and
// the developer guide's "Tagging a distribution"): keys 1–128 characters,
// values 0–256, letters, digits, spaces and _ . : / = + - @ only; at most
// 50 tags per resource; the aws: prefix is AWS's own.
const (
	maxTagKey          = 128
	maxTagValue        = 256
	MaxTagsPerResource = 50
)

// ValidateTags checks a set of tags: each key and value, and no key twice.
func ValidateTags(tags []Tag) error {
	if len(tags) > MaxTagsPerResource {
		return Errorf(InvalidTagging, "A resource can have at most %d tags.", MaxTagsPerResource)
	}
	for i, t := range tags {
		if err := ValidateTagKey(t.Key); err != nil {
			return err
		}
		if utf8.RuneCountInString(t.Value) > maxTagValue || !validTagText(t.Value) {
			return Errorf(InvalidTagging, "The value of tag %q must be at most %d letters, digits, spaces and _ . : / = + - @.", t.Key, maxTagValue)
		}
		for _, p := range tags[:i] {
			if p.Key == t.Key {
				return Errorf(InvalidTagging, "The tag key %q is given more than once.", t.Key)
			}
		}
	}
	return nil
}

// ValidateTagKey checks one tag key.
func ValidateTagKey(k string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKey || !validTagText(k) {
		return Errorf(InvalidTagging, "The tag key %q must be 1 to %d letters, digits, spaces and _ . : / = + - @.", k, maxTagKey)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return Errorf(InvalidTagging, "The tag key %q uses the prefix aws:, which is reserved.", k)
	}
	return nil
}

func validTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Zs, r) && !strings.ContainsRune("_.:/=+-@", r) {
			return false
		}
	}
	return true
}
