package edgefunc

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRewriteImports(t *testing.T) {
	const h = "\nfunction handler(e) { return e.request }"
	tests := []struct{ name, src, want string }{
		{"the docs' declaration", "import cf from 'cloudfront';" + h, "const cf=ǂ('cloudfront');  " + h},
		{"double quotes, no semicolon", `import crypto from "crypto"` + h, `const crypto=ǂ("crypto"); ` + h},
		{"the shortest form", "import x from'm'" + h, "const x=ǂ('m');" + h},
		{"several, after white space and comments",
			"\ufeff// the function\n/* with\n   imports */\n\timport cf from 'cloudfront'; // the store\nimport crypto from 'crypto'\r\n\r\nimport  qs  from  'querystring' ;" + h,
			"\ufeff// the function\n/* with\n   imports */\n\tconst cf=ǂ('cloudfront');   // the store\nconst crypto=ǂ('crypto'); \r\n\r\nconst qs=ǂ('querystring');      " + h},
		{"on two lines", "import cf\n  from 'cloudfront';" + h, "const cf=\nǂ('cloudfront');   " + h},
		{"on many lines", "import\n  cf\n  from\n  'cloudfront';" + h, "const \ncf= \nǂ(   \n'cloudfront'); " + h},
		{"named from", "import from from 'crypto';" + h, "const from=ǂ('crypto');  " + h},
		{"non-ASCII name", "import ĉf from 'cloudfront';" + h, "const ĉf=ǂ('cloudfront');  " + h},
		{"a line comment after", "import cf from 'cloudfront' // c" + h, "const cf=ǂ('cloudfront');  // c" + h},
		{"a comment, then the semicolon", "import cf from 'cloudfront' /* c */ ;" + h, "const cf=ǂ('cloudfront');  /* c */ ;" + h},
		{"a comment with a line break after", "import cf from 'cloudfront' /* c\n */ var x" + h, "const cf=ǂ('cloudfront');  /* c\n */ var x" + h},
		{"the run stops at another form", "import a from 'crypto';\nimport {b} from 'buffer';" + h, "const a=ǂ('crypto');  \nimport {b} from 'buffer';" + h},
		{"the end of the code", "import a from 'crypto'", "const a=ǂ('crypto'); "},

		// Left as they are (goja refuses what is not valid JavaScript).
		{"no import", "function handler(e) { return e.request }", ""},
		{"in a string", `var s = "import x from 'y'";` + h, ""},
		{"in a template literal", "`\nimport x from 'y'`;" + h, ""},
		{"in a block comment", "/* import x from 'y'; */" + h, ""},
		{"in a line comment", "// import x from 'y';" + h, ""},
		{"in a comment that looks closed", "/*/ import x from 'y'; /*/" + h, ""},
		{"after code", "var a = 1;\nimport x from 'y';" + h, ""},
		{"after an unterminated comment", "/* import x from 'y';", ""},
		{"named imports", "import {a} from 'crypto';" + h, ""},
		{"a namespace import", "import * as c from 'crypto';" + h, ""},
		{"an import for effect", "import 'crypto';" + h, ""},
		{"a default and named imports", "import a, {b} from 'crypto';" + h, ""},
		{"a comment between the words", "import /* c */ a from 'crypto';" + h, ""},
		{"a backslash in the module", `import a from 'cry\pto';` + h, ""},
		{"a line break in the module", "import a from 'cry\npto';" + h, ""},
		{"an unterminated module", "import a from 'crypto", ""},
		{"code after it on the line", "import a from 'crypto' + 1;" + h, ""},
		{"code after a comment on the line", "import a from 'crypto' /* c */ var x;" + h, ""},
		{"no space after import", "import{a}from'crypto';" + h, ""},
		{"importa", "importa from 'crypto';" + h, ""},
		{"fromage", "import a fromage 'crypto';" + h, ""},
		{"no identifier", "import from 'crypto';" + h, ""},
		{"an escaped identifier", `import \u0061 from 'crypto';` + h, ""},
		{"a dynamic import", "import('crypto');" + h, ""},
		{"import.meta", "import.meta;" + h, ""},
		{"lines as narrow as its words", "import\ncf\nfrom\n'm';" + h, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == "" {
				want = tt.src
			}
			got, spans := rewriteImports(tt.src)
			if got != want {
				t.Errorf("rewriteImports(%q)\n got %q\nwant %q", tt.src, got, want)
			}
			if (len(spans) > 0) != (tt.want != "") {
				t.Errorf("spans %v", spans)
			}
			checkRewrite(t, tt.src, got, spans)
		})
	}
}

