package sqlstore

import (
	"math"
	"testing"
	"time"
)

func TestTimeDest(t *testing.T) {
	want := time.Date(2012, 7, 1, 12, 30, 45, 123456000, time.UTC)
	tests := []struct {
		name    string
		src     any
		wantErr bool
	}{
		{"sqlite micros", want.UnixMicro(), false},
		{"postgres time", want.In(time.FixedZone("x", 3600)), false},
		{"null", nil, true},
		{"text", "2012-07-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got time.Time
			err := at(&got).Scan(tt.src)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Scan(%v): error %v, want error %v", tt.src, err, tt.wantErr)
			}
			if !tt.wantErr && (!got.Equal(want) || got.Location() != time.UTC) {
				t.Errorf("Scan(%v) = %v, want %v in UTC", tt.src, got, want)
			}
		})
	}
}

func TestNoLimit(t *testing.T) {
	tests := []struct {
		limit int
		want  int64
	}{{-1, math.MaxInt64}, {0, math.MaxInt64}, {1, 1}, {100, 100}}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			if got := noLimit(tt.limit); got != tt.want {
				t.Errorf("noLimit(%d) = %d, want %d", tt.limit, got, tt.want)
			}
		})
	}
}

// TestScripts checks that every migration fills in for both kinds of
// schema; the drivers' golden tests check the text.
func TestScripts(t *testing.T) {
	for _, named := range []bool{false, true} {
		d := Dialect{Schema: Schema{Bool: "B", Time: "T", Int64: "I", Seq: "S", NamedConstraints: named}}
		scripts, err := d.Scripts()
		if err != nil {
			t.Fatal(err)
		}
		if len(scripts) != len(Migrations) {
			t.Fatalf("%d scripts for %d migrations", len(scripts), len(Migrations))
		}
	}
}
