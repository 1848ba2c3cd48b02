// Package signedurl checks and makes CloudFront signed URLs (private
// content, spec §9): canned and custom policies, RSA-SHA1 signatures by the
// active key pairs of a cache behaviour's trusted signers.
//
// The edge calls a Checker through its SignedURLChecker hook; WrapApplier
// keeps the Checker's key pairs in step with the config feed.
package signedurl
