// Package v20200531 encodes and decodes the XML bodies of the CloudFront
// REST API version 2020-05-31, the version every current client speaks.
//
// It is hand-written like v20120701, on the same model: the version-neutral
// cloudfront package. The codec is small beside the model it maps (most of
// 2020-05-31's weight is in validation and defaults, which a generator
// could not write), and hand-written code lets each member say where its
// default lives. The service model's shapes, member order and list item
// names (botocore's cloudfront/2020-05-31/service-2.json) are what it
// follows; a test checks the encoded order against golden files.
//
// Decoding is strict about structure (unknown, repeated and missing
// elements, malformed scalars) and lenient about order and namespace:
// aws-sdk-go-v2 writes members alphabetically, the JS SDK in model order,
// botocore in the caller's order. Members openfront does not support
// (Lambda@Edge, field-level encryption, real-time logs, gRPC, VPC origins,
// multi-tenant and mTLS settings) are recognised and refused with the code
// CloudFront gives for a bad value of that member, not as unknown XML.
//
// Encoding writes compact XML in the model's member order and shows the
// default for every member whose model value is zero (see
// cloudfront/model2020.go), so that a client that sends back exactly what
// it got changes nothing.
//
// The parser, decoder and writer are xmlwire's, shared with v20120701 and
// every codec to come, with this version's namespace.
package v20200531

// Namespace is the default XML namespace of every 2020-05-31 document.
const Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
