// Package xmlwire is the XML toolkit every CloudFront API version's codec
// is written with: a strict request parser that builds a tree (tree.go), a
// decoder that reads that tree into model values and keeps the first error
// (decoder.go, scalar.go), and a writer of compact response documents
// (writer.go).
//
// It knows no version: each codec passes its namespace, and every codec
// of the service (ten more resource kinds are coming with 2020-05-31)
// shares one set of rules for what a well-formed request is and how a
// response is spelt.
package xmlwire

// Prolog starts every encoded document. It is not xml.Header: the real
// service writes no encoding declaration.
const Prolog = `<?xml version="1.0"?>` + "\n"
