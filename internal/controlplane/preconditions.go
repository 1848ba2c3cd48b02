package controlplane

import "github.com/openfront/openfront/internal/cloudfront"

// checkUpdate holds the preconditions every update shares (spec §5.2):
// If-Match names the current version and CallerReference is unchanged.
func checkUpdate(ifMatch, etag, oldRef, newRef string) error {
	if ifMatch != etag {
		return cloudfront.NewError(cloudfront.PreconditionFailed)
	}
	if newRef != oldRef {
		return cloudfront.Errorf(cloudfront.IllegalUpdate, "CallerReference cannot be updated.")
	}
	return nil
}

// checkDisabled holds the condition of deleting a distribution of either
// kind (spec §5.4), after If-Match: the distribution is disabled and
// Deployed. Disabled but still InProgress means edges may still serve it,
// so it is not disabled yet as far as CloudFront is concerned: the same
// code, with a message that says why.
func checkDisabled(enabled bool, status string, notDisabled cloudfront.Code) error {
	switch {
	case enabled:
		return cloudfront.NewError(notDisabled)
	case status != cloudfront.StatusDeployed:
		return cloudfront.Errorf(notDisabled, "The distribution is disabled but not yet on every edge; wait until its Status is Deployed.")
	}
	return nil
}
