package edgefunc

import (
	"unicode"
	"unicode/utf8"
)

// Runtime 2.0 functions begin with ES module import declarations
// (import cf from 'cloudfront'; import crypto from 'crypto';), which goja,
// a script engine, does not parse. Compile rewrites the leading run of
// declarations of the form
//
//	import <identifier> from '<module>'     (or "<module>", ; optional)
//
// each into a declaration that binds the identifier to the built-in module,
// as the import would:
//
//	const <identifier>=ǂ('<module>');
//
// where ǂ is require (the wrapper Compile makes takes it as its parameter
// ǂ when there are imports). The rewritten text takes exactly the bytes of
// the declaration it replaces, and every line break of the declaration
// stays where it was, so that every other character keeps its line and
// column (goja counts columns in bytes) and a syntax error further on is
// reported where it is. That is why require goes by a one-letter alias:
// "const X = require('m');" is 4 bytes longer than "import X from 'm'",
// while "const X=ǂ('m');" is at most as long as the shortest form of the
// declaration, "import X from'm'", plus a semicolon. ǂ (U+01C2, two bytes)
// is a letter no code of a function is likely to name anything by.
//
// Only declarations at the top of the code, after any white space and
// comments and one after the other, are rewritten: the word import anywhere
// else (in a string, a comment, a template literal, the code below) is left
// as it is. So is a leading import of any other form (import {a} from 'm',
// import * as m from 'm', import 'm', a comment between its words, a
// backslash in its module name, a declaration followed by more code on the
// same line), and the run stops there: goja refuses it with its syntax
// error, at its place.

// importAlias is the name rewritten declarations call require by.
const importAlias = "ǂ"

// importSpan is where in the code a rewritten declaration is: bytes
// [start, end).
type importSpan struct{ start, end int }

// rewriteImports rewrites the leading import declarations of src (see
// above) and tells where they were; src is returned as it is when it
// begins with none.
func rewriteImports(src string) (string, []importSpan) {
	var out []byte
	var spans []importSpan
	for i := skipBlank(src, 0); ; {
		d, ok := scanImport(src, i)
		if !ok {
			break
		}
		text, ok := layoutImport(src[d.start:d.end], d.tokens())
		if !ok {
			break
		}
		if out == nil {
			out = []byte(src)
		}
		copy(out[d.start:d.end], text)
		spans = append(spans, importSpan{d.start, d.end})
		i = skipBlank(src, d.end)
	}
	if out == nil {
		return src, nil
	}
	return string(out), spans
}

// importDecl is a declaration scanImport found.
type importDecl struct {
	start, end int    // its bytes, up to the closing quote or the semicolon after it
	name       string // the identifier
	module     string // the module specifier, quotes included
}

// tokens is what the declaration is rewritten into; " " stands for a
// separator, which may as well be a line break.
func (d importDecl) tokens() []string {
	return []string{"const", " ", d.name, "=", importAlias, "(", d.module, ")", ";"}
}

// scanImport reads an import declaration of the form the rewriting takes
// at src[i:].
func scanImport(src string, i int) (importDecl, bool) {
	d := importDecl{start: i}
	j, ok := word(src, i, "import")
	if !ok {
		return d, false
	}
	if j, ok = spaces(src, j, true); !ok {
		return d, false
	}
	k := identifier(src, j)
	if k == j {
		return d, false
	}
	d.name = src[j:k]
	if j, ok = spaces(src, k, true); !ok {
		return d, false
	}
	if j, ok = word(src, j, "from"); !ok {
		return d, false
	}
	j, _ = spaces(src, j, false)
	if j >= len(src) || src[j] != '\'' && src[j] != '"' {
		return d, false
	}
	q := src[j]
	k = j + 1
	for ; k < len(src) && src[k] != q; k++ {
		if src[k] == '\\' || lineBreak(src, k) > 0 {
			return d, false
		}
	}
	if k == len(src) {
		return d, false
	}
	d.module = src[j : k+1]
	d.end = k + 1
	// The declaration ends with a semicolon, or where automatic semicolon
	// insertion ends it: before a line break, or at the end of the code. A
	// token after it on the same line is a syntax error.
	j = d.end
	for n := hspace(src, j); n > 0; n = hspace(src, j) {
		j += n
	}
	if j < len(src) && src[j] == ';' {
		d.end = j + 1
		return d, true
	}
	for j < len(src) {
		switch {
		case hspace(src, j) > 0:
			j += hspace(src, j)
		case lineBreak(src, j) > 0, src[j] == ';', hasPrefixAt(src, j, "//"):
			return d, true
		case hasPrefixAt(src, j, "/*"):
			end := indexFrom(src, j+2, "*/")
			if end < 0 {
				return d, false
			}
			for k := j + 2; k < end; k++ {
				if lineBreak(src, k) > 0 {
					return d, true
				}
			}
			j = end + 2
		default:
			return d, false
		}
	}
	return d, true
}

