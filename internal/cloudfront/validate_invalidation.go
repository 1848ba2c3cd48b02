package cloudfront

// MaxInvalidationPathLength is CloudFront's limit on one invalidation path
// ("The maximum length of a path is 4,000 characters", developer guide,
// "Specifying the files to invalidate"; a later figure, as 2012 documents
// none). With at most PathsPerInvalidationBatch paths, and bodies capped by
// the API, one batch is bounded.
const MaxInvalidationPathLength = 4000

// ValidateInvalidationBatch checks a batch before it is stored: the path
// count first (none → InvalidArgument, too many → BatchTooLarge), then
// CallerReference, then each path in order (InvalidArgument). Counting
// batches in progress is the control plane's job.
func (r Rules) ValidateInvalidationBatch(b *InvalidationBatch) error {
	if b == nil {
		return Errorf(MalformedXML, "InvalidationBatch is missing.")
	}
	lim := r.limits()
	if len(b.Paths) == 0 {
		return Errorf(InvalidArgument, "An invalidation batch needs at least one path.")
	}
	if n := len(b.Paths); n > lim.PathsPerInvalidationBatch {
		return Errorf(BatchTooLarge, "The batch has %d paths; at most %d are allowed.", n, lim.PathsPerInvalidationBatch)
	}
	if err := checkCallerReference(b.CallerReference); err != nil {
		return err
	}
	for _, p := range b.Paths {
		if len(p) > MaxInvalidationPathLength {
			return Errorf(InvalidArgument, "An invalidation path is %d characters long; at most %d are allowed.", len(p), MaxInvalidationPathLength)
		}
		if !validInvalidationPath(p) {
			return Errorf(InvalidArgument, "The invalidation path %q is invalid: it must begin with '/' and have spaces, control and non-ASCII characters percent-encoded.", p)
		}
	}
	return nil
}

// validInvalidationPath: 2012 paths begin with '/' and have non-ASCII and
// unsafe characters percent-encoded (spec §5.11). Spaces, control and
// non-ASCII bytes are rejected rather than encoded for the client, since an
// object is only invalidated under the exact encoding it was requested
// with; a '%' must begin a well-formed escape. No wildcards in 2012: '*' is
// an ordinary character.
func validInvalidationPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c <= ' ' || c >= 0x7f:
			return false
		case c == '%':
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
