// Package auth authenticates API requests. It verifies the three schemes
// AWS clients use: the 2012 scheme
//
//	Authorization: AWS <AccessKeyId>:<Base64(HMAC-SHA1(secret, date))>
//
// where date is the value of X-Amz-Date, else of Date; Signature Version 4
// (AWS4-HMAC-SHA256, any region) in the Authorization header; and Signature
// Version 4A (AWS4-ECDSA-P256-SHA256, any region set), which AWS SDKs use
// for the CloudFront KeyValueStore data plane. Both of the latter must be
// scoped to the Verifier's Service ("cloudfront" unless set). Presigned
// query-string signatures are not supported.
//
// Every rejection is a 403 *cloudfront.Error:
//
//	no Authorization header                         MissingAuthenticationToken
//	header of no scheme, or not parsable            IncompleteSignature
//	no usable date (missing or unparsable)          IncompleteSignature (all schemes)
//	SigV4(A) without host or x-amz-date signed      IncompleteSignature
//	SigV4A without a signed X-Amz-Region-Set list   IncompleteSignature
//	SigV4(A) scope: wrong date, service, terminator SignatureDoesNotMatch
//	date off by more than MaxSkew                   RequestExpired (2012 scheme),
//	                                                SignatureDoesNotMatch "Signature expired: …" (SigV4(A))
//	unknown, disabled or secret-less access key     InvalidClientTokenId
//	wrong signature, or body hash mismatch          SignatureDoesNotMatch
//
// A missing date is IncompleteSignature for the 2012 scheme too: the date is
// the whole string to sign, so without one the signature is incomplete, and
// AWS answers a SigV4 request without a date the same way.
//
// Checks run cheapest first, so that garbage and stale replays never reach
// the credential store: header syntax, date, scope, skew, then Lookup, then
// the signature. None of them needs the body except the payload hash of
// SigV4 and SigV4A: VerifyHeaders decides from the headers alone (a request
// that states X-Amz-Content-Sha256 has its signature checked against that
// hash), so a server reads no body from a client it has not authenticated,
// and Pending.VerifyBody finishes with the body.
package auth
