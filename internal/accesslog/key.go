package accesslog

import "time"

// ObjectKey is the name of one log file: <prefix><distID>.YYYY-MM-DD-HH.<unique>.gz.
// The prefix is used verbatim, as the 2012 documentation's example suggests
// ("example.com." gives example.com.EDFDVBD6EXAMPLE.2012-10-02-21.A1B2C3D4E5.gz);
// adding a '/' when it lacks one came later. hour is taken in UTC.
func ObjectKey(prefix, distID string, hour time.Time, unique string) string {
	b := make([]byte, 0, len(prefix)+len(distID)+len(".2006-01-02-15.")+len(unique)+len(".gz"))
	b = append(b, prefix...)
	b = append(b, distID...)
	b = hour.UTC().AppendFormat(b, ".2006-01-02-15.")
	b = append(b, unique...)
	b = append(b, ".gz"...)
	return string(b)
}
