// Package pathpattern matches request paths against CloudFront cache
// behaviour path patterns: '*' is any run of bytes ('/' included), '?' is
// exactly one byte, everything else is literal and case-sensitive, and the
// pattern must match the whole path. A leading '/' is optional on both.
package pathpattern

import (
	"errors"
	"strings"
)

// MaxLength is the longest pattern CloudFront accepts.
const MaxLength = 255

// Pattern is a compiled path pattern.
type Pattern struct {
	glob string // without its leading '/'
}

// allowed reports the characters CloudFront documents for path patterns.
func allowed(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("_-.*$/~\"'@:+&?", c) >= 0
}

// Valid reports why pattern is not a valid path pattern, or nil.
func Valid(pattern string) error {
	if pattern == "" {
		return errors.New("path pattern is empty")
	}
	if len(pattern) > MaxLength {
		return errors.New("path pattern is longer than 255 characters")
	}
	for i := 0; i < len(pattern); i++ {
		if !allowed(pattern[i]) {
			return errors.New("path pattern contains a character that is not allowed")
		}
	}
	return nil
}

// Compile validates pattern and returns it compiled.
func Compile(pattern string) (Pattern, error) {
	if err := Valid(pattern); err != nil {
		return Pattern{}, err
	}
	return Pattern{glob: strings.TrimPrefix(pattern, "/")}, nil
}

// String returns the pattern without its leading '/'.
func (p Pattern) String() string { return p.glob }

// Match reports whether the whole of path matches. It allocates nothing and
// runs in O(len(pattern)·len(path)) at worst, using the classic single
// backtrack point for the last '*' seen.
func (p Pattern) Match(path string) bool {
	if len(path) > 0 && path[0] == '/' {
		path = path[1:]
	}
	g := p.glob
	gi, pi := 0, 0
	star, mark := -1, 0
	for pi < len(path) {
		switch {
		case gi < len(g) && g[gi] == '*':
			star, mark = gi, pi
			gi++
		case gi < len(g) && (g[gi] == '?' || g[gi] == path[pi]):
			gi++
			pi++
		case star >= 0:
			// Let the last '*' swallow one more byte and retry.
			mark++
			gi, pi = star+1, mark
		default:
			return false
		}
	}
	for gi < len(g) && g[gi] == '*' {
		gi++
	}
	return gi == len(g)
}
