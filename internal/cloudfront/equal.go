package cloudfront

import "reflect"

// EqualDistributionConfigs reports whether two configurations say the same
// thing: CloudFront's test for a repeated CallerReference. Empty and nil
// lists are equal; a present-but-empty WhitelistedNames differs from an
// absent one, as it does on the wire. Pointers compare by what they point
// to. Both configs are expected normalized (NormalizeDistributionConfig).
func EqualDistributionConfigs(a, b *DistributionConfig) bool {
	return equalValues(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

// whitelistType marks the one list whose presence matters.
var whitelistType = reflect.TypeFor[CookiePreference]()

// equalValues is reflect.DeepEqual for the model's plain data, with nil
// and empty slices equal. Walking the value keeps this in step with the
// model as it grows: a new member is compared without anyone having to
// remember this function.
func equalValues(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if a.Type().Field(i).Tag.Get("equal") == "-" {
				continue // derived, not said by the caller
			}
			fa, fb := a.Field(i), b.Field(i)
			if a.Type() == whitelistType && a.Type().Field(i).Name == "WhitelistedNames" &&
				fa.IsNil() != fb.IsNil() {
				return false
			}
			if !equalValues(fa, fb) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValues(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValues(a.Elem(), b.Elem())
	default:
		return a.Equal(b)
	}
}
