package cloudfront

import (
	"errors"
	"strings"
	"testing"
)

// TestParseKeyValueImport: the import object's format as the developer
// guide gives it, and what is refused. Duplicate keys are refused
// (unconfirmed what CloudFront does: refusing keeps a store from silently
// losing one of two values).
func TestParseKeyValueImport(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		keys     string // "k=v k=v", sorted
		code     Code
	}{
		{"the guide's example", `{"data":[{"key":"key1","value":"value"},{"key":"key0","value":"{\"a\":1}"}]}`, `key0={"a":1} key1=value`, ""},
		{"empty", `{"data":[]}`, "", ""},
		{"an empty value", `{"data":[{"key":"k","value":""}]}`, "k=", ""},
		{"no data", `{}`, "", InvalidArgument},
		{"no value", `{"data":[{"key":"k"}]}`, "", InvalidArgument},
		{"an empty key", `{"data":[{"key":"","value":"v"}]}`, "", InvalidArgument},
		{"a key over 512 bytes", `{"data":[{"key":"` + strings.Repeat("k", 513) + `","value":"v"}]}`, "", InvalidArgument},
		{"a value over 1 KB", `{"data":[{"key":"k","value":"` + strings.Repeat("v", 1025) + `"}]}`, "", InvalidArgument},
		{"a key twice", `{"data":[{"key":"k","value":"1"},{"key":"k","value":"2"}]}`, "", InvalidArgument},
		{"an unknown member", `{"data":[],"more":1}`, "", InvalidArgument},
		{"a number value", `{"data":[{"key":"k","value":1}]}`, "", InvalidArgument},
		{"trailing data", `{"data":[]} {}`, "", InvalidArgument},
		{"not JSON", `key,value`, "", InvalidArgument},
	} {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ParseKeyValueImport([]byte(tt.in))
			if tt.code != "" {
				if !errors.Is(err, NewError(tt.code)) {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, kv := range items {
				got = append(got, kv.Key+"="+kv.Value)
			}
			if strings.Join(got, " ") != tt.keys {
				t.Errorf("keys %q, want %q", strings.Join(got, " "), tt.keys)
			}
		})
	}
	big := `{"data":[` + strings.Repeat(`{"key":"k","value":"`+strings.Repeat("v", 1000)+`"},`, 5300) + `{"key":"z","value":""}]}`
	if _, err := ParseKeyValueImport([]byte(big)); !errors.Is(err, NewError(EntitySizeLimitExceeded)) {
		t.Errorf("over 5 MB: err = %v, want EntitySizeLimitExceeded", err)
	}
}

func TestKeyValueItemsApply(t *testing.T) {
	d := KeyValueItems{Items: []KeyValue{{"a", "1"}, {"b", "2"}}}
	got := d.Apply([]KeyValue{{"c", "3"}, {"a", "9"}}, []string{"b", "zz"})
	if len(got) != 2 || got[0] != (KeyValue{"a", "9"}) || got[1] != (KeyValue{"c", "3"}) {
		t.Errorf("Apply = %v", got)
	}
	if v, ok := d.Get("b"); !ok || v != "2" || d.Items[0].Value != "1" {
		t.Errorf("the original changed: %v", d.Items)
	}
}

// FuzzParseKeyValueImport: an import object never panics the parser,
// and what it accepts is sorted, unique and within the quotas.
func FuzzParseKeyValueImport(f *testing.F) {
	for _, s := range []string{`{"data":[{"key":"a","value":"b"}]}`, `{"data":[]}`, `{"data":null}`, `[]`, `{"data":[{"key":"\u00e9","value":"\ud800"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := ParseKeyValueImport(b)
		if err != nil {
			return
		}
		size := 0
		for i, kv := range items {
			if !ValidateKey(kv.Key) || !ValidateValue(kv.Value) || i > 0 && items[i-1].Key >= kv.Key {
				t.Fatalf("accepted %q", items)
			}
			size += len(kv.Key) + len(kv.Value)
		}
		if size > MaxKeyValueStoreBytes {
			t.Fatalf("accepted %d bytes", size)
		}
	})
}

// FuzzParseKeyValueStoreARN: what parses round-trips through
// KeyValueStoreARN.
func FuzzParseKeyValueStoreARN(f *testing.F) {
	f.Add("arn:aws:cloudfront::111122223333:key-value-store/8aa76c93-3198-462c-aaf6-0123456789ab")
	f.Add("arn:aws:cloudfront::1:key-value-store/a/b")
	f.Fuzz(func(t *testing.T, arn string) {
		acct, id, ok := ParseKeyValueStoreARN(arn)
		if ok && KeyValueStoreARN(acct, id) != arn {
			t.Fatalf("%q parsed as %q, %q", arn, acct, id)
		}
	})
}
