package accesslog

import (
	"testing"
	"time"
)

// TestObjectKey pins the choice that the prefix is used verbatim: the
// 2012 documentation's example, prefix "example.com.", gives
// example.com.EDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz, with no '/'
// added. CloudFront added the '/' only later.
func TestObjectKey(t *testing.T) {
	hour := time.Date(2012, 10, 2, 21, 0, 0, 0, time.UTC)
	tests := []struct {
		name, prefix, want string
		hour               time.Time
	}{
		{"2012 example, prefix verbatim", "example.com.", "example.com.EDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz", hour},
		{"folder-like prefix", "logs/", "logs/EDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz", hour},
		{"no slash is added", "logs", "logsEDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz", hour},
		{"empty prefix", "", "EDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz", hour},
		{"hour in UTC", "", "EDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz", hour.In(time.FixedZone("X", -5*3600))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ObjectKey(tt.prefix, "EDFDVBD6EXAMPLE", tt.hour, "A1B2C3D4E5"); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnixHour(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want int64
	}{
		{time.Unix(0, 0), 0},
		{time.Unix(3599, 999), 0},
		{time.Unix(3600, 0), 1},
		{time.Unix(-1, 0), -1},
		{time.Unix(-3600, 0), -1},
		{time.Unix(-3601, 0), -2},
	} {
		t.Run(tt.t.UTC().String(), func(t *testing.T) {
			if got := unixHour(tt.t); got != tt.want {
				t.Fatalf("unixHour = %d, want %d", got, tt.want)
			}
		})
	}
}
