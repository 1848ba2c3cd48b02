// Package v20120701 encodes and decodes the XML bodies of the CloudFront
// REST API version 2012-07-01.
//
// Decoding is strict about structure (unknown, repeated and missing
// elements, malformed scalars) and lenient about order and namespace, as
// the real service was. It does not check enumerations or limits; that is
// validation's job. Every decode error is a *cloudfront.Error.
//
// Encoding writes compact XML with the default namespace on the root and
// elements in canonical order; it cannot fail.
package v20120701

// Namespace is the default XML namespace of every 2012-07-01 document.
const Namespace = "http://cloudfront.amazonaws.com/doc/2012-07-01/"
