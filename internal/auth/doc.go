// Package auth authenticates control-plane requests. It verifies both
// schemes CloudFront clients use: the 2012 scheme
//
//	Authorization: AWS <AccessKeyId>:<Base64(HMAC-SHA1(secret, date))>
//
// where date is the value of X-Amz-Date, else of Date, and Signature
// Version 4 (service "cloudfront", any region) in the Authorization header.
// Presigned query-string SigV4 is not supported.
//
// Every rejection is a 403 *cloudfront.Error:
//
//	no Authorization header                         MissingAuthenticationToken
//	header of neither scheme, or not parsable       IncompleteSignature
//	no usable date (missing or unparsable)          IncompleteSignature (both schemes)
//	SigV4 without host or x-amz-date signed         IncompleteSignature
//	SigV4 scope: wrong date, service or terminator  SignatureDoesNotMatch
//	date off by more than MaxSkew                   RequestExpired (2012 scheme),
//	                                                SignatureDoesNotMatch "Signature expired: …" (SigV4)
//	unknown, disabled or secret-less access key     InvalidClientTokenId
//	wrong signature, or body hash mismatch          SignatureDoesNotMatch
//
// A missing date is IncompleteSignature for the 2012 scheme too: the date is
// the whole string to sign, so without one the signature is incomplete, and
// AWS answers a SigV4 request without a date the same way.
//
// Checks run cheapest first, so that garbage and stale replays never reach
// the credential store: header syntax, date, scope, skew, then Lookup, then
// the signature. None of them needs the body except SigV4's payload hash:
// VerifyHeaders decides from the headers alone (a SigV4 request that states
// X-Amz-Content-Sha256 has its signature checked against that hash), so a
// server reads no body from a client it has not authenticated, and
// Pending.VerifyBody finishes with the body.
package auth