// checkRewrite checks what rewriteImports made of src: the same bytes but
// for the declarations, which are the leading ones, every line break
// where it was (so every other character keeps its line and column),
// valid UTF-8 if src is, and each declaration a const calling require.
func checkRewrite(t *testing.T, src, out string, spans []importSpan) {
	t.Helper()
	if len(out) != len(src) {
		t.Fatalf("%q became %q, of another length", src, out)
	}
	at := skipBlank(src, 0)
	for i, sp := range spans {
		if sp.start != at || sp.end <= sp.start || sp.end > len(src) {
			t.Fatalf("span %d %v of %q is not where the next leading declaration is (%d)", i, sp, src, at)
		}
		if !strings.HasPrefix(src[sp.start:], "import") {
			t.Fatalf("span %d of %q is no import: %q", i, src, src[sp.start:sp.end])
		}
		if src[at:sp.start] != out[at:sp.start] {
			t.Fatalf("%q changed between declarations", src)
		}
		d := strings.Join(strings.Fields(strings.NewReplacer("\u2028", " ", "\u2029", " ").Replace(out[sp.start:sp.end])), "")
		if !strings.HasPrefix(d, "const") || !strings.Contains(d, "="+importAlias+"(") || !strings.HasSuffix(d, ");") {
			t.Fatalf("declaration %q of %q became %q", src[sp.start:sp.end], src, out[sp.start:sp.end])
		}
		at = skipBlank(src, sp.end)
	}
	last := 0
	if len(spans) > 0 {
		last = spans[len(spans)-1].end
	} else if out != src {
		t.Fatalf("%q changed with no declaration", src)
	}
	if out[last:] != src[last:] {
		t.Fatalf("the code after the imports of %q changed", src)
	}
	if a, b := lineStarts(src), lineStarts(out); !slices.Equal(a, b) {
		t.Fatalf("the lines of %q moved: %v, now %v", src, a, b)
	}
	if utf8.ValidString(src) && !utf8.ValidString(out) {
		t.Fatalf("%q became invalid UTF-8: %q", src, out)
	}
	if again, sp := rewriteImports(out); again != out || sp != nil {
		t.Fatalf("rewriting %q twice changed it", src)
	}
}

// lineStarts is where the lines of src begin, as goja counts them (its
// file.findNextLineStart).
func lineStarts(src string) []int {
	var starts []int
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i++
			starts = append(starts, i+1)
		case src[i] == '\r', src[i] == '\n':
			starts = append(starts, i+1)
		case strings.HasPrefix(src[i:], "\u2028"), strings.HasPrefix(src[i:], "\u2029"):
			starts = append(starts, i+3)
		}
	}
	return starts
}

// TestImportCompile runs 2.0 code that imports the built-in modules, and
// checks that syntax errors keep their positions.
func TestImportCompile(t *testing.T) {
	p := compile(t, Runtime20, `import crypto from 'crypto';
import qs from "querystring"
import buffer from 'buffer';
import cf from 'cloudfront';
// ǂ is only the imports' business.
var ǂ = 'mine';
function handler(event) {
	event.request.headers['x-out'] = {value: [crypto.createHash('sha1').update('x').digest('hex'),
		qs.stringify({a: 1}), buffer.Buffer === Buffer, typeof cf.kvs, ǂ].join(' ')};
	return event.request;
}`)
	r, err := p.Run(request("/"), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Request.Headers["x-out"].Value, "11f6ad8ec52a2984abaafd7c3b516503785c2072 a=1 true function mine"; got != want {
		t.Errorf("x-out = %q, want %q", got, want)
	}

	// An import binds a const, as an import binding is immutable.
	p = compile(t, Runtime20, "import cf from 'cloudfront';\nfunction handler(e) { cf = 1; return e.request }")
	if _, err := p.Run(request("/"), testLimits); !errors.Is(err, ErrExecution) || !strings.Contains(err.Error(), "TypeError") {
		t.Errorf("assigning an import: %v", err)
	}
	// An unknown module fails the call, as require does.
	p = compile(t, Runtime20, "import fs from 'fs';\nfunction handler(e) { return e.request }")
	if _, err := p.Run(request("/"), testLimits); err == nil || !strings.Contains(err.Error(), "Cannot find module 'fs'") {
		t.Errorf("importing fs: %v", err)
	}

	// A syntax error is where it is in the code as written: the same as in
	// the code with the imports blanked out.
	for _, code := range []string{
		"import cf from 'cloudfront'; import crypto from 'crypto'; let x = ;",
		"import cf from 'cloudfront'; import crypto from 'crypto';\nfunction handler(e) { return e.request }\n  let x = ;",
		"import cf\r\n  from 'cloudfront'  ;  var = 1;",
		"import cf from 'cloudfront';\nconst cf = 1;\nfunction handler(e) { return e.request }",
		"import cf from 'cloudfront';\nfunction handler(e) { return e.request }\nfunction handler(e) { return 1n }",
	} {
		_, err := Compile(Runtime20, []byte(code))
		if err == nil {
			t.Errorf("Compile(%q) succeeded", code)
			continue
		}
		out, spans := rewriteImports(code)
		blank := []byte(code)
		for _, sp := range spans {
			for i := sp.start; i < sp.end; i++ {
				if lineBreak(code, i) == 0 {
					blank[i] = ' '
				}
			}
		}
		_, want := Compile(Runtime20, blank)
		if strings.Contains(code, "const cf = 1") {
			// Blanked, there is nothing to redeclare.
			want = errors.New("SyntaxError: Identifier 'cf' has already been declared at function.js:2:7")
		}
		if want == nil || err.Error() != want.Error() {
			t.Errorf("Compile(%q) (rewritten %q):\n got %v\nwant %v", code, out, err, want)
		}
	}

	// Runtime 1.0 has no import declarations.
	if _, err := Compile(Runtime10, []byte("import cf from 'cloudfront';\nfunction handler(e) { return e.request }")); err == nil || !strings.HasPrefix(err.Error(), "SyntaxError") {
		t.Errorf("1.0 with import: %v", err)
	}
}
