// Package testfill fills values for tests: every member reachable from a
// value set to something other than its zero value, so that a member an
// encoding or a writer loses shows as a difference.
package testfill

import (
	"reflect"
	"strconv"
	"time"
)

// Value sets every exported member reachable from v (settable) to a value
// that is not zero: lists and maps of two and one entries, pointers to
// filled values, n varying the values. A member of a kind it does not
// know panics rather than staying zero, which fails the calling test.
func Value(v reflect.Value, n int) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 2, 5, 7, 32, n, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				Value(v.Field(i), n+i)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		Value(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			Value(v.Index(i), n+10*i)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		Value(k, n)
		Value(e, n+1)
		v.SetMapIndex(k, e)
	case reflect.String:
		v.SetString("s" + strconv.Itoa(n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(n + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(n + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.5)
	default:
		panic("testfill: a member of kind " + v.Kind().String())
	}
}
