// Package signedurl checks and makes CloudFront signed URLs (private
// content, spec §9): canned and custom policies, in the query or in signed
// cookies (CloudFront-Policy or CloudFront-Expires, CloudFront-Signature,
// CloudFront-Key-Pair-Id, CloudFront-Hash-Algorithm), hashed with SHA-1
// or, with Hash-Algorithm=SHA256, SHA-256. The signer is an active key pair
// of one of a cache behaviour's trusted signers (RSA), or a public key of
// one of its trusted key groups (RSA 2048 or ECDSA P-256, API 2020-05-31).
//
// The edge calls a Checker through its SignedURLChecker hook; WrapApplier
// keeps the Checker's key pairs in step with the config feed. Key groups
// come resolved, with their keys, in each behaviour's TrustedKeyGroups; the
// Checker parses each key once.
package signedurl
