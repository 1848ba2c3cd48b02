package controlplane

import (
	"reflect"
	"testing"
)

// optionalHooks are the kind fields a kind may leave nil (lifecycle.go
// says what nil means for each).
var optionalHooks = map[string]bool{
	"aliases": true, "newDomainLabel": true, "decorateCreated": true, "enabled": true, "notDisabled": true, "deletable": true, "onDelete": true, "status": true,
	"uniqueName": true, "onUpdate": true, "newID": true,
}

// TestKindsComplete: every kind of the lifecycle sets each hook the
// lifecycle calls unconditionally, and its error codes, so that a kind
// added later fails here rather than with a nil call in a request.
func TestKindsComplete(t *testing.T) {
	for _, k := range []any{distributions, streamingDistributions, cachePolicies.kind, originRequestPolicies.kind, responseHeadersPolicies.kind, originAccessControls.kind,
		publicKeys, keyGroups.kind} {
		v := reflect.ValueOf(k).Elem()
		name := v.FieldByName("name").String()
		for i := range v.NumField() {
			f, field := v.Field(i), v.Type().Field(i)
			if optionalHooks[field.Name] {
				continue
			}
			if f.IsZero() {
				t.Errorf("kind %q: %s is not set", name, field.Name)
			}
		}
		// enabled needs the codes and Status it is checked with.
		if !v.FieldByName("enabled").IsNil() && (v.FieldByName("notDisabled").IsZero() || v.FieldByName("status").IsNil()) {
			t.Errorf("kind %q: enabled without notDisabled and status", name)
		}
	}
}
