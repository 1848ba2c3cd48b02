// Package accesslog writes CloudFront access logs, in CloudFront's current
// standard format (33 fields) or the 2012 one (15): W3C extended,
// tab-separated lines gathered per distribution and UTC hour,
// delivered as gzip files named <Prefix><DistributionId>.YYYY-MM-DD-HH.<id>.gz
// to a local folder or an S3-compatible bucket.
//
// The edge hands every finished request to Writer.Log, which only formats
// the line into memory; a background flusher compresses and delivers the
// files. Which distributions log, and where, comes from the config feed
// through Writer.Update (see WrapApplier).
package accesslog