// layoutImport lays tokens out in the bytes of span: every line break of
// span stays at its place, and between them the tokens go in order, each
// within one line, separated where a separator is asked for by a space or
// by the line break, the rest of each line filled with spaces. It fails
// when the tokens do not fit (which only a declaration broken over lines
// as narrow as its words can cause).
func layoutImport(span string, tokens []string) (string, bool) {
	out := []byte(span)
	ti := 0
	for start := 0; start <= len(span); {
		end := start
		for end < len(span) && lineBreak(span, end) == 0 {
			end++
		}
		last := end == len(span)
		pos := start
	line:
		for ti < len(tokens) {
			tok := tokens[ti]
			switch {
			case tok == " " && pos+1+len(tokens[ti+1]) <= end:
				out[pos] = ' '
				pos++
				ti++
			case tok == " " && !last:
				ti++ // the line break separates
				break line
			case tok != " " && pos+len(tok) <= end:
				pos += copy(out[pos:], tok)
				ti++
			default:
				break line
			}
		}
		for ; pos < end; pos++ {
			out[pos] = ' '
		}
		if last {
			break
		}
		start = end + lineBreak(span, end)
	}
	if ti < len(tokens) {
		return "", false
	}
	return string(out), true
}

// skipBlank skips the white space, line breaks and comments at src[i:].
// An unterminated comment is not skipped.
func skipBlank(src string, i int) int {
	for i < len(src) {
		switch {
		case hspace(src, i) > 0:
			i += hspace(src, i)
		case lineBreak(src, i) > 0:
			i += lineBreak(src, i)
		case hasPrefixAt(src, i, "//"):
			i += 2
			for i < len(src) && lineBreak(src, i) == 0 {
				i++
			}
		case hasPrefixAt(src, i, "/*"):
			end := indexFrom(src, i+2, "*/")
			if end < 0 {
				return i
			}
			i = end + 2
		default:
			return i
		}
	}
	return i
}

// spaces skips the white space and line breaks at src[i:]; ok tells
// whether there was some, or that none was needed.
func spaces(src string, i int, needed bool) (int, bool) {
	j := i
	for j < len(src) {
		if n := hspace(src, j) + lineBreak(src, j); n > 0 {
			j += n
			continue
		}
		break
	}
	return j, j > i || !needed
}

// word matches the keyword w at src[i:], not followed by an identifier's
// character.
func word(src string, i int, w string) (int, bool) {
	if !hasPrefixAt(src, i, w) {
		return i, false
	}
	j := i + len(w)
	if identifier(src, j) != j || j < len(src) && src[j] == '\\' {
		return i, false
	}
	return j, true
}

// identifier is the end of the identifier at src[i:] (i if there is none).
// It takes the identifiers of letters, digits, $ and _ (ASCII or not);
// one written with \u escapes is not taken.
func identifier(src string, i int) int {
	j := i
	for j < len(src) {
		r, n := utf8.DecodeRuneInString(src[j:])
		start := r == '$' || r == '_' || unicode.IsLetter(r)
		part := unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc) || r == '\u200c' || r == '\u200d'
		if !start && (j == i || !part) {
			break
		}
		j += n
	}
	return j
}

// hspace is the length of the white space character (not a line break) at
// src[i], or 0.
func hspace(src string, i int) int {
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case ' ', '\t', '\v', '\f':
		return 1
	}
	switch {
	case hasPrefixAt(src, i, "\u00a0"):
		return 2
	case hasPrefixAt(src, i, "\ufeff"):
		return 3
	}
	return 0
}

// lineBreak is the length of the line terminator at src[i] (CR LF is two
// terminators, as goja counts it: one line break), or 0.
func lineBreak(src string, i int) int {
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case '\n', '\r':
		return 1
	}
	if hasPrefixAt(src, i, "\u2028") || hasPrefixAt(src, i, "\u2029") {
		return 3
	}
	return 0
}

func hasPrefixAt(s string, i int, prefix string) bool {
	return i <= len(s) && len(s)-i >= len(prefix) && s[i:i+len(prefix)] == prefix
}

// indexFrom is the index of sub in s at or after i, or -1.
func indexFrom(s string, i int, sub string) int {
	for j := i; j+len(sub) <= len(s); j++ {
		if s[j:j+len(sub)] == sub {
			return j
		}
	}
	return -1
}
